'use strict';
// Runs with the Node of the n8n version under test (its sqlite3 is built for that Node, not for the test
// process's): reads / fixes an n8n sqlite database. Used by lib/n8n.js, one process per call; every wait is
// bounded by the timeout passed in. Prints ONE JSON line on stdout.
//
//   node sqlite-tool.js <sqlite3 module dir> <db file> backfill-history
//   node sqlite-tool.js <sqlite3 module dir> <db file> outbox-max-id
//   node sqlite-tool.js <sqlite3 module dir> <db file> publish <workflowId>   (what `n8n publish:workflow` does)
//   node sqlite-tool.js <sqlite3 module dir> <db file> wait-publication <workflowId> <afterId> <timeoutMs>
//   node sqlite-tool.js <sqlite3 module dir> <db file> wait-startup <timeoutMs>
//   node sqlite-tool.js <sqlite3 module dir> <db file> workflows <id,id,…>   (name, nodes, connections by id)
//   node sqlite-tool.js <sqlite3 module dir> <db file> query <sql>           (rows of one statement; tests only)
//   node sqlite-tool.js <sqlite3 module dir> <db file> import-credentials <json file>  (what `n8n import:credentials` stores)
//   node sqlite-tool.js <sqlite3 module dir> <db file> import-workflows <json file>    (what `n8n import:workflow` stores)

const [sqlitePath, dbFile, mode, ...args] = process.argv.slice(2);
const sqlite3 = require(sqlitePath);

const IN_FLIGHT = ['pending', 'in_progress'];
const POLL_MS = 100;

function open() {
	return new Promise((resolve, reject) => {
		const db = new sqlite3.Database(dbFile, (err) => {
			if (err) return reject(err);
			db.configure('busyTimeout', 10000);
			resolve(db);
		});
	});
}
const all = (db, sql, params = []) =>
	new Promise((resolve, reject) => db.all(sql, params, (err, rows) => (err ? reject(err) : resolve(rows))));
const run = (db, sql, params = []) =>
	new Promise((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function hasTable(db, name) {
	return (await all(db, `SELECT name FROM sqlite_master WHERE type='table' AND name=?`, [name])).length > 0;
}

function readJson(file) {
	return JSON.parse(require('node:fs').readFileSync(file, 'utf8'));
}

/** The owner's personal project: where `n8n import:*` puts what it imports when no --userId / --projectId is given. */
async function ownerProjectId(db) {
	const [row] = await all(
		db,
		`SELECT p.id AS id FROM project p JOIN project_relation pr ON pr.projectId = p.id JOIN user u ON u.id = pr.userId
		 WHERE p.type = 'personal' AND u.roleSlug = 'global:owner' LIMIT 1`,
	);
	if (!row) throw new Error('the database has no owner with a personal project (not migrated?)');
	return row.id;
}

async function inTransaction(db, fn) {
	await run(db, 'BEGIN IMMEDIATE');
	try {
		const out = await fn();
		await run(db, 'COMMIT');
		return out;
	} catch (err) {
		await run(db, 'ROLLBACK').catch(() => undefined);
		throw err;
	}
}

/**
 * Stores credentials as `n8n import:credentials` does (credentials_entity upserted by id, owned by the owner's
 * personal project). `data` arrives already encrypted with the instance's key (lib/n8n.js encrypts it as n8n's
 * Cipher does), so this process never sees a secret.
 */
async function importCredentials(db, list) {
	const projectId = await ownerProjectId(db);
	return inTransaction(db, async () => {
		for (const c of list) {
			if (!c.id || !c.name || !c.type || typeof c.data !== 'string') throw new Error('a credential needs id, name, type and encrypted data');
			const [existing] = await all(db, 'SELECT id FROM credentials_entity WHERE id = ?', [c.id]);
			if (existing) {
				await run(db, `UPDATE credentials_entity SET name = ?, type = ?, data = ?, updatedAt = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW') WHERE id = ?`, [c.name, c.type, c.data, c.id]);
			} else {
				await run(db, 'INSERT INTO credentials_entity (id, name, type, data) VALUES (?, ?, ?, ?)', [c.id, c.name, c.type, c.data]);
			}
			const [owned] = await all(db, `SELECT 1 FROM shared_credentials WHERE credentialsId = ? AND role = 'credential:owner'`, [c.id]);
			if (!owned) await run(db, `INSERT INTO shared_credentials (credentialsId, projectId, role) VALUES (?, ?, 'credential:owner')`, [c.id, projectId]);
		}
		return { ok: true, imported: list.length };
	});
}

/**
 * Stores workflows as `n8n import:workflow` does without --activeState (ImportService.importWorkflows, 2.0.3 and
 * 2.41.1): every node gets an id, a credential named without an id is looked up by name and type, the workflow is
 * upserted inactive, its version is written to workflow_history and the owner's personal project owns it.
 */
async function importWorkflows(db, list) {
	const crypto = require('node:crypto');
	const projectId = await ownerProjectId(db);
	return inTransaction(db, async () => {
		for (const wf of list) {
			if (!wf.id || !wf.name || !Array.isArray(wf.nodes) || !wf.versionId) throw new Error('a workflow needs id, name, nodes and versionId');
			for (const node of wf.nodes) {
				if (!node.id) node.id = crypto.randomUUID();
				for (const [type, ref] of Object.entries(node.credentials || {})) {
					const cred = typeof ref === 'string' ? { id: null, name: ref } : { ...ref };
					if (!cred.id && cred.name) {
						const [found] = await all(db, 'SELECT id FROM credentials_entity WHERE name = ? AND type = ? LIMIT 1', [cred.name, type]);
						if (found) cred.id = found.id;
					}
					node.credentials[type] = cred;
				}
			}
			const json = (v) => (v === undefined || v === null ? null : JSON.stringify(v));
			const values = [wf.name, json(wf.nodes), json(wf.connections || {}), json(wf.settings || {}), json(wf.pinData || {}), wf.versionId, json(wf.meta)];
			const [existing] = await all(db, 'SELECT id FROM workflow_entity WHERE id = ?', [wf.id]);
			if (existing) {
				await run(
					db,
					`UPDATE workflow_entity SET name = ?, nodes = ?, connections = ?, settings = ?, pinData = ?, versionId = ?, meta = ?,
					 active = 0, activeVersionId = NULL, updatedAt = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW') WHERE id = ?`,
					[...values, wf.id],
				);
			} else {
				await run(
					db,
					'INSERT INTO workflow_entity (name, nodes, connections, settings, pinData, versionId, meta, id, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)',
					[...values, wf.id],
				);
			}
			if (wf.staticData !== undefined) await run(db, 'UPDATE workflow_entity SET staticData = ? WHERE id = ?', [json(wf.staticData), wf.id]);
			await run(
				db,
				`INSERT OR IGNORE INTO workflow_history (versionId, workflowId, authors, nodes, connections) VALUES (?, ?, 'e2e import', ?, ?)`,
				[wf.versionId, wf.id, json(wf.nodes), json(wf.connections || {})],
			);
			const [owned] = await all(db, `SELECT 1 FROM shared_workflow WHERE workflowId = ? AND role = 'workflow:owner'`, [wf.id]);
			if (!owned) await run(db, `INSERT INTO shared_workflow (workflowId, projectId, role) VALUES (?, ?, 'workflow:owner')`, [wf.id, projectId]);
		}
		return { ok: true, imported: list.length };
	});
}

async function main() {
	const db = await open();
	try {
		if (mode === 'backfill-history') {
			// same SQL as n8n's BackfillMissingWorkflowHistoryRecords migration
			await run(
				db,
				`INSERT INTO workflow_history (versionId, workflowId, authors, nodes, connections, createdAt, updatedAt)
				 SELECT w.versionId, w.id, 'e2e import', w.nodes, w.connections,
				        STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'), STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
				 FROM workflow_entity w LEFT JOIN workflow_history wh ON w.versionId = wh.versionId
				 WHERE wh.versionId IS NULL`,
			);
			return { ok: true };
		}
		if (mode === 'publish') {
			// what `n8n publish:workflow --id=X` does (WorkflowRepository.publishVersion, 2.0.3 and 2.41.1): the
			// workflow's current version must be in workflow_history; one UPDATE, as TypeORM writes it
			const [workflowId] = args;
			const [w] = await all(db, 'SELECT * FROM workflow_entity WHERE id = ?', [workflowId]);
			if (!w) throw new Error(`Workflow "${workflowId}" not found.`);
			if (w.isArchived) throw new Error('Cannot publish archived Workflow');
			const [h] = await all(db, 'SELECT versionId FROM workflow_history WHERE workflowId = ? AND versionId = ?', [workflowId, w.versionId]);
			if (!h) throw new Error(`Version "${w.versionId}" not found for workflow "${workflowId}".`);
			await run(db, 'UPDATE workflow_entity SET active = 1, activeVersionId = ?, updatedAt = CURRENT_TIMESTAMP WHERE id = ?', [w.versionId, workflowId]);
			return { ok: true, versionId: w.versionId };
		}
		if (mode === 'query') return { rows: await all(db, String(args[0])) };
		if (mode === 'import-credentials') return await importCredentials(db, readJson(args[0]));
		if (mode === 'import-workflows') return await importWorkflows(db, readJson(args[0]));
		if (mode === 'forget-static-data') {
			// what the triggers remembered about a portal (ids delivered, offsets, registrations): the demo's sandbox
			// portal is new on every run and counts its ids from the start again
			const ids = String(args[0] || '').split(',').filter(Boolean);
			if (ids.length === 0) return { ok: true };
			await run(db, `UPDATE workflow_entity SET staticData = NULL WHERE id IN (${ids.map(() => '?').join(',')})`, ids);
			return { ok: true };
		}
		if (mode === 'workflows') {
			const ids = String(args[0] || '').split(',').filter(Boolean);
			if (ids.length === 0) return { workflows: {} };
			const rows = await all(db, `SELECT id, name, nodes, connections FROM workflow_entity WHERE id IN (${ids.map(() => '?').join(',')})`, ids);
			const workflows = {};
			for (const r of rows) workflows[r.id] = { name: r.name, nodes: r.nodes, connections: r.connections };
			return { workflows };
		}
		const outbox = await hasTable(db, 'workflow_publication_outbox');
		if (mode === 'outbox-max-id') {
			if (!outbox) return { outbox: false, maxId: 0 };
			const [row] = await all(db, 'SELECT COALESCE(MAX(id), 0) AS maxId FROM workflow_publication_outbox');
			return { outbox: true, maxId: row.maxId };
		}
		if (mode === 'wait-publication') {
			const [workflowId, afterId, timeoutMs] = args;
			if (!outbox) return { outbox: false };
			const t0 = Date.now();
			let rows = [];
			for (let i = 0; Date.now() - t0 < Number(timeoutMs) && i < 100000; i++) {
				rows = await all(
					db,
					'SELECT id, status, reason, errorMessage FROM workflow_publication_outbox WHERE workflowId = ? AND id > ? ORDER BY id',
					[workflowId, Number(afterId)],
				);
				if (rows.length > 0 && rows.every((r) => !IN_FLIGHT.includes(r.status))) {
					return { outbox: true, settled: true, last: rows[rows.length - 1], rows, ms: Date.now() - t0 };
				}
				await sleep(POLL_MS);
			}
			return { outbox: true, settled: false, rows, ms: Date.now() - t0 };
		}
		if (mode === 'wait-startup') {
			// settled = nothing in flight, and every published workflow has reported trigger statuses (or its
			// last publication failed): the condition under which n8n's start-up reconciliation has nothing to do.
			const [timeoutMs] = args;
			if (!outbox) return { outbox: false };
			const t0 = Date.now();
			let inFlight = [];
			let unreported = [];
			for (let i = 0; Date.now() - t0 < Number(timeoutMs) && i < 100000; i++) {
				inFlight = await all(db, `SELECT workflowId, status FROM workflow_publication_outbox WHERE status IN ('pending', 'in_progress')`);
				unreported = (
					await all(
						db,
						`SELECT w.id AS id FROM workflow_entity w
						 WHERE w.activeVersionId IS NOT NULL AND w.isArchived = 0
						 AND NOT EXISTS (SELECT 1 FROM workflow_publication_trigger_status ts WHERE ts.workflowId = w.id)
						 AND COALESCE((SELECT o.status FROM workflow_publication_outbox o WHERE o.workflowId = w.id
						               ORDER BY o.id DESC LIMIT 1), '') <> 'failed'`,
					)
				).map((r) => r.id);
				if (inFlight.length === 0 && unreported.length === 0) return { outbox: true, settled: true, ms: Date.now() - t0 };
				await sleep(POLL_MS);
			}
			return { outbox: true, settled: false, inFlight, unreported, ms: Date.now() - t0 };
		}
		throw new Error(`unknown mode ${mode}`);
	} finally {
		await new Promise((r) => db.close(r));
	}
}

main().then(
	(out) => process.stdout.write(JSON.stringify(out) + '\n'),
	(err) => {
		process.stdout.write(JSON.stringify({ error: String(err && err.stack ? err.stack : err) }) + '\n');
		process.exitCode = 1;
	},
);
