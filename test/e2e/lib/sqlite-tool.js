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
