'use strict';
/** The Bitrix24 response envelope (§1.4) and the error type every method throws (§1.5). */

class RestError extends Error {
	constructor(code, description, status = 400, extra) {
		super(description);
		this.code = code;
		this.description = description;
		this.status = status;
		this.extra = extra;
	}
}

/** A list result: the envelope gets `total` (and `next` when more items exist). */
class ListResult {
	constructor(result, total, next) {
		this.result = result;
		this.total = total;
		this.next = next;
	}
}

function pad(n) {
	return String(n).padStart(2, '0');
}

/** ISO 8601 with the local offset, as Bitrix prints date_start: 2025-09-09T16:31:11+03:00 */
function isoWithOffset(ms) {
	const d = new Date(ms);
	const off = -d.getTimezoneOffset();
	const sign = off >= 0 ? '+' : '-';
	const abs = Math.abs(off);
	return (
		`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
		`${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
		`${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
	);
}

function timeBlock(startMs, finishMs = Date.now(), operating) {
	const start = startMs / 1000;
	const finish = finishMs / 1000;
	const duration = Math.round((finish - start) * 1e6) / 1e6;
	const block = {
		start,
		finish,
		duration,
		processing: duration,
		date_start: isoWithOffset(startMs),
		date_finish: isoWithOffset(finishMs),
	};
	block.operating_reset_at = Math.floor(start) + 600;
	block.operating = operating === undefined ? duration : operating;
	return block;
}

function errorBody(err) {
	const body = { error: err.code, error_description: err.description };
	if (err.extra) Object.assign(body, err.extra);
	return body;
}

module.exports = { RestError, ListResult, timeBlock, isoWithOffset, errorBody };
