export * as encoders from './encoders';
export { defaultOutput, executeOperation } from './execute';
export { isEmpty, paramsFromFields } from './fieldValues';
export { getParam, setParam } from './paramPath';
export { buildOperationProperties, propertiesOf, propertyOf } from './properties';
export * as validators from './validators';
export type { CaseValues, Combiner, Encoder, FieldSpec, ItemContext, ListSpec, OperationSpec, PackSpec, ResourceSpec } from './types';
export { FieldError, ResultError } from './types';
