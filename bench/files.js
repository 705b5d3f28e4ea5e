#!/usr/bin/env node
'use strict';
/**
 * `node bench/files.js` (or `npm run bench -- --files`) — issue #23 point 3: memory and outcome of the Chatbot v2
 * node (File → Download, File → Upload from a URL) when the file is 300 MB, and, for comparison, 90 MB (accepted). A local 127.0.0.1 server stands for the
 * portal (its REST calls and its /rest/download.json link) and for the host of the file URL, and streams the 300 MB
 * in 1 MiB chunks, with or without a Content-Length. One JSON line per measurement; asserts nothing.
 *
 *   --dist DIR   the built package to measure (default ./dist): point it at a build of main for "before" figures
 *
 * Each measurement runs the node in a child process of its own (bench/lib/filesChild.js: n8n-core's WorkflowExecute
 * in-process, as the integration tests do), so its figures are that process's alone: peakRssGrowthMb is the peak
 * resident set size during the run (getrusage maxrss) minus the RSS just before it. bytesServed is what the server
 * wrote before the download ended or the node closed the connection.
 */
const path = require('node:path');
const http = require('node:http');
const { spawn } = require('node:child_process');

const { distDir } = require('./lib/args');

const dist = distDir();
const MB = 1024 * 1024;
const SIZE = 300 * MB;
const CHILD_BUDGET_MS = 5 * 60_000;

const SCENARIOS = [
	{ name: 'download 300 MB, chunked (no Content-Length)', operation: 'download', contentLength: false, size: SIZE },
	{ name: 'download 300 MB, with Content-Length', operation: 'download', contentLength: true, size: SIZE },
	{ name: 'upload from a 300 MB URL, chunked', operation: 'upload', contentLength: false, size: SIZE },
	{ name: 'upload from a 300 MB URL, with Content-Length', operation: 'upload', contentLength: true, size: SIZE },
	// under the limits: what an accepted file costs (its bytes, and n8n's base64 copy of them)
	{ name: 'download 90 MB, chunked (under the default limit)', operation: 'download', contentLength: false, size: 90 * MB },
	{ name: 'upload from a 90 MB URL, chunked (under the limit)', operation: 'upload', contentLength: false, size: 90 * MB },
];

function out(line) {
	process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** The portal (REST + download link) and the file host in one server; counts what each big body wrote. */
async function startServer() {
	const state = { served: 0, size: SIZE, contentLength: false, restCalls: [] };
	const server = http.createServer((req, res) => {
		const url = new URL(req.url, 'http://x');
		let raw = '';
		req.on('data', (chunk) => (raw += chunk.length < 4096 ? chunk : ''));
		req.on('end', () => {
			if (req.method === 'POST' && url.pathname.startsWith('/rest/')) {
				const method = url.pathname.split('/').pop();
				state.restCalls.push(method);
				const result = method === 'imbot.v2.File.download' ? { downloadUrl: `${base}/rest/download.json?token=imbot%7Cbench` } : { file: { id: 1, name: 'big.bin', size: state.size }, messageId: 1 };
				res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result }));
				return;
			}
			state.served = 0;
			res.writeHead(200, { 'content-type': 'application/octet-stream', ...(state.contentLength ? { 'content-length': state.size } : {}) });
			const chunk = Buffer.alloc(MB, 7);
			const pump = () => {
				while (state.served < state.size) {
					if (res.destroyed) return;
					state.served += chunk.length;
					if (!res.write(chunk)) return void res.once('drain', pump);
				}
				res.end();
			};
			pump();
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${server.address().port}`;
	return { base, state, close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))) };
}

function runChild(scenario, base) {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['--expose-gc', path.join(__dirname, 'lib', 'filesChild.js'), dist, base, scenario.operation], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c) => (stdout += c));
		child.stderr.on('data', (c) => (stderr += c));
		const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_BUDGET_MS);
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			try {
				resolve(JSON.parse(stdout.trim().split('\n').pop()));
			} catch {
				resolve({ outcome: `child ended (${signal || code}) without a result: ${stderr.slice(-300)}` });
			}
		});
	});
}

async function main() {
	const server = await startServer();
	try {
		for (const scenario of SCENARIOS) {
			server.state.contentLength = scenario.contentLength;
			server.state.size = scenario.size;
			server.state.restCalls = [];
			const result = await runChild(scenario, server.base);
			out({
				scenario: scenario.name,
				dist: path.relative(process.cwd(), dist) || '.',
				outcome: result.outcome,
				peakRssGrowthMb: result.peakRssGrowthMb,
				bytesServedMb: Math.round((server.state.served / MB) * 10) / 10,
				restCalls: server.state.restCalls,
				wallMs: result.wallMs,
			});
		}
		out({ summary: 'files', machine: `${require('node:os').cpus().length} cores, Node ${process.versions.node}` });
	} finally {
		await server.close();
	}
}

module.exports = { main };
if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${error.stack || error}\n`);
		process.exitCode = 1;
	});
}
