'use strict';
/**
 * Who is calling: an incoming webhook (/rest/1/sandboxwebhook/METHOD) or an OAuth app
 * (/rest/METHOD with a Bearer token or an `auth` param). Also the per-method context rules of §1.3.
 */
const { RestError } = require('./envelope');
const { checkAccessToken } = require('./oauth');

const APP_ONLY_PREFIXES = ['imconnector.'];
const APP_ONLY_METHODS = new Set(['event.bind', 'event.unbind', 'event.get']);

/**
 * @returns {{kind:'webhook'|'oauth', userId:number, clientId:string|null}}
 * @throws RestError 401 NO_AUTH_FOUND / expired_token
 */
function resolveAuth(portal, route, params, headers) {
	if (route.kind === 'webhook') {
		if (route.userId !== String(portal.webhook.userId) || route.code !== portal.webhook.code) {
			throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data', 401);
		}
		return { kind: 'webhook', userId: portal.webhook.userId, clientId: null };
	}
	let token = null;
	const header = headers.authorization;
	if (header && /^bearer /i.test(header)) token = header.slice(7).trim();
	if (params.auth !== undefined) {
		if (!token) token = String(params.auth);
	}
	const check = checkAccessToken(portal, token);
	if (check.error === 'expired_token') throw new RestError('expired_token', 'The access token provided has expired.', 401);
	if (check.error) throw new RestError('NO_AUTH_FOUND', 'Wrong authorization data', 401);
	return { kind: 'oauth', userId: check.rec.userId, clientId: check.rec.clientId };
}

/** Application-context rule (§1.3): refuses app-only methods over a webhook. */
function checkContext(method, auth) {
	if (auth.kind !== 'webhook') return;
	if (APP_ONLY_METHODS.has(method) || APP_ONLY_PREFIXES.some((p) => method.startsWith(p))) {
		throw new RestError('WRONG_AUTH_TYPE', 'Current authorization type is denied for this method Application context required', 403);
	}
	if (method === 'app.info') {
		// §1.3: app.info refuses webhooks with ACCESS_DENIED "Application context required".
		throw new RestError('ACCESS_DENIED', 'Application context required', 403);
	}
}

module.exports = { resolveAuth, checkContext };
