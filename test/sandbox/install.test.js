'use strict';
// Local-app installation in the sandbox (sandbox/install.js): the install request Bitrix24 sends to the install
// path, pending until finished, no events and no OAuth before that, ONAPPINSTALL with the application token.
const { start, app, control, handlerServer, setupConnector, message, waitFor } = require('./helpers');

describe('sandbox: local app installation', () => {
	let sb;
	let handler;
	let failing;

	beforeAll(async () => {
		sb = await start();
		handler = await handlerServer();
		failing = await handlerServer({ status: 404 });
	});
	afterAll(async () => {
		await sb.stop();
		await handler.close();
		await failing.close();
	});

	const addApp = (body) => control(sb, 'apps', body);

	test('an "uses API only" app gets ONAPPINSTALL with auth[...] at its install path and is installed when it answers 200', async () => {
		handler.received.length = 0;
		const r = await addApp({ handlerUrl: 'https://n8n.example.com/rest/oauth2-credential/callback', installUrl: `${handler.url}/install` });
		expect(r.status).toBe(200);
		const a = r.body.app;
		expect(a.clientId).toMatch(/^local\.[0-9a-f]{14}\.\d{8}$/);
		expect(a.status).toBe('installed');
		expect(r.body.install).toMatchObject({ kind: 'ONAPPINSTALL', status: 200 });
		expect(handler.received).toHaveLength(1);
		const req = handler.received[0];
		expect(req.path).toBe('/install');
		expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(req.body.event).toBe('ONAPPINSTALL');
		expect(req.body.data).toEqual({ VERSION: '1', ACTIVE: 'Y', INSTALLED: 'Y', LANGUAGE_ID: 'en' });
		expect(req.body.auth).toMatchObject({
			application_token: a.applicationToken,
			domain: sb.portal.host,
			member_id: sb.portal.memberId,
			client_endpoint: `${sb.url}/rest/`,
			status: 'L',
			user_id: '1',
		});
		expect(req.body.auth.refresh_token).toMatch(/^[0-9a-f]+$/);
		// the installer's token works and app.info says INSTALLED
		const info = await app(sb, req.body.auth.access_token, 'app.info');
		expect(info.body.result).toMatchObject({ CODE: a.clientId, INSTALLED: true });
	});

	test('an install path that does not answer 2xx leaves the app pending: app.info INSTALLED false, no OAuth, no events; reinstall fixes it', async () => {
		const r = await addApp({ handlerUrl: `${handler.url}/oauth-callback`, installUrl: `${failing.url}/install` });
		const a = r.body.app;
		expect(r.body.install.status).toBe(404);
		expect(a.status).toBe('pending');
		const token = failing.received.at(-1).body.auth.access_token;
		expect((await app(sb, token, 'app.info')).body.result.INSTALLED).toBe(false);

		// OAuth: authorization fails for an app that is not installed
		const auth = await fetch(`${sb.url}/oauth/authorize/?client_id=${encodeURIComponent(a.clientId)}&state=s1`, { redirect: 'manual' });
		expect(auth.status).toBe(400);

		// events bound by the app are not delivered
		await setupConnector(sb, token, 'pending_conn');
		expect((await app(sb, token, 'imconnector.send.messages', { CONNECTOR: 'pending_conn', LINE: 1, MESSAGES: [message(1, 'chat-x')] })).status).toBe(200);
		await app(sb, token, 'event.bind', { event: 'ONIMCONNECTORMESSAGEADD', handler: `${handler.url}/events` });
		const before = handler.received.length;
		const reply = await control(sb, 'openlines/operator-reply', { connector: 'pending_conn', line: 1, chatId: 'chat-x', text: 'hi' });
		expect(reply.body.deliveries).toEqual([]);
		await new Promise((res) => setTimeout(res, 200));
		expect(handler.received.slice(before).filter((x) => x.path === '/events')).toHaveLength(0);

		// reinstall after the install path works
		sb.portal.localApps.get(a.clientId).installUrl = `${handler.url}/install`;
		const again = await control(sb, `apps/${encodeURIComponent(a.clientId)}/reinstall`, {});
		expect(again.body.app.status).toBe('installed');
		expect((await app(sb, token, 'app.info')).body.result.INSTALLED).toBe(true);

		// OAuth now: the redirect goes to the app's handler path (from the app settings, not the query)
		const ok = await fetch(`${sb.url}/oauth/authorize/?client_id=${encodeURIComponent(a.clientId)}&state=s2&redirect_uri=${encodeURIComponent('https://elsewhere.example/cb')}`, { redirect: 'manual' });
		expect(ok.status).toBe(302);
		const location = new URL(ok.headers.get('location'));
		expect(`${location.origin}${location.pathname}`).toBe(`${handler.url}/oauth-callback`);
		const code = location.searchParams.get('code');
		const tok = await fetch(`${sb.url}/oauth/token/?grant_type=authorization_code&client_id=${encodeURIComponent(a.clientId)}&client_secret=${encodeURIComponent(a.clientSecret)}&code=${code}`);
		expect(tok.status).toBe(200);
		const wrong = await fetch(`${sb.url}/oauth/token/?grant_type=authorization_code&client_id=${encodeURIComponent(a.clientId)}&client_secret=nope&code=x`);
		expect(wrong.status).toBe(401);

		// events flow now, with the app's own application token
		const reply2 = await control(sb, 'openlines/operator-reply', { connector: 'pending_conn', line: 1, chatId: 'chat-x', text: 'hi' });
		expect(reply2.body.deliveries).toHaveLength(1);
		const ev = await waitFor(() => handler.received.find((x) => x.path === '/events'));
		expect(ev.body.auth.application_token).toBe(a.applicationToken);
	});

	test('a UI app: the wizard POST (AUTH_ID, REFRESH_ID, APPLICATION_TOKEN, PLACEMENT=DEFAULT …) leaves it pending until installFinish; then ONAPPINSTALL to its bound handler', async () => {
		handler.received.length = 0;
		const r = await addApp({ handlerUrl: `${handler.url}/app`, installUrl: `${handler.url}/wizard`, apiOnly: false });
		const a = r.body.app;
		expect(r.body.install).toMatchObject({ kind: 'wizard', status: 200 });
		expect(a.status).toBe('pending');
		const form = handler.received.find((x) => x.path === '/wizard').body;
		expect(form).toMatchObject({ PLACEMENT: 'DEFAULT', DOMAIN: sb.portal.host, member_id: sb.portal.memberId, APPLICATION_TOKEN: a.applicationToken, status: 'L' });
		expect(form.AUTH_ID).toBeTruthy();
		expect(form.REFRESH_ID).toBeTruthy();
		expect(form.APP_SID).toMatch(/^[0-9a-f]{32}$/);
		expect(form.event).toBeUndefined();
		expect((await app(sb, form.AUTH_ID, 'event.bind', { event: 'ONAPPINSTALL', handler: `${handler.url}/onappinstall` })).status).toBe(200);
		expect((await app(sb, form.AUTH_ID, 'app.info')).body.result.INSTALLED).toBe(false);

		const fin = await control(sb, `apps/${encodeURIComponent(a.clientId)}/install-finish`, {});
		expect(fin.body.app.status).toBe('installed');
		const ev = await waitFor(() => handler.received.find((x) => x.path === '/onappinstall'));
		expect(ev.body.event).toBe('ONAPPINSTALL');
		expect(ev.body.data.INSTALLED).toBe('Y');
		expect(ev.body.auth.application_token).toBe(a.applicationToken);
		expect((await app(sb, form.AUTH_ID, 'app.info')).body.result.INSTALLED).toBe(true);
	});

	test('installFinish is refused for an API-only app; bad forms and unknown apps are refused; the list and the built-in app are unchanged', async () => {
		const r = await addApp({ handlerUrl: `${handler.url}/cb`, installUrl: `${handler.url}/install` });
		const fin = await control(sb, `apps/${encodeURIComponent(r.body.app.clientId)}/install-finish`, {});
		expect(fin.status).toBe(400);
		expect((await addApp({ handlerUrl: 'not a url', installUrl: `${handler.url}/install` })).status).toBe(400);
		expect((await control(sb, 'apps/local.nope/reinstall', {})).status).toBe(404);
		const list = await control(sb, 'apps', undefined, 'GET');
		expect(list.body.apps.length).toBeGreaterThanOrEqual(4);
		expect((await control(sb, `apps/${encodeURIComponent(r.body.app.clientId)}`, undefined, 'DELETE')).body.ok).toBe(true);
		// the built-in app: tokens, app.info and the authorize redirect as before
		const t = sb.issueTokens().access_token;
		expect((await app(sb, t, 'app.info')).body.result).toMatchObject({ ID: 1, INSTALLED: true });
		const auth = await fetch(`${sb.url}/oauth/authorize/?client_id=${sb.oauth.clientId}&redirect_uri=${encodeURIComponent('http://127.0.0.1:1/cb')}`, { redirect: 'manual' });
		expect(auth.headers.get('location')).toMatch(/^http:\/\/127\.0\.0\.1:1\/cb\?code=/);
	});
});
