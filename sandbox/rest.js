'use strict';
/**
 * /rest/... : route (webhook or OAuth form), params (query + JSON/form body), then in order:
 * rate limit (503) -> auth (401; an expiry race may hold it, see oauth.js) -> fault injection (503/500) -> method.
 */
const { parsePhpQuery } = require('./phpQuery');
const { RestError, timeBlock, errorBody } = require('./envelope');
const { resolveAuth } = require('./auth');
const { holdExpired } = require('./oauth');
const { callMethod, drawFault } = require('./dispatch');
const { redact } = require('./log');
const { readBody, parseBody, sendJson, sleep } = require('./http');

const WEBHOOK_PATH = /^\/rest\/([^/]+)\/([^/]+)\/([^/]+?)\/?$/;
const OAUTH_PATH = /^\/rest\/([^/]+?)\/?$/;

function route(pathname) {
	let m = WEBHOOK_PATH.exec(pathname);
	if (m) return { kind: 'webhook', userId: m[1], code: decodeURIComponent(m[2]), method: m[3] };
	m = OAUTH_PATH.exec(pathname);
	if (m) return { kind: 'oauth', method: m[1] };
	return null;
}

function methodName(raw) {
	return decodeURIComponent(raw).replace(/\.json$/i, '').toLowerCase();
}

async function handleRest(portal, req, res, url) {
	const started = Date.now();
	const r = route(url.pathname);
	const method = r ? methodName(r.method) : '';
	let params = {};
	let auth = null;
	let status = 200;
	let code = null;
	try {
		if (portal.options.latencyMs > 0) await sleep(portal.options.latencyMs);
		if (!r) throw new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404);
		const text = req.method === 'GET' || req.method === 'HEAD' ? '' : await readBody(req);
		try {
			params = Object.assign(parsePhpQuery(url.search.slice(1)), parseBody(text, req.headers['content-type']));
		} catch (e) {
			throw new RestError('INVALID_REQUEST', e.message, e.status || 400);
		}
		if (!portal.limiter.take(Date.now())) throw new RestError('QUERY_LIMIT_EXCEEDED', 'Too many requests', 503);
		try {
			auth = resolveAuth(portal, r, params, req.headers);
		} catch (e) {
			// Fault injection: an "expiry race" holds expired-token answers until several callers are waiting (oauth.js).
			if (e instanceof RestError && e.code === 'expired_token') await holdExpired(portal);
			throw e;
		}
		delete params.auth;
		const fault = drawFault(portal);
		if (fault) throw fault;
		const out = callMethod(portal, method, params, auth);
		const body = { result: out.result };
		if (out.total !== undefined) body.total = out.total;
		if (out.next !== undefined) body.next = out.next;
		body.time = timeBlock(started);
		sendJson(res, 200, body);
	} catch (e) {
		const err = e instanceof RestError ? e : new RestError('INTERNAL_SERVER_ERROR', `Internal server error: ${e && e.message}`, 500);
		status = err.status;
		code = err.code;
		sendJson(res, status, errorBody(err));
	} finally {
		portal.log({ method, params: redact(params), auth: auth ? auth.kind : r ? r.kind : null, status, error: code, inBatch: false, ms: Date.now() - started });
	}
}

module.exports = { handleRest, route };
