'use strict';
/**
 * event.bind / event.unbind / event.get (§1.9). App context only (auth.js).
 * event.offline.get / clear / error / list (b24restdocs api-reference/events/event-offline-*.md): administrator,
 * application context; the queue is ../offlineEvents.js.
 */
const { nextId } = require('../state');
const { ListResult } = require('../envelope');
const offline = require('../offlineEvents');
const { isEmpty, toInt, flag, asList, isPlainObject, fail } = require('./util');

/** Events the portal knows (bitrix24-methods.txt, # events). */
const KNOWN_EVENTS = new Set([
	'ONIMBOTDELETE', 'ONIMBOTJOINCHAT', 'ONIMBOTMESSAGEADD', 'ONIMBOTMESSAGEDELETE', 'ONIMBOTMESSAGEUPDATE', 'ONIMCOMMANDADD',
	'ONIMCONNECTORDIALOGFINISH', 'ONIMCONNECTORDIALOGSTART', 'ONIMCONNECTORLINEDELETE', 'ONIMCONNECTORMESSAGEADD',
	'ONIMCONNECTORMESSAGEDELETE', 'ONIMCONNECTORMESSAGEUPDATE', 'ONIMCONNECTORSTATUSDELETE',
	'ONOPENLINEMESSAGEADD', 'ONOPENLINEMESSAGEDELETE', 'ONOPENLINEMESSAGEUPDATE', 'ONSESSIONSTART', 'ONSESSIONFINISH',
	'ONAPPINSTALL', 'ONAPPUNINSTALL', 'ONOFFLINEEVENT',
]);

/** Offline events need an administrator (event-bind.md, event-offline-*.md: 403 ACCESS_DENIED "Access denied!"). */
function requireAdmin(state, auth) {
	const user = state.users.get(auth.userId);
	if (!user || !user.ADMIN) fail('ACCESS_DENIED', 'Access denied!', 403);
}

/** App context only, as event.bind (auth.js refuses webhooks for event.bind/unbind/get by name). */
function requireApp(auth) {
	if (auth.kind === 'webhook' || !auth.clientId) {
		fail('WRONG_AUTH_TYPE', 'Current authorization type is denied for this method Application context required', 403);
	}
}

function eventName(params) {
	if (isEmpty(params.event)) fail('ERROR_EVENT_NOT_FOUND', 'Event not found');
	const name = String(params.event).toUpperCase();
	if (!KNOWN_EVENTS.has(name)) fail('ERROR_EVENT_NOT_FOUND', 'Event not found');
	return name;
}

function bind({ state, params, auth }) {
	const event = eventName(params);
	const eventType = String(params.event_type || 'online').toLowerCase();
	if (eventType !== 'online' && eventType !== 'offline') fail('ERROR_ARGUMENT', "event_type must be 'online' or 'offline'");
	if (eventType === 'online' && isEmpty(params.handler)) fail('ERROR_HANDLER_URL_MISMATCH', 'Handler URL is required');
	if (eventType === 'online' && !/^https?:\/\//i.test(String(params.handler))) fail('ERROR_HANDLER_URL_MISMATCH', 'Wrong handler URL');
	const handler = eventType === 'online' ? String(params.handler) : '';
	const authType = isEmpty(params.auth_type) ? 0 : toInt(params.auth_type);
	if (authType > 0 && !state.users.has(authType)) fail('ACCESS_DENIED', 'auth_type user not found', 403);
	if (eventType === 'offline') requireAdmin(state, auth);
	const authConnector = isEmpty(params.auth_connector) ? '' : String(params.auth_connector);
	if (
		state.eventHandlers.some(
			(h) => h.clientId === auth.clientId && h.event === event && h.handler === handler && h.event_type === eventType && (h.auth_connector || '') === authConnector,
		)
	) {
		fail('ERROR_CORE', 'Handler already binded');
	}
	state.eventHandlers.push({
		id: nextId(state, 'handler'),
		event,
		handler,
		clientId: auth.clientId,
		auth_type: authType,
		event_type: eventType,
		...(authConnector ? { auth_connector: authConnector } : {}),
	});
	return true;
}

function unbind({ state, params, auth }) {
	const event = eventName(params);
	const before = state.eventHandlers.length;
	const authType = isEmpty(params.auth_type) ? null : toInt(params.auth_type);
	const eventType = isEmpty(params.event_type) ? null : String(params.event_type).toLowerCase();
	state.eventHandlers = state.eventHandlers.filter(
		(h) =>
			!(
				h.clientId === auth.clientId &&
				h.event === event &&
				(isEmpty(params.handler) || h.handler === String(params.handler)) &&
				(authType === null || h.auth_type === authType) &&
				(eventType === null || h.event_type === eventType)
			),
	);
	return { count: before - state.eventHandlers.length };
}

function get({ state, auth }) {
	return state.eventHandlers
		.filter((h) => h.clientId === auth.clientId)
		.map((h) => ({ event: h.event, handler: h.handler, auth_type: String(h.auth_type), offline: h.event_type === 'offline' ? 1 : 0 }));
}

const GET_FIELDS = ['ID', 'TIMESTAMP_X', 'EVENT_NAME', 'MESSAGE_ID'];
const LIST_FIELDS = [...GET_FIELDS, 'PROCESS_ID', 'ERROR'];
const LIST_PAGE = 50;

function compare(a, b) {
	if (typeof a === 'number' && typeof b === 'number') return a - b;
	return String(a).localeCompare(String(b));
}

/** filter {'=EVENT_NAME': 'X', '>=ID': 3, 'MESSAGE_ID': [..]} -> predicate; the operation comes before the field name. */
function filterOf(value, fields) {
	if (isEmpty(value)) return () => true;
	if (!isPlainObject(value)) fail('ERROR_ARGUMENT', 'filter must be an object');
	const tests = [];
	for (const [key, raw] of Object.entries(value)) {
		const m = /^(>=|<=|!=|=|>|<|!)?([A-Z_]+)$/i.exec(key);
		const field = m ? m[2].toUpperCase() : '';
		if (!m || !fields.includes(field)) fail('ERROR_ARGUMENT', `Unknown filter field: ${key}`);
		const op = m[1] || '=';
		const numeric = field === 'ID' || field === 'ERROR';
		const norm = (v) => (numeric ? toInt(String(v)) : String(v));
		const list = asList(raw);
		const wanted = list ? list.map(norm) : [norm(raw)];
		tests.push((r) => {
			const have = numeric ? Number(r[field]) : String(r[field]);
			const c = compare(have, wanted[0]);
			switch (op) {
				case '=':
					return wanted.some((w) => compare(have, w) === 0);
				case '!':
				case '!=':
					return !wanted.some((w) => compare(have, w) === 0);
				case '>':
					return c > 0;
				case '>=':
					return c >= 0;
				case '<':
					return c < 0;
				default:
					return c <= 0;
			}
		});
	}
	return (r) => tests.every((t) => t(r));
}

function orderOf(value, fields, fallback) {
	const order = isEmpty(value) ? fallback : value;
	if (!isPlainObject(order)) fail('ERROR_ARGUMENT', 'order must be an object');
	const keys = Object.entries(order).map(([k, dir]) => {
		const field = k.toUpperCase();
		if (!fields.includes(field)) fail('ERROR_ARGUMENT', `Unknown order field: ${k}`);
		return { field, sign: String(dir).toUpperCase() === 'DESC' ? -1 : 1 };
	});
	return (a, b) => {
		for (const { field, sign } of keys) {
			const c = field === 'TIMESTAMP_X' ? compare(a.ID, b.ID) : compare(a[field], b[field]);
			if (c) return c * sign;
		}
		return a.ID - b.ID;
	};
}

function publicRecord(r, withProcess) {
	const out = { ID: String(r.ID), TIMESTAMP_X: r.TIMESTAMP_X, EVENT_NAME: r.EVENT_NAME, EVENT_DATA: r.EVENT_DATA, EVENT_ADDITIONAL: r.EVENT_ADDITIONAL, MESSAGE_ID: r.MESSAGE_ID };
	if (withProcess) {
		out.PROCESS_ID = r.PROCESS_ID;
		out.ERROR = String(r.ERROR);
	}
	return out;
}

function ownRecords(state, auth, params) {
	const connector = isEmpty(params.auth_connector) ? '' : String(params.auth_connector);
	return offline.queue(state).records.filter((r) => r.clientId === auth.clientId && r.authConnector === connector);
}

function guard(state, auth) {
	requireApp(auth);
	requireAdmin(state, auth);
}

/**
 * event.offline.get {filter, order, limit=50, clear=1, process_id, error=0, auth_connector}.
 * Selects records not reserved by another process (with process_id: that process's records first), ERROR as asked;
 * clear=1 deletes them (process_id null), clear=0 reserves them under process_id (given or new).
 */
function offlineGet({ state, params, auth }) {
	guard(state, auth);
	const limitRaw = toInt(params.limit);
	const limit = isEmpty(params.limit) || Number.isNaN(limitRaw) ? 50 : Math.max(1, limitRaw);
	const clear = flag(params.clear, true);
	const withErrors = flag(params.error, false);
	const processId = isEmpty(params.process_id) ? '' : String(params.process_id);
	const test = filterOf(params.filter, GET_FIELDS);
	const sort = orderOf(params.order, GET_FIELDS, { TIMESTAMP_X: 'ASC' });
	const pool = ownRecords(state, auth, params).filter(
		(r) => (withErrors ? r.ERROR === 1 : r.ERROR === 0) && (withErrors || r.PROCESS_ID === '' || (processId && r.PROCESS_ID === processId)) && test(r),
	);
	pool.sort((a, b) => (processId ? Number(b.PROCESS_ID === processId) - Number(a.PROCESS_ID === processId) : 0) || sort(a, b));
	const chosen = pool.slice(0, limit);
	const events = chosen.map((r) => publicRecord(r, false));
	if (clear) {
		const drop = new Set(chosen);
		const q = offline.queue(state);
		q.records = q.records.filter((r) => !drop.has(r));
		return { process_id: null, events };
	}
	const pid = processId || offline.newProcessId();
	for (const r of chosen) r.PROCESS_ID = pid;
	return { process_id: pid, events };
}

function requiredProcessId(params) {
	if (isEmpty(params.process_id)) fail('ERROR_ARGUMENT', 'process_id is required');
	return String(params.process_id);
}

/** event.offline.clear {process_id*, id[], message_id[]}: deletes that process's records (all, or the ids / message ids). */
function offlineClear({ state, params, auth }) {
	guard(state, auth);
	const pid = requiredProcessId(params);
	const ids = asList(params.id);
	const messageIds = asList(params.message_id);
	const pick = ids && ids.length
		? ((set) => (r) => set.has(r.ID))(new Set(ids.map((v) => toInt(String(v)))))
		: messageIds && messageIds.length
			? ((set) => (r) => set.has(r.MESSAGE_ID))(new Set(messageIds.map(String)))
			: () => true;
	const q = offline.queue(state);
	q.records = q.records.filter((r) => !(r.clientId === auth.clientId && r.PROCESS_ID === pid && pick(r)));
	return true;
}

/** event.offline.error {process_id*, message_id[]}: marks those records of the process as erroneous (kept, ERROR=1). */
function offlineError({ state, params, auth }) {
	guard(state, auth);
	const pid = requiredProcessId(params);
	const messageIds = asList(params.message_id);
	const set = messageIds && messageIds.length ? new Set(messageIds.map(String)) : null;
	for (const r of offline.queue(state).records) {
		if (r.clientId === auth.clientId && r.PROCESS_ID === pid && (!set || set.has(r.MESSAGE_ID))) r.ERROR = 1;
	}
	return true;
}

/** event.offline.list {filter, order=ID ASC, start, auth_connector}: reads without changing anything, 50 a page. */
function offlineList({ state, params, auth }) {
	guard(state, auth);
	const test = filterOf(params.filter, LIST_FIELDS);
	const sort = orderOf(params.order, LIST_FIELDS, { ID: 'ASC' });
	const rows = ownRecords(state, auth, params).filter(test).sort(sort);
	const startRaw = toInt(params.start);
	const start = Number.isNaN(startRaw) || startRaw < 0 ? 0 : startRaw;
	const page = rows.slice(start, start + LIST_PAGE).map((r) => publicRecord(r, true));
	return new ListResult(page, rows.length, start + LIST_PAGE < rows.length ? start + LIST_PAGE : undefined);
}

module.exports = {
	methods: {
		'event.bind': bind,
		'event.unbind': unbind,
		'event.get': get,
		'event.offline.get': offlineGet,
		'event.offline.clear': offlineClear,
		'event.offline.error': offlineError,
		'event.offline.list': offlineList,
	},
	KNOWN_EVENTS,
};
