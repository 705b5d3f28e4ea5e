'use strict';
/**
 * `npm run bench -- --queue`: our nodes in n8n 2.41.1 queue mode — main + 2 workers (concurrency 10) + a webhook
 * processor on real Redis and PostgreSQL (scripts/queue-services.js) — against one sandbox portal at cloud limits
 * (2 requests/s, burst 50; its leaky bucket counts every process's requests together). Prints one JSON line per
 * scenario; asserts nothing (docs/benchmarks.md "Queue mode").
 *
 *  queue-3x5000        3 workflows × 5,000 chatbot messages started at once (3 POSTs to the webhook processor), run on
 *                      the workers: failed / duplicated / lost items, wall vs the leaky-bucket floor for the 15,000
 *  queue-events-1000   1,000 bot events through the webhook processor → executions
 *  queue-fetch-once    a Chatbot Fetch Trigger (poll every minute): Event.get calls per minute across all processes,
 *                      events delivered
 *  queue-expiry        2 executions × 100 messages on one OAuth2 credential with its access token expired, the 401s
 *                      held until both are there → failed items, refreshes granted / refused, workers used
 *  pacing-sim          the pacer alone on a simulated clock, with and without the AIMD share (also `--pacing-sim`)
 *  queue-send-and-wait 20 Webhook → Chatbot "Send and Wait for Response" (approval) executions waiting at once, then
 *                      20 clicks on the Approve links at once (n8n's resume URL on the webhook processor) → resumed,
 *                      lost, duplicated, which workers ran the first and the resumed part, click → finished times
 *
 * `npm run bench -- --queue --only queue-send-and-wait` runs the cluster with only the named scenarios (comma list).
 */
const path = require('node:path');
const crypto = require('node:crypto');
const { startSandbox } = require('../sandbox');
const { startServices } = require('../scripts/queue-services');
const { QueueCluster } = require('../test/e2e/lib/queue');
const { sandboxCredentials, control, appCall } = require('../test/e2e/lib/bitrix');
const { httpRequest, sleep } = require('../test/e2e/lib/n8n');
const { countingWorkflow, fetchWorkflow, echoBotWorkflow, sendAndWaitWorkflow } = require('../test/queue/workflows');
const { registerAskBot, startWaiting, answerAll } = require('../test/queue/sendAndWait');
const v2 = require('../sandbox/methods/imbotV2/triggers');
const { account } = require('./lib/accounting');
const { benchWorkflow, NODE } = require('./lib/workflows');

const { simulatePacing } = require('./lib/pacingSim');

const TRANSPORT = path.join(__dirname, '..', 'dist', 'nodes', 'Bitrix24', 'transport');
const pacer = require(path.join(TRANSPORT, 'pacer'));
const { RETRY } = require(path.join(TRANSPORT, 'request'));
const { PACING } = pacer;

const CLOUD = { rate: 2, burst: 50 };
const WORKFLOWS = 3;
const MESSAGES = 5000;
const EVENTS = 1000;
const EXPIRY_ITEMS = 100;
const TICK_MS = 75_000;
const SIM_SEEDS = 20;
const WAITING = 20;

function out(line) {
	process.stdout.write(`${JSON.stringify(line)}\n`);
}
function note(text) {
	process.stderr.write(`[bench --queue] ${text}\n`);
}

/** A bench workflow (Code → Send) started by an n8n Webhook node instead of the Manual Trigger: it runs on a worker. */
function webhookStarted(workflow, webhookPath) {
	const [, ...rest] = workflow.nodes;
	const hook = {
		id: crypto.randomUUID(),
		name: 'Start',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: crypto.randomUUID(),
		parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
	};
	const code = rest[0].name;
	const { Manual: _manual, ...connections } = workflow.connections;
	return { ...workflow, nodes: [hook, ...rest], connections: { ...connections, Start: { main: [[{ node: code, type: 'main', index: 0 }]] } } };
}

function floorMs(requests) {
	return Math.round((Math.max(0, requests - CLOUD.burst) / CLOUD.rate) * 1000);
}

async function runMessages(cluster, sb, ctx) {
	const runs = Array.from({ length: WORKFLOWS }, (_, i) => {
		const tag = `queue${i}`;
		const hookPath = `qbench${i}`;
		const wf = webhookStarted(benchWorkflow({ id: `qb${i}`, kind: 'chatbot', variant: 'ours', count: MESSAGES, tag, credential: ctx.cloud, botId: ctx.botId, connector: 'none', restBase: `${sb.url}/rest/` }), hookPath);
		return { tag, wf, hookPath };
	});
	await cluster.main.importWorkflow(runs.map((r) => r.wf));
	for (const r of runs) await cluster.main.activateWorkflow(r.wf.id);
	sb.configure({ ...CLOUD, faultRate: 0, latencyMs: 0 }); // empties the portal's bucket
	sb.portal.log.clear();
	note(`${WORKFLOWS} workflows x ${MESSAGES} messages, started at once through the webhook processor`);
	const started = Date.now();
	const answers = await Promise.all(runs.map((r) => httpRequest({ port: cluster.webhookPort, method: 'POST', path: `/webhook/${r.hookPath}`, body: {} })));
	const ids = [];
	for (const r of runs) ids.push(...(await cluster.waitForFinished(r.wf.id, 1, { timeoutMs: 20 * 60_000 })));
	const log = sb.log();
	let failed = 0;
	let duplicated = 0;
	let lost = 0;
	let outputMismatch = 0;
	let firstStart = Infinity;
	let lastEnd = 0;
	const perWorkflow = [];
	for (const [i, r] of runs.entries()) {
		const run = await cluster.main.getExecution(ids[i]);
		const task = (run.runData[NODE] || [])[0];
		if (!task) throw new Error(`${r.wf.id}: the node did not run: ${JSON.stringify(run.error)}`);
		firstStart = Math.min(firstStart, task.startTime);
		lastEnd = Math.max(lastEnd, task.startTime + task.executionTime);
		const report = account({ kind: 'chatbot', tag: r.tag, count: MESSAGES, items: run.itemsOf(NODE) || [], state: sb.state, log });
		failed += report.failedItems;
		duplicated += report.duplicated;
		lost += report.lost;
		outputMismatch += report.itemsWithoutOutput + report.itemsWithSeveralOutputs + report.pairedItemWrong;
		perWorkflow.push({ workflow: r.wf.id, worker: cluster.workerOf(ids[i]), wallMs: task.executionTime, okItems: report.okItems, failedItems: report.failedItems, errorCodes: report.errorCodes, requestsCarryingItems: report.requestsCarryingItems });
	}
	const requests = log.filter((e) => !e.inBatch);
	const accepted = requests.filter((e) => e.status === 200).length;
	const refused = requests.filter((e) => e.error === 'QUERY_LIMIT_EXCEEDED').length;
	const wallMs = lastEnd - firstStart;
	const floor = floorMs(accepted);
	out({
		scenario: 'queue-3x5000',
		workflows: WORKFLOWS,
		messages: WORKFLOWS * MESSAGES,
		failedItems: failed,
		duplicated,
		lost,
		outputMismatch,
		wallMs,
		floorMs: floor,
		overFloorPct: floor ? Math.round(((wallMs - floor) / floor) * 1000) / 10 : null,
		acceptedRequests: accepted,
		refusedRequests: refused,
		webhookAnswers: answers.map((a) => a.status),
		startToLastEndMs: Date.now() - started,
		perWorkflow,
		pacing: PACING,
		wallDefinition: 'first Send node start to last Send node end over the 3 executions (their executionTime in the saved executions)',
		floorDefinition: 'max(0, acceptedRequests - 50) / 2 s: the burst at once, then the portal drain rate',
	});
}

async function runEvents(cluster, sb, ctx) {
	await cluster.main.activateWorkflow('qbCount');
	const bot = [...sb.state.bots.values()].find((b) => b.CODE === 'qbench_count');
	const statuses = {};
	const t0 = Date.now();
	const queue = Array.from({ length: EVENTS }, (_, i) => i);
	await Promise.all(Array.from({ length: 20 }, async () => {
		while (queue.length > 0) {
			const i = queue.shift();
			const sent = await control(sb, `bots/${bot.ID}/user-message`, { userId: 2, text: `event ${i}` });
			for (const d of sent.deliveries) statuses[d.status] = (statuses[d.status] || 0) + 1;
		}
	}));
	const deliveredMs = Date.now() - t0;
	let ids = [];
	try {
		ids = await cluster.waitForFinished('qbCount', EVENTS, { timeoutMs: 10 * 60_000 });
	} catch (error) {
		note(error.message);
	}
	await sleep(2000);
	out({ scenario: 'queue-events-1000', events: EVENTS, deliveries: statuses, executions: await cluster.executionStatuses('qbCount'), perWorker: cluster.executionsPerWorker(ids), deliveredMs, allDoneMs: Date.now() - t0 });
	await cluster.main.deactivateWorkflow('qbCount');
}

async function runFetch(cluster, sb, ctx) {
	const texts = ['pull one', 'pull two', 'pull three'];
	const queue = () => (sb.state.imbotV2.queues.get(`bot:${ctx.fetchBotId}`) || { events: [] }).events;
	for (let i = 0; queue().length > 0 && i < (TICK_MS * 2) / 500; i++) await sleep(500);
	await cluster.main.deactivateWorkflow('qbFetch');
	const ids = await cluster.finishedExecutionIds('qbFetch');
	const delivered = [];
	for (const id of ids) delivered.push(...(await cluster.main.getExecution(id)).outputOf('Bot Queue').map((item) => item.text));
	const polls = sb.log().filter((e) => e.method.toLowerCase() === 'imbot.v2.event.get' && Date.parse(e.at) >= ctx.fetchActivatedAt);
	const perMinute = {};
	for (const p of polls) {
		const minute = new Date(Math.floor(Date.parse(p.at) / 60_000) * 60_000).toISOString().slice(11, 16);
		perMinute[minute] = (perMinute[minute] || 0) + 1;
	}
	out({
		scenario: 'queue-fetch-once',
		eventsSent: texts.length,
		eventsDelivered: delivered.length,
		deliveredOnce: JSON.stringify(delivered) === JSON.stringify(texts),
		executions: ids.length,
		pollsPerMinute: perMinute,
		queueLeft: queue().length,
		pollersRunOn: 'main (the leader); workers and the webhook processor do not poll',
	});
}

async function runExpiry(cluster, sb) {
	await cluster.main.activateWorkflow('qbExpiry');
	const bot = [...sb.state.bots.values()].find((b) => b.CODE === 'qbench_expiry');
	sb.configure({ ...CLOUD });
	sb.expireTokens();
	sb.scheduleExpiryRace({ callers: 2, timeoutMs: 60_000 });
	const before = { ...sb.portal.tokens.stats };
	await Promise.all(['expiry a', 'expiry b'].map((text) => control(sb, `bots/${bot.ID}/user-message`, { userId: 2, text })));
	const ids = await cluster.waitForFinished('qbExpiry', 2, { timeoutMs: 5 * 60_000 });
	let failed = 0;
	let items = 0;
	for (const id of ids) {
		const replies = (await cluster.main.getExecution(id)).outputOf('Reply') || [];
		items += replies.length;
		failed += replies.filter((r) => r.error).length;
	}
	const stored = [...sb.state.messages.values()].filter((m) => m.AUTHOR_ID === bot.ID).map((m) => m.MESSAGE);
	out({
		scenario: 'queue-expiry',
		executions: ids.length,
		workers: ids.map((id) => cluster.workerOf(id)),
		items,
		failedItems: failed,
		stored: stored.length,
		duplicated: stored.length - new Set(stored).size,
		expired401: sb.log().filter((e) => e.status === 401).length,
		refreshesGranted: sb.portal.tokens.stats.refreshed - before.refreshed,
		refreshesRefused: sb.portal.tokens.stats.refused - before.refused,
	});
	await cluster.main.deactivateWorkflow('qbExpiry');
}

async function runSendAndWait(cluster, sb, ctx) {
	await cluster.main.activateWorkflow('qbSaw');
	sb.configure({ ...CLOUD });
	const labels = Array.from({ length: WAITING }, (_, i) => String(i + 1));
	const t0 = Date.now();
	const waiting = await startWaiting(cluster, sb, { workflowId: 'qbSaw', webhookPath: 'qbench-saw', text: 'Approve order', labels, timeoutMs: 5 * 60_000 });
	const waitingMs = Date.now() - t0;
	const results = await answerAll(cluster, sb, waiting, { button: 1, timeoutMs: 5 * 60_000 });
	const ms = results.map((r) => r.clickToFinishedMs).filter((n) => n !== undefined).sort((a, b) => a - b);
	const count = (names) => names.reduce((acc, n) => ({ ...acc, [n]: (acc[n] || 0) + 1 }), {});
	const stored = await cluster.executionStatuses('qbSaw');
	out({
		scenario: 'queue-send-and-wait',
		executions: WAITING,
		waiting: waiting.length,
		startToAllWaitingMs: waitingMs,
		clicksAnswered: count(results.map((r) => String(r.clickStatus))),
		resumed: results.filter((r) => r.status === 'success' && r.data && r.data.approved === true).length,
		lost: results.filter((r) => r.status !== 'success').length,
		duplicated: results.filter((r) => r.resumedOn.length > 1 || r.items > 1).length,
		executionsStored: stored,
		firstPartOn: count(waiting.map((w) => cluster.workerOf(w.executionId) || 'none')),
		resumedOn: count(results.flatMap((r) => (r.resumedOn.length ? r.resumedOn : ['none']))),
		resumedElsewhere: results.filter((r, i) => r.resumedOn[0] && r.resumedOn[0] !== cluster.workerOf(waiting[i].executionId)).length,
		clickToFinishedMs: ms.length ? { min: ms[0], median: ms[Math.floor(ms.length / 2)], max: ms[ms.length - 1] } : null,
		route: 'clicks open the link in the message: n8n\'s signed resume URL, WEBHOOK_URL (the webhook processor) + /webhook-waiting/<execution>/<node>',
		definition: 'clickToFinishedMs: click sent to the sandbox → the execution\'s stoppedAt in PostgreSQL; all 20 clicked at once',
	});
	await cluster.main.deactivateWorkflow('qbSaw');
}

/**
 * `npm run bench -- --pacing-sim` (also printed by --queue): the pacer on a simulated clock (bench/lib/pacingSim.js),
 * several processes on one portal at cloud limits, 10 seeds each, with the AIMD share and without it (the share
 * never cut: what per-process pacing did before). No n8n, a few seconds.
 */
function pacingComparison() {
	const saved = PACING.decrease;
	const setups = [[[2, 1], 100], [[1, 1, 1], 100], [[1, 1, 1], 300], [[2, 2], 100], [[2, 2, 2], 60], [[5, 1], 60]];
	try {
		// before: the share never cut, and a refused request backed off on its own (request.ts's backoffMs, seeded here)
		const backoff = (attempt, rate, random) => {
			const base = Math.min(RETRY.maxBackoffMs, Math.max(1000 / rate, RETRY.baseBackoffMs * 2 ** attempt));
			return Math.round(base / 2 + (random() * base) / 2);
		};
		const variants = [
			['per-process pacing, backoff per request (before)', 1, backoff],
			['AIMD share, resend on the pacer slot (after)', saved, undefined],
		];
		for (const [variant, decrease, retryWaitMs] of variants) {
			PACING.decrease = decrease;
			for (const [processes, perSeries] of setups) {
				const runs = Array.from({ length: SIM_SEEDS }, (_, i) => simulatePacing({ pacer, retry: RETRY, processes, perSeries, ...CLOUD, seed: i + 1, retryWaitMs }));
				const exhausted = runs.map((r) => r.exhausted);
				out({
					scenario: 'pacing-sim',
					variant,
					processes: processes.join('+'),
					requests: runs[0].requests,
					seeds: runs.length,
					exhaustedRequests: `${Math.min(...exhausted)}-${Math.max(...exhausted)}`,
					runsWithExhausted: exhausted.filter((n) => n > 0).length,
					maxAttempts: Math.max(...runs.map((r) => r.maxAttempts)),
					refusedPerRequest: Math.round((runs.reduce((a, r) => a + r.refused, 0) / runs.reduce((a, r) => a + r.requests, 0)) * 100) / 100,
					maxOverFloorPct: Math.max(...runs.map((r) => r.overFloorPct)),
				});
			}
		}
	} finally {
		PACING.decrease = saved;
	}
}

async function main() {
	const t0 = Date.now();
	if (process.argv.includes('--pacing-sim')) {
		pacingComparison();
		return;
	}
	const onlyArg = process.argv.indexOf('--only');
	const only = onlyArg >= 0 ? new Set(String(process.argv[onlyArg + 1] || '').split(',')) : undefined;
	const wanted = (scenario) => !only || only.has(scenario);
	if (wanted('pacing-sim')) pacingComparison();
	note('starting Redis and PostgreSQL');
	const services = await startServices();
	const sb = await startSandbox({ port: 0, ...CLOUD, tokenTtl: 86400, logLimit: 5_000_000 });
	let cluster;
	try {
		sb.configure({ rate: 0 });
		const creds = sandboxCredentials(sb, { clientId: 'n8n-queue-bench', tokens: sb.issueTokens() });
		const cloud = { ...creds.oauth, id: 'qbCloud', name: 'Bitrix24 OAuth2 (cloud limits 2/s, burst 50)', data: { ...creds.oauth.data, rateLimit: 2, rateBurst: 50 } };
		const token = sb.issueTokens().access_token;
		const botId = (await appCall(sb, token, 'imbot.register', { CODE: 'qbench_bot', EVENT_HANDLER: 'https://example.com/bot', PROPERTIES: { NAME: 'Queue bench bot' } })).body.result;
		const fetchBotId = (await appCall(sb, token, 'imbot.v2.Bot.register', { fields: { code: 'qbench_fetch', properties: { name: 'Fetch bot' } } })).body.result.bot.id;
		const ask = await registerAskBot(sb, { clientId: creds.webhook.data.chatbotClientId, code: 'qbench_ask' });
		note('starting n8n 2.41.1: main, 2 workers (concurrency 10), webhook processor');
		cluster = await QueueCluster.create({ services, workers: 2, concurrency: 10 });
		await cluster.main.importCredentials([...creds.list, cloud]);
		await cluster.main.importWorkflow([
			countingWorkflow('qbCount', { webhookId: crypto.randomUUID(), credential: creds.webhook, botCode: 'qbench_count' }),
			fetchWorkflow('qbFetch', { credential: cloud, botId: fetchBotId }),
			echoBotWorkflow('qbExpiry', { webhookId: crypto.randomUUID(), credential: cloud, botCode: 'qbench_expiry', fanOut: EXPIRY_ITEMS }),
			sendAndWaitWorkflow('qbSaw', { webhookPath: 'qbench-saw', credential: creds.webhook, botId: ask.botId, dialogId: '2', text: 'Approve order' }),
		]);
		await cluster.start();
		note(`cluster up in ${Math.round(cluster.startMs / 1000)} s`);
		const ctx = { cloud, botId, fetchBotId };
		if (wanted('queue-3x5000')) await runMessages(cluster, sb, ctx);
		if (wanted('queue-fetch-once')) {
			// the fetch trigger's minute ticks run while the 1,000 events do
			sb.configure({ ...CLOUD });
			await cluster.main.activateWorkflow('qbFetch');
			ctx.fetchActivatedAt = Date.now();
			for (const text of ['pull one', 'pull two', 'pull three']) await v2.userMessage(sb.portal, fetchBotId, { userId: 2, text });
		}
		if (wanted('queue-events-1000')) await runEvents(cluster, sb, ctx);
		if (wanted('queue-fetch-once')) await runFetch(cluster, sb, ctx);
		if (wanted('queue-expiry')) await runExpiry(cluster, sb);
		if (wanted('queue-send-and-wait')) await runSendAndWait(cluster, sb, ctx);
		out({ summary: 'queue', totalMs: Date.now() - t0, problems: cluster.problems().slice(0, 10), machine: `${require('node:os').cpus().length} cores, n8n 2.41.1 on Node 24, PostgreSQL ${services.postgres.bin.split('/').slice(-2, -1)[0]}, redis-server` });
	} finally {
		if (cluster) await cluster.stop();
		await sb.stop();
		await services.stop();
	}
}

module.exports = { main };
