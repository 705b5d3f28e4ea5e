'use strict';
/**
 * Runs one REST method for an authenticated caller: context rule, operating-time switch,
 * (inside batch) fault injection, then the handler. Used by the HTTP layer and by batch.
 */
const { RestError, ListResult, timeBlock } = require('./envelope');
const { checkContext } = require('./auth');
const { redact } = require('./log');

/** Decides a fault for one call: null, or the RestError to answer instead of running the method. */
function drawFault(portal) {
	const rate = portal.options.faultRate;
	if (!(rate > 0)) return null;
	if (portal.random() >= rate) return null;
	return portal.random() < 0.5
		? new RestError('QUERY_LIMIT_EXCEEDED', 'Too many requests', 503)
		: new RestError('INTERNAL_SERVER_ERROR', 'Internal server error', 500);
}

/** The operating-time switch (§1.8): 429 OPERATION_TIME_LIMIT with operating_reset_at. */
function operationLimitError(portal, method) {
	const otl = portal.otl;
	if (!otl || method === 'batch') return null;
	const now = Date.now();
	if (otl.until !== null && now >= otl.until) {
		portal.otl = null;
		return null;
	}
	const resetAt = otl.until === null ? Math.floor(now / 1000) + 60 : Math.ceil(otl.until / 1000);
	const time = timeBlock(now, now, 0);
	time.operating_reset_at = resetAt;
	time.operating = 480;
	return new RestError('OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.', 429, { time });
}

/**
 * @returns {{result:any,total?:number,next?:number}}
 * @throws RestError
 */
function callMethod(portal, method, params, auth, { inBatch = false, batchKey, batchId } = {}) {
	const name = method.toLowerCase();
	let status = 200;
	let code = null;
	const started = Date.now();
	try {
		const fn = portal.registry[name];
		if (!fn) throw new RestError('ERROR_METHOD_NOT_FOUND', 'Method not found!', 404);
		if (inBatch && (name === 'batch' || fn.notInBatch)) throw new RestError('ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage', 405);
		checkContext(name, auth);
		if (inBatch) {
			const fault = drawFault(portal);
			if (fault) throw fault;
		}
		const otl = operationLimitError(portal, name);
		if (otl) throw otl;
		const ctx = {
			portal,
			state: portal.state,
			params,
			auth,
			batchId: inBatch ? batchId : undefined,
			timeBlock: (t0) => timeBlock(t0),
			call: (m, p, opts) => callMethod(portal, m, p, auth, { inBatch: true, ...opts }),
		};
		const r = fn(ctx);
		if (r instanceof ListResult) {
			const out = { result: r.result, total: r.total };
			if (r.next !== undefined) out.next = r.next;
			return out;
		}
		return { result: r === undefined ? null : r };
	} catch (e) {
		const err = e instanceof RestError ? e : new RestError('INTERNAL_SERVER_ERROR', `Internal server error: ${e && e.message}`, 500);
		status = err.status;
		code = err.code;
		throw err;
	} finally {
		if (inBatch) {
			portal.log({ method: name, params: redact(params), auth: auth.kind, status, error: code, inBatch: true, batchKey, ms: Date.now() - started });
		}
	}
}

module.exports = { callMethod, drawFault, operationLimitError };
