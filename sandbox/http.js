'use strict';
/** Small HTTP helpers: read and parse a request body, send JSON. */
const { parsePhpQuery } = require('./phpQuery');

// 150 MiB: room for imbot.v2.File.upload's 100 MiB as base64 (133.4 MiB) in JSON.
const MAX_BODY = 150 * 1024 * 1024;

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > MAX_BODY) {
				reject(Object.assign(new Error('Request body too large'), { status: 413 }));
				req.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

/** JSON or form (PHP bracket keys) body -> object. Throws {status:400} on malformed JSON. */
function parseBody(text, contentType = '') {
	if (!text) return {};
	const ct = contentType.toLowerCase();
	if (ct.includes('application/json') || (!ct.includes('form') && /^\s*[{[]/.test(text))) {
		let v;
		try {
			v = JSON.parse(text);
		} catch {
			throw Object.assign(new Error('Malformed JSON body'), { status: 400 });
		}
		return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
	}
	if (ct.includes('multipart/form-data')) throw Object.assign(new Error('multipart/form-data is not supported by the sandbox; send JSON or a form body'), { status: 400 });
	return parsePhpQuery(text);
}

function sendJson(res, status, body, headers) {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

module.exports = { readBody, parseBody, sendJson, sleep };
