'use strict';
const { start, app } = require('./helpers');

let sb;
beforeAll(async () => {
	sb = await start({ tokenTtl: 120 });
});
afterAll(() => sb.stop());

async function authorize(state = 'st-1', redirect = 'http://localhost:5678/rest/oauth2-credential/callback') {
	const res = await fetch(`${sb.oauth.authorizeUrl}?client_id=local.sandbox.app&state=${state}&redirect_uri=${encodeURIComponent(redirect)}`, { redirect: 'manual' });
	expect(res.status).toBe(302);
	return new URL(res.headers.get('location'));
}

async function token(params, { basic, json, get } = {}) {
	if (get) {
		const res = await fetch(`${sb.oauth.tokenUrl}?${new URLSearchParams(params)}`);
		return { status: res.status, body: await res.json() };
	}
	const headers = { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' };
	if (basic) headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
	const res = await fetch(sb.oauth.tokenUrl, { method: 'POST', headers, body: json ? JSON.stringify(params) : new URLSearchParams(params).toString() });
	return { status: res.status, body: await res.json() };
}

const CLIENT = { client_id: 'local.sandbox.app', client_secret: 'sandbox-secret' };

describe('OAuth 2.0', () => {
	test('authorize auto-approves and redirects with code, state, domain, member_id, scope, server_domain', async () => {
		const loc = await authorize('abc');
		expect(loc.origin + loc.pathname).toBe('http://localhost:5678/rest/oauth2-credential/callback');
		const q = Object.fromEntries(loc.searchParams);
		expect(q).toMatchObject({ state: 'abc', domain: `127.0.0.1:${sb.port}`, scope: 'imopenlines,imconnector,imbot,im', server_domain: `127.0.0.1:${sb.port}` });
		expect(q.code).toMatch(/^[0-9a-f]+$/);
		expect(q.member_id).toMatch(/^[0-9a-f]{32}$/);
	});

	test('unknown client_id is refused on the portal page, not redirected', async () => {
		const res = await fetch(`${sb.oauth.authorizeUrl}?client_id=other&redirect_uri=http://x/cb`, { redirect: 'manual' });
		expect(res.status).toBe(400);
	});

	test('code exchange (GET) gives the documented token response; the code is single use', async () => {
		const code = (await authorize()).searchParams.get('code');
		const r = await token({ grant_type: 'authorization_code', ...CLIENT, code }, { get: true });
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({
			expires_in: 120,
			client_endpoint: `${sb.url}/rest/`,
			server_endpoint: `${sb.url}/rest/`,
			domain: `127.0.0.1:${sb.port}`,
			scope: 'imopenlines,imconnector,imbot,im',
			status: 'L',
			user_id: 1,
		});
		expect(typeof r.body.access_token).toBe('string');
		expect(typeof r.body.refresh_token).toBe('string');
		expect(r.body.expires).toBeGreaterThan(Date.now() / 1000);
		expect((await app(sb, r.body.access_token, 'profile')).status).toBe(200);
		const again = await token({ grant_type: 'authorization_code', ...CLIENT, code }, { get: true });
		expect(again.status).toBe(400);
		expect(again.body.error).toBe('invalid_grant');
	});

	test('code exchange by POST form with HTTP Basic client auth, and by POST JSON', async () => {
		let code = (await authorize()).searchParams.get('code');
		let r = await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://localhost:5678/cb' }, { basic: 'local.sandbox.app:sandbox-secret' });
		expect(r.status).toBe(200);
		code = (await authorize()).searchParams.get('code');
		r = await token({ grant_type: 'authorization_code', code, ...CLIENT }, { json: true });
		expect(r.status).toBe(200);
	});

	test('an expired code (older than 30 s) is refused', async () => {
		const code = (await authorize()).searchParams.get('code');
		sb.portal.tokens.codes.get(code).expiresAt = Date.now() - 1; // age the code instead of waiting 30 s
		const r = await token({ grant_type: 'authorization_code', ...CLIENT, code });
		expect(r.status).toBe(400);
		expect(r.body.error).toBe('invalid_grant');
	});

	test('bad client -> 401 invalid_client; missing grant -> invalid_request', async () => {
		const code = (await authorize()).searchParams.get('code');
		let r = await token({ grant_type: 'authorization_code', client_id: 'local.sandbox.app', client_secret: 'wrong', code });
		expect(r.status).toBe(401);
		expect(r.body.error).toBe('invalid_client');
		r = await token({ ...CLIENT });
		expect(r.body.error).toBe('invalid_request');
	});

	test('refresh rotates the refresh token; the old one gives invalid_grant', async () => {
		const first = sb.issueTokens();
		const r1 = await token({ grant_type: 'refresh_token', ...CLIENT, refresh_token: first.refresh_token });
		expect(r1.status).toBe(200);
		expect(r1.body.refresh_token).not.toBe(first.refresh_token);
		expect(r1.body.access_token).not.toBe(first.access_token);
		expect(r1.body).toMatchObject({ expires_in: 120, user_id: 1, status: 'L' });
		const reuse = await token({ grant_type: 'refresh_token', ...CLIENT, refresh_token: first.refresh_token });
		expect(reuse.status).toBe(400);
		expect(reuse.body.error).toBe('invalid_grant');
		const r2 = await token({ grant_type: 'refresh_token', refresh_token: r1.body.refresh_token }, { basic: 'local.sandbox.app:sandbox-secret' });
		expect(r2.status).toBe(200);
	});

	test('forced expiry: expired_token, then a refresh gives a working token', async () => {
		const t = sb.issueTokens();
		const res = await fetch(`${sb.url}/sandbox/oauth/expire-tokens`, { method: 'POST' });
		expect((await res.json()).expired).toBeGreaterThan(0);
		expect((await app(sb, t.access_token, 'profile')).body.error).toBe('expired_token');
		const r = await token({ grant_type: 'refresh_token', ...CLIENT, refresh_token: t.refresh_token });
		expect((await app(sb, r.body.access_token, 'profile')).status).toBe(200);
	});

	test('tokenTtl can be changed at runtime', async () => {
		sb.configure({ tokenTtl: 30 });
		expect(sb.issueTokens().expires_in).toBe(30);
		sb.configure({ tokenTtl: 120 });
	});
});
