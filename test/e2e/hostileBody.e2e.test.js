'use strict';
// Issue #14 in a real, running n8n 2.0.3: hostile bodies sent to an active Bitrix24 trigger's production URL — the
// largest n8n accepts (N8N_PAYLOAD_SIZE_MAX, 16 MB by default), as text/plain, without a content type, as JSON
// {"data[]": […]} and as a form — are answered 413/400 and start nothing, while a parallel request to the same n8n
// is answered (the event loop is not blocked). And an event with 10,000 PARAMS keys, more than the 1,000 n8n's form
// parser keeps, runs the workflow with all of them. Timings are printed, never asserted (see bench/hostile.js).

const http = require('node:http');
const { N8nInstance, packageBuildStatus, httpRequest, sleep } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { sandboxCredentials, credentialRef, TYPES } = require('./lib/bitrix');

const status = packageBuildStatus();
if (!status.built) throw new Error(`hostileBody e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const HOOK = '5d0c2b7e-14aa-4e55-9c1d-7f2e3a4b5c06';
const WORKFLOW = 'e2eHostile';
const BOT_CODE = 'e2e_hostile_bot';
/** n8n's default N8N_PAYLOAD_SIZE_MAX (16, in MiB): the largest body it reads. */
const N8N_MAX_BODY = 16 * 1024 * 1024;
/** Generous: the parallel request must be answered; how fast is the bench's business. */
const PARALLEL_TIMEOUT_MS = 30_000;

/** `data[]=1&` repeated up to exactly `bytes` bytes. */
function repeatedBody(bytes) {
	const unit = 'data[]=1&';
	return unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);
}

/** `{"data[]":[1,1,…]}` of exactly `bytes` bytes (padded with spaces). */
function jsonBody(bytes) {
	const head = '{"data[]":[';
	const count = Math.floor((bytes - head.length - 2) / 2);
	const text = `${head}${'1,'.repeat(count - 1)}1]}`;
	return text + ' '.repeat(bytes - text.length);
}

/**
 * POSTs `body` and reports both when the upload is complete (`uploaded`: n8n has it all and is about to handle it)
 * and the answer (`answered`: { status, body, at }). Bounded by timeoutMs.
 */
function postWatched(port, urlPath, headers, body, timeoutMs) {
	let markUploaded;
	const uploaded = new Promise((resolve) => (markUploaded = resolve));
	const answered = new Promise((resolve, reject) => {
		const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: urlPath, headers: { ...headers, 'content-length': Buffer.byteLength(body) }, timeout: timeoutMs }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() }));
		});
		req.on('timeout', () => req.destroy(new Error(`POST ${urlPath} not answered within ${timeoutMs} ms`)));
		req.on('error', reject);
		req.on('finish', () => markUploaded(Date.now()));
		req.end(body);
	});
	answered.catch(() => markUploaded(Date.now()));
	return { uploaded, answered };
}

describe('hostile bodies at a Bitrix24 trigger in a running n8n', () => {
	let sb;
	let n8n;
	let hookPath;
	const timings = [];

	const finishedExecutions = async () => (await n8n.listExecutions({ workflowId: WORKFLOW })).filter((e) => e.status !== 'running');

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		const creds = sandboxCredentials(sb, { clientId: 'n8n-e2e-hostile' });
		hookPath = new URL(n8n.webhookUrl(`${HOOK}/webhook`)).pathname;
		await n8n.importCredentials(creds.list);
		await n8n.importWorkflow([
			{
				id: WORKFLOW,
				name: 'E2E hostile bodies',
				nodes: [
					{
						id: `${WORKFLOW}-t`,
						name: 'Bot Events',
						type: TYPES.chatbotTrigger,
						typeVersion: 1,
						position: [0, 0],
						webhookId: HOOK,
						parameters: {
							authentication: 'oAuth2',
							events: ['ONIMBOTMESSAGEADD'],
							botSource: 'code',
							botCode: BOT_CODE,
							botName: 'Hostile Bot',
							botType: 'B',
							ignoreOwnMessages: true,
							options: {},
						},
						credentials: credentialRef(creds.oauth),
					},
				],
				connections: {},
			},
		]);
		await n8n.start();
		await n8n.activateWorkflow(WORKFLOW);
	});

	afterAll(async () => {
		if (timings.length) process.stderr.write(`[hostileBody] timings (not asserted):\n${timings.map((t) => `  ${JSON.stringify(t)}`).join('\n')}\n`);
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	test.each([
		['text/plain', 'text/plain', () => repeatedBody(N8N_MAX_BODY)],
		['no content type', null, () => repeatedBody(N8N_MAX_BODY)],
		['JSON {"data[]": […]}', 'application/json', () => jsonBody(N8N_MAX_BODY)],
		['a form', 'application/x-www-form-urlencoded', () => repeatedBody(N8N_MAX_BODY)],
	])('16 MB of `data[]=1&` as %s: refused (413), and n8n answers a parallel request meanwhile', async (name, contentType, make) => {
		const body = make();
		expect(Buffer.byteLength(body)).toBe(N8N_MAX_BODY);
		const headers = contentType ? { 'content-type': contentType } : {};
		const t0 = Date.now();
		const hostile = postWatched(n8n.port, hookPath, headers, body, 120_000);
		// the parallel request: sent once n8n has the whole hostile body, i.e. while it handles it
		const uploadedAt = await hostile.uploaded;
		const parallel = await httpRequest({ port: n8n.port, path: '/healthz', timeoutMs: PARALLEL_TIMEOUT_MS });
		const parallelAt = Date.now();
		expect(parallel.status).toBe(200);
		const answer = await hostile.answered;
		expect(answer.status).toBe(413);
		expect(answer.body).not.toMatch(/sandbox-app-token|access_token/);
		timings.push({ body: name, bytes: N8N_MAX_BODY, status: answer.status, uploadedMs: uploadedAt - t0, answeredMs: answer.at - t0, parallelAnsweredMs: parallelAt - t0 });
	});

	test('a body just under our 2 MB limit with 200,000+ `data[]` entries (past n8n\'s form parser) → 400, n8n stays responsive', async () => {
		const body = repeatedBody(2 * 1024 * 1024 - 1024);
		const t0 = Date.now();
		const hostile = postWatched(n8n.port, hookPath, { 'content-type': 'text/plain' }, body, 120_000);
		await hostile.uploaded;
		const parallel = await httpRequest({ port: n8n.port, path: '/healthz', timeoutMs: PARALLEL_TIMEOUT_MS });
		expect(parallel.status).toBe(200);
		const answer = await hostile.answered;
		expect(answer.status).toBe(400);
		expect(JSON.parse(answer.body)).toMatchObject({ error: 'BAD_REQUEST' });
		timings.push({ body: 'text/plain, 233,000 entries', bytes: body.length, status: answer.status, answeredMs: answer.at - t0 });
	});

	test('no hostile body started an execution', async () => {
		await sleep(1000);
		expect(await finishedExecutions()).toEqual([]);
	});

	test('an event with 10,000 PARAMS keys (n8n\'s form parser keeps 1,000) runs the workflow with all of them', async () => {
		const bot = [...sb.state.bots.values()].find((b) => b.CODE === BOT_CODE);
		expect(bot).toBeDefined();
		const p = new URLSearchParams();
		p.set('event', 'ONIMBOTMESSAGEADD');
		p.set(`data[BOT][${bot.ID}][BOT_ID]`, String(bot.ID));
		p.set(`data[BOT][${bot.ID}][BOT_CODE]`, BOT_CODE);
		p.set('data[PARAMS][MESSAGE]', 'many keys');
		p.set('data[PARAMS][DIALOG_ID]', '2');
		p.set('data[PARAMS][FROM_USER_ID]', '2');
		for (let i = 0; i < 10_000; i++) p.set(`data[PARAMS][X${i}]`, String(i));
		p.set('data[USER][ID]', '2');
		p.set('ts', String(Math.floor(Date.now() / 1000)));
		p.set('auth[domain]', sb.portal.host);
		p.set('auth[application_token]', sb.applicationToken);
		const res = await httpRequest({ port: n8n.port, method: 'POST', path: hookPath, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: p.toString() });
		expect(res.status).toBe(200);
		const [done] = await n8n.waitForExecutions(WORKFLOW, { count: 1 });
		expect(done.status).toBe('success');
		const item = (await n8n.getExecution(done.id)).outputOf('Bot Events')[0];
		expect(item).toMatchObject({ event: 'ONIMBOTMESSAGEADD', botId: bot.ID, message: { text: 'many keys' } });
		expect(Object.keys(item.params).filter((k) => /^X\d+$/.test(k))).toHaveLength(10_000);
		expect(item.params.X9999).toBe('9999');
		expect(JSON.stringify(item)).not.toContain(sb.applicationToken);
	});

	test('what n8n itself does past its limit (printed, for docs/security.md): a 20 MB body', async () => {
		const answer = await httpRequest({ port: n8n.port, method: 'POST', path: hookPath, headers: { 'content-type': 'text/plain' }, body: repeatedBody(20 * 1024 * 1024), timeoutMs: 120_000 }).catch((error) => ({ status: `error: ${error.message}` }));
		timings.push({ body: 'text/plain 20 MB (n8n refuses before our code runs)', status: answer.status });
		expect(answer.status).not.toBe(200);
		const parallel = await httpRequest({ port: n8n.port, path: '/healthz', timeoutMs: PARALLEL_TIMEOUT_MS });
		expect(parallel.status).toBe(200);
	});

	test('what n8n itself does after a malformed XML body (printed, for docs/security.md); form events are not affected', async () => {
		const xml = async (body) =>
			httpRequest({ port: n8n.port, method: 'POST', path: hookPath, headers: { 'content-type': 'application/xml' }, body, timeoutMs: 10_000 }).then(
				(r) => r.status,
				(error) => `no answer within 10 s (${error.message})`,
			);
		const wellFormed = '<event>ONIMBOTMESSAGEADD</event>';
		const statuses = [await xml(wellFormed), await xml('<event><unclosed></event>'), await xml(wellFormed)];
		// xml2js (async: true) parses in chunks of 10,000 characters: an error after the first chunk
		statuses.push(await xml(`<event>${'x'.repeat(20_000)}<a></b></event>`), await xml(wellFormed), await xml(wellFormed));
		timings.push({ body: 'XML: ok, small malformed, ok, large malformed (error past the first 10,000 chars), ok, ok', statuses });
		const form = await httpRequest({ port: n8n.port, method: 'POST', path: hookPath, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'event=ONIMBOTMESSAGEADD&auth%5Bapplication_token%5D=wrong' });
		expect(form.status).toBe(401);
		expect((await httpRequest({ port: n8n.port, path: '/healthz', timeoutMs: PARALLEL_TIMEOUT_MS })).status).toBe(200);
	});
});
