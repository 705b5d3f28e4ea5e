'use strict';
// The demo's self-check: the echo bot answers a sandbox user, and the connector relay works both ways
// (outside messenger → n8n webhook → Open Channel; operator reply → trigger → outside messenger).
// Every check prints one PASS or FAIL line; resolves true when all passed.

const crypto = require('node:crypto');
const { BOT_CODE, CONNECTOR_ID } = require('./setup');

const WAIT_MS = 30000;

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

async function until(what, probe, timeoutMs = WAIT_MS) {
	const t0 = Date.now();
	for (;;) {
		const value = probe();
		if (value) return value;
		if (Date.now() - t0 > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
		await sleep(200);
	}
}

async function postJson(url, body) {
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	if (!res.ok) throw new Error(`POST ${url} → HTTP ${res.status}: ${text.slice(0, 300)}`);
	return json;
}

function deliveryProblem(reply) {
	const deliveries = (reply && reply.deliveries) || [];
	if (deliveries.length === 0) return 'the portal had no handler to deliver the event to (is the workflow active?)';
	const bad = deliveries.find((d) => d.status !== 200);
	return bad ? `n8n answered the event with HTTP ${bad.status}: ${String(bad.body || '').slice(0, 200)}` : '';
}

async function checkEchoBot({ sb }) {
	const bot = [...sb.state.bots.values()].find((b) => b.CODE === BOT_CODE);
	if (!bot) throw new Error(`no bot with code ${BOT_CODE}: the Bitrix24 Chatbot Trigger did not register it on activation`);
	const text = `hello from the self-check ${crypto.randomBytes(3).toString('hex')}`;
	const reply = await postJson(`${sb.url}/sandbox/bots/${bot.ID}/user-message`, { userId: 2, text });
	const problem = deliveryProblem(reply);
	if (problem) throw new Error(problem);
	const answer = await until('the echo answer', () =>
		[...sb.state.messages.values()].find((m) => m.AUTHOR_ID === bot.ID && m.MESSAGE === `Echo: ${text}`),
	);
	const userMessage = sb.state.messages.get(Number(reply.messageId)) || {};
	if (userMessage.CHAT_ID !== undefined && userMessage.CHAT_ID !== answer.CHAT_ID) {
		throw new Error(`the bot answered in chat ${answer.CHAT_ID}, the user wrote in chat ${userMessage.CHAT_ID}`);
	}
	return `echo bot ${bot.ID}: Boris wrote "${text}", the bot answered "${answer.MESSAGE}" in the same dialog`;
}

async function checkRelayIn({ sb, relayWebhookUrl, ctx }) {
	const chatId = `selfcheck-${crypto.randomBytes(3).toString('hex')}`;
	const text = 'Hi, I would like to know my order status';
	const out = await postJson(relayWebhookUrl, { chatId, userId: `${chatId}-user`, name: 'Max', text });
	const stored = await until('the customer message in the line', () =>
		sb.state.connectorMessages.find((m) => m.connector === CONNECTOR_ID && m.externalChatId === chatId && m.text === text),
	);
	ctx.relayChatId = chatId;
	return `relay in: POST ${relayWebhookUrl} → line ${stored.line} got "${text}" (Bitrix24 chat ${stored.chatId}${out && out.success ? ', success' : ''})`;
}

async function checkRelayOut({ sb, messenger, ctx }) {
	if (!ctx.relayChatId) throw new Error('skipped: relay in failed, so there is no dialog to answer');
	const text = `Your order ships today (${crypto.randomBytes(3).toString('hex')})`;
	const reply = await postJson(`${sb.url}/sandbox/openlines/operator-reply`, {
		connector: CONNECTOR_ID,
		line: 1,
		chatId: ctx.relayChatId,
		text,
		userId: 1,
	});
	const problem = deliveryProblem(reply);
	if (problem) throw new Error(problem);
	const got = await messenger.waitFor((m) => m.chatId === ctx.relayChatId && String(m.text).includes(text), WAIT_MS);
	await until('the delivery confirmation', () => {
		const m = sb.state.operatorMessages.get(Number(reply.messageId));
		return m && m.delivered;
	});
	return `relay out: operator reply "${text}" → outside messenger got ${JSON.stringify(got.text)} for chat ${got.chatId}; the portal shows it delivered`;
}

const CHECKS = [
	['echo bot answers a user', checkEchoBot],
	['outside messenger → Open Channel', checkRelayIn],
	['operator reply → outside messenger', checkRelayOut],
	...require('./aiAgent').CHECKS,
];

async function selfCheck(env, print) {
	const ctx = {};
	let ok = true;
	for (const [name, check] of CHECKS) {
		try {
			const detail = await check({ ...env, ctx });
			print(`PASS ${name} — ${detail}`);
		} catch (error) {
			ok = false;
			print(`FAIL ${name} — ${error.message}`);
		}
	}
	return ok;
}

module.exports = { selfCheck };
