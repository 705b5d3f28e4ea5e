#!/usr/bin/env node
'use strict';
/**
 * `npm test`: build, lint, unit jest, the end-to-end suite per n8n version, the queue-mode suite per version — and
 * the n8n installs (each version and the Node it needs, into .cache/) in the background from the first second, so
 * they overlap the build, lint and unit phases and the previous version's end-to-end suite instead of adding to
 * them. A version's tests wait for its own install only. Stops at the first failed phase (as `a && b && c` did);
 * prints a table of phase durations at the end (also on failure).
 *
 *   npm test                              everything
 *   CI_NPM_INSTALL_MS=…                   .ci/run passes how long its `npm install` took (a row of the table)
 *   CI_STARTED_AT=<epoch ms>              .ci/run's start (the table's total then counts from there)
 *   E2E_INSTALL_LOG=<file>                where npm's output of the n8n installs goes (default: a temp file;
 *                                         its tail is printed when an install fails)
 *   TEST_PHASES=build,lint,unit           only these phases (of build, lint, unit, e2e, queue; default all; the
 *                                         n8n installs start only when e2e or queue is among them)
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

const versions = (process.env.E2E_N8N_VERSIONS || '').split(',').map((v) => v.trim()).filter(Boolean);
const VERSIONS = versions.length ? versions : ALL_VERSIONS;
VERSIONS.forEach((v) => profileOf(v));
const PHASES = new Set((process.env.TEST_PHASES || 'build,lint,unit,e2e,queue').split(',').map((p) => p.trim()));
const wanted = (p) => PHASES.has(p);

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
	lines.push(`  ${'total'.padEnd(width)} ${secs(total).padStart(7)}   ${clock(total)}${ok ? '' : '   FAILED'}`, '');
	process.stderr.write(lines.join('\n'));
}

async function main() {
	// n8n installs, one after the other in the table's order (2.0.3 first: its tests come first), in the background
	const installs = {};
	let chain = Promise.resolve();
	// The first version's install is what the tests wait for: normal priority. The later ones run beside the previous
	// version's end-to-end suite, which mostly waits (n8n boots, polls, minute ticks): niced, they take the idle CPU.
	const order = wanted('e2e') || wanted('queue') ? VERSIONS : [];
	for (const [i, v] of order.entries()) {
		const t0 = Date.now();
		installs[v] = chain.then(async () => {
			const t1 = Date.now();
			const r = await ensureN8n(v, { nice: i === 0 ? 0 : 10 });
			const row = {
				name: `n8n ${v} install`,
				ms: Date.now() - t1,
				result: r.installedNow || r.nodeInstallMs
					? `installed (n8n ${secs(r.ms)}${r.nodeInstallMs ? `, Node ${secs(r.nodeInstallMs)}` : ''}; ready ${secs(Date.now() - t0)} after the start)`
					: 'cached',
			};
			return row;
		});
		chain = installs[v].catch(() => undefined);
	}
	for (const v of Object.keys(installs)) installs[v].catch(() => undefined); // failures are reported where awaited

	let ok =
		(!wanted('build') || (await phase('build', () => run(npm, ['run', 'build'])))) &&
		(!wanted('lint') || (await phase('lint', () => run(npm, ['run', 'lint'])))) &&
		(!wanted('unit') || (await phase('unit jest', () => run(node, [jest]))));

	for (const v of Object.keys(installs)) {
		if (!ok) break;
		const tWait = Date.now();
		try {
			const row = await installs[v];
			row.waitedMs = Date.now() - tWait;
			rows.push({ ...row, result: `${row.result}; tests waited ${secs(row.waitedMs)}` });
		} catch (err) {
			rows.push({ name: `n8n ${v} install`, ms: Date.now() - tWait, result: 'FAILED' });
			log(`n8n ${v}: install failed: ${err.stack || err}`);
			try {
				log(`last lines of ${process.env.E2E_INSTALL_LOG}:\n${fs.readFileSync(process.env.E2E_INSTALL_LOG, 'utf8').split('\n').slice(-40).join('\n')}`);
			} catch {
				/* no log */
			}
			ok = false;
			break;
		}
		if (wanted('e2e')) ok = await phase(`e2e ${v}`, () => run(node, ['test/e2e/run.js', '--n8n', v]));
	}
	for (const v of wanted('queue') ? VERSIONS : []) {
		if (!ok) break;
		ok = await phase(`queue ${v}`, () => run(node, [jest, '--config', 'test/queue/jest.config.js'], { QUEUE_N8N_VERSIONS: v }));
	}
	printTable(ok);
	process.exit(ok ? 0 : 1);
}

main().catch((err) => {
	process.stderr.write(`[npm test] ${err.stack || err}\n`);
	printTable(false);
	process.exit(1);
});
