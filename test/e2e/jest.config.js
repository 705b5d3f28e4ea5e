/** End-to-end tests: a real n8n ($E2E_N8N_VERSION, default 2.0.3; installed into .cache/n8n-<version> on first use). Run: npx jest --config test/e2e/jest.config.js */
const path = require('node:path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['<rootDir>/test/e2e/**/*.test.js'],
	testPathIgnorePatterns: ['/node_modules/'],
	modulePathIgnorePatterns: ['<rootDir>/dist/package.json', '<rootDir>/.cache/'],
	// first run installs n8n (~5 min); each n8n start takes ~10 s, each CLI call ~4-6 s
	testTimeout: 15 * 60 * 1000,
	maxWorkers: 1, // run in band: n8n processes are heavy and share the 2 cores
	verbose: true,
};
