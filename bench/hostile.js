#!/usr/bin/env node
'use strict';
/**
 * `node bench/hostile.js` (or `npm run bench -- --hostile`) — how long the triggers' body parser takes on the hostile
 * bodies of issue #14: `data[]=1&` repeated 10,000 / 20,000 / 40,000 times and up to n8n's largest body (16 MB), as
 * raw text (what text/plain, a missing content type or a form read from the raw body go through) and as JSON
 * `{"data[]": […]}` (what n8n hands over for application/json). One JSON line per measurement; asserts nothing.
 *
 *   --dist DIR       the built package to measure (default ./dist): point it at an older build for "before" figures
 *   --budget-ms N    stop a measurement after N ms (default 60000) and print it as stopped — the quadratic parser
 *                    needs hours for 16 MB
 *
 * Each measurement runs in a child process of its own (so a stuck one can be stopped, and none warms up another).
 * The time is that of `parsePhpForm` (dist/nodes/Bitrix24/events/phpForm.js), the parser behind both triggers; a
 * refusal (413/400 past the limits) counts as its answer. A last pass parses 40k entries and 16 MB with the size and
 * key limits switched off, to show the parser's own (linear) growth.
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { argValue, distDir } = require('./lib/args');

const dist = distDir();
const budgetMs = Number(argValue('--budget-ms', 60_000));
const N8N_MAX_BODY = 16 * 1024 * 1024;
const UNIT = 'data[]=1&';

const SIZES = [
	{ name: '10k entries', entries: 10_000 },
	{ name: '20k entries', entries: 20_000 },
	{ name: '40k entries (~360 KB)', entries: 40_000 },
	{ name: '16 MB (n8n maximum)', entries: Math.floor(N8N_MAX_BODY / UNIT.length) },
];
const SHAPES = ['raw text', 'JSON {"data[]": [...]}'];

/** The child: builds the body, parses it once, prints { ms, outcome }. */
const CHILD = `
const { parsePhpForm, FORM_LIMITS } = require(process.argv[1]);
const entries = Number(process.argv[2]);
const shape = process.argv[3];
const limits = process.argv[4] === 'uncapped' ? { ...FORM_LIMITS, maxBytes: Infinity, maxEntries: Infinity } : undefined;
const body = shape === 'raw text' ? ${JSON.stringify(UNIT)}.repeat(entries) : { event: 'X', 'data[]': new Array(entries).fill('1') };
const t0 = process.hrtime.bigint();
let outcome;
try {
	const out = parsePhpForm(body, limits);
	outcome = 'parsed: ' + (Array.isArray(out.data) ? out.data.length : 0) + ' entries';
} catch (error) {
	outcome = error && error.problem ? 'refused ' + error.problem.status + ': ' + error.problem.message : 'error: ' + (error && error.message);
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
process.stdout.write(JSON.stringify({ ms: Math.round(ms * 10) / 10, outcome }));
`;

const MODULE = path.join(dist, 'nodes', 'Bitrix24', 'events', 'phpForm.js');

function measure(size, shape, uncapped = false) {
	const t0 = Date.now();
	const childArgs = ['-e', CHILD, MODULE, String(size.entries), shape, uncapped ? 'uncapped' : 'capped'];
	const r = spawnSync(process.execPath, childArgs, { timeout: budgetMs, encoding: 'utf8', maxBuffer: 1024 * 1024 });
	const line = { bench: 'hostile-body', dist, body: size.name, entries: size.entries, bytes: size.entries * UNIT.length, shape, limits: uncapped ? 'size and key limits off' : 'as shipped' };
	if (r.error && r.error.code === 'ETIMEDOUT') return { ...line, ms: null, outcome: `stopped after ${budgetMs} ms (not finished)` };
	if (r.status !== 0) return { ...line, ms: null, outcome: `child failed: ${(r.stderr || '').split('\n')[0]}`, wallMs: Date.now() - t0 };
	return { ...line, ...JSON.parse(r.stdout) };
}

function main() {
	for (const shape of SHAPES) {
		for (const size of SIZES) process.stdout.write(`${JSON.stringify(measure(size, shape))}\n`);
	}
	// the parser's own growth past the limits (only a build with FORM_LIMITS can switch them off)
	if (require(MODULE).FORM_LIMITS) {
		for (const size of SIZES.slice(2)) process.stdout.write(`${JSON.stringify(measure(size, SHAPES[0], true))}\n`);
	}
}

if (require.main === module) main();
module.exports = { main };
