'use strict';
// Imports the example workflows into the demo's n8n without overwriting a user's edits.
//
// The demo imports examples/*.json by fixed id. A workflow is (re)imported only when
//   - it is not in n8n yet (first run, or the user deleted it), or
//   - it is unchanged since the demo's last import of it: its stored name + nodes + connections hash to what the
//     demo recorded right after that import (<n8n user folder>/demo-imports.json); then the fresh copy (this run's
//     ports, the current example file) replaces it.
// A workflow edited in n8n since (its hash differs), or one the demo has no record of that differs from the
// example, is kept as it is; the demo says so.

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const RECORD_FILE = 'demo-imports.json';

/** Hash of what a user edits: name, nodes and connections (n8n stores the latter two as JSON text). */
function contentHash({ name, nodes, connections }) {
	const parse = (v) => (typeof v === 'string' ? JSON.parse(v) : v);
	const canonical = (v) => {
		if (Array.isArray(v)) return v.map(canonical);
		if (v && typeof v === 'object') {
			const out = {};
			for (const k of Object.keys(v).sort()) out[k] = canonical(v[k]);
			return out;
		}
		return v;
	};
	const text = JSON.stringify(canonical({ name, nodes: parse(nodes) || [], connections: parse(connections) || {} }));
	return crypto.createHash('sha256').update(text).digest('hex');
}

function readRecord(userFolder) {
	try {
		return JSON.parse(fs.readFileSync(path.join(userFolder, RECORD_FILE), 'utf8'));
	} catch {
		return {};
	}
}

function writeRecord(userFolder, record) {
	fs.writeFileSync(path.join(userFolder, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * The stored workflows { id: { name, nodes, connections } } for these ids, read from n8n's sqlite database — by the
 * harness's sqlite tool, run with the Node of this n8n version (its sqlite3 is built for that Node, not the demo's).
 */
async function storedWorkflows(n8n, ids) {
	const dbFile = path.join(n8n.n8nDir, 'database.sqlite');
	if (!fs.existsSync(dbFile) || ids.length === 0) return {};
	const answer = await n8n.sqlite('workflows', [ids.join(',')]);
	return answer.workflows || {};
}

/**
 * Imports what needs importing (see the header). `workflows`: { key: workflow } as demoWorkflows() gives them.
 * Returns { imported: [wf], kept: [wf] }.
 */
async function importExamples(n8n, workflows, userFolder) {
	const list = Object.values(workflows);
	const record = readRecord(userFolder);
	const stored = await storedWorkflows(n8n, list.map((w) => w.id));
	// The sandbox portal is new on every demo run and counts message, event and bot ids from the start again: what the
	// triggers remembered about the last run's portal (delivered ids, queue offsets, registrations) would drop the new
	// portal's events as repeats. A real portal never reuses an id; the demo forgets that memory instead.
	if (Object.keys(stored).length) await n8n.sqlite('forget-static-data', [Object.keys(stored).join(',')]);
	const imported = [];
	const kept = [];
	for (const wf of list) {
		const current = stored[wf.id];
		if (!current) {
			imported.push(wf);
			continue;
		}
		const hash = contentHash(current);
		const known = record[wf.id] && record[wf.id].hash;
		const unchanged = known ? hash === known : hash === contentHash(wf);
		if (unchanged) imported.push(wf);
		else kept.push({ ...wf, storedName: current.name });
	}
	if (imported.length) {
		await n8n.importWorkflow(imported);
		const after = await storedWorkflows(n8n, imported.map((w) => w.id));
		for (const wf of imported) {
			if (after[wf.id]) record[wf.id] = { hash: contentHash(after[wf.id]), importedAt: new Date().toISOString() };
		}
		writeRecord(userFolder, record);
	}
	return { imported, kept };
}

module.exports = { importExamples, contentHash, storedWorkflows, RECORD_FILE };
