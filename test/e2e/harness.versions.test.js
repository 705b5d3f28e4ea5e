'use strict';
// The harness's version table and environment, without starting n8n: which n8n version an instance uses, which
// Node runs it, and which settings its processes get (the caller's N8N_* settings over the harness's defaults).

const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { N8nInstance } = require('./lib/n8n');
const { VERSIONS, ALL_VERSIONS, profileOf, defaultVersion, cacheDirOf } = require('./lib/install');

const version = defaultVersion();

describe(`e2e harness: version table and environment (n8n ${version})`, () => {
	let n8n;
	const saved = {};
	const setEnv = (k, v) => {
		if (!(k in saved)) saved[k] = process.env[k];
		if (v === undefined) delete process.env[k];
		else process.env[k] = v;
	};

	beforeAll(async () => {
		n8n = await N8nInstance.create({ installPackage: false });
	});

	afterEach(() => {
		for (const [k, v] of Object.entries(saved)) {
			if (v === undefined) delete process.env[k];
			else process.env[k] = v;
			delete saved[k];
		}
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
	});

	test('the instance uses the version run.js chose, installed in .cache/n8n-<version>, run by its Node', () => {
		expect(n8n.n8nVersion).toBe(version);
		expect(ALL_VERSIONS).toEqual(['2.0.3', '2.41.1']);
		const installed = JSON.parse(fs.readFileSync(path.join(path.dirname(n8n.binary), '..', 'package.json'), 'utf8'));
		expect(installed.version).toBe(version);
		expect(n8n.binary.startsWith(cacheDirOf(version))).toBe(true);
		expect(fs.existsSync(path.join(cacheDirOf(version), `.installed-n8n-${version}`))).toBe(true);
		const nodeVersion = spawnSync(n8n.nodeBinary, ['--version'], { encoding: 'utf8' }).stdout.trim();
		const wanted = VERSIONS[version].node;
		expect(nodeVersion).toBe(wanted === 'system' ? process.version : `v${wanted}`);
	});

	test("the caller's N8N_* settings reach n8n over the harness's defaults; per-instance ones stay the instance's", () => {
		setEnv('N8N_LOG_LEVEL', 'debug'); // a harness default (info)
		setEnv('N8N_E2E_PROBE_SETTING', 'from-caller'); // not known to the harness
		setEnv('EXECUTIONS_TIMEOUT', '120');
		setEnv('N8N_PORT', '1'); // per instance: ignored from the environment
		setEnv('N8N_USER_FOLDER', '/nonexistent');
		const env = n8n.env();
		expect(env.N8N_LOG_LEVEL).toBe('debug');
		expect(env.N8N_E2E_PROBE_SETTING).toBe('from-caller');
		expect(env.EXECUTIONS_TIMEOUT).toBe('120');
		expect(env.N8N_PORT).toBe(String(n8n.port));
		expect(env.N8N_USER_FOLDER).toBe(n8n.userFolder);
		// the version's own defaults are there unless the caller overrides them
		for (const [k, v] of Object.entries(profileOf(version).env)) expect(env[k]).toBe(v);
		// opts.env and per-call overrides win over everything
		expect(n8n.env({ N8N_LOG_LEVEL: 'warn' }).N8N_LOG_LEVEL).toBe('warn');
	});

	test('an explicit version must be in the table', () => {
		expect(() => new N8nInstance({ n8nVersion: '1.0.0' })).toThrow(/not in the e2e version table \(known: 2\.0\.3, 2\.41\.1\)/);
	});
});
