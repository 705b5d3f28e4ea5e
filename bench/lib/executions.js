'use strict';
/**
 * Runs a workflow with `n8n execute` and reads the execution back from n8n's own database.
 *
 * Why not the harness's `execute()` result: `n8n execute` prints the whole execution as JSON and exits; with 10,000
 * output items (~6 MB) the process sometimes exits before the pipe has taken all of it, and the JSON arrives cut.
 * The execution saved in the database (EXECUTIONS_DATA_SAVE_* = all in the harness) is complete.
 */
const path = require('node:path');
const { describeRun, parseFlatted } = require('../../test/e2e/lib/n8n');

function query(n8n, sql, params) {
	const sqlite3 = require(path.join(path.dirname(n8n.binary), '..', '..', 'sqlite3'));
	return new Promise((resolve, reject) => {
		const db = new sqlite3.Database(path.join(n8n.n8nDir, 'database.sqlite'), sqlite3.OPEN_READONLY, (err) => {
			if (err) return reject(err);
			db.configure('busyTimeout', 10000);
			db.all(sql, params, (queryErr, rows) => db.close(() => (queryErr ? reject(queryErr) : resolve(rows))));
		});
	});
}

/** `n8n execute --id` (CLI, fresh process), then the newest saved execution of that workflow, as describeRun(). */
async function executeFromDb(n8n, workflowId, { timeoutMs }) {
	const cli = await n8n.cli(['execute', `--id=${workflowId}`], { timeoutMs });
	const rows = await query(
		n8n,
		`SELECT e.id AS id, e.status AS status, d.data AS data FROM execution_entity e
		 JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id DESC LIMIT 1`,
		[workflowId],
	);
	if (!rows.length) {
		throw new Error(`n8n execute --id=${workflowId} saved no execution (exit ${cli.code}):\n${cli.stderr.slice(-2000)}`);
	}
	const data = parseFlatted(rows[0].data);
	return describeRun({ id: rows[0].id, status: rows[0].status, data }, { exitCode: cli.code, ms: cli.ms });
}

module.exports = { executeFromDb };
