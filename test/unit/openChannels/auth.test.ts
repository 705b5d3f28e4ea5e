import nock from 'nock';

import { WEBHOOK_BASE } from '../../helpers/runNode';
import { isDocumentedMethod } from '../../helpers/documentedNames';
import { useNock } from '../../helpers/nockPerFile';
import { json, node, rl, run } from './helpers';

useNock();

const imconnectorOperations: Array<[string, string, Record<string, unknown>]> = [
	['connector', 'register', { connectorId: 'acme', connectorName: 'A', placementHandler: 'https://e.com/h', iconSvg: '<svg></svg>' }],
	['connector', 'activate', { connector: rl('acme'), line: rl(1) }],
	['connector', 'deactivate', { connector: rl('acme'), line: rl(1) }],
	['connector', 'getStatus', { connector: rl('acme'), line: rl(1) }],
	['connector', 'getAll', { returnAll: true }],
	['connector', 'setChannelData', { connector: rl('acme'), line: rl(1), channelName: 'x' }],
	['connector', 'unregister', { connector: rl('acme') }],
	['message', 'send', { connector: rl('acme'), line: rl(1), externalChatId: 'c', externalUserId: 'u', externalMessageId: 'm', text: 't' }],
	['message', 'update', { connector: rl('acme'), line: rl(1), externalChatId: 'c', externalUserId: 'u', externalMessageId: 'm', text: 't' }],
	['message', 'delete', { connector: rl('acme'), line: rl(1), externalChatId: 'c', externalUserId: 'u', externalMessageId: 'm' }],
	['message', 'markDelivered', { connector: rl('acme'), line: rl(1), bitrixChatId: 1, bitrixMessageId: 2, externalMessageIds: 'x', externalChatId: 'c' }],
	['message', 'markRead', { connector: rl('acme'), line: rl(1), bitrixChatId: 1, bitrixMessageId: 2, externalMessageIds: 'x', externalChatId: 'c' }],
	['chat', 'setName', { connector: rl('acme'), line: rl(1), externalChatId: 'c', chatName: 'n' }],
];

describe('imconnector.* under the webhook credential', () => {
	test.each(imconnectorOperations)('%s → %s is refused before any request, saying OAuth2 is needed', async (resource, operation, fields) => {
		const trap = nock(WEBHOOK_BASE).post(/.*/).reply(500, {}).persist();
		const out = await run({ authentication: 'webhook', resource, operation, ...fields });
		expect(out.error?.message).toMatch(/works only in application context.*OAuth2/);
		expect(out.error?.message).not.toMatch(/s3cr3tc0de99/);
		expect(trap.isDone()).toBe(false);
	});

	test('with Continue On Fail every item gets the refusal, still without a request', async () => {
		const trap = nock(WEBHOOK_BASE).post(/.*/).reply(500, {}).persist();
		const out = await run(
			{ authentication: 'webhook', resource: 'chat', operation: 'setName', connector: rl('acme'), line: rl(1), externalChatId: 'c', chatName: 'n' },
			{ items: [{ json: {} }, { json: {} }], continueOnFail: true },
		);
		expect(json(out).map((j) => j.code)).toEqual(['WRONG_AUTH_TYPE', 'WRONG_AUTH_TYPE']);
		expect(trap.isDone()).toBe(false);
	});
});

describe('node description', () => {
	test('defaults to OAuth2, is usable as a tool and warns about webhooks in the UI', () => {
		const d = node.description;
		expect(d.usableAsTool).toBe(true);
		const auth = d.properties.find((p) => p.name === 'authentication');
		expect(auth?.default).toBe('oAuth2');
		const notice = d.properties.find((p) => p.name === 'webhookNotice');
		expect(notice?.type).toBe('notice');
		expect(notice?.displayOptions?.show).toEqual({ authentication: ['webhook'], resource: ['connector', 'message', 'chat'] });
		const dataNotice = d.properties.find((p) => p.type === 'notice' && p.displayOptions?.show?.operation?.[0] === 'setChannelData');
		expect(dataNotice?.displayName).toMatch(/replaces the whole channel data/);
	});

	test('every operation has an action and calls a documented method', () => {
		const fs = require('fs');
		const path = require('path');
		const operations = node.description.properties.filter((p) => p.name === 'operation');
		const actions = operations.flatMap((p) => (p.options as Array<{ action?: string }>).map((o) => o.action));
		expect(actions.every((a) => typeof a === 'string' && a.length > 0)).toBe(true);
		expect(actions).toHaveLength(48);
		const source = ['connector', 'message', 'chat', 'line']
			.map((r) => fs.readFileSync(path.join(__dirname, `../../../nodes/Bitrix24OpenChannels/resources/${r}.ts`), 'utf8'))
			.join('\n');
		const methods = [...source.matchAll(/method: '([^']+)'/g)].map((m) => m[1]);
		expect(methods.length).toBe(21);
		for (const method of methods) expect(isDocumentedMethod(method)).toBe(true);
	});
});
