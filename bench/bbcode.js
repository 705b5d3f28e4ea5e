#!/usr/bin/env node
'use strict';
/**
 * `node bench/bbcode.js` (or `npm run bench -- --bbcode`) — how long the triggers' BB-code stripping (the `plainText`
 * beside every message's `text`) takes on 1 MB and 2 MB (the trigger body limit) of adversarial text: unclosed `[a=`,
 * tags nested and never closed, unclosed values of 1,990 characters, long tag names, and plain chat text for scale.
 * Each input is measured with the shipped scanner (dist/nodes/Bitrix24/events, `plainText`) and with the regular
 * expressions used before issue 23 (the "before" figure). One JSON line per measurement; asserts nothing.
 *
 *   --dist DIR       the built package to measure (default ./dist)
 *   --budget-ms N    stop a measurement after N ms (default 60000) and print it as stopped
 *
 * Each measurement runs in a child process of its own (so a stuck one can be stopped, and none warms up another).
 */
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { argValue, distDir } = require('./lib/args');

const dist = distDir();
const budgetMs = Number(argValue('--budget-ms', 60_000));
const MB = 1024 * 1024;

/** name → the unit repeated up to the size. */
const INPUTS = {
	'unclosed [a=': '[a=',
	'nested tags never closed': '[b][i][u=',
	'unclosed values of 1,990 characters': `[b=${'x'.repeat(1990)}`,
	'long tag names': '[abcdefghijklmnopq',
	'chat text with tags': '[b]Hello[/b] [USER=5]Anna[/USER], see [URL=https://example.com/a]this[/URL][br]',
};
const SIZES = [MB, 2 * MB];

/** The child: builds the text, strips it once, prints { ms, outLength }. */
const CHILD = `
const [moduleDir, impl, unit, size] = process.argv.slice(1);
const text = unit.repeat(Math.ceil(Number(size) / unit.length)).slice(0, Number(size));
const before = (t) => t
	.replace(/\\[br\\]/gi, '\\n')
	.replace(/\\[\\/?p\\]/gi, '\\n')
	.replace(/\\[\\/?[a-z][a-z0-9_]{0,15}(?:=[^\\]\\n]{0,2000})?\\]/gi, '')
	.replace(/\\n{3,}/g, '\\n\\n')
	.trim();
const strip = impl === 'before' ? before : require(moduleDir).plainText;
const t0 = process.hrtime.bigint();
const out = strip(text);
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
process.stdout.write(JSON.stringify({ ms: Math.round(ms * 10) / 10, outLength: out.length }));
`;

const MODULE = path.join(dist, 'nodes', 'Bitrix24', 'events');

function measure(name, size, impl) {
	const r = spawnSync(process.execPath, ['-e', CHILD, MODULE, impl, INPUTS[name], String(size)], { timeout: budgetMs, encoding: 'utf8', maxBuffer: 1024 * 1024 });
	const line = { bench: 'bbcode', input: name, bytes: size, implementation: impl === 'before' ? 'regular expressions (before issue 23)' : `scanner (${dist})` };
	if (r.error && r.error.code === 'ETIMEDOUT') return { ...line, ms: null, outcome: `stopped after ${budgetMs} ms (not finished)` };
	if (r.status !== 0) return { ...line, ms: null, outcome: `child failed: ${(r.stderr || '').split('\n')[0]}` };
	return { ...line, ...JSON.parse(r.stdout) };
}

function main() {
	for (const name of Object.keys(INPUTS)) {
		for (const size of SIZES) {
			for (const impl of ['before', 'shipped']) process.stdout.write(`${JSON.stringify(measure(name, size, impl))}\n`);
		}
	}
}

if (require.main === module) main();
module.exports = { main };
