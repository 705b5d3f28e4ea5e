#!/usr/bin/env node
'use strict';
/**
 * `npm test`: build, lint, unit jest, the end-to-end files of every n8n version, the queue-mode suite per version —
 * and the n8n installs (each version and the Node it needs, into .cache/, one after the other) in the background from
 * the first second, so they overlap the build, lint and unit phases and the first version's files. The end-to-end files and the queue-mode
 * suites run on two lanes (test/e2e/lib/lanes.js): each file is its own jest process for one version, started when a
 * lane is free and its version is installed, the longest first (one queue-mode suite at a time). Stops at the first failed phase (as `a && b && c` did); prints a table of
 * phase durations and the slowest files at the end (also on failure).
 *
 *   npm test                              everything
 *   CI_NPM_INSTALL_MS=…                   .ci/run passes how long its `npm install` took (a row of the table)
 *   CI_STARTED_AT=<epoch ms>              .ci/run's start (the table's total then counts from there)
 *   E2E_INSTALL_LOG=<file>                where npm's output of the n8n installs goes (default: a temp file;
 *                                         its tail is printed when an install fails)
 *   TEST_PHASES=build,lint,unit           only these phases (of build, lint, unit, e2e, queue; default all; the
 *                                         n8n installs start only when e2e or queue is among them)
 *   E2E_LANES=1                           e2e files one at a time (default 2, at most 4)
 *   E2E_FILES='demo|pull'                 only the e2e files whose name matches
 *   E2E_RECORD_DURATIONS=1                write the measured seconds per file into test/e2e/durations.json (the order
 *                                         of the next runs: longest first)
 * Versions: every version of test/e2e/lib/install.js's table, in order (E2E_N8N_VERSIONS=2.0.3 picks some).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');

const REPO_ROOT = path.resolve(__dirname, '..');
const started = Date.now();
const rows = [];

if (!process.env.E2E_INSTALL_LOG) process.env.E2E_INSTALL_LOG = path.join(os.tmpdir(), `n8n-e2e-install-${process.pid}.log`);
const { ensureN8n, ALL_VERSIONS, profileOf } = require('../test/e2e/lib/install');
const { runFiles, e2eFiles, recordDurations } = require('../test/e2e/lib/lanes');
const { removeDatabaseTemplates } = require('../test/e2e/lib/n8n');

const versions = (process.env.E2E_N8N_VERSIONS || '').split(',').map((v) => v.trim()).filter(Boolean);
const VERSIONS = versions.length ? versions : ALL_VERSIONS;
VERSIONS.forEach((v) => profileOf(v));
const PHASES = new Set((process.env.TEST_PHASES || 'build,lint,unit,e2e,queue').split(',').map((p) => p.trim()));
const wanted = (p) => PHASES.has(p);
/** How many e2e files run at once (E2E_LANES; 1 = one after the other). */
const LANES = Math.max(1, Math.min(4, Number(process.env.E2E_LANES) || 2));
/** E2E_FILES=<regex>: only the e2e files whose name matches (e.g. E2E_FILES='demo|pull'). */
const E2E_FILTER = process.env.E2E_FILES ? new RegExp(process.env.E2E_FILES) : undefined;
const slowFiles = [];
const perVersionRows = [];
const QUEUE_DIR = path.join(REPO_ROOT, 'test', 'queue');

const secs = (ms) => `${(ms / 1000).toFixed(0)} s`;
const clock = (ms) => `${Math.floor(ms / 60000)} min ${String(Math.round((ms % 60000) / 1000)).padStart(2, '0')} s`;

function log(msg) {
	process.stderr.write(`\n[npm test] ${msg}\n`);
}

/** Runs a command with inherited output; resolves its exit code. */
function run(cmd, args, env = {}) {
	return new Promise((resolve) => {
		const child = spawn(cmd, args, { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
		const forward = (sig) => child.kill(sig);
		process.on('SIGINT', forward);
		process.on('SIGTERM', forward);
		child.on('exit', (code) => {
			process.off('SIGINT', forward);
			process.off('SIGTERM', forward);
			resolve(code === null ? 1 : code);
		});
	});
}

async function phase(name, fn) {
	log(`${name}…`);
	const t0 = Date.now();
	const code = await fn();
	const row = { name, ms: Date.now() - t0, result: code === 0 ? 'passed' : `FAILED (exit ${code})` };
	rows.push(row);
	log(`${name}: ${row.result} in ${secs(row.ms)}`);
	return code === 0;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const node = process.execPath;
const jest = path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');

function printTable(ok) {
	const total = Date.now() - (Number(process.env.CI_STARTED_AT) || started);
	const all = [];
	if (process.env.CI_NPM_INSTALL_MS) all.push({ name: 'npm install', ms: Number(process.env.CI_NPM_INSTALL_MS), result: 'done' });
	all.push(...rows);
	const width = Math.max(...all.map((r) => r.name.length), 10) + 2;
	const lines = ['', '[npm test] phase durations (n8n installs run in the background, beside the phases above them):'];
	for (const r of all) lines.push(`  ${r.name.padEnd(width)} ${secs(r.ms).padStart(7)}   ${r.result}`);
	lines.push(`  ${'total'.padEnd(width)} ${secs(total).padStart(7)}   ${clock(total)}${ok ? '' : '   FAILED'}`);
	if (slowFiles.length) {
		lines.push('  slowest e2e files:');
		for (const r of slowFiles) lines.push(`    ${secs(r.ms).padStart(6)}  n8n ${r.version.padEnd(7)} ${r.file}`);
	}
	lines.push('');
	process.stderr.write(lines.join('\n'));
}

async function main() {
	// n8n installs in the background from the first second, one after the other in the table's order (2.0.3 first:
	// its files come first). Side by side they slowed each other (2.0.3 took 474 s instead of ~180 s). The later
	// ones run beside the first version's files, which mostly wait on n8n; at normal priority, so the next version is
	// ready by the time the lanes run out of the previous version's files.
	const installs = {};
	const order = wanted('e2e') || wanted('queue') ? VERSIONS : [];
	let chain = Promise.resolve();
	for (const v of order) {
		const t0 = Date.now();
		installs[v] = chain.then(async () => {
			const t1 = Date.now();
			const r = await ensureN8n(v);
			return {
				name: `n8n ${v} install`,
				ms: Date.now() - t1,
				result:
					r.installedNow || r.nodeInstallMs
						? `installed (n8n ${secs(r.ms)}${r.nodeInstallMs ? `, Node ${secs(r.nodeInstallMs)}` : ''}; ready ${secs(Date.now() - t0)} after the start)`
						: 'cached',
			};
		});
		chain = installs[v].catch(() => undefined);
		installs[v].catch(() => undefined); // failures are reported where awaited
	}

	let ok =
		(!wanted('build') || (await phase('build', () => run(npm, ['run', 'build'])))) &&
		(!wanted('lint') || (await phase('lint', () => run(npm, ['run', 'lint'])))) &&
		(!wanted('unit') || (await phase('unit jest', () => run(node, [jest]))));

	if (ok && (wanted('e2e') || wanted('queue'))) {
		const what = [wanted('e2e') && 'e2e', wanted('queue') && 'queue'].filter(Boolean).join(' + ');
		ok = await phase(`${what} (${LANES} lanes)`, () => suitesOnLanes(installs));
		rows.push(...perVersionRows.splice(0));
	}
	printTable(ok);
	removeDatabaseTemplates(process.pid);
	process.exit(ok ? 0 : 1);
}

/** Waits for a version's install and adds its row; false (with the npm log's tail) when it failed. */
async function installed(installs, v) {
	const tWait = Date.now();
	try {
		const row = await installs[v];
		rows.push({ ...row, result: `${row.result}; tests waited ${secs(Date.now() - tWait)} for it` });
		return true;
	} catch (err) {
		rows.push({ name: `n8n ${v} install`, ms: Date.now() - tWait, result: 'FAILED' });
		log(`n8n ${v}: install failed: ${err.stack || err}`);
		try {
			log(`last lines of ${process.env.E2E_INSTALL_LOG}:\n${fs.readFileSync(process.env.E2E_INSTALL_LOG, 'utf8').split('\n').slice(-40).join('\n')}`);
		} catch {
			/* no log */
		}
		return false;
	}
}

/**
 * The end-to-end files and the queue-mode suite of every version on LANES lanes (test/e2e/lib/lanes.js): a version's
 * files start as soon as its install is done, the longest first; one queue-mode suite at a time (it starts four n8n
 * processes, Redis and PostgreSQL). Resolves 0 when every file passed. Adds rows per version and lists the slowest.
 */
async function suitesOnLanes(installs) {
	const { ensureChromium } = require('../test/e2e/lib/browser');
	const env = { ...process.env, E2E_TEMPLATE_PID: String(process.pid) };
	if (wanted('e2e') && env.E2E_SKIP_BROWSER !== '1') {
		const chromium = ensureChromium();
		if (!chromium.ok) {
			log(`BROWSER TESTS SKIPPED: the n8n editor is NOT checked in this run. Reason: ${chromium.reason}.`);
			env.E2E_SKIP_BROWSER = '1';
		}
	}
	const readiness = {};
	for (const v of Object.keys(installs)) {
		readiness[v] = installed(installs, v).then((done) => {
			if (!done) throw new Error(`n8n ${v} did not install`);
		});
		readiness[v].catch(() => undefined);
	}
	const files = wanted('e2e') ? e2eFiles().filter((f) => !E2E_FILTER || E2E_FILTER.test(f)) : [];
	const jobs = [];
	for (const v of Object.keys(installs)) {
		for (const file of files) jobs.push({ version: v, file, ready: readiness[v], env: { ...env, E2E_N8N_VERSION: v } });
		// the queue-mode suite: main, 2 workers, a webhook processor, Redis and PostgreSQL — one such job at a time
		if (wanted('queue')) {
			jobs.push({ version: v, file: 'queue.test.js', dir: QUEUE_DIR, config: path.join(QUEUE_DIR, 'jest.config.js'), heavy: true, ready: readiness[v], env: { ...env, QUEUE_N8N_VERSIONS: v } });
		}
	}
	const results = await runFiles(jobs, { lanes: LANES, log: (s) => process.stderr.write(s) });
	for (const v of Object.keys(installs)) {
		const mine = results.filter((r) => r.version === v && !r.heavy);
		const failed = mine.filter((r) => r.code !== 0);
		if (mine.length) {
			perVersionRows.push({
				name: `  e2e ${v} files`,
				ms: mine.reduce((t, r) => t + r.ms, 0),
				result: `${mine.length - failed.length}/${mine.length} files passed (their times added up; they ran beside others)${failed.length ? `; FAILED: ${failed.map((r) => r.file).join(', ')}` : ''}`,
			});
		}
		for (const q of results.filter((r) => r.version === v && r.heavy)) {
			perVersionRows.push({ name: `  queue ${v}`, ms: q.ms, result: q.code === 0 ? 'passed' : `FAILED (exit ${q.code})` });
		}
	}
	const slowest = [...results].sort((a, b) => b.ms - a.ms).slice(0, 8);
	slowFiles.push(...slowest);
	if (process.env.E2E_RECORD_DURATIONS === '1') recordDurations(results);
	return results.every((r) => r.code === 0) ? 0 : 1;
}

main().catch((err) => {
	process.stderr.write(`[npm test] ${err.stack || err}\n`);
	printTable(false);
	process.exit(1);
});
