'use strict';
// Send and Wait for Response in queue mode, driven as a user would (the queue suite and `npm run bench -- --queue`):
// GETs of a Webhook-started workflow (test/queue/workflows.js sendAndWaitWorkflow) through the webhook processor put
// executions into `waiting` (read from PostgreSQL); a sandbox user then presses a button of each message
// (POST /sandbox/messages/:id/click): a LINK button opens n8n's signed resume URL, a COMMAND button sends the command
// event to the Chatbot Trigger, which hands the answer on to that URL. The resumed part runs on some worker.

const { control } = require('../e2e/lib/bitrix');
const { sleep } = require('../e2e/lib/n8n');

/** A call of the portal's inbound webhook (portal set-up, not the code under test). */
async function portalCall(sb, method, params) {
	const res = await fetch(`${sb.webhookUrl}${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
	const body = await res.json();
	if (body.error) throw new Error(`${method}: ${body.error} ${body.error_description}`);
	return body.result;
}

/** Portal set-up: a v1 bot of `clientId` with a hidden "answer" command (for in-chat answers): { botId, commandId }. */
async function registerAskBot(sb, { clientId, code }) {
	const botId = await portalCall(sb, 'imbot.register', { CLIENT_ID: clientId, CODE: code, TYPE: 'B', EVENT_HANDLER: 'http://127.0.0.1:9/none', PROPERTIES: { NAME: `Approver ${code}` } });
	const commandId = await portalCall(sb, 'imbot.command.register', { CLIENT_ID: clientId, BOT_ID: botId, COMMAND: 'answer', EVENT_COMMAND_ADD: 'http://127.0.0.1:9/none', HIDDEN: 'Y', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Answer' }] });
	return { botId, commandId };
}

/** The message as the sandbox user sees it (GET /sandbox/messages/:id). */
async function viewMessage(sb, id) {
	const res = await fetch(`${sb.url}/sandbox/messages/${id}`);
	return res.json();
}

/** The execution a button resumes: from a link (`…/webhook-waiting/<id>/…`) or command params (`n8n-answer <url>`). */
function executionOfButton(button) {
	const m = /\/webhook-waiting\/(\d+)\//.exec(button.link || button.params || '');
	return m ? m[1] : undefined;
}

/**
 * Starts the workflow once per label (GET <webhook>?n=<label>, all at once) and resolves, once all are `waiting` in
 * PostgreSQL and their messages are in the chat: [{ label, executionId, message }] (message as the user sees it).
 */
async function startWaiting(cluster, sb, { workflowId, webhookPath, text, labels, timeoutMs = 120_000 }) {
	const answers = await Promise.all(labels.map((n) => fetch(`${cluster.webhookUrl(webhookPath)}?n=${encodeURIComponent(n)}`)));
	const refused = answers.filter((r) => r.status !== 200).map((r) => r.status);
	if (refused.length) throw new Error(`${workflowId}: webhook answered ${refused.join(', ')}`);
	const t0 = Date.now();
	for (;;) {
		const waiting = await cluster.executionIdsWithStatus(workflowId, 'waiting');
		const messages = labels.map((n) => [...sb.state.messages.values()].find((m) => m.MESSAGE === `${text} ${n}?` && m.KEYBOARD));
		if (waiting.length >= labels.length && messages.every(Boolean)) {
			const out = [];
			for (const [i, label] of labels.entries()) {
				const message = await viewMessage(sb, messages[i].ID);
				out.push({ label, executionId: executionOfButton(message.buttons[0]), message });
			}
			return out;
		}
		if (Date.now() - t0 > timeoutMs) throw new Error(`${workflowId}: ${waiting.length} of ${labels.length} executions waiting after ${timeoutMs} ms (${JSON.stringify(await cluster.executionStatuses(workflowId))})`);
		await sleep(250);
	}
}

/** The saved status, stop time and Ask output of an execution once it is no longer new/running/waiting (bounded). */
async function settled(cluster, executionId, deadline) {
	for (;;) {
		const [[status, stoppedAt] = []] = await cluster.services.psql(`SELECT status, "stoppedAt" FROM execution_entity WHERE id = ${Number(executionId)}`);
		if (status && !['new', 'running', 'waiting'].includes(status)) return { status, stoppedAt: Date.parse(stoppedAt) };
		if (Date.now() > deadline) return { status: status || 'missing' };
		await sleep(250);
	}
}

/**
 * Presses `button` (label or 1-based index) on each waiting message, all at once, as sandbox user `userId`, and
 * resolves per execution: { executionId, clickStatus, status, data (the Ask node's `data`), resumedOn (the workers
 * that started it after the click), clickToFinishedMs (click sent → the execution's saved stop time) }.
 */
async function answerAll(cluster, sb, waiting, { button = 1, userId = 2, timeoutMs = 120_000 } = {}) {
	const before = Object.fromEntries(waiting.map((w) => [w.executionId, cluster.startsOf(w.executionId)]));
	const deadline = Date.now() + timeoutMs;
	return Promise.all(waiting.map(async (w) => {
		const clickedAt = Date.now();
		const clicked = await control(sb, `messages/${w.message.id}/click`, { userId, button });
		const clickStatus = clicked.status !== undefined ? clicked.status : (clicked.deliveries || []).map((d) => d.status).join(',');
		const end = await settled(cluster, w.executionId, deadline);
		const run = end.status === 'success' ? await cluster.main.getExecution(w.executionId) : undefined;
		const ask = run ? run.outputOf('Ask') || [] : [];
		return {
			executionId: w.executionId,
			clickStatus,
			status: end.status,
			items: ask.length,
			data: ask[0] && ask[0].data,
			resumedOn: cluster.startedSince(w.executionId, before[w.executionId]),
			clickToFinishedMs: end.stoppedAt ? end.stoppedAt - clickedAt : undefined,
		};
	}));
}

module.exports = { registerAskBot, startWaiting, answerAll, viewMessage };
