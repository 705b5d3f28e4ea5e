'use strict';
/**
 * OAuth 2.0 of the sandbox (§1.2): /oauth/authorize/ auto-approves and redirects with a code
 * (30 s, single use); /oauth/token/ exchanges codes and rotates refresh tokens.
 * The sandbox is both the portal and the auth server, so the token response's `domain`
 * and `server_endpoint` point at the sandbox itself.
 */
const crypto = require('crypto');
const { findApp } = require('./install');

const CODE_TTL_MS = 30 * 1000;
const REFRESH_TTL_MS = 180 * 24 * 3600 * 1000;
const SCOPE = 'imopenlines,imconnector,imbot,im';

function randomToken(bytes = 24) {
	return crypto.randomBytes(bytes).toString('hex');
}

function createTokenStore() {
	// stats: refresh grants answered (refreshed) and refused with invalid_grant (refused), for fault runs.
	return { access: new Map(), refresh: new Map(), codes: new Map(), stats: { refreshed: 0, refused: 0 } };
}

function tokenResponse(portal, rec) {
	return {
		access_token: rec.access_token,
		refresh_token: rec.refresh_token,
		expires: Math.floor(rec.expiresAt / 1000),
		expires_in: portal.options.tokenTtl,
		client_endpoint: `${portal.url}/rest/`,
		server_endpoint: `${portal.url}/rest/`,
		domain: portal.host,
		member_id: portal.memberId,
		scope: SCOPE,
		status: 'L',
		user_id: rec.userId,
	};
}

/** Creates a fresh access + refresh token pair (also used by issueTokens() and event auth blocks). */
function issueTokens(portal, { userId = 1, clientId = portal.clientId } = {}) {
	const now = Date.now();
	const rec = {
		access_token: randomToken(),
		refresh_token: randomToken(),
		clientId,
		userId: Number(userId),
		expiresAt: now + portal.options.tokenTtl * 1000,
	};
	portal.tokens.access.set(rec.access_token, rec);
	portal.tokens.refresh.set(rec.refresh_token, { clientId, userId: rec.userId, expiresAt: now + REFRESH_TTL_MS, access_token: rec.access_token });
	return tokenResponse(portal, rec);
}

/** { rec } for a valid access token, { error: 'NO_AUTH_FOUND' | 'expired_token' } otherwise. */
function checkAccessToken(portal, token) {
	const rec = token ? portal.tokens.access.get(String(token)) : undefined;
	if (!rec) return { error: 'NO_AUTH_FOUND' };
	if (rec.expiresAt <= Date.now()) return { error: 'expired_token' };
	return { rec };
}

function expireAllAccessTokens(portal) {
	const past = Date.now() - 1000;
	let count = 0;
	for (const rec of portal.tokens.access.values()) {
		if (rec.expiresAt > past) {
			rec.expiresAt = past;
			count++;
		}
	}
	return count;
}

/**
 * Fault injection for concurrent expiry: the next `callers` requests with an expired access token are held until all
 * of them have arrived (or `timeoutMs` passed) and then answered 401 expired_token together, so their refreshes race
 * on the single-use refresh token as they do when several workflows of one credential wake up at once.
 * Refresh tokens are strictly single-use here (no grace period): the worst case for the losers.
 */
function scheduleExpiryRace(portal, { callers = 3, timeoutMs = 60000 } = {}) {
	releaseExpiryRace(portal);
	portal.expiryRace = { callers, waiting: [], timer: null, timeoutMs };
}

function releaseExpiryRace(portal) {
	const race = portal.expiryRace;
	if (!race) return;
	portal.expiryRace = null;
	if (race.timer) clearTimeout(race.timer);
	for (const release of race.waiting) release();
}

/** Resolves when the expired-token answer of this request may go out (at once when no race is scheduled). */
function holdExpired(portal) {
	const race = portal.expiryRace;
	if (!race) return Promise.resolve();
	return new Promise((resolve) => {
		race.waiting.push(resolve);
		if (!race.timer) race.timer = setTimeout(() => releaseExpiryRace(portal), race.timeoutMs);
		if (race.waiting.length >= race.callers) releaseExpiryRace(portal);
	});
}

function oauthError(code, description, status) {
	return { status, body: { error: code, error_description: description } };
}

/** GET /oauth/authorize/ -> { status, headers, body } */
function handleAuthorize(portal, query) {
	const clientId = query.get('client_id');
	const app = findApp(portal, clientId);
	if (!app || app.status !== 'installed') {
		// Errors are shown on the portal's own page and never reach redirect_uri (§1.2).
		return { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Authorization error: unknown client_id (application is not installed on this portal).' };
	}
	const redirectUri = app.builtIn ? query.get('redirect_uri') || portal.options.redirectUri : app.handlerUrl;
	if (!redirectUri) {
		return { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Authorization error: redirect_uri is not set.' };
	}
	const code = randomToken(16);
	portal.tokens.codes.set(code, { clientId, userId: 1, expiresAt: Date.now() + CODE_TTL_MS, redirectUri });
	const target = new URL(redirectUri);
	target.searchParams.set('code', code);
	if (query.get('state') !== null) target.searchParams.set('state', query.get('state'));
	target.searchParams.set('domain', portal.host);
	target.searchParams.set('member_id', portal.memberId);
	target.searchParams.set('scope', SCOPE);
	target.searchParams.set('server_domain', portal.host);
	return { status: 302, headers: { location: target.toString() }, body: '' };
}

function basicCredentials(header) {
	if (!header || !/^basic /i.test(header)) return {};
	const raw = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
	const colon = raw.indexOf(':');
	if (colon === -1) return {};
	return { clientId: decodeURIComponent(raw.slice(0, colon)), clientSecret: decodeURIComponent(raw.slice(colon + 1)) };
}

/** /oauth/token/ (GET query or POST form/JSON, client credentials in params or HTTP Basic) -> { status, body } */
function handleToken(portal, params, authorizationHeader) {
	const basic = basicCredentials(authorizationHeader);
	const clientId = params.client_id || basic.clientId;
	const clientSecret = params.client_secret || basic.clientSecret;
	const grantType = params.grant_type;
	if (!grantType) return oauthError('invalid_request', 'grant_type is required', 400);
	if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
		return oauthError('invalid_request', `Unsupported grant_type: ${grantType}`, 400);
	}
	const app = findApp(portal, clientId);
	if (!app || clientSecret !== app.clientSecret || app.status !== 'installed') {
		return oauthError('invalid_client', 'Invalid client id or secret, or the application is not installed.', 401);
	}
	if (grantType === 'authorization_code') {
		const entry = params.code ? portal.tokens.codes.get(String(params.code)) : undefined;
		if (!params.code) return oauthError('invalid_request', 'code is required', 400);
		portal.tokens.codes.delete(String(params.code));
		if (!entry || entry.clientId !== clientId || entry.expiresAt <= Date.now()) {
			return oauthError('invalid_grant', 'Invalid or expired authorization code.', 400);
		}
		return { status: 200, body: issueTokens(portal, { userId: entry.userId, clientId }) };
	}
	if (!params.refresh_token) return oauthError('invalid_request', 'refresh_token is required', 400);
	const entry = portal.tokens.refresh.get(String(params.refresh_token));
	const stats = (portal.tokens.stats = portal.tokens.stats || { refreshed: 0, refused: 0 });
	if (!entry || entry.clientId !== clientId || entry.expiresAt <= Date.now()) {
		stats.refused++;
		return oauthError('invalid_grant', 'Invalid or expired refresh token.', 400);
	}
	stats.refreshed++;
	// Rotation: the old refresh token is spent (a second use gives invalid_grant).
	portal.tokens.refresh.delete(String(params.refresh_token));
	return { status: 200, body: issueTokens(portal, { userId: entry.userId, clientId }) };
}

module.exports = {
	createTokenStore,
	issueTokens,
	checkAccessToken,
	expireAllAccessTokens,
	scheduleExpiryRace,
	releaseExpiryRace,
	holdExpired,
	handleAuthorize,
	handleToken,
	SCOPE,
	CODE_TTL_MS,
};
