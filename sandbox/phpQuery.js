'use strict';
/**
 * PHP-style query strings, as Bitrix24 reads and writes them.
 * parsePhpQuery: "a[b][0][c]=1&x[]=2" -> { a: { b: [ { c: '1' } ] }, x: ['2'] }
 * buildPhpQuery: the inverse, like PHP http_build_query (RFC1738: space as '+').
 */

function decode(s) {
	if (s.indexOf('+') !== -1) s = s.replace(/\+/g, ' ');
	if (s.indexOf('%') === -1) return s;
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

function splitKey(key) {
	const open = key.indexOf('[');
	if (open <= 0) return [key];
	const parts = [key.slice(0, open)];
	let i = open;
	while (i < key.length && key[i] === '[') {
		const close = key.indexOf(']', i);
		if (close === -1) break;
		parts.push(key.slice(i + 1, close));
		i = close + 1;
	}
	return parts;
}

function assign(target, parts, value) {
	let node = target;
	for (let i = 0; i < parts.length; i++) {
		let part = parts[i];
		const last = i === parts.length - 1;
		if (part === '__proto__' || part === 'constructor' || part === 'prototype') return;
		if (part === '') {
			// "a[]": next integer index
			let max = -1;
			for (const k of Object.keys(node)) if (/^\d+$/.test(k) && Number(k) > max) max = Number(k);
			part = String(max + 1);
		}
		if (last) {
			node[part] = value;
		} else {
			if (node[part] === null || typeof node[part] !== 'object') node[part] = {};
			node = node[part];
		}
	}
}

/** Objects whose keys are exactly 0..n-1 become arrays (PHP list semantics), recursively. */
function listify(value) {
	if (value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) value[i] = listify(value[i]);
		return value;
	}
	const keys = Object.keys(value);
	let sequential = keys.length > 0;
	for (let i = 0; i < keys.length; i++) {
		value[keys[i]] = listify(value[keys[i]]);
		if (sequential && keys[i] !== String(i)) sequential = false;
	}
	if (sequential) return keys.map((k) => value[k]);
	return value;
}

function parsePhpQuery(query) {
	const out = {};
	if (!query) return out;
	const pairs = query.split('&');
	for (const pair of pairs) {
		if (!pair) continue;
		const eq = pair.indexOf('=');
		const rawKey = eq === -1 ? pair : pair.slice(0, eq);
		const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
		const key = decode(rawKey);
		if (!key) continue;
		assign(out, splitKey(key), decode(rawValue));
	}
	return listify(out);
}

function phpUrlencode(s) {
	return encodeURIComponent(s)
		.replace(/[!'()*~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
		.replace(/%20/g, '+');
}

function scalar(value) {
	if (value === null || value === undefined) return '';
	if (value === true) return '1';
	if (value === false) return '0';
	return String(value);
}

function build(prefix, value, out) {
	if (value !== null && typeof value === 'object') {
		const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
		for (const k of keys) build(prefix === null ? String(k) : `${prefix}[${k}]`, value[k], out);
		return;
	}
	if (prefix === null) return;
	out.push(phpUrlencode(prefix) + '=' + phpUrlencode(scalar(value)));
}

/** http_build_query: nested keys as a[b][0]; true "1", false "0", null "" (as Bitrix events send them). */
function buildPhpQuery(obj) {
	const out = [];
	build(null, obj, out);
	return out.join('&');
}

module.exports = { parsePhpQuery, buildPhpQuery, listify, phpUrlencode };
