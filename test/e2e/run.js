#!/usr/bin/env node
'use strict';
// `npm run test:e2e` / `npm test` → after the build: installs n8n@2.0.3 into .cache/n8n if needed, makes sure
// Debian's Chromium is there for the editor tests (apt-get install -y chromium when missing), then runs the
// end-to-end jest suite in band. Exits non-zero on any failure. Extra arguments go to jest, e.g.
//   node test/e2e/run.js harness.smoke      (a path pattern)
//   E2E_SKIP_BROWSER=1 node test/e2e/run.js (no Chromium wanted: browser tests are skipped, loudly)
// The package must be built (dist/); run.js builds it only when it is not (the npm scripts build first).

const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');
const { ensureN8n, REPO_ROOT } = require('./lib/install');
const { ensureChromium } = require('./lib/browser');
const { packageBuildStatus, defaultPackageRoot } = require('./lib/n8n');

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

async function main() {
	const t0 = Date.now();
	ensureBuilt();
	const n8n = await ensureN8n();
	process.stderr.write(
		`[e2e] n8n ${n8n.version} ${n8n.installedNow ? `installed in ${Math.round(n8n.ms / 1000)} s` : 'ready (cached)'}\n`,
	);
	const env = { ...process.env };
	let browserSkipped;
	if (env.E2E_SKIP_BROWSER === '1') {
		browserSkipped = 'E2E_SKIP_BROWSER=1 was set';
	} else {
		const chromium = ensureChromium();
		if (chromium.ok) {
			process.stderr.write(`[e2e] chromium ${chromium.installedNow ? 'installed' : 'found'}: ${chromium.path}\n`);
		} else {
			browserSkipped = chromium.reason;
			env.E2E_SKIP_BROWSER = '1';
		}
	}
	const skipLines = browserSkipped
		? ['BROWSER TESTS SKIPPED: the n8n editor is NOT checked in this run.', `Reason: ${browserSkipped}.`, 'Install Debian `chromium` (or set CHROMIUM_PATH) to run them.']
		: undefined;
	if (skipLines) banner(skipLines);

	const jestBin = path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
	const args = [jestBin, '--config', path.join(__dirname, 'jest.config.js'), '--runInBand', ...process.argv.slice(2)];
	const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit', env });
	const forward = (sig) => child.kill(sig);
	process.on('SIGINT', forward);
	process.on('SIGTERM', forward);
	child.on('exit', (code, signal) => {
		process.stderr.write(`[e2e] done in ${Math.round((Date.now() - t0) / 1000)} s\n`);
		if (skipLines) banner(skipLines);
		process.exit(code === null ? 1 : code);
	});
}

main().catch((err) => {
	process.stderr.write(`[e2e] ${err.stack || err}\n`);
	process.exit(1);
});
