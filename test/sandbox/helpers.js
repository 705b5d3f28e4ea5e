'use strict';
/** Shared helpers for the sandbox tests: real HTTP against an in-process sandbox. */
const http = require('http');
const { startSandbox } = require('../../sandbox');
const { parsePhpQuery } = require('../../sandbox/phpQuery');

async function start(opts = {}) {
	return startSandbox({ port: 0, rate: 0, ...opts });
}

/** Calls a REST method over the webhook URL (JSON body). */
async function hook(sb, method, params = {}, { suffix = '' } = {}) {
	const res = await fetch(`${sb.webhookUrl}${method}${suffix}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(params),
	});
	return { status: res.status, body: await res.json() };
}

/** Calls a REST method over OAuth (/rest/METHOD with a Bearer token). */
async function app(sb, token, method, params = {}) {
	const res = await fetch(`${sb.url}/rest/${method}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify(params),
	});
	return { status: res.status, body: await res.json() };
}

async function control(sb, path, body, verb = 'POST') {
	const res = await fetch(`${sb.url}/sandbox/${path}`, {
		method: verb,
		headers: { 'content-type': 'application/json' },
		body: verb === 'GET' || verb === 'DELETE' ? undefined : JSON.stringify(body || {}),
	});
	return { status: res.status, body: await res.json() };
}

/** A local event handler: records every POST (raw body, parsed nested body, headers). */
async function handlerServer({ status = 200 } = {}) {
	const received = [];
	const server = http.createServer((req, res) => {
		let text = '';
		req.on('data', (c) => (text += c));
		req.on('end', () => {
			received.push({ path: req.url, headers: req.headers, raw: text, body: parsePhpQuery(text) });
			res.writeHead(status, { 'content-type': 'text/plain' });
			res.end('ok');
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	const url = `http://127.0.0.1:${server.address().port}`;
	return {
		url,
		received,
		close: () => new Promise((r) => {
			server.closeAllConnections();
			server.close(r);
		}),
	};
}

const ICON = { DATA_IMAGE: 'data:image/svg+xml,%3Csvg%3E%3C/svg%3E', COLOR: '#69acc0' };

/** Registers connector `id` with the app and activates it on line 1. */
async function setupConnector(sb, token, id = 'myconnector', extra = {}) {
	await app(sb, token, 'imconnector.register', { ID: id, NAME: 'My Connector', ICON, PLACEMENT_HANDLER: 'https://example.com/settings', ...extra });
	await app(sb, token, 'imconnector.activate', { CONNECTOR: id, LINE: 1, ACTIVE: 1 });
}

function message(n, chatId = 'chat-1', userId = 'u-1') {
	return { user: { id: userId, name: 'Klaus', last_name: 'Weber' }, message: { id: `m-${n}`, date: 1738065600 + n, text: `hello ${n}` }, chat: { id: chatId, name: 'Support' } };
}

/** Polls until fn() returns a truthy value (background deliveries), at most ~5 s. */
async function waitFor(fn) {
	for (let i = 0; i < 250; i++) {
		const v = fn();
		if (v) return v;
		await new Promise((r) => setTimeout(r, 20));
	}
	throw new Error('waitFor: condition not met');
}

module.exports = { waitFor, start, hook, app, control, handlerServer, setupConnector, message, ICON };
