'use strict';
const { start, hook, app, control, setupConnector, message } = require('./helpers');

describe('rate limit (leaky bucket)', () => {
	test('burst requests pass, the next one gets 503 QUERY_LIMIT_EXCEEDED; batch counts as 1', async () => {
		const sb = await start({ rate: 0.001, burst: 3 });
		try {
			expect((await hook(sb, 'server.time')).status).toBe(200);
			expect((await hook(sb, 'batch', { cmd: { a: 'server.time', b: 'server.time', c: 'profile' } })).status).toBe(200);
			expect((await hook(sb, 'profile')).status).toBe(200);
			const r = await hook(sb, 'profile');
			expect(r.status).toBe(503);
			expect(r.body.error).toBe('QUERY_LIMIT_EXCEEDED');
			// rate 0 switches the limit off
			sb.configure({ rate: 0 });
			for (let i = 0; i < 10; i++) expect((await hook(sb, 'server.time')).status).toBe(200);
		} finally {
			await sb.stop();
		}
	});

	test('POST /sandbox/config changes rate/burst at runtime', async () => {
		const sb = await start();
		try {
			const r = await control(sb, 'config', { rate: 0.001, burst: 1 });
			expect(r.body).toMatchObject({ rate: 0.001, burst: 1 });
			expect((await hook(sb, 'server.time')).status).toBe(200);
			expect((await hook(sb, 'server.time')).status).toBe(503);
			expect((await control(sb, 'config', { bogus: 1 })).status).toBe(400);
		} finally {
			await sb.stop();
		}
	});
});

describe('operation time limit (429)', () => {
	test('switch on: every method 429 with operating_reset_at; batch answers 200 with per-command errors', async () => {
		const sb = await start({ operationTimeLimit: true });
		try {
			const r = await hook(sb, 'profile');
			expect(r.status).toBe(429);
			expect(r.body.error).toBe('OPERATION_TIME_LIMIT');
			expect(r.body.time.operating_reset_at).toBeGreaterThan(Date.now() / 1000);
			const b = await hook(sb, 'batch', { cmd: { a: 'profile' } });
			expect(b.status).toBe(200);
			expect(b.body.result.result_error.a.error).toBe('OPERATION_TIME_LIMIT');
			sb.configure({ operationTimeLimit: false });
			expect((await hook(sb, 'profile')).status).toBe(200);
		} finally {
			await sb.stop();
		}
	});

	test('a number of seconds blocks until then and reports that reset time', async () => {
		const sb = await start();
		try {
			await control(sb, 'config', { operationTimeLimit: 120 });
			const r = await hook(sb, 'profile');
			expect(r.status).toBe(429);
			const expected = Date.now() / 1000 + 120;
			expect(Math.abs(r.body.time.operating_reset_at - expected)).toBeLessThan(5);
			sb.portal.otl.until = Date.now() - 1; // let the block run out
			expect((await hook(sb, 'profile')).status).toBe(200);
		} finally {
			await sb.stop();
		}
	});
});

describe('fault injection', () => {
	test('faultRate 1: every request faults with 503 QUERY_LIMIT_EXCEEDED or 500 INTERNAL_SERVER_ERROR, and nothing is stored', async () => {
		const sb = await start({ seed: 7 });
		try {
			const token = sb.issueTokens().access_token;
			await setupConnector(sb, token, 'c');
			sb.configure({ faultRate: 1 });
			const seen = new Set();
			for (let i = 0; i < 20; i++) {
				const r = await app(sb, token, 'imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [message(i)] });
				expect([500, 503]).toContain(r.status);
				seen.add(`${r.status} ${r.body.error}`);
			}
			expect([...seen].sort()).toEqual(['500 INTERNAL_SERVER_ERROR', '503 QUERY_LIMIT_EXCEEDED']);
			expect(sb.state.connectorMessages).toHaveLength(0);
		} finally {
			await sb.stop();
		}
	});

	test('same seed, same faults (deterministic); inside batch single commands fail before they run', async () => {
		const run = async () => {
			const sb = await start({ seed: 42, faultRate: 0.3 });
			try {
				const token = sb.issueTokens().access_token;
				sb.configure({ faultRate: 0 });
				await setupConnector(sb, token, 'c');
				sb.configure({ faultRate: 0.3, seed: 42 });
				const outcome = [];
				for (let i = 0; i < 5; i++) {
					const cmd = {};
					for (let k = 0; k < 10; k++) cmd[`k${k}`] = `imconnector.send.messages?CONNECTOR=c&LINE=1&MESSAGES[0][user][id]=u&MESSAGES[0][message][id]=m${i}-${k}&MESSAGES[0][message][text]=t&MESSAGES[0][chat][id]=ch`;
					const r = await app(sb, token, 'batch', { cmd });
					if (r.status !== 200) {
						outcome.push(r.status);
						continue;
					}
					const errs = Array.isArray(r.body.result.result_error) ? [] : Object.keys(r.body.result.result_error);
					outcome.push(errs.join(','));
					const stored = sb.state.connectorMessages.filter((m) => m.externalMessageId.startsWith(`m${i}-`)).map((m) => `k${m.externalMessageId.split('-')[1]}`);
					const ok = Object.keys(r.body.result.result);
					expect(stored.sort()).toEqual(ok.sort());
					for (const e of errs) expect(['QUERY_LIMIT_EXCEEDED', 'INTERNAL_SERVER_ERROR']).toContain(r.body.result.result_error[e].error);
				}
				return outcome;
			} finally {
				await sb.stop();
			}
		};
		const a = await run();
		const b = await run();
		expect(a).toEqual(b);
		expect(a.some((o) => o !== '')).toBe(true);
	});

	test('latencyMs is accepted and requests still succeed', async () => {
		const sb = await start({ latencyMs: 20 });
		try {
			expect((await hook(sb, 'server.time')).status).toBe(200);
			expect((await control(sb, 'config', null, 'GET')).body.latencyMs).toBe(20);
		} finally {
			await sb.stop();
		}
	});
});

describe('log, state, reset', () => {
	test('log: method, redacted params, auth kind, status, error; DELETE clears', async () => {
		const sb = await start();
		try {
			const t = sb.issueTokens().access_token;
			await fetch(`${sb.url}/rest/profile?auth=${t}`);
			await hook(sb, 'imbot.register', { CODE: 'x', CLIENT_ID: 'cid', EVENT_HANDLER: 'http://x/h', PROPERTIES: { NAME: 'N' }, access_token: 'secret-tok' });
			await hook(sb, 'imconnector.list');
			await app(sb, 'bad', 'profile');
			const entries = (await control(sb, 'log', null, 'GET')).body.entries;
			expect(entries.map((e) => [e.method, e.auth, e.status, e.error])).toEqual([
				['profile', 'oauth', 200, null],
				['imbot.register', 'webhook', 200, null],
				['imconnector.list', 'webhook', 403, 'WRONG_AUTH_TYPE'],
				['profile', 'oauth', 401, 'NO_AUTH_FOUND'],
			]);
			expect(JSON.stringify(entries)).not.toContain(t);
			expect(JSON.stringify(entries)).not.toContain('secret-tok');
			expect(entries[0]).toHaveProperty('at');
			await control(sb, 'log', null, 'DELETE');
			expect((await control(sb, 'log', null, 'GET')).body.entries).toEqual([]);
		} finally {
			await sb.stop();
		}
	});

	test('GET /sandbox/state dumps the state; POST /sandbox/reset restores the seed (tokens kept)', async () => {
		const sb = await start();
		try {
			const t = sb.issueTokens().access_token;
			await hook(sb, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'X' } });
			let st = (await control(sb, 'state', null, 'GET')).body;
			expect(Object.keys(st.lines)).toEqual(['1', '2']);
			expect(st.users['1'].NAME).toBe('Anna');
			expect(Object.keys(st.users)).toEqual(['1', '2', '3', '4', '5']);
			await control(sb, 'reset', {});
			st = (await control(sb, 'state', null, 'GET')).body;
			expect(Object.keys(st.lines)).toEqual(['1']);
			expect(sb.state.lines.size).toBe(1);
			expect((await app(sb, t, 'profile')).status).toBe(200);
			await control(sb, 'reset', { tokens: true });
			expect((await app(sb, t, 'profile')).status).toBe(401);
		} finally {
			await sb.stop();
		}
	});
});
