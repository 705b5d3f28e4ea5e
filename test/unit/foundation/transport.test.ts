import nock from 'nock';
import { parse as parseQuery } from 'querystring';

import { ERROR_CATALOG } from '../../../nodes/Bitrix24/transport/errorCatalog';
import { resetBuckets } from '../../../nodes/Bitrix24/transport/pacer';
import { RETRY } from '../../../nodes/Bitrix24/transport/request';
import { makeItems, OAUTH_BASE, oauthCredentials, runNode, WEBHOOK_BASE, WEBHOOK_PATH, webhookCredentials } from '../../helpers/runNode';
import { specNode } from '../../helpers/specNode';
import { specResources } from './specResources';

const node = specNode(specResources);
/** Tests may shorten RETRY's waits; afterEach puts the policy back whether or not the test passed. */
const savedRetry = { ...RETRY };
const SECRETS = ['s3cr3tc0de99', 'acc-token-1', 'ref-token-1', 'app-secret-xyz', 'acc-token-2', 'ref-token-2'];

function sendParams(extra: Record<string, unknown> = {}) {
	return { resource: 'message', operation: 'send', dialogId: 'chat5', text: 'hello', ...extra };
}

/** Decodes a batch body's cmd strings into {method, params}. */
function decodeBatch(body: { cmd: Record<string, string> }) {
	return Object.entries(body.cmd).map(([key, value]) => {
		const [method, query] = value.split('?');
		return { key, method, params: parseQuery(query) };
	});
}

beforeAll(() => nock.disableNetConnect());
beforeEach(() => resetBuckets());
afterEach(() => {
	nock.cleanAll();
	Object.assign(RETRY, savedRetry);
});

describe('URL forms and auth', () => {
	test('webhook: method appended to the webhook URL, POST JSON, User-Agent, CLIENT_ID for imbot', async () => {
		const scope = nock(WEBHOOK_BASE, { reqheaders: { 'user-agent': /n8n-nodes-bitrix24-chat/ } })
			.post(`${WEBHOOK_PATH}imbot.message.add`, { DIALOG_ID: 'chat5', MESSAGE: 'hello', SYSTEM: 'N', CLIENT_ID: 'n8n-bot-client' })
			.reply(200, { result: 77, time: {} });
		const out = await runNode(node, { parameters: { authentication: 'webhook', ...sendParams() } });
		expect(out.error).toBeUndefined();
		expect(out.items).toEqual([{ json: { messageId: 77 }, pairedItem: { item: 0 } }]);
		expect(scope.isDone()).toBe(true);
	});

	test('OAuth2: client_endpoint + method, Bearer token, no token in query or body', async () => {
		const scope = nock(OAUTH_BASE, { reqheaders: { authorization: 'Bearer acc-token-1' } })
			.post('/rest/imbot.message.add', (body) => !('auth' in body) && !('CLIENT_ID' in body) && body.DIALOG_ID === 'chat5')
			.query((q) => Object.keys(q).length === 0)
			.reply(200, { result: 78 });
		const out = await runNode(node, { parameters: { authentication: 'oAuth2', ...sendParams() } });
		expect(out.error).toBeUndefined();
		expect(out.items[0].json).toEqual({ messageId: 78 });
		expect(scope.isDone()).toBe(true);
	});

	test('OAuth2 uses the token response client_endpoint when it differs from the portal URL', async () => {
		const creds = oauthCredentials({ oauthTokenData: { access_token: 'acc-token-1', refresh_token: 'ref-token-1', client_endpoint: 'https://rest.example.net/custom/rest/' } });
		const scope = nock('https://rest.example.net').post('/custom/rest/imbot.message.add').reply(200, { result: 1 });
		const out = await runNode(node, { parameters: { authentication: 'oAuth2', ...sendParams() }, credentials: { bitrix24OAuth2Api: creds } });
		expect(out.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
	});

	test('OAuth2: 401 expired_token → n8n refreshes at the token URL → call retried once with the new token; rotated refresh token saved', async () => {
		const saved: Array<Record<string, unknown>> = [];
		const api = nock(OAUTH_BASE);
		api.post('/rest/imbot.message.add').matchHeader('authorization', 'Bearer acc-token-1').reply(401, { error: 'expired_token', error_description: 'The access token provided has expired.' });
		const token = nock('https://oauth.bitrix.info')
			.post('/oauth/token/', (b) => b.grant_type === 'refresh_token' && b.refresh_token === 'ref-token-1' && b.client_id === 'local.app.1' && b.client_secret === 'app-secret-xyz')
			.reply(200, { access_token: 'acc-token-2', refresh_token: 'ref-token-2', expires_in: 3600, client_endpoint: `${OAUTH_BASE}/rest/`, domain: 'oauth.bitrix.info' });
		api.post('/rest/imbot.message.add').matchHeader('authorization', 'Bearer acc-token-2').reply(200, { result: 99 });
		const out = await runNode(node, { parameters: { authentication: 'oAuth2', ...sendParams() }, onTokenSaved: (d) => saved.push(d) });
		expect(out.error).toBeUndefined();
		expect(out.items[0].json).toEqual({ messageId: 99 });
		expect(token.isDone()).toBe(true);
		expect(saved).toHaveLength(1);
		expect(saved[0].refresh_token).toBe('ref-token-2');
	});

	test('imconnector under a webhook is refused before any request, naming the OAuth2 credential', async () => {
		const out = await runNode(node, { parameters: { authentication: 'webhook', resource: 'connector', operation: 'register', connectorId: 'x' } });
		expect(out.error?.message).toMatch(/imconnector\.register works only in application context/);
		expect(out.error?.message).toMatch(/Bitrix24 OAuth2 API/);
		expect(nock.pendingMocks()).toEqual([]);
	});

	test('imbot under a webhook without a chatbot client ID is refused before any request', async () => {
		const creds = { bitrix24WebhookApi: webhookCredentials({ chatbotClientId: '' }) };
		const out = await runNode(node, { parameters: { authentication: 'webhook', ...sendParams() }, credentials: creds });
		expect(out.error?.message).toMatch(/Chatbot Client ID/);
	});
});

describe('errors', () => {
	const statusOf: Record<string, number> = {
		INTERNAL_SERVER_ERROR: 500, ERROR_UNEXPECTED_ANSWER: 500, QUERY_LIMIT_EXCEEDED: 503, OPERATION_TIME_LIMIT: 429,
		ERROR_BATCH_METHOD_NOT_ALLOWED: 405, ERROR_BATCH_LENGTH_EXCEEDED: 400, NO_AUTH_FOUND: 401, INVALID_REQUEST: 400,
		OVERLOAD_LIMIT: 503, ACCESS_DENIED: 403, INVALID_CREDENTIALS: 403, ERROR_MANIFEST_IS_NOT_AVAILABLE: 404,
		insufficient_scope: 403, user_access_error: 403, PORTAL_DELETED: 500, WRONG_AUTH_TYPE: 403,
	};

	test.each(Object.keys(statusOf))('%s → NodeApiError naming method, code, meaning and action; HTTP status kept; no secret', async (code) => {
		const status = statusOf[code];
		// Retried codes answer the same every time; the retry bounds end it (backoff shortened for the test).
		Object.assign(RETRY, { baseBackoffMs: 2, maxBackoffMs: 10 });
		nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}imbot.message.like`)
			.times(code === 'QUERY_LIMIT_EXCEEDED' ? 8 : status === 401 ? 2 : 1)
			.reply(status, { error: code, error_description: `desc of ${code} for /rest/1/s3cr3tc0de99/ auth=acc-token-1` });
		const out = await runNode(node, { parameters: { authentication: 'webhook', resource: 'message', operation: 'like', messageId: '5' } });
		const error = out.error;
		expect(error).toBeDefined();
		expect(error.message).toContain('imbot.message.like');
		expect(error.message).toContain(code);
		expect(error.message).toContain(ERROR_CATALOG[code].meaning);
		expect(error.description.startsWith(ERROR_CATALOG[code].action)).toBe(true);
		expect(error.description).toMatch(/Bitrix24 docs for .*: https:\/\/apidocs\.bitrix24\.com\/api-reference\//);
		expect(String(error.httpCode)).toBe(String(status));
		const everything = JSON.stringify({ m: error.message, d: error.description, c: error.context, s: error.stack });
		for (const secret of SECRETS) expect(everything).not.toContain(secret);
	}, 30000);

	test('a failure inside a 200 (imconnector.register result.error) is an error', async () => {
		nock(OAUTH_BASE)
			.post('/rest/imconnector.register')
			.reply(200, { result: { result: false, error: 'APPLICATION_REGISTRATION_ERROR_POINT', error_description: 'Connector ID can not contain a point' } });
		const out = await runNode(node, { parameters: { authentication: 'oAuth2', resource: 'connector', operation: 'register', connectorId: 'a.b' } });
		expect(out.error?.message).toMatch(/imconnector\.register failed with APPLICATION_REGISTRATION_ERROR_POINT/);
	});

	test('continue on fail: an error item with pairedItem instead of a thrown error', async () => {
		nock(WEBHOOK_BASE).post(`${WEBHOOK_PATH}imbot.message.like`).reply(400, { error: 'MESSAGE_ID_ERROR', error_description: 'Message not found' });
		const out = await runNode(node, {
			parameters: { authentication: 'webhook', resource: 'message', operation: 'like', messageId: '5' },
			continueOnFail: true,
		});
		expect(out.error).toBeUndefined();
		expect(out.items).toHaveLength(1);
		expect(out.items[0].pairedItem).toEqual({ item: 0 });
		expect(out.items[0].json.code).toBe('MESSAGE_ID_ERROR');
		expect(out.items[0].json.error).toMatch(/imbot\.message\.like failed with MESSAGE_ID_ERROR \(HTTP 400\)/);
	});
});

describe('retries and pacing', () => {
	test('503 QUERY_LIMIT_EXCEEDED, then success: retried and succeeds', async () => {
		const scope = nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}imbot.message.add`)
			.reply(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' })
			.post(`${WEBHOOK_PATH}imbot.message.add`)
			.reply(200, { result: 5 });
		const out = await runNode(node, { parameters: { authentication: 'webhook', ...sendParams() } });
		expect(out.error).toBeUndefined();
		expect(out.items[0].json).toEqual({ messageId: 5 });
		expect(scope.isDone()).toBe(true);
	});

	test('429 OPERATION_TIME_LIMIT with operating_reset_at near: waits for it, then retries', async () => {
		const resetAt = Math.floor(Date.now() / 1000) + 1;
		const scope = nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}imbot.message.add`)
			.reply(429, { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.', time: { operating_reset_at: resetAt } })
			.post(`${WEBHOOK_PATH}imbot.message.add`)
			.reply(200, { result: 6 });
		const out = await runNode(node, { parameters: { authentication: 'webhook', ...sendParams() } });
		expect(out.error).toBeUndefined();
		expect(out.items[0].json).toEqual({ messageId: 6 });
		expect(scope.isDone()).toBe(true);
		expect(Date.now()).toBeGreaterThanOrEqual(resetAt * 1000);
	});

	test('429 OPERATION_TIME_LIMIT with the reset far away: a clear error, no waiting', async () => {
		const resetAt = Math.floor(Date.now() / 1000) + 600;
		nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}imbot.message.add`)
			.reply(429, { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked.', time: { operating_reset_at: resetAt } });
		const out = await runNode(node, { parameters: { authentication: 'webhook', ...sendParams() } });
		expect(out.error?.message).toMatch(/OPERATION_TIME_LIMIT \(HTTP 429\)/);
		expect(out.error?.message).toMatch(/too far to wait/);
	});

	test('a write answered 500 is not retried (outcome unknown); the error says why', async () => {
		const scope = nock(WEBHOOK_BASE).post(`${WEBHOOK_PATH}imbot.message.add`).once().reply(500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'boom' });
		const out = await runNode(node, { parameters: { authentication: 'webhook', ...sendParams() } });
		expect(scope.isDone()).toBe(true);
		expect(out.error?.message).toMatch(/outcome is unknown, so it was not retried/);
	});

	test('a read answered 500 is retried', async () => {
		const scope = nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}imopenlines.config.get`)
			.reply(500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'boom' })
			.post(`${WEBHOOK_PATH}imopenlines.config.get`, { CONFIG_ID: 3 })
			.reply(200, { result: { ID: '3', LINE_NAME: 'Support' } });
		const out = await runNode(node, { parameters: { authentication: 'webhook', resource: 'line', operation: 'get', lineId: 3 } });
		expect(out.error).toBeUndefined();
		expect(out.items[0].json).toEqual({ ID: '3', LINE_NAME: 'Support' });
		expect(scope.isDone()).toBe(true);
	});
});

describe('batch', () => {
	test('120 items → 3 batch requests (50/50/20, halt=0); results on the right items; one failing command fails only its item', async () => {
		const bodies: Array<{ halt: number; cmd: Record<string, string> }> = [];
		let offset = 0;
		nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}batch`)
			.times(3)
			.reply(200, (_uri, body) => {
				const batch = body as { halt: number; cmd: Record<string, string> };
				bodies.push(batch);
				const commands = decodeBatch(batch);
				const result: Record<string, number> = {};
				const resultError: Record<string, unknown> = {};
				for (const command of commands) {
					const itemNo = Number(String(command.params.MESSAGE).replace('msg ', ''));
					if (itemNo === 57) resultError[command.key] = { error: 'DIALOG_ID_EMPTY', error_description: 'Dialog ID can not be empty' };
					else result[command.key] = 1000 + itemNo;
				}
				offset += commands.length;
				return { result: { result, result_error: Object.keys(resultError).length ? resultError : [], result_total: [], result_next: [], result_time: {} } };
			});
		const items = makeItems(120, (i) => ({ text: `msg ${i}` }));
		const out = await runNode(node, {
			parameters: { authentication: 'webhook', resource: 'message', operation: 'send', dialogId: 'chat5', text: '={{ $json.text }}' },
			items,
			continueOnFail: true,
		});
		expect(out.error).toBeUndefined();
		expect(bodies.map((b) => Object.keys(b.cmd).length)).toEqual([50, 50, 20]);
		expect(bodies.every((b) => Number(b.halt) === 0)).toBe(true);
		const first = decodeBatch(bodies[0])[0];
		expect(first.method).toBe('imbot.message.add');
		expect(first.params).toEqual({ DIALOG_ID: 'chat5', MESSAGE: 'msg 0', SYSTEM: 'N', CLIENT_ID: 'n8n-bot-client' });
		expect(out.items).toHaveLength(120);
		out.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			if (i === 57) {
				expect(item.json.code).toBe('DIALOG_ID_EMPTY');
				expect(item.json.error).toMatch(/imbot\.message\.add failed with DIALOG_ID_EMPTY/);
			} else {
				expect(item.json).toEqual({ messageId: 1000 + i });
			}
		});
		expect(offset).toBe(120);
	});

	test('a whole batch request failing with a write-unknown 500 fails its items only, never resent', async () => {
		const scope = nock(WEBHOOK_BASE).post(`${WEBHOOK_PATH}batch`).once().reply(500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'x' });
		const out = await runNode(node, {
			parameters: { authentication: 'webhook', resource: 'message', operation: 'send', dialogId: 'chat5', text: '={{ "t" + $json.i }}' },
			items: makeItems(3),
			continueOnFail: true,
		});
		expect(scope.isDone()).toBe(true);
		expect(out.items.map((i) => i.json.code)).toEqual(['INTERNAL_SERVER_ERROR', 'INTERNAL_SERVER_ERROR', 'INTERNAL_SERVER_ERROR']);
	});

	test('commands a batch reports as rate-limited are resent in a later batch', async () => {
		let call = 0;
		nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}batch`)
			.times(2)
			.reply(200, (_uri, body) => {
				call++;
				const commands = decodeBatch(body as { cmd: Record<string, string> });
				const result: Record<string, number> = {};
				const resultError: Record<string, unknown> = {};
				for (const c of commands) {
					if (call === 1 && c.key === 'c1') resultError[c.key] = { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' };
					else result[c.key] = Number(String(c.params.MESSAGE).slice(1));
				}
				return { result: { result, result_error: resultError } };
			});
		nock(WEBHOOK_BASE).post(`${WEBHOOK_PATH}imbot.message.add`).reply(200, { result: 1 });
		const out = await runNode(node, {
			parameters: { authentication: 'webhook', resource: 'message', operation: 'send', dialogId: 'chat5', text: '={{ "t" + $json.i }}' },
			items: makeItems(3),
		});
		expect(out.error).toBeUndefined();
		expect(out.items.map((i) => i.json)).toEqual([{ messageId: 0 }, { messageId: 1 }, { messageId: 2 }]);
	});
});

describe('validation before sending', () => {
	test('a missing required field fails before any request, naming the field', async () => {
		const scope = nock(WEBHOOK_BASE).post(/.*/).reply(200, { result: 1 });
		const out = await runNode(node, {
			parameters: { authentication: 'webhook', resource: 'message', operation: 'send', dialogId: '={{ $json.d }}', text: 'x' },
			items: [{ json: { d: 'chat1' } }, { json: { d: '' } }],
		});
		expect(out.error?.message).toBe('"Dialog ID" is required.');
		expect(scope.isDone()).toBe(false);
	});

	test('bad JSON fails before any request, naming the field', async () => {
		const scope = nock(WEBHOOK_BASE).post(/.*/).reply(200, { result: 1 });
		const out = await runNode(node, { parameters: { authentication: 'webhook', ...sendParams({ keyboardJson: '{"BUTTONS": [' }) } });
		expect(out.error?.message).toMatch(/^"Keyboard JSON" is not valid JSON/);
		expect(scope.isDone()).toBe(false);
	});

	test('a field hidden by its own displayOptions is neither read nor required', async () => {
		const scope = nock(WEBHOOK_BASE).post(`${WEBHOOK_PATH}imbot.message.add`, (b) => !('PLUS_NOTE' in b)).reply(200, { result: 1 });
		const hidden = await runNode(node, { parameters: { authentication: 'webhook', ...sendParams({ mode: 'auto', plusNote: 'ignored' }) } });
		expect(hidden.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		const shown = await runNode(node, { parameters: { authentication: 'webhook', ...sendParams({ mode: 'plus', plusNote: '={{ "" }}' }) } });
		expect(shown.error?.message).toBe('"Plus Note" is required.');
	});

	test('a wrong enum value lists what is allowed', async () => {
		const out = await runNode(node, {
			parameters: { authentication: 'webhook', resource: 'message', operation: 'like', messageId: '5', likeAction: '={{ "sideways" }}' },
		});
		expect(out.error?.message).toBe('"Action" must be one of: auto, minus, plus (got "sideways").');
	});

	test('continue on fail: bad items become error items; good items are still sent', async () => {
		const scope = nock(WEBHOOK_BASE).post(`${WEBHOOK_PATH}imbot.message.like`, (b) => b.MESSAGE_ID === 7).reply(200, { result: true });
		const out = await runNode(node, {
			parameters: { authentication: 'webhook', resource: 'message', operation: 'like', messageId: '={{ $json.id }}' },
			items: [{ json: { id: 'abc' } }, { json: { id: 7 } }],
			continueOnFail: true,
		});
		expect(scope.isDone()).toBe(true);
		expect(out.items).toEqual([
			{ json: { error: '"Message ID" must be a whole number of at least 1 (got "abc").' }, pairedItem: { item: 0 } },
			{ json: { result: true }, pairedItem: { item: 1 } },
		]);
	});
});

describe('pagination', () => {
	test('QUERY_LIMIT_EXCEEDED retries are bounded: 8 requests, then the error', async () => {
		Object.assign(RETRY, { baseBackoffMs: 2, maxBackoffMs: 10 });
		const scope = nock(WEBHOOK_BASE).post(`${WEBHOOK_PATH}imbot.message.add`).times(8).reply(503, { error: 'QUERY_LIMIT_EXCEEDED' });
		const out = await runNode(node, { parameters: { authentication: 'webhook', ...sendParams() } });
		expect(scope.isDone()).toBe(true);
		expect(out.error?.message).toMatch(/QUERY_LIMIT_EXCEEDED \(HTTP 503\)/);
	});

	test('a method that returns everything at once (single): one request, Limit cuts the rows', async () => {
		const scope = nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}imbot.bot.list`)
			.reply(200, { result: { 1: { ID: 1 }, 2: { ID: 2 }, 3: { ID: 3 } } });
		const out = await runNode(node, { parameters: { authentication: 'webhook', resource: 'line', operation: 'bots', returnAll: false, limit: 2 } });
		expect(out.error).toBeUndefined();
		expect(out.items.map((i) => i.json.ID)).toEqual([1, 2]);
		expect(scope.isDone()).toBe(true);
	});

	test('Limit stops paging early (PARAMS.limit/offset paging)', async () => {
		const scope = nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}imopenlines.config.list.get`, { PARAMS: { limit: 2, offset: 0 } })
			.reply(200, { result: [{ ID: '1' }, { ID: '2' }] })
			.post(`${WEBHOOK_PATH}imopenlines.config.list.get`, { PARAMS: { limit: 1, offset: 2 } })
			.reply(200, { result: [{ ID: '3' }] });
		const out = await runNode(node, { parameters: { authentication: 'webhook', resource: 'line', operation: 'getAll', returnAll: false, limit: 3 } });
		expect(out.error).toBeUndefined();
		expect(out.items.map((i) => i.json.ID)).toEqual(['1', '2', '3']);
		expect(out.items.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(scope.isDone()).toBe(true);
	});
});
