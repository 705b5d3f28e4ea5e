/** Unit tests (jest + nock) and sandbox tests. End-to-end tests (test/e2e/) and the queue-mode suite (test/queue/) have their own configs. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.test.js'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/queue/'],
	modulePathIgnorePatterns: ['<rootDir>/dist/package.json', '<rootDir>/.cache/'],
	// Removes each file's nock interceptor when the file is done (see the file).
	setupFilesAfterEnv: ['<rootDir>/test/helpers/nockPerFile.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
	testTimeout: 30000,
	// n8n-core keeps timers alive after a run (DI container, task-runner clients).
	forceExit: true,
};
