'use strict';
// Fetch (pull) delivery inside a real, running n8n against an in-process sandbox portal, with no URL the portal
// could call: the Bitrix24 Chatbot Fetch Trigger (imbot.v2 Event.get) and the Bitrix24 Open Channels Fetch Trigger
// (offline events) poll on n8n's schedule. Events sent while a workflow is inactive and while n8n is stopped arrive
// after it is back, each exactly once. Also the Chatbot Trigger v2 in webhook mode: activation points the bot at n8n,
// an event starts an execution, a forged application token gets 401 and starts nothing.
// Version-independent: waits for outcomes (sandbox state, executions), never for a fixed activation behaviour.

const { N8nInstance, packageBuildStatus, sleep } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { POLL_EVERY_10_S, sandboxCredentials, credentialRef, control, appCall } = require('./lib/bitrix');
const v2 = require('../../sandbox/methods/imbotV2/triggers');

const status = packageBuildStatus();
if (!status.built) throw new Error(`pull e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const PACKAGE = 'n8n-nodes-bitrix24-chat';
const TYPES = {
	chatbotFetch: `${PACKAGE}.bitrix24ChatbotFetchTrigger`,
	openChannelsFetch: `${PACKAGE}.bitrix24OpenChannelsFetchTrigger`,
	chatbotTrigger: `${PACKAGE}.bitrix24ChatbotTrigger`,
};
const CONNECTOR = 'n8n_e2e_pull';
const V2_HOOK = '3d0a5b8c-6c1e-4f7a-9b2d-5e8f1a2b3c04';
/** The triggers poll every 10 s (POLL_EVERY_10_S); a poll and its execution come well within this bound. */
const TICK_MS = 75000;

function workflow(id, name, node, typeVersion = 1) {
	return { id, name, nodes: [{ id: `${id}-t`, typeVersion, position: [0, 0], ...node }], connections: {} };
}

async function until(what, fn, timeoutMs = 30000) {
	const t0 = Date.now();
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await sleep(300);
	}
}

describe('fetch (pull) triggers and the v2 webhook trigger in a running n8n', () => {
	let sb;
	let n8n;
	let creds;
	let token;
	let fetchBotId;
	let hookBotId;

	const finished = async (workflowId) =>
		(await n8n.listExecutions({ workflowId })).filter((e) => e.status && !['new', 'running', 'waiting'].includes(e.status));
	/** Every item the workflow's trigger output over all its executions, oldest execution first. */
	async function itemsOf(workflowId, nodeName) {
		const list = (await finished(workflowId)).sort((a, b) => Number(a.id) - Number(b.id));
		const out = [];
		for (const e of list) {
			const run = await n8n.getExecution(e.id);
			out.push(...run.outputOf(nodeName));
		}
		return out;
	}
	const textsOfBot = async () => (await itemsOf('e2ePullBot', 'Bot Queue')).map((i) => i.text);
	const textsOfLine = async () => (await itemsOf('e2ePullOc', 'Offline Events')).map((i) => String(i.message.text).replace(/^.*\[br\]/, ''));
	const botQueue = () => (sb.state.imbotV2.queues.get(`bot:${fetchBotId}`) || { events: [] }).events;
	const offlineQueue = () => (sb.state.offlineEvents ? sb.state.offlineEvents.records : []);
	const userMessage = (text) => v2.userMessage(sb.portal, fetchBotId, { userId: 2, text });
	const operatorReply = (text) => control(sb, 'openlines/operator-reply', { connector: CONNECTOR, line: 1, chatId: 'ext-pull-1', text });

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		creds = sandboxCredentials(sb, { clientId: 'n8n-e2e-pull' });
		token = sb.issueTokens().access_token;

		// portal set-up (not the code under test): two v2 bots of the app, the app's connector with one customer chat
		fetchBotId = (await appCall(sb, token, 'imbot.v2.Bot.register', { fields: { code: 'e2e_pull_bot', properties: { name: 'Pull Bot' }, eventMode: 'webhook', webhookUrl: 'https://example.invalid/nowhere' } })).body.result.bot.id;
		hookBotId = (await appCall(sb, token, 'imbot.v2.Bot.register', { fields: { code: 'e2e_v2_hook_bot', properties: { name: 'Hook Bot' } } })).body.result.bot.id;
		const icon = { DATA_IMAGE: 'data:image/svg+xml,%3Csvg%3E%3C/svg%3E' };
		await appCall(sb, token, 'imconnector.register', { ID: CONNECTOR, NAME: 'E2E pull', ICON: icon, PLACEMENT_HANDLER: 'https://example.com/settings' });
		await appCall(sb, token, 'imconnector.activate', { CONNECTOR, LINE: 1, ACTIVE: 1 });
		await appCall(sb, token, 'imconnector.send.messages', {
			CONNECTOR,
			LINE: 1,
			MESSAGES: [{ user: { id: 'cust-p', name: 'Paula' }, message: { id: 'in-p', date: Math.floor(Date.now() / 1000), text: 'Hi' }, chat: { id: 'ext-pull-1' } }],
		});

		await n8n.importCredentials(creds.list);
		await n8n.importWorkflow([
			workflow('e2ePullBot', 'E2E Chatbot Fetch', {
				name: 'Bot Queue',
				type: TYPES.chatbotFetch,
				parameters: { authentication: 'oAuth2', pollTimes: POLL_EVERY_10_S, events: ['ONIMBOTV2MESSAGEADD'], botId: { __rl: true, mode: 'id', value: String(fetchBotId) }, options: {} },
				credentials: credentialRef(creds.oauth),
			}),
			workflow('e2ePullOc', 'E2E Open Channels Fetch', {
				name: 'Offline Events',
				type: TYPES.openChannelsFetch,
				parameters: { authentication: 'oAuth2', pollTimes: POLL_EVERY_10_S, events: ['ONIMCONNECTORMESSAGEADD'], options: {} },
				credentials: credentialRef(creds.oauth),
			}),
			workflow(
				'e2eV2Hook',
				'E2E Chatbot Trigger v2',
				{
					name: 'Bot Webhook',
					type: TYPES.chatbotTrigger,
					webhookId: V2_HOOK,
					parameters: { authentication: 'oAuth2', events: ['ONIMBOTV2MESSAGEADD'], botId: { __rl: true, mode: 'id', value: String(hookBotId) }, options: {} },
					credentials: credentialRef(creds.oauth),
				},
				2,
			),
		]);
		await n8n.start();
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	test('activation: the bot is switched to fetch, the events are bound offline; nothing runs without events', async () => {
		await n8n.activateWorkflow('e2ePullBot');
		await n8n.activateWorkflow('e2ePullOc');
		await until('fetch mode', () => sb.state.imbotV2.bots.get(fetchBotId).eventMode === 'fetch');
		await until('offline binding', () => sb.state.eventHandlers.some((h) => h.event === 'ONIMCONNECTORMESSAGEADD' && h.event_type === 'offline'));
		expect(await finished('e2ePullBot')).toEqual([]);
		expect(await finished('e2ePullOc')).toEqual([]);
	});

	test('events sent meanwhile arrive on the next poll, and are acknowledged on the one after', async () => {
		await userMessage('first');
		await userMessage('second');
		await operatorReply('line one');
		await operatorReply('line two');
		await n8n.waitForExecutions('e2ePullBot', { count: 1, timeoutMs: TICK_MS });
		await n8n.waitForExecutions('e2ePullOc', { count: 1, timeoutMs: TICK_MS });
		expect(await textsOfBot()).toEqual(['first', 'second']);
		expect(await textsOfLine()).toEqual(['line one', 'line two']);
		const [run] = await finished('e2ePullBot');
		expect(run.status).toBe('success');
		// acknowledged on the next tick: the queues drain without another execution
		await until('bot queue acknowledged', () => botQueue().length === 0, TICK_MS);
		await until('offline queue cleared', () => offlineQueue().length === 0, TICK_MS);
		expect((await finished('e2ePullBot')).length).toBe(1);
		expect((await finished('e2ePullOc')).length).toBe(1);
	});

	test('n8n stopped: events sent meanwhile are delivered after the restart, exactly once', async () => {
		await n8n.stop();
		await userMessage('while down 1');
		await userMessage('while down 2');
		await operatorReply('down line 1');
		await operatorReply('down line 2');
		await n8n.start();
		await n8n.waitForExecutions('e2ePullBot', { count: 2, timeoutMs: TICK_MS });
		await n8n.waitForExecutions('e2ePullOc', { count: 2, timeoutMs: TICK_MS });
		await until('bot queue acknowledged', () => botQueue().length === 0, TICK_MS);
		await until('offline queue cleared', () => offlineQueue().length === 0, TICK_MS);
		expect(await textsOfBot()).toEqual(['first', 'second', 'while down 1', 'while down 2']);
		expect(await textsOfLine()).toEqual(['line one', 'line two', 'down line 1', 'down line 2']);
	});

	test('a workflow deactivated and activated again gets what was sent while it was inactive', async () => {
		await n8n.deactivateWorkflow('e2ePullBot');
		await sleep(1500);
		await userMessage('while inactive');
		await n8n.activateWorkflow('e2ePullBot');
		await n8n.waitForExecutions('e2ePullBot', { count: 3, timeoutMs: TICK_MS });
		expect(await textsOfBot()).toEqual(['first', 'second', 'while down 1', 'while down 2', 'while inactive']);
	});

	test('Chatbot Trigger v2 (webhook): activation points the bot at n8n; an event runs; a forged token gets 401 and runs nothing', async () => {
		await n8n.activateWorkflow('e2eV2Hook');
		const hookUrl = n8n.webhookUrl(`${V2_HOOK}/webhook`);
		const bot = await until('webhook mode', () => {
			const b = sb.state.imbotV2.bots.get(hookBotId);
			return b.eventMode === 'webhook' && String(b.webhookUrl).startsWith(`${hookUrl}?s=`) ? b : undefined;
		});
		expect(bot.webhookUrl).toMatch(/\?s=[A-Za-z0-9]{32}$/);
		const ok = await until('delivery accepted', async () => {
			const r = await v2.userMessage(sb.portal, hookBotId, { userId: 3, text: '[b]push[/b] me' });
			return r.deliveries[0] && r.deliveries[0].status === 200 ? r : undefined;
		});
		expect(ok.deliveries).toHaveLength(1);
		const [done] = await n8n.waitForExecutions('e2eV2Hook', { count: 1 });
		const items = (await n8n.getExecution(done.id)).outputOf('Bot Webhook');
		expect(items).toEqual([expect.objectContaining({ event: 'ONIMBOTV2MESSAGEADD', botId: hookBotId, dialogId: '3', text: 'push me' })]);
		expect(JSON.stringify(items)).not.toMatch(/access_token|application_token/);

		const forged = await v2.userMessage(sb.portal, hookBotId, { userId: 3, text: 'forged', applicationToken: 'forged-token' });
		expect(forged.deliveries.map((d) => d.status)).toEqual([401]);
		await sleep(2000);
		expect((await finished('e2eV2Hook')).length).toBe(1);

		await n8n.deactivateWorkflow('e2eV2Hook');
		await until('back to fetch', () => sb.state.imbotV2.bots.get(hookBotId).eventMode === 'fetch');
	});
});
