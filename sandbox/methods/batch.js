'use strict';
/**
 * batch (§1.7): up to 50 "method?query" commands, run in order, each with its own result or error;
 * halt stops at the first failure; $result[key][field] (and deeper paths, $error, $total, $next, $time)
 * reference earlier commands. Empty sections come back as [].
 */
const { parsePhpQuery } = require('../phpQuery');
const { isEmpty, flag, fail, isPlainObject } = require('./util');

const MAX_COMMANDS = 50;
const REF = /\$(result|error|total|next|time)((?:\[[^\]]*\])+)/g;

/** PHP json_encode of an assoc array: [] when empty, a list when keys are 0..n-1. */
function phpMap(obj) {
	const keys = Object.keys(obj);
	if (!keys.length) return [];
	if (keys.every((k, i) => k === String(i))) return keys.map((k) => obj[k]);
	return obj;
}

function lookup(sections, kind, path) {
	let node = sections[kind];
	const parts = path.slice(1, -1).split('][');
	for (const p of parts) {
		if (node === null || node === undefined || typeof node !== 'object') return undefined;
		node = node[p];
	}
	return node;
}

function substitute(value, sections) {
	if (typeof value === 'string') {
		if (value.indexOf('$') === -1) return value;
		REF.lastIndex = 0;
		const whole = /^\$(result|error|total|next|time)((?:\[[^\]]*\])+)$/.exec(value);
		if (whole) {
			const v = lookup(sections, whole[1], whole[2]);
			return v === undefined || v === null ? '' : v;
		}
		return value.replace(REF, (_, kind, path) => {
			const v = lookup(sections, kind, path);
			if (v === undefined || v === null) return '';
			return typeof v === 'object' ? JSON.stringify(v) : String(v);
		});
	}
	if (Array.isArray(value)) return value.map((v) => substitute(v, sections));
	if (value && typeof value === 'object') {
		const out = {};
		for (const k of Object.keys(value)) out[k] = substitute(value[k], sections);
		return out;
	}
	return value;
}

let batchSeq = 0;

function batch(ctx) {
	const { params } = ctx;
	/** One id per batch request: rate limits that count requests (imbot.v2) charge a batch once. */
	const batchId = ++batchSeq;
	const cmd = params.cmd;
	if (isEmpty(cmd) || (!Array.isArray(cmd) && !isPlainObject(cmd))) fail('ERROR_ARGUMENT', "Argument 'cmd' is null or empty");
	const keys = Object.keys(cmd);
	if (keys.length > MAX_COMMANDS) fail('ERROR_BATCH_LENGTH_EXCEEDED', `Max batch length exceeded: ${MAX_COMMANDS}`);
	const halt = flag(params.halt);
	const sections = { result: {}, error: {}, total: {}, next: {}, time: {} };
	for (const key of keys) {
		const raw = String(cmd[key]);
		const q = raw.indexOf('?');
		const method = (q === -1 ? raw : raw.slice(0, q)).trim().replace(/\.json$/i, '').toLowerCase();
		let cmdParams = q === -1 ? {} : parsePhpQuery(raw.slice(q + 1));
		if (raw.indexOf('$') !== -1) cmdParams = substitute(cmdParams, sections);
		delete cmdParams.auth;
		const started = Date.now();
		try {
			const r = ctx.call(method, cmdParams, { batchKey: key, batchId });
			sections.result[key] = r.result;
			if (r.total !== undefined) sections.total[key] = r.total;
			if (r.next !== undefined) sections.next[key] = r.next;
			sections.time[key] = ctx.timeBlock(started);
		} catch (e) {
			sections.error[key] = { error: e.code || 'INTERNAL_SERVER_ERROR', error_description: e.description || 'Internal server error' };
			sections.time[key] = ctx.timeBlock(started);
			if (halt) break;
		}
	}
	return {
		result: phpMap(sections.result),
		result_error: phpMap(sections.error),
		result_total: phpMap(sections.total),
		result_next: phpMap(sections.next),
		result_time: phpMap(sections.time),
	};
}

module.exports = { batch, MAX_COMMANDS };
