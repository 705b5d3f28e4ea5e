'use strict';
// Installs pinned real n8n versions (and the Node each needs) into a git-ignored cache folder, once each.
//
//   node test/e2e/lib/install.js                 # the default version ($E2E_N8N_VERSION or 2.0.3)
//   node test/e2e/lib/install.js 2.41.1 2.0.3    # these versions
//   require('./install').ensureN8n('2.41.1')     # → { binary, nodeBinary, cacheDir, version, installedNow, ms, profile }
//
// Layout (under $E2E_CACHE_ROOT, default <repo>/.cache):
//   n8n-<version>/                 package.json + .npmrc written here, `npm install --ignore-scripts`, marker
//                                  `.installed-n8n-<version>`
//   sqlite3-<v>/                   sqlite3@<v> compiled once (Node-API), copied into every n8n-<version> pinning it
//   node-<major>/                  `npm install node@<exact>` (only for versions that need another Node than ours),
//                                  marker `.installed-node-<exact>`
// $N8N_E2E_CACHE_DIR still names the folder of the 2.0.3 install (backward compatible); $N8N_E2E_CACHE_DIR_<v>
// (dots → underscores, e.g. N8N_E2E_CACHE_DIR_2_41_1) names the folder of any version.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
const CACHE_ROOT = process.env.E2E_CACHE_ROOT ? path.resolve(process.env.E2E_CACHE_ROOT) : path.join(REPO_ROOT, '.cache');

/**
 * What each n8n version needs. `node`: 'system' (the Node running the tests; n8n 2.0.x–2.8.x run on Node 20) or an
 * exact version installed from the npm registry (`npm install node@X`, n8n >= 2.36 needs Node >= 24).
 * The install runs no package scripts (nothing is compiled for that Node); sqlite3, the one native module n8n needs,
 * is Node-API (see builtSqlite3).
 * `env`: defaults for every n8n process of that version (the caller's environment still wins).
 * `benignLogLines`: start-up log lines that are not problems of our package.
 * `asyncActivation`: publishing answers before the triggers are registered (workflow_publication_outbox).
 * `credentialTestMessages`: what the credential test shows when a webhook URL's code is wrong (see oauth-refresh test).
 */
const VERSIONS = {
	'2.0.3': {
		node: 'system',
		env: {},
		benignLogLines: [],
		asyncActivation: false,
	},
	'2.41.1': {
		node: '24.21.0',
		env: {
			// mcp-registry calls api.n8n.io at start; instance-ai makes the editor open on /assistant
			N8N_DISABLED_MODULES: 'mcp-registry,instance-ai',
		},
		benignLogLines: [
			/Python task runner/i, // the Python runner is not found (no venv here; the JS runner is used)
			// the deprecation block naming N8N_RUNNERS_MODE (internal runners; the harness needs them) and others
			/^There are deprecations related to your n8n setup/,
			/^\s*- N8N_RUNNERS_MODE -> Internal task runner mode is deprecated/,
		],
		asyncActivation: true,
	},
};

const DEFAULT_VERSION = '2.0.3';
/** Every version the suite runs on by default (`npm test`), in order. */
const ALL_VERSIONS = Object.keys(VERSIONS);

function profileOf(version) {
	const p = VERSIONS[version];
	if (!p) throw new Error(`n8n ${version} is not in the e2e version table (known: ${ALL_VERSIONS.join(', ')})`);
	return { version, ...p };
}

/** The version a test process uses when none is passed: $E2E_N8N_VERSION (run.js sets it per run) or 2.0.3. */
function defaultVersion() {
	return process.env.E2E_N8N_VERSION || DEFAULT_VERSION;
}

function cacheDirOf(version) {
	const specific = process.env[`N8N_E2E_CACHE_DIR_${version.replace(/\W/g, '_')}`];
	if (specific) return path.resolve(specific);
	if (version === '2.0.3' && process.env.N8N_E2E_CACHE_DIR) return path.resolve(process.env.N8N_E2E_CACHE_DIR);
	return path.join(CACHE_ROOT, `n8n-${version}`);
}

function n8nBinOf(version) {
	return path.join(cacheDirOf(version), 'node_modules', 'n8n', 'bin', 'n8n');
}

function markerOf(version) {
	return path.join(cacheDirOf(version), `.installed-n8n-${version}`);
}

function nodeDirOf(nodeVersion) {
	return path.join(CACHE_ROOT, `node-${nodeVersion.split('.')[0]}`);
}

function nodeBinOf(nodeVersion) {
	return path.join(nodeDirOf(nodeVersion), 'node_modules', 'node', 'bin', 'node');
}

function log(msg) {
	process.stderr.write(`[e2e install] ${msg}\n`);
}

function readVersion(pkgJson) {
	try {
		return JSON.parse(fs.readFileSync(pkgJson, 'utf8')).version;
	} catch {
		return undefined;
	}
}

function installedVersion(version = defaultVersion()) {
	return readVersion(path.join(cacheDirOf(version), 'node_modules', 'n8n', 'package.json'));
}

/** True when n8n@version is installed and the marker of a completed install is present. */
function isInstalled(version = defaultVersion()) {
	return fs.existsSync(markerOf(version)) && fs.existsSync(n8nBinOf(version)) && installedVersion(version) === version;
}

/**
 * Whether a complete npm install with no marker yet can be adopted (e.g. one run by hand with the same
 * package.json as ours): npm's lockfile is written last, the binary and the version are right.
 */
function adoptable(version) {
	const dir = cacheDirOf(version);
	try {
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
		return (
			pkg.dependencies && pkg.dependencies.n8n === version &&
			fs.existsSync(path.join(dir, 'package-lock.json')) &&
			fs.existsSync(path.join(dir, 'node_modules', '.package-lock.json')) &&
			fs.existsSync(n8nBinOf(version)) &&
			installedVersion(version) === version
		);
	} catch {
		return false;
	}
}

function nodeInstalled(nodeVersion) {
	return (
		fs.existsSync(path.join(nodeDirOf(nodeVersion), `.installed-node-${nodeVersion}`)) &&
		fs.existsSync(nodeBinOf(nodeVersion)) &&
		readVersion(path.join(nodeDirOf(nodeVersion), 'node_modules', 'node', 'package.json')) === nodeVersion
	);
}

function writeNpmFiles(dir, dependencies, extra = {}) {
	fs.mkdirSync(dir, { recursive: true });
	const pkg = {
		name: 'n8n-e2e-cache',
		private: true,
		description: 'Installed by the end-to-end tests of n8n-nodes-bitrix24-chat (git-ignored).',
		dependencies,
		...extra,
	};
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
	fs.writeFileSync(path.join(dir, '.npmrc'), 'yes=true\nfund=false\naudit=false\n');
}

/**
 * Runs `npm install` in dir; resolves its duration in ms. PATH gets `pathFirst` in front (the Node to build for).
 * `nice` (e.g. 10): the install and the compilers it starts get CPU only when the tests beside it leave some.
 */
/** npm installs still running: ended when this process exits (npm test stops at a failed phase; no orphan install). */
const runningInstalls = new Set();
process.once('exit', () => {
	for (const child of runningInstalls) {
		try {
			child.kill('SIGTERM');
		} catch {
			/* already gone */
		}
	}
});

function runNpmInstall(dir, { what, env = {}, pathFirst, nice = 0, timeoutMs = 40 * 60 * 1000, args = ['install'] }) {
	return new Promise((resolve, reject) => {
		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		const PATH = pathFirst ? `${pathFirst}${path.delimiter}${process.env.PATH || ''}` : process.env.PATH;
		// E2E_INSTALL_LOG=<file>: npm's output goes there (npm test installs in the background, beside other phases)
		const out = process.env.E2E_INSTALL_LOG ? fs.openSync(process.env.E2E_INSTALL_LOG, 'a') : 'inherit';
		const child = spawn(npm, [...args, '--no-audit', '--no-fund', '--loglevel=warn'], {
			cwd: dir,
			stdio: ['ignore', out, out],
			env: { ...process.env, PATH, npm_config_yes: 'true', SCARF_ANALYTICS: 'false', DO_NOT_TRACK: '1', ...env },
		});
		runningInstalls.add(child);
		child.on('exit', () => runningInstalls.delete(child));
		if (nice) {
			try {
				os.setPriority(child.pid, nice); // before npm forks anything: its children inherit it
			} catch {
				/* not allowed: runs at normal priority */
			}
		}
		const started = Date.now();
		const ticker = setInterval(() => {
			log(`npm install of ${what} still running (${Math.round((Date.now() - started) / 1000)} s)…`);
		}, 30000);
		const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (err) => {
			clearInterval(ticker);
			clearTimeout(killer);
			reject(err);
		});
		child.on('exit', (code, signal) => {
			clearInterval(ticker);
			clearTimeout(killer);
			if (typeof out === 'number') fs.closeSync(out);
			if (code === 0) resolve(Date.now() - started);
			else reject(new Error(`npm install of ${what} in ${dir} failed (code ${code}, signal ${signal})`));
		});
	});
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

/**
 * The cache is shared (worktrees symlink one .cache): one installer per folder at a time. A lock folder with the
 * owner's pid; a lock whose process is gone is taken over. Waits at most waitMs (an install takes minutes).
 */
async function withLock(dir, fn, { waitMs = 45 * 60 * 1000 } = {}) {
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	const lock = `${dir}.install-lock`;
	const t0 = Date.now();
	for (let i = 0; ; i++) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (err) {
			if (err.code !== 'EEXIST') throw err;
			let pid;
			try {
				pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				/* being written */
			}
			let alive = true;
			if (pid) {
				try {
					process.kill(pid, 0);
				} catch {
					alive = false;
				}
			}
			if (!alive) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() - t0 > waitMs) throw new Error(`${lock} held by pid ${pid} for more than ${waitMs} ms`);
			if (i % 30 === 0) log(`waiting for another install into ${dir} (pid ${pid})…`);
			await sleep(2000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

const pendingNode = new Map();

/** Ensures the exact Node version is in .cache/node-<major>/ (npm install node@X). Returns its binary. */
async function ensureNode(nodeVersion, { nice = 0 } = {}) {
	if (nodeVersion === 'system') return { binary: process.execPath, installedNow: false, ms: 0 };
	if (nodeInstalled(nodeVersion)) return { binary: nodeBinOf(nodeVersion), installedNow: false, ms: 0 };
	if (!pendingNode.has(nodeVersion)) {
		const dir = nodeDirOf(nodeVersion);
		const p = withLock(dir, async () => {
			if (nodeInstalled(nodeVersion)) return { binary: nodeBinOf(nodeVersion), installedNow: false, ms: 0 };
			let ms = 0;
			if (readVersion(path.join(dir, 'node_modules', 'node', 'package.json')) !== nodeVersion || !fs.existsSync(nodeBinOf(nodeVersion))) {
				log(`installing node@${nodeVersion} into ${dir}…`);
				writeNpmFiles(dir, { node: nodeVersion }, { name: `node${nodeVersion.split('.')[0]}-cache` });
				ms = await runNpmInstall(dir, { what: `node@${nodeVersion}`, nice });
			}
			if (readVersion(path.join(dir, 'node_modules', 'node', 'package.json')) !== nodeVersion || !fs.existsSync(nodeBinOf(nodeVersion))) {
				throw new Error(`npm install finished but ${nodeBinOf(nodeVersion)} (node@${nodeVersion}) is missing`);
			}
			fs.writeFileSync(path.join(dir, `.installed-node-${nodeVersion}`), new Date().toISOString() + '\n');
			if (ms) log(`node@${nodeVersion} installed in ${Math.round(ms / 1000)} s`);
			return { binary: nodeBinOf(nodeVersion), installedNow: ms > 0, ms };
		}).finally(() => pendingNode.delete(nodeVersion));
		pendingNode.set(nodeVersion, p);
	}
	return pendingNode.get(nodeVersion);
}

/**
 * sqlite3 is the one native module n8n needs at run time without a prebuilt binary in its package (its database).
 * It is a Node-API module: one binary serves every Node version and every n8n that pins the same sqlite3. It is
 * built once per sqlite3 version in .cache/sqlite3-<v>/ (~90 s of compiling), beside the n8n install that needs it,
 * and copied into each n8n install.
 */
function sqlite3DirOf(version) {
	return path.join(cacheDirOf(version), 'node_modules', 'sqlite3');
}

function sqlite3Binary(dir) {
	return path.join(dir, 'build', 'Release', 'node_sqlite3.node');
}

function sqlite3Loads(dir, nodeBinary) {
	const r = spawnSync(nodeBinary, ['-e', `require(${JSON.stringify(dir)})`], { stdio: 'ignore', timeout: 60000 });
	return r.status === 0;
}

/** The sqlite3 version n8n@version pins (npm's cached metadata; no install needed). */
function pinnedSqlite3(version) {
	return new Promise((resolve, reject) => {
		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		const child = spawn(npm, ['view', `n8n@${version}`, 'dependencies.sqlite3', '--prefer-offline'], { stdio: ['ignore', 'pipe', 'inherit'] });
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.on('error', reject);
		child.on('exit', (code) => {
			const v = out.trim();
			if (code === 0 && /^\d+\.\d+\.\d+$/.test(v)) resolve(v);
			else reject(new Error(`npm view n8n@${version} dependencies.sqlite3 gave "${v}" (exit ${code})`));
		});
	});
}

const pendingSqlite3 = new Map();

/** Builds sqlite3@v once into .cache/sqlite3-<v>/ (other processes wait on its lock). Resolves its module folder. */
function builtSqlite3(v, { nice = 0 } = {}) {
	const dir = path.join(CACHE_ROOT, `sqlite3-${v}`);
	const moduleDir = path.join(dir, 'node_modules', 'sqlite3');
	const marker = path.join(dir, `.built-sqlite3-${v}`);
	if (!pendingSqlite3.has(v)) {
		const p = withLock(dir, async () => {
			if (fs.existsSync(marker) && fs.existsSync(sqlite3Binary(moduleDir))) return moduleDir;
			log(`building sqlite3 ${v} (once for every n8n version that pins it)…`);
			writeNpmFiles(dir, { sqlite3: v }, { name: `sqlite3-${v}-build` });
			await runNpmInstall(dir, { what: `sqlite3@${v}`, nice, args: ['install', '--ignore-scripts', '--prefer-offline'] });
			const ms = await runNpmInstall(dir, { what: `sqlite3@${v} (compiling)`, nice, args: ['rebuild', 'sqlite3'] });
			if (!sqlite3Loads(moduleDir, process.execPath)) throw new Error(`sqlite3 ${v} was built in ${dir} but does not load`);
			fs.writeFileSync(marker, new Date().toISOString() + '\n');
			log(`sqlite3 ${v} built in ${Math.round(ms / 1000)} s`);
			return moduleDir;
		});
		pendingSqlite3.set(v, p);
		p.catch(() => pendingSqlite3.delete(v));
	}
	return pendingSqlite3.get(v);
}

/** Starts building the sqlite3 that n8n@version pins (beside its npm install); resolves its module folder. */
async function startSqlite3Build(version, opts) {
	return builtSqlite3(await pinnedSqlite3(version), opts);
}

/** Puts the built sqlite3 binary into n8n@version's install and checks that n8n's Node loads it. */
async function placeSqlite3(version, built, nodeBinary) {
	const mine = sqlite3DirOf(version);
	const wanted = readVersion(path.join(mine, 'package.json'));
	const from = await built;
	if (readVersion(path.join(from, 'package.json')) !== wanted) throw new Error(`n8n@${version} installed sqlite3 ${wanted}, not the pinned one built in ${from}`);
	fs.mkdirSync(path.dirname(sqlite3Binary(mine)), { recursive: true });
	fs.copyFileSync(sqlite3Binary(from), sqlite3Binary(mine));
	if (!sqlite3Loads(mine, nodeBinary)) throw new Error(`sqlite3 ${wanted} does not load in n8n@${version} with ${nodeBinary}`);
}

const pendingN8n = new Map();

function result(version, node, extra) {
	const profile = profileOf(version);
	return {
		binary: n8nBinOf(version),
		nodeBinary: node.binary,
		cacheDir: cacheDirOf(version),
		version,
		profile,
		nodeInstallMs: node.ms,
		installedNow: false,
		ms: 0,
		...extra,
	};
}

/**
 * Ensures n8n@version (default: $E2E_N8N_VERSION or 2.0.3) and the Node it needs are installed in the cache.
 * Returns { binary, nodeBinary, cacheDir, version, profile, installedNow, ms, nodeInstallMs }.
 * Concurrent calls share one install; a completed install is reused (other processes wait on a lock).
 * opts.nice: the npm installs' CPU priority (npm test installs the later versions at 10, beside running tests).
 */
async function ensureN8n(version = defaultVersion(), { nice = 0 } = {}) {
	const profile = profileOf(version);
	const node = await ensureNode(profile.node, { nice });
	if (isInstalled(version)) return result(version, node);
	if (!pendingN8n.has(version)) {
		const dir = cacheDirOf(version);
		const p = withLock(dir, async () => {
			if (isInstalled(version)) return result(version, node);
			if (adoptable(version)) {
				log(`n8n@${version} found complete in ${dir} without a marker: adopted`);
				fs.writeFileSync(markerOf(version), new Date().toISOString() + ' adopted\n');
				return result(version, node);
			}
			log(`installing n8n@${version} into ${dir} (Node ${profile.node === 'system' ? process.version : profile.node}; takes minutes, 1.7-3 GB)…`);
			// n8n-nodes-base pulls xlsx from a CDN tarball otherwise; the registry's 0.18.5 installs offline.
			writeNpmFiles(dir, { n8n: version }, { overrides: { xlsx: '0.18.5' } });
			const pathFirst = profile.node === 'system' ? undefined : path.dirname(node.binary);
			// No install scripts: they compile optional native modules from source here (no prebuilt binaries can be
			// downloaded offline), e.g. librdkafka for the Kafka nodes, ~4 min of CPU. The one n8n needs is built below.
			// --prefer-offline: package metadata already in npm's cache is not asked for again.
			const t0 = Date.now();
			const sqlite3 = startSqlite3Build(version, { nice });
			sqlite3.catch(() => undefined); // awaited below
			await runNpmInstall(dir, {
				what: `n8n@${version}`,
				nice,
				pathFirst,
				args: ['install', '--ignore-scripts', '--prefer-offline'],
			});
			if (installedVersion(version) !== version || !fs.existsSync(n8nBinOf(version))) {
				throw new Error(`npm install finished but ${n8nBinOf(version)} (n8n@${version}) is missing`);
			}
			await placeSqlite3(version, sqlite3, node.binary);
			const ms = Date.now() - t0;
			fs.writeFileSync(markerOf(version), new Date().toISOString() + '\n');
			log(`n8n@${version} installed in ${Math.round(ms / 1000)} s`);
			return result(version, node, { installedNow: true, ms });
		}).finally(() => pendingN8n.delete(version));
		pendingN8n.set(version, p);
	}
	return pendingN8n.get(version);
}

// Backward-compatible constants: they describe the default version.
const N8N_VERSION = defaultVersion();
const CACHE_DIR = cacheDirOf(N8N_VERSION);
const N8N_BIN = n8nBinOf(N8N_VERSION);

module.exports = {
	ensureN8n,
	ensureNode,
	isInstalled,
	profileOf,
	defaultVersion,
	cacheDirOf,
	n8nBinOf,
	nodeBinOf,
	VERSIONS,
	ALL_VERSIONS,
	DEFAULT_VERSION,
	CACHE_ROOT,
	N8N_VERSION,
	CACHE_DIR,
	N8N_BIN,
	REPO_ROOT,
};

if (require.main === module) {
	const versions = process.argv.slice(2).length ? process.argv.slice(2) : [defaultVersion()];
	(async () => {
		for (const v of versions) {
			const r = await ensureN8n(v);
			log(r.installedNow ? `done: ${r.binary} (${Math.round(r.ms / 1000)} s)` : `already installed: ${r.binary}`);
		}
	})().catch((err) => {
		log(err.stack || String(err));
		process.exit(1);
	});
}
