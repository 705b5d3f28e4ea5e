'use strict';
// Proves the browser groundwork: Debian's headless Chromium + playwright-core open the real n8n editor,
// complete the owner set-up, show the workflows home, and nothing leaves 127.0.0.1.
// Needs `apt-get install -y chromium`; set E2E_SKIP_BROWSER=1 to skip on a machine without it.

const fs = require('node:fs');
const { N8nInstance, packageBuildStatus } = require('./lib/n8n');
const { launchBrowser, openEditor } = require('./lib/browser');
const { manualSetWorkflow } = require('./fixtures/core-workflows');

const maybe = process.env.E2E_SKIP_BROWSER === '1' ? describe.skip : describe;
const withOurPackage = packageBuildStatus().built;

/** Manual Trigger → our two action nodes, parameters left at their defaults. */
const ourNodesWorkflow = {
	id: 'e2eEditorOurs',
	name: 'E2E our nodes',
	nodes: [
		{ id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		{ id: 'o', name: 'Bitrix24 Open Channels', type: 'n8n-nodes-bitrix24-chat.bitrix24OpenChannels', typeVersion: 1, position: [220, 0], parameters: {} },
		{ id: 'c', name: 'Bitrix24 Chatbot', type: 'n8n-nodes-bitrix24-chat.bitrix24Chatbot', typeVersion: 1, position: [440, 0], parameters: {} },
	],
	connections: {
		Manual: { main: [[{ node: 'Bitrix24 Open Channels', type: 'main', index: 0 }]] },
		'Bitrix24 Open Channels': { main: [[{ node: 'Bitrix24 Chatbot', type: 'main', index: 0 }]] },
	},
};

maybe('n8n editor in headless Chromium', () => {
	let n8n;
	let browser;

	beforeAll(async () => {
		n8n = await N8nInstance.create({ installPackage: withOurPackage });
		await n8n.importWorkflow(manualSetWorkflow('e2eEditorWf'));
		if (withOurPackage) await n8n.importWorkflow(ourNodesWorkflow);
		await n8n.start();
		browser = await launchBrowser();
	});

	afterAll(async () => {
		if (browser) await browser.close();
		if (n8n) await n8n.cleanup();
	});

	test('completes the owner set-up, lists the imported workflow and opens it', async () => {
		const page = await openEditor(browser, n8n);
		expect(new URL(page.url()).pathname).toBe('/home/workflows');
		await page.getByText('E2E Manual → Set').first().waitFor();
		const home = await browser.screenshot(page, 'editor-home');
		expect(fs.statSync(home).size).toBeGreaterThan(10000);

		await page.goto(`${n8n.baseUrl}/workflow/e2eEditorWf`, { waitUntil: 'domcontentloaded' });
		await page.locator('[data-test-id="canvas-node"]').first().waitFor();
		expect(await page.locator('[data-test-id="canvas-node"]').count()).toBe(2);
		await browser.screenshot(page, 'editor-workflow');

		expect(browser.blockedRequests).toEqual([]);
		expect(n8n.externalConnections()).toEqual([]);
	});

	(withOurPackage ? test : test.skip)('our action nodes render on the canvas and open their parameters', async () => {
		const page = await openEditor(browser, n8n, { path: `/workflow/${ourNodesWorkflow.id}` });
		const canvasNodes = page.locator('[data-test-id="canvas-node"]');
		await canvasNodes.first().waitFor();
		expect(await canvasNodes.count()).toBe(3);
		await browser.screenshot(page, 'editor-our-nodes');

		await canvasNodes.nth(1).dblclick();
		const ndv = page.locator('[data-test-id="ndv"]').first();
		await ndv.waitFor();
		await page.getByText('Resource', { exact: true }).first().waitFor();
		await browser.screenshot(page, 'editor-open-channels-parameters');

		expect(browser.blockedRequests).toEqual([]);
		expect(n8n.externalConnections()).toEqual([]);
	});
});
