'use strict';
/** Command-line options of the bench programs: `--name value`, and `--dist DIR` (the built package to measure). */
const path = require('node:path');

function argValue(name, fallback) {
	const args = process.argv.slice(2);
	const i = args.indexOf(name);
	return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
}

/** `--dist DIR`, default ./dist: point it at an older build for "before" figures. */
function distDir() {
	return path.resolve(argValue('--dist', path.join(__dirname, '..', '..', 'dist')));
}

module.exports = { argValue, distDir };
