'use strict';
const path = require('node:path');

/** The options of the no-n8n benches (hostile.js, bbcode.js): `--dist DIR` (default ./dist), `--budget-ms N` (60000). */
function childBenchArgs(argv = process.argv.slice(2)) {
	const valueOf = (name, fallback) => {
		const i = argv.indexOf(name);
		return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
	};
	return {
		dist: path.resolve(valueOf('--dist', path.join(__dirname, '..', '..', 'dist'))),
		budgetMs: Number(valueOf('--budget-ms', 60_000)),
	};
}

module.exports = { childBenchArgs };
