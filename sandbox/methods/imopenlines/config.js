'use strict';
/** imopenlines.config.* (§3.1), plus config.path.get and revision.get. */
const { lineConfig, applyLineParams, nextId } = require('../../state');
const { ListResult } = require('../../envelope');
const { isEmpty, toInt, isPlainObject, fail } = require('../util');
const { fireAppEvent } = require('../../events');

const NOT_SELECTABLE = new Set(['QUEUE', 'QUEUE_USERS_FIELDS', 'CONFIG_QUEUE']);
const LIST_PARAM_KEYS = new Set(['select', 'order', 'filter', 'limit', 'offset']);
const OPTION_KEYS = new Set(['QUEUE', 'CONFIG_QUEUE', 'CHECK_PERMISSION']);

function configId(params) {
	if (isEmpty(params.CONFIG_ID)) fail('CONFIG_ID_EMPTY', 'Config ID can\'t be empty');
	const id = toInt(params.CONFIG_ID);
	if (!(id > 0)) fail('CONFIG_ID_EMPTY', 'Config ID can\'t be empty');
	return id;
}

function queueUsersFields(state, queue) {
	const out = {};
	for (const id of queue || []) {
		const u = state.users.get(Number(id));
		if (u) out[id] = { USER_NAME: `${u.NAME} ${u.LAST_NAME}`.trim(), USER_WORK_POSITION: u.WORK_POSITION || '', USER_AVATAR: '', USER_AVATAR_ID: 0 };
	}
	return out;
}

function add({ state, params }) {
	const p = params.PARAMS === undefined || params.PARAMS === '' ? {} : params.PARAMS;
	if (!isPlainObject(p)) fail('INVALID_FORMAT', 'PARAMS must be an object');
	const id = nextId(state, 'line');
	state.lines.set(id, lineConfig(id, p));
	return id;
}

function get({ state, params }) {
	const id = configId(params);
	const cfg = state.lines.get(id);
	if (!cfg) return false;
	const out = { ...cfg };
	out.QUEUE_USERS_FIELDS = queueUsersFields(state, cfg.QUEUE);
	out.QUEUE_FULL = {};
	cfg.QUEUE.forEach((uid, i) => {
		const f = out.QUEUE_USERS_FIELDS[uid] || {};
		out.QUEUE_FULL[uid] = { ID: String(i + 1), SORT: String(i * 10), USER_ID: String(uid), DEPARTMENT_ID: '1', ...f };
	});
	return out;
}

function invalid(msg) {
	fail('INVALID_FORMAT', msg);
}

function listGet({ state, params }) {
	const P = params.PARAMS === undefined || params.PARAMS === '' ? {} : params.PARAMS;
	const O = params.OPTIONS === undefined || params.OPTIONS === '' ? {} : params.OPTIONS;
	if (!isPlainObject(P)) invalid('PARAMS must be an object');
	if (!isPlainObject(O)) invalid('OPTIONS must be an object');
	for (const k of Object.keys(P)) if (!LIST_PARAM_KEYS.has(k)) invalid(`Unsupported PARAMS key: ${k}`);
	for (const k of Object.keys(O)) if (!OPTION_KEYS.has(k)) invalid(`Unsupported OPTIONS key: ${k}`);
	const known = new Set(Object.keys(state.lines.get(1) || lineConfig(1)));
	const checkField = (f) => {
		if (typeof f !== 'string' || !f) invalid('Empty or invalid field name');
		if (NOT_SELECTABLE.has(f)) invalid(`Field ${f} cannot be used in select, order or filter; use OPTIONS`);
		if (!known.has(f)) invalid(`Unknown field: ${f}`);
	};
	let select = null;
	if (P.select !== undefined) {
		if (!Array.isArray(P.select)) invalid('select must be an array');
		P.select.forEach(checkField);
		select = P.select;
	}
	let order = [];
	if (P.order !== undefined) {
		if (!isPlainObject(P.order)) invalid('Invalid order format');
		order = Object.entries(P.order).map(([f, dir]) => {
			checkField(f);
			const d = String(dir).toUpperCase();
			if (d !== 'ASC' && d !== 'DESC') invalid('Order direction must be ASC or DESC');
			return [f, d];
		});
	}
	let filter = [];
	if (P.filter !== undefined) {
		if (!isPlainObject(P.filter)) invalid('Invalid filter format');
		filter = Object.entries(P.filter).map(([f, v]) => {
			checkField(f.replace(/^[=!]+/, ''));
			return [f.replace(/^[=!]+/, ''), f.startsWith('!'), v];
		});
	}
	const nonNeg = (v, name, def) => {
		if (v === undefined || v === '') return def;
		const n = toInt(v);
		if (!(n >= 0)) invalid(`${name} must be a non-negative integer`);
		return n;
	};
	const limit = Math.min(200, nonNeg(P.limit, 'limit', 50));
	const offset = nonNeg(P.offset, 'offset', 0);
	let rows = [...state.lines.values()].filter((cfg) =>
		filter.every(([f, neg, v]) => {
			const hit = Array.isArray(v) ? v.map(String).includes(String(cfg[f])) : String(cfg[f]) === String(v);
			return neg ? !hit : hit;
		}),
	);
	if (order.length) {
		rows.sort((a, b) => {
			for (const [f, d] of order) {
				const na = Number(a[f]);
				const nb = Number(b[f]);
				const c = !isNaN(na) && !isNaN(nb) ? na - nb : String(a[f]).localeCompare(String(b[f]));
				if (c) return d === 'ASC' ? c : -c;
			}
			return 0;
		});
	} else rows.sort((a, b) => Number(a.ID) - Number(b.ID));
	const total = rows.length;
	rows = rows.slice(offset, offset + limit).map((cfg) => {
		let out;
		if (select) {
			out = {};
			for (const f of select) out[f] = cfg[f];
		} else {
			out = { ...cfg };
			delete out.QUEUE;
			delete out.CONFIG_QUEUE;
		}
		if (O.QUEUE === 'Y') {
			out.QUEUE = cfg.QUEUE;
			out.QUEUE_USERS_FIELDS = queueUsersFields(state, cfg.QUEUE);
		}
		if (O.CONFIG_QUEUE === 'Y') out.CONFIG_QUEUE = cfg.CONFIG_QUEUE || cfg.QUEUE.map((id) => ({ ENTITY_ID: String(id), ENTITY_TYPE: 'user' }));
		return out;
	});
	return new ListResult(rows, total, offset + limit < total ? offset + limit : undefined);
}

function update({ state, params }) {
	const id = configId(params);
	const cfg = state.lines.get(id);
	if (!cfg) return false;
	if (params.PARAMS !== undefined && !isPlainObject(params.PARAMS)) fail('INVALID_FORMAT', 'PARAMS must be an object');
	applyLineParams(cfg, params.PARAMS || {});
	return true;
}

/** Deletes a line; its connector links go too, and ONIMCONNECTORLINEDELETE goes to the connectors' apps. */
function deleteLine(portal, id, applicationToken) {
	const state = portal.state;
	if (!state.lines.has(id)) return { deleted: false, deliveries: Promise.resolve([]) };
	state.lines.delete(id);
	const apps = new Set();
	for (const [key, link] of [...state.connectorLines]) {
		if (link.line === id) {
			state.connectorLines.delete(key);
			const c = state.connectors.get(link.connector);
			if (c) apps.add(c.owner);
		}
	}
	if (!apps.size) apps.add(portal.clientId);
	const deliveries = Promise.all([...apps].map((clientId) => fireAppEvent(portal, { event: 'ONIMCONNECTORLINEDELETE', clientId, data: id, applicationToken }))).then((l) => l.flat());
	return { deleted: true, deliveries };
}

function del({ portal, params }) {
	const id = configId(params);
	return deleteLine(portal, id).deleted;
}

function pathGet({ portal }) {
	return { SERVER_ADDRESS: portal.url, PUBLIC_PATH: '/contact_center/' };
}

module.exports = {
	methods: {
		'imopenlines.config.add': add,
		'imopenlines.config.get': get,
		'imopenlines.config.list.get': listGet,
		'imopenlines.config.update': update,
		'imopenlines.config.delete': del,
		'imopenlines.config.path.get': pathGet,
		'imopenlines.revision.get': () => ({ rest: 2, web: 1, mobile: 1 }),
	},
	deleteLine,
};
