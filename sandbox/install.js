'use strict';
/**
 * Local applications and their installation, as a Bitrix24 portal does it (§1.2; b24restdocs
 * settings/app-installation/installation-finish.md, settings/app-installation/local-apps/installation-callback.md,
 * settings/app-installation/local-apps/installation-master.md, local-integrations/serverside-local-app-with-no-ui.md,
 * api-reference/common/events/on-app-install.md, api-reference/widgets/_includes/widget_data.md).
 *
 * The sandbox's built-in app (CLIENT_ID, always installed) stays as it was. "Saving the local-app form" adds a
 * local app with its own client id `local.…`, secret and application token, a handler path (where the portal
 * sends the user back after /oauth/authorize/: the OAuth redirect_uri comes from the app settings, not the query)
 * and an install path (called once, right after saving):
 *
 * - "uses API only" (apiOnly, the default): the portal POSTs, server to server, form-encoded like an event:
 *   event=ONAPPINSTALL, data[VERSION|ACTIVE|INSTALLED|LANGUAGE_ID], ts, auth[access_token, refresh_token, expires,
 *   expires_in, scope, domain, server_endpoint, status, client_endpoint, member_id, user_id, application_token].
 *   No installFinish exists for such an app: the docs say it is installed at once. The sandbox is stricter: it
 *   counts the app installed when the install path answered 2xx (the handler "processed the callback"); any other
 *   answer, or none, leaves it pending (app.info INSTALLED false, no events, no OAuth) until "reinstall" succeeds.
 * - with a UI (apiOnly false): the install path is the installation wizard the admin's browser opens in a slider:
 *   a form POST with AUTH_ID, AUTH_EXPIRES, REFRESH_ID, SERVER_ENDPOINT, APPLICATION_TOKEN, APPLICATION_SCOPE,
 *   member_id, status, PLACEMENT=DEFAULT, PLACEMENT_OPTIONS, DOMAIN, PROTOCOL, LANG, APP_SID. The app stays pending
 *   until the page calls BX24.installFinish() (here: POST /sandbox/apps/:clientId/install-finish); then ONAPPINSTALL
 *   goes to the handlers the app bound for it (event.bind during the wizard).
 *
 * Control endpoints (JSON): POST /sandbox/apps {handlerUrl, installUrl, apiOnly?, scope?, name?},
 * GET /sandbox/apps, GET /sandbox/apps/:clientId, POST /sandbox/apps/:clientId/reinstall,
 * POST /sandbox/apps/:clientId/install-finish, DELETE /sandbox/apps/:clientId.
 */
const crypto = require('crypto');
const http = require('http');
const https = require('https');
const { buildPhpQuery } = require('./phpQuery');

const INSTALL_TIMEOUT_MS = 10000;

function apps(portal) {
	if (!portal.localApps) portal.localApps = new Map();
	return portal.localApps;
}

/** The built-in app or a local app by client id, or undefined. */
function findApp(portal, clientId) {
	if (clientId === undefined || clientId === null) return undefined;
	if (clientId === portal.clientId) {
		return { clientId: portal.clientId, clientSecret: portal.clientSecret, applicationToken: portal.applicationToken, status: 'installed', builtIn: true };
	}
	return apps(portal).get(String(clientId));
}

function isLocalApp(portal, clientId) {
	return clientId !== portal.clientId && apps(portal).has(String(clientId));
}

/** Installed? The built-in app always; clients the sandbox does not know (test-made tokens) too, as before. */
function isInstalled(portal, clientId) {
	const app = isLocalApp(portal, clientId) ? apps(portal).get(String(clientId)) : null;
	return !app || app.status === 'installed';
}

function publicApp(app) {
	return {
		clientId: app.clientId,
		clientSecret: app.clientSecret,
		applicationToken: app.applicationToken,
		name: app.name,
		handlerUrl: app.handlerUrl,
		installUrl: app.installUrl,
		apiOnly: app.apiOnly,
		scope: app.scope,
		status: app.status,
		installed: app.status === 'installed',
		installRequests: app.installRequests.slice(-10),
	};
}

function fail(status, message) {
	return { status, body: { error: status === 404 ? 'NOT_FOUND' : 'INVALID_REQUEST', error_description: message } };
}

function post(url, body) {
	return new Promise((resolve) => {
		let target;
		try {
			target = new URL(url);
		} catch {
			resolve({ status: 0, body: 'invalid install URL' });
			return;
		}
		const lib = target.protocol === 'https:' ? https : http;
		const req = lib.request(
			target,
			{
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), 'user-agent': 'Bitrix24 Sandbox Webhook Engine' },
				timeout: INSTALL_TIMEOUT_MS,
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk) => {
					if (text.length < 8000) text += chunk;
				});
				res.on('end', () => resolve({ status: res.statusCode, body: text.slice(0, 8000), contentType: String(res.headers['content-type'] || '') }));
				res.on('error', (e) => resolve({ status: res.statusCode || 0, body: String(e.message) }));
			},
		);
		req.on('timeout', () => req.destroy(new Error('install handler timed out')));
		req.on('error', (e) => resolve({ status: 0, body: String(e.message) }));
		req.end(body);
	});
}

/** The first token pair of the installing admin (user 1), issued for the app. */
function installerTokens(portal, app) {
	const { issueTokens } = require('./oauth');
	return issueTokens(portal, { userId: 1, clientId: app.clientId });
}

/** The install request's body (see the header comment) for an API-only app or a UI app's wizard. */
function installRequestBody(portal, app) {
	const t = installerTokens(portal, app);
	if (app.apiOnly) {
		return buildPhpQuery({
			event: 'ONAPPINSTALL',
			data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'en' },
			ts: Math.floor(Date.now() / 1000),
			auth: {
				access_token: t.access_token,
				expires: t.expires,
				expires_in: t.expires_in,
				scope: app.scope,
				domain: portal.host,
				server_endpoint: t.server_endpoint,
				status: 'L',
				client_endpoint: t.client_endpoint,
				member_id: portal.memberId,
				user_id: 1,
				refresh_token: t.refresh_token,
				application_token: app.applicationToken,
			},
		});
	}
	return buildPhpQuery({
		DOMAIN: portal.host,
		PROTOCOL: '0',
		LANG: 'en',
		APP_SID: crypto.randomBytes(16).toString('hex'),
		AUTH_ID: t.access_token,
		AUTH_EXPIRES: t.expires_in,
		REFRESH_ID: t.refresh_token,
		SERVER_ENDPOINT: t.server_endpoint,
		APPLICATION_TOKEN: app.applicationToken,
		APPLICATION_SCOPE: app.scope,
		member_id: portal.memberId,
		status: 'L',
		PLACEMENT: 'DEFAULT',
		PLACEMENT_OPTIONS: '{}',
	});
}

/** Sends the install request; an API-only app is installed when it is answered 2xx. */
async function sendInstallRequest(portal, app) {
	const started = Date.now();
	const r = await post(app.installUrl, installRequestBody(portal, app));
	const ok = r.status >= 200 && r.status < 300;
	const record = { kind: app.apiOnly ? 'ONAPPINSTALL' : 'wizard', url: app.installUrl, status: r.status, body: r.body, contentType: r.contentType || '', time: new Date(started).toISOString() };
	app.installRequests.push(record);
	if (app.apiOnly && ok) app.status = 'installed';
	return record;
}

/** "Saving the local-app form": a new app, then its install request. Returns { app, install }. */
async function addLocalApp(portal, body = {}) {
	for (const key of ['handlerUrl', 'installUrl']) {
		if (!body[key] || !/^https?:\/\//i.test(String(body[key]))) return fail(400, `${key} (an http(s) URL) is required`);
	}
	const { SCOPE } = require('./oauth');
	const app = {
		clientId: `local.${crypto.randomBytes(7).toString('hex')}.${String(crypto.randomInt(10000000, 99999999))}`,
		clientSecret: crypto.randomBytes(24).toString('base64url').slice(0, 50),
		applicationToken: crypto.randomBytes(16).toString('hex'),
		name: String(body.name || 'n8n'),
		handlerUrl: String(body.handlerUrl),
		installUrl: String(body.installUrl),
		apiOnly: body.apiOnly === undefined ? true : Boolean(body.apiOnly),
		scope: String(body.scope || SCOPE),
		status: 'pending',
		installRequests: [],
	};
	apps(portal).set(app.clientId, app);
	const install = await sendInstallRequest(portal, app);
	return { status: 200, body: { app: publicApp(app), install } };
}

/** BX24.installFinish() from the wizard page: UI apps only; then ONAPPINSTALL to the app's bound handlers. */
async function installFinish(portal, app) {
	if (app.apiOnly) {
		return fail(400, 'BX24.installFinish() does nothing for an "uses API only" app: it is installed by its install request (installation-callback.md)');
	}
	if (app.status === 'installed') return { status: 200, body: { app: publicApp(app), deliveries: [] } };
	app.status = 'installed';
	const { fireAppEvent } = require('./events');
	const deliveries = await fireAppEvent(portal, {
		event: 'ONAPPINSTALL',
		clientId: app.clientId,
		data: { VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'en' },
		applicationToken: app.applicationToken,
	});
	return { status: 200, body: { app: publicApp(app), deliveries } };
}

/** /sandbox/apps…: returns { status, body } or null when the path is not one of these. */
async function handleAppsControl(portal, verb, path, readJson) {
	if (path === '/sandbox/apps') {
		if (verb === 'GET') return { status: 200, body: { apps: [...apps(portal).values()].map(publicApp) } };
		if (verb === 'POST') return addLocalApp(portal, await readJson());
		return null;
	}
	const m = /^\/sandbox\/apps\/([^/]+)(?:\/([a-z-]+))?$/.exec(path);
	if (!m) return null;
	const app = apps(portal).get(decodeURIComponent(m[1]));
	if (!app) return fail(404, `no local app ${decodeURIComponent(m[1])}`);
	const action = m[2];
	if (!action && verb === 'GET') return { status: 200, body: { app: publicApp(app) } };
	if (!action && verb === 'DELETE') {
		apps(portal).delete(app.clientId);
		// handlers are removed with the app (§1.9)
		portal.state.eventHandlers = portal.state.eventHandlers.filter((h) => h.clientId !== app.clientId);
		return { status: 200, body: { ok: true } };
	}
	if (action === 'reinstall' && verb === 'POST') {
		if (app.status !== 'installed' || app.apiOnly) app.status = 'pending';
		const install = await sendInstallRequest(portal, app);
		return { status: 200, body: { app: publicApp(app), install } };
	}
	if (action === 'install-finish' && verb === 'POST') return installFinish(portal, app);
	return null;
}

module.exports = { findApp, isLocalApp, isInstalled, addLocalApp, installFinish, sendInstallRequest, handleAppsControl, publicApp };
