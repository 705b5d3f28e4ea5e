/* Shared by the Chatbot node's unit tests: run the node against a nock-recorded portal. */
import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Bitrix24Chatbot } from '../../../nodes/Bitrix24Chatbot/Bitrix24Chatbot.node';
import type { RunOptions, RunResult } from '../../helpers/runNode';
import { OAUTH_BASE, runNode } from '../../helpers/runNode';

export const node = new Bitrix24Chatbot();

export interface RecordedCall {
	method: string;
	path: string;
	body: IDataObject;
	headers: Record<string, unknown>;
}

/** Answers per method: a value becomes `{result: value}`; a function gets the params; `{error}` becomes an HTTP 400. */
export type Answers = Record<string, unknown | ((body: IDataObject) => unknown)>;

/** Intercepts every REST call to the test portal (both URL forms), records it and answers from `answers`. */
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

export function rl(value: string | number): IDataObject {
	return { __rl: true, mode: 'id', value: String(value) };
}

export async function run(parameters: IDataObject, options: Partial<RunOptions> = {}): Promise<RunResult> {
	return await runNode(node, { parameters: { authentication: 'oAuth2', ...parameters }, ...options });
}

export function json(items: INodeExecutionData[]): IDataObject[] {
	return items.map((item) => item.json);
}

/** A tiny real PNG (1×1). */
export const PNG_BASE64 =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

export function imageItem(): INodeExecutionData {
	return { json: {}, binary: { data: { data: PNG_BASE64, mimeType: 'image/png', fileName: 'avatar.png' } } };
}

export function setup(): void {
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => nock.cleanAll());
}
