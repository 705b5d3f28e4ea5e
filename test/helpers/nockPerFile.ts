/*
 * Jest runs several test files in one worker. nock's HTTP interceptor is installed process-wide, so one left behind
 * by an earlier file (with its own disableNetConnect and no mocks) would refuse the next file's requests before that
 * file's mocks are seen. Each file therefore starts with an active interceptor and removes it when it is done.
 * Loaded for every test file through jest.config.js `setupFilesAfterEnv`.
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
