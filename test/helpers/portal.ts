/* The test portal for unit tests: one nock interceptor that stands for the Bitrix24 REST API of the test portal. */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { OAUTH_BASE } from './runNode';

export interface RecordedCall {
	method: string;
	path: string;
	body: IDataObject;
	headers: Record<string, unknown>;
}

/** Answers per method: a value becomes `{result: value}`; a function gets the params; `{error}` becomes an HTTP 400. */
export type Answers = Record<string, unknown | ((body: IDataObject) => unknown)>;

/**
 * Intercepts every REST call to the test portal (both URL forms: the webhook and the OAuth2 base share the host),
 * records it in `calls` in the order sent and answers from `answers`; a method without an answer gets `{result: true}`.
 * The interceptor stays until the test ends (useNock clears it after each test).
 */
export function portal(answers: Answers = {}): { calls: RecordedCall[] } {
	const calls: RecordedCall[] = [];
	nock(OAUTH_BASE)
		.persist()
		.post(/\/rest\/.*/)
		.reply(function (uri, body) {
			const path = uri.split('?')[0];
			const method = path.split('/').pop() as string;
			const params = (typeof body === 'string' ? (body ? JSON.parse(body) : {}) : (body ?? {})) as IDataObject;
			calls.push({ method, path, body: params, headers: this.req.headers });
			const answer = answers[method];
			const value = typeof answer === 'function' ? (answer as (b: IDataObject) => unknown)(params) : answer;
			if (value && typeof value === 'object' && 'error' in (value as IDataObject)) return [400, value];
			return [200, { result: value === undefined ? true : value, time: { start: 1, finish: 1 } }];
		});
	return { calls };
}
