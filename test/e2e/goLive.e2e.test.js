'use strict';
// docs/go-live.md step by step, in a real n8n against the sandbox portal's model of a local application
// (sandbox/install.js): the example install-handler workflow (examples/install-handler.json) answers Bitrix24's
// install request and so finishes the installation, its execution shows the application token; the credential is
// filled in (client id `local.…`, secret, token) and connected through n8n's OAuth2 flow with the app's handler
// path = n8n's OAuth callback; a trigger activated with it receives the portal's events.

const fs = require('node:fs');
const path = require('node:path');
const { N8nInstance, packageBuildStatus, httpRequest, sleep } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { TYPES, credentialRef, control, appCall } = require('./lib/bitrix');

const status = packageBuildStatus();
if (!status.built) throw new Error(`go-live e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const INSTALL_WF = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'install-handler.json'), 'utf8'));
const CONNECTOR = 'n8n_golive';
const OC_HOOK = '2c7e9a41-5b3d-4e8f-a1c6-3d5e7f9a1b24';
const CRED = { id: 'b24GoLive', name: 'Bitrix24 OAuth2 (go-live)', type: 'bitrix24OAuth2Api' };

describe('go-live checklist in a real n8n: install handler, credential, Connect, triggers', () => {
	let sb;
	let n8n;
	let installUrl;
	let app; // the local app as the portal shows it after saving the form
	let shownToken; // what the install handler's execution shows

	const executionsOf = async (id) => (await n8n.listExecutions({ workflowId: id })).filter((e) => e.status !== 'running');

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		installUrl = n8n.webhookUrl(INSTALL_WF.nodes.find((n) => n.type === 'n8n-nodes-base.webhook').parameters.path);
		// the credential as a user starts it: portal URL only; client id/secret come once the app exists
		await n8n.importCredentials([{ ...CRED, data: { portalUrl: sb.url, clientId: 'local.to-be-filled', clientSecret: 'to-be-filled', accessTokenUrl: sb.oauth.tokenUrl } }]);
		await n8n.importWorkflow([
			INSTALL_WF,
			{
				id: 'goLiveTrig',
				name: 'Go-live Open Channels Trigger',
				nodes: [
					{
						id: 'goLiveTrig-t',
						name: 'Operator Replies',
						type: TYPES.openChannelsTrigger,
						typeVersion: 1,
						position: [0, 0],
						webhookId: OC_HOOK,
						parameters: { authentication: 'oAuth2', events: ['ONIMCONNECTORMESSAGEADD'], options: {} },
						credentials: credentialRef(CRED),
					},
				],
				connections: {},
			},
		]);
		// step: activate the install handler before creating the app
		await n8n.activateWorkflow(INSTALL_WF.id);
		await n8n.start();
		// sign in (the owner is set up) before any execution: owner set-up racing an execution's writes to n8n's
		// sqlite database gave a cookie that n8n then refused (401)
		await n8n.login();
		await n8n.rest('GET', `/workflows/${INSTALL_WF.id}`);
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	test('saving the local app: the install request reaches the workflow, its answer finishes the installation, the execution shows the application token', async () => {
		const saved = await control(sb, 'apps', { name: 'n8n', handlerUrl: `${n8n.baseUrl}/rest/oauth2-credential/callback`, installUrl });
		app = saved.app;
		expect(saved.install).toMatchObject({ kind: 'ONAPPINSTALL', url: installUrl, status: 200 });
		expect(JSON.parse(saved.install.body)).toEqual({ status: 'success' });
		expect(app.status).toBe('installed');

		const [done] = await n8n.waitForExecutions(INSTALL_WF.id, { count: 1 });
		expect(done.status).toBe('success');
		const run = await n8n.getExecution(done.id);
		const out = run.outputOf('Check and answer');
		expect(out).toHaveLength(1);
		expect(out[0]).toMatchObject({
			ok: true,
			kind: expect.stringMatching(/ONAPPINSTALL/),
			portal: sb.portal.host,
			memberId: sb.portal.memberId,
			applicationToken: app.applicationToken,
			confirmedBy: `${sb.url}/rest/`,
			app: { code: app.clientId },
		});
		shownToken = out[0].applicationToken;
		expect(Object.keys(out[0])).not.toEqual(expect.arrayContaining(['verifyToken']));
		expect(JSON.stringify(out)).not.toMatch(/access_token|refresh_token/);
		// the portal was asked with the installer's token (app.info), once
		expect(sb.log().filter((e) => e.method === 'app.info' && e.status === 200)).toHaveLength(1);
	});

	test('an app with a UI: the wizard page shows the token and calls BX24.installFinish(); a request that is not an installation gets 400', async () => {
		const saved = await control(sb, 'apps', { name: 'n8n ui', handlerUrl: `${n8n.baseUrl}/rest/oauth2-credential/callback`, installUrl, apiOnly: false });
		expect(saved.install.status).toBe(200);
		expect(saved.install.contentType).toMatch(/text\/html/);
		expect(saved.install.body).toContain(`<pre id="application-token" style="font-size:16px">${saved.app.applicationToken}</pre>`);
		expect(saved.install.body).toContain('BX24.installFinish()');
		expect(saved.app.status).toBe('pending'); // until the page's installFinish runs in the admin's browser
		const finished = await control(sb, `apps/${encodeURIComponent(saved.app.clientId)}/install-finish`, {});
		expect(finished.app.status).toBe('installed');

		const post = (body, type = 'application/x-www-form-urlencoded') => httpRequest({ port: n8n.port, method: 'POST', path: new URL(installUrl).pathname, headers: { 'content-type': type }, body });
		const junk = await post(JSON.stringify({ hello: 'world' }), 'application/json');
		expect(junk.status).toBe(400);
		expect(junk.body).toMatch(/Not a Bitrix24 installation request/);
		// an installation request in the right shape with a made-up token: the portal does not confirm it
		const forged = await post(
			new URLSearchParams({
				event: 'ONAPPINSTALL',
				'auth[access_token]': 'made-up',
				'auth[application_token]': 'attacker-chosen',
				'auth[domain]': sb.portal.host,
				'auth[client_endpoint]': `${sb.url}/rest/`,
			}).toString(),
		);
		expect(forged.status).toBe(400);
		expect(forged.body).toMatch(/The portal did not confirm this installation request \(app\.info: NO_AUTH_FOUND/);
		const runs = await n8n.waitForExecutions(INSTALL_WF.id, { count: 4 });
		const last = (await n8n.getExecution(runs[0].id)).outputOf('Check and answer')[0];
		expect(last).toMatchObject({ ok: false, applicationToken: '' });
		expect(JSON.stringify(last)).not.toContain('attacker-chosen');
	});

	test("the credential: client id, secret and application token filled in, Connect through n8n's OAuth2 flow", async () => {
		const stored = await n8n.rest('GET', `/credentials/${CRED.id}?includeData=true`);
		await n8n.rest('PATCH', `/credentials/${CRED.id}`, {
			name: CRED.name,
			type: CRED.type,
			data: { ...stored.data, portalUrl: sb.url, clientId: app.clientId, clientSecret: app.clientSecret, applicationToken: shownToken },
		});
		const authUrl = new URL(await n8n.rest('GET', `/oauth2-credential/auth?id=${CRED.id}`));
		expect(authUrl.searchParams.get('client_id')).toBe(app.clientId);
		const authorize = await fetch(authUrl, { redirect: 'manual' });
		expect(authorize.status).toBe(302);
		// the portal sends the browser to the app's handler path: n8n's OAuth callback
		const callback = new URL(authorize.headers.get('location'));
		expect(`${callback.origin}${callback.pathname}`).toBe(`${n8n.baseUrl}/rest/oauth2-credential/callback`);
		const done = await httpRequest({ port: n8n.port, path: `${callback.pathname}${callback.search}`, headers: { cookie: await n8n.login() } });
		expect(done.status).toBe(200);
		expect(done.body).not.toMatch(/error/i);
		const cred = await n8n.exportCredential(CRED.id);
		expect(cred.data).toMatchObject({ clientId: app.clientId, applicationToken: app.applicationToken });
		expect(sb.portal.tokens.access.get(cred.data.oauthTokenData.access_token)).toMatchObject({ clientId: app.clientId });
	});

	test("activating a trigger subscribes under the local app; the portal's events start executions, forged ones do not", async () => {
		// portal set-up (not under test): the app's connector on line 1 and one customer chat
		const token = sb.issueTokens({ clientId: app.clientId }).access_token;
		const icon = { DATA_IMAGE: 'data:image/svg+xml,%3Csvg%3E%3C/svg%3E' };
		await appCall(sb, token, 'imconnector.register', { ID: CONNECTOR, NAME: 'Go-live', ICON: icon, PLACEMENT_HANDLER: 'https://example.com/settings' });
		await appCall(sb, token, 'imconnector.activate', { CONNECTOR, LINE: 1, ACTIVE: 1 });
		const sent = await appCall(sb, token, 'imconnector.send.messages', {
			CONNECTOR,
			LINE: 1,
			MESSAGES: [{ user: { id: 'cust-1', name: 'Klaus' }, message: { id: 'in-1', date: Math.floor(Date.now() / 1000), text: 'Hallo' }, chat: { id: 'ext-1' } }],
		});
		expect(sent.status).toBe(200);

		await n8n.activateWorkflow('goLiveTrig');
		const ocUrl = n8n.webhookUrl(`${OC_HOOK}/webhook`);
		expect(sb.state.eventHandlers.filter((h) => h.handler === ocUrl).map((h) => [h.event, h.clientId])).toEqual([['ONIMCONNECTORMESSAGEADD', app.clientId]]);

		const reply = await control(sb, 'openlines/operator-reply', { connector: CONNECTOR, line: 1, chatId: 'ext-1', text: 'Wir sind live' });
		expect(reply.deliveries.map((d) => [d.url, d.status])).toEqual([[ocUrl, 200]]);
		const [done] = await n8n.waitForExecutions('goLiveTrig', { count: 1 });
		expect(done.status).toBe('success');
		expect((await n8n.getExecution(done.id)).outputOf('Operator Replies')[0]).toMatchObject({ event: 'ONIMCONNECTORMESSAGEADD', connector: CONNECTOR, message: { text: expect.stringContaining('Wir sind live') } });

		const forged = await control(sb, 'openlines/operator-reply', { connector: CONNECTOR, line: 1, chatId: 'ext-1', text: 'forged', applicationToken: 'sandbox-app-token' });
		expect(forged.deliveries.map((d) => d.status)).toEqual([401]);
		await sleep(1000);
		expect(await executionsOf('goLiveTrig')).toHaveLength(1);
		await n8n.deactivateWorkflow('goLiveTrig');
	});
});
