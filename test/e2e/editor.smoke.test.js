'use strict';
// Proves the browser groundwork: Debian's headless Chromium + playwright-core open the real n8n editor,
// complete the owner set-up, show the workflows home, and nothing leaves 127.0.0.1.
// Needs `apt-get install -y chromium`; set E2E_SKIP_BROWSER=1 to skip on a machine without it.

const fs = require('node:fs');
const { N8nInstance } = require('./lib/n8n');
const { launchBrowser, openEditor } = require('./lib/browser');
const { manualSetWorkflow } = require('./fixtures/core-workflows');

const maybe = process.env.E2E_SKIP_BROWSER === '1' ? describe.skip : describe;

maybe('n8n editor in headless Chromium', () => {
	let n8n;
	let browser;

	beforeAll(async () => {
		n8n = await N8nInstance.create({ installPackage: false });
		await n8n.importWorkflow(manualSetWorkflow('e2eEditorWf'));
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
});
