#!/usr/bin/env node
'use strict';
/**
 * `npm run bench` — our nodes against n8n's HTTP Request node, in a real n8n 2.0.3, against the sandbox portal.
 * `npm run bench -- --faults` — the fault runs: 10,000 items per node with 20 % injected 503/500 and slow replies
 *   (faults-connector, faults-chatbot); three workflows on one credential hitting an expired token together
 *   (faults-expiry, `--rounds N`, default 3); a 3 s portal outage during 300 messages (faults-outage).
 * `npm run bench -- --only chatbot-1000,connector-1000` — a subset (scenario names as printed).
 * `npm run bench -- --latency` — message → execution start: push, live fetch (active / after idle / during a 1,000-message
 *   send), scheduled fetch; idle requests/s of the live triggers (bench/latency.js). With `--in-process`: the live
 *   triggers through n8n-core's TriggerContext, no running n8n (bench/latencyInProcess.js).
 * `npm run bench -- --agent` — one AI agent turn (examples/ai-support-agent.json, local model): what our nodes add
 *   beyond the model's own time (status, answer, tool calls), p50 / p95 (bench/agent.js).
 * `npm run bench -- --hostile` — the trigger body parser on hostile bodies (bench/hostile.js).
 * `npm run bench -- --files` — memory and outcome of File → Download and File → Upload from a URL for a 300 MB file
 *   (bench/files.js, in-process, no n8n needed; `--dist DIR` measures another build).
 * `npm run bench -- --queue` — n8n 2.41.1 queue mode: 3 × 5,000 messages on 2 workers, 1,000 events through the webhook
 *   processor, the fetch trigger across processes, concurrent expiry on 2 workers (bench/queue.js).
 * `npm run bench -- --bbcode` — BB-code stripping on 1–2 MB of adversarial text, before/after (bench/bbcode.js).
 *
 * A program that prints figures (one JSON line per scenario, then one per target with pass/fail); it asserts nothing.
 * See docs/benchmarks.md for the definitions and the measured table.
 */
// `npm run bench -- --hostile`: the trigger body-parser figures of bench/hostile.js instead (no n8n needed).
if (process.argv.includes('--hostile')) {
	require('./hostile').main();
	return;
}
// `npm run bench -- --files`: the 300 MB file figures of bench/files.js instead (no n8n needed).
if (process.argv.includes('--files')) {
	require('./files').main();
	return;
}
// `npm run bench -- --latency`: message → execution start for push, live fetch and scheduled fetch (bench/latency.js).
if (process.argv.includes('--latency')) {
	require(process.argv.includes('--in-process') ? './latencyInProcess' : './latency')
		.main()
		.catch((error) => {
			process.stderr.write(`${error.stack || error}\n`);
			process.exitCode = 1;
		});
	return;
}
// `npm run bench -- --agent`: one AI agent turn of examples/ai-support-agent.json, our nodes' share (bench/agent.js).
if (process.argv.includes('--agent')) {
	require('./agent')
		.main()
		.catch((error) => {
			process.stderr.write(`${error.stack || error}\n`);
			process.exitCode = 1;
		});
	return;
}
// `npm run bench -- --queue`: n8n queue mode (main + 2 workers + webhook processor on Redis and PostgreSQL), bench/queue.js.
if (process.argv.includes('--queue') || process.argv.includes('--pacing-sim')) {
	require('./queue')
		.main()
		.catch((error) => {
			process.stderr.write(`${error.stack || error}\n`);
			process.exitCode = 1;
		});
	return;
}
// `npm run bench -- --bbcode`: the BB-code stripping figures of bench/bbcode.js instead (no n8n needed).
if (process.argv.includes('--bbcode')) {
	require('./bbcode').main();
	return;
}
const path = require('node:path');
const { startSandbox } = require('../sandbox');
const { N8nInstance } = require('../test/e2e/lib/n8n');
const { account } = require('./lib/accounting');
const { benchWorkflow, NODE } = require('./lib/workflows');
const { sampleExecuteRss, growthOver } = require('./lib/rss');
const { executeFromDb } = require('./lib/executions');

const DIST = path.join(__dirname, '..', 'dist', 'nodes', 'Bitrix24', 'transport');
const { RETRY } = require(path.join(DIST, 'request'));
const { BATCH_RETRY_ROUNDS } = require(path.join(DIST, 'batch'));

const CLOUD = { rate: 2, burst: 50 };
/**
 * Chatbot API v2 at its documented limit (2 requests/s per application, HTTP 429 over it) on top of the portal's own;
 * the v2 docs give no burst, so the cloud burst is assumed (the sandbox charges a batch request once).
 */
const V2_LIMITS = { ...CLOUD, v2Rate: 2, v2Burst: 50 };
const CONNECTOR = 'bench_wa';
/** Longest a baseline run may take before we stop it and extrapolate from the N=1,000 run instead. */
const BASELINE_BUDGET_MS = 4 * 60_000;
const FAULTS = { faultRate: 0.2, latencyMs: 20, seed: 10 };

const args = process.argv.slice(2);
const faultMode = args.includes('--faults');
const onlyArg = args.indexOf('--only');
const only = onlyArg >= 0 ? new Set(String(args[onlyArg + 1] || '').split(',')) : undefined;

function out(line) {
	process.stdout.write(`${JSON.stringify(line)}\n`);
}
function note(text) {
	process.stderr.write(`[bench] ${text}\n`);
}

/** Leaky-bucket minimum for `requests` requests: the burst goes at once, every further request waits 1/rate s. */
function floorMs(requests, limits) {
	if (!limits) return 0;
	return Math.round((Math.max(0, requests - limits.burst) / limits.rate) * 1000);
}

async function restCall(sb, token, method, params) {
	const res = await fetch(`${sb.url}/rest/${method}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify(params),
	});
	const body = await res.json();
	if (body.error) throw new Error(`${method}: ${body.error} ${body.error_description}`);
	return body.result;
}

async function setUpPortal(sb, token) {
	sb.configure({ rate: 0 });
	await restCall(sb, token, 'imconnector.register', {
		ID: CONNECTOR,
		NAME: 'Bench connector',
		ICON: { DATA_IMAGE: 'data:image/svg+xml,%3Csvg%3E%3C/svg%3E' },
		PLACEMENT_HANDLER: 'https://example.com/settings',
	});
	await restCall(sb, token, 'imconnector.activate', { CONNECTOR, LINE: 1, ACTIVE: 1 });
	const botId = await restCall(sb, token, 'imbot.register', { CODE: 'bench_bot', EVENT_HANDLER: 'https://example.com/bot', PROPERTIES: { NAME: 'Bench bot' } });
	const v2 = await restCall(sb, token, 'imbot.v2.Bot.register', { fields: { code: 'bench_v2_bot', properties: { name: 'Bench bot v2' } } });
	return { botId, v2BotId: v2.bot.id };
}

/** One `n8n execute` of a bench workflow, with the sandbox set to `portal` and its log cleared first. */
async function measure(n8n, sb, { id, kind, tag, count, portal, timeoutMs = 15 * 60_000 }) {
	sb.configure(portal); // also empties the portal's bucket when rate/burst are given
	sb.portal.log.clear();
	const sampler = sampleExecuteRss(id);
	let run;
	try {
		run = await executeFromDb(n8n, id, { timeoutMs });
	} catch (error) {
		sampler.stop();
		throw error;
	}
	const samples = sampler.stop();
	const task = (run.runData[NODE] || [])[0];
	if (!task) throw new Error(`${id}: the node did not run: ${JSON.stringify(run.error)}`);
	const items = run.itemsOf(NODE) || [];
	const report = account({ kind, tag, count, items, state: sb.state, log: sb.log() });
	return {
		report,
		wallMs: task.executionTime,
		nodeError: task.error ? String(task.error.message || task.error.description || 'error').slice(0, 200) : undefined,
		rss: growthOver(samples, task.startTime, task.executionTime),
	};
}

function okPerSecond(ok, ms) {
	return ms > 0 ? (ok / ms) * 1000 : null;
}

function round(n, digits = 1) {
	return n === null || n === undefined || !Number.isFinite(n) ? null : Math.round(n * 10 ** digits) / 10 ** digits;
}

async function runBench(n8n, sb, ctx) {
	const scenarios = [
		{ name: 'chatbot-1000', kind: 'chatbot', count: 1000, limits: CLOUD },
		{ name: 'connector-1000', kind: 'connector', count: 1000, limits: CLOUD },
		{ name: 'chatbot-10000', kind: 'chatbot', count: 10000, limits: CLOUD },
		{ name: 'connector-10000', kind: 'connector', count: 10000, limits: CLOUD },
		{ name: 'chatbotv2-1000', kind: 'chatbotv2', count: 1000, limits: V2_LIMITS },
		{ name: 'chatbotv2-10000', kind: 'chatbotv2', count: 10000, limits: V2_LIMITS },
		{ name: 'chatbot-10000-nolimits', kind: 'chatbot', count: 10000, limits: null },
		{ name: 'connector-10000-nolimits', kind: 'connector', count: 10000, limits: null },
	].filter((s) => !only || only.has(s.name));

	const workflows = [];
	for (const s of scenarios) {
		const credential = s.limits ? ctx.cloudCredential : ctx.fastCredential;
		for (const variant of ['ours', 'baseline']) {
			const id = `b${workflows.length}${s.kind[0]}${s.count}${variant[0]}`;
			const tag = `${s.name}-${variant}`;
			workflows.push({ scenario: s.name, variant, tag, wf: benchWorkflow({ id, kind: s.kind, variant, count: s.count, tag, credential, botId: ctx.botId, v2BotId: ctx.v2BotId, connector: CONNECTOR, restBase: `${sb.url}/rest/` }) });
		}
	}
	note(`importing ${workflows.length} workflows`);
	await n8n.importWorkflow(workflows.map((w) => w.wf));

	const lines = [];
	for (const s of scenarios) {
		const portal = s.limits ? { v2Rate: 0, ...s.limits, faultRate: 0, latencyMs: 0 } : { rate: 0, v2Rate: 0, faultRate: 0, latencyMs: 0 };
		const ours = workflows.find((w) => w.scenario === s.name && w.variant === 'ours');
		const base = workflows.find((w) => w.scenario === s.name && w.variant === 'baseline');
		note(`${s.name}: ours`);
		const a = await measure(n8n, sb, { id: ours.wf.id, kind: s.kind, tag: ours.tag, count: s.count, portal });
		note(`${s.name}: baseline`);
		let b;
		let baselineNote = 'measured';
		try {
			b = await measure(n8n, sb, { id: base.wf.id, kind: s.kind, tag: base.tag, count: s.count, portal, timeoutMs: BASELINE_BUDGET_MS });
		} catch (error) {
			const small = lines.find((l) => l.kind === s.kind && l.limits === Boolean(s.limits) && l.items < s.count && l.baselineNote === 'measured');
			if (!small) throw error;
			note(`${s.name}: baseline over its ${BASELINE_BUDGET_MS / 1000} s budget (${error.message.split('\n')[0]}); extrapolating from ${small.scenario}`);
			const k = s.count / small.items;
			const wallMs = Math.round(small.baselineWallMs * k);
			// Under limits the portal accepts the burst plus `rate` per second of the run, whatever N is.
			const ok = s.limits ? Math.min(s.count, Math.round(s.limits.burst + (s.limits.rate * wallMs) / 1000)) : Math.round(small.baselineOkItems * k);
			b = { report: { requests: small.baselineRequests * k, storedItems: ok }, wallMs };
			baselineNote = `extrapolated from ${small.scenario}: wall and requests x${k}, successes = ${s.limits ? 'burst + rate x wall' : `x${k}`} (run stopped after ${BASELINE_BUDGET_MS / 1000} s)`;
		}
		const oursRate = okPerSecond(a.report.okItems, a.wallMs);
		// The baseline stops at its first failed request and outputs nothing, so its successes are read from the portal.
		const baseOk = b.report.storedItems;
		const baseRate = okPerSecond(baseOk, b.wallMs);
		const line = {
			scenario: s.name,
			items: s.count,
			requests: a.report.requests,
			failedItems: a.report.failedItems,
			wallMs: a.wallMs,
			floorMs: s.limits ? floorMs(a.report.requests, s.limits) : null,
			baselineRequests: b.report.requests,
			baselineFailedItems: s.count - baseOk,
			baselineWallMs: b.wallMs,
			speedup: baseRate ? round(oursRate / baseRate) : null,
			rssMb: a.rss.rssMb,
			// beyond the required fields
			kind: s.kind,
			limits: Boolean(s.limits),
			okItems: a.report.okItems,
			okPerSecond: round(oursRate),
			baselineOkItems: baseOk,
			baselineOkPerSecond: round(baseRate),
			baselineNote,
			baselineError: b.nodeError,
			baselineStatuses: b.report.statuses,
			statuses: a.report.statuses,
			rateLimitedRequests: a.report.rateLimitedRequests,
			rateLimitedItems: (a.report.errorCodes && a.report.errorCodes.QUERY_LIMIT_EXCEEDED) || 0,
			duplicated: a.report.duplicated,
			lost: a.report.lost,
			outputItems: a.report.outputItems,
			pairedItemWrong: a.report.pairedItemWrong,
			rssPeakMb: a.rss.rssPeakMb,
			rssBeforeMb: a.rss.rssBeforeMb,
			speedupDefinition: '(okItems / wallMs) / (baselineOkItems / baselineWallMs): successful items per second, ours over baseline',
		};
		lines.push(line);
		out(line);
	}
	return lines;
}

function targets(lines) {
	const checks = [];
	const check = (target, scenario, pass, measured) => checks.push({ target, scenario, pass, measured });
	for (const l of lines) {
		if (l.limits && l.items === 1000) {
			check('1,000 messages: <= 20 requests, 0 failed items, >= 50x the baseline', l.scenario, l.requests <= 20 && l.failedItems === 0 && l.speedup !== null && l.speedup >= 50, {
				requests: l.requests,
				failedItems: l.failedItems,
				speedup: l.speedup,
			});
		}
		if (l.limits && l.items === 10000) {
			const tolerance = Math.max(0.1 * l.floorMs, 1000);
			check('10,000 messages: wallMs within 10 % of floorMs (at least 1 s slack), no QUERY_LIMIT_EXCEEDED on an item', l.scenario, l.wallMs <= l.floorMs + tolerance && l.rateLimitedItems === 0 && l.failedItems === 0, {
				wallMs: l.wallMs,
				floorMs: l.floorMs,
				overFloorPct: l.floorMs ? round(((l.wallMs - l.floorMs) / l.floorMs) * 100) : null,
				rateLimitedItems: l.rateLimitedItems,
			});
		}
		if (!l.limits) {
			check('limits off: >= 5x the baseline throughput', l.scenario, l.speedup !== null && l.speedup >= 5, { speedup: l.speedup });
		}
		check('RSS growth of the n8n process over the node run <= 50 MB', l.scenario, l.rssMb !== null && l.rssMb <= 50, { rssMb: l.rssMb, rssPeakMb: l.rssPeakMb });
		check('nothing duplicated or lost, one output per item', l.scenario, l.duplicated === 0 && l.lost === 0 && l.outputItems === l.items && l.pairedItemWrong === 0, {
			duplicated: l.duplicated,
			lost: l.lost,
			outputItems: l.outputItems,
		});
	}
	for (const c of checks) out({ check: c.target, scenario: c.scenario, result: c.pass ? 'pass' : 'FAIL', ...c.measured });
	return checks;
}

/** `--rounds N`: rounds of the concurrent-expiry scenario (default 3; each starts three n8n processes at once). */
const roundsArg = args.indexOf('--rounds');
const EXPIRY_ROUNDS = roundsArg >= 0 ? Math.max(1, Math.min(10, Number(args[roundsArg + 1]) || 3)) : 3;
const EXPIRY_EXECUTIONS = 3;
const EXPIRY_ITEMS = 100;
const OUTAGE = { items: 300, afterRequests: 2, ms: 3000 };

/** The counts a fault scenario is judged by, from accounting reports. */
function counts(reports) {
	const sum = (key) => reports.reduce((a, r) => a + (r[key] || 0), 0);
	const missing = reports.reduce((a, r) => a + r.itemsWithoutOutput + r.itemsWithSeveralOutputs + r.pairedItemWrong, 0);
	return { failed: sum('failedItems'), duplicated: sum('duplicated'), lost: sum('lost'), outputMismatch: missing };
}

/**
 * Three workflows on one OAuth2 credential, its access token expired: their first requests get 401 together (the
 * sandbox holds the 401s until all three are there), so their refreshes race on the single-use refresh token.
 */
async function runExpiry(n8n, sb, ctx) {
	const workflows = [];
	for (let round = 0; round < EXPIRY_ROUNDS; round++) {
		for (let e = 0; e < EXPIRY_EXECUTIONS; e++) {
			const tag = `expiry${round}x${e}`;
			workflows.push({ round, tag, wf: benchWorkflow({ id: `x${round}e${e}`, kind: 'chatbot', variant: 'ours', count: EXPIRY_ITEMS, tag, credential: ctx.cloudCredential, botId: ctx.botId, connector: CONNECTOR, restBase: `${sb.url}/rest/` }) });
		}
	}
	await n8n.importWorkflow(workflows.map((w) => w.wf));
	const rounds = [];
	for (let round = 0; round < EXPIRY_ROUNDS; round++) {
		note(`faults-expiry round ${round + 1}/${EXPIRY_ROUNDS}: ${EXPIRY_EXECUTIONS} executions, ${EXPIRY_ITEMS} items each, expired token`);
		sb.configure({ ...CLOUD, faultRate: 0, latencyMs: 0 });
		sb.portal.log.clear();
		sb.expireTokens();
		sb.scheduleExpiryRace({ callers: EXPIRY_EXECUTIONS, timeoutMs: 120_000 });
		const before = { ...sb.portal.tokens.stats };
		const mine = workflows.filter((w) => w.round === round);
		const runs = await Promise.all(mine.map((w) => executeFromDb(n8n, w.wf.id, { timeoutMs: 10 * 60_000 })));
		const log = sb.log();
		const reports = runs.map((run, e) => account({ kind: 'chatbot', tag: mine[e].tag, count: EXPIRY_ITEMS, items: run.itemsOf(NODE) || [], state: sb.state, log }));
		const expired401 = log.filter((entry) => entry.status === 401).length;
		// Refresh grants the token server answered in this round, and refused (invalid_grant: a lost race).
		const refreshed = sb.portal.tokens.stats.refreshed - before.refreshed;
		const refusedRefreshes = sb.portal.tokens.stats.refused - before.refused;
		rounds.push({ round, ...counts(reports), expired401, refreshed, refusedRefreshes, errorCodes: reports.map((r) => r.errorCodes) });
	}
	const total = counts(rounds.map((r) => ({ failedItems: r.failed, duplicated: r.duplicated, lost: r.lost, itemsWithoutOutput: r.outputMismatch, itemsWithSeveralOutputs: 0, pairedItemWrong: 0 })));
	const line = { scenario: 'faults-expiry', executions: EXPIRY_EXECUTIONS, itemsPerExecution: EXPIRY_ITEMS, rounds: EXPIRY_ROUNDS, ...total, perRound: rounds };
	out(line);
	return [{ name: `concurrent expiry: 0 failed, 0 duplicated, 0 lost items in ${EXPIRY_ROUNDS} rounds`, scenario: line.scenario, ok: total.failed === 0 && total.duplicated === 0 && total.lost === 0 && total.outputMismatch === 0, measured: total }];
}

/** The portal refuses every connection for 3 s in the middle of a run of 300 messages. */
async function runOutage(n8n, sb, ctx) {
	const tag = 'faults-outage';
	const wf = benchWorkflow({ id: 'outage1', kind: 'chatbot', variant: 'ours', count: OUTAGE.items, tag, credential: ctx.cloudCredential, botId: ctx.botId, connector: CONNECTOR, restBase: `${sb.url}/rest/` });
	await n8n.importWorkflow([wf]);
	note(`faults-outage: ${OUTAGE.items} items, the portal down for ${OUTAGE.ms} ms after ${OUTAGE.afterRequests} requests`);
	sb.configure({ ...CLOUD, faultRate: 0, latencyMs: 0 });
	sb.portal.log.clear();
	sb.scheduleOutage({ afterRequests: OUTAGE.afterRequests, ms: OUTAGE.ms });
	const run = await executeFromDb(n8n, wf.id, { timeoutMs: 10 * 60_000 });
	await sb.whenUp();
	const r = account({ kind: 'chatbot', tag, count: OUTAGE.items, items: run.itemsOf(NODE) || [], state: sb.state, log: sb.log() });
	const total = counts([r]);
	out({ scenario: tag, items: OUTAGE.items, outage: OUTAGE, ...total, storedMessages: r.storedMessages, requests: r.requests, errorCodes: r.errorCodes, wallMs: (run.runData[NODE] || [])[0]?.executionTime });
	return [{ name: `portal outage of ${OUTAGE.ms / 1000} s: 0 failed, 0 duplicated, 0 lost items`, scenario: tag, ok: total.failed === 0 && total.duplicated === 0 && total.lost === 0 && total.outputMismatch === 0, measured: total }];
}

async function runFaults(n8n, sb, ctx) {
	const count = 10000;
	/** The transport's bound for this fault mix: 4 rounds of a chunk x 8 attempts of a 503-refused request. */
	const bound = (1 + BATCH_RETRY_ROUNDS) * RETRY.rateLimitAttempts;
	const kinds = ['connector', 'chatbot'].filter((k) => !only || only.has(`faults-${k}`));
	const workflows = kinds.map((kind, i) => {
		const tag = `faults-${kind}`;
		return { kind, tag, wf: benchWorkflow({ id: `f${i}${kind}`, kind, variant: 'ours', count, tag, credential: ctx.cloudCredential, botId: ctx.botId, connector: CONNECTOR, restBase: `${sb.url}/rest/` }) };
	});
	await n8n.importWorkflow(workflows.map((w) => w.wf));
	const checks = [];
	for (const w of workflows) {
		note(`faults-${w.kind}: ${count} items, ${JSON.stringify({ ...CLOUD, ...FAULTS })}`);
		const m = await measure(n8n, sb, { id: w.wf.id, kind: w.kind, tag: w.tag, count, portal: { ...CLOUD, ...FAULTS } });
		const r = m.report;
		const line = { scenario: `faults-${w.kind}`, items: count, portal: { ...CLOUD, ...FAULTS }, wallMs: m.wallMs, ...r, retryBoundPerItem: bound, rssMb: m.rss.rssMb };
		out(line);
		const pass = (name, ok, measured) => checks.push({ name, scenario: line.scenario, ok, measured });
		pass('every input item gave exactly one output or error item, pairedItem right', r.outputItems === count && r.itemsWithoutOutput === 0 && r.itemsWithSeveralOutputs === 0 && r.pairedItemWrong === 0, {
			outputItems: r.outputItems,
			pairedItemWrong: r.pairedItemWrong,
		});
		pass('0 messages duplicated in the sandbox state', r.duplicated === 0, { duplicated: r.duplicated });
		pass('0 lost: every item without an error is in the sandbox state (and only those)', r.lost === 0 && r.storedMessages === r.okItems, {
			lost: r.lost,
			storedMessages: r.storedMessages,
			okItems: r.okItems,
		});
		pass(`retries bounded: every item rode in <= ${bound} requests`, r.maxRequestsPerItem <= bound, { maxRequestsPerItem: r.maxRequestsPerItem });
	}
	if (!only || only.has('faults-expiry')) checks.push(...(await runExpiry(n8n, sb, ctx)));
	if (!only || only.has('faults-outage')) checks.push(...(await runOutage(n8n, sb, ctx)));
	for (const c of checks) out({ check: c.name, scenario: c.scenario, result: c.ok ? 'pass' : 'FAIL', ...c.measured });
	return checks;
}

async function main() {
	const t0 = Date.now();
	const sb = await startSandbox({ port: 0, ...CLOUD, tokenTtl: 86400, logLimit: 5_000_000 });
	let n8n;
	try {
		const tokens = sb.issueTokens();
		const { botId, v2BotId } = await setUpPortal(sb, tokens.access_token);
		note('starting n8n (installs n8n 2.0.3 into .cache on the first run)');
		n8n = await N8nInstance.create();
		const oauth = { portalUrl: sb.url, clientId: sb.oauth.clientId, clientSecret: sb.oauth.clientSecret, accessTokenUrl: sb.oauth.tokenUrl, oauthTokenData: tokens };
		const cloudCredential = { id: 'benchCloud', name: 'Bitrix24 OAuth2 (cloud limits 2/s, burst 50)', type: 'bitrix24OAuth2Api', data: { ...oauth, rateLimit: 2, rateBurst: 50 } };
		const fastCredential = { id: 'benchFast', name: 'Bitrix24 OAuth2 (no limits)', type: 'bitrix24OAuth2Api', data: { ...oauth, rateLimit: 1000, rateBurst: 100000 } };
		await n8n.importCredentials([cloudCredential, fastCredential]);
		const ctx = { botId, v2BotId, cloudCredential, fastCredential };
		const checks = faultMode ? await runFaults(n8n, sb, ctx) : targets(await runBench(n8n, sb, ctx));
		const failed = checks.filter((c) => !(c.pass ?? c.ok)).length;
		out({ summary: faultMode ? 'faults' : 'bench', checks: checks.length, failed, totalMs: Date.now() - t0, machine: `${require('node:os').cpus().length} cores, Node ${process.versions.node}` });
	} finally {
		if (n8n) await n8n.cleanup();
		await sb.stop();
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack || error}\n`);
	process.exitCode = 1;
});
