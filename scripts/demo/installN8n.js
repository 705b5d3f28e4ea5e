'use strict';
// The first demo run installs n8n into the cache (test/e2e/lib/install.js). npm prints ~40 lines of
// "npm warn ERESOLVE overriding peer dependency" for it: peer-dependency conflicts inside n8n's own dependency
// tree that npm resolves by itself; they are harmless. The demo runs the installer in a child process, keeps
// npm's warnings out of the terminal (one summary line instead; the full text goes to a log file) and passes
// everything else (progress, errors) through.

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const INSTALLER = path.resolve(__dirname, '..', '..', 'test', 'e2e', 'lib', 'install.js');

/**
 * Installs n8n when needed. Returns { installedNow, ms, warnings, logFile } (warnings: npm warn lines hidden).
 * `print(line)` gets the lines that are shown. `lib`: test/e2e/lib/install.js's exports ({ isInstalled, CACHE_DIR });
 * `installer` (tests) another script to run instead of it.
 */
function installN8nQuietly({ isInstalled, CACHE_DIR: cacheDir, installer = INSTALLER }, print) {
	if (isInstalled()) return Promise.resolve({ installedNow: false, ms: 0, warnings: 0 });
	const logFile = path.join(cacheDir, 'npm-install-warnings.log');
	const started = Date.now();
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [installer], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
		const hidden = [];
		let pendingText = '';
		const onText = (chunk) => {
			pendingText += chunk;
			const lines = pendingText.split('\n');
			pendingText = lines.pop();
			for (const line of lines) {
				if (/^npm warn/i.test(line)) hidden.push(line);
				else if (line.trim()) print(`  ${line}`);
			}
		};
		child.stdout.setEncoding('utf8');
		child.stderr.setEncoding('utf8');
		child.stdout.on('data', onText);
		child.stderr.on('data', onText);
		child.on('error', reject);
		child.on('exit', (code) => {
			if (pendingText.trim()) onText('\n');
			if (hidden.length) {
				try {
					fs.mkdirSync(cacheDir, { recursive: true });
					fs.writeFileSync(logFile, `${hidden.join('\n')}\n`);
				} catch {
					// the summary line below is enough
				}
			}
			if (code !== 0) {
				for (const line of hidden.slice(-20)) print(`  ${line}`);
				reject(new Error(`installing n8n failed (exit ${code}); see the lines above`));
				return;
			}
			resolve({ installedNow: true, ms: Date.now() - started, warnings: hidden.length, logFile: hidden.length ? logFile : undefined });
		});
	});
}

module.exports = { installN8nQuietly };
