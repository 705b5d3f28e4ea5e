'use strict';
const { start, hook, app, control, setupConnector } = require('./helpers');

let sb;
let token;
beforeEach(async () => {
	sb = await start();
	token = sb.issueTokens().access_token;
});
afterEach(() => sb.stop());

describe('batch', () => {
	test('documented shape; empty sections are []', async () => {
		const r = await hook(sb, 'batch', { halt: 0, cmd: { a: 'profile', b: 'imopenlines.config.list.get?PARAMS[select][]=ID' } });
		expect(r.status).toBe(200);
		const res = r.body.result;
		expect(Object.keys(res)).toEqual(['result', 'result_error', 'result_total', 'result_next', 'result_time']);
		expect(res.result.a.ID).toBe('1');
		expect(res.result.b).toEqual([{ ID: '1' }]);
		expect(res.result_error).toEqual([]);
		expect(res.result_total).toEqual({ b: 1 });
		expect(res.result_next).toEqual([]);
		expect(Object.keys(res.result_time)).toEqual(['a', 'b']);
		expect(res.result_time.a).toHaveProperty('start');
	});

	test('per-command errors; halt=0 runs on, halt=1 stops at the first failure', async () => {
		const cmd = { a: 'imopenlines.config.get', b: 'profile', c: 'no.such' };
		let res = (await hook(sb, 'batch', { halt: 0, cmd })).body.result;
		expect(res.result_error).toEqual({ a: { error: 'CONFIG_ID_EMPTY', error_description: expect.any(String) }, c: { error: 'ERROR_METHOD_NOT_FOUND', error_description: expect.any(String) } });
		expect(Object.keys(res.result)).toEqual(['b']);
		res = (await hook(sb, 'batch', { halt: 1, cmd })).body.result;
		expect(res.result).toEqual([]);
		expect(Object.keys(res.result_error)).toEqual(['a']);
	});

	test('$result[key][field] references, nested paths too', async () => {
		const cmd = {
			add: 'imopenlines.config.add?PARAMS[LINE_NAME]=Ref',
			get: 'imopenlines.config.get?CONFIG_ID=$result[add]',
			list: 'imopenlines.config.list.get?PARAMS[filter][LINE_NAME]=$result[get][LINE_NAME]&PARAMS[select][]=ID',
			deep: 'imopenlines.config.get?CONFIG_ID=$result[list][0][ID]',
		};
		const res = (await hook(sb, 'batch', { cmd })).body.result;
		expect(res.result_error).toEqual([]);
		expect(res.result.get.LINE_NAME).toBe('Ref');
		expect(res.result.list).toEqual([{ ID: String(res.result.add) }]);
		expect(res.result.deep.ID).toBe(String(res.result.add));
	});

	test('more than 50 commands -> 400 ERROR_BATCH_LENGTH_EXCEEDED; 50 is fine', async () => {
		const cmd = {};
		for (let i = 0; i < 50; i++) cmd[`c${i}`] = 'server.time';
		expect((await hook(sb, 'batch', { cmd })).status).toBe(200);
		cmd.c50 = 'server.time';
		const r = await hook(sb, 'batch', { cmd });
		expect(r.status).toBe(400);
		expect(r.body.error).toBe('ERROR_BATCH_LENGTH_EXCEEDED');
	});

	test('nested batch -> ERROR_BATCH_METHOD_NOT_ALLOWED in result_error', async () => {
		const res = (await hook(sb, 'batch', { cmd: { x: 'batch?cmd[a]=profile' } })).body.result;
		expect(res.result_error.x.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
	});

	test('cmd as a list gives list-shaped sections; form-encoded batch works', async () => {
		const res = (await hook(sb, 'batch', { cmd: ['server.time', 'profile'] })).body.result;
		expect(Array.isArray(res.result)).toBe(true);
		expect(res.result[1].ID).toBe('1');
		const body = `cmd[a]=${encodeURIComponent('imopenlines.config.get?CONFIG_ID=1')}&halt=0`;
		const r = await fetch(`${sb.webhookUrl}batch`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
		expect((await r.json()).result.result.a.ID).toBe('1');
	});

	test('auth rules apply per command: imconnector in a webhook batch -> WRONG_AUTH_TYPE; OAuth batch of send.messages works', async () => {
		let res = (await hook(sb, 'batch', { cmd: { a: 'imconnector.list' } })).body.result;
		expect(res.result_error.a.error).toBe('WRONG_AUTH_TYPE');
		await setupConnector(sb, token, 'c');
		const q = (n) => `imconnector.send.messages?${new URLSearchParams({ CONNECTOR: 'c', LINE: '1', 'MESSAGES[0][user][id]': 'u', 'MESSAGES[0][message][id]': `m${n}`, 'MESSAGES[0][message][text]': `t${n}`, 'MESSAGES[0][chat][id]': 'ch' })}`;
		res = (await app(sb, token, 'batch', { cmd: { a: q(1), b: q(2) } })).body.result;
		expect(res.result.a.DATA.RESULT[0].SUCCESS).toBe(true);
		expect(res.result.b.DATA.RESULT[0].SUCCESS).toBe(true);
		expect(sb.state.connectorMessages.map((m) => m.text)).toEqual(['t1', 't2']);
	});

	test('batch commands are logged, marked as inside batch', async () => {
		await control(sb, 'log', null, 'DELETE');
		await hook(sb, 'batch', { cmd: { a: 'profile', b: 'server.time' } });
		const entries = (await control(sb, 'log', null, 'GET')).body.entries;
		expect(entries.map((e) => [e.method, e.inBatch])).toEqual([['profile', true], ['server.time', true], ['batch', false]]);
		expect(entries[0]).toMatchObject({ batchKey: 'a', auth: 'webhook', status: 200, error: null });
	});
});
