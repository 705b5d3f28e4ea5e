'use strict';
// Our Bitrix24 OAuth2 credential inside a real n8n, against the sandbox portal: an imported, already
// connected credential whose access token has expired gets 401 `expired_token`, n8n refreshes it at the
// sandbox's token endpoint, retries, and saves the rotated refresh token. Uses n8n's HTTP Request node
// with our credential type, so it needs only our credentials to be built (dist/), not our nodes.

const { N8nInstance, packageBuildStatus } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');

const status = packageBuildStatus();
const maybe = status.built ? describe : describe.skip;
if (!status.built) {
	// eslint-disable-next-line no-console
	console.warn(`oauth2-credential e2e skipped: package not built (missing ${status.missing.join(', ')})`);
}

maybe('Bitrix24 OAuth2 credential in a real n8n against the sandbox', () => {
	let sandbox;
	let n8n;

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sandbox) await sandbox.stop();
	});

	test('expired access token → 401 → refresh → retry succeeds, rotated refresh token is saved', async () => {
		const tokens = sandbox.issueTokens();
		const credential = { id: 'b24oauthE2E', name: 'Bitrix24 OAuth2 (sandbox)', type: 'bitrix24OAuth2Api' };
		await n8n.importCredentials([
			{
				...credential,
				data: {
					portalUrl: sandbox.url,
					clientId: 'local.sandbox.app',
					clientSecret: 'sandbox-secret',
					accessTokenUrl: sandbox.oauth.tokenUrl,
					oauthTokenData: tokens,
				},
			},
		]);
		await fetch(`${sandbox.url}/sandbox/oauth/expire-tokens`, { method: 'POST' });
		await fetch(`${sandbox.url}/sandbox/log`, { method: 'DELETE' });
		const workflow = {
			id: 'b24OAuthAppInfo',
			name: 'Bitrix24 OAuth2 app.info',
			nodes: [
				{ id: 'm', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'h',
					name: 'App Info',
					type: 'n8n-nodes-base.httpRequest',
					typeVersion: 4.2,
					position: [220, 0],
					parameters: {
						method: 'POST',
						url: `${sandbox.url}/rest/app.info.json`,
						authentication: 'predefinedCredentialType',
						nodeCredentialType: 'bitrix24OAuth2Api',
						options: {},
					},
					credentials: { bitrix24OAuth2Api: { id: credential.id, name: credential.name } },
				},
			],
			connections: { Manual: { main: [[{ node: 'App Info', type: 'main', index: 0 }]] } },
		};
		await n8n.importWorkflow(workflow);

		const run = await n8n.execute(workflow.id);

		expect(run.error).toBeUndefined();
		expect(run.outputOf('App Info')[0].result).toMatchObject({ CODE: 'local.sandbox.app', INSTALLED: true });
		const { entries } = await (await fetch(`${sandbox.url}/sandbox/log`)).json();
		expect(entries.filter((e) => e.method === 'app.info').map((e) => e.status)).toEqual([401, 200]);

		const saved = await n8n.exportCredential(credential.id);
		expect(saved.data.oauthTokenData.refresh_token).toEqual(expect.any(String));
		expect(saved.data.oauthTokenData.refresh_token).not.toBe(tokens.refresh_token);
		expect(saved.data.oauthTokenData.access_token).not.toBe(tokens.access_token);
		expect(saved.data.oauthTokenData.client_endpoint).toBe(`${sandbox.url}/rest/`);
		// nothing secret leaked into the node output
		const output = JSON.stringify(run.outputOf('App Info'));
		for (const secret of ['sandbox-secret', tokens.refresh_token, saved.data.oauthTokenData.access_token]) {
			expect(output).not.toContain(secret);
		}
		expect(n8n.externalConnections()).toEqual([]);
	});
});
