'use strict';
// Both trigger nodes inside a real, running n8n (each version run.js runs: 2.0.3, 2.41.1) (`n8n start`) against an in-process sandbox portal:
// activation subscribes in the portal (event.bind rows / the bot's EVENT_* URLs point at n8n's production webhook
// URL), the sandbox's "operator replies" / "user writes to the bot" deliveries start executions with the expected
// items, forged events (wrong application token) get 401 and start nothing, deactivation removes the subscriptions.

const { N8nInstance, packageBuildStatus, httpRequest, sleep } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { sandboxCredentials, credentialRef, TYPES, control, appCall } = require('./lib/bitrix');

const status = packageBuildStatus();
if (!status.built) throw new Error(`triggers e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const CONNECTOR = 'n8n_e2e_trigger';
const OC_HOOK = '6f1f2a9e-3c55-4c1b-9a63-0e2e7d1c0a01';
const BOT_HOOK = '0b6c7f43-8f6a-4e0b-b3f7-2a1d5e9c4b02';
const BOT_CODE = 'e2e_trigger_bot';

function triggerWorkflow(id, name, node) {
	return {
		id,
		name,
		nodes: [{ id: `${id}-t`, typeVersion: 1, position: [0, 0], ...node }],
		connections: {},
	};
}

describe('Bitrix24 triggers in a running n8n against the sandbox', () => {
	let sb;
	let n8n;
	let creds;
	let ocUrl;
	let botUrl;
	let botId;

	const executionsOf = async (workflowId) => (await n8n.listExecutions({ workflowId })).filter((e) => e.status !== 'running');

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		creds = sandboxCredentials(sb, { clientId: 'n8n-e2e-trigger' });
		ocUrl = n8n.webhookUrl(`${OC_HOOK}/webhook`);
		botUrl = n8n.webhookUrl(`${BOT_HOOK}/webhook`);

		// portal set-up (not the code under test): the app's connector on line 1, one customer chat
		const token = sb.issueTokens().access_token;
		const icon = { DATA_IMAGE: 'data:image/svg+xml,%3Csvg%3E%3C/svg%3E' };
		await appCall(sb, token, 'imconnector.register', { ID: CONNECTOR, NAME: 'E2E trigger', ICON: icon, PLACEMENT_HANDLER: 'https://example.com/settings' });
		await appCall(sb, token, 'imconnector.activate', { CONNECTOR, LINE: 1, ACTIVE: 1 });
		const sent = await appCall(sb, token, 'imconnector.send.messages', {
			CONNECTOR,
			LINE: 1,
			MESSAGES: [{ user: { id: 'cust-1', name: 'Klaus' }, message: { id: 'in-1', date: Math.floor(Date.now() / 1000), text: 'Hallo' }, chat: { id: 'ext-chat-1' } }],
		});
		expect(sent.status).toBe(200);

		await n8n.importCredentials(creds.list);
		await n8n.importWorkflow([
			triggerWorkflow('e2eTrigOc', 'E2E Open Channels Trigger', {
				name: 'Operator Replies',
				type: TYPES.openChannelsTrigger,
				webhookId: OC_HOOK,
				parameters: { authentication: 'oAuth2', events: ['ONIMCONNECTORMESSAGEADD', 'ONIMCONNECTORDIALOGFINISH'], options: {} },
				credentials: credentialRef(creds.oauth),
			}),
			triggerWorkflow('e2eTrigBot', 'E2E Chatbot Trigger', {
				name: 'Bot Events',
				type: TYPES.chatbotTrigger,
				webhookId: BOT_HOOK,
				parameters: {
					authentication: 'webhook',
					events: ['ONIMBOTMESSAGEADD', 'ONIMBOTJOINCHAT'],
					botSource: 'code',
					botCode: BOT_CODE,
					botName: 'Trigger Bot',
					botType: 'B',
					ignoreOwnMessages: true,
					options: {},
				},
				credentials: credentialRef(creds.webhook),
			}),
		]);
		await n8n.start();
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	test("activation subscribes in the portal at n8n's production webhook URLs", async () => {
		await n8n.activateWorkflow('e2eTrigOc');
		await n8n.activateWorkflow('e2eTrigBot');

		const bound = sb.state.eventHandlers.filter((h) => h.handler === ocUrl).map((h) => h.event);
		expect(bound.sort()).toEqual(['ONIMCONNECTORDIALOGFINISH', 'ONIMCONNECTORMESSAGEADD']);

		// Bot Source "Bot Code": the bot did not exist, so activation registered it (as the webhook's CLIENT_ID)
		const bot = [...sb.state.bots.values()].find((b) => b.CODE === BOT_CODE);
		expect(bot).toMatchObject({ EVENT_MESSAGE_ADD: botUrl, EVENT_WELCOME_MESSAGE: botUrl, owner: 'webhook:n8n-e2e-trigger' });
		botId = bot.ID;
		expect(await executionsOf('e2eTrigOc')).toEqual([]);
	});

	test('an operator reply starts the Open Channels workflow; delivery is confirmed back to the portal', async () => {
		const reply = await control(sb, 'openlines/operator-reply', { connector: CONNECTOR, line: 1, chatId: 'ext-chat-1', text: 'Guten Tag, Klaus!' });
		expect(reply.deliveries.map((d) => [d.url, d.event, d.status])).toEqual([[ocUrl, 'ONIMCONNECTORMESSAGEADD', 200]]);

		const [done] = await n8n.waitForExecutions('e2eTrigOc', { count: 1 });
		expect(done.status).toBe('success');
		const run = await n8n.getExecution(done.id);
		const items = run.outputOf('Operator Replies');
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({
			event: 'ONIMCONNECTORMESSAGEADD',
			connector: CONNECTOR,
			line: 1,
			chat: { id: reply.chatId, externalId: 'ext-chat-1' },
			user: { id: 1 },
			message: { id: reply.messageId, text: expect.stringContaining('Guten Tag, Klaus!') },
		});
		expect(JSON.stringify(items)).not.toMatch(/sandbox-app-token|access_token/);

		// Confirm Delivery (default on): imconnector.send.status.delivery in the background
		for (let i = 0; i < 50 && !sb.state.operatorMessages.get(reply.messageId).delivered; i++) await sleep(100);
		expect(sb.state.operatorMessages.get(reply.messageId)).toMatchObject({ delivered: true });

		// a second event type of the same trigger
		const finish = await control(sb, 'openlines/dialog-finish', { connector: CONNECTOR, line: 1, chatId: 'ext-chat-1' });
		expect(finish.deliveries.map((d) => d.status)).toEqual([200]);
		const runs = await n8n.waitForExecutions('e2eTrigOc', { count: 2 });
		const second = await n8n.getExecution(runs[0].id);
		expect(second.outputOf('Operator Replies')[0]).toMatchObject({ event: 'ONIMCONNECTORDIALOGFINISH', connector: CONNECTOR, line: 1, chat: { externalId: 'ext-chat-1' } });
	});

	test('a user writing to the bot and adding it to a chat start the Chatbot workflow', async () => {
		const message = await control(sb, `bots/${botId}/user-message`, { userId: 2, text: 'Hello bot' });
		expect(message.deliveries.map((d) => [d.url, d.status])).toEqual([[botUrl, 200]]);
		const [done] = await n8n.waitForExecutions('e2eTrigBot', { count: 1 });
		expect(done.status).toBe('success');
		const item = (await n8n.getExecution(done.id)).outputOf('Bot Events')[0];
		expect(item).toMatchObject({
			event: 'ONIMBOTMESSAGEADD',
			botId,
			botCode: BOT_CODE,
			dialogId: '2',
			message: { id: message.messageId, text: 'Hello bot' },
			user: { id: 2, name: 'Boris Becker' },
		});
		expect(JSON.stringify(item)).not.toMatch(/sandbox-app-token|access_token/);

		const join = await control(sb, `bots/${botId}/join`, { userId: 3 });
		expect(join.deliveries.map((d) => d.status)).toEqual([200]);
		const runs = await n8n.waitForExecutions('e2eTrigBot', { count: 2 });
		const joined = (await n8n.getExecution(runs[0].id)).outputOf('Bot Events')[0];
		expect(joined).toMatchObject({ event: 'ONIMBOTJOINCHAT', botId, botCode: BOT_CODE, user: { id: 3 } });
	});

	test('forged events (wrong application token) get 401 and start no execution', async () => {
		const before = { oc: (await executionsOf('e2eTrigOc')).length, bot: (await executionsOf('e2eTrigBot')).length };

		const forgedReply = await control(sb, 'openlines/operator-reply', { connector: CONNECTOR, line: 1, chatId: 'ext-chat-1', text: 'forged', applicationToken: 'not-the-app-token' });
		expect(forgedReply.deliveries.map((d) => [d.url, d.status])).toEqual([[ocUrl, 401]]);
		const forgedBot = await control(sb, `bots/${botId}/user-message`, { userId: 2, text: 'forged', applicationToken: 'not-the-app-token' });
		expect(forgedBot.deliveries.map((d) => [d.url, d.status])).toEqual([[botUrl, 401]]);

		// posted directly, as anyone on the internet could
		const body = new URLSearchParams({
			event: 'ONIMBOTMESSAGEADD',
			'data[PARAMS][DIALOG_ID]': '2',
			'data[PARAMS][MESSAGE]': 'direct forgery',
			'data[PARAMS][FROM_USER_ID]': '2',
			'data[USER][ID]': '2',
			ts: String(Math.floor(Date.now() / 1000)),
			'auth[application_token]': 'guessed',
			'auth[domain]': '127.0.0.1',
		}).toString();
		const direct = await httpRequest({ port: n8n.port, method: 'POST', path: new URL(botUrl).pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
		expect(direct.status).toBe(401);
		const noToken = await httpRequest({ port: n8n.port, method: 'POST', path: new URL(ocUrl).pathname, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'event=ONIMCONNECTORMESSAGEADD&data%5BCONNECTOR%5D=x' });
		expect(noToken.status).toBe(401);

		await sleep(1500);
		expect((await executionsOf('e2eTrigOc')).length).toBe(before.oc);
		expect((await executionsOf('e2eTrigBot')).length).toBe(before.bot);
		// the forged operator message was not confirmed either
		expect(sb.state.operatorMessages.get(forgedReply.messageId).delivered).toBeFalsy();
	});

	test('deactivation removes the subscriptions from the portal', async () => {
		await n8n.deactivateWorkflow('e2eTrigOc');
		await n8n.deactivateWorkflow('e2eTrigBot');

		expect(sb.state.eventHandlers.filter((h) => h.handler === ocUrl)).toEqual([]);
		const bot = sb.state.bots.get(botId);
		expect(bot.EVENT_MESSAGE_ADD).not.toBe(botUrl);
		expect(bot.EVENT_WELCOME_MESSAGE).not.toBe(botUrl);
		expect(Object.entries(bot).filter(([, v]) => v === botUrl)).toEqual([]);

		// an event now reaches no workflow
		const after = await control(sb, 'openlines/operator-reply', { connector: CONNECTOR, line: 1, chatId: 'ext-chat-1', text: 'after deactivation' });
		expect(after.deliveries).toEqual([]);
		expect(n8n.externalConnections()).toEqual([]);
	});
});
