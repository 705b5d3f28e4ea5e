'use strict';
// Issue 18: Send and Wait for Response of the Bitrix24 Chatbot node (v1 and v2) in a real, running n8n against the
// sandbox. Each workflow is Webhook → Chatbot "Send and Wait for Response"; a GET of its webhook starts it, the
// execution must be `waiting` in n8n, then a sandbox user presses a button of the message (a LINK opens n8n's signed
// resume URL; a COMMAND button sends the command event to the Chatbot Trigger, which hands the answer on) and the
// execution finishes with the answer as n8n's own send-and-wait nodes give it (`data.approved`, `data.text`, fields).
// A changed link is refused and the execution keeps waiting; a wait limit lets the workflow go on by itself.

const crypto = require('node:crypto');
const { N8nInstance, packageBuildStatus, sleep } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { sandboxCredentials, credentialRef, TYPES, control, rl } = require('./lib/bitrix');
const { launchBrowser } = require('./lib/browser');

const status = packageBuildStatus();
if (!status.built) throw new Error(`sendAndWait e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const CLIENT_ID = 'n8n-e2e-saw';
const BOT_TOKEN = 'n8n-e2e-saw-token';
const TRIGGER_HOOK = '5a7d0c1e-18aa-4f0b-9d7e-3c2b1a0f5e18';
const TRIGGER_V2_HOOK = '6b8e1d2f-29bb-4a1c-8e8f-4d3c2b1a0f29';

/** Another host: records every request it gets. */
async function startCollector() {
	const http = require('node:http');
	const seen = [];
	const server = http.createServer((req, res) => {
		seen.push(`${req.method} ${req.url}`);
		res.end('collected');
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${server.address().port}`, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function rest(sb, method, params) {
	const res = await fetch(`${sb.webhookUrl}${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
	const body = await res.json();
	if (body.error) throw new Error(`${method}: ${body.error} ${body.error_description}`);
	return body.result;
}

/** Webhook (GET /webhook/<path>) → Bitrix24 Chatbot, Send and Wait for Response. */
function waitWorkflow(id, { version, botId, dialogId, parameters, credential }) {
	const path = `saw-${id.toLowerCase()}`;
	const bot = version === 2 ? { botId: rl(botId) } : { botId: rl(botId) };
	return {
		id,
		name: `E2E send and wait ${id}`,
		path,
		nodes: [
			{ id: crypto.randomUUID(), name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: crypto.randomUUID(), parameters: { httpMethod: 'GET', path, responseMode: 'onReceived', options: {} } },
			{
				id: crypto.randomUUID(),
				name: 'Ask',
				type: TYPES.chatbot,
				typeVersion: version,
				position: [220, 0],
				parameters: { authentication: 'webhook', resource: 'message', operation: 'sendAndWait', ...bot, target: 'dialog', dialogId, ...parameters },
				credentials: credentialRef(credential),
			},
		],
		connections: { Start: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] } },
	};
}

describe('Send and Wait for Response in a running n8n against the sandbox', () => {
	let sb;
	let n8n;
	let creds;
	let v1Bot;
	let v2Bot;
	let answerCommand;
	const wf = {};
	let collector;

	const bitrixMessage = (text) => [...sb.state.messages.values()].reverse().find((m) => m.MESSAGE.startsWith(text) && m.KEYBOARD);
	/** The message as the sandbox user sees it (GET /sandbox/messages/:id), found by its text or given by id. */
	const view = async (textOrId) => {
		const id = typeof textOrId === 'number' ? textOrId : (bitrixMessage(textOrId) || {}).ID;
		if (!id) throw new Error(`no message "${textOrId}" with a keyboard in the sandbox`);
		const res = await fetch(`${sb.url}/sandbox/messages/${id}`);
		return res.json();
	};
	const executions = (w) => n8n.listExecutions({ workflowId: w.id });

	/** Starts the workflow and resolves once its execution is `waiting` in n8n and the message is in the chat. */
	async function startAndWait(w, text) {
		const res = await fetch(n8n.webhookUrl(w.path));
		expect(res.status).toBe(200);
		for (let i = 0; i < 150; i++) {
			const list = await executions(w);
			const waiting = list.find((e) => e.status === 'waiting');
			if (waiting && bitrixMessage(text)) return waiting;
			const failed = list.find((e) => e.status === 'error' || e.status === 'crashed');
			if (failed) throw new Error(`execution failed: ${JSON.stringify((await n8n.getExecution(failed.id)).error)}`);
			await sleep(200);
		}
		throw new Error(`no waiting execution of ${w.id}: ${JSON.stringify(await executions(w))}`);
	}

	async function finished(w, executionId, timeoutMs = 30_000) {
		const t0 = Date.now();
		for (;;) {
			const run = (await executions(w)).find((e) => e.id === executionId);
			if (run && !['new', 'running', 'waiting'].includes(run.status)) return n8n.getExecution(executionId);
			if (Date.now() - t0 > timeoutMs) throw new Error(`execution ${executionId} still ${run && run.status}`);
			await sleep(250);
		}
	}

	let timeoutWaiting;
	const click = (messageId, body) => control(sb, `messages/${messageId}/click`, body);

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		creds = sandboxCredentials(sb, { clientId: CLIENT_ID });
		creds.webhook.data.botToken = BOT_TOKEN;
		// events of a webhook-owned v2 bot carry that bot's own application token (the sandbox: md5 of its Bot Token)
		const v2Token = crypto.createHash('md5').update(BOT_TOKEN).digest('hex');
		creds.webhookV2 = { ...creds.webhook, id: 'b24HookSbV2', name: 'Bitrix24 Webhook v2 (sandbox)', data: { ...creds.webhook.data, applicationToken: v2Token } };
		creds.list.push(creds.webhookV2);
		// portal set-up (not the code under test): a v1 bot (CLIENT_ID) with an "answer" command, a v2 bot (Bot Token)
		v1Bot = await rest(sb, 'imbot.register', { CLIENT_ID, CODE: 'saw_v1', TYPE: 'B', EVENT_HANDLER: 'http://127.0.0.1:9/none', PROPERTIES: { NAME: 'Approver v1' } });
		answerCommand = await rest(sb, 'imbot.command.register', { CLIENT_ID, BOT_ID: v1Bot, COMMAND: 'answer', EVENT_COMMAND_ADD: 'http://127.0.0.1:9/none', HIDDEN: 'Y', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Answer' }] });
		const v2 = await rest(sb, 'imbot.v2.Bot.register', { botToken: BOT_TOKEN, fields: { code: 'saw_v2', type: 'bot', eventMode: 'fetch', properties: { name: 'Approver v2' } } });
		v2Bot = v2.bot ? v2.bot.id : v2.id;
		await rest(sb, 'imbot.v2.Command.register', { botToken: BOT_TOKEN, botId: v2Bot, fields: { command: 'answer', hidden: true } });

		const v1 = (id, parameters) => waitWorkflow(id, { version: 1, botId: v1Bot, dialogId: '2', parameters, credential: creds.webhook });
		const v2w = (id, parameters) => waitWorkflow(id, { version: 2, botId: v2Bot, dialogId: '3', parameters, credential: creds.webhookV2 });
		const double = (approveLabel, disapproveLabel) => ({ approvalOptions: { values: { approvalType: 'double', approveLabel, disapproveLabel } } });
		wf.approve = v1('SawApprove', { message: 'Approve invoice 17?', ...double('Yes, pay', 'No') });
		wf.decline = v2w('SawDecline', { message: 'Approve refund 5?', ...double('Approve', 'Decline') });
		wf.tamper = v2w('SawTamper', { message: 'Approve transfer 9?' });
		wf.text = v1('SawText', { message: 'Why was order 3 late?', responseType: 'freeText', options: { responseFormTitle: 'Order 3' } });
		wf.form = v2w('SawForm', {
			message: 'Book the trip',
			responseType: 'customForm',
			options: { responseFormTitle: 'Trip booking', responseFormButtonLabel: 'Book' },
			formFields: { values: [{ fieldLabel: 'Nights', fieldType: 'number', requiredField: true }, { fieldLabel: 'Room', fieldType: 'dropdown', fieldOptions: 'Single, Double' }, { fieldLabel: 'Breakfast', fieldType: 'checkbox' }] },
		});
		wf.timeout = v1('SawTimeout', { message: 'Answer within seconds', options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' } } } });
		wf.chat = v1('SawChat', { message: 'Deploy release 4?', ...double('Deploy', 'Stop'), options: { chatCommand: 'answer' } });
		wf.chatV2 = v2w('SawChatV2', { message: 'Publish post 8?', ...double('Publish', 'Discard'), options: { chatCommand: 'answer' } });
		wf.triggerV2 = {
			id: 'SawTriggerV2',
			name: 'E2E send and wait: v2 trigger',
			nodes: [
				{
					id: 'saw-trigger-v2',
					name: 'Bot Events',
					type: TYPES.chatbotTrigger,
					typeVersion: 2,
					position: [0, 0],
					webhookId: TRIGGER_V2_HOOK,
					parameters: { authentication: 'webhook', botId: rl(v2Bot), events: ['ONIMBOTV2COMMANDADD'], options: {} },
					credentials: credentialRef(creds.webhookV2),
				},
			],
			connections: {},
		};
		// Issue 23: a production webhook of this n8n that redirects every request to another host (the collector)
		collector = await startCollector();
		wf.redirector = {
			id: 'SawRedirector',
			name: 'E2E send and wait: a webhook that redirects',
			nodes: [
				{ id: crypto.randomUUID(), name: 'Hook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: crypto.randomUUID(), parameters: { httpMethod: 'POST', path: 'saw-redirect', responseMode: 'responseNode', options: {} } },
				{ id: crypto.randomUUID(), name: 'Redirect', type: 'n8n-nodes-base.respondToWebhook', typeVersion: 1.1, position: [220, 0], parameters: { respondWith: 'redirect', redirectURL: `${collector.url}/stolen`, options: {} } },
			],
			connections: { Hook: { main: [[{ node: 'Redirect', type: 'main', index: 0 }]] } },
		};
		wf.trigger = {
			id: 'SawTrigger',
			name: 'E2E send and wait: v1 trigger',
			nodes: [
				{
					id: 'saw-trigger',
					name: 'Bot Events',
					type: TYPES.chatbotTrigger,
					typeVersion: 1,
					position: [0, 0],
					webhookId: TRIGGER_HOOK,
					parameters: { authentication: 'webhook', events: ['ONIMCOMMANDADD'], botSource: 'existing', botId: rl(v1Bot), commandIds: String(answerCommand), options: {} },
					credentials: credentialRef(creds.webhook),
				},
			],
			connections: {},
		};
		await n8n.importCredentials(creds.list);
		const all = Object.values(wf);
		await n8n.importWorkflow(all.map(({ path, ...w }) => w));
		for (const w of all) await n8n.activateWorkflow(w.id);
		await n8n.start();
		// the wait-limit case waits for n8n's once-a-minute wait tracker: started first, it waits while the others run
		timeoutWaiting = await startAndWait(wf.timeout, 'Answer within seconds');
	}, 15 * 60_000);

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
		if (collector) await collector.close();
	});

	test('approval (v1): the message has two link buttons; the click resumes the waiting execution with approved: true', async () => {
		const waiting = await startAndWait(wf.approve, 'Approve invoice 17?');
		const msg = await view('Approve invoice 17?');
		expect(msg.buttons.map((b) => [b.text, b.type])).toEqual([['Yes, pay', 'link'], ['No', 'link']]);
		// the buttons name their message (signed with the rest of the URL), so the answer can edit it
		expect(msg.buttons[0].link).toMatch(new RegExp(`/webhook-waiting/${waiting.id}/[^?]+\\?approved=true&botId=${v1Bot}&messageId=${msg.id}&signature=`));
		const clicked = await click(msg.id, { userId: 2, button: 'Yes, pay' });
		expect(clicked.status).toBe(200);
		expect(clicked.body).toContain('Got it, thanks');
		const run = await finished(wf.approve, waiting.id);
		expect(run.status).toBe('success');
		expect(run.outputOf('Ask')[0].data).toEqual({ approved: true, respondedAt: expect.any(String) });
		const after = await view(msg.id);
		expect(after.buttons).toEqual([]);
		expect(after.text).toBe('Approve invoice 17?[br][br]✅ Approved');
	});

	test('decline (v2): the second button resumes with approved: false', async () => {
		const waiting = await startAndWait(wf.decline, 'Approve refund 5?');
		const msg = await view('Approve refund 5?');
		expect(msg.buttons.map((b) => b.text)).toEqual(['Approve', 'Decline']);
		expect((await click(msg.id, { userId: 3, button: 2 })).status).toBe(200);
		const run = await finished(wf.decline, waiting.id);
		expect(run.outputOf('Ask')[0].data).toMatchObject({ approved: false });
		const after = await view(msg.id);
		expect([after.text, after.buttons]).toEqual(['Approve refund 5?[br][br]❌ Declined', []]);
	});

	test('a changed or guessed link is refused by n8n and the execution keeps waiting; the real one still works', async () => {
		const waiting = await startAndWait(wf.tamper, 'Approve transfer 9?');
		const msg = await view('Approve transfer 9?');
		const real = new URL(msg.buttons[0].link);
		const flipped = new URL(real);
		flipped.searchParams.set('approved', 'false');
		const forged = new URL(real);
		forged.searchParams.set('signature', 'f'.repeat(real.searchParams.get('signature').length));
		const unsigned = new URL(real);
		unsigned.searchParams.delete('signature');
		const otherMessage = new URL(real); // the message the answer would edit is signed too
		otherMessage.searchParams.set('messageId', String(Number(real.searchParams.get('messageId')) - 1));
		for (const url of [flipped, forged, unsigned, otherMessage]) {
			const res = await fetch(url.toString());
			expect(res.status).toBe(401);
		}
		await sleep(500);
		expect((await executions(wf.tamper)).find((e) => e.id === waiting.id).status).toBe('waiting');
		expect((await click(msg.id, { userId: 3, button: 1 })).status).toBe(200);
		expect((await finished(wf.tamper, waiting.id)).outputOf('Ask')[0].data.approved).toBe(true);
	});

	test('free text (v1): the button opens the form page; the posted text resumes with data.text', async () => {
		const waiting = await startAndWait(wf.text, 'Why was order 3 late?');
		const msg = await view('Why was order 3 late?');
		expect(msg.buttons.map((b) => b.text)).toEqual(['Respond']);
		const page = await click(msg.id, { userId: 2, button: 1 });
		expect(page.status).toBe(200);
		expect(page.body).toContain('<h1>Order 3</h1>');
		expect(page.body).toContain('name="field-0"');
		const empty = await click(msg.id, { userId: 2, button: 1, form: { 'field-0': '  ' } });
		expect(empty.status).toBe(400);
		expect(empty.body).toContain('is required');
		expect((await executions(wf.text)).find((e) => e.id === waiting.id).status).toBe('waiting');
		const sent = await click(msg.id, { userId: 2, button: 1, form: { 'field-0': 'The courier was ill <b>sorry</b>' } });
		expect(sent.status).toBe(200);
		const run = await finished(wf.text, waiting.id);
		expect(run.outputOf('Ask')[0].data).toEqual({ text: 'The courier was ill <b>sorry</b>', respondedAt: expect.any(String) });
		expect(await view(msg.id)).toMatchObject({ text: 'Why was order 3 late?[br][br]✅ Answered', buttons: [] });
	});

	test('custom form (v2): the fields defined in the node come back under their labels', async () => {
		const waiting = await startAndWait(wf.form, 'Book the trip');
		const msg = await view('Book the trip');
		const page = await click(msg.id, { userId: 3, button: 1 });
		expect(page.body).toMatch(/<select id="field-1" name="field-1"><option value=""><\/option><option>Single<\/option><option>Double<\/option><\/select>/);
		expect((await click(msg.id, { userId: 3, button: 1, form: { 'field-0': 'two', 'field-1': 'Single' } })).status).toBe(400);
		if (process.env.E2E_SKIP_BROWSER === '1') {
			expect((await click(msg.id, { userId: 3, button: 1, form: { 'field-0': '3', 'field-1': 'Double', 'field-2': 'on' } })).status).toBe(200);
		} else {
			// the person's browser opens the button's link, fills the form in and submits it (screenshot: test-results)
			const browser = await launchBrowser({ viewport: { width: 640, height: 720 } });
			try {
				const tab = await browser.newPage();
				await tab.goto(msg.buttons[0].link);
				await tab.fill('#field-0', '3');
				await tab.selectOption('#field-1', 'Double');
				await tab.check('#field-2');
				await browser.screenshot(tab, `send-and-wait-form-${n8n.n8nVersion}`);
				await Promise.all([tab.waitForLoadState('load'), tab.click('button[type=submit]')]);
				await tab.waitForSelector('text=Got it, thanks');
				expect(browser.blockedRequests).toEqual([]);
			} finally {
				await browser.close();
			}
		}
		const run = await finished(wf.form, waiting.id);
		expect(run.outputOf('Ask')[0].data).toEqual({ Nights: 3, Room: 'Double', Breakfast: true, respondedAt: expect.any(String) });
		expect(await view(msg.id)).toMatchObject({ text: 'Book the trip[br][br]✅ Answered', buttons: [] });
	});

	test('in-chat answer (v1): a command button, the Chatbot Trigger hands the answer to the execution, the message shows it', async () => {
		const waiting = await startAndWait(wf.chat, 'Deploy release 4?');
		const msg = await view('Deploy release 4?');
		expect(msg.buttons.map((b) => [b.text, b.type, b.command])).toEqual([['Deploy', 'command', 'answer'], ['Stop', 'command', 'answer']]);
		expect(msg.buttons[0].params).toMatch(/^n8n-answer http:\/\/127\.0\.0\.1:\d+\/webhook-waiting\//);
		const triggerRunsBefore = (await executions(wf.trigger)).length;
		const pressed = await click(msg.id, { userId: 2, button: 'Deploy' });
		expect(pressed.deliveries[0].status).toBe(200);
		const run = await finished(wf.chat, waiting.id);
		// who answered is signed by the trigger with its credential's key and verified by the node
		expect(run.outputOf('Ask')[0].data).toMatchObject({ approved: true, responder: { id: 2, source: 'bitrix24', verified: true }, dialogId: '2', messageId: msg.id });
		const after = await view(msg.id);
		expect(after.buttons).toEqual([]);
		expect(after.text).toContain('Approved by');
		expect((await executions(wf.trigger)).length).toBe(triggerRunsBefore);
	});

	test('in-chat answer to a URL of this n8n that is no waiting webhook (one that redirects elsewhere): dropped without a request, the trigger says so', async () => {
		const sent = await rest(sb, 'imbot.message.add', {
			CLIENT_ID,
			BOT_ID: v1Bot,
			DIALOG_ID: '2',
			MESSAGE: 'A forged answer button',
			KEYBOARD: [{ TEXT: 'Forged', COMMAND: 'answer', COMMAND_PARAMS: `n8n-answer ${n8n.webhookUrl('saw-redirect')}?signature=forged` }],
		});
		const triggerRunsBefore = (await executions(wf.trigger)).length;
		const pressed = await click(Number(sent), { userId: 2, button: 'Forged' });
		expect(pressed.deliveries[0].status).toBe(200);
		expect(JSON.stringify(pressed.deliveries[0].body)).toContain('answer dropped: its URL is not a waiting webhook of this n8n');
		expect(collector.seen).toEqual([]);
		expect(await executions(wf.redirector)).toEqual([]);
		expect((await executions(wf.trigger)).length).toBe(triggerRunsBefore);
	});

	test('in-chat answer (v2): the v2 push trigger hands the decline over; the message shows it without buttons', async () => {
		const waiting = await startAndWait(wf.chatV2, 'Publish post 8?');
		const msg = await view('Publish post 8?');
		expect(msg.buttons.map((b) => b.type)).toEqual(['command', 'command']);
		const pressed = await click(msg.id, { userId: 3, button: 'Discard' });
		expect(pressed.deliveries[0].status).toBe(200);
		const run = await finished(wf.chatV2, waiting.id);
		expect(run.outputOf('Ask')[0].data).toMatchObject({ approved: false, responder: { id: 3, source: 'bitrix24', verified: true }, messageId: msg.id });
		const after = await view(msg.id);
		expect(after.buttons).toEqual([]);
		expect(after.text).toMatch(/Declined by/);
		expect(await executions(wf.triggerV2)).toEqual([]);
	});

	test('the AI Agent human-review tool: n8n 2.41 derives bitrix24ChatbotHitlTool from the operation; 2.0.3 has none', async () => {
		const loaded = await n8n.loadedNodeTypes();
		const hitl = loaded.nodeDescriptions.filter((n) => n.name === `${TYPES.chatbot}HitlTool`);
		if (n8n.n8nVersion.startsWith('2.0.')) {
			expect(hitl).toEqual([]);
			return;
		}
		expect(hitl.map((n) => n.version)).toEqual(expect.arrayContaining([2]));
		const v2 = hitl.find((n) => [n.version].flat().includes(2));
		const byName = (name) => v2.properties.filter((p) => p.name === name);
		// every resource's operation dropdown becomes a hidden "sendAndWait"
		expect(byName('operation').length).toBeGreaterThan(0);
		expect(byName('operation').every((p) => p.type === 'hidden' && p.default === 'sendAndWait')).toBe(true);
		expect(byName('message')).toHaveLength(1); // n8n's own (the tool call), ours dropped by name
		expect(byName('resource')).toEqual([expect.objectContaining({ type: 'hidden', default: 'message' })]);
		expect(byName('responseType')).toEqual([expect.objectContaining({ type: 'hidden', default: 'approval' })]);
		expect(JSON.stringify(v2.outputs)).toContain('ai_tool');
	});

	test('wait limit: without an answer the workflow goes on by itself with the input items', async () => {
		// started at the end of beforeAll; n8n's wait tracker looks for due executions once a minute.
		const run = await finished(wf.timeout, timeoutWaiting.id, 100_000);
		expect(run.status).toBe('success');
		const out = run.outputOf('Ask')[0];
		expect(out.data).toBeUndefined();
		expect(out).toHaveProperty('query');
	}, 120_000);
});
