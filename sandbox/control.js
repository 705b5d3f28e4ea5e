'use strict';
/**
 * /sandbox/* : sandbox-only endpoints (JSON in/out), separate from /rest/.
 * Log, state, reset, config, token expiry, and the portal-side triggers of events.
 */
const { readBody, sendJson } = require('./http');
const { dumpState } = require('./state');
const { expireAllAccessTokens, scheduleExpiryRace } = require('./oauth');
const openlines = require('./triggers/openlines');
const bots = require('./triggers/bots');
const botsV2 = require('./methods/imbotV2/triggers');
const { SandboxError } = require('./triggers/errors');
const { handleAppsControl } = require('./install');
const { handleKeyboard } = require('./triggers/keyboard');

async function jsonBody(req) {
	const text = await readBody(req);
	if (!text) return {};
	try {
		const v = JSON.parse(text);
		return v && typeof v === 'object' ? v : {};
	} catch {
		throw new SandboxError(400, 'body must be JSON');
	}
}

async function handleControl(portal, req, res, url) {
	const path = url.pathname.replace(/\/+$/, '');
	const verb = req.method;
	try {
		if (path === '/sandbox/log' && verb === 'GET') return sendJson(res, 200, { entries: portal.log.entries });
		if (path === '/sandbox/log' && verb === 'DELETE') {
			portal.log.clear();
			return sendJson(res, 200, { ok: true });
		}
		if (path === '/sandbox/deliveries' && verb === 'GET') return sendJson(res, 200, { deliveries: portal.deliveries });
		if (path === '/sandbox/deliveries' && verb === 'DELETE') {
			portal.deliveries.length = 0;
			return sendJson(res, 200, { ok: true });
		}
		if (path === '/sandbox/state' && verb === 'GET') return sendJson(res, 200, dumpState(portal.state));
		if (path === '/sandbox/reset' && verb === 'POST') {
			const body = await jsonBody(req);
			portal.reset({ tokens: Boolean(body.tokens) });
			return sendJson(res, 200, { ok: true });
		}
		if (path === '/sandbox/config' && verb === 'GET') return sendJson(res, 200, portal.publicConfig());
		if (path === '/sandbox/config' && verb === 'POST') {
			const body = await jsonBody(req);
			try {
				portal.configure(body);
			} catch (e) {
				throw new SandboxError(400, e.message);
			}
			return sendJson(res, 200, portal.publicConfig());
		}
		if (path === '/sandbox/oauth/expire-tokens' && verb === 'POST') return sendJson(res, 200, { expired: expireAllAccessTokens(portal) });
		if (path === '/sandbox/oauth/expiry-race' && verb === 'POST') {
			const body = await jsonBody(req);
			scheduleExpiryRace(portal, { callers: Number(body.callers) || 3, timeoutMs: Number(body.timeoutMs) || 60000 });
			return sendJson(res, 200, { ok: true });
		}
		const apps = await handleAppsControl(portal, verb, path, () => jsonBody(req));
		if (apps) return sendJson(res, apps.status, apps.body);
		const keyboard = await handleKeyboard(portal, verb, path, () => jsonBody(req));
		if (keyboard) return sendJson(res, 200, keyboard);
		if (path === '/sandbox/openlines/sessions' && verb === 'GET') return sendJson(res, 200, openlines.sessionsView(portal));
		if (path === '/sandbox/openlines/view' && verb === 'GET') {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			return res.end(openlines.sessionsPage(portal));
		}
		let m = /^\/sandbox\/openlines\/([a-z-]+)$/.exec(path);
		if (m && verb === 'POST' && openlines[m[1]]) return sendJson(res, 200, await openlines[m[1]](portal, await jsonBody(req)));
		m = /^\/sandbox\/bots\/(\d+)\/([a-z-]+)$/.exec(path);
		if (m && verb === 'POST' && bots[m[2]]) return sendJson(res, 200, await bots[m[2]](portal, m[1], await jsonBody(req)));
		m = /^\/sandbox\/v2\/bots\/(\d+)\/([a-z-]+)$/.exec(path);
		if (m && verb === 'POST' && botsV2[m[2]]) return sendJson(res, 200, await botsV2[m[2]](portal, m[1], await jsonBody(req)));
		throw new SandboxError(404, `no sandbox endpoint ${verb} ${path}`);
	} catch (e) {
		if (e instanceof SandboxError) return sendJson(res, e.status, { error: e.code, error_description: e.message });
		return sendJson(res, 500, { error: 'INTERNAL_SERVER_ERROR', error_description: String(e && e.message) });
	}
}

module.exports = { handleControl };
