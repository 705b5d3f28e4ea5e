#!/usr/bin/env node
'use strict';
// `npm run test:e2e` → builds (in the npm script), then: installs n8n@2.0.3 into .cache/n8n if needed
// (printing progress), then runs the end-to-end jest suite in band. Extra arguments go to jest, e.g.
//   node test/e2e/run.js harness.smoke      (a path pattern)
//   E2E_SKIP_BROWSER=1 node test/e2e/run.js (no Chromium on this machine)

const path = require('node:path');
const { spawn } = require('node:child_process');
const { ensureN8n, REPO_ROOT } = require('./lib/install');

async function main() {
	const t0 = Date.now();
	const n8n = await ensureN8n();
	process.stderr.write(
		`[e2e] n8n ${n8n.version} ${n8n.installedNow ? `installed in ${Math.round(n8n.ms / 1000)} s` : 'ready (cached)'}\n`,
	);
	const jestBin = path.join(REPO_ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
	const args = [jestBin, '--config', path.join(__dirname, 'jest.config.js'), '--runInBand', ...process.argv.slice(2)];
	const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit' });
	const forward = (sig) => child.kill(sig);
	process.on('SIGINT', forward);
	process.on('SIGTERM', forward);
	child.on('exit', (code, signal) => {
		process.stderr.write(`[e2e] done in ${Math.round((Date.now() - t0) / 1000)} s\n`);
		process.exit(code === null ? (signal ? 1 : 0) : code);
	});
}

main().catch((err) => {
	process.stderr.write(`[e2e] ${err.stack || err}\n`);
	process.exit(1);
});
