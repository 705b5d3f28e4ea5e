'use strict';
// Our Bitrix24 OAuth2 credential in a real n8n (every version of the matrix) against the sandbox portal, end to end:
//   1. connected through n8n's own OAuth2 flow (REST /rest/oauth2-credential/auth → the sandbox's authorize page
//      → n8n's callback → code exchange at the sandbox's token endpoint);
//   2. n8n's credential test (POST /rest/credentials/test) for the OAuth2 credential and for webhook credentials
//      (a good URL passes, a wrong code fails with a clear message);
//   3. a 120-item Chatbot run (3 batch requests) whose access token expires after the first request: 401 →
//      refresh → retry, every message stored exactly once, the rotated refresh token saved;
//   4. a second refresh later works with the saved (rotated) token; the spent ones are invalid_grant.

const { N8nInstance, packageBuildStatus, httpRequest } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { expireAllAccessTokens } = require('../../sandbox/oauth');
const { ourNode, codeNode, chainWorkflow, rl, logMark, sandboxLog, appCall, expectRunOk } = require('./lib/bitrix');

const status = packageBuildStatus();
if (!status.built) throw new Error(`oauth-refresh e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const ITEMS = 120;

/**
 * What the editor's credential test does on each n8n version (both observed against the sandbox):
 *  - connectedOAuth2Test: whether the editor tests a connected OAuth2 credential. 2.0.3 does (the credential
 *    comes back with its token redacted and n8n puts the stored one back). 2.41 does not: GET
 *    /rest/credentials/:id?includeData=true answers `oauthTokenData: true` (the editor shows "Account
 *    connected") and the editor offers no test for it.
 *  - wrongCodeMessage: what the test shows for a webhook URL with a wrong code (the portal answers HTTP 401
 *    NO_AUTH_FOUND). 2.0.3 turns the 401 into its own message before the credential's rules are consulted
 *    (NodeApiError drops the axios cause). 2.41 reads `responseCode` rules: it shows the credential's own
 *    401 message (before the credential had that rule, 2.41 showed the status text "Unauthorized").
 */
const CREDENTIAL_TEST_BY_VERSION = {
	'2.0.3': { connectedOAuth2Test: true, wrongCodeMessage: /^Authorization failed - please check your credentials$/ },
	'2.41.1': { connectedOAuth2Test: false, wrongCodeMessage: /^The webhook code is not valid on this portal \(HTTP 401 NO_AUTH_FOUND\)/ },
};

/** The sandbox's token endpoint, called directly (to prove a refresh token is spent). */
async function refreshAt(sb, refreshToken) {
	const res = await fetch(sb.oauth.tokenUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: sb.oauth.clientId, client_secret: sb.oauth.clientSecret }).toString(),
	});
	return { status: res.status, body: await res.json() };
}

describe('Bitrix24 OAuth2 credential in a real n8n: connect, test, refresh mid-run, refresh again', () => {
	let sb;
	let n8n;
	let botId;
	const oauthCred = { id: 'b24OAuthFlow', name: 'Bitrix24 OAuth2 (connected in n8n)', type: 'bitrix24OAuth2Api' };
	const goodHook = { id: 'b24HookGood', name: 'Bitrix24 Webhook (good)', type: 'bitrix24WebhookApi' };
	const badHook = { id: 'b24HookBad', name: 'Bitrix24 Webhook (wrong code)', type: 'bitrix24WebhookApi' };
	const saved = []; // refresh tokens in the order n8n saved them

	const appNode = (name, parameters, opts = {}) => ourNode('chatbot', name, parameters, { auth: 'oAuth2', credential: oauthCred, ...opts });
	const manyWf = () =>
		chainWorkflow('e2eRefreshMany', 'E2E OAuth2 refresh mid-run', [
			codeNode('Items', `return Array.from({ length: ${ITEMS} }, (_, i) => ({ json: { i } }));`, { executeOnce: true }),
			appNode('Send Many', { resource: 'message', operation: 'send', botId: rl(botId), dialogId: '2', text: '={{ "refresh test " + $json.i }}' }, { multi: true }),
		]);
	const laterWf = () => chainWorkflow('e2eRefreshLater', 'E2E OAuth2 second refresh', [appNode('Bots', { resource: 'bot', operation: 'getAll', returnAll: true })]);

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		// a bot of the app, set up directly in the portal (not the code under test)
		const setup = await appCall(sb, sb.issueTokens().access_token, 'imbot.register', {
			CODE: 'e2e_refresh_bot',
			TYPE: 'B',
			EVENT_HANDLER: 'http://127.0.0.1:9/none',
			PROPERTIES: { NAME: 'Refresh' },
		});
		botId = setup.body.result;
		await n8n.importCredentials([
			{
				...oauthCred,
				// not connected yet: no oauthTokenData
				data: { portalUrl: sb.url, clientId: sb.oauth.clientId, clientSecret: sb.oauth.clientSecret, accessTokenUrl: sb.oauth.tokenUrl },
			},
			{ ...goodHook, data: { webhookSecret: sb.webhookUrl } },
			{ ...badHook, data: { webhookSecret: `${sb.url}/rest/1/wrongcode/` } },
		]);
		await n8n.importWorkflow([manyWf(), laterWf()]);
		await n8n.start();
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	/** n8n's own OAuth2 flow for one credential: auth URL → sandbox authorize (auto-approved) → n8n's callback. */
	async function connect(ref) {
		const authUrl = await n8n.rest('GET', `/oauth2-credential/auth?id=${ref.id}`);
		const url = new URL(authUrl);
		expect(`${url.origin}${url.pathname}`).toBe(`${sb.url}/oauth/authorize/`);
		expect(url.searchParams.get('client_id')).toBe(sb.oauth.clientId);
		expect(url.searchParams.get('redirect_uri')).toBe(`${n8n.baseUrl}/rest/oauth2-credential/callback`);

		// the sandbox auto-approves and redirects to n8n's callback with code + state
		const authorize = await fetch(authUrl, { redirect: 'manual' });
		expect(authorize.status).toBe(302);
		const callback = new URL(authorize.headers.get('location'));
		expect(`${callback.origin}${callback.pathname}`).toBe(`${n8n.baseUrl}/rest/oauth2-credential/callback`);
		expect(callback.searchParams.get('code')).toBeTruthy();

		await n8n.login();
		const done = await httpRequest({ port: n8n.port, path: `${callback.pathname}${callback.search}`, headers: { cookie: n8n.cookie } });
		expect(done.status).toBe(200);
		expect(done.body).not.toMatch(/error/i);

		const token = (await n8n.exportCredential(ref.id)).data.oauthTokenData;
		expect(token).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), client_endpoint: `${sb.url}/rest/` });
		expect(sb.portal.tokens.refresh.has(token.refresh_token)).toBe(true);
		return token;
	}

	/** Every access token expired, then a one-call workflow: 401 → refresh → the call again; the saved token after it. */
	async function refreshOnce(workflowId, ref) {
		expireAllAccessTokens(sb.portal);
		const mark = logMark(sb);
		const run = expectRunOk(await n8n.execute(workflowId));
		expect(run.outputOf('Bots')).toEqual([{ botId, name: 'Refresh', code: 'e2e_refresh_bot', openLine: false }]);
		expect(sandboxLog(sb, { sinceId: mark }).map((e) => [e.method, e.status])).toEqual([
			['imbot.bot.list', 401],
			['imbot.bot.list', 200],
		]);
		return (await n8n.exportCredential(ref.id)).data.oauthTokenData;
	}

	test("connects through n8n's OAuth2 flow against the sandbox's authorize and token endpoints", async () => {
		const token = await connect(oauthCred);
		saved.push(token.refresh_token);
	});

	test('credential tests in n8n: OAuth2 connected (tested where the editor tests it); webhook good URL passes, wrong code fails clearly', async () => {
		const testCredential = async (ref) => {
			// what the editor does: load the credential (secrets redacted) and send it back to /credentials/test
			const stored = await n8n.rest('GET', `/credentials/${ref.id}?includeData=true`);
			return await n8n.rest('POST', '/credentials/test', { credentials: { id: ref.id, name: ref.name, type: ref.type, data: stored.data } });
		};
		const expected = CREDENTIAL_TEST_BY_VERSION[n8n.n8nVersion];
		if (!expected) throw new Error(`no credential-test expectations for n8n ${n8n.n8nVersion}: observe them and add them above`);
		const mark = logMark(sb);
		if (expected.connectedOAuth2Test) {
			expect(await testCredential(oauthCred)).toMatchObject({ status: 'OK' });
		} else {
			// what the editor gets instead: "connected", without the token itself
			const stored = await n8n.rest('GET', `/credentials/${oauthCred.id}?includeData=true`);
			expect(stored.data.oauthTokenData).toBe(true);
			expect(JSON.stringify(stored.data)).not.toContain(saved[0]);
		}
		expect(await testCredential(goodHook)).toMatchObject({ status: 'OK' });
		const bad = await testCredential(badHook);
		expect(bad.status).toBe('Error');
		// what users see for the wrong code (per version, see CREDENTIAL_TEST_BY_VERSION); never the secret code
		expect(bad.message).toMatch(expected.wrongCodeMessage);
		expect(bad.message).not.toContain('wrongcode');
		// each test reached the portal with the right authentication
		// (n8n repeats a request that got HTTP 401 once, after authenticating again)
		const calls = sandboxLog(sb, { sinceId: mark }).map((e) => [e.method, e.auth, e.status]);
		const first = [...(expected.connectedOAuth2Test ? [['app.info', 'oauth', 200]] : []), ['profile', 'webhook', 200], ['profile', 'webhook', 401]];
		expect(calls.slice(0, first.length)).toEqual(first);
		expect(calls.slice(first.length).every(([method, auth, code]) => method === 'profile' && auth === 'webhook' && code === 401)).toBe(true);
		expect(calls.length).toBeLessThanOrEqual(first.length + 1);
	});

	test(`the access token expires after the first of 3 batch requests (${ITEMS} items): refresh, retry, rotated token saved`, async () => {
		// Expire every access token right after the run's first successful batch request: deterministic "mid-run".
		const mark = logMark(sb);
		const original = sb.portal.log;
		let expired = false;
		const hooked = (entry) => {
			original(entry);
			if (!expired && entry.method === 'batch' && entry.status === 200 && entry.auth === 'oauth') {
				expired = true;
				expireAllAccessTokens(sb.portal);
			}
		};
		Object.assign(hooked, { entries: original.entries, clear: original.clear });
		sb.portal.log = hooked;
		let run;
		try {
			run = expectRunOk(await n8n.execute('e2eRefreshMany'));
		} finally {
			sb.portal.log = original;
		}

		// every item has its own result, every message is in the portal exactly once
		const out = run.outputOf('Send Many');
		expect(out).toHaveLength(ITEMS);
		expect(out.every((o) => Number.isInteger(o.messageId) && o.botId === botId && o.dialogId === '2')).toBe(true);
		expect(new Set(out.map((o) => o.messageId)).size).toBe(ITEMS);
		const texts = [...sb.state.messages.values()].filter((m) => /^refresh test \d+$/.test(m.MESSAGE)).map((m) => m.MESSAGE);
		expect(texts.sort()).toEqual(Array.from({ length: ITEMS }, (_, i) => `refresh test ${i}`).sort());

		// 50 + 50 + 20 calls in 3 batch requests; the 2nd was refused as expired once and retried after the refresh
		const batches = sandboxLog(sb, { sinceId: mark }).filter((e) => e.method === 'batch');
		expect(batches.map((e) => [e.status, e.error])).toEqual([
			[200, null],
			[401, 'expired_token'],
			[200, null],
			[200, null],
		]);
		expect(sandboxLog(sb, { sinceId: mark, method: 'imbot.message.add' }).filter((e) => e.status === 200)).toHaveLength(ITEMS);

		const cred = await n8n.exportCredential(oauthCred.id);
		const token = cred.data.oauthTokenData;
		expect(token.refresh_token).not.toBe(saved[0]);
		expect(sb.portal.tokens.refresh.has(token.refresh_token)).toBe(true);
		expect(token.client_endpoint).toBe(`${sb.url}/rest/`);
		saved.push(token.refresh_token);
		// no token or secret in the output
		const output = JSON.stringify(run.runData);
		for (const secret of [sb.oauth.clientSecret, token.access_token, token.refresh_token, saved[0]]) expect(output).not.toContain(secret);
	});

	test('a second refresh later uses the saved token; the spent refresh tokens are invalid_grant', async () => {
		const token = await refreshOnce('e2eRefreshLater', oauthCred);
		expect(saved).not.toContain(token.refresh_token);
		expect(sb.portal.tokens.refresh.has(token.refresh_token)).toBe(true);

		for (const spent of saved) {
			const r = await refreshAt(sb, spent);
			expect(r).toEqual({ status: 400, body: expect.objectContaining({ error: 'invalid_grant' }) });
		}
		expect(n8n.externalConnections()).toEqual([]);
	});
});
