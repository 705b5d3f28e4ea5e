/* Issue #14 points 4, 5 and 8: what the transport and the executor report when nothing was sent (a failed token
 * refresh, an unreachable portal) and when a run without Continue On Fail stops at its first failure. */
import nock from 'nock';
import { parse as parseQuery } from 'querystring';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parsePhpQuery } = require('../../../sandbox/phpQuery');

import { Bitrix24OpenChannels } from '../../../nodes/Bitrix24OpenChannels/Bitrix24OpenChannels.node';
import { Bitrix24OpenChannelsTrigger } from '../../../nodes/Bitrix24OpenChannelsTrigger/Bitrix24OpenChannelsTrigger.node';
import { resetBuckets } from '../../../nodes/Bitrix24/transport/pacer';
import { RETRY } from '../../../nodes/Bitrix24/transport/request';
import { makeItems, OAUTH_BASE, runNode, WEBHOOK_BASE, WEBHOOK_PATH } from '../../helpers/runNode';
import { specNode } from '../../helpers/specNode';
import { triggerHarness } from '../triggers/triggerContext';
import { specResources } from './specResources';

const node = specNode(specResources);
const savedRetry = { ...RETRY };
const SECRETS = ['s3cr3tc0de99', 'acc-token-1', 'ref-token-1', 'app-secret-xyz'];
const TOKEN_HOST = 'https://oauth.bitrix.info';

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
	resetBuckets();
	// Waits shortened for the test; every bound stays as in the code.
	Object.assign(RETRY, { baseBackoffMs: 1, maxBackoffMs: 4, lostRefreshWaitMs: 2 });
});
afterEach(() => {
	nock.cleanAll();
	Object.assign(RETRY, savedRetry);
});

function send(extra: Record<string, unknown> = {}) {
	return { resource: 'message', operation: 'send', dialogId: 'chat5', text: 'hello', ...extra };
}

function expectNoSecret(value: unknown): void {
	const text = JSON.stringify(value);
	for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('point 4: a failed OAuth2 refresh is said as such, never as an unknown outcome', () => {
	function expiredThenTokenServer(status: number, body: Record<string, string>) {
		nock(OAUTH_BASE).post('/rest/imbot.message.add').reply(401, { error: 'expired_token', error_description: 'The access token provided has expired.' });
		return nock(TOKEN_HOST).post('/oauth/token/').reply(status, body);
	}

	test('invalid_grant (revoked refresh token) → "reconnect the credential", nothing sent', async () => {
		const token = expiredThenTokenServer(400, { error: 'invalid_grant', error_description: 'Invalid or expired refresh token.' });
		const out = await runNode(node, { parameters: { authentication: 'oAuth2', ...send() } });
		expect(token.isDone()).toBe(true);
		expect(out.error?.message).toMatch(/invalid_grant/);
		expect(out.error?.message).toMatch(/nothing was sent/i);
		expect(out.error?.message).not.toMatch(/outcome|check the portal/i);
		expect(out.error?.description).toMatch(/Reconnect the Bitrix24 OAuth2 credential/);
		expectNoSecret({ m: out.error?.message, d: out.error?.description, c: out.error?.context });
	});

	test('invalid_client (wrong client secret) → "check the client secret", nothing sent', async () => {
		expiredThenTokenServer(401, { error: 'invalid_client', error_description: 'Invalid client id or secret.' });
		const out = await runNode(node, { parameters: { authentication: 'oAuth2', ...send() } });
		expect(out.error?.message).toMatch(/invalid_client/);
		expect(out.error?.message).not.toMatch(/outcome|check the portal|Maximum call stack/i);
		expect(out.error?.description).toMatch(/client secret/i);
	});

	test('Continue On Fail: every item gets an invalid_grant error item', async () => {
		nock(OAUTH_BASE).post('/rest/batch').reply(401, { error: 'expired_token', error_description: 'expired' });
		nock(TOKEN_HOST).post('/oauth/token/').reply(400, { error: 'invalid_grant', error_description: 'Invalid or expired refresh token.' });
		const out = await runNode(node, {
			parameters: { authentication: 'oAuth2', ...send({ text: '={{ "t" + $json.i }}' }) },
			items: makeItems(3),
			continueOnFail: true,
		});
		expect(out.items.map((i) => i.json.code)).toEqual(['invalid_grant', 'invalid_grant', 'invalid_grant']);
		expect(out.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const item of out.items) expect(String(item.json.error)).not.toMatch(/outcome|check the portal/i);
	});

	test('a trigger activation names the refused refresh and what to do', async () => {
		nock(OAUTH_BASE).post('/rest/event.get').reply(401, { error: 'expired_token', error_description: 'expired' });
		nock(TOKEN_HOST).post('/oauth/token/').reply(400, { error: 'invalid_grant', error_description: 'Invalid or expired refresh token.' });
		const h = triggerHarness(new Bitrix24OpenChannelsTrigger(), { parameters: { authentication: 'oAuth2', events: ['ONIMCONNECTORMESSAGEADD'] } });
		const error = await h.create().then(
			() => undefined,
			(e: { message: string; description?: string }) => e,
		);
		expect(error?.message).toMatch(/event\.get failed with invalid_grant/);
		expect(error?.description).toMatch(/Reconnect the Bitrix24 OAuth2 credential/);
	});
});

describe('point 5: a refused connection is retried, and then reported as "nothing was sent"', () => {
	const refused = (code: string) => Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code });

	test('ECONNREFUSED twice, then the portal answers: the write is sent and succeeds', async () => {
		let attempts = 0;
		nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}imbot.message.add`)
			.times(2)
			.replyWithError(refused('ECONNREFUSED'))
			.post(`${WEBHOOK_PATH}imbot.message.add`)
			.reply(200, () => {
				attempts++;
				return { result: 41 };
			});
		const out = await runNode(node, { parameters: { authentication: 'webhook', ...send() } });
		expect(out.error).toBeUndefined();
		expect(out.items).toEqual([{ json: { messageId: 41 }, pairedItem: { item: 0 } }]);
		expect(attempts).toBe(1);
	});

	test.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])('%s for good: 6 attempts in all, then "portal unreachable, nothing was sent"', async (code) => {
		let attempts = 0;
		nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}imbot.message.add`)
			.times(20)
			.replyWithError(refused(code))
			.on('request', () => attempts++);
		const out = await runNode(node, { parameters: { authentication: 'webhook', ...send() } });
		expect(attempts).toBe(6);
		expect(out.error?.message).toMatch(/could not be reached/);
		expect(out.error?.message).toContain(code);
		expect(out.error?.message).toMatch(/nothing was sent/i);
		expect(out.error?.message).not.toMatch(/outcome|check the portal/i);
		expectNoSecret({ m: out.error?.message, d: out.error?.description });
	});

	test('a TLS failure before the request is not retried and says nothing was sent', async () => {
		let attempts = 0;
		nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}imbot.message.add`)
			.times(5)
			.replyWithError(Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }))
			.on('request', () => attempts++);
		const out = await runNode(node, { parameters: { authentication: 'webhook', ...send() } });
		expect(attempts).toBe(1);
		expect(out.error?.message).toMatch(/CERT_HAS_EXPIRED/);
		expect(out.error?.message).toMatch(/nothing was sent/i);
		expect(out.error?.message).not.toMatch(/outcome|check the portal/i);
	});

	test('a connection reset after sending stays an unknown outcome, never resent', async () => {
		let attempts = 0;
		nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}imbot.message.add`)
			.times(5)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.on('request', () => attempts++);
		const out = await runNode(node, { parameters: { authentication: 'webhook', ...send() } });
		expect(attempts).toBe(1);
		expect(out.error?.message).toMatch(/outcome is unknown/);
	});
});

describe('point 8: without Continue On Fail, nothing is sent after the first failure', () => {
	/** Batches answered per command: the message text is the item index; the command of item `failing` fails. */
	function batchesFailingItem(failing: number) {
		const sent = { batches: 0 };
		nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}batch`)
			.times(3)
			.reply(200, (_uri, body) => {
				sent.batches++;
				const result: Record<string, number> = {};
				const resultError: Record<string, unknown> = {};
				for (const [key, command] of Object.entries((body as { cmd: Record<string, string> }).cmd)) {
					const n = Number(parseQuery(command.split('?')[1]).MESSAGE);
					if (n === failing) resultError[key] = { error: 'DIALOG_ID_EMPTY', error_description: 'Dialog ID can not be empty' };
					else result[key] = 1000 + n;
				}
				return { result: { result, result_error: Object.keys(resultError).length ? resultError : [] } };
			});
		return sent;
	}

	test('a failing command in the 2nd of 3 batches: the 3rd is never sent; the error says what was delivered', async () => {
		const sent = batchesFailingItem(62);
		const out = await runNode(node, {
			parameters: { authentication: 'webhook', ...send({ text: '={{ String($json.i) }}' }) },
			items: makeItems(120),
		});
		expect(sent.batches).toBe(2);
		expect(out.error).toBeDefined();
		// Item 63 (index 62) failed; 1–62 and 64–100 went in the same requests and were delivered; 101–120 were not sent.
		expect(out.error.message).toMatch(/^Item 63 of 120 failed: Dialog ID can not be empty — Bitrix24 imbot\.message\.add failed with DIALOG_ID_EMPTY/);
		expect(out.error.message).toContain('Items 1–62 and 64–100 were delivered; items 101–120 were not sent.');
		expect(out.error.message).toContain('To finish, send items 63 and 101–120 again.');
	});

	test('an unknown outcome in the 1st batch stops the run; later batches are not sent, and the items are not called delivered', async () => {
		let batches = 0;
		nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}batch`)
			.times(3)
			.reply(() => {
				batches++;
				return [500, { error: 'INTERNAL_SERVER_ERROR', error_description: 'boom' }];
			});
		const out = await runNode(node, {
			parameters: { authentication: 'webhook', ...send({ text: '={{ String($json.i) }}' }) },
			items: makeItems(1100),
		});
		expect(batches).toBe(1);
		expect(out.error.message).toMatch(/^Item 1 of 1,100 failed: .*INTERNAL_SERVER_ERROR/);
		expect(out.error.message).toContain('The outcome of items 2–50 is unknown too (check the portal before sending them again); items 51–1,100 were not sent.');
		expect(out.error.message).not.toMatch(/were delivered|Resume from/);
	});

	test('Continue On Fail on: every batch is still sent, one output or error item per input item', async () => {
		const sent = batchesFailingItem(62);
		const out = await runNode(node, {
			parameters: { authentication: 'webhook', ...send({ text: '={{ String($json.i) }}' }) },
			items: makeItems(120),
			continueOnFail: true,
		});
		expect(sent.batches).toBe(3);
		expect(out.items).toHaveLength(120);
		out.items.forEach((item, i) => expect(item.pairedItem).toEqual({ item: i }));
		expect(out.items.filter((i) => i.json.error).length).toBe(1);
	});

	test('packed messages: one refused inside a 200 stops the run after its batch; the rest are not sent', async () => {
		// 2,600 messages → 52 imconnector.send.messages calls of 50 → batch requests of 50 and 2 calls.
		let batches = 0;
		nock(OAUTH_BASE)
			.post('/rest/batch')
			.times(2)
			.reply(200, (_uri, body) => {
				batches++;
				const result: Record<string, unknown> = {};
				for (const [key, command] of Object.entries((body as { cmd: Record<string, string> }).cmd)) {
					const messages = parsePhpQuery(command.split('?')[1]).MESSAGES as Array<{ message: { id: string } }>;
					const RESULT = Object.values(messages).map((m) =>
						m.message.id === 'm1234' ? { message: { id: m.message.id }, SUCCESS: false, ERRORS: ['refused'] } : { message: { id: m.message.id }, chat: { id: 'c' }, SUCCESS: true },
					);
					result[key] = { SUCCESS: true, DATA: { RESULT } };
				}
				return { result: { result, result_error: [] } };
			});
		const out = await runNode(new Bitrix24OpenChannels(), {
			parameters: {
				authentication: 'oAuth2',
				resource: 'message',
				operation: 'send',
				connector: { __rl: true, mode: 'id', value: 'acme_wa' },
				line: { __rl: true, mode: 'id', value: '1' },
				externalChatId: 'c',
				externalUserId: 'u',
				externalMessageId: '={{ "m" + $json.i }}',
				text: 'x',
			},
			items: makeItems(2600),
		});
		expect(batches).toBe(1);
		expect(out.error.message).toMatch(/^Item 1,235 of 2,600 failed: .*MESSAGE_NOT_ACCEPTED/);
		expect(out.error.message).toContain('Items 1–1,234 and 1,236–2,500 were delivered; items 2,501–2,600 were not sent.');
	});
});
