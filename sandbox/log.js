'use strict';
/** The request log (GET /sandbox/log): method, params with secrets redacted, auth kind, status, error. */
const SECRET_KEYS = new Set(['auth', 'access_token', 'refresh_token', 'client_secret', 'application_token', 'code', 'password']);
const MAX_DEPTH = 6;

function redact(value, depth = 0) {
	if (value === null || typeof value !== 'object') return value;
	if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[array]' : '[object]';
	if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
	const out = {};
	for (const k of Object.keys(value)) out[k] = SECRET_KEYS.has(k) ? '***' : redact(value[k], depth + 1);
	return out;
}

function createLog(limit = 5000) {
	const entries = [];
	let seq = 0;
	function add(entry) {
		seq += 1;
		entries.push({ id: seq, at: new Date().toISOString(), ...entry });
		if (entries.length > limit) entries.splice(0, entries.length - limit);
	}
	add.entries = entries;
	add.clear = () => {
		entries.length = 0;
	};
	return add;
}

module.exports = { redact, createLog };
