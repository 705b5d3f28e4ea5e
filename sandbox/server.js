'use strict';
/** The HTTP server: routes /rest/, /oauth/ and /sandbox/. */
const http = require('http');
const { handleRest } = require('./rest');
const { handleDownload } = require('./methods/imbotV2');
const { handleControl } = require('./control');
const { handleAuthorize, handleToken } = require('./oauth');
const { readBody, parseBody, sendJson, sleep } = require('./http');

async function handleOAuth(portal, req, res, url, which) {
	if (portal.options.latencyMs > 0) await sleep(portal.options.latencyMs);
	if (which === 'authorize') {
		const r = handleAuthorize(portal, url.searchParams);
		res.writeHead(r.status, r.headers);
		res.end(r.body);
		return;
	}
	let params = Object.fromEntries(url.searchParams);
	if (req.method !== 'GET') {
		try {
			Object.assign(params, parseBody(await readBody(req), req.headers['content-type']));
		} catch (e) {
			sendJson(res, 400, { error: 'invalid_request', error_description: e.message });
			return;
		}
	}
	const r = handleToken(portal, params, req.headers.authorization);
	sendJson(res, r.status, r.body, { 'cache-control': 'no-store' });
}

function createServer(portal) {
	return http.createServer((req, res) => {
		let url;
		try {
			url = new URL(req.url, 'http://127.0.0.1');
		} catch {
			sendJson(res, 400, { error: 'INVALID_REQUEST', error_description: 'Bad URL' });
			return;
		}
		const p = url.pathname;
		let work;
		if (p === '/rest/download.json') work = Promise.resolve().then(() => handleDownload(portal, req, res, url));
		else if (p.startsWith('/rest/')) work = handleRest(portal, req, res, url);
		else if (p.startsWith('/sandbox/')) work = handleControl(portal, req, res, url);
		else if (p === '/oauth/authorize/' || p === '/oauth/authorize') work = handleOAuth(portal, req, res, url, 'authorize');
		else if (p === '/oauth/token/' || p === '/oauth/token') work = handleOAuth(portal, req, res, url, 'token');
		else if (p === '/' || p === '') {
			sendJson(res, 200, { name: 'Bitrix24 sandbox portal', ...portal.describe() });
			return;
		} else {
			sendJson(res, 404, { error: 'NOT_FOUND', error_description: `Nothing at ${p}` });
			return;
		}
		work.catch((e) => {
			if (!res.headersSent) sendJson(res, 500, { error: 'INTERNAL_SERVER_ERROR', error_description: String(e && e.message) });
			else res.destroy();
		});
	});
}

module.exports = { createServer };
