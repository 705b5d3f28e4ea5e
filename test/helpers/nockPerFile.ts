/*
 * nock for every test file, in one place.
 *
 * Jest runs several test files in one worker. nock's HTTP interceptor is installed process-wide, so one left behind
 * by an earlier file (with its own disableNetConnect and no mocks) would refuse the next file's requests before that
 * file's mocks are seen. Each file therefore starts with an active interceptor and removes it when it is done.
 * Loaded for every test file through jest.config.js `setupFilesAfterEnv` (jest keeps it in the file's module
 * registry, so a test file importing `useNock` from here gets this same module and these hooks run once).
 */
import nock from 'nock';

beforeAll(() => {
	if (!nock.isActive()) nock.activate();
});

afterAll(() => {
	nock.cleanAll();
	nock.enableNetConnect();
	nock.restore();
});

/**
 * A test file that only talks to nock mocks: no real network for the file, and every test starts without the mocks
 * of the one before. (Files that also talk to a local sandbox enable 127.0.0.1 themselves instead.)
 */
export function useNock(): void {
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => nock.cleanAll());
}
