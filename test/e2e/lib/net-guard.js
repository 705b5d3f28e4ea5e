'use strict';
// Preloaded into every n8n process of the harness (NODE_OPTIONS=--require …). Records each outbound
// connection or DNS lookup to a host other than loopback in $E2E_NET_LOG (one JSON line each), so a test
// can assert that n8n stayed offline. It records; it does not block (blocking would change n8n's paths).

const fs = require('node:fs');
const net = require('node:net');
const dns = require('node:dns');

const logFile = process.env.E2E_NET_LOG;
const LOCAL = new Set(['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::', '']);

function record(kind, host, port) {
	if (!logFile || host === undefined || host === null) return;
	const h = String(host);
	if (LOCAL.has(h) || h.startsWith('127.') || h.startsWith('/')) return;
	try {
		fs.appendFileSync(logFile, JSON.stringify({ kind, host: h, port, pid: process.pid, at: new Date().toISOString() }) + '\n');
	} catch {
		/* never disturb n8n */
	}
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function patchedConnect(...args) {
	try {
		// net.connect()/http/undici pass one normalized array [options, callback]
		const first = Array.isArray(args[0]) ? args[0][0] : args[0];
		if (first && typeof first === 'object') {
			if (!first.path) record('connect', first.host || 'localhost', first.port);
		} else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
			record('connect', typeof args[1] === 'string' ? args[1] : 'localhost', Number(first));
		}
	} catch {
		/* ignore */
	}
	return originalConnect.apply(this, args);
};

const originalLookup = dns.lookup;
dns.lookup = function patchedLookup(hostname, ...rest) {
	record('dns', hostname);
	return originalLookup.call(this, hostname, ...rest);
};
if (dns.promises && dns.promises.lookup) {
	const originalPromiseLookup = dns.promises.lookup;
	dns.promises.lookup = function patchedPromiseLookup(hostname, ...rest) {
		record('dns', hostname);
		return originalPromiseLookup.call(this, hostname, ...rest);
	};
}
