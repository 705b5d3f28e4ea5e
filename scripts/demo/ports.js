'use strict';
// The demo's fixed ports (8931 sandbox, 5678 n8n, 8932 outside messenger), or the next free one.

const net = require('node:net');

function isFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.unref();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

/** The first free port on 127.0.0.1 at or after `start`, skipping `taken`. */
async function firstFreePort(start, taken = []) {
	for (let port = start; port < start + 100; port++) {
		if (taken.includes(port)) continue;
		if (await isFree(port)) return port;
	}
	throw new Error(`no free port in ${start}..${start + 99} on 127.0.0.1`);
}

module.exports = { firstFreePort };
