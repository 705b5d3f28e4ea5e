/** Unit tests (jest + nock) and sandbox tests. End-to-end tests have their own config in test/e2e/. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.test.js'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	modulePathIgnorePatterns: ['<rootDir>/dist/package.json', '<rootDir>/.cache/'],
	// Removes each file's nock interceptor when the file is done (see the file).
	setupFilesAfterEnv: ['<rootDir>/test/helpers/nockPerFile.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'test/tsconfig.json' }] },
	testTimeout: 30000,
	// n8n-core keeps timers alive after a run (DI container, task-runner clients).
	forceExit: true,
};
