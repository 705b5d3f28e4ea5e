'use strict';
/**
 * `npm run bench -- --latency [--n8n 2.0.3]` — how long from a user's message (sandbox) to the start of its execution,
 * in a real n8n 2.41.1 (or the version named), with the sandbox at cloud limits (2 requests/s, burst 50; imbot.v2 2/s per application):
 *  - push: Bitrix24 Chatbot Trigger v2 in webhook mode (the portal POSTs to n8n);
 *  - live fetch: the Bitrix24 Messenger Trigger (im.v2.Event.get) and, when built, the Chatbot Fetch Trigger v2 in
 *    live mode (imbot.v2.Event.get): (a) active conversation, a message within 20 s of the last; (b) the first
 *    message after 2 min idle;
 *  - scheduled fetch: the Chatbot Fetch Trigger v1 on n8n's poller (every minute, its floor): a small sample, and the
 *    figure it must tend to (uniform over the minute: p50 30 s, p95 57 s);
 *  - idle requests/s of each live trigger (reads counted at the sandbox over the quiet part of the idle window);
 *  - the same while a 1,000-message send (Chatbot node, same credential, same portal) runs: live latency during it,
 *    and the send's wall time against its floor.
 * Prints one JSON line per figure (stdout) and progress on stderr; asserts nothing. docs/triggers.md has the table.
 */
const { startSandbox } = require('../sandbox');
const { N8nInstance, sleep } = require('../test/e2e/lib/n8n');
const v2 = require('../sandbox/methods/imbotV2/triggers');
const users = require('../sandbox/methods/imbotV2/userTriggers');
const { benchWorkflow, CODE } = require('./lib/workflows');

const PACKAGE = 'n8n-nodes-bitrix24-chat';
const CLOUD = { rate: 2, burst: 50, v2Rate: 2, v2Burst: 50 };
const args = process.argv.slice(2);
const num = (flag, dflt) => (args.indexOf(flag) >= 0 ? Number(args[args.indexOf(flag) + 1]) : dflt);
const ACTIVE_ROUNDS = num('--active', 15);
const IDLE_SAMPLES = num('--idle-samples', 2);
const IDLE_MS = num('--idle-seconds', 125) * 1000;
const LOAD_ROUNDS = num('--load-rounds', 8);
const N8N_VERSION = args.indexOf('--n8n') >= 0 ? args[args.indexOf('--n8n') + 1] : '2.41.1';
const SEND_COUNT = 1000;
const SEND_HOOK = 'b7c1d2e3-0000-4000-8000-00000000bench';

function out(line) {
	process.stdout.write(`${JSON.stringify(line)}\n`);
}
function note(text) {
	process.stderr.write(`[latency] ${text}\n`);
}
const rl = (v) => ({ __rl: true, mode: 'id', value: String(v) });
function quantile(values, q) {
	if (!values.length) return null;
	const s = [...values].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
const secs = (ms) => (ms === null ? null : Math.round(ms) / 1000);

async function restCall(sb, token, method, params) {
	const res = await fetch(`${sb.url}/rest/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(params) });
	const body = await res.json();
	if (body.error) throw new Error(`${method}: ${body.error} ${body.error_description}`);
	return body.result;
}

function triggerWorkflow(id, node) {
	return { id, name: `latency ${id}`, nodes: [{ id: `${id}-t`, position: [0, 0], ...node }], connections: {}, settings: { executionOrder: 'v1' } };
}

/** Webhook → Code (1,000 items) → Chatbot (v1) Message → Send, on the same credential: started by one POST. */
function sendWorkflow(credential, botId) {
	const wf = benchWorkflow({ id: 'latSend', kind: 'chatbot', variant: 'ours', count: SEND_COUNT, tag: 'load', credential, botId });
	wf.nodes[0] = { id: 'hook', name: 'Hook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: SEND_HOOK, parameters: { path: 'latency-send', httpMethod: 'POST', responseMode: 'onReceived' } };
	wf.connections = { Hook: wf.connections.Manual, [CODE]: wf.connections[CODE] };
	return wf;
}

async function main() {
	const sb = await startSandbox({ port: 0, ...CLOUD, tokenTtl: 86400, logLimit: 2_000_000 });
	let n8n;
	try {
		const tokens = sb.issueTokens({ userId: 1 });
		const token = tokens.access_token;
		const pushBot = (await restCall(sb, token, 'imbot.v2.Bot.register', { fields: { code: 'lat_push', properties: { name: 'Push' } } })).bot.id;
		const liveBot = (await restCall(sb, token, 'imbot.v2.Bot.register', { fields: { code: 'lat_live', properties: { name: 'Live' } } })).bot.id;
		const pollBot = (await restCall(sb, token, 'imbot.v2.Bot.register', { fields: { code: 'lat_poll', properties: { name: 'Poll' } } })).bot.id;
		const sendBot = await restCall(sb, token, 'imbot.register', { CODE: 'lat_send', EVENT_HANDLER: 'https://example.com/bot', PROPERTIES: { NAME: 'Sender' } });

		n8n = await N8nInstance.create({ n8nVersion: N8N_VERSION });
		note(`n8n ${N8N_VERSION}`);
		const oauth = { portalUrl: sb.url, clientId: sb.oauth.clientId, clientSecret: sb.oauth.clientSecret, accessTokenUrl: sb.oauth.tokenUrl, applicationToken: sb.applicationToken, oauthTokenData: tokens };
		const credential = { id: 'latCloud', name: 'Bitrix24 OAuth2 (cloud limits)', type: 'bitrix24OAuth2Api', data: { ...oauth, rateLimit: 2, rateBurst: 50 } };
		await n8n.importCredentials([credential]);
		const cred = { bitrix24OAuth2Api: { id: credential.id, name: credential.name } };
		const base = { authentication: 'oAuth2', options: {} };
		const workflows = {
			push: triggerWorkflow('latPush', { name: 'Push', type: `${PACKAGE}.bitrix24ChatbotTrigger`, typeVersion: 2, webhookId: 'c0ffee00-0000-4000-8000-0000000push1', parameters: { ...base, events: ['ONIMBOTV2MESSAGEADD'], botId: rl(pushBot) }, credentials: cred }),
			messenger: triggerWorkflow('latMsgr', { name: 'Messenger', type: `${PACKAGE}.bitrix24MessengerTrigger`, typeVersion: 1, parameters: { ...base, events: ['ONIMV2MESSAGEADD'] }, credentials: cred }),
			liveBot: triggerWorkflow('latLive', { name: 'Live', type: `${PACKAGE}.bitrix24ChatbotFetchTrigger`, typeVersion: 2, parameters: { ...base, events: ['ONIMBOTV2MESSAGEADD'], botId: rl(liveBot) }, credentials: cred }),
			poll: triggerWorkflow('latPoll', { name: 'Poll', type: `${PACKAGE}.bitrix24ChatbotFetchTrigger`, typeVersion: 1, parameters: { ...base, pollTimes: { item: [{ mode: 'everyMinute' }] }, events: ['ONIMBOTV2MESSAGEADD'], botId: rl(pollBot) }, credentials: cred }),
		};
		await n8n.importWorkflow([...Object.values(workflows), sendWorkflow(credential, sendBot)]);
		await n8n.start();
		const types = (await n8n.loadedNodeTypes()).ours.nodes || [];
		note(`loaded: ${JSON.stringify(types)}`);
		const active = [];
		for (const [kind, wf] of Object.entries(workflows)) {
			try {
				await n8n.activateWorkflow(wf.id);
				active.push(kind);
			} catch (error) {
				note(`${kind}: not activated (${String(error.message).split('\n')[0]})`);
			}
		}
		await n8n.activateWorkflow('latSend');
		note(`active: ${active.join(', ')}`);
		await sleep(5000); // let the bots switch mode and the live loops settle

		/** Every message: { kind, phase, text, at }. */
		const sent = [];
		let seq = 0;
		const send = {
			push: (text) => v2.userMessage(sb.portal, pushBot, { userId: 2, text }),
			liveBot: (text) => v2.userMessage(sb.portal, liveBot, { userId: 2, text }),
			poll: (text) => v2.userMessage(sb.portal, pollBot, { userId: 2, text }),
			messenger: async (text) => users.message(sb.portal, 2, { dialogId: '1', text }),
		};
		async function round(phase, kinds) {
			for (const kind of kinds.filter((k) => active.includes(k))) {
				const text = `${kind}-${phase}-${++seq}`;
				const at = Date.now();
				sent.push({ kind, phase, text, at });
				void Promise.resolve(send[kind](text)).catch((e) => note(`${kind} send failed: ${e.message}`));
			}
		}
		const gap = () => 3000 + Math.floor(Math.random() * 9000); // 3–12 s: within 20 s of the last message

		note(`(a) active conversation: ${ACTIVE_ROUNDS} rounds`);
		for (let i = 0; i < ACTIVE_ROUNDS; i++) {
			// the first message has no message before it: it is a "first after quiet" sample, not an active-conversation one
			await round(i === 0 ? 'first' : 'active', i % 5 === 0 ? ['push', 'liveBot', 'messenger', 'poll'] : ['push', 'liveBot', 'messenger']);
			await sleep(gap());
		}
		note(`(b) after idle: ${IDLE_SAMPLES} × ${IDLE_MS / 1000} s`);
		const idleWindows = [];
		for (let i = 0; i < IDLE_SAMPLES; i++) {
			const from = Date.now();
			await sleep(IDLE_MS);
			idleWindows.push({ from: from + 60_000, to: Date.now() }); // the first minute is the decay after activity
			await round('idle', ['push', 'liveBot', 'messenger']);
			await sleep(8000);
		}
		note(`(c) during a ${SEND_COUNT}-message send`);
		const sendStart = Date.now();
		await fetch(n8n.webhookUrl('latency-send'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
		for (let i = 0; i < LOAD_ROUNDS; i++) {
			await round('load', ['liveBot', 'messenger']);
			await sleep(4000);
		}
		const sendDone = await waitForSend(n8n, 300_000);
		await sleep(15000); // the last deliveries

		// match every message with the start of the execution that carried it
		const startOf = new Map();
		const timesDelivered = new Map();
		for (const [kind, wf] of Object.entries(workflows)) {
			if (!active.includes(kind)) continue;
			// from n8n's database: the REST list pages 100 at a time
			const { rows: list } = await n8n.sqlite('query', [`SELECT id, startedAt FROM execution_entity WHERE workflowId = '${wf.id}' ORDER BY id`]);
			for (const e of list) {
				const run = await n8n.getExecution(e.id);
				for (const item of run.outputOf(wf.nodes[0].name) || []) {
					if (!item || !item.text) continue;
					const first = startOf.get(item.text);
					const at = typeof e.startedAt === 'number' ? e.startedAt : Date.parse(/Z|[+-]\d\d:?\d\d$/.test(String(e.startedAt)) ? e.startedAt : `${String(e.startedAt).replace(' ', 'T')}Z`);
					if (first === undefined || at < first) startOf.set(item.text, at);
					timesDelivered.set(item.text, (timesDelivered.get(item.text) || 0) + 1);
				}
			}
		}
		const log = sb.log();
		const readsOf = { messenger: 'im.v2.event.get', liveBot: 'imbot.v2.event.get' }; // the sandbox log keeps method names in lower case
		for (const kind of ['push', 'messenger', 'liveBot', 'poll']) {
			if (!active.includes(kind)) continue;
			for (const phase of ['first', 'active', 'idle', 'load']) {
				const mine = sent.filter((m) => m.kind === kind && m.phase === phase);
				if (!mine.length) continue;
				const lat = mine.filter((m) => startOf.has(m.text)).map((m) => startOf.get(m.text) - m.at);
				const duplicated = mine.filter((m) => (timesDelivered.get(m.text) || 0) > 1).length;
				out({ trigger: kind, phase, messages: mine.length, delivered: lat.length, lost: mine.length - lat.length, duplicated, p50s: secs(quantile(lat, 0.5)), p95s: secs(quantile(lat, 0.95)), maxs: secs(lat.length ? Math.max(...lat) : null) });
			}
			if (readsOf[kind]) {
				const method = readsOf[kind];
				const botParam = kind === 'liveBot' ? liveBot : undefined;
				const count = (w) => log.filter((e) => String(e.method).toLowerCase() === method && (botParam === undefined || Number(e.params && e.params.botId) === botParam) && Date.parse(e.at) >= w.from && Date.parse(e.at) <= w.to).length;
				const rates = idleWindows.map((w) => count(w) / ((w.to - w.from) / 1000));
				out({ trigger: kind, idleRequestsPerSecond: Math.round((rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length)) * 1000) / 1000 });
			}
		}
		out({ trigger: 'poll', computed: 'uniform over the 60 s poll interval', p50s: 30, p95s: 57 });
		// HTTP requests only (the sandbox also logs each command inside a batch, with inBatch: true)
		const sendReqs = log.filter((e) => !e.inBatch && ['batch', 'imbot.message.add'].includes(String(e.method).toLowerCase())).filter((e) => Date.parse(e.at) >= sendStart).length;
		const stored = [...sb.state.messages.values()].filter((m) => String(m.MESSAGE).startsWith('load-')).length;
		out({ send: SEND_COUNT, stored, wallS: secs(sendDone - sendStart), requests: sendReqs, floorS: Math.max(0, sendReqs - 50) / 2 });
	} finally {
		if (n8n) await n8n.cleanup();
		await sb.stop();
	}
}

/** The send workflow's execution end (bounded). */
async function waitForSend(n8n, timeoutMs) {
	const t0 = Date.now();
	for (;;) {
		const done = (await n8n.listExecutions({ workflowId: 'latSend' })).find((e) => e.status && !['new', 'running', 'waiting'].includes(e.status));
		if (done) return Date.parse(done.stoppedAt);
		if (Date.now() - t0 > timeoutMs) return Date.now();
		await sleep(500);
	}
}

module.exports = { main };
