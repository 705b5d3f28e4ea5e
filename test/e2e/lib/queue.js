'use strict';
// n8n in queue mode (scaling mode) for the queue suite (test/queue) and `npm run bench -- --queue`: one main
// (`n8n start`: editor, REST, activation, pollers as the leader), N workers (`n8n worker`: run the executions Bull hands
// them from Redis) and one webhook processor (`n8n webhook`: serves the production webhooks and enqueues their
// executions), all on one PostgreSQL database and one Redis (scripts/queue-services.js), one encryption key, and our
// package installed in each process's user folder the way users get it ($N8N_USER_FOLDER/.n8n/nodes/node_modules/<name>).
//
//   const { startServices } = require('../../scripts/queue-services');
//   const services = await startServices();
//   const cluster = await QueueCluster.create({ services });   // n8n installed, package copied, imports possible
//   await cluster.main.importCredentials(…); await cluster.main.importWorkflow(…);
//   await cluster.start();                                     // main, then the workers and the webhook processor
//   cluster.webhookUrl(path) · cluster.workerOf(executionId) · cluster.startsOf(executionId) · await cluster.stop()
//
// Routing: WEBHOOK_URL of every process points at the webhook processor, so a trigger's webhook URL (what our trigger
// nodes register in the portal on activation, which runs on main) is served by `n8n webhook`. Each process has its own
// N8N_PORT and N8N_RUNNERS_BROKER_PORT; workers start no HTTP server (QUEUE_HEALTH_CHECK_ACTIVE stays false).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { N8nInstance, freePort, httpRequest, sleep } = require('./n8n');

const IN_FLIGHT = ['pending', 'in_progress'];

/** An N8nInstance whose database is PostgreSQL: the harness's sqlite helpers answered from Postgres instead. */
class PostgresN8nInstance extends N8nInstance {
	constructor(opts) {
		super(opts);
		this.services = opts.services;
	}

	static async create(opts) {
		const inst = new PostgresN8nInstance(opts);
		await inst.prepare();
		return inst;
	}

	psql(sql) {
		return this.services.psql(sql);
	}

	async backfillWorkflowHistory() {
		// same statement as n8n's BackfillMissingWorkflowHistoryRecords migration (n8n 2.0.3 imports without history)
		await this.psql(`INSERT INTO workflow_history ("versionId", "workflowId", authors, nodes, connections, "createdAt", "updatedAt")
			SELECT w."versionId", w.id, 'e2e import', w.nodes, w.connections, NOW(), NOW()
			FROM workflow_entity w LEFT JOIN workflow_history wh ON w."versionId" = wh."versionId" WHERE wh."versionId" IS NULL`);
	}

	async hasTable(name) {
		const rows = await this.psql(`SELECT 1 FROM information_schema.tables WHERE table_name = '${name}'`);
		return rows.length > 0;
	}

	/** The modes of lib/sqlite-tool.js that n8n.js uses for n8n 2.41's publication outbox. */
	async sqlite(mode, args = []) {
		const outbox = await this.hasTable('workflow_publication_outbox');
		if (mode === 'outbox-max-id') {
			if (!outbox) return { outbox: false, maxId: 0 };
			const [[maxId]] = await this.psql('SELECT COALESCE(MAX(id), 0) FROM workflow_publication_outbox');
			return { outbox: true, maxId: Number(maxId) };
		}
		if (mode === 'wait-publication') {
			const [workflowId, afterId, timeoutMs] = args;
			if (!outbox) return { outbox: false };
			const t0 = Date.now();
			let rows = [];
			while (Date.now() - t0 < Number(timeoutMs)) {
				rows = (await this.psql(`SELECT id, status, COALESCE(reason, ''), COALESCE("errorMessage", '') FROM workflow_publication_outbox WHERE "workflowId" = '${workflowId}' AND id > ${Number(afterId)} ORDER BY id`)).map(([id, status, reason, errorMessage]) => ({ id: Number(id), status, reason, errorMessage }));
				if (rows.length > 0 && rows.every((r) => !IN_FLIGHT.includes(r.status))) return { outbox: true, settled: true, last: rows[rows.length - 1], rows, ms: Date.now() - t0 };
				await sleep(150);
			}
			return { outbox: true, settled: false, rows, ms: Date.now() - t0 };
		}
		if (mode === 'wait-startup') {
			const [timeoutMs] = args;
			if (!outbox) return { outbox: false };
			const t0 = Date.now();
			let inFlight = [];
			let unreported = [];
			while (Date.now() - t0 < Number(timeoutMs)) {
				inFlight = await this.psql(`SELECT "workflowId", status FROM workflow_publication_outbox WHERE status IN ('pending', 'in_progress')`);
				unreported = await this.psql(`SELECT w.id FROM workflow_entity w WHERE w."activeVersionId" IS NOT NULL AND w."isArchived" = false
					AND NOT EXISTS (SELECT 1 FROM workflow_publication_trigger_status ts WHERE ts."workflowId" = w.id)
					AND COALESCE((SELECT o.status FROM workflow_publication_outbox o WHERE o."workflowId" = w.id ORDER BY o.id DESC LIMIT 1), '') <> 'failed'`);
				if (inFlight.length === 0 && unreported.length === 0) return { outbox: true, settled: true, ms: Date.now() - t0 };
				await sleep(150);
			}
			return { outbox: true, settled: false, inFlight, unreported, ms: Date.now() - t0 };
		}
		throw new Error(`sqlite mode ${mode} has no PostgreSQL version in lib/queue.js`);
	}
}

/** One `n8n worker` or `n8n webhook` process. */
class ClusterProcess {
	constructor(name, main, command, args, env) {
		this.name = name;
		this.main = main;
		this.command = command;
		this.args = args;
		this.env = env;
		this.logs = '';
		this.child = undefined;
	}

	async start({ ready, port, timeoutMs = 120_000 }) {
		const t0 = Date.now();
		this.logs = '';
		const child = spawn(this.main.nodeBinary || process.execPath, [this.main.binary, this.command, ...this.args], {
			cwd: this.env.N8N_USER_FOLDER,
			env: this.env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.child = child;
		const echo = process.env.E2E_ECHO === '1';
		const onData = (d) => {
			this.logs += d;
			if (echo) process.stderr.write(`[${this.name}] ${d}`);
		};
		child.stdout.setEncoding('utf8');
		child.stderr.setEncoding('utf8');
		child.stdout.on('data', onData);
		child.stderr.on('data', onData);
		this.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
		let exitInfo;
		this.exited.then((info) => (exitInfo = info));
		while (Date.now() - t0 < timeoutMs) {
			if (exitInfo) break;
			if (ready.test(this.logs)) {
				if (!port) return this;
				try {
					const r = await httpRequest({ port, path: '/healthz', timeoutMs: 2000 });
					if (r.status === 200) return this;
				} catch {
					/* not yet */
				}
			}
			await sleep(250);
		}
		await this.stop();
		throw new Error(`n8n ${this.command} (${this.name}) ${exitInfo ? `exited (${JSON.stringify(exitInfo)})` : `not ready after ${timeoutMs} ms`}. Logs:\n${this.logs.slice(-6000)}`);
	}

	async stop() {
		const child = this.child;
		if (!child) return;
		if (child.exitCode === null && child.signalCode === null) {
			child.kill('SIGTERM');
			const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
			await this.exited;
			clearTimeout(killer);
		}
		this.child = undefined;
	}

	/** Execution ids this worker logged as started ("Worker started execution 12 (job 7)"). */
	startedExecutions() {
		return [...this.logs.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
	}
}

const liveClusters = new Set();
let exitHook = false;
function trackCluster(cluster) {
	liveClusters.add(cluster);
	if (exitHook) return;
	exitHook = true;
	process.on('exit', () => {
		for (const c of liveClusters) for (const p of c.processes) if (p.child) p.child.kill('SIGKILL');
	});
}

class QueueCluster {
	/**
	 * @param {object} opts
	 * @param {object} opts.services what scripts/queue-services.js startServices() returned
	 * @param {string} [opts.n8nVersion='2.41.1']
	 * @param {number} [opts.workers=2]
	 * @param {number} [opts.concurrency=10] jobs each worker runs at once (`n8n worker --concurrency`)
	 * @param {object} [opts.env] extra settings for every process
	 */
	static async create(opts) {
		const cluster = new QueueCluster(opts);
		await cluster.prepare();
		return cluster;
	}

	constructor({ services, n8nVersion = '2.41.1', workers = 2, concurrency = 10, env = {} }) {
		this.services = services;
		this.n8nVersion = n8nVersion;
		this.workerCount = workers;
		this.concurrency = concurrency;
		this.extraEnv = env;
		this.workers = [];
		this.webhook = undefined;
		this.processes = [];
		this.folders = [];
	}

	async prepare() {
		this.webhookPort = await freePort();
		this.main = await PostgresN8nInstance.create({
			n8nVersion: this.n8nVersion,
			services: this.services,
			env: {
				...this.services.env,
				EXECUTIONS_MODE: 'queue',
				// production webhook URLs (what triggers register in the portal) are the webhook processor's
				WEBHOOK_URL: `http://127.0.0.1:${this.webhookPort}/`,
				// the e2e harness keeps every execution; workers save them to Postgres
				QUEUE_HEALTH_CHECK_ACTIVE: 'false',
				N8N_METRICS: 'false',
				// A pool as a deployment would size it: n8n's default is 2 connections per process. With 2 under 1,000
				// events on the 2-core CI machine (4 n8n processes, PostgreSQL and a browser test beside), n8n 2.41's
				// database ping (every 2 s) waited more than its 5 s for a connection and n8n answered every request
				// 503 "Database is not ready!" until the next ping (CI: 99 of 1,000 deliveries). The ping gets 30 s.
				// Settings of n8n, not of our package.
				DB_POSTGRESDB_POOL_SIZE: '10',
				DB_PING_TIMEOUT_MS: '30000',
				...this.extraEnv,
			},
		});
		trackCluster(this);
		return this;
	}

	webhookUrl(webhookPath) {
		return `http://127.0.0.1:${this.webhookPort}/webhook/${String(webhookPath).replace(/^\//, '')}`;
	}

	/**
	 * The environment of a worker or the webhook processor: its own ports and its own user folder (as on a machine of
	 * its own: n8n keeps a crash journal and settings there) holding our package, installed like main's.
	 */
	async processEnv() {
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-'));
		this.folders.push(folder);
		fs.cpSync(path.join(this.main.n8nDir, 'nodes'), path.join(folder, '.n8n', 'nodes'), { recursive: true });
		return this.main.env({ N8N_USER_FOLDER: folder, N8N_PORT: String(await freePort()), N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
	}

	/** Starts main (runs the migrations, activates what is published), then the workers and the webhook processor. */
	async start() {
		const t0 = Date.now();
		await this.main.start();
		for (let i = 0; i < this.workerCount; i++) {
			const worker = new ClusterProcess(`worker${i + 1}`, this.main, 'worker', [`--concurrency=${this.concurrency}`], await this.processEnv());
			this.workers.push(worker);
			this.processes.push(worker);
		}
		const webhookEnv = { ...(await this.processEnv()), N8N_PORT: String(this.webhookPort) };
		this.webhook = new ClusterProcess('webhook', this.main, 'webhook', [], webhookEnv);
		this.processes.push(this.webhook);
		await Promise.all([
			...this.workers.map((w) => w.start({ ready: /n8n worker is now ready/ })),
			this.webhook.start({ ready: /Webhook listener waiting for requests/, port: this.webhookPort }),
		]);
		this.startMs = Date.now() - t0;
		return this;
	}

	/** The worker that logged starting this execution (name), or undefined (not run by a worker). */
	workerOf(executionId) {
		const worker = this.workers.find((w) => w.startedExecutions().includes(String(executionId)));
		return worker ? worker.name : undefined;
	}

	/** { worker1: n, worker2: m } — executions each worker started, optionally only the given ids. */
	executionsPerWorker(ids) {
		const wanted = ids ? new Set(ids.map(String)) : undefined;
		const out = {};
		for (const w of this.workers) out[w.name] = w.startedExecutions().filter((id) => !wanted || wanted.has(id)).length;
		return out;
	}

	/** How often each worker logged starting this execution: { worker1: n, worker2: m } (a resumed one starts again). */
	startsOf(executionId) {
		return Object.fromEntries(this.workers.map((w) => [w.name, w.startedExecutions().filter((id) => id === String(executionId)).length]));
	}

	/** The workers that started this execution since `before` (a startsOf() snapshot): who ran its resumed part. */
	startedSince(executionId, before) {
		const now = this.startsOf(executionId);
		return Object.keys(now).filter((name) => now[name] > (before[name] || 0));
	}

	/** Ids of a workflow's executions in one status (oldest first), read from PostgreSQL. */
	async executionIdsWithStatus(workflowId, status) {
		const rows = await this.services.psql(`SELECT id FROM execution_entity WHERE "workflowId" = '${workflowId}' AND status = '${status}' ORDER BY id`);
		return rows.map(([id]) => id);
	}

	/** Executions of a workflow by status, read from PostgreSQL: { success: n, error: m, … }. */
	async executionStatuses(workflowId) {
		const rows = await this.services.psql(`SELECT status, COUNT(*) FROM execution_entity WHERE "workflowId" = '${workflowId}' GROUP BY status`);
		return Object.fromEntries(rows.map(([status, n]) => [status, Number(n)]));
	}

	/** Ids of a workflow's finished executions (oldest first). */
	async finishedExecutionIds(workflowId) {
		const rows = await this.services.psql(`SELECT id FROM execution_entity WHERE "workflowId" = '${workflowId}' AND status NOT IN ('new', 'running', 'waiting') ORDER BY id`);
		return rows.map(([id]) => id);
	}

	/** Waits (bounded) until a workflow has `count` finished executions; resolves their ids. */
	async waitForFinished(workflowId, count, { timeoutMs = 120_000 } = {}) {
		const t0 = Date.now();
		for (;;) {
			const ids = await this.finishedExecutionIds(workflowId);
			if (ids.length >= count) return ids;
			if (Date.now() - t0 > timeoutMs) throw new Error(`${workflowId}: ${ids.length} of ${count} executions finished after ${timeoutMs} ms (${JSON.stringify(await this.executionStatuses(workflowId))})`);
			await sleep(500);
		}
	}

	/** Log lines of any process that say an execution of ours failed or a process crashed. */
	problems() {
		const all = [['main', this.main.logs], ...this.processes.map((p) => [p.name, p.logs])];
		return all.flatMap(([name, logs]) => logs.split('\n').filter((l) => /crash|exiting due to an error|unhandled/i.test(l)).map((l) => `${name}: ${l}`));
	}

	async stop() {
		if (this.webhook) await this.webhook.stop();
		await Promise.all(this.workers.map((w) => w.stop()));
		if (this.main) await this.main.cleanup();
		if (process.env.E2E_KEEP !== '1') for (const folder of this.folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
		liveClusters.delete(this);
	}
}

module.exports = { QueueCluster, PostgresN8nInstance };
