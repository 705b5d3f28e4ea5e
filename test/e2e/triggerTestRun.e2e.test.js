'use strict';
// Issue 13.1 in a real, running n8n: "Test this trigger" (POST /rest/workflows/:id/run, as the editor does) never
// disturbs a published workflow. Active echo bots (Chatbot Trigger v1 and v2 → Message Send) keep answering while and
// after a second workflow on the same bot asks for a test run (refused with a message that says why and what to do);
// the published v1 workflow's own test run (allowed by its option) gets the event and gives the bot back to the
// production URL; the Open Channels Trigger's test run is bound next to the production binding, both get the event,
// and only the test binding goes away.

const { N8nInstance, packageBuildStatus, sleep } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { sandboxCredentials, credentialRef, TYPES, control, appCall } = require('./lib/bitrix');

const status = packageBuildStatus();
if (!status.built) throw new Error(`trigger test-run e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const CONNECTOR = 'n8n_e2e_testrun';
const HOOK = {
	echoV1: '1a2b3c4d-0001-4e0b-b3f7-2a1d5e9c4b11',
	otherV1: '1a2b3c4d-0002-4e0b-b3f7-2a1d5e9c4b12',
	echoV2: '1a2b3c4d-0003-4e0b-b3f7-2a1d5e9c4b13',
	otherV2: '1a2b3c4d-0004-4e0b-b3f7-2a1d5e9c4b14',
	oc: '1a2b3c4d-0005-4e0b-b3f7-2a1d5e9c4b15',
	otherOc: '1a2b3c4d-0006-4e0b-b3f7-2a1d5e9c4b16',
};
const BOT_CODE = 'e2e_testrun_bot';

/** Waits (bounded) until `check()` is truthy; returns its value. */
async function until(check, what, { tries = 100, ms = 100 } = {}) {
	for (let i = 0; i < tries; i++) {
		const value = await check();
		if (value) return value;
		await sleep(ms);
	}
	throw new Error(`timed out waiting for ${what}`);
}

describe('"Test this trigger" never disturbs a published workflow', () => {
	let sb;
	let n8n;
	let creds;
	let v1BotId;
	let v2BotId;
	const url = (hook) => n8n.webhookUrl(`${hook}/webhook`);
	const testUrl = (hook) => url(hook).replace('/webhook/', '/webhook-test/');

	function workflow(id, trigger, answer) {
		const nodes = [{ id: `${id}-t`, name: 'Trigger', position: [0, 0], ...trigger }];
		if (answer) nodes.push({ id: `${id}-a`, name: 'Answer', position: [260, 0], ...answer });
		return { id, name: id, nodes, connections: answer ? { Trigger: { main: [[{ node: 'Answer', type: 'main', index: 0 }]] } } : {}, settings: { executionOrder: 'v1' } };
	}
	const v1Trigger = (hook, options = {}) => ({
		type: TYPES.chatbotTrigger,
		typeVersion: 1,
		webhookId: hook,
		parameters: { authentication: 'webhook', events: ['ONIMBOTMESSAGEADD'], botSource: 'code', botCode: BOT_CODE, botName: 'Echo', botType: 'B', ignoreOwnMessages: true, options },
		credentials: credentialRef(creds.webhook),
	});
	const v2Trigger = (hook) => ({
		type: TYPES.chatbotTrigger,
		typeVersion: 2,
		webhookId: hook,
		parameters: { authentication: 'oAuth2', events: ['ONIMBOTV2MESSAGEADD'], botId: { __rl: true, mode: 'id', value: String(v2BotId) }, options: {} },
		credentials: credentialRef(creds.oauth),
	});
	const ocTrigger = (hook) => ({
		type: TYPES.openChannelsTrigger,
		typeVersion: 1,
		webhookId: hook,
		parameters: { authentication: 'oAuth2', events: ['ONIMCONNECTORMESSAGEADD'], options: { confirmDelivery: false } },
		credentials: credentialRef(creds.oauth),
	});

	/** Executions of a workflow that have finished, newest first. */
	const finished = async (id) => (await n8n.listExecutions({ workflowId: id })).filter((e) => e.status !== 'running' && e.status !== 'new');
	/** A user writes to the v1 echo bot; resolves with the echo it answered (the Answer node's output). */
	async function echoV1(text) {
		const before = (await finished('e2eTrEchoV1')).length;
		const sent = await control(sb, `bots/${v1BotId}/user-message`, { userId: 2, text });
		expect(sent.deliveries.map((d) => [d.url, d.status])).toEqual([[url(HOOK.echoV1), 200]]);
		const runs = await n8n.waitForExecutions('e2eTrEchoV1', { count: before + 1 });
		expect(runs[0].status).toBe('success');
		return (await n8n.getExecution(runs[0].id)).outputOf('Answer')[0];
	}

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		creds = sandboxCredentials(sb, { clientId: 'n8n-e2e-testrun' });
		const token = sb.issueTokens().access_token;
		v2BotId = Number((await appCall(sb, token, 'imbot.v2.Bot.register', { fields: { code: 'e2e_testrun_v2', properties: { name: 'Echo v2' } } })).body.result.bot.id);
		const icon = { DATA_IMAGE: 'data:image/svg+xml,%3Csvg%3E%3C/svg%3E' };
		await appCall(sb, token, 'imconnector.register', { ID: CONNECTOR, NAME: 'E2E test run', ICON: icon, PLACEMENT_HANDLER: 'https://example.com/settings' });
		await appCall(sb, token, 'imconnector.activate', { CONNECTOR, LINE: 1, ACTIVE: 1 });
		await appCall(sb, token, 'imconnector.send.messages', {
			CONNECTOR,
			LINE: 1,
			MESSAGES: [{ user: { id: 'cust-1', name: 'Klaus' }, message: { id: 'in-1', date: Math.floor(Date.now() / 1000), text: 'Hallo' }, chat: { id: 'ext-chat-1' } }],
		});

		await n8n.importCredentials(creds.list);
		const answerV1 = {
			type: TYPES.chatbot,
			typeVersion: 1,
			parameters: { authentication: 'webhook', resource: 'message', operation: 'send', botId: { __rl: true, mode: 'id', value: '={{ $json.botId }}' }, target: 'dialog', dialogId: '={{ $json.dialogId }}', text: '=Echo: {{ $json.message.text }}', options: {} },
			credentials: credentialRef(creds.webhook),
		};
		const answerV2 = {
			type: TYPES.chatbot,
			typeVersion: 2,
			parameters: { authentication: 'oAuth2', resource: 'message', operation: 'send', botId: { __rl: true, mode: 'id', value: String(v2BotId) }, dialogId: '={{ $json.dialogId }}', text: '=Echo: {{ $json.text }}' },
			credentials: credentialRef(creds.oauth),
		};
		await n8n.importWorkflow([
			// the published echo bot lets its OWN test runs take the bot (they give it back to its production URL)
			workflow('e2eTrEchoV1', v1Trigger(HOOK.echoV1, { testRunTakesBot: true }), answerV1),
			workflow('e2eTrOtherV1', v1Trigger(HOOK.otherV1)),
			workflow('e2eTrEchoV2', v2Trigger(HOOK.echoV2), answerV2),
			workflow('e2eTrOtherV2', v2Trigger(HOOK.otherV2)),
			workflow('e2eTrOc', ocTrigger(HOOK.oc)),
			workflow('e2eTrOtherOc', ocTrigger(HOOK.otherOc)),
		]);
		await n8n.start();
		for (const id of ['e2eTrEchoV1', 'e2eTrEchoV2', 'e2eTrOc']) await n8n.activateWorkflow(id);
		v1BotId = [...sb.state.bots.values()].find((b) => b.CODE === BOT_CODE).ID;
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	test('Chatbot Trigger v1: a second workflow\'s test run is refused and the echo bot answers before and after', async () => {
		expect(await echoV1('before')).toMatchObject({ messageId: expect.any(Number) });

		const refused = await n8n.startTestRun('e2eTrOtherV1', 'Trigger').then(
			() => undefined,
			(error) => error,
		);
		expect(refused).toBeInstanceOf(Error);
		expect(refused.response.body).toMatch(/Test run refused: it would point bot \d+'s handlers at the test URL/);
		expect(sb.state.bots.get(v1BotId).EVENT_MESSAGE_ADD).toBe(url(HOOK.echoV1));

		expect(await echoV1('during the refused test')).toMatchObject({ messageId: expect.any(Number) });
		expect((await finished('e2eTrOtherV1')).length).toBe(0);
	});

	test("Chatbot Trigger v1: the published workflow's own test run (its option on) gets the event, then the bot is back at its production URL", async () => {
		const answer = await n8n.startTestRun('e2eTrEchoV1', 'Trigger');
		expect(answer).toMatchObject({ waitingForWebhook: true });
		expect(sb.state.bots.get(v1BotId).EVENT_MESSAGE_ADD).toBe(testUrl(HOOK.echoV1));

		const before = (await finished('e2eTrEchoV1')).length;
		const sent = await control(sb, `bots/${v1BotId}/user-message`, { userId: 2, text: 'to the test' });
		expect(sent.deliveries.map((d) => [d.url, d.status])).toEqual([[testUrl(HOOK.echoV1), 200]]);
		const runs = await n8n.waitForExecutions('e2eTrEchoV1', { count: before + 1 });
		expect(runs[0].mode).toBe('manual');

		// a test ends after its first event: n8n calls delete(), which points the bot at the production URL again
		await until(() => sb.state.bots.get(v1BotId).EVENT_MESSAGE_ADD === url(HOOK.echoV1), 'the production URL back on the bot');
		expect(await echoV1('after the test')).toMatchObject({ messageId: expect.any(Number) });

		// the same after "stop listening" without any event
		await n8n.startTestRun('e2eTrEchoV1', 'Trigger');
		expect(sb.state.bots.get(v1BotId).EVENT_MESSAGE_ADD).toBe(testUrl(HOOK.echoV1));
		await n8n.stopTestRun('e2eTrEchoV1');
		await until(() => sb.state.bots.get(v1BotId).EVENT_MESSAGE_ADD === url(HOOK.echoV1), 'the production URL back after stop');
		expect(await echoV1('after the stopped test')).toMatchObject({ messageId: expect.any(Number) });
	});

	test('Chatbot Trigger v2: a test run of a bot in webhook mode is refused; the echo bot answers before and after', async () => {
		const echo = async (text) => {
			const before = (await finished('e2eTrEchoV2')).length;
			const sent = await control(sb, `v2/bots/${v2BotId}/user-message`, { userId: 2, text });
			expect(sent.deliveries.map((d) => d.status)).toEqual([200]);
			const runs = await n8n.waitForExecutions('e2eTrEchoV2', { count: before + 1 });
			expect(runs[0].status).toBe('success');
			return (await n8n.getExecution(runs[0].id)).outputOf('Answer')[0];
		};
		expect(await echo('before')).toMatchObject({ messageId: expect.any(Number) });
		const refused = await n8n.startTestRun('e2eTrOtherV2', 'Trigger').then(
			() => undefined,
			(error) => error,
		);
		expect(refused).toBeInstanceOf(Error);
		expect(refused.response.body).toMatch(/Test refused: bot \\"[^\\]+\\" already sends its messages to a published workflow/);
		expect(await echo('after')).toMatchObject({ messageId: expect.any(Number) });
	});

	test('Open Channels Trigger: the test URL is bound next to the production one; both get the event; only the test binding goes', async () => {
		const bound = () => sb.state.eventHandlers.filter((h) => h.event === 'ONIMCONNECTORMESSAGEADD').map((h) => h.handler).sort();
		expect(bound()).toEqual([url(HOOK.oc)]);
		expect(await n8n.startTestRun('e2eTrOtherOc', 'Trigger')).toMatchObject({ waitingForWebhook: true });
		expect(bound()).toEqual([url(HOOK.oc), testUrl(HOOK.otherOc)].sort());

		const before = (await finished('e2eTrOc')).length;
		const reply = await control(sb, 'openlines/operator-reply', { connector: CONNECTOR, line: 1, chatId: 'ext-chat-1', text: 'during the test' });
		expect(reply.deliveries.map((d) => [d.url, d.status]).sort()).toEqual([[url(HOOK.oc), 200], [testUrl(HOOK.otherOc), 200]].sort());
		const production = await n8n.waitForExecutions('e2eTrOc', { count: before + 1 });
		expect(production[0]).toMatchObject({ status: 'success', mode: 'webhook' });
		const tested = await n8n.waitForExecutions('e2eTrOtherOc', { count: 1 });
		expect(tested[0]).toMatchObject({ status: 'success', mode: 'manual' });

		await until(() => bound().length === 1, 'the test binding to go');
		expect(bound()).toEqual([url(HOOK.oc)]);
		const after = await control(sb, 'openlines/operator-reply', { connector: CONNECTOR, line: 1, chatId: 'ext-chat-1', text: 'after the test' });
		expect(after.deliveries.map((d) => [d.url, d.status])).toEqual([[url(HOOK.oc), 200]]);
		await n8n.waitForExecutions('e2eTrOc', { count: before + 2 });
		expect(n8n.externalConnections()).toEqual([]);
	});
});
