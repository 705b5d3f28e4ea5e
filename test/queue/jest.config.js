/** Queue-mode suite: n8n main + 2 workers + a webhook processor on real Redis and PostgreSQL (scripts/queue-services.js). Run: npm run test:queue */
const path = require('node:path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	testEnvironment: 'node',
	roots: ['<rootDir>/test/queue'],
	testMatch: ['<rootDir>/test/queue/**/*.test.js'],
	testPathIgnorePatterns: ['/node_modules/'],
	modulePathIgnorePatterns: ['<rootDir>/dist/package.json', '<rootDir>/.cache/'],
	testTimeout: 10 * 60 * 1000,
	maxWorkers: 1,
	verbose: true,
};
