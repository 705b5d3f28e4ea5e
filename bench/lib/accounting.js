'use strict';
/**
 * Item accounting for benchmark and fault runs: did every input item come back exactly once, did every message the
 * node reported as sent arrive in the sandbox exactly once, and how many HTTP requests carried each item.
 *
 * Every message of a run carries a tag in a field the sandbox keeps: `${tag}-${index}` as the chatbot MESSAGE text
 * (imbot.message.add) or as the external message id (imconnector.send.messages). Plain Node, no dependencies: used by
 * bench/run.js and by test/integration/faults.test.ts.
 */
const { parsePhpQuery } = require('../../sandbox/phpQuery');

const KINDS = {
	chatbot: { method: 'imbot.message.add' },
	chatbotv2: { method: 'imbot.v2.chat.message.send' },
	connector: { method: 'imconnector.send.messages' },
};

function indexOf(tag, value) {
	if (typeof value !== 'string' || !value.startsWith(`${tag}-`)) return -1;
	const n = Number(value.slice(tag.length + 1));
	return Number.isInteger(n) && n >= 0 ? n : -1;
}

/** Indexes of the tagged messages inside one call's params (a plain call or one batch command). */
function indexesInParams(kind, tag, method, params) {
	const out = [];
	if (String(method).toLowerCase() !== KINDS[kind].method || !params) return out;
	if (kind === 'chatbot' || kind === 'chatbotv2') {
		const i = indexOf(tag, kind === 'chatbot' ? params.MESSAGE : params.fields && params.fields.message);
		if (i >= 0) out.push(i);
		return out;
	}
	const messages = Array.isArray(params.MESSAGES) ? params.MESSAGES : Object.values(params.MESSAGES || {});
	for (const m of messages) {
		const i = indexOf(tag, m && m.message && m.message.id);
		if (i >= 0) out.push(i);
	}
	return out;
}

/** Indexes carried by one HTTP request of the sandbox log (a batch, or a direct call). */
function indexesInRequest(kind, tag, entry) {
	if (entry.method !== 'batch') return indexesInParams(kind, tag, entry.method, entry.params);
	const out = [];
	const cmd = (entry.params && entry.params.cmd) || {};
	for (const command of Object.values(cmd)) {
		if (typeof command !== 'string') continue;
		const at = command.indexOf('?');
		const method = (at < 0 ? command : command.slice(0, at)).toLowerCase();
		if (method !== KINDS[kind].method) continue;
		out.push(...indexesInParams(kind, tag, method, parsePhpQuery(at < 0 ? '' : command.slice(at + 1))));
	}
	return out;
}

/** How many times each index is stored in the sandbox state. */
function storedCounts(kind, tag, state, count) {
	const stored = new Array(count).fill(0);
	if (kind === 'chatbot' || kind === 'chatbotv2') {
		for (const message of state.messages.values()) {
			const i = indexOf(tag, message.MESSAGE);
			if (i >= 0 && i < count) stored[i]++;
		}
	} else {
		for (const message of state.connectorMessages) {
			const i = indexOf(tag, message.externalMessageId);
			if (i >= 0 && i < count) stored[i]++;
		}
	}
	return stored;
}

function pairedIndex(item) {
	const p = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	if (typeof p === 'number') return p;
	return p && typeof p.item === 'number' ? p.item : -1;
}

function isError(item) {
	return Boolean(item.error) || (item.json && item.json.error !== undefined);
}

/**
 * @param {object} o
 * @param {'chatbot'|'chatbotv2'|'connector'} o.kind
 * @param {string} o.tag
 * @param {number} o.count         input items
 * @param {Array}  o.items         the node's output items ({json, pairedItem, error?})
 * @param {object} o.state         the sandbox state after the run
 * @param {Array}  o.log           sandbox log entries of the run (logLimit high enough to hold all of them)
 */
function account({ kind, tag, count, items, state, log }) {
	const seen = new Array(count).fill(0);
	const failed = new Array(count).fill(false);
	let outOfOrder = 0;
	const errorCodes = {};
	items.forEach((item, position) => {
		const i = pairedIndex(item);
		if (i !== position) outOfOrder++;
		if (i >= 0 && i < count) seen[i]++;
		if (isError(item)) {
			if (i >= 0 && i < count) failed[i] = true;
			const code = (item.json && item.json.code) || 'UNKNOWN';
			errorCodes[code] = (errorCodes[code] || 0) + 1;
		}
	});
	const stored = storedCounts(kind, tag, state, count);
	const requests = log.filter((e) => !e.inBatch);
	const perItem = new Array(count).fill(0);
	let carrying = 0;
	for (const entry of requests) {
		const indexes = indexesInRequest(kind, tag, entry);
		if (indexes.length) carrying++;
		for (const i of new Set(indexes)) if (i < count) perItem[i]++;
	}
	const statuses = {};
	for (const entry of requests) {
		const key = entry.error ? `${entry.status} ${entry.error}` : String(entry.status);
		statuses[key] = (statuses[key] || 0) + 1;
	}
	const histogram = {};
	for (const n of perItem) histogram[n] = (histogram[n] || 0) + 1;
	const failedItems = failed.filter(Boolean).length;
	return {
		inputItems: count,
		outputItems: items.length,
		itemsWithoutOutput: seen.filter((n) => n === 0).length,
		itemsWithSeveralOutputs: seen.filter((n) => n > 1).length,
		pairedItemWrong: outOfOrder,
		okItems: count - failedItems - seen.filter((n) => n === 0).length,
		failedItems,
		errorCodes,
		storedMessages: stored.reduce((a, b) => a + b, 0),
		/** Items whose message is in the sandbox at least once (how a node without per-item output is judged). */
		storedItems: stored.filter((n) => n > 0).length,
		duplicated: stored.reduce((a, n) => a + Math.max(0, n - 1), 0),
		lost: stored.filter((n, i) => n === 0 && seen[i] > 0 && !failed[i]).length,
		/** Reported as failed but stored anyway (allowed in real Bitrix24 for an unknown outcome; the sandbox never does it). */
		failedButStored: stored.filter((n, i) => n > 0 && failed[i]).length,
		requests: requests.length,
		requestsCarryingItems: carrying,
		statuses,
		rateLimitedRequests: requests.filter((e) => e.error === 'QUERY_LIMIT_EXCEEDED').length,
		maxRequestsPerItem: perItem.reduce((a, b) => Math.max(a, b), 0),
		requestsPerItem: histogram,
	};
}

module.exports = { account, indexesInRequest, storedCounts, KINDS };
