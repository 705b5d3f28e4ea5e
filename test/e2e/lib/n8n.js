'use strict';
// Drives a REAL n8n (any version of lib/install.js's table, default $E2E_N8N_VERSION or 2.0.3, from
// .cache/n8n-<version>, run by the Node that version needs) headless: a fresh user folder per instance, our built
// package installed the way users get it, CLI import/execute, `n8n start` with webhooks, REST access.
//
//   const { N8nInstance } = require('./lib/n8n');
//   const n8n = await N8nInstance.create();          // installs n8n once, makes a temp user folder
//   await n8n.importCredentials([{ id, name, type, data }]);
//   await n8n.importWorkflow(workflow);
//   const run = await n8n.execute(workflow.id);       // { ok, execution, error, outputOf(node) … }
//   await n8n.start(); … await n8n.stop(); await n8n.cleanup();

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const http = require('node:http');
const crypto = require('node:crypto');
const { spawn, execFile } = require('node:child_process');
const { ensureN8n, defaultVersion, profileOf, REPO_ROOT } = require('./install');

const PACKAGE_NAME = 'n8n-nodes-bitrix24-chat';
const ENCRYPTION_KEY = 'e2e-fixed-encryption-key-bitrix24-chat';
const OWNER = {
	email: 'owner@e2e.test',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-Owner-Passw0rd',
};

/** A free TCP port on 127.0.0.1 (the OS picks it; tiny race window until n8n binds it). */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** E2E_TIMING_LOG=<file>: one line per n8n process (CLI call or start) with the test file and its duration. */
function timingLog(kind, what, ms) {
	if (!process.env.E2E_TIMING_LOG) return;
	let file = '';
	try {
		file = path.basename(expect.getState().testPath || '');
	} catch {
		/* not under jest */
	}
	const version = process.env.E2E_N8N_VERSION || '';
	fs.appendFileSync(process.env.E2E_TIMING_LOG, `${version}\t${file}\t${kind}\t${what}\t${ms}\n`);
}

/** n8n's own Cipher (n8n-core, the dev dependency; same format in 2.0.3 and 2.41.1) for a given encryption key. */
function cipherFor(encryptionKey) {
	const { Cipher } = require('n8n-core/dist/encryption/cipher');
	return new Cipher({ encryptionKey });
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

/** Plain HTTP request to 127.0.0.1. Resolves { status, headers, body (string), json (parsed or undefined) }. */
function httpRequest({ port, method = 'GET', path: urlPath, headers = {}, body, timeoutMs = 30000 }) {
	return new Promise((resolve, reject) => {
		let payload;
		const h = { ...headers };
		if (body !== undefined) {
			if (typeof body === 'string' || Buffer.isBuffer(body)) {
				payload = body;
			} else {
				payload = JSON.stringify(body);
				if (!h['content-type']) h['content-type'] = 'application/json';
			}
			h['content-length'] = Buffer.byteLength(payload);
		}
		const req = http.request(
			{ host: '127.0.0.1', port, method, path: urlPath, headers: h, timeout: timeoutMs },
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode, headers: res.headers, body: text, json });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`HTTP ${method} ${urlPath} timed out`)));
		req.on('error', reject);
		if (payload !== undefined) req.write(payload);
		req.end();
	});
}

/**
 * Extracts the execution JSON that `n8n execute` prints after a line of `====`.
 * On success it is the rest of stdout; on failure n8n prints more log lines after it, so we cut at the
 * first line that is exactly `}` (JSON.stringify(…, null, 2) closes the top object at column 0).
 */
function parseExecuteOutput(stdout) {
	const lines = stdout.split(/\r?\n/);
	const sep = lines.findIndex((l) => /^={10,}\s*$/.test(l.replace(/\x1b\[[0-9;]*m/g, '')));
	if (sep < 0) return undefined;
	const rest = lines.slice(sep + 1);
	const start = rest.findIndex((l) => l.startsWith('{'));
	if (start < 0) return undefined;
	const end = rest.findIndex((l, i) => i >= start && l === '}');
	if (end < 0) return undefined;
	try {
		return JSON.parse(rest.slice(start, end + 1).join('\n'));
	} catch {
		return undefined;
	}
}

/** Wraps a full execution (IRun) in helpers for tests. */
function describeRun(execution, extra = {}) {
	const resultData = (execution && execution.data && execution.data.resultData) || {};
	const runData = resultData.runData || {};
	const error = resultData.error;
	return {
		ok: Boolean(execution) && !error && execution.status !== 'error',
		status: execution && execution.status,
		finished: execution && execution.finished,
		error,
		execution,
		runData,
		lastNodeExecuted: resultData.lastNodeExecuted,
		/** JSON of every item a node gave on an output (default main output 0 of its last run). */
		outputOf(nodeName, { output = 0, run } = {}) {
			const runs = runData[nodeName];
			if (!runs || runs.length === 0) return undefined;
			const r = runs[run === undefined ? runs.length - 1 : run];
			const main = r && r.data && r.data.main;
			if (!main || !main[output]) return [];
			return main[output].map((item) => item.json);
		},
		/** Full items (json, binary, pairedItem, error) of a node's output. */
		itemsOf(nodeName, { output = 0, run } = {}) {
			const runs = runData[nodeName];
			if (!runs || runs.length === 0) return undefined;
			const r = runs[run === undefined ? runs.length - 1 : run];
			return (r && r.data && r.data.main && r.data.main[output]) || [];
		},
		/** The error a node raised (with Continue On Fail off), if any. */
		nodeError(nodeName) {
			const runs = runData[nodeName];
			return runs && runs.length ? runs[runs.length - 1].error : undefined;
		},
		...extra,
	};
}

/**
 * n8n processes started by this module that are still running. If the test process ends without
 * stop() (a thrown error, Ctrl-C), they are killed on exit instead of living on as orphans.
 */
const liveChildren = new Set();
let exitHookInstalled = false;
function track(child) {
	liveChildren.add(child);
	child.on('exit', () => liveChildren.delete(child));
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const c of liveChildren) c.kill('SIGKILL');
	});
	for (const sig of ['SIGINT', 'SIGTERM']) {
		process.once(sig, () => {
			for (const c of liveChildren) c.kill('SIGKILL');
			process.exit(130);
		});
	}
}

/** Start-up lines n8n prints in this set-up (every version; see install.js for per-version ones). */
const KNOWN_BENIGN_LOG_LINES = [
	/Failed to start Python task runner in internal mode/, // no Python venv here; JS runner is used
	/Automatic license renewal is disabled/, // N8N_LICENSE_AUTO_RENEW_ENABLED=false (offline)
];

/** n8n settings a caller may set in the environment; they are passed to n8n over the harness's defaults. */
const N8N_SETTING = /^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_|GENERIC_TIMEZONE$|CREDENTIALS_|WORKFLOWS_|NODES_|EXTERNAL_)/;
/** Settings that identify one instance: only the harness (or opts.env) sets them. */
const INSTANCE_KEYS = new Set([
	'N8N_USER_FOLDER',
	'N8N_PORT',
	'N8N_HOST',
	'N8N_LISTEN_ADDRESS',
	'N8N_PROTOCOL',
	'N8N_RUNNERS_BROKER_PORT',
	'N8N_RUNNERS_BROKER_LISTEN_ADDRESS',
	'N8N_EDITOR_BASE_URL',
	'WEBHOOK_URL',
	'DB_SQLITE_DATABASE',
	// the harness's own variables
	'N8N_E2E_CACHE_DIR',
]);

const SQLITE_TOOL = path.join(__dirname, 'sqlite-tool.js');

/** The package the e2e tests install: $E2E_PACKAGE_ROOT (e.g. an unpacked `npm pack`) or the repo. */
function defaultPackageRoot() {
	return process.env.E2E_PACKAGE_ROOT ? path.resolve(process.env.E2E_PACKAGE_ROOT) : REPO_ROOT;
}

/**
 * Whether a package folder is built: every node and credential file its package.json declares exists.
 * Returns { built, missing: [paths] }.
 */
function packageBuildStatus(packageRoot = defaultPackageRoot()) {
	const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8'));
	const files = [...((pkg.n8n && pkg.n8n.nodes) || []), ...((pkg.n8n && pkg.n8n.credentials) || [])];
	const missing = files.filter((f) => !fs.existsSync(path.join(packageRoot, f)));
	return { built: files.length > 0 && missing.length === 0, missing };
}

class N8nInstance {
	/**
	 * @param {object} [opts]
	 * @param {string} [opts.userFolder] existing folder to use (default: a fresh mkdtemp under os.tmpdir()).
	 * @param {boolean} [opts.installPackage=true] copy our built package into the user folder.
	 * @param {string} [opts.packageRoot] root of the package to install (default: the repo root).
	 * @param {object} [opts.env] extra environment variables (override the defaults).
	 * @param {number} [opts.port] fixed N8N_PORT (default: a free port).
	 * @param {boolean} [opts.keepFolder] do not delete the user folder in cleanup() (also: E2E_KEEP=1).
	 * @param {boolean} [opts.echoLogs] mirror n8n's output to this process's stderr (also: E2E_ECHO=1).
	 * @param {string} [opts.n8nVersion] n8n version from install.js's table (default: $E2E_N8N_VERSION, which
	 *   run.js sets per version, else 2.0.3). `opts.version` is accepted as an alias.
	 */
	constructor(opts = {}) {
		this.opts = opts;
		this.n8nVersion = opts.n8nVersion || opts.version || defaultVersion();
		this.profile = profileOf(this.n8nVersion); // throws for a version not in the table
		this.binary = undefined;
		this.nodeBinary = undefined; // the Node that runs this n8n version
		this.userFolder = opts.userFolder;
		this.port = undefined;
		this.brokerPort = undefined;
		this.extraEnv = opts.env || {};
		this.logs = ''; // everything `n8n start` printed (stdout + stderr)
		this.cliLog = []; // { args, code, stdout, stderr, ms } per CLI call
		this.server = undefined; // child process of `n8n start`
		this.cookie = undefined; // n8n-auth cookie after owner setup / login
		this.owner = { ...OWNER };
		this.timings = {};
	}

	/** Installs n8n if needed, prepares a fresh user folder with our package, picks free ports. */
	static async create(opts = {}) {
		const inst = new N8nInstance(opts);
		await inst.prepare();
		return inst;
	}

	async prepare() {
		const t0 = Date.now();
		const installed = await ensureN8n(this.n8nVersion);
		this.binary = installed.binary;
		this.nodeBinary = installed.nodeBinary;
		this.profile = installed.profile;
		if (!this.userFolder) {
			this.userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
		}
		fs.mkdirSync(path.join(this.userFolder, '.n8n'), { recursive: true });
		this.port = this.opts.port || (await freePort());
		if (this.opts.installPackage !== false) this.installPackage(this.opts.packageRoot || defaultPackageRoot());
		if (this.usesDatabaseTemplate()) {
			const template = await databaseTemplate(this);
			for (const f of fs.readdirSync(path.dirname(template))) {
				fs.copyFileSync(path.join(path.dirname(template), f), path.join(this.n8nDir, f));
			}
			this.timings.databaseFromTemplate = true;
		}
		this.timings.prepareMs = Date.now() - t0;
		return this;
	}

	/**
	 * Whether this instance starts from the run's migrated empty database (see databaseTemplate) instead of
	 * migrating a new one in its first n8n process (~8-10 s per instance). Only for the harness's own sqlite
	 * file in a new folder; opts.freshDatabase or E2E_FRESH_DB=1 turn it off.
	 */
	usesDatabaseTemplate() {
		if (this.opts.freshDatabase || process.env.E2E_FRESH_DB === '1') return false;
		const env = this.env();
		if (env.DB_TYPE !== 'sqlite' || this.extraEnv.DB_SQLITE_DATABASE) return false;
		return !fs.readdirSync(this.n8nDir).some((f) => f.startsWith('database.sqlite'));
	}

	/**
	 * Whether importCredentials / importWorkflow / exportCredential read and write the sqlite database directly (what
	 * n8n's import/export commands store, ~0.2 s) instead of booting an n8n CLI process each (5-15 s on 2.41.1).
	 * The harness's own sqlite database only; opts.importVia = 'cli' or E2E_IMPORT_VIA=cli keep n8n's commands (the
	 * demo and harness.smoke use them, so they stay covered).
	 */
	importsThroughDatabase() {
		const via = this.opts.importVia || process.env.E2E_IMPORT_VIA || 'database';
		if (via === 'cli') return false;
		const env = this.env();
		return env.DB_TYPE === 'sqlite' && env.DB_SQLITE_DATABASE === path.join(this.n8nDir, 'database.sqlite');
	}

	/** Where n8n keeps its data (sqlite DB, config, nodes/). */
	get n8nDir() {
		return path.join(this.userFolder, '.n8n');
	}

	get baseUrl() {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Production webhook URL for a Webhook-node path (or a trigger's webhookId path). */
	webhookUrl(webhookPath) {
		return `${this.baseUrl}/webhook/${String(webhookPath).replace(/^\//, '')}`;
	}

	/**
	 * Installs a package the way n8n's community-package installer leaves it:
	 * <user folder>/.n8n/nodes/node_modules/<name>/{package.json,index.js,dist/} plus
	 * <user folder>/.n8n/nodes/package.json listing it. Node types become `<name>.<nodeName>`.
	 */
	installPackage(packageRoot = defaultPackageRoot()) {
		const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8'));
		const dist = path.join(packageRoot, 'dist');
		if (!fs.existsSync(dist)) {
			throw new Error(`${dist} does not exist: run \`npm run build\` before the e2e tests`);
		}
		const nodesDir = path.join(this.n8nDir, 'nodes');
		const target = path.join(nodesDir, 'node_modules', pkg.name);
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(target, { recursive: true });
		fs.copyFileSync(path.join(packageRoot, 'package.json'), path.join(target, 'package.json'));
		if (fs.existsSync(path.join(packageRoot, 'index.js'))) {
			fs.copyFileSync(path.join(packageRoot, 'index.js'), path.join(target, 'index.js'));
		}
		fs.cpSync(dist, path.join(target, 'dist'), { recursive: true });
		// n8n-workflow is a peer dependency: n8n resolves it from its own install, as for users.
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify(
				{ name: 'installed-nodes', private: true, dependencies: { [pkg.name]: pkg.version } },
				null,
				2,
			) + '\n',
		);
		this.packageName = pkg.name;
		this.packageJson = pkg;
		return target;
	}

	/**
	 * The environment every n8n process of this instance gets, lowest priority first:
	 *   the test process's environment (JEST_* and NODE_OPTIONS dropped) → the harness's defaults below →
	 *   the version's defaults (install.js) → N8N_* / DB_* / EXECUTIONS_* / QUEUE_* … the caller set in the
	 *   environment → opts.env → per-call overrides.
	 * Per-instance keys (N8N_USER_FOLDER, N8N_PORT, DB_SQLITE_DATABASE, N8N_RUNNERS_BROKER_PORT, WEBHOOK_URL,
	 * N8N_EDITOR_BASE_URL, …) always come from the harness unless opts.env sets them: one developer shell
	 * variable must not point every instance at the same folder or port.
	 */
	env(overrides = {}) {
		const base = { ...process.env };
		for (const k of Object.keys(base)) {
			if (/^(JEST_|NODE_OPTIONS$)/.test(k)) delete base[k];
		}
		const callerSettings = {};
		for (const [k, v] of Object.entries(base)) {
			if (N8N_SETTING.test(k) && !INSTANCE_KEYS.has(k)) callerSettings[k] = v;
		}
		// Under jest NODE_ENV is "test", which silences n8n's logger (and with it the `execute` result).
		base.NODE_ENV = 'production';
		// the Node that runs this n8n first on PATH (task runners and n8n's own child processes use it)
		if (this.nodeBinary && this.nodeBinary !== process.execPath) {
			base.PATH = `${path.dirname(this.nodeBinary)}${path.delimiter}${base.PATH || ''}`;
		}
		const env = {
			...base,
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_USER_MANAGEMENT_JWT_SECRET: 'e2e-fixed-jwt-secret',
			DB_TYPE: 'sqlite',
			DB_SQLITE_DATABASE: path.join(this.n8nDir, 'database.sqlite'),
			N8N_HOST: '127.0.0.1',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_PORT: String(this.port),
			WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			NO_COLOR: '1',
			GENERIC_TIMEZONE: 'UTC',
			TZ: 'UTC',
			// offline and quiet. Measured with net-guard.js + the browser: without N8N_VERIFIED_PACKAGES_ENABLED
			// the server fetches api.n8n.io/api/community-nodes; without N8N_DYNAMIC_BANNERS_ENABLED the editor
			// fetches api.n8n.io/api/banners. The rest are defensive (all default to calling n8n's servers).
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
			N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'false',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			N8N_COMMUNITY_PACKAGES_REGISTRY: 'http://127.0.0.1:9/',
			EXTERNAL_FRONTEND_HOOKS_URLS: '',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
			// task runners (always on in 2.x): internal mode, own broker port per process
			N8N_RUNNERS_MODE: 'internal',
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PYTHON_ENABLED: 'false',
			// keep every execution so tests can read it back
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
			EXECUTIONS_DATA_PRUNE: 'false',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			// records any non-loopback connection / DNS lookup (see externalConnections())
			NODE_OPTIONS: `--require=${path.join(__dirname, 'net-guard.js')}`,
			E2E_NET_LOG: this.netLogFile,
			...this.profile.env,
			...callerSettings,
			...this.extraEnv,
			...overrides,
		};
		// an override of `undefined` removes a default
		for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
		return env;
	}

	/**
	 * Runs one n8n CLI command to completion (a new process; its own free task-broker port so it can run
	 * beside `n8n start`). Resolves { code, signal, stdout, stderr, ms }. Reads all output until exit.
	 */
	async cli(args, { env = {}, timeoutMs = 180000 } = {}) {
		const brokerPort = await freePort();
		const t0 = Date.now();
		return new Promise((resolve, reject) => {
			const child = spawn(this.nodeBinary || process.execPath, [this.binary, ...args], {
				cwd: this.userFolder,
				env: this.env({ N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...env }),
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			track(child);
			let stdout = '';
			let stderr = '';
			child.stdout.setEncoding('utf8');
			child.stderr.setEncoding('utf8');
			child.stdout.on('data', (d) => (stdout += d));
			child.stderr.on('data', (d) => (stderr += d));
			const timer = setTimeout(() => {
				child.kill('SIGKILL');
			}, timeoutMs);
			child.on('error', (err) => {
				clearTimeout(timer);
				reject(err);
			});
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				const result = { args, code, signal, stdout, stderr, ms: Date.now() - t0 };
				this.cliLog.push(result);
				timingLog('cli', args[0], result.ms);
				if (signal === 'SIGKILL' && Date.now() - t0 >= timeoutMs) {
					const e = new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`);
					e.result = result;
					reject(e);
					return;
				}
				resolve(result);
			});
		});
	}

	_writeTemp(name, data) {
		const dir = path.join(this.userFolder, 'e2e-import');
		fs.mkdirSync(dir, { recursive: true });
		const file = path.join(dir, `${name}-${crypto.randomBytes(4).toString('hex')}.json`);
		fs.writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	async _cliOk(args, what, success) {
		const r = await this.cli(args);
		const ok = r.code === 0 && (!success || success.test(r.stdout + r.stderr));
		if (!ok) {
			const tail = (t) => t.split('\n').filter((l) => !/migration/i.test(l)).slice(-40).join('\n');
			const e = new Error(`${what} failed (exit ${r.code}):\n${tail(r.stdout)}\n${tail(r.stderr)}`);
			e.result = r;
			throw e;
		}
		return r;
	}

	/**
	 * Imports credentials: an array of { id, name, type, data: { …plain fields… } }. n8n encrypts `data`
	 * with N8N_ENCRYPTION_KEY. An OAuth2 credential can be imported already connected by putting
	 * `oauthTokenData: { access_token, refresh_token, token_type, expires_in, … }` inside `data`.
	 */
	async importCredentials(credentials) {
		const list = (Array.isArray(credentials) ? credentials : [credentials]).map((c) => ({
			...c,
			id: c.id || crypto.randomBytes(8).toString('hex'),
		}));
		for (const c of list) {
			if (!c.name || !c.type || !c.data) throw new Error('a credential needs name, type and data');
		}
		if (this.importsThroughDatabase()) {
			const key = this.env().N8N_ENCRYPTION_KEY;
			const file = this._writeTemp('credentials', list.map((c) => ({ ...c, data: cipherFor(key).encrypt(c.data) })));
			try {
				await this.sqlite('import-credentials', [file]);
			} finally {
				fs.rmSync(file, { force: true });
			}
			return list.map((c) => c.id);
		}
		const file = this._writeTemp('credentials', list);
		await this._cliOk(
			['import:credentials', `--input=${file}`],
			'n8n import:credentials',
			/Successfully imported/,
		);
		fs.rmSync(file, { force: true });
		return list.map((c) => c.id);
	}

	/**
	 * Imports one workflow (or an array). Fills in what n8n (2.0.3 and later) requires: id (≤ 16 chars), versionId,
	 * connections, settings. Returns the workflow id(s). Import leaves a workflow inactive.
	 */
	async importWorkflow(workflow) {
		const list = (Array.isArray(workflow) ? workflow : [workflow]).map((wf) => {
			const id = wf.id || crypto.randomBytes(8).toString('hex');
			if (id.length > 16) throw new Error(`workflow id "${id}" is longer than 16 characters`);
			return {
				name: wf.name || `e2e ${id}`,
				connections: {},
				settings: { executionOrder: 'v1' },
				pinData: {},
				active: false,
				...wf,
				id,
				versionId: wf.versionId || crypto.randomUUID(),
			};
		});
		const file = this._writeTemp('workflow', list);
		if (this.importsThroughDatabase()) {
			try {
				await this.sqlite('import-workflows', [file]);
			} finally {
				fs.rmSync(file, { force: true });
			}
			return Array.isArray(workflow) ? list.map((w) => w.id) : list[0].id;
		}
		await this._cliOk(['import:workflow', `--input=${file}`], 'n8n import:workflow', /Successfully imported/);
		fs.rmSync(file, { force: true });
		await this.backfillWorkflowHistory();
		return Array.isArray(workflow) ? list.map((w) => w.id) : list[0].id;
	}

	/**
	 * n8n 2.0.3's `import:workflow` stores a workflow without a workflow_history row for its versionId, and
	 * publishing (CLI `publish:workflow` or REST `/activate`) then fails with "Version not found". This adds
	 * the missing rows with the same SQL as n8n's own BackfillMissingWorkflowHistoryRecords migration, using
	 * the sqlite3 module n8n itself ships.
	 */
	async backfillWorkflowHistory() {
		await this.sqlite('backfill-history');
	}

	/**
	 * Runs lib/sqlite-tool.js on this instance's database with the Node of this n8n version (its sqlite3 is
	 * built for that Node). Resolves the tool's JSON answer; rejects on an error or after timeoutMs.
	 */
	sqlite(mode, args = [], { timeoutMs = 60000 } = {}) {
		const sqliteDir = path.join(path.dirname(this.binary), '..', '..', 'sqlite3');
		const dbFile = path.join(this.n8nDir, 'database.sqlite');
		return new Promise((resolve, reject) => {
			execFile(
				this.nodeBinary || process.execPath,
				[SQLITE_TOOL, sqliteDir, dbFile, mode, ...args.map(String)],
				{ timeout: timeoutMs, maxBuffer: 10 * 1024 * 1024, env: { PATH: process.env.PATH || '' } },
				(err, stdout, stderr) => {
					let out;
					try {
						out = JSON.parse(String(stdout).trim().split('\n').pop());
					} catch {
						out = undefined;
					}
					if (err || !out || out.error) {
						reject(new Error(`sqlite-tool ${mode} failed: ${(out && out.error) || (err && err.message)}\n${stderr}`));
						return;
					}
					resolve(out);
				},
			);
		});
	}

	/**
	 * n8n >= 2.x with the publication service (2.41): POST /activate and /deactivate answer before the
	 * triggers are (un)registered; the work is a row of workflow_publication_outbox done in the background.
	 * Waits until every row of this workflow newer than afterId left pending / in_progress; throws when the
	 * publication failed or did not settle in time. Resolves the last row ({ status, reason, errorMessage }).
	 */
	async waitForPublication(workflowId, afterId, { timeoutMs = 60000, what = 'publication' } = {}) {
		const r = await this.sqlite('wait-publication', [workflowId, afterId, timeoutMs], { timeoutMs: timeoutMs + 15000 });
		if (!r.outbox) return undefined;
		if (!r.settled) {
			throw new Error(`${what} of ${workflowId} not done after ${timeoutMs} ms: outbox rows ${JSON.stringify(r.rows)}`);
		}
		if (r.last.status === 'failed') {
			const e = new Error(`${what} of ${workflowId} failed: ${r.last.errorMessage}`);
			e.publication = r.last;
			throw e;
		}
		this.timings.lastPublicationWaitMs = r.ms;
		return r.last;
	}

	/**
	 * `n8n execute --id=ID`: runs the workflow from its Manual Trigger in a fresh process. Judge the
	 * result by the returned JSON (`ok`, `error`, `outputOf(node)`), not by the exit code.
	 */
	async execute(workflowId, { timeoutMs = 180000 } = {}) {
		const r = await this.cli(['execute', `--id=${workflowId}`], { timeoutMs });
		const execution = parseExecuteOutput(r.stdout);
		if (!execution) {
			const e = new Error(
				`n8n execute --id=${workflowId} printed no execution JSON (exit ${r.code}).\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`,
			);
			e.result = r;
			throw e;
		}
		return describeRun(execution, { exitCode: r.code, stdout: r.stdout, stderr: r.stderr, ms: r.ms });
	}

	/** Exports one credential with decrypted data: { id, name, type, data: {…plain…} }. */
	async exportCredential(id) {
		if (this.importsThroughDatabase()) {
			const { rows } = await this.sqlite('query', [`SELECT id, name, type, data FROM credentials_entity WHERE id = '${String(id).replace(/'/g, "''")}'`]);
			if (!rows.length) throw new Error(`credential ${id} not found`);
			const [c] = rows;
			return { id: c.id, name: c.name, type: c.type, data: JSON.parse(cipherFor(this.env().N8N_ENCRYPTION_KEY).decrypt(c.data)) };
		}
		const out = path.join(this.userFolder, 'e2e-import', `export-${crypto.randomBytes(4).toString('hex')}.json`);
		fs.mkdirSync(path.dirname(out), { recursive: true });
		await this._cliOk(
			['export:credentials', `--id=${id}`, '--decrypted', `--output=${out}`],
			'n8n export:credentials',
		);
		const list = JSON.parse(fs.readFileSync(out, 'utf8'));
		fs.rmSync(out, { force: true });
		const cred = Array.isArray(list) ? list.find((c) => c.id === id) || list[0] : list;
		if (!cred) throw new Error(`credential ${id} not found`);
		return cred;
	}

	/** Exports one workflow as stored: { id, name, nodes, connections, active, staticData, … }. */
	async exportWorkflow(id) {
		const out = path.join(this.userFolder, 'e2e-import', `wf-${crypto.randomBytes(4).toString('hex')}.json`);
		fs.mkdirSync(path.dirname(out), { recursive: true });
		await this._cliOk(['export:workflow', `--id=${id}`, `--output=${out}`], 'n8n export:workflow');
		const list = JSON.parse(fs.readFileSync(out, 'utf8'));
		fs.rmSync(out, { force: true });
		return Array.isArray(list) ? list[0] : list;
	}

	get running() {
		return Boolean(this.server && this.server.exitCode === null && this.server.signalCode === null);
	}

	/**
	 * `n8n start`: resolves when /healthz answers and n8n says the editor is accessible (active workflows
	 * and their webhooks are registered by then). Output is collected in `this.logs`.
	 */
	async start({ timeoutMs = 120000 } = {}) {
		if (this.running) return this;
		const t0 = Date.now();
		this.brokerPort = await freePort();
		this.logs = '';
		const child = spawn(this.nodeBinary || process.execPath, [this.binary, 'start'], {
			cwd: this.userFolder,
			env: this.env({ N8N_RUNNERS_BROKER_PORT: String(this.brokerPort) }),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.server = child;
		track(child);
		const echo = this.opts.echoLogs || process.env.E2E_ECHO === '1';
		const onData = (d) => {
			this.logs += d;
			if (echo) process.stderr.write(d);
		};
		child.stdout.setEncoding('utf8');
		child.stderr.setEncoding('utf8');
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
		this._exited = exited;

		let ready = false;
		let exitInfo;
		exited.then((info) => (exitInfo = info));
		while (Date.now() - t0 < timeoutMs) {
			if (exitInfo) break;
			if (/Editor is now accessible via/.test(this.logs)) {
				try {
					const r = await httpRequest({ port: this.port, path: '/healthz', timeoutMs: 2000 });
					if (r.status === 200) {
						ready = true;
						break;
					}
				} catch {
					/* not yet */
				}
			}
			await sleep(250);
		}
		if (!ready) {
			const why = exitInfo ? `exited (${JSON.stringify(exitInfo)})` : `not ready after ${timeoutMs} ms`;
			await this.stop();
			throw new Error(`n8n start ${why}. Logs:\n${this.logs}`);
		}
		if (this.profile.asyncActivation) {
			// 2.41 registers the triggers of published workflows after "Editor is now accessible" (outbox
			// consumer + start-up reconciliation): wait until nothing is left to publish.
			const left = Math.max(15000, timeoutMs - (Date.now() - t0));
			const r = await this.sqlite('wait-startup', [left], { timeoutMs: left + 15000 });
			if (r.outbox && !r.settled) {
				await this.stop();
				throw new Error(`n8n start: published workflows not registered after ${left} ms: ${JSON.stringify(r)}`);
			}
		}
		this.timings.startMs = Date.now() - t0;
		timingLog('start', '', this.timings.startMs);
		return this;
	}

	/** Stops `n8n start` (SIGTERM, then SIGKILL after 20 s). Safe to call when not running. */
	async stop() {
		const child = this.server;
		if (!child) return;
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			const killer = setTimeout(() => child.kill('SIGKILL'), 20000);
			await this._exited;
			clearTimeout(killer);
		}
		this.server = undefined;
		this.cookie = undefined;
	}

	/** Stops n8n and removes the user folder (unless keepFolder / E2E_KEEP=1). */
	async cleanup() {
		await this.stop();
		if (this.opts.keepFolder || process.env.E2E_KEEP === '1') return;
		if (this.userFolder && path.basename(this.userFolder).startsWith('n8n-e2e-')) {
			fs.rmSync(this.userFolder, { recursive: true, force: true });
		}
	}

	get netLogFile() {
		return path.join(this.userFolder, 'e2e-net.log');
	}

	/**
	 * Every outbound connection or DNS lookup to a non-loopback host any n8n process of this instance
	 * made so far: [{ kind: 'connect'|'dns', host, port, pid, at }]. Empty = n8n stayed offline.
	 */
	externalConnections() {
		if (!fs.existsSync(this.netLogFile)) return [];
		return fs
			.readFileSync(this.netLogFile, 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((l) => JSON.parse(l));
	}

	/** Lines of the server log that are warnings or errors (for "no load warnings" checks). */
	logProblems() {
		return this.logs
			.split('\n')
			.filter(
				(l) =>
					/\b(warn|warning|error|failed|could not|cannot|unable|invalid|deprecated)\b/i.test(l) ||
					(this.packageName && l.includes(this.packageName) && !l.startsWith('- ')),
			)
			.filter((l) => ![...KNOWN_BENIGN_LOG_LINES, ...this.profile.benignLogLines].some((re) => re.test(l)));
	}

	// ---------------------------------------------------------------- REST (needs start())

	/** An authenticated request to n8n's internal REST API (/rest/…); sets up the owner on first use. */
	async rest(method, urlPath, body) {
		await this.login();
		const r = await httpRequest({
			port: this.port,
			method,
			path: `/rest${urlPath}`,
			headers: { cookie: this.cookie },
			body,
		});
		if (r.status >= 400) {
			const e = new Error(`REST ${method} /rest${urlPath} → ${r.status}: ${r.body.slice(0, 500)}`);
			e.response = r;
			throw e;
		}
		return r.json && Object.prototype.hasOwnProperty.call(r.json, 'data') ? r.json.data : r.json;
	}

	/** Creates the instance owner if needed (POST /rest/owner/setup) and logs in; keeps the auth cookie. */
	async login() {
		if (this.cookie) return this.cookie;
		if (!this.running) throw new Error('n8n is not running: call start() first');
		const pickCookie = (r) => {
			const set = [].concat(r.headers['set-cookie'] || []);
			const c = set.find((s) => s.startsWith('n8n-auth='));
			return c ? c.split(';')[0] : undefined;
		};
		const settings = await httpRequest({ port: this.port, path: '/rest/settings' });
		const showSetup =
			settings.json && settings.json.data && settings.json.data.userManagement
				? settings.json.data.userManagement.showSetupOnFirstLoad
				: true;
		if (showSetup) {
			const r = await httpRequest({
				port: this.port,
				method: 'POST',
				path: '/rest/owner/setup',
				body: this.owner,
			});
			if (r.status === 200) {
				this.cookie = pickCookie(r);
				if (this.cookie) return this.cookie;
			}
		}
		const r = await httpRequest({
			port: this.port,
			method: 'POST',
			path: '/rest/login',
			body: { emailOrLdapLoginId: this.owner.email, password: this.owner.password },
		});
		this.cookie = pickCookie(r);
		if (r.status !== 200 || !this.cookie) {
			throw new Error(`n8n login failed (${r.status}): ${r.body.slice(0, 300)}`);
		}
		return this.cookie;
	}

	/**
	 * Activates (publishes) a workflow. Before start(): what `n8n publish:workflow --id` (2.0.3's replacement of
	 * the deprecated `update:workflow --active=true`) does — one UPDATE of the sqlite database, made by
	 * sqlite-tool.js with the same checks, instead of booting n8n for it (E2E_PUBLISH_CLI=1: the CLI itself; a
	 * non-sqlite database always uses the CLI) — picked up when n8n starts. While running:
	 * POST /rest/workflows/:id/activate with the current versionId. 2.0.3 registers webhooks before it
	 * answers; 2.41 answers first and publishes in the background, so this then waits for the workflow's
	 * workflow_publication_outbox row to be done (and throws if the publication failed).
	 */
	async activateWorkflow(id) {
		if (!this.running) {
			if (process.env.E2E_PUBLISH_CLI === '1' || this.env().DB_TYPE !== 'sqlite') {
				await this._cliOk(['publish:workflow', `--id=${id}`], 'n8n publish:workflow');
				return { id, via: 'cli' };
			}
			// the one UPDATE `n8n publish:workflow` makes, without booting n8n for it (~5-7 s per workflow)
			await this.sqlite('publish', [id]);
			return { id, via: 'db' };
		}
		const wf = await this.rest('GET', `/workflows/${encodeURIComponent(id)}`);
		const before = this.profile.asyncActivation ? (await this.sqlite('outbox-max-id')).maxId : 0;
		const res = await this.rest('POST', `/workflows/${encodeURIComponent(id)}/activate`, {
			versionId: wf.versionId,
		});
		const publication = this.profile.asyncActivation
			? await this.waitForPublication(id, before, { what: 'activation' })
			: undefined;
		return { id, via: 'rest', active: res.active, activeVersionId: res.activeVersionId, publication };
	}

	/** Deactivates (unpublishes) a workflow: REST while running, `n8n unpublish:workflow` otherwise. */
	async deactivateWorkflow(id) {
		if (!this.running) {
			await this._cliOk(['unpublish:workflow', `--id=${id}`], 'n8n unpublish:workflow');
			return { id, via: 'cli' };
		}
		const before = this.profile.asyncActivation ? (await this.sqlite('outbox-max-id')).maxId : 0;
		const res = await this.rest('POST', `/workflows/${encodeURIComponent(id)}/deactivate`);
		const publication = this.profile.asyncActivation
			? await this.waitForPublication(id, before, { what: 'deactivation' })
			: undefined;
		return { id, via: 'rest', active: res.active, publication };
	}

	/**
	 * "Test this trigger" as the editor does it: POST /rest/workflows/:id/run with triggerToStartFrom. n8n registers
	 * the trigger's webhooks at its test URL (…/webhook-test/…; create() with activation mode 'manual') and answers
	 * { waitingForWebhook: true }; a registration the node refuses comes back as the REST error (thrown, with
	 * `.response`). 2.0.3 runs the workflow sent in the body, 2.41 the stored one (it drops the body's copy).
	 * The test ends after the first request to the test URL, or on stopTestRun().
	 */
	async startTestRun(id, triggerName) {
		const workflowData = await this.rest('GET', `/workflows/${encodeURIComponent(id)}`);
		return await this.rest('POST', `/workflows/${encodeURIComponent(id)}/run`, { workflowData, triggerToStartFrom: { name: triggerName } });
	}

	/** Ends a waiting test run (the editor's "stop listening"): DELETE /rest/test-webhook/:id. n8n calls delete() in the background. */
	async stopTestRun(id) {
		return await this.rest('DELETE', `/test-webhook/${encodeURIComponent(id)}`);
	}

	/**
	 * Lists executions (newest first) through the REST API: [{ id, workflowId, status, mode, startedAt, … }].
	 * @param {object} [filter] e.g. { workflowId: 'abc' }
	 */
	async listExecutions(filter = {}, { limit = 100 } = {}) {
		const q = new URLSearchParams({ filter: JSON.stringify(filter), limit: String(limit) });
		const data = await this.rest('GET', `/executions?${q}`);
		return (data && data.results) || [];
	}

	/** One execution with its run data, as describeRun() helpers (outputOf, error …). */
	async getExecution(id) {
		const raw = await this.rest('GET', `/executions/${encodeURIComponent(id)}`);
		// The REST API returns `data` as n8n's flatted string.
		let data = raw.data;
		if (typeof data === 'string') data = parseFlatted(data);
		return describeRun({ ...raw, data });
	}

	/** Polls until `count` finished executions exist for a workflow (or throws after timeoutMs). */
	async waitForExecutions(workflowId, { count = 1, timeoutMs = 30000 } = {}) {
		const t0 = Date.now();
		for (;;) {
			const list = await this.listExecutions({ workflowId });
			const done = list.filter((e) => e.status && !['new', 'running', 'waiting'].includes(e.status));
			if (done.length >= count) return done;
			if (Date.now() - t0 > timeoutMs) {
				throw new Error(
					`expected ${count} finished execution(s) of ${workflowId} within ${timeoutMs} ms, got ${JSON.stringify(list)}`,
				);
			}
			await sleep(300);
		}
	}

	/**
	 * What n8n loaded: { nodes: [names], credentials: [names], ours: { nodes, credentials }, problems }.
	 * Reads /types/nodes.json and /types/credentials.json (served by `n8n start`) and the start-up log.
	 */
	async loadedNodeTypes() {
		if (!this.running) throw new Error('n8n is not running: call start() first');
		await this.login();
		const get = async (p) => {
			const r = await httpRequest({ port: this.port, path: p, headers: { cookie: this.cookie } });
			if (r.status !== 200 || !Array.isArray(r.json)) throw new Error(`GET ${p} → ${r.status}`);
			return r.json;
		};
		const nodes = await get('/types/nodes.json');
		const credentials = await get('/types/credentials.json');
		const pkgName = this.packageName || PACKAGE_NAME;
		const prefix = `${pkgName}.`;
		const ourNodes = nodes.filter((n) => n.name.startsWith(prefix));
		// What package.json promises: dist/nodes/X/Foo.node.js → <pkg>.foo; dist/credentials/BarApi.credentials.js → barApi
		const declared = (this.packageJson && this.packageJson.n8n) || { nodes: [], credentials: [] };
		const lowerFirst = (x) => x.charAt(0).toLowerCase() + x.slice(1);
		const expectedNodes = (declared.nodes || []).map((f) => prefix + lowerFirst(path.basename(f, '.node.js')));
		const expectedCreds = (declared.credentials || []).map((f) => lowerFirst(path.basename(f, '.credentials.js')));
		const credNames = new Set(credentials.map((c) => c.name));
		const ourCredNames = new Set(expectedCreds.filter((c) => credNames.has(c)));
		for (const n of ourNodes) for (const c of n.credentials || []) if (credNames.has(c.name)) ourCredNames.add(c.name);
		const nodeNames = new Set(nodes.map((n) => n.name));
		const problems = this.logProblems();
		// icons n8n serves for our nodes (iconUrl is relative to the editor root): each must answer 200
		const brokenIcons = [];
		for (const n of ourNodes) {
			const urls = typeof n.iconUrl === 'string' ? [n.iconUrl] : Object.values(n.iconUrl || {});
			if (urls.length === 0) brokenIcons.push(`${n.name}: no iconUrl`);
			for (const u of urls) {
				const r = await httpRequest({ port: this.port, path: `/${u}`, headers: { cookie: this.cookie } });
				if (r.status !== 200 || !/svg|png/.test(String(r.headers['content-type']))) {
					brokenIcons.push(`${n.name}: /${u} → ${r.status}`);
				}
			}
		}
		return {
			nodes: nodes.map((n) => n.name),
			credentials: credentials.map((c) => c.name),
			ours: {
				nodes: ourNodes.map((n) => ({ name: n.name, displayName: n.displayName, version: n.version })),
				credentials: [...ourCredNames],
				missingNodes: expectedNodes.filter((n) => !nodeNames.has(n)),
				missingCredentials: expectedCreds.filter((c) => !credNames.has(c)),
				brokenIcons,
				// credentials our nodes reference that n8n does not know
				unknownCredentialRefs: [
					...new Set(ourNodes.flatMap((n) => (n.credentials || []).map((c) => c.name)).filter((c) => !credNames.has(c))),
				],
			},
			nodeDescriptions: ourNodes,
			problems,
		};
	}
}

const TEMPLATE_PREFIX = 'n8n-e2e-dbtemplate-';

/** Removes database templates (see databaseTemplate) of the given test process, or of every process that is gone. */
function removeDatabaseTemplates(pid) {
	for (const name of fs.readdirSync(os.tmpdir())) {
		const m = name.startsWith(TEMPLATE_PREFIX) && /-(\d+)(\.[0-9a-f]+)?$/.exec(name);
		if (!m) continue;
		let gone = Number(m[1]) === pid;
		if (pid === undefined) {
			try {
				process.kill(Number(m[1]), 0);
			} catch {
				gone = true;
			}
		}
		if (gone) fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
	}
}

/**
 * The process that owns the run's database templates: `npm test` runs each e2e file as its own jest process on
 * two lanes and sets E2E_TEMPLATE_PID to its own pid, so all of them share one template per n8n version (and it
 * removes them at the end); otherwise this jest process (run.js runs the files in band, in one process).
 */
function templateOwnerPid() {
	const pid = Number(process.env.E2E_TEMPLATE_PID);
	return Number.isInteger(pid) && pid > 0 ? pid : process.pid;
}

/**
 * The migrated, empty n8n database of this n8n version for this run (see templateOwnerPid): made once by a
 * throw-away instance (`n8n list:workflow` runs every migration), then copied into each new instance's folder.
 * Same content as a new instance's database after its first CLI command. Two files making it at the same time
 * both succeed (the first rename wins). Resolves the template's database.sqlite path.
 */
async function databaseTemplate(inst) {
	const dir = path.join(os.tmpdir(), `${TEMPLATE_PREFIX}${inst.n8nVersion}-${templateOwnerPid()}`);
	const file = path.join(dir, 'database.sqlite');
	if (fs.existsSync(file)) return file;
	removeDatabaseTemplates(); // those of test processes that are gone (run.js removes its jest's when it ends)
	const maker = new N8nInstance({ n8nVersion: inst.n8nVersion, packageRoot: inst.opts.packageRoot, freshDatabase: true });
	await maker.prepare();
	try {
		await maker._cliOk(['list:workflow'], 'n8n list:workflow (database template)');
		await maker.sqlite('query', ['PRAGMA wal_checkpoint(TRUNCATE)']); // everything in database.sqlite itself
		const staging = `${dir}.${crypto.randomBytes(4).toString('hex')}`;
		fs.mkdirSync(staging, { recursive: true });
		for (const f of fs.readdirSync(maker.n8nDir)) {
			if (f === 'database.sqlite') fs.copyFileSync(path.join(maker.n8nDir, f), path.join(staging, f));
		}
		try {
			fs.renameSync(staging, dir);
		} catch {
			fs.rmSync(staging, { recursive: true, force: true }); // another file of this process made it first
		}
	} finally {
		await maker.cleanup();
	}
	return file;
}

/** Minimal parser for the `flatted` format n8n uses for execution data in REST responses. */
function parseFlatted(text) {
	const input = JSON.parse(text);
	if (!Array.isArray(input)) return input;
	const values = input.map((v) => (typeof v === 'string' ? new String(v) : v)); // eslint-disable-line no-new-wrappers
	const parsed = new Set();
	const revive = (value) => {
		if (value instanceof String) return String(value);
		if (value && typeof value === 'object') {
			if (parsed.has(value)) return value;
			parsed.add(value);
			for (const k of Object.keys(value)) {
				const v = value[k];
				if (typeof v === 'string') {
					const ref = values[Number(v)];
					value[k] = ref instanceof String ? String(ref) : revive(ref);
				} else {
					value[k] = v;
				}
			}
		}
		return value;
	};
	const root = values[0];
	return root instanceof String ? String(root) : revive(root);
}

module.exports = {
	N8nInstance,
	packageBuildStatus,
	defaultPackageRoot,
	ENCRYPTION_KEY,
	PACKAGE_NAME,
	OWNER,
	freePort,
	httpRequest,
	parseExecuteOutput,
	describeRun,
	parseFlatted,
	sleep,
	removeDatabaseTemplates,
};
