'use strict';
// A tiny stand-in for an outside messenger (WhatsApp, a web chat…): n8n posts operator replies to
// POST /messages; the demo prints them. GET /messages lists what arrived.

const http = require('node:http');

function startOutsideMessenger({ port, onMessage = () => {} }) {
	const received = [];
	const waiters = new Set();
	const server = http.createServer((req, res) => {
		const send = (status, body) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (req.url === '/messages' && req.method === 'GET') return send(200, { messages: received });
		if (req.url !== '/messages' || req.method !== 'POST') return send(404, { error: 'POST /messages only' });
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			let body;
			try {
				body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
			} catch {
				return send(400, { error: 'expected a JSON body' });
			}
			const message = { ...body, receivedAt: new Date().toISOString() };
			received.push(message);
			onMessage(message);
			for (const w of waiters) w(message);
			return send(200, { ok: true });
		});
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			resolve({
				url: `http://127.0.0.1:${port}`,
				port,
				received,
				/** Resolves with the first message (already received or arriving) that matches. */
				waitFor(match, timeoutMs) {
					const hit = received.find(match);
					if (hit) return Promise.resolve(hit);
					return new Promise((ok, fail) => {
						const waiter = (m) => {
							if (!match(m)) return;
							waiters.delete(waiter);
							clearTimeout(timer);
							ok(m);
						};
						const timer = setTimeout(() => {
							waiters.delete(waiter);
							fail(new Error(`nothing arrived within ${timeoutMs / 1000} s`));
						}, timeoutMs);
						waiters.add(waiter);
					});
				},
				stop: () =>
					new Promise((r) => {
						server.close(() => r());
						server.closeAllConnections();
					}),
			});
		});
	});
}

module.exports = { startOutsideMessenger };
