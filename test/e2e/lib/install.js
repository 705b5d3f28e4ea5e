'use strict';
// Installs a pinned real n8n into a git-ignored cache folder, once.
// Usage: node test/e2e/lib/install.js   (or require('./install').ensureN8n())

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const N8N_VERSION = '2.0.3';
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE_DIR = process.env.N8N_E2E_CACHE_DIR || path.join(REPO_ROOT, '.cache', 'n8n');
const MARKER = path.join(CACHE_DIR, '.installed-n8n-' + N8N_VERSION);
const N8N_BIN = path.join(CACHE_DIR, 'node_modules', 'n8n', 'bin', 'n8n');

function log(msg) {
	process.stderr.write(`[e2e install] ${msg}\n`);
}

function installedVersion() {
	try {
		const pkg = JSON.parse(
			fs.readFileSync(path.join(CACHE_DIR, 'node_modules', 'n8n', 'package.json'), 'utf8'),
		);
		return pkg.version;
	} catch {
		return undefined;
	}
}

/** True when n8n@2.0.3 is installed and the marker of a completed install is present. */
function isInstalled() {
	return fs.existsSync(MARKER) && fs.existsSync(N8N_BIN) && installedVersion() === N8N_VERSION;
}

function writeInstallerFiles() {
	fs.mkdirSync(CACHE_DIR, { recursive: true });
	const pkg = {
		name: 'n8n-e2e-cache',
		private: true,
		description: 'Real n8n used by the end-to-end tests of n8n-nodes-bitrix24-chat (git-ignored).',
		dependencies: { n8n: N8N_VERSION },
		// n8n-nodes-base pulls xlsx from a CDN tarball otherwise; the registry's 0.18.5 installs offline.
		overrides: { xlsx: '0.18.5' },
	};
	fs.writeFileSync(path.join(CACHE_DIR, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
	fs.writeFileSync(path.join(CACHE_DIR, '.npmrc'), 'yes=true\nfund=false\naudit=false\n');
}

function runNpmInstall() {
	return new Promise((resolve, reject) => {
		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		const child = spawn(npm, ['install', '--no-audit', '--no-fund', '--loglevel=warn'], {
			cwd: CACHE_DIR,
			stdio: ['ignore', 'inherit', 'inherit'],
			env: { ...process.env, npm_config_yes: 'true', SCARF_ANALYTICS: 'false', DO_NOT_TRACK: '1' },
		});
		const started = Date.now();
		const ticker = setInterval(() => {
			log(`npm install still running (${Math.round((Date.now() - started) / 1000)} s)…`);
		}, 30000);
		child.on('error', (err) => {
			clearInterval(ticker);
			reject(err);
		});
		child.on('exit', (code, signal) => {
			clearInterval(ticker);
			if (code === 0) resolve(Date.now() - started);
			else reject(new Error(`npm install of n8n@${N8N_VERSION} failed (code ${code}, signal ${signal})`));
		});
	});
}

let pending;

/**
 * Ensures n8n@2.0.3 is installed in .cache/n8n. Returns { binary, cacheDir, version, installedNow, ms }.
 * Concurrent calls in one process share one install; a completed install is reused.
 */
async function ensureN8n() {
	if (isInstalled()) {
		return { binary: N8N_BIN, cacheDir: CACHE_DIR, version: N8N_VERSION, installedNow: false, ms: 0 };
	}
	if (!pending) {
		pending = (async () => {
			log(`installing n8n@${N8N_VERSION} into ${CACHE_DIR} (takes a few minutes, ~1.7 GB)…`);
			writeInstallerFiles();
			const ms = await runNpmInstall();
			if (installedVersion() !== N8N_VERSION || !fs.existsSync(N8N_BIN)) {
				throw new Error(`npm install finished but ${N8N_BIN} (n8n@${N8N_VERSION}) is missing`);
			}
			fs.writeFileSync(MARKER, new Date().toISOString() + '\n');
			log(`n8n@${N8N_VERSION} installed in ${Math.round(ms / 1000)} s`);
			return { binary: N8N_BIN, cacheDir: CACHE_DIR, version: N8N_VERSION, installedNow: true, ms };
		})().finally(() => {
			pending = undefined;
		});
	}
	return pending;
}

module.exports = { ensureN8n, isInstalled, N8N_VERSION, CACHE_DIR, N8N_BIN, REPO_ROOT };

if (require.main === module) {
	ensureN8n().then(
		(r) => log(r.installedNow ? `done: ${r.binary}` : `already installed: ${r.binary}`),
		(err) => {
			log(err.stack || String(err));
			process.exit(1);
		},
	);
}
