'use strict';
// The README's demo command works: `npm run demo -- --check` sets up a real n8n with our package, the
// sandbox portal, both credentials and the example workflows, passes its self-check and exits 0. Then
// the interactive demo on the same (now existing) n8n folder: the copy-paste commands it prints do what
// it says, and SIGINT stops everything with exit code 0. Re-runs re-import an example workflow only when it is
// unchanged since the demo's last import; an edited one is kept. npm's warnings while installing n8n are one line.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { packageBuildStatus } = require('./lib/n8n');

const ROOT = path.resolve(__dirname, '..', '..');
const status = packageBuildStatus();
const maybe = status.built ? describe : describe.skip;
if (!status.built) {
	// eslint-disable-next-line no-console
	console.warn(`demo e2e skipped: package not built (missing ${status.missing.join(', ')})`);
}

/** Starts a command; collects its output; resolves `exited` with { code, signal }. */
function run(command, args, env) {
	const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
	const proc = { child, out: '' };
	child.stdout.setEncoding('utf8');
	child.stderr.setEncoding('utf8');
	child.stdout.on('data', (d) => (proc.out += d));
	child.stderr.on('data', (d) => (proc.out += d));
	proc.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
	proc.waitFor = async (re, timeoutMs) => {
		const t0 = Date.now();
		while (!re.test(proc.out)) {
			if (child.exitCode !== null || Date.now() - t0 > timeoutMs) {
				throw new Error(`demo output never matched ${re}:\n${proc.out}`);
			}
			await new Promise((r) => setTimeout(r, 250));
		}
		return proc.out.match(re);
	};
	return proc;
}

/** The printed `curl -X POST URL -H … -d 'JSON'` lines, as { url, body }. */
function printedCurls(output) {
	return [...output.matchAll(/curl -X POST (\S+) -H 'content-type: application\/json' -d '([^']*)'/g)].map((m) => ({
		url: m[1],
		body: m[2],
	}));
}

async function postJson({ url, body }) {
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
	return { status: res.status, json: await res.json() };
}

maybe('npm run demo', () => {
	let folder;
	// the demo's own default is the newest n8n; under run.js it runs the version under test. The echo bot's reply time is
	// printed by the self-check and held to 5 s there (`npm run demo -- --check`); here, on a CI machine that may be
	// loaded, a slower reply is not a failure (tests never assert durations): the line and its figure are checked.
	const env = () => ({ DEMO_N8N_FOLDER: folder, DEMO_CHECK: '', DEMO_N8N_VERSION: require('./lib/install').defaultVersion(), DEMO_ECHO_LIMIT_S: '60', DEMO_WAIT_S: '90' });

	beforeAll(() => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-demo-e2e-'));
	});

	afterAll(() => {
		if (folder && process.env.E2E_KEEP !== '1') fs.rmSync(folder, { recursive: true, force: true });
	});

	/** What the self-check printed (the same in --check and interactive runs). */
	function expectSelfCheckPassed(out) {
		// a failed check first, by its own line (the whole output is long; a CI log may keep only its start)
		expect(out.match(/^FAIL .*$/gm) || []).toEqual([]);
		expect(out).toContain('Self-check: all PASS');
		expect(out.match(/^PASS /gm)).toHaveLength(8);
		const agentLines = out.match(/^PASS AI agent.*$/gm) || [];
		expect(agentLines).toHaveLength(3);
		for (const line of agentLines) expect(/skipped: n8n before 2\.41/.test(line)).toBe((process.env.E2E_N8N_VERSION || '2.0.3').startsWith('2.0.'));
		expect(out).toMatch(/connector n8n_demo_relay registered and active on line 1 \(configured true, status true\)/);
		expect(out).toMatch(/\[portal\] private chat \d+ · Echo Bot \(id \d+\): Echo: hello from the self-check/);
		// the echo bot is a chatbot API v2 on the live Chatbot Fetch Trigger (no public URL); the line gives its reply time
		expect(out).toMatch(/^PASS echo bot answers a user .*live Chatbot Fetch Trigger, no public URL.*the bot answered "Echo: hello from the self-check \w+" in the same dialog, answered in \d+\.\d s$/m);
		expect(out).toMatch(/\[messenger\] received for chat "selfcheck-/);
		// the Open Channel support bot answered, handed off, and the operator's reply went out; the manager approved in the chat
		expect(out).toMatch(/^PASS Open Channel support bot with human hand-off .*handed off to .*the operator's reply reached the messenger/m);
		expect(out).toMatch(/^PASS manager's approval in the chat .*pressed Approve.*was told "Approved by the manager/m);
		// no secret of the sandbox app is printed (tokens are never printed at all)
		for (const secret of ['sandbox-secret', 'sandbox-app-token']) expect(out).not.toContain(secret);
		// the n8n user folder it used is the one asked for
		expect(fs.existsSync(path.join(folder, '.n8n', 'database.sqlite'))).toBe(true);
	}

	// One demo run per n8n version (each costs an n8n boot, the imports and the whole self-check): the interactive one
	// runs the same self-check as --check before it prints the commands. --check itself (exit 0 after the check) is
	// the second run of the edit test below.
	test('interactive: everything comes up, the self-check passes, the printed commands work, SIGINT stops everything and exits 0', async () => {
		const demo = run(process.execPath, [path.join(ROOT, 'scripts', 'demo.js')], env());
		try {
			await demo.waitFor(/Press Ctrl-C to stop everything/, 5 * 60 * 1000);
			expectSelfCheckPassed(demo.out);
			// first run on the folder: every example imported
			expect(demo.out).toMatch(/» imported "Bitrix24 demo: connector set-up \(run once\)", "Bitrix24 demo: echo bot", "Bitrix24 demo: connector relay[^"]*", "Bitrix24: install handler \(local application\)", "Bitrix24 demo: Open Channel support bot with human hand-off", "Bitrix24 demo: support line set-up \(run once\)", "Bitrix24 demo: manager's approval in the chat" \(not in n8n yet, or unchanged since the demo's last import\)/);
			expect(demo.out).not.toMatch(/kept your edited/);
			const n8nUrl = demo.out.match(/n8n editor\s+(http:\/\/127\.0\.0\.1:\d+)\//)[1];
			const curls = printedCurls(demo.out);
			expect(curls).toHaveLength(4);
			const [toBot, toLine, operatorReply, saveLocalApp] = curls;

			// 1. a user writes to the echo bot → the event waits in the bot's queue (no push) → the live trigger reads it → the bot answers
			const userMessage = await postJson(toBot);
			expect(userMessage.status).toBe(200);
			expect(userMessage.json).toMatchObject({ events: [expect.objectContaining({ type: 'ONIMBOTV2MESSAGEADD' })], deliveries: [] });
			await demo.waitFor(new RegExp(`private chat ${userMessage.json.chatId} · Echo Bot \\(id \\d+\\): Echo: hello`), 30000);

			// 2. the outside messenger posts → the message lands in line 1
			const relayed = await postJson(toLine);
			expect(relayed.status).toBe(200);
			expect(relayed.json).toMatchObject({ connector: 'n8n_demo_relay', line: 1, externalChatId: 'wa-100', success: true });
			await demo.waitFor(/\[portal\] line 1 ← n8n_demo_relay, external chat "wa-100": Hi, where is my order\?/, 30000);

			// 3. the operator answers → the outside messenger receives it
			const reply = await postJson(operatorReply);
			expect(reply.status).toBe(200);
			expect(reply.json.deliveries).toEqual([expect.objectContaining({ event: 'ONIMCONNECTORMESSAGEADD', status: 200 })]);
			await demo.waitFor(/\[messenger\] received for chat "wa-100": "Anna Admin:\\nIt ships today!"/, 30000);

			// 4. a local app "saved" in the portal → its install request is answered by n8n's install handler
			const saved = await postJson(saveLocalApp);
			expect(saved.status).toBe(200);
			expect(saved.json.install).toMatchObject({ kind: 'ONAPPINSTALL', status: 200 });
			expect(saved.json.app).toMatchObject({ clientId: expect.stringMatching(/^local\./), status: 'installed' });
			await demo.waitFor(/\[portal\] local app local\.\S+: install request \(ONAPPINSTALL\) → http:\/\/127\.0\.0\.1:\d+\/webhook\/bitrix24-install: HTTP 200 → installed/, 30000);

			demo.child.kill('SIGINT');
			const { code } = await demo.exited;
			expect(code).toBe(0);
			expect(demo.out).toMatch(/SIGINT received: stopping n8n, the sandbox portal and the outside messenger/);
			expect(demo.out).toMatch(/» stopped/);
			// n8n is gone
			await expect(fetch(`${n8nUrl}/healthz`)).rejects.toThrow();
		} finally {
			if (demo.child.exitCode === null) {
				demo.child.kill('SIGTERM'); // the demo stops its n8n, sandbox and messenger
				const killer = setTimeout(() => demo.child.kill('SIGKILL'), 30000);
				await demo.exited;
				clearTimeout(killer);
			}
		}
	});

	// On n8n 2.41 (asynchronous publication) a workflow renamed behind n8n's back in sqlite is not re-published in time for the
	// demo's self-check after a restart; the keep-your-edits logic itself is version-independent and checked on 2.0.3.
	const editTest = require('./lib/install').profileOf(require('./lib/install').defaultVersion()).asyncActivation ? test.skip : test;
	editTest('a workflow edited in n8n is kept, not overwritten by the next run; the others are imported', async () => {
		// n8n's sqlite3 is built for the Node of the version under test: query through the harness's tool run by that Node.
		const install = require('./lib/install');
		const version = install.defaultVersion();
		const profile = install.profileOf(version);
		const nodeBin = profile.node === 'system' ? process.execPath : install.nodeBinOf(profile.node);
		const sqliteDir = path.join(install.cacheDirOf(version), 'node_modules', 'sqlite3');
		const dbFile = path.join(folder, '.n8n', 'database.sqlite');
		const sql = async (query) => {
			const out = require('node:child_process').execFileSync(nodeBin, [path.join(__dirname, 'lib', 'sqlite-tool.js'), sqliteDir, dbFile, 'query', query], { timeout: 60000 });
			return JSON.parse(String(out).trim().split('\n').pop()).rows;
		};
		await sql("UPDATE workflow_entity SET name = 'My echo bot' WHERE id = 'b24DemoEchoBot'");
		const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
		const demo = run(npm, ['run', 'demo', '--silent', '--', '--check'], env());
		const { code } = await demo.exited;
		expect({ code, out: demo.out }).toEqual({ code: 0, out: expect.stringContaining('Self-check: all PASS') });
		expectSelfCheckPassed(demo.out);
		expect(demo.out).toMatch(/» stopped/);
		expect(demo.out).toMatch(/» imported "Bitrix24 demo: connector set-up \(run once\)", "Bitrix24 demo: connector relay[^"]*", "Bitrix24: install handler \(local application\)", "Bitrix24 demo: Open Channel support bot/);
		expect(demo.out).toMatch(/kept your edited "My echo bot" \(example "Bitrix24 demo: echo bot"\): changed in n8n since the demo imported it, so not overwritten/);
		expect(await sql("SELECT name FROM workflow_entity WHERE id = 'b24DemoEchoBot'")).toEqual([{ name: 'My echo bot' }]);
	});
});

describe('demo: installing n8n', () => {
	test("npm's warnings are hidden (one summary, full text in a log file); other lines and the result pass through", async () => {
		const { installN8nQuietly } = require('../../scripts/demo/installN8n');
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-install-'));
		try {
			const fake = path.join(dir, 'fake-install.js');
			fs.writeFileSync(
				fake,
				`for (let i = 0; i < 40; i++) process.stderr.write('npm warn ERESOLVE overriding peer dependency ' + i + '\\n');\n` +
					`process.stderr.write('[e2e install] n8n@2.0.3 installed in 1 s\\n');\n`,
			);
			const shown = [];
			const r = await installN8nQuietly({ isInstalled: () => false, CACHE_DIR: dir, installer: fake }, (l) => shown.push(l));
			expect(r).toMatchObject({ installedNow: true, warnings: 40, logFile: path.join(dir, 'npm-install-warnings.log') });
			expect(shown).toEqual(['  [e2e install] n8n@2.0.3 installed in 1 s']);
			expect(fs.readFileSync(r.logFile, 'utf8').split('\n').filter(Boolean)).toHaveLength(40);
			expect(await installN8nQuietly({ isInstalled: () => true, CACHE_DIR: dir }, (l) => shown.push(l))).toMatchObject({ installedNow: false, warnings: 0 });
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
