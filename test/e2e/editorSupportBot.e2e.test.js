'use strict';
// A support bot from the n8n editor alone (issue 25), in headless Chromium against the in-process sandbox portal:
// the only credential is an incoming webhook WITHOUT a Bot Token (the newest credential a new node opens on); the
// node panel finds the bot by "support"; a v2 Chatbot Trigger creates its bot (Bot → Create on Activation); "Test
// this trigger" takes it at once and shows the sandbox user's message; a reply node is added; the workflow is
// published and the bot answers. The only step outside the editor is the sandbox user's message (the "curl").
// Then the hand-off, in a "Support line" workflow on the Chatbot Fetch Trigger (live, no public URL): it creates an
// Open Channels bot; in a second tab a "Line set-up" workflow runs Open Channels → Line → Set Welcome Bot (line and bot
// from lists); the customer writes through the connector (the messenger's app: connector registered and switched on, and
// its event.bind, are the set-up outside the editor, with imconnector.send.messages as the customer's "curl"); an If
// (asks for an operator?) → Chatbot → Hand Off to Operator, else the bot answers; published: the bot answers through the
// connector, hands off on request, the operator (the line's queue) has the dialog and her reply reaches the messenger.
// Then an approval in a third workflow: Chatbot → Register a command (hidden "answer") → Send message and wait for
// response with Options → Answer In Chat With Command; the sandbox user presses Approve under the message in the chat (a
// COMMAND button: the command goes back into the chat to the bot's published trigger) and the run ends approved.
// Screenshots of each step go to test-results/support-bot/ (docs/images with E2E_UPDATE_DOCS_IMAGES=1, to refresh the
// walk-through's pictures). Clicks and typed fields are counted.

const fs = require('node:fs');
const path = require('node:path');
const { N8nInstance, packageBuildStatus } = require('./lib/n8n');
const { launchBrowser, openEditor, RESULTS_DIR } = require('./lib/browser');
const { startSandbox } = require('../../sandbox');
const botsV2 = require('../../sandbox/methods/imbotV2/triggers');
const { app, control, handlerServer, setupConnector } = require('../sandbox/helpers');

const skipBrowser = process.env.E2E_SKIP_BROWSER === '1';
// The walk-through is the editor users have: n8n 2.41.1 (issue 25). n8n 2.0.3's node panel differs (no merged
// node entry, other item names) and its screenshots would overwrite docs/images; editor.nodes.e2e covers 2.0.3's editor.
const version = process.env.E2E_N8N_VERSION || '2.0.3';
const onNewestEditor = !version.startsWith('2.0.');
if (!onNewestEditor) process.stderr.write(`[editorSupportBot] skipped on n8n ${version}: the walk-through runs on 2.41.1 (the editor users have)\n`);
const maybe = skipBrowser || !onNewestEditor ? describe.skip : describe;
const status = packageBuildStatus();
if (!status.built) throw new Error(`editorSupportBot e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const IMAGES = process.env.E2E_UPDATE_DOCS_IMAGES === '1' ? path.join(__dirname, '..', '..', 'docs', 'images') : path.join(RESULTS_DIR, 'support-bot');
const OPEN_DROPDOWN = '.el-select-dropdown:visible, .el-popper:visible [role="listbox"]';

/** Polls fn() until truthy, at most `ms`. */
async function until(fn, what, ms = 30000) {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 200));
	}
}

maybe('a v2 support bot built in the n8n editor alone', () => {
	let sb;
	let n8n;
	let browser;
	let page;
	let messenger;
	const effort = { clicks: 0, fields: 0 };

	async function shot(name, { blur = false } = {}) {
		fs.mkdirSync(IMAGES, { recursive: true });
		const file = path.join(IMAGES, `support-bot-${name}.png`);
		// a focused field shows n8n's tip box over the label of the field below it: the picture shows the panel as it rests
		if (blur) await page.evaluate(() => document.activeElement && document.activeElement.blur && document.activeElement.blur());
		await page.screenshot({ path: file });
		process.stderr.write(`[editorSupportBot] ${new Date().toISOString().slice(11, 19)} ${name}\n`);
		return file;
	}
	let failures = 0;
	async function click(locator) {
		effort.clicks++;
		try {
			await locator.click();
		} catch (error) {
			error.message = `${await dump(`click-${++failures}`)}\n${error.message}`;
			throw error;
		}
	}
	/** Waits (bounded) for `locator` to show; on a timeout the panel's text and a screenshot say what was there. */
	async function visible(locator, what, timeout = 30000) {
		try {
			await locator.waitFor({ timeout });
		} catch (error) {
			throw new Error(`${await dump(what)}\n${error.message}`);
		}
		return locator;
	}
	async function type(locator, text) {
		effort.fields++;
		await locator.fill(text);
	}
	const ndv = () => page.locator('[data-test-id="ndv"]').first();
	/** Picks `option` in the options parameter `name` of the open node panel. */
	async function choose(name, option) {
		await click(ndv().locator(`[data-test-id="parameter-input-${name}"]`).first());
		const item = page.locator('.el-select-dropdown__item:visible, .el-select-dropdown li:visible').filter({ hasText: option }).first();
		await item.waitFor();
		await click(item);
		await until(async () => (await page.locator('.el-select-dropdown:visible, .el-select__popper:visible').count()) === 0, 'the dropdown to close', 10000).catch(() => {});
	}
	async function fill(name, text) {
		const input = ndv().locator(`[data-test-id="parameter-input-${name}"] input, [data-test-id="parameter-input-${name}"] textarea`).first();
		await input.waitFor();
		await type(input, text);
	}
	const searchBar = () => page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
	/** Picks `text` in the "From List" dropdown of the resource locator parameter `name`. */
	async function pickFromList(name, placeholder, text) {
		await click(ndv().locator(`[data-test-id="parameter-input-${name}"]`).getByPlaceholder(placeholder).first());
		const listed = page.locator('[data-test-id="rlc-item"]').filter({ hasText: text }).first();
		try {
			await listed.waitFor({ timeout: 30000 });
		} catch (error) {
			throw new Error(await dump(`list-${name}`));
		}
		await click(listed);
	}
	/** Types into the field inside `locator` (an input, a text area or an expression editor). */
	async function typeInto(locator, text) {
		const field = locator.locator('input, textarea, [contenteditable="true"]').first();
		await field.waitFor();
		await type(field, text);
	}
	/** Options → Add option → `label` in the open node panel. */
	async function addOption(label) {
		// the node's Options collection is the last "Add option" of the panel
		await click(ndv().getByPlaceholder(/^Add option$/i).or(ndv().getByText(/^\s*Add option\s*$/i)).last());
		const option = page.locator('.el-select-dropdown__item:visible, [data-test-id="collection-parameter-option"]:visible, [role="option"]:visible, [role="menuitem"]:visible').filter({ hasText: label }).first();
		await option.waitFor();
		await click(option);
	}
	/** Publishes the open workflow (n8n 2.4x: "Publish" opens a dialog whose own Publish button publishes). */
	async function publish(dialogShot) {
		const button = page.locator('[data-test-id="workflow-open-publish-modal-button"]').or(page.getByRole('button', { name: /^Publish$/ })).first();
		try {
			await button.waitFor({ timeout: 15000 });
		} catch (error) {
			throw new Error(await dump('publish-button'));
		}
		await click(button);
		const confirm = page.locator('[data-test-id="workflow-publish-button"]:visible').first();
		if (await confirm.waitFor({ timeout: 10000 }).then(() => true, () => false)) {
			if (dialogShot) await shot(dialogShot);
			await click(confirm);
		}
	}
	async function dump(what) {
		const text = (await ndv().count()) ? await ndv().innerText().catch(() => '') : (await page.locator('body').innerText()).slice(0, 3000);
		fs.mkdirSync(RESULTS_DIR, { recursive: true });
		await page.screenshot({ path: path.join(RESULTS_DIR, `support-bot-failed-${what}.png`) }).catch(() => {});
		return `${what}: ${text.slice(0, 2500)}`;
	}
	const v2Bot = (code) => [...((sb.state.imbotV2 && sb.state.imbotV2.bots.values()) || [])].find((b) => b.code === code);

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0, host: '127.0.0.1' });
		n8n = await N8nInstance.create();
		await n8n.importCredentials([
			{ id: 'sbHook', name: 'Bitrix24 portal (webhook)', type: 'bitrix24WebhookApi', data: { webhookSecret: sb.webhookUrl } },
		]);
		await n8n.importWorkflow({ id: 'e2eSupportBot', name: 'Support bot', nodes: [], connections: {} });
		await n8n.importWorkflow({ id: 'e2eApproval', name: 'Manager approval', nodes: [], connections: {} });
		await n8n.importWorkflow({ id: 'e2eSupportLine', name: 'Support line', nodes: [], connections: {} });
		await n8n.importWorkflow({ id: 'e2eLineSetup', name: 'Line set-up', nodes: [], connections: {} });
		await n8n.start();
		browser = await launchBrowser({ viewport: { width: 1600, height: 1000 } });
		page = await openEditor(browser, n8n, { path: '/workflow/e2eSupportBot' });
	}, 10 * 60_000);

	afterAll(async () => {
		// eslint-disable-next-line no-console
		console.log(`support bot from the editor: ${effort.clicks} clicks, ${effort.fields} typed fields`);
		if (browser) await browser.close();
		if (messenger) await messenger.close();
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	test('search "support", add the v2 Chatbot Trigger, Bot → Create on Activation, test it with the sandbox user\'s message', async () => {
		await click(page.locator('[data-test-id="canvas-add-button"]').first());
		const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
		await type(search, 'support');
		const item = page.locator('[data-test-id="node-creator-item-name"]').getByText('Bitrix24 Chatbot', { exact: true }).first();
		await item.waitFor();
		await shot('01-search-support');
		await click(item);
		// the trigger's events as n8n lists them ("On …"): the first one
		const event = page.locator('[data-test-id="node-creator"] [data-test-id="node-creator-item-name"]').filter({ hasText: /message received/i }).first();
		await event.waitFor();
		await click(event);
		try {
			await ndv().locator('[data-test-id="parameter-input-botSource"]').waitFor({ timeout: 20000 });
		} catch (error) {
			throw new Error(await dump('trigger-panel'));
		}
		// the webhook credential without a Bot Token is selected and nothing warns about it
		await shot('02-trigger-panel');
		await choose('botSource', 'Create on Activation');
		await fill('botCode', 'support_bot');
		await fill('botName', 'Support');
		await choose('botType', 'Open Channels');
		await shot('03-create-on-activation', { blur: true });

		await click(ndv().locator('[data-test-id="node-execute-button"], [data-test-id="trigger-execute-button"]').first());
		let bot;
		try {
			bot = await until(() => {
				const b = v2Bot('support_bot');
				return b && b.eventMode === 'webhook' && b;
			}, 'the trigger to create its bot and point it at the test URL');
		} catch (error) {
			throw new Error(await dump('listen'));
		}
		await shot('04-listening');
		// the one step outside the editor: the sandbox user writes to the bot
		await botsV2['user-message'](sb.portal, bot.id, { userId: 1, text: 'Hello, I need help with my order' });
		try {
			await ndv().getByText('Hello, I need help with my order').first().waitFor({ timeout: 30000 });
		} catch (error) {
			throw new Error(await dump('test-event'));
		}
		await shot('05-test-event');
		expect(bot).toMatchObject({ type: 'openline', properties: { name: 'Support' } });
	});

	test('add a reply, publish, and the bot answers', async () => {
		await click(ndv().locator('[data-test-id="ndv-close-button"]').first());
		await ndv().waitFor({ state: 'hidden' });
		const plus = page.locator('[data-test-id="canvas-handle-plus"]').first();
		await click(plus);
		const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
		await type(search, 'Bitrix24 Chatbot');
		await click(page.locator('[data-test-id="node-creator-item-name"]').getByText('Bitrix24 Chatbot', { exact: true }).first());
		const action = page.locator('[data-test-id="node-creator"]').getByText('Send a message', { exact: true }).first();
		await action.waitFor();
		await shot('06-actions');
		await click(action);
		try {
			await ndv().locator('[data-test-id="parameter-input-target"]').waitFor({ timeout: 20000 });
		} catch (error) {
			throw new Error(await dump('reply-panel'));
		}
		// the bot, from the list: it shows the name the trigger gave it
		await click(ndv().locator('[data-test-id="parameter-input-botId"]').getByPlaceholder('Select a bot...').first());
		const listed = page.locator('[data-test-id="rlc-item"]').filter({ hasText: 'Support' }).first();
		try {
			await listed.waitFor({ timeout: 20000 });
		} catch (error) {
			throw new Error(await dump('bot-list'));
		}
		await shot('07-bot-list');
		await click(listed);
		await choose('target', 'Reply to Trigger Event');
		await fill('text', 'Hi! I am the support bot. Tell me your order number.');
		await shot('08-reply', { blur: true });
		await click(ndv().locator('[data-test-id="ndv-close-button"]').first());
		await ndv().waitFor({ state: 'hidden' });

		await publish('09-publish-dialog');
		const bot = await until(() => {
			const b = v2Bot('support_bot');
			return b && b.eventMode === 'webhook' && /\/webhook\//.test(b.webhookUrl) && b;
		}, 'the published workflow to take the bot').catch(async () => {
			throw new Error(await dump('published'));
		});
		await shot('10-published');
		await botsV2['user-message'](sb.portal, bot.id, { userId: 1, text: 'Where is my parcel?' });
		const answer = await until(
			() => [...sb.state.messages.values()].find((m) => m.AUTHOR_ID === bot.id && /support bot/.test(m.MESSAGE)),
			'the bot to answer',
		);
		expect(answer.MESSAGE).toBe('Hi! I am the support bot. Tell me your order number.');
		expect(n8n.externalConnections()).toEqual([]);
	});
	test('hand-off: a line bot on the Chatbot Fetch Trigger, made the line\'s welcome bot with Open Channels, answers a customer who writes through the connector and hands the dialog to an operator', async () => {
		// The messenger's side (not n8n, so not built in the editor): its relay app registers its connector, switches it
		// on for the Sandbox line, and receives what the line sends back to the customer (event.bind).
		const token = sb.issueTokens().access_token;
		await setupConnector(sb, token, 'webshop_chat');
		messenger = await handlerServer();
		expect((await app(sb, token, 'event.bind', { event: 'ONIMCONNECTORMESSAGEADD', handler: `${messenger.url}/out` })).body.result).toBe(true);
		const toCustomer = () => messenger.received.map((r) => r.body && r.body.data && r.body.data.MESSAGES && r.body.data.MESSAGES[0] && r.body.data.MESSAGES[0].message).filter(Boolean).map((m) => String(m.text));
		/** What the line workflow did and what the portal holds, for a failure message. */
		const lineDiagnosis = async () => {
			const runs = await n8n.listExecutions({ workflowId: 'e2eSupportLine' }).catch((error) => [String(error)]);
			const last = runs[0] && runs[0].id ? await n8n.getExecution(runs[0].id).catch(() => undefined) : undefined;
			const { body } = await control(sb, 'openlines/sessions', undefined, 'GET');
			const lineBot = v2Bot('line_bot');
			const queue = sb.state.imbotV2.queues.get(`bot:${lineBot && lineBot.id}`);
			return JSON.stringify({
				runs: runs.map((r) => (r.id ? { id: r.id, status: r.status, mode: r.mode } : r)),
				last: last && { status: last.status, lastNode: last.lastNodeExecuted, error: last.error && (last.error.message || last.error), nodes: Object.keys(last.runData) },
				bot: lineBot && { id: lineBot.id, eventMode: lineBot.eventMode, queued: queue && queue.events.length },
				toCustomer: toCustomer(),
				dialogs: body.dialogs,
			}, null, 1).slice(0, 4000);
		};
		const customerWrites = async (text) => {
			const res = await app(sb, token, 'imconnector.send.messages', {
				CONNECTOR: 'webshop_chat', LINE: 1,
				MESSAGES: [{ user: { id: 'klaus', name: 'Klaus', last_name: 'Weber' }, message: { id: `m-${Date.now()}`, date: Math.floor(Date.now() / 1000), text }, chat: { id: 'order-7' } }],
			});
			expect(res.status).toBe(200);
			return res.body.result;
		};

		// 1. Tab 1, workflow "Support line": the Chatbot Fetch Trigger (no public address needed) creates an Open Channels bot
		page = await openEditor(browser, n8n, { path: '/workflow/e2eSupportLine' });
		await click(page.locator('[data-test-id="canvas-add-button"]').first());
		await type(searchBar(), 'chatbot fetch');
		await click(page.locator('[data-test-id="node-creator-item-name"]').filter({ hasText: /Chatbot Fetch/ }).first());
		const fetchEvent = page.locator('[data-test-id="node-creator"] [data-test-id="node-creator-item-name"]').filter({ hasText: /message received/i }).first();
		if (await fetchEvent.waitFor({ timeout: 5000 }).then(() => true, () => false)) await click(fetchEvent);
		try {
			await ndv().locator('[data-test-id="parameter-input-botSource"]').waitFor({ timeout: 20000 });
		} catch (error) {
			throw new Error(await dump('fetch-trigger-panel'));
		}
		await choose('botSource', 'Create on Activation');
		await fill('botCode', 'line_bot');
		await fill('botName', 'Line Bot');
		await choose('botType', 'Open Channels');
		await shot('15-line-bot-trigger', { blur: true });
		await click(ndv().locator('[data-test-id="node-execute-button"], [data-test-id="trigger-execute-button"]').first());
		const bot = await until(() => v2Bot('line_bot'), 'the Fetch Trigger to create its bot', 60000).catch(async () => {
			throw new Error(await dump('line-bot-created'));
		});
		expect(bot).toMatchObject({ type: 'openline', eventMode: 'fetch', properties: { name: 'Line Bot' } });

		// 2. Tab 2, workflow "Line set-up": Open Channels → Line → Set Welcome Bot, the line and the bot picked from lists
		const setup = await openEditor(browser, n8n, { path: '/workflow/e2eLineSetup' });
		const main = page;
		page = setup;
		await click(page.locator('[data-test-id="canvas-add-button"]').first());
		await type(searchBar(), 'welcome bot');
		await click(page.locator('[data-test-id="node-creator-item-name"]').getByText('Bitrix24 Open Channels', { exact: true }).first());
		// the first node of a workflow: n8n lists the node's triggers first, its actions folded under "Actions (48)"
		await click(await visible(page.locator('[data-test-id="node-creator"]').getByText(/^Actions \(\d+\)$/).first(), 'open-channels-actions'));
		const setAction = page.locator('[data-test-id="node-creator"]').getByText('Set the welcome bot of a line', { exact: true }).first();
		await visible(setAction, 'set-welcome-bot-action');
		await setAction.scrollIntoViewIfNeeded();
		await shot('16-set-welcome-bot-action');
		await click(setAction);
		try {
			await ndv().locator('[data-test-id="parameter-input-welcomeBotId"]').waitFor({ timeout: 20000 });
		} catch (error) {
			throw new Error(await dump('welcome-bot-panel'));
		}
		await pickFromList('line', 'Select a line...', 'Sandbox line');
		await pickFromList('welcomeBotId', 'Select a bot...', 'Line Bot');
		await click(ndv().locator('[data-test-id="node-execute-button"]').first());
		try {
			await ndv().getByText('welcomeBotEnabled').first().waitFor({ timeout: 60000 });
		} catch (error) {
			throw new Error(await dump('welcome-bot-set'));
		}
		await shot('17-welcome-bot-set');
		expect(sb.state.lines.get(1)).toMatchObject({ WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: String(bot.id) });

		// 3. The customer writes through the connector: the line gives the dialog to its welcome bot, the test run shows it
		page = main;
		await page.bringToFront();
		await customerWrites('Hello, where is my order?');
		try {
			await ndv().getByText('Hello, where is my order?').first().waitFor({ timeout: 60000 });
		} catch (error) {
			throw new Error(await dump('line-test-event'));
		}
		await shot('18-line-test-event');

		// 4. If the customer asks for a person → Hand Off to Operator; otherwise the bot answers
		await click(ndv().locator('[data-test-id="ndv-close-button"]').first());
		await ndv().waitFor({ state: 'hidden' });
		await click(page.locator('[data-test-id="canvas-handle-plus"]').first());
		await type(searchBar(), 'if');
		await click(page.locator('[data-test-id="node-creator-item-name"]').getByText('If', { exact: true }).first());
		const left = ndv().locator('[data-test-id="filter-condition-left"]').first();
		try {
			await left.waitFor({ timeout: 20000 });
		} catch (error) {
			throw new Error(await dump('if-panel'));
		}
		// one field and a yes/no check: n8n 2.41's second condition field loses text typed just before the panel closes.
		// Under load the first field can be lost on closing too (CI, load 9: the panel showed the condition, the saved
		// workflow had an empty one), so the panel is opened again to look, as a person would, and the condition entered
		// again when it is gone (at most 3 times; the look is not counted as clicks).
		const operatorSelect = ndv().locator('[data-test-id="filter-operator-select"]').first();
		const enterCondition = async () => {
			await typeInto(left, "{{ $json.text.toLowerCase().includes('operator') }}");
			await click(operatorSelect);
			await page.getByRole('menuitem', { name: /^Boolean/ }).first().hover();
			await click(page.getByRole('menuitem', { name: /^is true$/ }).first());
		};
		const conditionShown = async () => {
			const leftText = (await left.innerText().catch(() => '')).replace(/\s+/g, '');
			const operatorText = `${await operatorSelect.innerText().catch(() => '')} ${await operatorSelect.locator('input').first().inputValue().catch(() => '')}`;
			return leftText.includes("includes('operator')") && /is true/i.test(operatorText);
		};
		await enterCondition();
		await shot('19-asks-for-a-person', { blur: true });
		await click(ndv().locator('[data-test-id="ndv-close-button"]').first());
		await ndv().waitFor({ state: 'hidden' });
		for (let attempt = 1; ; attempt++) {
			await page.locator('[data-test-id="canvas-node"][data-node-name="If"]').first().dblclick();
			await left.waitFor({ timeout: 20000 });
			const kept = await until(conditionShown, 'the If condition to show', 3000).then(() => true, () => false);
			if (!kept && attempt === 3) throw new Error(await dump('if-condition'));
			if (!kept) await enterCondition();
			await ndv().locator('[data-test-id="ndv-close-button"]').first().click();
			await ndv().waitFor({ state: 'hidden' });
			if (kept) break;
		}

		// true: hand off
		await click(page.locator('[data-test-id="canvas-node-output-handle"][data-node-name="If"][data-index="0"] [data-test-id="canvas-handle-plus"]').first());
		await type(searchBar(), 'hand off');
		await click(page.locator('[data-test-id="node-creator-item-name"]').getByText('Bitrix24 Chatbot', { exact: true }).first());
		const handOff = page.locator('[data-test-id="node-creator"]').getByText('Hand a dialog from the bot to a free operator', { exact: true }).first();
		await visible(handOff, 'hand-off-action');
		await shot('20-hand-off-action');
		await click(handOff);
		try {
			await ndv().locator('[data-test-id="parameter-input-chatId"]').waitFor({ timeout: 20000 });
		} catch (error) {
			throw new Error(await dump('hand-off-panel'));
		}
		await fill('chatId', '{{ $json.dialogId }}');
		await shot('21-hand-off', { blur: true });
		await click(ndv().locator('[data-test-id="ndv-close-button"]').first());
		await ndv().waitFor({ state: 'hidden' });

		// false: the bot answers
		await click(page.locator('[data-test-id="canvas-node-output-handle"][data-node-name="If"][data-index="1"] [data-test-id="canvas-handle-plus"]').first());
		await type(searchBar(), 'Bitrix24 Chatbot');
		await click(page.locator('[data-test-id="node-creator-item-name"]').getByText('Bitrix24 Chatbot', { exact: true }).first());
		await click(page.locator('[data-test-id="node-creator"]').getByText('Send a message', { exact: true }).first());
		try {
			await ndv().locator('[data-test-id="parameter-input-target"]').waitFor({ timeout: 20000 });
		} catch (error) {
			throw new Error(await dump('line-reply-panel'));
		}
		await pickFromList('botId', 'Select a bot...', 'Line Bot');
		await choose('target', 'Reply to Trigger Event');
		await fill('text', 'Your order 7 is on its way. Write "operator" to talk to a person.');
		await click(ndv().locator('[data-test-id="ndv-close-button"]').first());
		await ndv().waitFor({ state: 'hidden' });
		await shot('22-line-workflow');

		// 5. Publish; the customer's next messages go to the published workflow
		await publish();
		const saved = await n8n.rest('GET', '/workflows/e2eSupportLine');
		const condition = (saved.data || saved).nodes.find((n) => n.name === 'If').parameters.conditions.conditions[0];
		expect(condition).toMatchObject({ leftValue: "={{ $json.text.toLowerCase().includes('operator') }}", operator: { type: 'boolean', operation: 'true' } });
		// the live trigger reads the bot's queue once published: the answer to the customer's message comes back through the connector
		await customerWrites('Where is my parcel?');
		const answered = await until(() => toCustomer().find((t) => /on its way/.test(t)), 'the bot to answer the customer through the connector', 90000).catch(async () => {
			throw new Error(`${await dump('line-answer')}\n${await lineDiagnosis()}`);
		});
		expect(answered).toContain('Write "operator" to talk to a person.');
		await customerWrites('Please, I want to talk to an operator');
		const dialog = await until(async () => {
			const { body } = await control(sb, 'openlines/sessions', undefined, 'GET');
			return body.dialogs.find((d) => d.externalChatId === 'order-7' && d.heldBy && d.heldBy.bot === false);
		}, 'the bot to hand the dialog to an operator', 90000).catch(async () => {
			throw new Error(`${await dump('hand-off-done')}\n${await lineDiagnosis()}`);
		});
		expect(dialog).toMatchObject({ connector: 'webshop_chat', line: 1, operatorId: 1, heldBy: { id: 1, bot: false } });
		// the message the test run showed is not answered again by the published workflow: one answer, to the one
		// message written after publishing (the hand-off request gets none)
		expect(toCustomer().filter((t) => /on its way/.test(t))).toHaveLength(1);

		// 6. The operator (Anna, the line's queue) answers in Bitrix24; the reply goes out to the customer's messenger
		await control(sb, 'openlines/operator-reply', { connector: 'webshop_chat', line: 1, chatId: 'order-7', text: 'Hi Klaus, Anna here. Let me check order 7.' });
		await until(() => toCustomer().find((t) => /Anna here/.test(t)), 'the operator\'s reply to reach the messenger');
		const view = await browser.newPage();
		await view.goto(`${sb.url}/sandbox/openlines/view`);
		await view.screenshot({ path: path.join(IMAGES, 'support-bot-23-operator-has-the-dialog.png') });
		await view.close();
		const texts = dialog.messages.map((m) => m.text);
		expect(texts).toEqual(expect.arrayContaining(['Hello, where is my order?', 'Where is my parcel?', 'Please, I want to talk to an operator']));
		expect(n8n.externalConnections()).toEqual([]);
	});

	test('approval: Send and Wait for Response built in the editor, the sandbox user presses Approve in the chat, the run resumes with approved: true', async () => {
		page = await openEditor(browser, n8n, { path: '/workflow/e2eApproval' });
		await click(page.locator('[data-test-id="canvas-add-button"]').first());
		await type(searchBar(), 'manual');
		await click(page.locator('[data-test-id="node-creator-item-name"]').filter({ hasText: /manually/i }).first());
		if (await ndv().isVisible().catch(() => false)) await click(ndv().locator('[data-test-id="ndv-close-button"]').first());
		// the command the Approve / Decline buttons send back into the chat (hidden: users do not see it in the command list)
		await click(page.locator('[data-test-id="canvas-handle-plus"]').first());
		await type(searchBar(), 'Bitrix24 Chatbot');
		await click(page.locator('[data-test-id="node-creator-item-name"]').getByText('Bitrix24 Chatbot', { exact: true }).first());
		await click(page.locator('[data-test-id="node-creator"]').getByText('Register a command', { exact: true }).first());
		try {
			await ndv().locator('[data-test-id="parameter-input-command"]').waitFor({ timeout: 20000 });
		} catch (error) {
			throw new Error(await dump('command-panel'));
		}
		await pickFromList('botId', 'Select a bot...', 'Support');
		await fill('command', 'answer');
		await addOption('Hidden');
		await click(ndv().locator('[data-test-id="parameter-input-hidden"]').first());
		await shot('24-answer-command', { blur: true });
		await click(ndv().locator('[data-test-id="ndv-close-button"]').first());
		await ndv().waitFor({ state: 'hidden' });

		await click(page.locator('[data-test-id="canvas-handle-plus"]').first());
		await type(searchBar(), 'approval');
		await click(page.locator('[data-test-id="node-creator-item-name"]').getByText('Bitrix24 Chatbot', { exact: true }).first());
		const action = page.locator('[data-test-id="node-creator"]').getByText('Send message and wait for response', { exact: true }).first();
		await visible(action, 'approval-action');
		await shot('11-approval-action');
		await click(action);
		try {
			await ndv().locator('[data-test-id="parameter-input-responseType"]').waitFor({ timeout: 20000 });
		} catch (error) {
			throw new Error(await dump('approval-panel'));
		}
		await pickFromList('botId', 'Select a bot...', 'Support');
		await fill('dialogId', '1');
		await fill('message', 'Refund 40 EUR for order 7?');
		await addOption('Answer In Chat With Command');
		await fill('chatCommand', 'answer');
		await shot('12-approval-node', { blur: true });
		await click(ndv().locator('[data-test-id="ndv-close-button"]').first());
		await ndv().waitFor({ state: 'hidden' });
		await click(page.locator('[data-test-id="execute-workflow-button"]').first());
		const bot = v2Bot('support_bot');
		const asked = await until(
			() => [...sb.state.messages.values()].find((m) => m.AUTHOR_ID === bot.id && /Refund 40 EUR/.test(m.MESSAGE)),
			'the approval message in the chat',
			60000,
		).catch(async () => {
			throw new Error(await dump('approval-sent'));
		});
		await shot('13-approval-waiting');
		// the sandbox user presses Approve under the message: a COMMAND button, the answer goes back into the chat
		const seen = await (await fetch(`${sb.url}/sandbox/messages/${asked.ID}`)).json();
		expect(seen.buttons.map((b) => [b.text, b.type])).toEqual([['Approve', 'command']]); // Type of Approval: Approve Only (the default)
		const res = await fetch(`${sb.url}/sandbox/messages/${asked.ID}/click`, {
			method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 1, button: 'Approve' }),
		});
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ type: 'command' });
		const [run] = await n8n.waitForExecutions('e2eApproval', { count: 1, timeoutMs: 60000 });
		const done = await n8n.getExecution(run.id);
		expect(done.outputOf('Send message and wait for response')[0].data).toMatchObject({ approved: true });
		// the editor shows the finished run: every node with its success mark
		await until(async () => (await page.locator('[data-test-id="canvas-node-status-success"]').count()) >= 3, 'the editor to show the finished run', 60000).catch(async () => {
			throw new Error(await dump('approval-shown'));
		});
		await shot('14-approval-approved');
	});
});
