import * as fs from 'fs';
import * as path from 'path';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { chatbotResources } from '../../../nodes/Bitrix24Chatbot/resources';
import { makeItems, webhookCredentials, WEBHOOK_PATH } from '../../helpers/runNode';
import { isDocumentedMethod } from '../../helpers/documentedNames';
import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { json, node, rl, run } from './harness';

useNock();

/** Decodes one batch cmd string ("method?A=1&B[C]=2") into method + flat params. */
function decodeCmd(cmd: string): { method: string; params: Record<string, string> } {
	const [method, query] = cmd.split('?');
	const params: Record<string, string> = {};
	for (const pair of (query ?? '').split('&')) {
		if (!pair) continue;
		const [key, value = ''] = pair.split('=');
		params[decodeURIComponent(key)] = decodeURIComponent(value.replace(/\+/g, ' '));
	}
	return { method, params };
}

describe('Webhook credential: CLIENT_ID on every imbot call', () => {
	test('CLIENT_ID from the credential is sent under a webhook (and not under OAuth2)', async () => {
		const { calls } = portal({ 'imbot.message.add': 1 });
		const out = await run({ authentication: 'webhook', resource: 'message', operation: 'send', dialogId: '27', text: 'hi' });
		expect(out.error).toBeUndefined();
		expect(calls[0].path).toBe(`${WEBHOOK_PATH}imbot.message.add`);
		expect(calls[0].body).toEqual({ DIALOG_ID: '27', MESSAGE: 'hi', CLIENT_ID: 'n8n-bot-client' });
		await run({ resource: 'message', operation: 'send', dialogId: '27', text: 'hi' });
		expect(calls[1].path).toBe('/rest/imbot.message.add');
		expect(calls[1].body.CLIENT_ID).toBeUndefined();
		expect(String(calls[1].headers.authorization)).toMatch(/^Bearer /);
	});

	test.each([
		['bot', 'getAll', {}],
		['chat', 'setColor', { chatId: '15', color: 'RED' }],
		['command', 'unregister', { commandId: '3' }],
	])('%s → %s carries CLIENT_ID too', async (resource, operation, fields) => {
		const { calls } = portal({ 'imbot.bot.list': [] });
		await run({ authentication: 'webhook', resource, operation, returnAll: true, ...fields });
		expect(calls[0].body.CLIENT_ID).toBe('n8n-bot-client');
	});

	test('without a Chatbot Client ID in the credential: a clear error, nothing sent, the secret not shown', async () => {
		const { calls } = portal();
		const credentials = { bitrix24WebhookApi: webhookCredentials({ chatbotClientId: '' }) };
		const out = await run({ authentication: 'webhook', resource: 'message', operation: 'send', dialogId: '27', text: 'hi' }, { credentials });
		expect(out.error?.message).toMatch(/imbot\.message\.add under a webhook needs a chatbot client ID/);
		expect(out.error?.message).toMatch(/Chatbot Client ID/);
		expect(JSON.stringify(out.error)).not.toContain('s3cr3tc0de99');
		expect(calls).toHaveLength(0);
	});

	test('Continue On Fail: a missing Chatbot Client ID is labelled CHATBOT_CLIENT_ID_MISSING, not WRONG_AUTH_TYPE', async () => {
		const { calls } = portal();
		const credentials = { bitrix24WebhookApi: webhookCredentials({ chatbotClientId: '' }) };
		const out = await run(
			{ authentication: 'webhook', resource: 'message', operation: 'send', dialogId: '27', text: 'hi' },
			{ credentials, continueOnFail: true, items: makeItems(2) },
		);
		expect(json(out.items).map((j) => j.code)).toEqual(['CHATBOT_CLIENT_ID_MISSING', 'CHATBOT_CLIENT_ID_MISSING']);
		expect(String(json(out.items)[0].error)).not.toMatch(/WRONG_AUTH_TYPE/);
		expect(calls).toHaveLength(0);
	});

	test('Bitrix ACCESS_DENIED "Client ID not specified" becomes an error naming the method and code', async () => {
		portal({ 'imbot.message.add': { error: 'ACCESS_DENIED', error_description: 'Access denied! Client ID not specified' } });
		const out = await run({ authentication: 'webhook', resource: 'message', operation: 'send', dialogId: '27', text: 'hi' });
		expect(out.error?.message).toMatch(/imbot\.message\.add failed with ACCESS_DENIED/);
		expect(JSON.stringify(out.error)).not.toContain('n8n-bot-client');
	});
});

describe('Many items: batch of ≤ 50, one result per item', () => {
	test('120 Send items → 3 batch requests (50 + 50 + 20); each result on its own item; one failing command fails only its item', async () => {
		const batches: Array<Record<string, string>> = [];
		let nextId = 1000;
		nock('https://acme.bitrix24.com')
			.persist()
			.post('/rest/batch')
			.reply(200, (_uri, body) => {
				const cmd = (body as IDataObject).cmd as Record<string, string>;
				batches.push(cmd);
				const result: Record<string, number> = {};
				const resultError: Record<string, IDataObject> = {};
				for (const [key, value] of Object.entries(cmd)) {
					const { params } = decodeCmd(value);
					if (params.MESSAGE === 'message 77') resultError[key] = { error: 'DIALOG_ID_EMPTY', error_description: 'Dialog ID can\'t be empty' };
					else result[key] = nextId++;
				}
				return { result: { result, result_error: Object.keys(resultError).length ? resultError : [], result_total: [], result_next: [], result_time: [] }, time: {} };
			});
		const out = await run(
			{ resource: 'message', operation: 'send', botId: rl(39), dialogId: '={{ "chat" + ($json.i % 3 + 1) }}', text: '={{ "message " + $json.i }}' },
			{ items: makeItems(120), continueOnFail: true },
		);
		expect(out.error).toBeUndefined();
		expect(batches.map((b) => Object.keys(b).length)).toEqual([50, 50, 20]);
		const decoded = batches.flatMap((b) => Object.values(b).map(decodeCmd));
		expect(decoded.every((c) => c.method === 'imbot.message.add')).toBe(true);
		expect(decoded[5].params).toEqual({ BOT_ID: '39', DIALOG_ID: 'chat3', MESSAGE: 'message 5' });
		expect(out.items).toHaveLength(120);
		out.items.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));
		const results = json(out.items);
		expect(results[77].error).toMatch(/imbot\.message\.add failed with DIALOG_ID_EMPTY/);
		expect(results[77].code).toBe('DIALOG_ID_EMPTY');
		const ok = results.filter((_, i) => i !== 77);
		expect(ok.every((r) => typeof r.messageId === 'number' && r.botId === 39)).toBe(true);
		expect(new Set(ok.map((r) => r.messageId)).size).toBe(119);
		expect(results[0]).toEqual({ messageId: 1000, botId: 39, dialogId: 'chat1' });
		expect(results[119]).toEqual({ messageId: 1118, botId: 39, dialogId: 'chat3' });
	});

	test('one bad item (invalid dialog id) gives an error item without stopping the others (Continue On Fail)', async () => {
		const { calls } = portal({ batch: { result: { c0: 1, c1: 2 }, result_error: [], result_total: [], result_next: [], result_time: [] } });
		const out = await run(
			{ resource: 'message', operation: 'send', dialogId: '={{ $json.d }}', text: 'x' },
			{ items: [{ json: { d: '27' } }, { json: { d: 'nobody' } }, { json: { d: 'chat5' } }], continueOnFail: true },
		);
		expect(calls).toHaveLength(1);
		expect(calls[0].method).toBe('batch');
		const results = json(out.items);
		expect(results[0]).toEqual({ messageId: 1, botId: null, dialogId: '27' });
		expect(results[1].error).toMatch(/"Dialog ID" must be a user ID/);
		expect(results[2]).toEqual({ messageId: 2, botId: null, dialogId: 'chat5' });
	});

	test('without Continue On Fail a bad item stops the run before any request', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'message', operation: 'send', dialogId: '={{ $json.d }}', text: 'x' }, { items: [{ json: { d: '27' } }, { json: { d: 'x' } }] });
		expect(out.error?.message).toMatch(/"Dialog ID"/);
		expect(calls).toHaveLength(0);
	});
});

describe('Node description', () => {
	test('every operation calls a documented imbot method and has an action', () => {
		const all = chatbotResources.flatMap((r) => r.operations.map((o) => ({ resource: r.value, ...o })));
		expect(all).toHaveLength(4 + 5 + 13 + 4 + 4); // message: send, update, delete, like, send and wait
		for (const op of all) {
			expect(isDocumentedMethod(op.method)).toBe(true);
			expect(op.method).toMatch(/^(imbot\.|imopenlines\.bot\.session\.)/);
			expect(op.action.length).toBeGreaterThan(3);
		}
		// every operation its own method, except Send and Wait, which sends with imbot.message.add like Send
		expect(new Set(all.map((o) => o.method)).size).toBe(all.length - 1);
	});

	test('usable as a tool, icons light + dark exist and differ, codex file names the node', () => {
		const d = node.description;
		expect(d.usableAsTool).toBe(true);
		expect(d.name).toBe('bitrix24Chatbot');
		const icon = d.icon as { light: string; dark: string };
		const dir = path.join(__dirname, '../../../nodes/Bitrix24Chatbot');
		const light = fs.readFileSync(path.join(dir, icon.light.replace('file:', '')), 'utf8');
		const dark = fs.readFileSync(path.join(dir, icon.dark.replace('file:', '')), 'utf8');
		expect(light).not.toBe(dark);
		const codex = JSON.parse(fs.readFileSync(path.join(dir, 'Bitrix24Chatbot.node.json'), 'utf8'));
		expect(codex.node).toBe('n8n-nodes-bitrix24-chat.bitrix24Chatbot');
		expect(codex.categories).toEqual(['Communication']);
		expect(node.methods.listSearch.searchBots).toBeInstanceOf(Function);
	});
});

describe('a redirect from the portal is not followed (no call body or token sent to another address)', () => {
	test.each([
		['oAuth2', 307],
		['webhook', 302],
	])('%s credential, HTTP %i to another host: PORTAL_REDIRECT, nothing reaches that host', async (authentication, status) => {
		const elsewhere = nock('https://elsewhere.example').post(/.*/).reply(200, { result: true });
		nock('https://acme.bitrix24.com').post(/\/rest\/.*/).reply(status, '', { Location: 'https://elsewhere.example/rest/imbot.message.add' });
		const out = await run({ authentication, resource: 'message', operation: 'send', dialogId: '27', text: 'hi' });
		expect(out.error?.message).toMatch(/PORTAL_REDIRECT/);
		expect(JSON.stringify(out.error)).toMatch(/put its new address in the credential/);
		expect(elsewhere.isDone()).toBe(false);
		nock.cleanAll();
	});
});
