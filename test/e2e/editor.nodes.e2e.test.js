'use strict';
// The n8n editor in headless Chromium, as a user adds our nodes: search "Bitrix24" in the node panel, pick an
// action of each action node, and check the node's panel shows the credential choice (both credential types) and
// the resource and operation dropdowns with our options; a new Open Channels Trigger opens on OAuth2. Screenshots go to test-results/ (git-ignored).
// Needs Debian's chromium (run.js installs it, or skips this file loudly with E2E_SKIP_BROWSER=1).

const fs = require('node:fs');
const path = require('node:path');
const { N8nInstance, packageBuildStatus, defaultPackageRoot } = require('./lib/n8n');
const { launchBrowser, openEditor } = require('./lib/browser');

const skipBrowser = process.env.E2E_SKIP_BROWSER === '1';
const maybe = skipBrowser ? describe.skip : describe;
if (skipBrowser) {
	// eslint-disable-next-line no-console
	console.warn('editor.nodes e2e SKIPPED: E2E_SKIP_BROWSER=1 (no Chromium) — the editor is not checked in this run');
}
const status = packageBuildStatus();
if (!status.built) throw new Error(`editor.nodes e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const CREDENTIALS = [
	{ id: 'uiOAuth', name: 'Bitrix24 OAuth2 (UI)', type: 'bitrix24OAuth2Api', data: { portalUrl: 'http://127.0.0.1:9', clientId: 'local.ui', clientSecret: 'ui-secret', accessTokenUrl: 'http://127.0.0.1:9/oauth/token/' } },
	{ id: 'uiHook', name: 'Bitrix24 Webhook (UI)', type: 'bitrix24WebhookApi', data: { webhookSecret: 'http://127.0.0.1:9/rest/1/uicode/' } },
];

maybe('our action nodes added from the node panel of the n8n editor', () => {
	let n8n;
	let browser;
	let page;

	beforeAll(async () => {
		n8n = await N8nInstance.create();
		await n8n.importCredentials(CREDENTIALS);
		await n8n.importWorkflow({
			id: 'e2eEditorAdd',
			name: 'E2E add our nodes',
			nodes: [{ id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
			connections: {},
		});
		await n8n.importWorkflow({ id: 'e2eEditorTrigger', name: 'E2E add a trigger', nodes: [], connections: {} });
		await n8n.start();
		browser = await launchBrowser();
		page = await openEditor(browser, n8n, { path: '/workflow/e2eEditorAdd' });
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	});

	afterAll(async () => {
		if (browser) await browser.close();
		if (n8n) await n8n.cleanup();
	});

	const OPEN_DROPDOWN = '.el-select-dropdown:visible';

	/** The texts of the options of the dropdown that is open now. */
	async function openOptions() {
		const options = page.locator(`${OPEN_DROPDOWN} .el-select-dropdown__item`);
		await options.first().waitFor();
		return [...new Set((await options.allInnerTexts()).map((t) => t.split('\n')[0].trim()).filter(Boolean))];
	}

	/** Closes the open dropdown and waits until none is shown (so the next read sees only its own options). */
	async function closeDropdown() {
		await page.keyboard.press('Escape');
		for (let i = 0; i < 50 && (await page.locator(OPEN_DROPDOWN).count()) > 0; i++) await page.waitForTimeout(100);
		expect(await page.locator(OPEN_DROPDOWN).count()).toBe(0);
	}

	/**
	 * What the built node declares for a node added fresh in the editor (its default version, the default
	 * authentication): the Resource option names and the Operation option names of one resource — the editor
	 * must show exactly these (the node's menus change with the lead's work; the editor's rendering is checked).
	 */
	function declared(nodeDir, resource) {
		const mod = require(path.join(defaultPackageRoot(), 'dist', 'nodes', nodeDir, `${nodeDir}.node.js`));
		const node = new (Object.values(mod)[0])();
		const desc = node.nodeVersions ? node.nodeVersions[node.description.defaultVersion].description : node.description;
		const authProp = desc.properties.find((p) => p.name === 'authentication');
		const authentication = authProp && authProp.default;
		const shows = (p, key, value) => {
			const show = p.displayOptions && p.displayOptions.show;
			return !show || !show[key] || show[key].includes(value);
		};
		const resourceProp = desc.properties.find((p) => p.name === 'resource' && shows(p, 'authentication', authentication));
		const operationProp = desc.properties.find(
			(p) => p.name === 'operation' && shows(p, 'authentication', authentication) && shows(p, 'resource', resource),
		);
		return { resources: resourceProp.options.map((o) => o.name), operations: operationProp.options.map((o) => o.name) };
	}

	async function addFromPanel(nodeName, action, shot) {
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
		await search.fill('Bitrix24');
		const names = page.locator('[data-test-id="node-creator-item-name"]');
		await names.filter({ hasText: nodeName }).first().waitFor();
		const found = await names.allInnerTexts();
		await browser.screenshot(page, `${shot}-1-search`);
		await names.filter({ hasText: nodeName }).first().click();
		await page.locator('[data-test-id="node-creator"]').getByText(action, { exact: true }).waitFor();
		await browser.screenshot(page, `${shot}-2-actions`);
		await page.locator('[data-test-id="node-creator"]').getByText(action, { exact: true }).click();
		await page.locator('[data-test-id="ndv"]').first().waitFor();
		await page.locator('[data-test-id="parameter-input-operation"]').waitFor();
		return found;
	}

	async function inspectPanel(shot) {
		const ndv = page.locator('[data-test-id="ndv"]').first();
		const value = async (testId) => (await ndv.locator(`[data-test-id="${testId}"] input`).first().inputValue()).trim();
		const shown = { resource: await value('parameter-input-resource'), operation: await value('parameter-input-operation') };
		await browser.screenshot(page, `${shot}-3-parameters`);

		await ndv.locator('[data-test-id="node-credentials-select"]').click();
		shown.credentialOptions = await openOptions();
		await browser.screenshot(page, `${shot}-4-credentials`);
		await closeDropdown();

		await ndv.locator('[data-test-id="parameter-input-resource"]').click();
		shown.resourceOptions = await openOptions();
		await closeDropdown();

		await ndv.locator('[data-test-id="parameter-input-operation"]').click();
		shown.operationOptions = await openOptions();
		await browser.screenshot(page, `${shot}-5-operations`);
		await closeDropdown();

		await ndv.locator('[data-test-id="ndv-close-button"]').click();
		await ndv.waitFor({ state: 'hidden' });
		return shown;
	}

	test('Bitrix24 Open Channels: found by search, action "Send a customer message into a line"', async () => {
		const found = await addFromPanel('Bitrix24 Open Channels', 'Send a customer message into a line', 'editor-open-channels');
		expect(found).toEqual(expect.arrayContaining(['Bitrix24 Chatbot', 'Bitrix24 Open Channels']));
		const shown = await inspectPanel('editor-open-channels');
		// The action picked in the panel must survive n8n pre-selecting the newest credential (here the webhook one).
		// (Fails since main's fe5407e: with the webhook credential the Message resource is not offered, so the new
		// node falls back to resource Line — the user's pick is lost. Reported to the lead; not hidden here.)
		expect(shown.resource).toBe('Message');
		expect(shown.operation).toBe('Send');
		// (n8n itself adds "Custom API Call" to nodes whose credentials it can use in the HTTP Request node)
		const wanted = declared('Bitrix24OpenChannels', 'message');
		expect(wanted.operations).toContain('Send');
		expect(shown.resourceOptions.filter((o) => o !== 'Custom API Call')).toEqual(wanted.resources);
		expect(shown.operationOptions.filter((o) => o !== 'Custom API Call')).toEqual(wanted.operations);
		expect(shown.credentialOptions).toEqual(expect.arrayContaining(['Bitrix24 OAuth2 (UI)', 'Bitrix24 Webhook (UI)']));
	});

	test('Bitrix24 Chatbot: found by search, action "Send a message"', async () => {
		await addFromPanel('Bitrix24 Chatbot', 'Send a message', 'editor-chatbot');
		const shown = await inspectPanel('editor-chatbot');
		expect(shown.resource).toBe('Message');
		expect(shown.operation).toBe('Send');
		const wanted = declared('Bitrix24Chatbot', 'message');
		expect(wanted.operations).toContain('Send');
		expect(shown.resourceOptions.filter((o) => o !== 'Custom API Call')).toEqual(wanted.resources);
		expect(shown.operationOptions.filter((o) => o !== 'Custom API Call')).toEqual(wanted.operations);
		expect(shown.credentialOptions).toEqual(expect.arrayContaining(['Bitrix24 OAuth2 (UI)', 'Bitrix24 Webhook (UI)']));

		// both nodes are on the canvas now
		const canvasNodes = page.locator('[data-test-id="canvas-node"]');
		expect(await canvasNodes.count()).toBe(3);
		const file = await browser.screenshot(page, 'editor-both-nodes-added');
		expect(fs.statSync(file).size).toBeGreaterThan(10000);
		// the editor's own look-up of the community package on npm (node details "Via npm") is the only request that
		// tried to leave 127.0.0.1 (aborted by the harness); nothing of ours calls out
		expect(browser.blockedRequests.filter((u) => !u.startsWith('https://registry.npmjs.org/n8n-nodes-bitrix24-chat'))).toEqual([]);
		expect(n8n.externalConnections()).toEqual([]);
	});

	test('Bitrix24 Open Channels Trigger as the running n8n serves it to the editor: only OAuth2 (issue 13.2)', async () => {
		const { nodeDescriptions } = await n8n.loadedNodeTypes();
		const trigger = [].concat(nodeDescriptions || []).find((d) => d.name === 'n8n-nodes-bitrix24-chat.bitrix24OpenChannelsTrigger');
		expect(trigger).toBeDefined();
		expect(trigger.credentials.map((c) => c.name)).toEqual(['bitrix24OAuth2Api']);
		const auth = trigger.properties.find((p) => p.name === 'authentication');
		expect(auth.default).toBe('oAuth2');
		expect(auth.options.map((o) => o.value)).toEqual(['oAuth2']);
	});

	test('Bitrix24 Open Channels Trigger: a new node opens on OAuth2 and offers only the OAuth2 credential (issue 13.2)', async () => {
		// a workflow without a trigger, in a page of its own: its "add first step" opens the trigger panel
		page = await openEditor(browser, n8n, { path: '/workflow/e2eEditorTrigger' });
		// wide enough for the node creator's second panel (on 2.0.3 it sticks out of a 1440-pixel viewport)
		await page.setViewportSize({ width: 1920, height: 1000 });
		await page.locator('[data-test-id="canvas-add-button"]').first().click();
		const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[data-test-id="node-creator-search-bar"]').first();
		await search.fill('Bitrix24 Open Channels Trigger');
		await browser.screenshot(page, 'editor-open-channels-trigger-0-search');
		// the trigger panel names triggers without the word "Trigger"
		const item = page.locator('[data-test-id="node-creator-item-name"]').getByText('Bitrix24 Open Channels', { exact: true }).first();
		await item.waitFor();
		await item.click();
		// n8n lists a trigger's events as actions ("On …"): pick the first, as a user would
		const event = page.locator('[data-test-id="node-creator"]').getByText('On operator message sent', { exact: true }).first();
		await event.waitFor();
		await page.waitForTimeout(1000); // the panel slides in
		await browser.screenshot(page, 'editor-open-channels-trigger-0-events');
		await event.click();
		const ndv = page.locator('[data-test-id="ndv"]').first();
		try {
			await ndv.locator('[data-test-id="node-credentials-select"]').waitFor({ timeout: 20000 });
		} catch (error) {
			await browser.screenshot(page, 'editor-open-channels-trigger-1-failed');
			const shown = (await ndv.count()) ? await ndv.innerText() : `no NDV; page: ${(await page.locator('body').innerText()).slice(0, 1500)}`;
			throw new Error(`no credential picker in the trigger's panel: ${shown.slice(0, 1500)}`);
		}
		await browser.screenshot(page, 'editor-open-channels-trigger-1-parameters');
		// the OAuth2 credential picker, and the newest credential (the webhook one) is not pre-selected, since this
		// trigger does not declare that type; an Authentication dropdown, if n8n shows one, says OAuth2
		const auth = ndv.locator('[data-test-id="parameter-input-authentication"] input');
		if (await auth.count()) expect((await auth.first().inputValue()).trim()).toBe('OAuth2 (Application)');
		expect((await ndv.locator('[data-test-id="node-credentials-select"] input').first().inputValue()).trim()).toBe('Bitrix24 OAuth2 (UI)');
		await ndv.locator('[data-test-id="node-credentials-select"]').click();
		expect(await openOptions()).toEqual(expect.arrayContaining(['Bitrix24 OAuth2 (UI)']));
		expect(await openOptions()).not.toContain('Bitrix24 Webhook (UI)');
		await browser.screenshot(page, 'editor-open-channels-trigger-2-credentials');
		await closeDropdown();
		expect(await ndv.getByText('saved with the Incoming Webhook credential').count()).toBe(0);
	});
});
