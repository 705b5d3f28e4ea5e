'use strict';
/** Small parameter helpers shared by the method families. */
const { RestError } = require('../envelope');

function isEmpty(v) {
	return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function toInt(v) {
	if (typeof v === 'number') return Number.isInteger(v) ? v : NaN;
	if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
	return NaN;
}

/** Y/N, 1/0, true/false -> boolean; undefined -> fallback. */
function flag(v, fallback = false) {
	if (v === undefined || v === null || v === '') return fallback;
	if (v === true || v === 1) return true;
	if (v === false || v === 0) return false;
	const s = String(v).trim().toUpperCase();
	if (s === 'Y' || s === '1' || s === 'TRUE') return true;
	if (s === 'N' || s === '0' || s === 'FALSE') return false;
	return fallback;
}

/** Arrays may arrive as real arrays or as objects with numeric keys. */
function asList(v) {
	if (Array.isArray(v)) return v;
	if (v && typeof v === 'object') return Object.values(v);
	return null;
}

function isPlainObject(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function fail(code, description, status = 400) {
	throw new RestError(code, description, status);
}

function isHttpUrl(v) {
	if (typeof v !== 'string' || !v) return false;
	try {
		const u = new URL(v);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

module.exports = { isEmpty, toInt, flag, asList, isPlainObject, fail, isHttpUrl };
