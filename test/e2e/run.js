#!/usr/bin/env node
'use strict';
// `npm run test:e2e` / `npm test` → after the build: for EACH n8n version of the matrix (default: every version
// of lib/install.js's table, in order: 2.0.3 on the machine's Node 20, 2.41.1 on Node 24), installs that n8n
// (and its Node) into .cache/ if needed, makes sure Debian's Chromium is there for the editor tests
// (apt-get install -y chromium when missing), then runs the whole end-to-end jest suite in band with
// E2E_N8N_VERSION set. Versions run one after the other (never two n8n suites at once). Exits non-zero if any
// version failed; prints per-version timings at the end.
//   node test/e2e/run.js                        every version
//   node test/e2e/run.js --n8n 2.41.1           one version (repeatable: --n8n 2.0.3 --n8n 2.41.1)
//   E2E_N8N_VERSIONS=2.0.3 npm run test:e2e     the same through the environment (comma-separated)
//   node test/e2e/run.js harness.smoke          other arguments go to jest (a path pattern)
//   E2E_SKIP_BROWSER=1 node test/e2e/run.js     no Chromium wanted: browser tests are skipped, loudly
// The package must be built (dist/); run.js builds it only when it is not (the npm scripts build first).

const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ensureN8n, ALL_VERSIONS, profileOf, REPO_ROOT } = require('./lib/install');
const { ensureChromium } = require('./lib/browser');
const { packageBuildStatus, defaultPackageRoot, removeDatabaseTemplates } = require('./lib/n8n');

function banner(lines) {
	const width = Math.max(...lines.map((l) => l.length)) + 4;
	const bar = '!'.repeat(width);
	process.stderr.write(`\n${bar}\n${lines.map((l) => `! ${l.padEnd(width - 4)} !`).join('\n')}\n${bar}\n\n`);
}

function ensureBuilt() {
	const root = defaultPackageRoot();
	const status = packageBuildStatus(root);
	if (status.built) return;
	if (root !== REPO_ROOT) throw new Error(`E2E_PACKAGE_ROOT=${root} is not built (missing ${status.missing.join(', ')})`);
	process.stderr.write(`[e2e] package not built (missing ${status.missing.join(', ')}): npm run build\n`);
	const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
	const r = spawnSync(npm, ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
	if (r.status !== 0 || !packageBuildStatus(REPO_ROOT).built) throw new Error('npm run build failed: the e2e tests need dist/');
}

/** Splits argv into the versions asked for (--n8n X, --n8n=X) and the arguments for jest. */
function parseArgs(argv) {
	const versions = [];
	const jestArgs = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--n8n') {
			if (!argv[i + 1]) throw new Error('--n8n needs a version');
			versions.push(argv[++i]);
		} else if (a.startsWith('--n8n=')) versions.push(a.slice(6));
		else jestArgs.push(a);
	}
	const fromEnv = (process.env.E2E_N8N_VERSIONS || '').split(',').map((v) => v.trim()).filter(Boolean);
	const chosen = versions.length ? versions : fromEnv.length ? fromEnv : ALL_VERSIONS;
	for (const v of chosen) profileOf(v); // unknown version → error listing the known ones
	return { versions: chosen, jestArgs };
}

function runJest(jestArgs, env) {
	const jestBin = path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
	const args = [jestBin, '--config', path.join(__dirname, 'jest.config.js'), '--runInBand', ...jestArgs];
	return new Promise((resolve) => {
		const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit', env });
		const forward = (sig) => child.kill(sig);
		process.on('SIGINT', forward);
		process.on('SIGTERM', forward);
		child.on('exit', (code) => {
			process.off('SIGINT', forward);
			process.off('SIGTERM', forward);
			removeDatabaseTemplates(child.pid);
			resolve(code === null ? 1 : code);
		});
	});
}

const secs = (ms) => `${Math.round(ms / 1000)} s`;

async function main() {
	const t0 = Date.now();
	const { versions, jestArgs } = parseArgs(process.argv.slice(2));
	ensureBuilt();
	const baseEnv = { ...process.env };
	let browserSkipped;
	if (baseEnv.E2E_SKIP_BROWSER === '1') {
		browserSkipped = 'E2E_SKIP_BROWSER=1 was set';
	} else {
		const chromium = ensureChromium();
		if (chromium.ok) {
			process.stderr.write(`[e2e] chromium ${chromium.installedNow ? 'installed' : 'found'}: ${chromium.path}\n`);
		} else {
			browserSkipped = chromium.reason;
			baseEnv.E2E_SKIP_BROWSER = '1';
		}
	}
	const skipLines = browserSkipped
		? ['BROWSER TESTS SKIPPED: the n8n editor is NOT checked in this run.', `Reason: ${browserSkipped}.`, 'Install Debian `chromium` (or set CHROMIUM_PATH) to run them.']
		: undefined;
	if (skipLines) banner(skipLines);
	process.stderr.write(`[e2e] n8n versions: ${versions.join(', ')}\n`);

	const results = [];
	for (const version of versions) {
		const row = { version, node: '', installMs: 0, nodeInstallMs: 0, suiteMs: 0, code: 1 };
		results.push(row);
		const tInstall = Date.now();
		let n8n;
		try {
			n8n = await ensureN8n(version);
		} catch (err) {
			process.stderr.write(`[e2e] n8n ${version}: install failed: ${err.stack || err}\n`);
			row.error = 'install failed';
			continue;
		}
		row.installMs = n8n.installedNow ? n8n.ms : 0;
		row.nodeInstallMs = n8n.nodeInstallMs || 0;
		row.prepMs = Date.now() - tInstall;
		const nodeVersion = spawnSync(n8n.nodeBinary, ['--version'], { encoding: 'utf8' }).stdout.trim();
		row.node = nodeVersion;
		process.stderr.write(
			`\n[e2e] ===== n8n ${version} on Node ${nodeVersion}: ${n8n.installedNow ? `installed in ${secs(n8n.ms)}` : 'ready (cached)'} =====\n`,
		);
		const tSuite = Date.now();
		row.code = await runJest(jestArgs, { ...baseEnv, E2E_N8N_VERSION: version });
		row.suiteMs = Date.now() - tSuite;
		process.stderr.write(`[e2e] n8n ${version}: suite ${row.code === 0 ? 'passed' : `FAILED (exit ${row.code})`} in ${secs(row.suiteMs)}\n`);
	}

	const lines = ['', '[e2e] summary (per n8n version):', '  n8n      Node       install (n8n / node)   suite     result'];
	for (const r of results) {
		const inst = r.installMs || r.nodeInstallMs ? `${secs(r.installMs)} / ${secs(r.nodeInstallMs)}` : 'cached';
		lines.push(
			`  ${r.version.padEnd(8)} ${(r.node || '-').padEnd(10)} ${inst.padEnd(22)} ${secs(r.suiteMs).padEnd(9)} ${r.error || (r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`)}`,
		);
	}
	lines.push(`[e2e] done in ${secs(Date.now() - t0)}`, '');
	process.stderr.write(lines.join('\n'));
	if (skipLines) banner(skipLines);
	process.exit(results.every((r) => r.code === 0) ? 0 : 1);
}

main().catch((err) => {
	process.stderr.write(`[e2e] ${err.stack || err}\n`);
	process.exit(1);
});
