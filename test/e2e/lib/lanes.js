'use strict';
/**
 * Runs end-to-end test files on a few lanes at once (default 2: the CI machine has 2 cores, and an e2e file spends
 * about half its time waiting — on n8n's minute ticks, Wait nodes, the browser, a restart — so a second file fits
 * beside it). Each file is its own jest process for one n8n version; a file starts when a lane is free and its
 * n8n version is installed, the longest first (durations of earlier runs: test/e2e/durations.json). A file's output
 * is printed in one piece when it ends, so two lanes never interleave their lines.
 *
 *   const { runFiles } = require('./lanes');
 *   const results = await runFiles(jobs, { lanes: 2, log });
 *   // jobs: [{ version, file, ready: Promise (the version's install), env, config?, dir?, heavy? }]
 *   //   config / dir: another jest config and folder (the queue-mode suite); heavy: at most one heavy job at a time
 *   // results: [{ version, file, code, ms, lane }] in the order they ended
 */
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const E2E_DIR = path.join(REPO_ROOT, 'test', 'e2e');
const DURATIONS_FILE = path.join(E2E_DIR, 'durations.json');
/** A file with no recorded duration goes early: it may be long, and a long file last would end the run late. */
const UNKNOWN_SECONDS = 150;

/**
 * Files that never run beside a heavy job (a queue-mode suite: four n8n processes, PostgreSQL, Redis):
 * - the ones driving the n8n editor in Chromium: on 2 cores the pair slowed both 2-3x (CI: editorSupportBot 453 s
 *   instead of ~190 s, and the queue suite's webhook processor answered 503 under it);
 * - the demo: one n8n running eight workflows, the AI agent and a bounded self-check (CI, stop 29: its self-check
 *   failed on n8n 2.41.1 beside the 2.41.1 queue suite; it passed alone and in later runs).
 */
const KEPT_FROM_HEAVY = /^(editor|demo\.test\.js$)/;
const keptFromHeavy = (job) => !job.heavy && KEPT_FROM_HEAVY.test(job.file);

/** Every e2e test file (basename), sorted. */
function e2eFiles() {
	return fs
		.readdirSync(E2E_DIR)
		.filter((f) => f.endsWith('.test.js'))
		.sort();
}

/** Recorded seconds per version and file ({ "2.0.3": { "pull.e2e.test.js": 178 } }); {} when there are none. */
function recordedDurations() {
	try {
		return JSON.parse(fs.readFileSync(DURATIONS_FILE, 'utf8'));
	} catch {
		return {};
	}
}

function expectedSeconds(durations, version, file) {
	const v = durations[version] || {};
	return typeof v[file] === 'number' ? v[file] : UNKNOWN_SECONDS;
}

/** One jest process for one file; resolves { code, output, ms }. */
function runJestFile(job, { onSpawn }) {
	const jestBin = path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
	const config = job.config || path.join(E2E_DIR, 'jest.config.js');
	const args = [jestBin, '--config', config, '--runInBand', '--runTestsByPath', path.join(job.dir || E2E_DIR, job.file)];
	const t0 = Date.now();
	return new Promise((resolve) => {
		const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: job.env, stdio: ['ignore', 'pipe', 'pipe'] });
		onSpawn(child);
		const chunks = [];
		child.stdout.on('data', (d) => chunks.push(d));
		child.stderr.on('data', (d) => chunks.push(d));
		child.on('close', (code) => resolve({ code: code === null ? 1 : code, output: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - t0 }));
	});
}

/**
 * Runs the jobs on `lanes` lanes. A job waits for its `ready` promise (a rejected one fails the job without running
 * it). Resolves every job's result; never rejects.
 */
async function runFiles(jobs, { lanes = 2, log = (s) => process.stderr.write(s) } = {}) {
	const durations = recordedDurations();
	const pending = jobs.map((j) => ({ ...j, expected: expectedSeconds(durations, j.version, j.file), state: 'waiting' }));
	for (const j of pending) {
		Promise.resolve(j.ready).then(
			() => (j.state = j.state === 'waiting' ? 'ready' : j.state),
			(err) => (j.state = j.state === 'waiting' ? { failed: err } : j.state),
		);
	}
	const results = [];
	const children = new Set();
	const stop = (sig) => children.forEach((c) => c.kill(sig));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	let wake;
	const nudge = () => wake && wake();
	for (const j of pending) Promise.resolve(j.ready).then(nudge, nudge);

	const running = new Set();
	const t0 = Date.now();
	const clock = () => `${Math.round((Date.now() - t0) / 1000)} s`;
	const startJob = (job, lane) => {
		job.state = 'running';
		running.add(job);
		log(`[e2e lanes] ${clock()}: lane ${lane} starts n8n ${job.version} ${job.file}\n`);
		runJestFile(job, { onSpawn: (c) => children.add(c) }).then(({ code, output, ms }) => {
			running.delete(job);
			job.state = 'done';
			const result = { version: job.version, file: job.file, code, ms, lane, heavy: Boolean(job.heavy) };
			results.push(result);
			const head = `── n8n ${job.version} · ${job.file} · lane ${lane} · ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${Math.round(ms / 1000)} s `;
			log(`\n${head.padEnd(110, '─')}\n${output.trimEnd()}\n`);
			freeLanes.push(lane);
			nudge();
		});
	};
	const freeLanes = Array.from({ length: lanes }, (_, i) => i + 1);
	for (let guard = 0; guard < 100000; guard++) {
		for (const j of pending) {
			if (j.state && j.state.failed) {
				results.push({ version: j.version, file: j.file, code: 1, ms: 0, lane: 0, error: String(j.state.failed) });
				log(`[e2e lanes] n8n ${j.version} ${j.file}: not run (${j.state.failed})\n`);
				j.state = 'done';
			}
		}
		while (freeLanes.length) {
			const heavyRunning = [...running].some((j) => j.heavy);
			const keptRunning = [...running].some(keptFromHeavy);
			const fits = (j) => !(j.heavy && (heavyRunning || keptRunning)) && !(keptFromHeavy(j) && heavyRunning);
			const next = pending.filter((j) => j.state === 'ready' && fits(j)).sort((a, b) => b.expected - a.expected)[0];
			if (!next) break;
			startJob(next, freeLanes.shift());
		}
		if (pending.every((j) => j.state === 'done')) break;
		await new Promise((resolve) => {
			wake = resolve;
		});
		wake = undefined;
	}
	process.off('SIGINT', stop);
	process.off('SIGTERM', stop);
	return results;
}

/** Writes the measured seconds of passed files into durations.json (for the next run's order). */
function recordDurations(results) {
	const durations = recordedDurations();
	for (const r of results) {
		if (r.code !== 0 || !r.ms) continue;
		durations[r.version] = durations[r.version] || {};
		durations[r.version][r.file] = Math.round(r.ms / 1000);
	}
	fs.writeFileSync(DURATIONS_FILE, `${JSON.stringify(durations, null, '\t')}\n`);
}

module.exports = { runFiles, e2eFiles, recordDurations, DURATIONS_FILE };
