#!/usr/bin/env node
'use strict';
// `npm run demo`: a real n8n with this package, the sandbox Bitrix24 portal, both credentials and the
// example workflows (examples/*.json), a self-check, then copy-paste commands to play with it.
// Ctrl-C stops everything it started and exits 0.
//
//   npm run demo                  # run until Ctrl-C, on the newest supported n8n (2.41.1, Node 24)
//   npm run demo -- --n8n 2.0.3   # the other supported n8n (Node 20); both are installed into .cache/ on first use
//   npm run demo -- --check       # (or DEMO_CHECK=1) set up, self-check, stop; exit 0 = all PASS
//   npm run demo -- --rebuild     # build even if dist/ looks up to date
// Environment: DEMO_N8N_VERSION (instead of --n8n), DEMO_N8N_FOLDER (n8n user folder, default .n8n-demo/ for
// 2.41.1, .n8n-demo-<version>/ for another version: an older n8n cannot open a newer one's database),
// DEMO_VERBOSE=1 (n8n's log too), DEMO_ECHO_LIMIT_S (the echo bot's reply-time limit in the self-check, default 5).

const fs = require('node:fs');
const path = require('node:path');

const { ensureBuilt, ROOT } = require('./demo/build');
const { firstFreePort } = require('./demo/ports');
const { startOutsideMessenger } = require('./demo/outsideMessenger');
const { watchPortal } = require('./demo/portalWatch');
const { selfCheck } = require('./demo/selfCheck');
const { importExamples, RECORD_FILE } = require('./demo/imports');
const { installN8nQuietly } = require('./demo/installN8n');
const setup = require('./demo/setup');
const aiAgentDemo = require('./demo/aiAgent');

const args = process.argv.slice(2);
const CHECK = args.includes('--check') || process.env.DEMO_CHECK === '1';
const REBUILD = args.includes('--rebuild');
const VERBOSE = process.env.DEMO_VERBOSE === '1';
const NEWEST_N8N = '2.41.1';
const SUPPORTED_N8N = ['2.41.1', '2.0.3'];
const versionArg = args.indexOf('--n8n');
const N8N_VERSION = (versionArg >= 0 ? args[versionArg + 1] : process.env.DEMO_N8N_VERSION) || NEWEST_N8N;
if (!SUPPORTED_N8N.includes(N8N_VERSION)) {
	process.stdout.write(`--n8n ${N8N_VERSION}: the demo runs on n8n ${SUPPORTED_N8N.join(' or ')}\n`);
	process.exit(2);
}
// the e2e harness (test/e2e/lib/install.js, n8n.js) installs and starts the version named here
process.env.E2E_N8N_VERSION = N8N_VERSION;
const defaultFolder = N8N_VERSION === NEWEST_N8N ? '.n8n-demo' : `.n8n-demo-${N8N_VERSION}`;
const USER_FOLDER = path.resolve(ROOT, process.env.DEMO_N8N_FOLDER || defaultFolder);
const OWNER = { email: 'demo@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Demo-Passw0rd' };
const PORTS = { sandbox: 8931, messenger: 8932, n8n: 5678 };

const t0 = Date.now();
const seconds = () => `${Math.round((Date.now() - t0) / 1000)} s`;
const print = (line = '') => process.stdout.write(`${line}\n`);
const step = (line) => print(`» ${line}  [${seconds()}]`);

// ------------------------------------------------------------------------------------------ stopping

const started = { sandbox: undefined, messenger: undefined, watcher: undefined, n8n: undefined, aiAgent: undefined };
let stopping;

async function stopAll() {
	if (started.watcher) started.watcher.stop();
	if (started.n8n) await started.n8n.stop().catch(() => {});
	if (started.aiAgent) await started.aiAgent.stop().catch(() => {});
	if (started.messenger) await started.messenger.stop().catch(() => {});
	if (started.sandbox) await started.sandbox.stop().catch(() => {});
}

function shutdown(code, why) {
	if (!stopping) {
		if (why) print(`\n» ${why}: stopping n8n, the sandbox portal and the outside messenger…`);
		stopping = stopAll().then(() => {
			print(`» stopped  [${seconds()}]`);
			process.exit(code);
		});
	} else if (why) {
		print('» stopping already; press Ctrl-C once more to kill at once');
		process.exit(code); // the harness's exit hook SIGKILLs any n8n process still running
	}
	return stopping;
}

const onSignal = (signal) => shutdown(0, `${signal} received`);
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// The e2e harness adds its own SIGINT/SIGTERM handlers (kill n8n, exit 130) the first time it spawns
// n8n. The demo stops n8n itself and exits 0, so those are removed as soon as they are added.
process.on('newListener', (event, listener) => {
	if ((event === 'SIGINT' || event === 'SIGTERM') && listener !== onSignal) {
		setImmediate(() => process.removeListener(event, listener));
	}
});

// ------------------------------------------------------------------------------------------ steps

function relativeToRoot(p) {
	const rel = path.relative(ROOT, p);
	return rel.startsWith('..') ? p : rel;
}

async function startSandboxOnFreePort() {
	const { startSandbox } = require('../sandbox');
	const port = await firstFreePort(PORTS.sandbox);
	return startSandbox({ port });
}

async function prepareN8n(installLib, N8nInstance) {
	const quiet = await installN8nQuietly(installLib, print);
	const installed = await installLib.ensureN8n();
	const where = relativeToRoot(installed.cacheDir || installLib.CACHE_DIR);
	step(`n8n ${installed.version} ${quiet.installedNow ? `installed into ${where} in ${Math.round(quiet.ms / 1000)} s` : `is installed (${where})`}`);
	if (quiet.warnings) {
		print(`  (npm's ${quiet.warnings} "npm warn" lines — ERESOLVE peer-dependency overrides inside n8n's own dependencies, harmless — are in ${relativeToRoot(quiet.logFile)})`);
	}
	const port = await firstFreePort(PORTS.n8n, [started.sandbox.port, started.messenger.port]);
	fs.mkdirSync(USER_FOLDER, { recursive: true });
	const n8n = await N8nInstance.create({ userFolder: USER_FOLDER, port, keepFolder: true, echoLogs: VERBOSE, importVia: 'cli' });
	n8n.owner = { ...OWNER };
	return n8n;
}

async function runConnectorSetup(n8n, workflow) {
	const run = await n8n.execute(workflow.id);
	if (!run.ok) {
		const message = (run.error && (run.error.message || run.error.description)) || run.status;
		throw new Error(`the connector set-up workflow failed: ${message}`);
	}
	const status = (run.outputOf('Get status') || [])[0] || {};
	return status;
}

async function runSupportLineSetup(n8n, workflow) {
	const run = await n8n.execute(workflow.id);
	if (!run.ok) {
		const message = (run.error && (run.error.message || run.error.description)) || run.status;
		throw new Error(`the support line set-up workflow failed: ${message}`);
	}
	const connected = (run.outputOf('Connect the messenger to it') || [])[0] || {};
	const created = (run.outputOf('Create the support line') || [])[0] || {};
	return connected.line || created.lineId;
}

function tail(text, lines = 30) {
	return String(text || '').split('\n').slice(-lines).join('\n');
}

function printGuide({ sb, n8n, messenger, relayWebhookUrl, installWebhookUrl, botId }) {
	const sandboxUrl = sb.url;
	const n8nUrl = n8n.baseUrl;
	print(`
══════════════════════════════════════════════════════════════════════════════════════════
 Bitrix24 chat nodes demo is running
══════════════════════════════════════════════════════════════════════════════════════════
 n8n editor         ${n8nUrl}/
   sign in          ${OWNER.email} / ${OWNER.password}
   workflows        "Bitrix24 demo: echo bot", "Bitrix24 demo: connector relay", "…connector set-up",
                    "Bitrix24: install handler (local application)"
                    (the same files are in examples/: import them into your own n8n; the demo
                    re-imports one only when it is missing or unchanged since its last import)
 going live         docs/go-live.md: a real portal, with examples/install-handler.json
 sandbox portal     ${sandboxUrl}   (a local fake Bitrix24; state is lost when the demo stops)
 credentials        "${setup.CREDENTIALS.webhook.name}": ${sb.webhookUrl}, chatbot client id ${setup.CHATBOT_CLIENT_ID}
                    "${setup.CREDENTIALS.oauth2.name}": portal ${sandboxUrl}, client ${sb.oauth.clientId},
                    token server ${sb.oauth.tokenUrl} — already connected here; with a real
                    portal you enter your app's client id/secret and press "Connect" in the credential.
 outside messenger  ${messenger.url}/messages  (stands in for WhatsApp & co.; prints what it receives)
 n8n user folder    ${relativeToRoot(USER_FOLDER)}/ (kept between runs; delete it to start afresh)

 Try it (copy-paste into another terminal; what happens is printed below as [portal] / [messenger] lines):

 1. A portal user (Boris, id 2) writes to the echo bot → its live Fetch Trigger (no public URL) picks the message
    up within seconds and the bot answers in the same dialog:
    curl -X POST ${sandboxUrl}/sandbox/v2/bots/${botId}/user-message -H 'content-type: application/json' -d '{"userId":2,"text":"hello"}'

 2. The outside messenger sends a customer message → it lands in Open Channel line 1:
    curl -X POST ${relayWebhookUrl} -H 'content-type: application/json' -d '{"chatId":"wa-100","userId":"wa-user-7","name":"Max","text":"Hi, where is my order?"}'

 3. An operator answers in the line → n8n posts it to the outside messenger:
    curl -X POST ${sandboxUrl}/sandbox/openlines/operator-reply -H 'content-type: application/json' -d '{"connector":"${setup.CONNECTOR_ID}","line":1,"chatId":"wa-100","text":"It ships today!"}'

 4. Rehearse going live (docs/go-live.md): "save a local app form" in the portal → it sends the install
    request to n8n's install handler, whose answer finishes the installation; the answer below shows the app
    (client id local.…); n8n → Executions → install handler → "Check and answer" shows its application token:
    curl -X POST ${sandboxUrl}/sandbox/apps -H 'content-type: application/json' -d '{"handlerUrl":"${n8nUrl}/rest/oauth2-credential/callback","installUrl":"${installWebhookUrl}"}'

 Look inside:  curl -s ${sandboxUrl}/sandbox/log    (every REST call n8n made)
               curl -s ${sandboxUrl}/sandbox/state  (bots, chats, messages, connectors)
               curl -s ${messenger.url}/messages   (what the outside messenger received)
               n8n → Executions, for each workflow run

 Press Ctrl-C to stop everything.
══════════════════════════════════════════════════════════════════════════════════════════`);
}

async function main() {
	print(`Bitrix24 chat nodes for n8n — demo${CHECK ? ' (self-check mode: set up, check, stop)' : ''}`);

	const build = await ensureBuilt({ force: REBUILD });
	step(build.built ? `built the package (${build.reason})` : 'package already built (dist/ is up to date)');
	// required only now: the harness reads dist/ through package.json
	const installLib = require('../test/e2e/lib/install');
	const { N8nInstance } = require('../test/e2e/lib/n8n');

	started.sandbox = await startSandboxOnFreePort();
	const sb = started.sandbox;
	step(`sandbox Bitrix24 portal on ${sb.url}`);

	const messengerPort = await firstFreePort(PORTS.messenger, [sb.port]);
	started.messenger = await startOutsideMessenger({
		port: messengerPort,
		onMessage: (m) => print(`[messenger] received for chat "${m.chatId}": ${JSON.stringify(m.text)}`),
	});
	step(`outside messenger on ${started.messenger.url}/messages`);

	step(`preparing n8n (installs n8n ${installLib.defaultVersion()} into .cache/ on the first run: a few minutes)`);
	const n8n = await prepareN8n(installLib, N8nInstance);
	started.n8n = n8n;
	step(`n8n user folder ${relativeToRoot(USER_FOLDER)}/ with this package installed`);

	await n8n.importCredentials(setup.demoCredentials(sb));
	step(`credentials "${setup.CREDENTIALS.webhook.name}" and "${setup.CREDENTIALS.oauth2.name}" (connected)`);

	const workflows = setup.demoWorkflows({ n8nUrl: n8n.baseUrl, messengerUrl: started.messenger.url });
	const { imported, kept } = await importExamples(n8n, workflows, USER_FOLDER);
	const names = (list) => list.map((w) => `"${w.name}"`).join(', ');
	step(imported.length ? `imported ${names(imported)} (not in n8n yet, or unchanged since the demo's last import)` : 'no example workflow imported');
	if (kept.length) {
		const keptNames = kept.map((w) => (w.storedName && w.storedName !== w.name ? `"${w.storedName}" (example "${w.name}")` : `"${w.name}"`)).join(', ');
		print(`  kept your edited ${keptNames}: changed in n8n since the demo imported ${kept.length === 1 ? 'it' : 'them'}, so not overwritten`);
		print(`  (to get the example back, delete the workflow in n8n and start the demo again; import hashes: ${relativeToRoot(path.join(USER_FOLDER, RECORD_FILE))})`);
	}

	started.aiAgent = await aiAgentDemo.prepareAiAgent({ sb, n8n });
	step(started.aiAgent.describe());

	// `n8n execute` of the set-up workflow runs in its own process, beside `n8n start`
	step('registering the connector (n8n execute of the set-up workflow) and starting n8n');
	const [status] = await Promise.all([runConnectorSetup(n8n, workflows.connectorSetup), n8n.start()]);
	step(
		`connector ${status.connector || setup.CONNECTOR_ID} registered and active on line ${status.line || 1} ` +
			`(configured ${status.configured}, status ${status.status})`,
	);
	n8n.server.on('exit', (code, signal) => {
		if (!stopping) {
			print(`n8n stopped by itself (${signal || `exit ${code}`}). Last lines of its log:\n${tail(n8n.logs)}`);
			shutdown(1);
		}
	});
	step(`n8n running on ${n8n.baseUrl}`);
	started.watcher = watchPortal(sb, print);
	started.watcher.mark();
	await n8n.login();
	for (const wf of [workflows.connectorRelay, workflows.installHandler, workflows.supportBot, workflows.approval]) {
		await n8n.activateWorkflow(wf.id);
	}
	await started.aiAgent.activate();
	const idOf = (code) => (setup.v2BotByCode(sb, code) || { id: '?' }).id;
	step(
		`activated the support bot (bot ${idOf(setup.SUPPORT_BOT_CODE)}) and the approvals bot (bot ${idOf(setup.APPROVALS_BOT_CODE)}), each ` +
			'registered by its live Chatbot Fetch Trigger (no public URL); the connector relay and the install handler',
	);
	const supportLine = await runSupportLineSetup(n8n, workflows.supportLineSetup);
	step(`support line ${supportLine} created with the support bot as its welcome bot, the connector active on it (n8n execute of the set-up workflow)`);
	// last, as you would: publish the bot, then write to it (a just-published live trigger reads every second for a while)
	await n8n.activateWorkflow(workflows.echoBot.id);
	const echoBot = setup.v2BotByCode(sb, setup.BOT_CODE);
	step(
		`activated the echo bot${echoBot ? ` (bot ${echoBot.id} "${setup.BOT_CODE}", registered by its trigger)` : ''}: a live Chatbot Fetch Trigger, ` +
			'no public URL — it reads the bot\'s queue every second in a conversation, every 5 s when quiet',
	);

	const relayWebhookUrl = n8n.webhookUrl(setup.RELAY_WEBHOOK_PATH);
	print('\nSelf-check:');
	const printAfterPortal = (line) => {
		started.watcher.tick(); // portal lines first, so the story reads in order
		print(line);
	};
	const ok = await selfCheck({ sb, n8n, messenger: started.messenger, relayWebhookUrl, supportLine, aiAgent: started.aiAgent }, printAfterPortal);
	await new Promise((r) => setTimeout(r, 600)); // let the portal watcher print the last lines
	print(ok ? `\nSelf-check: all PASS  [${seconds()}]` : `\nSelf-check: FAILED  [${seconds()}]`);

	if (CHECK) {
		if (!ok) print(`\nLast lines of n8n's log:\n${tail(n8n.logs, 40)}`);
		return shutdown(ok ? 0 : 1);
	}
	if (!ok) print("Something is wrong; n8n's log: run again with DEMO_VERBOSE=1. The demo keeps running.");
	const installWebhookUrl = n8n.webhookUrl(setup.INSTALL_WEBHOOK_PATH);
	const echo = setup.v2BotByCode(sb, setup.BOT_CODE);
	printGuide({ sb, n8n, messenger: started.messenger, relayWebhookUrl, installWebhookUrl, botId: echo ? echo.id : '<bot id>' });
	return undefined;
}

main().catch((error) => {
	print(`\nFAIL demo: ${error.message}`);
	if (started.n8n && started.n8n.logs) print(`Last lines of n8n's log:\n${tail(started.n8n.logs)}`);
	shutdown(1);
});
