import crypto from 'crypto';
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { Bitrix24ChatbotV1Trigger as Bitrix24ChatbotTrigger } from '../../../nodes/Bitrix24ChatbotTrigger/v1/Bitrix24ChatbotTriggerV1.node';
import { Bitrix24OpenChannelsTrigger } from '../../../nodes/Bitrix24OpenChannelsTrigger/Bitrix24OpenChannelsTrigger.node';
import { checkApplicationToken, MAX_WAITING_VERIFICATIONS, tokenHash } from '../../../nodes/Bitrix24/events';
import { OAUTH_BASE, oauthCredentials, webhookCredentials } from '../../helpers/runNode';
import { useNock } from '../../helpers/nockPerFile';
import { fixture, FIXTURE_TOKEN, SECRET_FRAGMENTS, withToken } from './fixtures';
import { flatBody, triggerHarness } from './triggerContext';

const withCredentialToken = (token?: string) => ({
	bitrix24WebhookApi: webhookCredentials({ applicationToken: token }),
	bitrix24OAuth2Api: oauthCredentials({ applicationToken: token }),
});

useNock();
afterEach(() => jest.restoreAllMocks());

/** The same event for another message: the fixture again would be a repeat, dropped without a run (issue 23, point 7). */
function nextMessage(raw: string): string {
	const params = new URLSearchParams(raw);
	params.set('data[PARAMS][MESSAGE_ID]', String(Number(params.get('data[PARAMS][MESSAGE_ID]')) + 1));
	return params.toString();
}

async function waitFor(check: () => boolean): Promise<void> {
	for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
	expect(check()).toBe(true);
}

describe('application token', () => {
	test('checkApplicationToken compares with crypto.timingSafeEqual on equal-length digests', () => {
		const spy = jest.spyOn(crypto, 'timingSafeEqual');
		expect(checkApplicationToken('abc', 'abc', undefined)).toEqual({ ok: true });
		expect(checkApplicationToken('abd', 'abc', undefined)).toEqual({ ok: false, reason: 'mismatch' });
		expect(checkApplicationToken('a-much-longer-token', 'abc', undefined)).toEqual({ ok: false, reason: 'mismatch' });
		expect(spy).toHaveBeenCalledTimes(3);
		for (const [a, b] of spy.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
		expect(checkApplicationToken(undefined, 'abc', undefined)).toEqual({ ok: false, reason: 'missing' });
		expect(checkApplicationToken('', 'abc', undefined)).toEqual({ ok: false, reason: 'missing' });
		expect(checkApplicationToken('first', undefined, undefined)).toEqual({ ok: 'unverified' });
		expect(checkApplicationToken('first', undefined, tokenHash('first'))).toEqual({ ok: true });
		expect(checkApplicationToken('other', undefined, tokenHash('first'))).toEqual({ ok: false, reason: 'mismatch' });
	});

	const node = new Bitrix24ChatbotTrigger();
	const parameters = { authentication: 'oAuth2', events: ['ONIMBOTMESSAGEADD'], botSource: 'existing', botId: { mode: 'id', value: '567' } };

	test('right token (credential) → workflow runs', async () => {
		const h = triggerHarness(node, { parameters, credentials: withCredentialToken(FIXTURE_TOKEN) });
		const spy = jest.spyOn(crypto, 'timingSafeEqual');
		const { result, status } = await h.receive({ body: flatBody(fixture('ONIMBOTMESSAGEADD')) });
		// the trigger answers 200 itself before n8n starts the run (so n8n saves the replay list first: replays.ts)
		expect(status).toBe(200);
		expect(result.noWebhookResponse).toBe(true);
		expect(result.workflowData?.[0]).toHaveLength(1);
		expect(spy).toHaveBeenCalled();
	});

	test('wrong token → 401, no run', async () => {
		const h = triggerHarness(node, { parameters, credentials: withCredentialToken(FIXTURE_TOKEN) });
		const { result, status, json } = await h.receive({ body: flatBody(withToken(fixture('ONIMBOTMESSAGEADD'), 'forged-token')) });
		expect(status).toBe(401);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(JSON.stringify(json)).not.toContain('forged-token');
	});

	test('missing token → 401, no run', async () => {
		const h = triggerHarness(node, { parameters, credentials: withCredentialToken(FIXTURE_TOKEN) });
		const { result, status } = await h.receive({ body: flatBody(withToken(fixture('ONIMBOTMESSAGEADD'), undefined)) });
		expect(status).toBe(401);
		expect(result.workflowData).toBeUndefined();
	});

	test('no credential token: the first event is verified with the portal (app.info), then pinned (as a hash); later ones must match', async () => {
		const app = { ID: '7', CODE: 'local.n8n.app', VERSION: 1, STATUS: 'L', INSTALLED: true };
		const portal = nock(OAUTH_BASE)
			.post('/rest/app.info', (body) => body.auth === 'evt-access-token-7f3a')
			.reply(200, { result: app })
			.post('/rest/app.info', (body) => body.auth === undefined)
			.matchHeader('authorization', 'Bearer acc-token-1')
			.reply(200, { result: app });
		const h = triggerHarness(node, { parameters, credentials: withCredentialToken(undefined) });
		const first = await h.receive({ body: flatBody(fixture('ONIMBOTMESSAGEADD')) });
		expect(first.result.workflowData?.[0]).toHaveLength(1);
		expect(portal.isDone()).toBe(true);
		expect(h.staticData().applicationTokenHash).toBe(tokenHash(FIXTURE_TOKEN));
		expect(JSON.stringify(h.staticData())).not.toContain(FIXTURE_TOKEN);
		const forged = await h.receive({ body: flatBody(withToken(fixture('ONIMBOTMESSAGEADD'), 'attacker-token')) });
		expect(forged.status).toBe(401);
		const again = await h.receive({ body: flatBody(nextMessage(fixture('ONIMBOTMESSAGEADD'))) });
		expect(again.result.workflowData?.[0]).toHaveLength(1);
		for (const log of h.logs) for (const secret of ['evt-access-token', 'acc-token-1', FIXTURE_TOKEN]) expect(log.message).not.toContain(secret);
	});

	test('n8n gives each request its own static data copy: 20 concurrent forged first events + the genuine one → one pin, the genuine one', async () => {
		const app = { ID: '7', CODE: 'local.n8n.app' };
		nock(OAUTH_BASE)
			.persist()
			.post('/rest/app.info')
			.reply((_uri, body) => {
				const auth = (body as { auth?: string }).auth;
				return auth === undefined || auth === 'evt-access-token-7f3a' ? [200, { result: app }] : [401, { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' }];
			});
		const copy = () => triggerHarness(node, { parameters, credentials: withCredentialToken(undefined), workflowId: 'wConcurrent' });
		const forged = (i: number) => {
			const p = new URLSearchParams(withToken(fixture('ONIMBOTMESSAGEADD'), `attacker-${i}`));
			p.set('auth[access_token]', `attacker-access-${i}`);
			return copy().receive({ body: flatBody(p.toString()) });
		};
		const genuine = copy();
		const [real, ...attacks] = await Promise.all([genuine.receive({ body: flatBody(fixture('ONIMBOTMESSAGEADD')) }), ...Array.from({ length: 20 }, (_, i) => forged(i))]);
		expect(real.result.workflowData?.[0]).toHaveLength(1);
		// none runs: 401 (not verified), or 429 past MAX_WAITING_VERIFICATIONS waiting at once
		expect(attacks.filter((a) => a.result.workflowData)).toEqual([]);
		expect(attacks.every((a) => a.status === 401 || a.status === 429)).toBe(true);
		expect(attacks.filter((a) => a.status === 429).length).toBeLessThanOrEqual(21 - MAX_WAITING_VERIFICATIONS);
		expect(genuine.staticData().applicationTokenHash).toBe(tokenHash(FIXTURE_TOKEN));
		// a later request with a copy of the static data made before the pin was saved still sees the pin
		expect((await forged(99)).status).toBe(401);
		expect((await copy().receive({ body: flatBody(nextMessage(fixture('ONIMBOTMESSAGEADD'))) })).result.workflowData?.[0]).toHaveLength(1);
	});

	test('unparsable body → 400; raw body is used when n8n gave no parsed body', async () => {
		const h = triggerHarness(node, { parameters, credentials: withCredentialToken(FIXTURE_TOKEN) });
		expect((await h.receive({ body: {} })).status).toBe(400);
		expect((await h.receive({ rawBody: '{"event":"ONIMBOTMESSAGEADD"}' })).status).toBe(400);
		expect((await h.receive({ body: { foo: 'bar' } })).status).toBe(400);
		const raw = await h.receive({ rawBody: fixture('ONIMBOTMESSAGEADD') });
		expect(raw.result.workflowData?.[0][0].json).toMatchObject({ event: 'ONIMBOTMESSAGEADD', botId: 567 });
	});

	test('event not selected → 200, no run', async () => {
		const h = triggerHarness(node, { parameters, credentials: withCredentialToken(FIXTURE_TOKEN) });
		const { result, status } = await h.receive({ body: flatBody(fixture('ONIMBOTJOINCHAT')) });
		expect(status).toBe(200);
		expect(result).toEqual({ noWebhookResponse: true });
	});
});

describe('Chatbot Trigger filters', () => {
	const node = new Bitrix24ChatbotTrigger();
	const base = { authentication: 'oAuth2', events: ['ONIMBOTMESSAGEADD'], botSource: 'existing', botId: { mode: 'id', value: '567' } };
	const send = async (parameters: IDataObject, raw: string) => {
		const h = triggerHarness(node, { parameters, credentials: withCredentialToken(FIXTURE_TOKEN) });
		return await h.receive({ body: flatBody(raw) });
	};
	const message = fixture('ONIMBOTMESSAGEADD');
	const set = (raw: string, key: string, value: string) => {
		const p = new URLSearchParams(raw);
		p.set(key, value);
		return p.toString();
	};

	test('own messages are dropped by default (loops)', async () => {
		const own = set(set(message, 'data[PARAMS][FROM_USER_ID]', '567'), 'data[PARAMS][AUTHOR_ID]', '567');
		expect((await send(base, own)).status).toBe(200);
		expect((await send({ ...base, ignoreOwnMessages: false }, own)).result.workflowData).toBeDefined();
	});

	test('messages from bots are dropped when asked', async () => {
		const fromBot = set(message, 'data[USER][IS_BOT]', 'Y');
		expect((await send(base, fromBot)).result.workflowData).toBeDefined();
		expect((await send({ ...base, options: { ignoreBots: true } }, fromBot)).status).toBe(200);
	});

	test('dialog and user lists', async () => {
		expect((await send({ ...base, options: { dialogIds: '27, chat15' } }, message)).result.workflowData).toBeDefined();
		expect((await send({ ...base, options: { dialogIds: 'chat99' } }, message)).status).toBe(200);
		expect((await send({ ...base, options: { userIds: '27' } }, message)).result.workflowData).toBeDefined();
		expect((await send({ ...base, options: { userIds: '1,2' } }, message)).status).toBe(200);
	});
});

describe('Open Channels Trigger webhook', () => {
	const node = new Bitrix24OpenChannelsTrigger();
	const parameters = { authentication: 'oAuth2', events: ['ONIMCONNECTORMESSAGEADD', 'ONIMCONNECTORLINEDELETE'] };

	test('confirms delivery of all the event\'s messages in one call, after answering', async () => {
		const sent: unknown[] = [];
		const scope = nock(OAUTH_BASE)
			.post('/rest/imconnector.send.status.delivery', (body) => {
				sent.push(body);
				return true;
			})
			.matchHeader('authorization', 'Bearer acc-token-1')
			.reply(200, { result: { SUCCESS: true, DATA: [] } });
		const h = triggerHarness(node, { parameters, credentials: withCredentialToken(FIXTURE_TOKEN) });
		const { result } = await h.receive({ body: flatBody(fixture('ONIMCONNECTORMESSAGEADD')) });
		const items = result.workflowData![0].map((i) => i.json);
		expect(items).toHaveLength(2);
		for (const secret of SECRET_FRAGMENTS) expect(JSON.stringify(items)).not.toContain(secret);
		await waitFor(() => scope.isDone());
		expect(sent).toEqual([
			{
				CONNECTOR: 'my_whatsapp',
				LINE: 3,
				MESSAGES: [
					{ im: { chat_id: 845, message_id: 19321 }, message: { id: ['19321'], date: 1771928985 }, chat: { id: 'wa-chat-7001' } },
					{ im: { chat_id: 845, message_id: 19322 }, message: { id: ['19322'], date: 1771928985 }, chat: { id: 'wa-chat-7001' } },
				],
			},
		]);
	});

	test('no confirmation when switched off; a failed confirmation is logged without secrets', async () => {
		const h = triggerHarness(node, { parameters: { ...parameters, options: { confirmDelivery: false } }, credentials: withCredentialToken(FIXTURE_TOKEN) });
		const off = await h.receive({ body: flatBody(fixture('ONIMCONNECTORMESSAGEADD')) });
		expect(off.result.workflowData![0]).toHaveLength(2);
		const scope = nock(OAUTH_BASE).post('/rest/imconnector.send.status.delivery').reply(400, { error: 'IMCONNECTOR_NO_CORRECT_PROVIDER', error_description: 'bad provider' });
		const h2 = triggerHarness(node, { parameters, credentials: withCredentialToken(FIXTURE_TOKEN) });
		await h2.receive({ body: flatBody(fixture('ONIMCONNECTORMESSAGEADD')) });
		await waitFor(() => scope.isDone() && h2.logs.some((l) => l.level === 'warn'));
		const warn = h2.logs.find((l) => l.level === 'warn')!.message;
		expect(warn).toContain('IMCONNECTOR_NO_CORRECT_PROVIDER');
		expect(warn).not.toContain('acc-token-1');
	});

	test('connector and line filters', async () => {
		const send = async (options: object) => {
			const h = triggerHarness(node, { parameters: { ...parameters, options: { confirmDelivery: false, ...options } }, credentials: withCredentialToken(FIXTURE_TOKEN) });
			return await h.receive({ body: flatBody(fixture('ONIMCONNECTORMESSAGEADD')) });
		};
		expect((await send({ connector: { mode: 'id', value: 'my_whatsapp' }, line: { mode: 'list', value: '3' } })).result.workflowData).toBeDefined();
		expect((await send({ connector: { mode: 'id', value: 'telegram' } })).status).toBe(200);
		expect((await send({ line: { mode: 'id', value: '4' } })).status).toBe(200);
	});

	test('line deleted: the bare data value', async () => {
		const h = triggerHarness(node, { parameters, credentials: withCredentialToken(FIXTURE_TOKEN) });
		const { result } = await h.receive({ body: flatBody(fixture('ONIMCONNECTORLINEDELETE')) });
		expect(result.workflowData![0].map((i) => i.json)).toEqual([{ event: 'ONIMCONNECTORLINEDELETE', line: 107, domain: 'acme.bitrix24.com', ts: 1771928985 }]);
	});
});
