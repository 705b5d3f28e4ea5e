'use strict';
/**
 * `npm run bench -- --latency --in-process` — the live fetch figures without a running n8n (no shared lock needed):
 * the built Messenger Trigger and Chatbot Fetch Trigger v2 run through n8n-core's own TriggerContext in this process,
 * against the sandbox at cloud limits (2 requests/s, burst 50; imbot.v2 2/s). The latency is message → emit (the
 * moment n8n would start the execution; a real n8n adds its own start-up of the run, tens of ms). Push and scheduled
 * fetch need a real n8n: bench/latency.js. Prints JSON lines; asserts nothing.
 */
require('reflect-metadata');
const path = require('node:path');
const { TriggerContext } = require('n8n-core');
const { Workflow } = require('n8n-workflow');
const { startSandbox } = require('../sandbox');
const v2 = require('../sandbox/methods/imbotV2/triggers');
const users = require('../sandbox/methods/imbotV2/userTriggers');

const DIST = path.join(__dirname, '..', 'dist', 'nodes');
const { Bitrix24WebhookApi } = require(path.join(__dirname, '..', 'dist', 'credentials', 'Bitrix24WebhookApi.credentials.js'));
const args = process.argv.slice(2);
const num = (flag, dflt) => (args.indexOf(flag) >= 0 ? Number(args[args.indexOf(flag) + 1]) : dflt);
const ACTIVE = num('--active', 15);
const IDLE_SAMPLES = num('--idle-samples', 2);
const IDLE_MS = num('--idle-seconds', 125) * 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const out = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const note = (text) => process.stderr.write(`[latency in-process] ${text}\n`);
function quantile(values, q) {
	if (!values.length) return null;
	const s = [...values].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** One active trigger through TriggerContext; `emitted` records [first item, time]. */
async function activate(nodeType, parameters, credentials, typeVersion, id) {
	const credentialName = 'bitrix24WebhookApi';
	const node = { id, name: id, type: `bench.${nodeType.description.name}`, typeVersion, position: [0, 0], parameters, credentials: { [credentialName]: { id, name: id } } };
	const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };
	const workflow = new Workflow({ id, nodes: [node], connections: {}, active: true, nodeTypes, staticData: {} });
	const helper = {
		getParentTypes: () => [],
		getDecrypted: async () => structuredClone(credentials),
		preAuthentication: async () => undefined,
		runPreAuthentication: async () => undefined,
		updateCredentials: async () => undefined,
		getCredentialsProperties: () => [],
		authenticate: async (c, _t, opts) => await new Bitrix24WebhookApi().authenticate(c, opts),
	};
	const additionalData = { credentialsHelper: helper, variables: {}, restApiUrl: '', instanceBaseUrl: '', userId: 'u' };
	const emitted = [];
	const emit = (data, _r, done) => {
		const at = Date.now();
		for (const item of data[0]) emitted.push({ text: item.json.text, at });
		if (done) void Promise.resolve().then(() => done.resolve({}));
	};
	const ctx = new TriggerContext(workflow, node, additionalData, 'trigger', 'activate', emit, () => undefined);
	const logger = {};
	for (const level of ['error', 'warn', 'info', 'debug']) logger[level] = (m) => (level === 'error' || level === 'warn' ? note(`${id}: ${m}`) : undefined);
	Object.defineProperty(ctx, 'logger', { value: logger });
	const response = await nodeType.trigger.call(ctx);
	return { emitted, close: () => response.closeFunction && response.closeFunction() };
}

async function main() {
	const sb = await startSandbox({ port: 0, rate: 2, burst: 50, v2Rate: 2, v2Burst: 50, logLimit: 1_000_000 });
	const hook = `${sb.url}/rest/1/sandboxwebhook/`;
	try {
		const reg = await fetch(`${hook}imbot.v2.Bot.register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fields: { code: 'lat_live', botToken: 'lat-token', properties: { name: 'Live' } } }) });
		const liveBot = (await reg.json()).result.bot.id;
		const { Bitrix24MessengerTrigger } = require(path.join(DIST, 'Bitrix24MessengerTrigger', 'Bitrix24MessengerTrigger.node.js'));
		const { Bitrix24ChatbotFetchTriggerV2 } = require(path.join(DIST, 'Bitrix24ChatbotFetchTrigger', 'v2', 'Bitrix24ChatbotFetchTriggerV2.node.js'));
		const creds = { webhookSecret: hook, botToken: 'lat-token', rateLimit: 2, rateBurst: 50 };
		const triggers = {
			messenger: await activate(new Bitrix24MessengerTrigger(), { authentication: 'webhook', events: ['ONIMV2MESSAGEADD'], options: {} }, creds, 1, 'messenger'),
			liveBot: await activate(new Bitrix24ChatbotFetchTriggerV2(), { authentication: 'webhook', events: ['ONIMBOTV2MESSAGEADD'], botId: { __rl: true, mode: 'id', value: String(liveBot) }, options: {} }, creds, 2, 'liveBot'),
		};
		const send = {
			messenger: (text) => users.message(sb.portal, 2, { dialogId: '1', text }),
			liveBot: (text) => v2.userMessage(sb.portal, liveBot, { userId: 2, text }),
		};
		const sent = [];
		let seq = 0;
		const round = async (phase) => {
			for (const kind of Object.keys(triggers)) {
				const text = `${kind}-${phase}-${++seq}`;
				sent.push({ kind, phase, text, at: Date.now() });
				await send[kind](text);
			}
		};
		await sleep(3000);
		note(`active: ${ACTIVE} messages each, 3–12 s apart`);
		for (let i = 0; i < ACTIVE; i++) {
			await round(i === 0 ? 'first' : 'active'); // the first has no message before it
			await sleep(3000 + Math.floor(Math.random() * 9000));
		}
		const windows = [];
		for (let i = 0; i < IDLE_SAMPLES; i++) {
			note(`idle ${i + 1}/${IDLE_SAMPLES}: ${IDLE_MS / 1000} s`);
			const from = Date.now();
			await sleep(IDLE_MS);
			windows.push({ from: from + 60_000, to: Date.now() });
			await round('idle');
			await sleep(8000);
		}
		await sleep(5000);
		const log = sb.log();
		const readOf = { messenger: 'im.v2.event.get', liveBot: 'imbot.v2.event.get' };
		for (const kind of Object.keys(triggers)) {
			const got = new Map();
			const times = new Map();
			for (const e of triggers[kind].emitted) {
				if (!got.has(e.text)) got.set(e.text, e.at);
				times.set(e.text, (times.get(e.text) || 0) + 1);
			}
			for (const phase of ['first', 'active', 'idle']) {
				const mine = sent.filter((m) => m.kind === kind && m.phase === phase);
				const lat = mine.filter((m) => got.has(m.text)).map((m) => got.get(m.text) - m.at);
				out({ mode: 'in-process', trigger: kind, phase, messages: mine.length, lost: mine.length - lat.length, duplicated: mine.filter((m) => (times.get(m.text) || 0) > 1).length, p50s: quantile(lat, 0.5) / 1000, p95s: quantile(lat, 0.95) / 1000 });
			}
			const rates = windows.map((w) => log.filter((e) => String(e.method).toLowerCase() === readOf[kind] && Date.parse(e.at) >= w.from && Date.parse(e.at) <= w.to).length / ((w.to - w.from) / 1000));
			out({ mode: 'in-process', trigger: kind, idleRequestsPerSecond: Math.round((rates.reduce((a, b) => a + b, 0) / Math.max(1, rates.length)) * 1000) / 1000 });
		}
		for (const t of Object.values(triggers)) await t.close();
	} finally {
		await sb.stop();
	}
}

module.exports = { main };
