#!/usr/bin/env node
'use strict';
/**
 * Redis and PostgreSQL for n8n queue mode (test/queue, `npm run bench -- --queue`): installs what is missing from
 * Debian (`redis-server`, `postgresql`; we run as root on CI), starts both bound to 127.0.0.1 on free ports with their
 * data under test-results/queue/ (git-ignored), creates the database, and stops and removes everything afterwards —
 * also when the caller fails or is interrupted (exit and signal handlers). Every wait is bounded.
 *
 *   const { startServices } = require('./scripts/queue-services');
 *   const services = await startServices();   // { redis: { host, port }, postgres: { host, port, database, user, password }, env, stop() }
 *   … await services.stop();
 *
 *   node scripts/queue-services.js             # starts both, prints the n8n environment, stops on Ctrl-C
 *
 * PostgreSQL refuses to run as root: initdb and postgres run as the `postgres` user (Debian's package creates it; the
 * script creates a system user of that name when it is missing), spawned with its uid/gid.
 */
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const { spawn, spawnSync, execFile } = require('node:child_process');
const { freePort } = require('../test/e2e/lib/n8n');

const REPO_ROOT = path.resolve(__dirname, '..');
const DATA_ROOT = path.join(REPO_ROOT, 'test-results', 'queue');
const PG_USER = 'n8n';
const PG_PASSWORD = 'n8n-queue-local';
const PG_DATABASE = 'n8n';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

function log(text) {
	process.stderr.write(`[queue-services] ${text}\n`);
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function run(command, args, options = {}) {
	const r = spawnSync(command, args, { encoding: 'utf8', timeout: options.timeoutMs || 120_000, ...options });
	if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout || String(r.error || '')).trim().slice(-800)}`);
	return r.stdout;
}

function which(command) {
	const r = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The newest PostgreSQL server binaries (Debian keeps them under /usr/lib/postgresql/<major>/bin). */
function postgresBin() {
	const base = '/usr/lib/postgresql';
	if (!fs.existsSync(base)) return undefined;
	const majors = fs.readdirSync(base).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
	for (const major of majors) {
		const bin = path.join(base, major, 'bin');
		if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'postgres'))) return bin;
	}
	return undefined;
}

let aptUpdated = false;
function aptInstall(pkg) {
	if (process.getuid && process.getuid() !== 0) throw new Error(`${pkg} is missing and this is not root: install it (apt-get install -y ${pkg})`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	if (!aptUpdated) {
		log('apt-get update');
		run('apt-get', ['update', '-qq'], { env, timeoutMs: 5 * 60_000 });
		aptUpdated = true;
	}
	log(`apt-get install -y ${pkg}`);
	run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', pkg], { env, timeoutMs: 10 * 60_000 });
}

/** Installs redis-server and postgresql from Debian when missing; returns the binaries. */
function ensureInstalled() {
	if (!which('redis-server')) aptInstall('redis-server');
	if (!postgresBin()) aptInstall('postgresql');
	const redis = which('redis-server');
	const pgBin = postgresBin();
	if (!redis || !pgBin) throw new Error(`not installed after apt-get: ${!redis ? 'redis-server ' : ''}${!pgBin ? 'postgresql' : ''}`);
	return { redis, pgBin };
}

/** uid/gid of the user PostgreSQL runs as (it refuses root); creates a system user `postgres` when needed. */
function postgresAccount() {
	if (process.getuid && process.getuid() !== 0) return {}; // not root: run as ourselves
	const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
	if (id('-u').status !== 0) {
		log('creating system user postgres');
		run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
	}
	return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

function tcpReady(port) {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.setTimeout(1000);
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

/** Spawns a long-running server; collects its output for error messages. */
function startProcess(name, command, args, options = {}) {
	const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
	let output = '';
	const keep = (d) => {
		output = (output + d).slice(-8000);
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	child.on('error', (error) => keep(String(error)));
	return { name, child, exited, output: () => output };
}

async function waitUntil(what, proc, check, timeoutMs = START_TIMEOUT_MS) {
	const t0 = Date.now();
	let done = false;
	proc.exited.then(() => (done = true));
	while (Date.now() - t0 < timeoutMs) {
		if (done) throw new Error(`${what} exited during start:\n${proc.output()}`);
		if (await check()) return;
		await sleep(200);
	}
	throw new Error(`${what} not ready after ${timeoutMs} ms:\n${proc.output()}`);
}

async function stopProcess(proc, signal) {
	const { child } = proc;
	if (child.exitCode !== null || child.signalCode !== null) return;
	child.kill(signal);
	const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
	await proc.exited;
	clearTimeout(killer);
}

/** Processes started by this module, for the exit handler. */
const running = new Set();
let handlersInstalled = false;
function installHandlers() {
	if (handlersInstalled) return;
	handlersInstalled = true;
	const killAll = () => {
		for (const entry of running) {
			try {
				entry.proc.child.kill('SIGKILL');
			} catch {
				/* gone */
			}
			fs.rmSync(entry.dir, { recursive: true, force: true });
		}
		running.clear();
	};
	process.on('exit', killAll);
	// Ctrl-C / a CI timeout: without a handler Node would end without 'exit' and leave both servers running.
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, () => {
			killAll();
			process.exit(130);
		});
	}
}

/**
 * Starts Redis and PostgreSQL. Returns { redis, postgres, env (the n8n settings for both), dataDir, stop() }.
 * stop() is idempotent and also runs when the process exits (SIGKILL then) so nothing outlives the caller.
 */
async function startServices({ root = DATA_ROOT } = {}) {
	const { redis, pgBin } = ensureInstalled();
	installHandlers();
	fs.mkdirSync(root, { recursive: true });
	const dataDir = fs.mkdtempSync(path.join(root, 'run-'));
	const started = [];
	const stop = async () => {
		for (const entry of started.splice(0).reverse()) {
			await stopProcess(entry.proc, entry.stopSignal);
			running.delete(entry);
		}
		fs.rmSync(dataDir, { recursive: true, force: true });
	};
	try {
		// Redis: no persistence, loopback only.
		const redisPort = await freePort();
		const redisDir = path.join(dataDir, 'redis');
		fs.mkdirSync(redisDir);
		const redisProc = startProcess('redis', redis, ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', redisDir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes']);
		started.push({ proc: redisProc, stopSignal: 'SIGTERM', dir: dataDir });
		running.add(started[started.length - 1]);
		await waitUntil('redis-server', redisProc, () => tcpReady(redisPort));

		// PostgreSQL: a fresh cluster owned by the postgres user, TCP on 127.0.0.1 only (no Unix socket).
		const account = postgresAccount();
		const pgDir = path.join(dataDir, 'pg');
		fs.mkdirSync(pgDir, { mode: 0o700 });
		if (account.uid !== undefined) {
			fs.chmodSync(dataDir, 0o755);
			fs.chownSync(pgDir, account.uid, account.gid);
		}
		const pwFile = path.join(dataDir, 'pgpass');
		fs.writeFileSync(pwFile, `${PG_PASSWORD}\n`, { mode: 0o600 });
		if (account.uid !== undefined) fs.chownSync(pwFile, account.uid, account.gid);
		run(path.join(pgBin, 'initdb'), ['-D', pgDir, '-U', PG_USER, '--auth=scram-sha-256', `--pwfile=${pwFile}`, '-E', 'UTF8', '--no-locale'], { ...account, cwd: os.tmpdir() });
		fs.rmSync(pwFile, { force: true });
		const pgPort = await freePort();
		const pgProc = startProcess('postgres', path.join(pgBin, 'postgres'), ['-D', pgDir, '-p', String(pgPort), '-h', '127.0.0.1', '-k', '', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'], { ...account, cwd: os.tmpdir() });
		// SIGINT = PostgreSQL's fast shutdown (ends open sessions).
		started.push({ proc: pgProc, stopSignal: 'SIGINT', dir: dataDir });
		running.add(started[started.length - 1]);
		const pgEnv = { ...process.env, PGPASSWORD: PG_PASSWORD, PGCONNECT_TIMEOUT: '3' };
		await waitUntil('postgres', pgProc, async () => spawnSync(path.join(pgBin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', PG_USER], { env: pgEnv }).status === 0);
		run(path.join(pgBin, 'createdb'), ['-h', '127.0.0.1', '-p', String(pgPort), '-U', PG_USER, PG_DATABASE], { env: pgEnv });

		const postgres = { host: '127.0.0.1', port: pgPort, database: PG_DATABASE, user: PG_USER, password: PG_PASSWORD, bin: pgBin };
		return {
			redis: { host: '127.0.0.1', port: redisPort },
			postgres,
			dataDir,
			env: {
				QUEUE_BULL_REDIS_HOST: '127.0.0.1',
				QUEUE_BULL_REDIS_PORT: String(redisPort),
				DB_TYPE: 'postgresdb',
				DB_POSTGRESDB_HOST: '127.0.0.1',
				DB_POSTGRESDB_PORT: String(pgPort),
				DB_POSTGRESDB_DATABASE: PG_DATABASE,
				DB_POSTGRESDB_USER: PG_USER,
				DB_POSTGRESDB_PASSWORD: PG_PASSWORD,
			},
			/** Runs one SQL statement through psql; resolves the rows as arrays of strings (tab-separated, no header). */
			psql(sql, { timeoutMs = 60_000 } = {}) {
				const args = ['-h', '127.0.0.1', '-p', String(pgPort), '-U', PG_USER, '-d', PG_DATABASE, '-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql];
				return new Promise((resolve, reject) => {
					execFile(path.join(pgBin, 'psql'), args, { env: pgEnv, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
						if (error) reject(new Error(`psql failed: ${String(stderr || error.message).trim().slice(-800)}\n${sql.slice(0, 300)}`));
						else resolve(String(stdout).split('\n').filter((line) => line !== '').map((line) => line.split('\t')));
					});
				});
			},
			stop,
		};
	} catch (error) {
		await stop();
		throw error;
	}
}

module.exports = { startServices, ensureInstalled };

if (require.main === module) {
	(async () => {
		const services = await startServices();
		for (const [k, v] of Object.entries(services.env)) process.stdout.write(`${k}=${v}\n`);
		log('running; Ctrl-C stops both and removes their data');
		setInterval(() => {}, 1 << 30); // the signal handlers of startServices() stop both
	})().catch((error) => {
		log(error.stack || String(error));
		process.exit(1);
	});
}
