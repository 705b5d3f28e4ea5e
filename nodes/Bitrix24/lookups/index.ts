export { searchConnectors } from './connectors';
export { searchLines } from './lines';
