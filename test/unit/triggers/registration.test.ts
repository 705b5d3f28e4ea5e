import nock from 'nock';

import { Bitrix24ChatbotV1Trigger as Bitrix24ChatbotTrigger } from '../../../nodes/Bitrix24ChatbotTrigger/v1/Bitrix24ChatbotTriggerV1.node';
import { Bitrix24OpenChannelsTrigger } from '../../../nodes/Bitrix24OpenChannelsTrigger/Bitrix24OpenChannelsTrigger.node';
import { OAUTH_BASE, oauthCredentials, WEBHOOK_BASE, WEBHOOK_PATH, webhookCredentials } from '../../helpers/runNode';
import { useNock } from '../../helpers/nockPerFile';
import { triggerHarness } from './triggerContext';

useNock();

/** Records every Bitrix call (method + body) answered by `reply`. */
function portal(base: string, prefix: string, reply: (method: string, body: Record<string, unknown>) => unknown) {
	const calls: Array<{ method: string; body: Record<string, unknown> }> = [];
	nock(base)
		.persist()
		.post(new RegExp(`^${prefix.replace(/\//g, '\\/')}[a-z.]+`, 'i'))
		.reply(200, (uri, body) => {
			const method = uri.slice(prefix.length).replace(/\.json$/, '');
			calls.push({ method, body: (body && typeof body === 'object' ? body : {}) as Record<string, unknown> });
			return reply(method, body as Record<string, unknown>);
		});
	return calls;
}

describe('Open Channels Trigger subscriptions', () => {
	const node = new Bitrix24OpenChannelsTrigger();
	const parameters = { authentication: 'oAuth2', events: ['ONIMCONNECTORMESSAGEADD', 'ONIMCONNECTORDIALOGSTART'] };

	test('create binds each chosen event to the production URL, removes stale ones, saves them in static data', async () => {
		const h = triggerHarness(node, { parameters });
		const url = h.webhookUrl;
		const calls = portal(OAUTH_BASE, '/rest/', (method) => {
			if (method === 'event.get') {
				return { result: [
					{ event: 'ONIMCONNECTORMESSAGEADD', handler: url, auth_type: '0', offline: 0 },
					{ event: 'ONIMCONNECTORLINEDELETE', handler: url, auth_type: '0', offline: 0 },
					{ event: 'ONIMCONNECTORDIALOGSTART', handler: 'https://other.example.com/hook', auth_type: '0', offline: 0 },
				] };
			}
			return { result: method === 'event.unbind' ? { count: 1 } : true };
		});
		expect(await h.checkExists()).toBe(false);
		expect(await h.create()).toBe(true);
		expect(calls.map((c) => [c.method, c.body])).toEqual([
			['event.get', {}],
			['event.get', {}],
			['event.unbind', { event: 'ONIMCONNECTORLINEDELETE', handler: url }],
			['event.bind', { event: 'ONIMCONNECTORDIALOGSTART', handler: url }],
		]);
		expect(h.staticData().boundEvents).toEqual([
			{ event: 'ONIMCONNECTORMESSAGEADD', handler: url },
			{ event: 'ONIMCONNECTORDIALOGSTART', handler: url },
		]);
		expect(url).toBe('https://n8n.example.com/webhook/a0c3e4f5-1111-4222-8333-944455556666/webhook');
	});

	test('checkExists is true when exactly the chosen events are bound (no duplicates after a restart)', async () => {
		const h = triggerHarness(node, { parameters });
		const calls = portal(OAUTH_BASE, '/rest/', () => ({
			result: [
				{ event: 'onimconnectormessageadd', handler: h.webhookUrl },
				{ event: 'ONIMCONNECTORDIALOGSTART', handler: h.webhookUrl },
			],
		}));
		expect(await h.checkExists()).toBe(true);
		expect(calls.map((c) => c.method)).toEqual(['event.get']);
	});

	test('delete unbinds only this trigger\'s handlers and clears static data', async () => {
		const h = triggerHarness(node, { parameters });
		h.staticData().boundEvents = [{ event: 'ONIMCONNECTORMESSAGEADD', handler: h.webhookUrl }];
		h.staticData().applicationTokenHash = 'abc';
		const calls = portal(OAUTH_BASE, '/rest/', (method) =>
			method === 'event.get'
				? { result: [{ event: 'ONIMCONNECTORDIALOGSTART', handler: h.webhookUrl }, { event: 'ONIMCONNECTORMESSAGEADD', handler: 'https://other.example.com/x' }] }
				: { result: { count: 1 } },
		);
		expect(await h.remove()).toBe(true);
		expect(calls.map((c) => [c.method, c.body])).toEqual([
			['event.get', {}],
			['event.unbind', { event: 'ONIMCONNECTORDIALOGSTART', handler: h.webhookUrl }],
			['event.unbind', { event: 'ONIMCONNECTORMESSAGEADD', handler: h.webhookUrl }],
		]);
		expect(h.staticData()).toEqual({});
	});

	test('a Bitrix error is not swallowed', async () => {
		const h = triggerHarness(node, { parameters });
		nock(OAUTH_BASE).post('/rest/event.get').reply(403, { error: 'ACCESS_DENIED', error_description: 'Access denied' });
		await expect(h.create()).rejects.toThrow(/event\.get failed with ACCESS_DENIED/);
	});

	test('a node saved with the webhook credential gets a clear message before any request; deactivating it has nothing to undo', async () => {
		const h = triggerHarness(node, { parameters: { ...parameters, authentication: 'webhook' } });
		for (const run of [h.checkExists, h.create]) {
			await expect(run()).rejects.toThrow(/saved with the Incoming Webhook credential.*Choose "OAuth2 \(Application\)"/);
		}
		await expect(h.remove()).resolves.toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
	});

	test('a new node offers only the OAuth2 credential; the saved-with-webhook notice shows only for "webhook"', () => {
		const description = node.description;
		expect(description.credentials!.map((c) => c.name)).toEqual(['bitrix24OAuth2Api']);
		const auth = description.properties.find((p) => p.name === 'authentication')!;
		expect(auth.default).toBe('oAuth2');
		expect(auth.options!.map((o) => (o as { value: string }).value)).toEqual(['oAuth2']);
		const notice = description.properties.find((p) => p.name === 'webhookSavedNotice')!;
		expect(notice.displayOptions).toEqual({ show: { authentication: ['webhook'] } });
	});
});

describe('Chatbot Trigger handlers', () => {
	const node = new Bitrix24ChatbotTrigger();
	const bots = { result: { 567: { ID: 567, NAME: 'Helper', CODE: 'helper_bot', OPENLINE: 'N' } } };

	test('existing bot: imbot.update with the chosen EVENT_* fields and imbot.command.update for each command', async () => {
		const parameters = {
			authentication: 'oAuth2',
			events: ['ONIMBOTMESSAGEADD', 'ONIMBOTMESSAGEUPDATE', 'ONIMBOTJOINCHAT', 'ONIMCOMMANDADD'],
			botSource: 'existing',
			botId: { mode: 'list', value: '567' },
			commandIds: '12, 13',
		};
		const h = triggerHarness(node, { parameters });
		const url = h.webhookUrl;
		const calls = portal(OAUTH_BASE, '/rest/', (method) => (method === 'imbot.bot.list' ? bots : { result: true }));
		expect(await h.checkExists()).toBe(false);
		expect(await h.create()).toBe(true);
		expect(calls.map((c) => [c.method, c.body])).toEqual([
			['imbot.bot.list', {}],
			['imbot.update', { BOT_ID: 567, FIELDS: { EVENT_MESSAGE_ADD: url, EVENT_MESSAGE_UPDATE: url, EVENT_WELCOME_MESSAGE: url } }],
			['imbot.command.update', { COMMAND_ID: 12, FIELDS: { EVENT_COMMAND_ADD: url } }],
			['imbot.command.update', { COMMAND_ID: 13, FIELDS: { EVENT_COMMAND_ADD: url } }],
		]);
		expect(h.staticData().botHandlers).toEqual({
			botId: 567,
			registered: false,
			handlerUrl: url,
			fields: ['EVENT_MESSAGE_ADD', 'EVENT_MESSAGE_UPDATE', 'EVENT_WELCOME_MESSAGE'],
			commandIds: [12, 13],
		});
		calls.length = 0;
		expect(await h.checkExists()).toBe(true);
		expect(calls.map((c) => c.method)).toEqual(['imbot.bot.list']);
	});

	test('delete points the handlers at the restore URL, or clears them; a vanished bot is not an error', async () => {
		const parameters = { authentication: 'oAuth2', events: ['ONIMBOTMESSAGEADD'], botSource: 'existing', botId: { mode: 'id', value: '567' }, options: { restoreUrl: 'https://old.example.com/bot' } };
		const h = triggerHarness(node, { parameters });
		h.staticData().botHandlers = { botId: 567, handlerUrl: h.webhookUrl, fields: ['EVENT_MESSAGE_ADD'], commandIds: [12] };
		const calls = portal(OAUTH_BASE, '/rest/', () => ({ result: true }));
		expect(await h.remove()).toBe(true);
		expect(calls.map((c) => [c.method, c.body])).toEqual([
			['imbot.update', { BOT_ID: 567, FIELDS: { EVENT_MESSAGE_ADD: 'https://old.example.com/bot' } }],
			['imbot.command.update', { COMMAND_ID: 12, FIELDS: { EVENT_COMMAND_ADD: 'https://old.example.com/bot' } }],
		]);
		expect(h.staticData()).toEqual({});

		nock.cleanAll();
		const h2 = triggerHarness(node, { parameters: { ...parameters, options: {} } });
		h2.staticData().botHandlers = { botId: 567, handlerUrl: h2.webhookUrl, fields: ['EVENT_MESSAGE_ADD', 'EVENT_BOT_DELETE'], commandIds: [] };
		const scope = nock(OAUTH_BASE)
			.post('/rest/imbot.update', { BOT_ID: 567, FIELDS: { EVENT_MESSAGE_ADD: '', EVENT_BOT_DELETE: '' } })
			.reply(400, { error: 'BOT_ID_ERROR', error_description: 'Bot not found' });
		expect(await h2.remove()).toBe(true);
		expect(scope.isDone()).toBe(true);
		expect(h2.logs.some((l) => l.level === 'info' && /no longer exists/.test(l.message))).toBe(true);
	});

	test('bot by code: registers it when missing (webhook credential: CLIENT_ID added by the transport)', async () => {
		const parameters = { authentication: 'webhook', events: ['ONIMBOTMESSAGEADD', 'ONIMBOTMESSAGEDELETE'], botSource: 'code', botCode: 'n8n_helper', botName: 'Helper', botType: 'B' };
		// a Webhook credential needs its Application Token to activate (issue 23, point 8)
		const h = triggerHarness(node, { parameters, credentials: { bitrix24WebhookApi: webhookCredentials({ applicationToken: 'app-token-1' }), bitrix24OAuth2Api: oauthCredentials() } });
		const url = h.webhookUrl;
		const calls = portal(WEBHOOK_BASE, WEBHOOK_PATH, (method) => (method === 'imbot.bot.list' ? { result: [] } : method === 'imbot.register' ? { result: 701 } : { result: true }));
		expect(await h.create()).toBe(true);
		expect(calls.map((c) => [c.method, c.body])).toEqual([
			['imbot.bot.list', { CLIENT_ID: 'n8n-bot-client' }],
			[
				'imbot.register',
				{ CODE: 'n8n_helper', TYPE: 'B', EVENT_MESSAGE_ADD: url, EVENT_WELCOME_MESSAGE: url, EVENT_BOT_DELETE: url, PROPERTIES: { NAME: 'Helper' }, CLIENT_ID: 'n8n-bot-client' },
			],
			['imbot.update', { BOT_ID: 701, FIELDS: { EVENT_MESSAGE_ADD: url, EVENT_MESSAGE_DELETE: url }, CLIENT_ID: 'n8n-bot-client' }],
		]);
		expect(h.staticData().botHandlers).toMatchObject({ botId: 701, botCode: 'n8n_helper', registered: true, fields: ['EVENT_MESSAGE_ADD', 'EVENT_WELCOME_MESSAGE', 'EVENT_BOT_DELETE', 'EVENT_MESSAGE_DELETE'] });
	});

	test('bad input is refused before any request', async () => {
		const h = triggerHarness(node, { parameters: { authentication: 'oAuth2', events: ['ONIMCOMMANDADD'], botSource: 'existing', botId: { mode: 'id', value: '567' }, commandIds: '12, abc' } });
		await expect(h.create()).rejects.toThrow(/Command IDs must be whole numbers.*"abc"/);
		const h2 = triggerHarness(node, { parameters: { authentication: 'oAuth2', events: ['ONIMBOTMESSAGEADD'], botSource: 'existing', botId: { mode: 'id', value: '999' } } });
		portal(OAUTH_BASE, '/rest/', () => bots);
		await expect(h2.create()).rejects.toThrow(/Bot 999 is not among the bots/);
	});
});
