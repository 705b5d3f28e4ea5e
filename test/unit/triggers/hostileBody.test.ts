/* Issue #14, points 1 and 3: bodies built to freeze the trigger before the token is checked, and events with more
 * keys than n8n's form parser keeps. Linearity is shown by counting work (keys scanned), never by timing. */
import { Bitrix24ChatbotV1Trigger as Bitrix24ChatbotTrigger } from '../../../nodes/Bitrix24ChatbotTrigger/v1/Bitrix24ChatbotTriggerV1.node';
import { FORM_LIMITS, nestPhpEntries, objectEntries, parsePhpForm, rawFormEntries } from '../../../nodes/Bitrix24/events';
import { oauthCredentials, webhookCredentials } from '../../helpers/runNode';
import { useNock } from '../../helpers/nockPerFile';
import { fixture, FIXTURE_TOKEN, withToken } from './fixtures';
import { flatBody, n8nFormRequest, triggerHarness } from './triggerContext';

const credentials = {
	bitrix24WebhookApi: webhookCredentials({ applicationToken: FIXTURE_TOKEN }),
	bitrix24OAuth2Api: oauthCredentials({ applicationToken: FIXTURE_TOKEN }),
};
const parameters = { authentication: 'oAuth2', events: ['ONIMBOTMESSAGEADD'], botSource: 'existing', botId: { mode: 'id', value: '567' } };
const harness = () => triggerHarness(new Bitrix24ChatbotTrigger(), { parameters, credentials });

useNock();
afterEach(() => jest.restoreAllMocks());

/** `data[]=1&` n times: the body of the report (~360 KB at 40,000). */
const repeated = (n: number) => 'data[]=1&'.repeat(n);

/** Total number of keys Object.keys returned while `run` ran: the work of every key scan. */
async function keysScanned(run: () => unknown): Promise<number> {
	const real = Object.keys;
	let total = 0;
	jest.spyOn(Object, 'keys').mockImplementation((o: object) => {
		const keys = real(o);
		total += keys.length;
		return keys;
	});
	try {
		await run();
	} finally {
		jest.restoreAllMocks();
	}
	return total;
}

describe('linear parsing', () => {
	test('`a[]` appends without scanning the object: keys scanned grow linearly with the entries', async () => {
		const n = 10_000;
		const entries: Array<[string, string]> = Array.from({ length: n }, () => ['data[]', '1']);
		let out: ReturnType<typeof nestPhpEntries> = {};
		const work = await keysScanned(() => (out = nestPhpEntries(entries)));
		expect(out.data).toHaveLength(n);
		// one listify pass over each object; the quadratic version scanned ~n²/2 = 50,000,000 keys here
		expect(work).toBeLessThanOrEqual(3 * n);
	});

	test('PHP index rules still hold: `a[]` after `a[5]` is 6, explicit and appended keys mix', () => {
		expect(nestPhpEntries([['a[5]', 'x'], ['a[]', 'y'], ['b[]', '0'], ['b[]', '1'], ['b[1]', 'z'], ['b[]', '2']])).toEqual({
			a: { 5: 'x', 6: 'y' },
			b: ['0', 'z', '2'],
		});
	});

	test('a JSON body of 10,000 `data[]` entries is flattened and nested in linear work', async () => {
		const n = 10_000;
		const body = { event: 'ONIMBOTMESSAGEADD', 'data[]': Array.from({ length: n }, () => '1') };
		let out: ReturnType<typeof parsePhpForm> = {};
		const work = await keysScanned(() => (out = parsePhpForm(body)));
		expect(out.data).toHaveLength(n);
		expect(work).toBeLessThanOrEqual(3 * n);
	});
});

describe('limits', () => {
	test('raw: more than maxEntries pairs → 400, stopping at the limit; larger than maxBytes → 413', () => {
		expect(rawFormEntries(repeated(FORM_LIMITS.maxEntries))).toMatchObject({ ok: true });
		expect(rawFormEntries(repeated(FORM_LIMITS.maxEntries + 1))).toEqual({ ok: false, problem: { status: 400, message: expect.stringContaining('keys') } });
		expect(rawFormEntries('a=1&'.repeat(FORM_LIMITS.maxBytes / 4 + 1))).toEqual({ ok: false, problem: { status: 413, message: expect.any(String) } });
		expect(rawFormEntries('a=%E0%A4%A')).toEqual({ ok: false, problem: { status: 400, message: expect.stringContaining('%-escape') } });
		expect(rawFormEntries('a=1+2&b=%C3%BC&&c')).toEqual({ ok: true, value: [['a', '1 2'], ['b', 'ü'], ['c', '']] });
	});

	test('depth: a key with more than maxDepth parts → 400; maxDepth parts are fine', () => {
		const key = (parts: number) => `a${'[x]'.repeat(parts - 1)}`;
		expect(() => nestPhpEntries([[key(FORM_LIMITS.maxDepth), '1']])).not.toThrow();
		expect(() => nestPhpEntries([[key(FORM_LIMITS.maxDepth + 1), '1']])).toThrow(expect.objectContaining({ problem: { status: 400, message: expect.stringContaining('deeper') } }));
		// a deep JSON object is refused while it is walked, before it is flattened any further
		let deep: Record<string, unknown> = { leaf: '1' };
		for (let i = 0; i < 10_000; i++) deep = { x: deep };
		expect(objectEntries(deep)).toEqual({ ok: false, problem: { status: 400, message: expect.stringContaining('deeper') } });
	});

	test('JSON: more than maxEntries values → 400, more than maxBytes characters → 413', () => {
		expect(objectEntries({ 'data[]': Array.from({ length: FORM_LIMITS.maxEntries + 1 }, () => '1') })).toMatchObject({ ok: false, problem: { status: 400 } });
		expect(objectEntries({ a: 'x'.repeat(FORM_LIMITS.maxBytes) })).toMatchObject({ ok: false, problem: { status: 413 } });
	});
});

describe('hostile bodies at the webhook', () => {
	const hostile = repeated(40_000);

	test.each([
		['text/plain', { rawBody: hostile, body: hostile, contentType: 'text/plain' }],
		['no content type', { rawBody: hostile, body: {}, contentType: null }],
		['JSON {"data[]": […]}', { rawBody: '', body: { 'data[]': Array.from({ length: 40_000 }, () => '1') }, contentType: 'application/json' }],
		['a form (n8n keeps 1,000 pairs, the raw body has all)', { ...n8nFormRequest(hostile), contentType: 'application/x-www-form-urlencoded' }],
	])('40,000 `data[]` entries as %s → 400 without running anything', async (_name, request) => {
		const { result, status, json } = await harness().receive(request as never);
		expect(status).toBe(400);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(json).toMatchObject({ error: 'BAD_REQUEST' });
	});

	test('10,000 `data[]` entries as text/plain, through the webhook: the work before the answer grows linearly', async () => {
		const h = harness();
		const body = repeated(10_000);
		let status: number | undefined;
		const work = await keysScanned(async () => (status = (await h.receive({ rawBody: body, body, contentType: 'text/plain' })).status));
		expect(status).toBe(400);
		expect(work).toBeLessThanOrEqual(30_000);
	});

	test('the largest body n8n accepts (16 MB) → 413 at once', async () => {
		const huge = Buffer.alloc(16 * 1024 * 1024 - 16, 'data[]=1&');
		const { status, json } = await harness().receive({ rawBody: huge, body: {}, contentType: 'text/plain' });
		expect(status).toBe(413);
		expect(json).toMatchObject({ error: 'PAYLOAD_TOO_LARGE' });
	});

	test('a wrong token is refused (401) before the body is nested: a too-deep body with a wrong token is a 401, not a 400', async () => {
		const deep = `${withToken(fixture('ONIMBOTMESSAGEADD'), 'forged')}&x${'[y]'.repeat(100)}=1`;
		expect((await harness().receive(n8nFormRequest(deep))).status).toBe(401);
		const genuine = `${fixture('ONIMBOTMESSAGEADD')}&x${'[y]'.repeat(100)}=1`;
		expect((await harness().receive(n8nFormRequest(genuine))).status).toBe(400);
	});

	test('the error answers hold nothing of the body', async () => {
		const { json } = await harness().receive({ rawBody: `${fixture('ONIMBOTMESSAGEADD')}&${repeated(30_000)}`, contentType: 'text/plain' });
		expect(JSON.stringify(json)).not.toMatch(/app-token|access-token/);
	});
});

describe('more than the 1,000 form keys n8n keeps (point 3)', () => {
	/** A genuine ONIMBOTMESSAGEADD whose PARAMS carry `extra` more keys before the auth block, as Bitrix orders them. */
	function bigEvent(extra: number): string {
		const raw = fixture('ONIMBOTMESSAGEADD');
		const at = raw.indexOf('auth%5B');
		const keys = Array.from({ length: extra }, (_, i) => `data%5BPARAMS%5D%5BX${i}%5D=${i}`).join('&');
		return `${raw.slice(0, at)}${keys}&${raw.slice(at)}`;
	}

	test('10,000 PARAMS keys: the cut is not used; the raw body gives every key and the auth block', async () => {
		const raw = bigEvent(10_000);
		const request = n8nFormRequest(raw);
		expect(Object.keys(request.body)).toHaveLength(1000);
		expect(request.body['auth[application_token]']).toBeUndefined();
		const { result, status } = await harness().receive(request);
		expect(status).toBe(200); // answered by the trigger itself, then the run starts
		const item = result.workflowData?.[0][0].json as { params: Record<string, string>; message: { text: string } };
		expect(item.message.text).toBe('Hello, what are your opening hours?');
		expect(Object.keys(item.params).filter((k) => /^X\d+$/.test(k))).toHaveLength(10_000);
		expect(item.params.X9999).toBe('9999');
	});

	test('a forged token hidden past key 1,000 is still checked', async () => {
		const raw = withToken(bigEvent(2000), 'forged');
		expect((await harness().receive(n8nFormRequest(raw))).status).toBe(401);
	});

	test('no raw body and a flat body at the 1,000-pair cut → 400 (never run with part of the event)', async () => {
		const { body } = n8nFormRequest(bigEvent(2000));
		const { status, json } = await harness().receive({ body });
		expect(status).toBe(400);
		expect(json).toMatchObject({ error_description: expect.stringContaining('1000') });
		// below the cut the flat body is used as before
		expect((await harness().receive({ body: flatBody(bigEvent(500)) })).result.workflowData?.[0]).toHaveLength(1);
	});
});
