import nock from 'nock';
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { oauthCredentials, webhookCredentials } from '../../helpers/runNode';

import { json, node, PNG_BASE64, rl, run } from './harness';

useNock();

describe('Bot → Register (imbot.register)', () => {
	test('CODE, TYPE, OPENLINE, EVENT_HANDLER and PROPERTIES; output {botId, code}', async () => {
		const { calls } = portal({ 'imbot.register': 39 });
		const out = await run({
			resource: 'bot',
			operation: 'register',
			code: 'support_bot',
			name: 'Support',
			lastName: 'Bot',
			type: 'H',
			openLine: true,
			eventHandler: 'https://n8n.example/webhook/bot',
			additionalFields: {
				color: 'AQUA',
				email: 'bot@example.com',
				birthday: '2024-02-29T00:00:00',
				workPosition: 'Helper',
				website: 'https://example.com',
				gender: 'F',
			},
		});
		expect(out.error).toBeUndefined();
		expect(calls[0].method).toBe('imbot.register');
		expect(calls[0].body).toEqual({
			CODE: 'support_bot',
			TYPE: 'H',
			OPENLINE: 'Y',
			EVENT_HANDLER: 'https://n8n.example/webhook/bot',
			PROPERTIES: {
				NAME: 'Support',
				LAST_NAME: 'Bot',
				COLOR: 'AQUA',
				EMAIL: 'bot@example.com',
				PERSONAL_BIRTHDAY: '2024-02-29',
				WORK_POSITION: 'Helper',
				PERSONAL_WWW: 'https://example.com',
				PERSONAL_GENDER: 'F',
			},
		});
		expect(json(out.items)).toEqual([{ botId: 39, code: 'support_bot' }]);
	});

	test('separate EVENT_* URLs and a photo from a binary property (base64)', async () => {
		const { calls } = portal({ 'imbot.register': 40 });
		const out = await run(
			{
				resource: 'bot',
				operation: 'register',
				code: 'b2',
				lastName: 'Only',
				eventHandlers: {
					eventMessageAdd: 'https://h.example/add',
					eventWelcomeMessage: 'https://h.example/join',
					eventBotDelete: 'https://h.example/delete',
					eventMessageUpdate: 'https://h.example/update',
					eventMessageDelete: 'https://h.example/mdelete',
				},
				photoSource: 'binary',
				photoBinaryProperty: 'data',
			},
			{ items: [{ json: {}, binary: { data: { data: PNG_BASE64, mimeType: 'image/png', fileName: 'p.png' } } }] },
		);
		expect(out.error).toBeUndefined();
		expect(calls[0].body).toEqual({
			CODE: 'b2',
			TYPE: 'B',
			OPENLINE: 'N',
			EVENT_MESSAGE_ADD: 'https://h.example/add',
			EVENT_WELCOME_MESSAGE: 'https://h.example/join',
			EVENT_BOT_DELETE: 'https://h.example/delete',
			EVENT_MESSAGE_UPDATE: 'https://h.example/update',
			EVENT_MESSAGE_DELETE: 'https://h.example/mdelete',
			PROPERTIES: { LAST_NAME: 'Only', PERSONAL_PHOTO: PNG_BASE64 },
		});
	});

	test('photo from a URL is downloaded and sent as base64', async () => {
		const { calls } = portal({ 'imbot.register': 41 });
		nock('https://img.example').get('/bot.png').reply(200, Buffer.from(PNG_BASE64, 'base64'), { 'Content-Type': 'image/png' });
		const out = await run({
			resource: 'bot',
			operation: 'register',
			code: 'b3',
			name: 'Pic',
			eventHandler: 'https://h.example/all',
			photoSource: 'url',
			photoUrl: 'https://img.example/bot.png',
		});
		expect(out.error).toBeUndefined();
		expect((calls[0].body.PROPERTIES as Record<string, unknown>).PERSONAL_PHOTO).toBe(PNG_BASE64);
	});

	test('a URL that is not an image is refused before imbot.register', async () => {
		const { calls } = portal();
		nock('https://img.example').get('/page').reply(200, '<html></html>', { 'Content-Type': 'text/html' });
		const out = await run({ resource: 'bot', operation: 'register', code: 'b3', name: 'Pic', eventHandler: 'https://h.example/all', photoSource: 'url', photoUrl: 'https://img.example/page' });
		expect(out.error?.message).toMatch(/"Photo URL" is text\/html, not an image/);
		expect(calls).toHaveLength(0);
	});

	test.each([
		[{ name: '', lastName: '' }, /"Name" or "Last Name" is required/],
		[{ eventHandler: '' }, /"Event Handler URL" is required, or else "Separate Handler URLs" must give EVENT_MESSAGE_ADD, EVENT_WELCOME_MESSAGE, EVENT_BOT_DELETE/],
		[{ eventHandler: 'not a url' }, /"Event Handler URL" must be an http/],
		[{ additionalFields: { color: 'BLUE' } }, /"Additional Fields → Color" must be one of: AQUA, AZURE/],
		[{ additionalFields: { birthday: '29.02.2024' } }, /"Additional Fields → Birthday" must be a date in the form YYYY-MM-DD/],
		[{ additionalFields: { gender: 'X' } }, /"Additional Fields → Gender" must be one of: F, M/],
		[{ type: 'Z' }, /"Type" must be one of: B, H, O, S/],
		[{ photoSource: 'binary', photoBinaryProperty: 'missing' }, /the input item has no binary property "missing"/],
	])('bad input %p fails before any request', async (extra, message) => {
		const { calls } = portal();
		const out = await run({ resource: 'bot', operation: 'register', code: 'x', name: 'X', eventHandler: 'https://h.example/all', ...extra });
		expect(out.error?.message).toMatch(message);
		expect(calls).toHaveLength(0);
	});
});

describe('Bot → Update / Unregister / Get Many', () => {
	test('update sends BOT_ID + FIELDS {…}', async () => {
		const { calls } = portal();
		const out = await run({
			resource: 'bot',
			operation: 'update',
			botId: rl(39),
			updateFields: { code: 'renamed', eventMessageAdd: 'https://h.example/add2', name: 'New name', color: 'MINT' },
		});
		expect(out.error).toBeUndefined();
		expect(calls[0].method).toBe('imbot.update');
		expect(calls[0].body).toEqual({
			BOT_ID: 39,
			FIELDS: { CODE: 'renamed', EVENT_MESSAGE_ADD: 'https://h.example/add2', PROPERTIES: { NAME: 'New name', COLOR: 'MINT' } },
		});
		expect(json(out.items)).toEqual([{ botId: 39, updated: true }]);
	});

	test('update with a new photo only', async () => {
		const { calls } = portal();
		const out = await run(
			{ resource: 'bot', operation: 'update', botId: rl(39), photoSource: 'binary' },
			{ items: [{ json: {}, binary: { data: { data: PNG_BASE64, mimeType: 'image/png' } } }] },
		);
		expect(out.error).toBeUndefined();
		expect(calls[0].body).toEqual({ BOT_ID: 39, FIELDS: { PROPERTIES: { PERSONAL_PHOTO: PNG_BASE64 } } });
	});

	test('an update with no fields is refused before sending', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'bot', operation: 'update', botId: rl(39) });
		expect(out.error?.message).toMatch(/"Update Fields" is empty/);
		expect(calls).toHaveLength(0);
	});

	test('bot is required for update and unregister (n8n refuses to run without it); an ID that is not a number is refused before sending, naming the field', async () => {
		const { calls } = portal();
		await expect(run({ resource: 'bot', operation: 'unregister', botId: rl('') })).rejects.toThrow(/workflow has issues/);
		const out = await run({ resource: 'bot', operation: 'update', botId: rl('abc'), updateFields: { name: 'x' } });
		expect(out.error?.message).toBe('"Bot" must be a whole number of at least 1 (got "abc").');
		expect(calls).toHaveLength(0);
	});

	test('unregister', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'bot', operation: 'unregister', botId: rl(39) });
		expect(calls.map((c) => [c.method, c.body])).toEqual([['imbot.unregister', { BOT_ID: 39 }]]);
		expect(json(out.items)).toEqual([{ botId: 39, deleted: true }]);
	});

	test('a failure inside a 200 ({result:{result:false,error}}) is an error', async () => {
		portal({ 'imbot.unregister': { result: false, error: 'BOT_ID_ERROR', error_description: 'Bot not found' } });
		const out = await run({ resource: 'bot', operation: 'unregister', botId: rl(39) });
		expect(out.error?.message).toMatch(/imbot\.unregister failed with BOT_ID_ERROR/);
	});

	test('get many: one row per bot; limit; empty list ([])', async () => {
		const list = { '39': { ID: 39, NAME: 'Support', CODE: 'support', OPENLINE: 'N' }, '41': { ID: 41, NAME: 'Lines', CODE: 'lines', OPENLINE: 'Y' } };
		const { calls } = portal({ 'imbot.bot.list': list });
		const all = await run({ resource: 'bot', operation: 'getAll', returnAll: true });
		expect(calls[0].method).toBe('imbot.bot.list');
		expect(calls[0].body).toEqual({});
		expect(json(all.items)).toEqual([
			{ botId: 39, name: 'Support', code: 'support', openLine: false },
			{ botId: 41, name: 'Lines', code: 'lines', openLine: true },
		]);
		const one = await run({ resource: 'bot', operation: 'getAll', returnAll: false, limit: 1 });
		expect(json(one.items)).toHaveLength(1);
		nock.cleanAll();
		portal({ 'imbot.bot.list': [] });
		const none = await run({ resource: 'bot', operation: 'getAll', returnAll: true });
		expect(none.items).toEqual([]);
	});

	test('the Bot dropdown (searchBots) lists bots from imbot.bot.list and filters them; CLIENT_ID under a webhook', async () => {
		const sent: Array<{ type: string; url: unknown; body: unknown }> = [];
		const context = (auth: string, credentials: Record<string, unknown>) =>
			({
				getNodeParameter: (name: string, fallback: unknown) => (name === 'authentication' ? auth : fallback),
				getCredentials: async () => credentials,
				getNode: () => ({ name: 'Bitrix', type: 'bitrix24Chatbot', typeVersion: 1, parameters: {} }),
				helpers: {
					httpRequestWithAuthentication: async (type: string, options: { url: unknown; body: unknown }) => {
						sent.push({ type, url: options.url, body: options.body });
						return { result: { '41': { ID: 41, NAME: 'Lines', CODE: 'lines', OPENLINE: 'Y' }, '39': { ID: 39, NAME: 'Support', CODE: 'support', OPENLINE: 'N' } } };
					},
				},
			}) as unknown as ILoadOptionsFunctions;
		const search = node.methods.listSearch.searchBots;
		const all = await search.call(context('oAuth2', oauthCredentials()));
		expect(all.results).toEqual([
			{ name: 'Support', value: '39' },
			{ name: 'Lines', value: '41' },
		]);
		expect(sent[0]).toEqual({ type: 'bitrix24OAuth2Api', url: 'https://acme.bitrix24.com/rest/imbot.bot.list', body: {} });
		const filtered = await search.call(context('webhook', webhookCredentials()), 'LIN');
		expect(filtered.results).toEqual([{ name: 'Lines', value: '41' }]);
		expect(sent[1]).toEqual({ type: 'bitrix24WebhookApi', url: 'imbot.bot.list', body: { CLIENT_ID: 'n8n-bot-client' } });
		await expect(search.call(context('webhook', webhookCredentials({ chatbotClientId: '' })))).rejects.toMatchObject({
			message: expect.stringMatching(/needs a chatbot client ID/),
		});
		expect(sent).toHaveLength(2);
	});
});
