'use strict';
// Headless Chromium (Debian's `chromium` package, never a Playwright-downloaded browser) driven with
// playwright-core, for checks and screenshots of the n8n editor.
//
//   const { launchBrowser, openEditor } = require('./lib/browser');
//   const browser = await launchBrowser();
//   const page = await openEditor(browser, n8n);          // owner setup / sign-in done if shown
//   await browser.screenshot(page, 'editor-home');        // → test-results/editor-home.png
//   await browser.close();

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO_ROOT } = require('./install');

const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
	'--disable-quic',
	'--disable-dev-shm-usage',
	'--disable-features=Translate,OptimizationHints,MediaRouter',
	'--metrics-recording-only',
	'--no-default-browser-check',
];

/** Path of the Chromium binary: $CHROMIUM_PATH, else Debian's real binary, else the wrapper script. */
function chromiumPath() {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'];
	const found = candidates.find((p) => p && fs.existsSync(p));
	if (!found) {
		throw new Error('Chromium not found: `apt-get install -y chromium` (Debian) or set CHROMIUM_PATH');
	}
	return found;
}

/** The Chromium binary if one is installed, else undefined (no throw). */
function findChromium() {
	try {
		return chromiumPath();
	} catch {
		return undefined;
	}
}

/**
 * Makes sure Debian's `chromium` is installed: when no binary is found, runs `apt-get install -y chromium`
 * (as root, or through `sudo -n` when that works without a password; non-interactive), and only if that fails
 * `apt-get update` and the install again. Returns { ok, path, installedNow, reason }. Never throws: the caller
 * decides what a missing browser means (run.js then skips the browser tests with a loud message).
 */
function ensureChromium({ log = (msg) => process.stderr.write(`[e2e chromium] ${msg}\n`), timeoutMs = 10 * 60 * 1000 } = {}) {
	const found = findChromium();
	if (found) return { ok: true, path: found, installedNow: false };
	const { spawnSync } = require('node:child_process');
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	let prefix = [];
	if (!isRoot) {
		const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
		if (sudo.error || sudo.status !== 0) {
			return { ok: false, reason: 'Chromium is missing and this user is neither root nor allowed `sudo -n`: cannot run apt-get' };
		}
		prefix = ['sudo', '-n'];
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const aptGet = (args) => {
		const argv = [...prefix, 'apt-get', ...args];
		log(`running: ${argv.join(' ')}`);
		const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'], env, timeout: timeoutMs });
		return !r.error && r.status === 0;
	};
	const install = ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', 'chromium'];
	let installed = aptGet(install);
	if (!installed) {
		log('plain install failed: apt-get update, then install again');
		installed = aptGet(['-o', 'DPkg::Lock::Timeout=300', 'update']) && aptGet(install);
	}
	const after = findChromium();
	if (after) return { ok: true, path: after, installedNow: true };
	return { ok: false, reason: installed ? 'apt-get finished but no chromium binary was found' : 'apt-get install -y chromium failed' };
}

function loadPlaywright() {
	try {
		return require(path.join(REPO_ROOT, 'node_modules', 'playwright-core'));
	} catch (err) {
		throw new Error(`playwright-core is not installed (npm install in ${REPO_ROOT}): ${err.message}`);
	}
}

/**
 * Launches headless Chromium with a fresh --user-data-dir. Returns { context, newPage, screenshot, close,
 * userDataDir }. Only requests to 127.0.0.1/localhost are allowed; anything else is aborted (and listed
 * in `blockedRequests`) so the editor stays offline.
 */
async function launchBrowser({ viewport = { width: 1440, height: 900 }, allowExternal = false } = {}) {
	const { chromium } = loadPlaywright();
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-e2e-chromium-'));
	// Playwright refuses --user-data-dir in args: a persistent context is how it takes one.
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: chromiumPath(),
		headless: true,
		args: CHROMIUM_FLAGS.filter((f) => f !== '--headless'), // Playwright adds its own headless flag
		viewport,
		ignoreDefaultArgs: ['--enable-automation'],
		env: { ...process.env, GOOGLE_API_KEY: 'no', GOOGLE_DEFAULT_CLIENT_ID: 'no', GOOGLE_DEFAULT_CLIENT_SECRET: 'no' },
	});
	const blockedRequests = [];
	const consoleErrors = [];
	if (!allowExternal) {
		await context.route('**/*', (route) => {
			const url = new URL(route.request().url());
			if (['127.0.0.1', 'localhost'].includes(url.hostname) || ['data:', 'blob:'].includes(url.protocol)) {
				return route.continue();
			}
			blockedRequests.push(route.request().url());
			return route.abort();
		});
	}
	context.on('console', (msg) => {
		if (msg.type() === 'error') consoleErrors.push(msg.text());
	});

	return {
		context,
		userDataDir,
		blockedRequests,
		consoleErrors,
		async newPage() {
			const existing = context.pages();
			return existing.length === 1 && existing[0].url() === 'about:blank' ? existing[0] : context.newPage();
		},
		/** Saves a full-page PNG into test-results/<name>.png and returns its path. */
		async screenshot(page, name) {
			fs.mkdirSync(RESULTS_DIR, { recursive: true });
			const file = path.join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '-')}.png`);
			await page.screenshot({ path: file, fullPage: true });
			return file;
		},
		async close() {
			await context.close().catch(() => {});
			fs.rmSync(userDataDir, { recursive: true, force: true });
		},
	};
}

/**
 * Opens the n8n editor at `/` of a started N8nInstance. If n8n shows the owner set-up form, fills it
 * with the instance's owner; if it shows sign-in, signs in; then opens `path` (default: stays on the
 * workflows home). Resolves the page.
 */
async function openEditor(browser, n8n, { path: urlPath = '/', timeoutMs = 60000 } = {}) {
	const page = await browser.newPage();
	page.setDefaultTimeout(timeoutMs);
	// Always start at `/`: a deep link would match before n8n redirects it to /setup or /signin.
	await page.goto(`${n8n.baseUrl}/`, { waitUntil: 'domcontentloaded' });
	await page.waitForURL((u) => /^\/(setup|signin|home)/.test(u.pathname), { timeout: timeoutMs });

	if (/\/setup/.test(page.url())) {
		await page.locator('input[name="email"]').fill(n8n.owner.email);
		await page.locator('input[name="firstName"]').fill(n8n.owner.firstName);
		await page.locator('input[name="lastName"]').fill(n8n.owner.lastName);
		await page.locator('input[name="password"]').fill(n8n.owner.password);
		await page.locator('[data-test-id="form-submit-button"]').click();
		await page.waitForURL((u) => !/\/setup/.test(u.pathname), { timeout: timeoutMs });
	}
	if (/\/signin/.test(page.url())) {
		await page.locator('input[name="emailOrLdapLoginId"], input[name="email"]').first().fill(n8n.owner.email);
		await page.locator('input[name="password"]').fill(n8n.owner.password);
		await page.locator('[data-test-id="form-submit-button"]').click();
		await page.waitForURL((u) => !/\/signin/.test(u.pathname), { timeout: timeoutMs });
	}
	if (urlPath !== '/') await page.goto(`${n8n.baseUrl}${urlPath}`, { waitUntil: 'domcontentloaded' });
	await page.waitForLoadState('networkidle').catch(() => {});
	return page;
}

module.exports = { launchBrowser, openEditor, chromiumPath, findChromium, ensureChromium, CHROMIUM_FLAGS, RESULTS_DIR };
