'use strict';
const { start, hook, app } = require('./helpers');

let sb;
let token;
beforeAll(async () => {
	sb = await start();
	token = sb.issueTokens().access_token;
});
afterAll(() => sb.stop());

describe('URL forms, params and envelope', () => {
	test('fixed defaults', () => {
		expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(sb.webhookUrl).toBe(`${sb.url}/rest/1/sandboxwebhook/`);
		expect(sb.oauth).toEqual({ clientId: 'local.sandbox.app', clientSecret: 'sandbox-secret', authorizeUrl: `${sb.url}/oauth/authorize/`, tokenUrl: `${sb.url}/oauth/token/` });
		expect(sb.applicationToken).toBe('sandbox-app-token');
	});

	test('webhook form with and without .json; envelope has result and time', async () => {
		for (const suffix of ['', '.json']) {
			const r = await hook(sb, 'profile', {}, { suffix });
			expect(r.status).toBe(200);
			expect(r.body.result).toMatchObject({ ID: '1', ADMIN: true });
			expect(Object.keys(r.body.time).sort()).toEqual(['date_finish', 'date_start', 'duration', 'finish', 'operating', 'operating_reset_at', 'processing', 'start']);
			expect(r.body.time.date_start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
		}
	});

	test('OAuth form: Bearer header, auth in query, auth in JSON body, auth in form body', async () => {
		expect((await app(sb, token, 'user.current')).body.result.ID).toBe('1');
		let res = await fetch(`${sb.url}/rest/user.current.json?auth=${token}`);
		expect((await res.json()).result.ID).toBe('1');
		res = await fetch(`${sb.url}/rest/user.current`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth: token }) });
		expect(res.status).toBe(200);
		res = await fetch(`${sb.url}/rest/user.current`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `auth=${token}` });
		expect(res.status).toBe(200);
	});

	test('params from query string, JSON and form bodies (PHP bracket keys)', async () => {
		const q = 'PARAMS[select][]=ID&PARAMS[select][]=LINE_NAME&PARAMS[limit]=1';
		let res = await fetch(`${sb.webhookUrl}imopenlines.config.list.get?${q}`);
		let body = await res.json();
		expect(body.result).toEqual([{ ID: '1', LINE_NAME: 'Sandbox line' }]);
		expect(body.total).toBe(1);
		res = await fetch(`${sb.webhookUrl}imopenlines.config.list.get`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: q });
		expect((await res.json()).result).toEqual([{ ID: '1', LINE_NAME: 'Sandbox line' }]);
		body = (await hook(sb, 'imopenlines.config.list.get', { PARAMS: { select: ['ID'] } })).body;
		expect(body.result).toEqual([{ ID: '1' }]);
	});

	test('unknown method -> 404 ERROR_METHOD_NOT_FOUND', async () => {
		const r = await hook(sb, 'no.such.method');
		expect(r.status).toBe(404);
		expect(r.body.error).toBe('ERROR_METHOD_NOT_FOUND');
	});
});

describe('auth errors', () => {
	test('wrong webhook code or user -> 401 NO_AUTH_FOUND', async () => {
		for (const path of ['/rest/1/wrongcode/profile', '/rest/2/sandboxwebhook/profile']) {
			const res = await fetch(sb.url + path);
			expect(res.status).toBe(401);
			expect((await res.json()).error).toBe('NO_AUTH_FOUND');
		}
	});

	test('unknown or missing token -> 401 NO_AUTH_FOUND', async () => {
		expect((await app(sb, 'nope', 'profile')).body.error).toBe('NO_AUTH_FOUND');
		const res = await fetch(`${sb.url}/rest/profile`);
		expect(res.status).toBe(401);
		expect((await res.json()).error).toBe('NO_AUTH_FOUND');
	});

	test('expired access token -> 401 expired_token', async () => {
		const s2 = await start({ tokenTtl: 3600 });
		try {
			const t = s2.issueTokens().access_token;
			expect((await app(s2, t, 'profile')).status).toBe(200);
			await fetch(`${s2.url}/sandbox/oauth/expire-tokens`, { method: 'POST' });
			const r = await app(s2, t, 'profile');
			expect(r.status).toBe(401);
			expect(r.body).toEqual({ error: 'expired_token', error_description: 'The access token provided has expired.' });
		} finally {
			await s2.stop();
		}
	});

	test.each(['imconnector.list', 'imconnector.register', 'imconnector.send.messages', 'event.bind', 'event.unbind', 'event.get'])(
		'%s over a webhook -> 403 WRONG_AUTH_TYPE',
		async (method) => {
			const r = await hook(sb, method, {});
			expect(r.status).toBe(403);
			expect(r.body).toEqual({ error: 'WRONG_AUTH_TYPE', error_description: 'Current authorization type is denied for this method Application context required' });
		},
	);

	test('app.info: OAuth only (webhook -> 403 ACCESS_DENIED "Application context required", per §1.3)', async () => {
		const r = await hook(sb, 'app.info');
		expect(r.status).toBe(403);
		expect(r.body).toEqual({ error: 'ACCESS_DENIED', error_description: 'Application context required' });
		const ok = await app(sb, token, 'app.info');
		expect(ok.body.result).toMatchObject({ CODE: 'local.sandbox.app', STATUS: 'L', INSTALLED: true });
	});

	test('imbot.* over a webhook needs CLIENT_ID', async () => {
		const r = await hook(sb, 'imbot.bot.list');
		expect(r.status).toBe(403);
		expect(r.body).toEqual({ error: 'ACCESS_DENIED', error_description: 'Access denied! Client ID not specified' });
		expect((await hook(sb, 'imbot.bot.list', { CLIENT_ID: 'abc' })).status).toBe(200);
		expect((await app(sb, token, 'imbot.bot.list')).status).toBe(200);
	});

	test('misc methods: server.time, scope, methods', async () => {
		expect((await hook(sb, 'server.time')).body.result).toMatch(/^\d{4}-\d\d-\d\dT/);
		expect((await hook(sb, 'scope')).body.result).toEqual(expect.arrayContaining(['imconnector', 'imopenlines', 'imbot', 'im']));
		expect((await hook(sb, 'methods')).body.result).toEqual(expect.arrayContaining(['batch', 'imconnector.send.messages', 'imbot.message.add']));
	});
});
