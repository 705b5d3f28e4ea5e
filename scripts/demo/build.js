'use strict';
// Builds the package (`npm run build`) when dist/ is missing or older than the sources.

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCES = ['nodes', 'credentials', 'package.json', 'tsconfig.json', 'index.js', 'gulpfile.js'];

function newestMtime(p) {
	if (!fs.existsSync(p)) return 0;
	const st = fs.statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	let newest = 0;
	for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
	return newest;
}

/** Why a build is needed ('' when dist/ is complete and newer than every source file). */
function buildReason() {
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const outputs = [...(pkg.n8n.nodes || []), ...(pkg.n8n.credentials || [])].map((f) => path.join(ROOT, f));
	const missing = outputs.filter((f) => !fs.existsSync(f));
	if (missing.length) return `dist/ is missing ${path.relative(ROOT, missing[0])}`;
	const oldestOutput = Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs));
	const newestSource = Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
	return newestSource > oldestOutput ? 'sources changed since the last build' : '';
}

function runBuild() {
	return new Promise((resolve, reject) => {
		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		const child = spawn(npm, ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
		child.on('error', reject);
		child.on('exit', (code, signal) =>
			code === 0 ? resolve() : reject(new Error(`npm run build failed (exit ${code}${signal ? `, ${signal}` : ''})`)),
		);
	});
}

/** Builds if needed. Resolves { built: boolean, reason }. */
async function ensureBuilt({ force = false } = {}) {
	const reason = force ? 'asked to' : buildReason();
	if (!reason) return { built: false, reason: 'dist/ is up to date' };
	await runBuild();
	return { built: true, reason };
}

module.exports = { ensureBuilt, buildReason, ROOT };
