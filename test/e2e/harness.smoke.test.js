'use strict';
// Proves the e2e harness against a real n8n (each version run.js runs: 2.0.3, 2.41.1) with n8n's own core nodes (and with our package when
// dist/ has been built): CLI import + execute, OAuth2 refresh persisted, `n8n start` + webhook + REST.

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { N8nInstance, httpRequest, freePort, packageBuildStatus, defaultPackageRoot } = require('./lib/n8n');
const { manualSetWorkflow, webhookWorkflow, oauthHttpWorkflow } = require('./fixtures/core-workflows');

/** A tiny OAuth2 provider: single-use rotating refresh tokens, an API that answers 401 to stale tokens. */
function startFakeOAuthProvider(port) {
	const state = { access: 'access-1', refresh: 'refresh-1', generation: 1, tokenRequests: [], apiCalls: [] };
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			const send = (status, json) => {
				res.writeHead(status, { 'content-type': 'application/json' });
				res.end(JSON.stringify(json));
			};
			if (req.url.startsWith('/token')) {
				const form = Object.fromEntries(new URLSearchParams(body));
				state.tokenRequests.push({ form, authorization: req.headers.authorization || '' });
				if (form.grant_type !== 'refresh_token' || form.refresh_token !== state.refresh) {
					return send(400, { error: 'invalid_grant' });
				}
				state.generation += 1;
				state.access = `access-${state.generation}`;
				state.refresh = `refresh-${state.generation}`;
				return send(200, {
					access_token: state.access,
					refresh_token: state.refresh,
					token_type: 'Bearer',
					expires_in: 3600,
				});
			}
			if (req.url.startsWith('/api/me')) {
				state.apiCalls.push(req.headers.authorization || '');
				if (req.headers.authorization !== `Bearer ${state.access}`) {
					return send(401, { error: 'expired_token', error_description: 'The access token provided has expired.' });
				}
				return send(200, { user: 'e2e', generation: state.generation });
			}
			send(404, { error: 'not found' });
		});
	});
	return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, state })));
}

describe('e2e harness with a real n8n', () => {
	/** @type {N8nInstance} */
	let n8n;
	const withOurPackage = packageBuildStatus().built;

	beforeAll(async () => {
		n8n = await N8nInstance.create({ installPackage: withOurPackage, importVia: 'cli' }); // n8n's own import commands stay covered
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
	});

	test('imports a Manual Trigger → Set workflow and executes it with the CLI', async () => {
		const wf = manualSetWorkflow('e2eManualSet');
		await n8n.importWorkflow(wf);

		const run = await n8n.execute(wf.id);

		expect(run.error).toBeUndefined();
		expect(run.ok).toBe(true);
		expect(run.lastNodeExecuted).toBe('Set');
		expect(run.outputOf('Set')).toEqual([{ greeting: 'hello from n8n', answer: 42 }]);
	});

	test('reports a failing node through the execution JSON, not the exit code', async () => {
		const wf = manualSetWorkflow('e2eManualFail');
		wf.nodes[1] = {
			id: 'ms-fail',
			name: 'Set',
			type: 'n8n-nodes-base.stopAndError',
			typeVersion: 1,
			position: [220, 0],
			parameters: { errorMessage: 'boom-e2e' },
		};
		await n8n.importWorkflow(wf);

		const run = await n8n.execute(wf.id);

		expect(run.ok).toBe(false);
		expect(run.error.message).toBe('boom-e2e');
		expect(run.nodeError('Set').message).toBe('boom-e2e');
	});

	test('an imported, already connected OAuth2 credential is refreshed on 401 and the rotated token is saved', async () => {
		const port = await freePort();
		const { server, state } = await startFakeOAuthProvider(port);
		try {
			const credential = { id: 'e2eOAuthCred1', name: 'E2E OAuth2', type: 'oAuth2Api' };
			await n8n.importCredentials([
				{
					...credential,
					data: {
						grantType: 'authorizationCode',
						authUrl: `http://127.0.0.1:${port}/authorize`,
						accessTokenUrl: `http://127.0.0.1:${port}/token`,
						clientId: 'e2e-client',
						clientSecret: 'e2e-client-secret',
						scope: '',
						authQueryParameters: '',
						authentication: 'body',
						// "connected": the token set n8n stores after the code exchange
						oauthTokenData: { access_token: 'stale-access', refresh_token: 'refresh-1', token_type: 'Bearer', expires_in: 3600 },
					},
				},
			]);
			const wf = oauthHttpWorkflow('e2eOAuthHttp', `http://127.0.0.1:${port}/api/me`, credential);
			await n8n.importWorkflow(wf);

			const run = await n8n.execute(wf.id);

			expect(run.error).toBeUndefined();
			expect(run.outputOf('HTTP')).toEqual([{ user: 'e2e', generation: 2 }]);
			expect(state.apiCalls).toEqual(['Bearer stale-access', 'Bearer access-2']);
			expect(state.tokenRequests).toHaveLength(1);
			expect(state.tokenRequests[0].form).toMatchObject({
				grant_type: 'refresh_token',
				refresh_token: 'refresh-1',
				client_id: 'e2e-client',
				client_secret: 'e2e-client-secret',
			});

			const saved = await n8n.exportCredential(credential.id);
			expect(saved.data.oauthTokenData).toMatchObject({ access_token: 'access-2', refresh_token: 'refresh-2' });
			expect(saved.data.clientSecret).toBe('e2e-client-secret');
		} finally {
			server.close();
		}
	});

	test('starts n8n, activates a webhook workflow, and the POST becomes a saved execution', async () => {
		const wf = webhookWorkflow('e2eWebhook', 'e2e-hook');
		await n8n.importWorkflow(wf);
		await n8n.start();
		expect(n8n.running).toBe(true);

		const activation = await n8n.activateWorkflow(wf.id);
		expect(activation.active).toBe(true);

		const res = await httpRequest({
			port: n8n.port,
			method: 'POST',
			path: '/webhook/e2e-hook',
			body: { msg: 'hello webhook' },
		});
		expect(res.status).toBe(200);

		const executions = await n8n.waitForExecutions(wf.id, { count: 1 });
		expect(executions[0]).toMatchObject({ workflowId: wf.id, mode: 'webhook', status: 'success' });
		const execution = await n8n.getExecution(executions[0].id);
		expect(execution.outputOf('Set')[0]).toMatchObject({ seen: 'hello webhook' });
	});

	test('lists the loaded node types (core nodes always; ours when dist/ is built)', async () => {
		await n8n.start();
		const loaded = await n8n.loadedNodeTypes();

		expect(loaded.nodes).toEqual(expect.arrayContaining(['n8n-nodes-base.manualTrigger', 'n8n-nodes-base.webhook']));
		expect(loaded.credentials).toEqual(expect.arrayContaining(['oAuth2Api']));
		if (!withOurPackage) return;

		expect(loaded.ours.missingNodes).toEqual([]);
		expect(loaded.ours.missingCredentials).toEqual([]);
		expect(loaded.ours.unknownCredentialRefs).toEqual([]);
		expect(loaded.ours.brokenIcons).toEqual([]);
		// n8n adds a `…Tool` variant of every node with usableAsTool (the action nodes, not the triggers), and lists a
		// versioned node (Chatbot: versions 1 and 2) once per version
		const versionsOf = (name) => loaded.ours.nodes.filter((n) => n.name === name).map((n) => n.version).sort();
		expect(versionsOf('n8n-nodes-bitrix24-chat.bitrix24Chatbot')).toEqual([1, 2]);
		expect(versionsOf('n8n-nodes-bitrix24-chat.bitrix24ChatbotTool')).toEqual([1, 2]);
		// every node package.json declares, plus the Tool variant of each whose description has usableAsTool
		const pkgRoot = defaultPackageRoot();
		const expected = [];
		for (const file of JSON.parse(fs.readFileSync(path.join(pkgRoot, 'package.json'), 'utf8')).n8n.nodes) {
			const base = path.basename(file, '.node.js');
			const name = `n8n-nodes-bitrix24-chat.${base.charAt(0).toLowerCase()}${base.slice(1)}`;
			const node = new (Object.values(require(path.join(pkgRoot, file)))[0])();
			const desc = node.nodeVersions ? node.nodeVersions[node.description.defaultVersion].description : node.description;
			expected.push(name, ...(desc.usableAsTool ? [`${name}Tool`] : []));
		}
		expect(expected).toEqual(expect.arrayContaining(['n8n-nodes-bitrix24-chat.bitrix24ChatbotTool', 'n8n-nodes-bitrix24-chat.bitrix24OpenChannelsTool']));
		// n8n 2.41 also adds a `…HitlTool` (the AI Agent's human review) of every node with a Send and Wait operation
		if (!n8n.n8nVersion.startsWith('2.0.')) expected.push('n8n-nodes-bitrix24-chat.bitrix24ChatbotHitlTool');
		expect([...new Set(loaded.ours.nodes.map((n) => n.name))].sort()).toEqual(expected.sort());
		expect(loaded.ours.credentials.sort()).toEqual(['bitrix24OAuth2Api', 'bitrix24WebhookApi']);
		expect(loaded.problems).toEqual([]);
	});

	test('no n8n process of the run reached beyond 127.0.0.1', () => {
		expect(n8n.externalConnections()).toEqual([]);
	});
});
