/* Shared bits of the Open Channels node's unit tests. */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { Bitrix24OpenChannels } from '../../../nodes/Bitrix24OpenChannels/Bitrix24OpenChannels.node';
import type { RunOptions, RunResult } from '../../helpers/runNode';
import { OAUTH_BASE, runNode } from '../../helpers/runNode';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parsePhpQuery } = require('../../../sandbox/phpQuery');

export const node = new Bitrix24OpenChannels();

/** A resourceLocator value given "By ID". */
export function rl(value: string | number): IDataObject {
	return { __rl: true, mode: 'id', value: String(value) };
}

export function run(parameters: IDataObject, options: Omit<RunOptions, 'parameters'> = {}): Promise<RunResult> {
	return runNode(node, { parameters: { authentication: 'oAuth2', ...parameters }, ...options });
}

/** Records each body POSTed to `/rest/{method}` and answers with `reply(body, index)`. */
export function record(method: string, reply: (body: IDataObject, index: number) => unknown, times = 1): { bodies: IDataObject[]; scope: nock.Scope } {
	const bodies: IDataObject[] = [];
	const scope = nock(OAUTH_BASE)
		.post(`/rest/${method}`)
		.times(times)
		.reply(200, (_uri, body) => {
			bodies.push(body as IDataObject);
			return reply(body as IDataObject, bodies.length - 1) as nock.Body;
		});
	return { bodies, scope };
}

/** A batch `cmd` string → {method, params} (PHP query decoded as Bitrix24 does). */
export function decodeCommand(command: string): { method: string; params: IDataObject } {
	const at = command.indexOf('?');
	return { method: command.slice(0, at), params: parsePhpQuery(command.slice(at + 1)) as IDataObject };
}

/** Any request at all to the portal (to prove none was sent). */
export function trapAnyRequest(): nock.Scope {
	return nock(OAUTH_BASE).post(/.*/).reply(500, {}).persist();
}

export function json(result: RunResult): IDataObject[] {
	return result.items.map((item) => item.json);
}
