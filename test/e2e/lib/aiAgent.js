'use strict';
// The AI support agent example (examples/ai-support-agent.json) against the sandbox and the local model: the portal
// set-up (a v2 bot as an Open Channel's welcome bot, its "answer" command, a managers' chat), the workflow with this
// run's ids, the customer's messages, and the three turns (question, refund with a manager's approval, hand-off) with
// what each turn called at the sandbox. Used by test/e2e/aiAgent.e2e.test.js, the demo's self-check and the bench.

const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { control } = require('./bitrix');

const EXAMPLE = path.resolve(__dirname, '..', '..', '..', 'examples', 'ai-support-agent.json');
const CONNECTOR = 'aiagent_shop';
const APPROVER = 4;
const OUTSIDER = 3;

/**
 * One REST call as the customer's or the portal admin's side would make it. The portal shares its request limit with
 * n8n's triggers reading it: a call refused with QUERY_LIMIT_EXCEEDED did not run and is sent again (at most 20 times,
 * 500 ms apart), as any Bitrix24 client does.
 */
async function portalCall(url, headers, method, params) {
	for (let attempt = 1; ; attempt++) {
		const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(params) });
		const body = await res.json();
		if (body.error === 'QUERY_LIMIT_EXCEEDED' && attempt < 20) {
			await new Promise((r) => setTimeout(r, 500));
			continue;
		}
		if (body.error) throw new Error(`${method}: ${body.error} ${body.error_description}`);
		return body.result;
	}
}

async function rest(sb, token, method, params) {
	return await portalCall(`${sb.url}/rest/${method}`, { authorization: `Bearer ${token}` }, method, params);
}

async function hook(sb, method, params) {
	return await portalCall(`${sb.webhookUrl}${method}`, {}, method, params);
}

/**
 * Portal set-up (not the code under test): a v2 bot (webhook credential's Bot Token) as line 1's welcome bot, with a
 * hidden "answer" command for in-chat approvals; a managers' chat with the approver and one person who is not one;
 * an active connector for the customer's side.
 */
async function setupAgentPortal(sb, { botToken }) {
	const token = sb.issueTokens({ userId: 1 }).access_token;
	const reg = await hook(sb, 'imbot.v2.Bot.register', { botToken, fields: { code: 'ai_support', type: 'openline', eventMode: 'fetch', properties: { name: 'Support Assistant' } } });
	const botId = reg.bot ? reg.bot.id : reg.id;
	await hook(sb, 'imbot.v2.Command.register', { botToken, botId, fields: { command: 'answer', hidden: true } });
	const chat = await hook(sb, 'imbot.v2.Chat.add', { botToken, botId, fields: { title: 'Refund approvals', userIds: [APPROVER, OUTSIDER] } });
	const managerDialog = chat.chat ? chat.chat.dialogId : chat.dialogId;
	// a line of its own (the demo's other examples use line 1): the bot welcomes, user 2 is the operators' queue
	const line = Number(await rest(sb, token, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Shop support', ACTIVE: 'Y', WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: botId, QUEUE: [{ ENTITY_TYPE: 'user', ENTITY_ID: '2' }] } }));
	await rest(sb, token, 'imconnector.register', { ID: CONNECTOR, NAME: 'Shop chat', ICON: { DATA_IMAGE: 'data:image/svg+xml;charset=US-ASCII,%3Csvg%2F%3E' }, PLACEMENT_HANDLER: 'https://example.com/settings' });
	await rest(sb, token, 'imconnector.activate', { CONNECTOR, LINE: line, ACTIVE: 1 });
	return { token, botId, line, managerDialog, approver: APPROVER, outsider: OUTSIDER, customers: new Map() };
}

/** The example with this run's bot, managers' chat, approver and credentials. */
function agentWorkflow(portal, { webhookCredential, modelCredential, id = 'b24DemoAiAgent' }) {
	const wf = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
	wf.id = id;
	for (const node of wf.nodes) {
		if (node.credentials && node.credentials.bitrix24WebhookApi) node.credentials = { bitrix24WebhookApi: { id: webhookCredential.id, name: webhookCredential.name } };
		if (node.credentials && node.credentials.openAiApi) node.credentials = { openAiApi: { id: modelCredential.id, name: modelCredential.name } };
		const p = node.parameters;
		if (node.name === 'Customer message') p.botId = { __rl: true, mode: 'id', value: String(portal.botId) };
		if (p.dialogId === 'chat0') p.dialogId = portal.managerDialog;
		if (node.name === 'Manager approval') p.options = { ...p.options, approvers: String(portal.approver) };
	}
	return wf;
}

/**
 * The Bitrix24 Webhook credential of the agent's bot: the portal's inbound webhook, the bot's Bot Token, and as
 * Application Token the one the sandbox puts on a webhook-owned v2 bot's events (md5 of its Bot Token).
 */
function agentWebhookCredential(sb, { botToken, id = 'b24AgentHook', name = 'Bitrix24 Webhook (AI agent bot)' }) {
	const applicationToken = crypto.createHash('md5').update(botToken).digest('hex');
	return { id, name, type: 'bitrix24WebhookApi', data: { webhookSecret: sb.webhookUrl, botToken, applicationToken } };
}

/** The openAiApi credential for the local model (n8n's OpenAI credential: API key + Base URL). */
function modelCredential(model) {
	return { id: 'b24demoModel', name: 'OpenAI-compatible model (local)', type: 'openAiApi', data: { apiKey: 'local-model-key', url: model.url } };
}

/**
 * The customer writes in the shop's chat: the connector delivers it to the Open Channel (imconnector.send.messages),
 * where the line's welcome bot gets it as its message event. Returns the Open Channel chat of this customer.
 */
async function customerSays(sb, portal, customer, text, { expectBot = true } = {}) {
	const n = (portal.sent = (portal.sent || 0) + 1);
	const botEvents = () => sb.deliveries().filter((d) => d.event === 'ONIMBOTV2MESSAGEADD').length;

	const eventsBefore = botEvents();
	const result = await rest(sb, portal.token, 'imconnector.send.messages', {
		CONNECTOR,
		LINE: portal.line,
		MESSAGES: [{ user: { id: customer, name: 'Klaus', last_name: 'Weber' }, message: { id: `m-${n}`, date: Math.floor(Date.now() / 1000), text }, chat: { id: customer, name: 'Shop' } }],
	});
	const el = result.DATA.RESULT[0];
	const chatId = Number(el.session.CHAT_ID);
	const dialog = { chatId, dialogId: `chat${chatId}`, userId: Number(el.user) };
	// the sandbox routes it to the line's welcome bot while the session is with the bot (sandbox/lineBotRouting.js)
	if (expectBot) await until(() => botEvents() > eventsBefore, { timeoutMs: 60_000, what: 'the bot event of the customer message' });
	return dialog;
}

/** Polls fn until it returns a truthy value, at most timeoutMs. */
async function until(fn, { timeoutMs = 60_000, every = 200, what = 'condition' } = {}) {
	const t0 = Date.now();
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, every));
	}
}

/** Calls of the set-up and the customer's side (connector, session look-ups): not our nodes' calls. */
const SIDE_CALLS = new Set(['imconnector.send.messages']);

/**
 * One turn's context: `{ sb, n8n, model, portal, workflowId, customer }` (customer: the connector's external chat id).
 * Each turn returns what the customer and the sandbox saw: the finished execution, our calls at the sandbox (method,
 * params, error), the bot's new messages per chat, the model's completions.
 */
function turnTools(ctx) {
	const { sb, n8n, portal } = ctx;
	const lastLogId = () => (sb.log().length ? sb.log()[sb.log().length - 1].id : 0);
	const lastMessageId = () => Math.max(0, ...sb.state.messages.keys());
	const chatNumber = (dialogId) => Number(String(dialogId).replace(/^chat/, ''));
	const executions = () => n8n.listExecutions({ workflowId: ctx.workflowId });
	const snapshot = async () => ({ log: lastLogId(), message: lastMessageId(), model: ctx.model.log.length, executions: new Set((await executions()).map((e) => e.id)), deliveries: sb.deliveries().length });
	const since = (snap) => ({
		calls: sb.log().filter((e) => e.id > snap.log && !SIDE_CALLS.has(e.method)).map((e) => ({ method: e.method, params: e.params, error: e.error, ms: e.ms })),
		botMessages: (dialogId) => [...sb.state.messages.values()].filter((m) => m.ID > snap.message && m.AUTHOR_ID === portal.botId && (!dialogId || m.CHAT_ID === chatNumber(dialogId))),
		completions: ctx.model.log.slice(snap.model),
	});
	const newExecution = async (snap, statuses, what) =>
		until(
			async () => {
				const found = (await executions()).find((e) => !snap.executions.has(e.id) && statuses.includes(e.status));
				return found;
			},
			{ timeoutMs: 90_000, what },
		);
	const finished = async (id) =>
		until(
			async () => {
				const e = (await executions()).find((x) => x.id === id);
				return e && !['new', 'running', 'waiting'].includes(e.status) ? n8n.getExecution(id) : undefined;
			},
			{ timeoutMs: 90_000, what: `execution ${id} to finish` },
		);
	return { snapshot, since, newExecution, finished, executions, chatNumber };
}

/** Turn 1: a question. The status shows, the agent answers in the same dialog. */
async function askQuestion(ctx, text = 'When are you open?') {
	const t = turnTools(ctx);
	const snap = await t.snapshot();
	const dialog = await customerSays(ctx.sb, ctx.portal, ctx.customer, text);
	const started = await t.newExecution(snap, ['success', 'error', 'crashed'], 'the agent run of the question');
	const run = await t.finished(started.id);
	const seen = t.since(snap);
	return { dialog, run, calls: seen.calls, answers: seen.botMessages(dialog.dialogId).map((m) => m.MESSAGE), completions: seen.completions };
}

/**
 * Turn 2: a refund. The agent's refund tool waits for the manager's approval in the managers' chat: first someone not
 * listed presses Approve (refused, told in the chat), then the listed approver; the refund is issued and confirmed.
 */
async function askRefund(ctx, text = 'I want a refund for order A-1001') {
	const t = turnTools(ctx);
	const { sb, portal } = ctx;
	const snap = await t.snapshot();
	const dialog = await customerSays(sb, portal, ctx.customer, text);
	const waiting = await t.newExecution(snap, ['waiting', 'error', 'crashed'], 'the agent run to wait for the approval');
	if (waiting.status !== 'waiting') return { dialog, run: await ctx.n8n.getExecution(waiting.id), calls: t.since(snap).calls, waited: false };
	const request = await until(() => t.since(snap).botMessages(portal.managerDialog).find((m) => m.KEYBOARD), { timeoutMs: 30_000, what: 'the approval request in the managers\' chat' });
	const beforeOutsider = await t.snapshot();
	const outsider = await control(sb, `messages/${request.ID}/click`, { userId: portal.outsider, button: 'Approve refund' });
	const refusal = await until(() => t.since(beforeOutsider).botMessages(portal.managerDialog).find((m) => /may not answer/.test(m.MESSAGE)), { timeoutMs: 30_000, what: 'the refusal in the managers\' chat' });
	const stillWaiting = (await t.executions()).find((e) => e.id === waiting.id).status === 'waiting';
	const approver = await control(sb, `messages/${request.ID}/click`, { userId: portal.approver, button: 'Approve refund' });
	const run = await t.finished(waiting.id);
	const seen = t.since(snap);
	return {
		dialog,
		waited: true,
		run,
		calls: seen.calls,
		request,
		refusal: refusal.MESSAGE,
		stillWaitingAfterRefusal: stillWaiting,
		clicks: [outsider, approver],
		managerMessages: seen.botMessages(portal.managerDialog).map((m) => m.MESSAGE),
		answers: seen.botMessages(dialog.dialogId).map((m) => m.MESSAGE),
		completions: seen.completions,
	};
}

/**
 * Turn 3: the customer asks for a person. The session goes to the line's operator (imopenlines.bot.session.operator),
 * the bot leaves the chat, nothing more is sent; then the customer writes again and the bot receives nothing.
 */
async function askPerson(ctx, text = 'Can I talk to a person, please?') {
	const t = turnTools(ctx);
	const { sb, portal } = ctx;
	const snap = await t.snapshot();
	const dialog = await customerSays(sb, portal, ctx.customer, text);
	const started = await t.newExecution(snap, ['success', 'error', 'crashed'], 'the agent run of the hand-off');
	const run = await t.finished(started.id);
	const seen = t.since(snap);
	// what the sandbox shows of the dialog (GET /sandbox/openlines/sessions): who has it now
	const sessions = await (await fetch(`${sb.url}/sandbox/openlines/sessions`)).json();
	const shown = sessions.dialogs.find((d) => d.chatId === dialog.chatId);
	const chat = sb.state.chats.get(dialog.chatId);
	const after = await t.snapshot();
	await customerSays(sb, portal, ctx.customer, 'Hello? Is anyone there?', { expectBot: false });
	// the operator who has the dialog answers (the sandbox answers once its deliveries are done): by then a bot event
	// of the customer's message, routed synchronously with it, would have been delivered
	const operatorReply = await control(sb, 'openlines/operator-reply', { connector: CONNECTOR, line: portal.line, chatId: ctx.customer, text: 'Hi, I am Anna from support.' });
	const botEventsAfter = sb.deliveries().slice(after.deliveries).filter((d) => /^ONIMBOTV2/.test(d.event || ''));
	const executionsAfter = (await t.executions()).filter((e) => !after.executions.has(e.id));
	return {
		dialog,
		run,
		calls: seen.calls,
		answers: seen.botMessages(dialog.dialogId).map((m) => m.MESSAGE),
		session: shown && { status: shown.status, operatorId: shown.operatorId, heldBy: shown.heldBy },
		botInChat: Boolean(chat && chat.USERS.includes(portal.botId)),
		botEventsAfter,
		executionsAfter,
		operatorReply,
		callsAfter: t.since(after).calls,
		completions: seen.completions,
	};
}

const newId = () => crypto.randomUUID();

module.exports = { setupAgentPortal, agentWorkflow, agentWebhookCredential, modelCredential, customerSays, until, rest, hook, askQuestion, askRefund, askPerson, turnTools, EXAMPLE, CONNECTOR, newId };
