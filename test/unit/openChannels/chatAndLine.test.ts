import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { json, record, rl, run, trapAnyRequest } from './helpers';

useNock();

describe('Chat → Set Name (imconnector.chat.name.set)', () => {
	test('sends CONNECTOR, LINE, CHAT_ID and NAME as in the docs example', async () => {
		const { bodies } = record('imconnector.chat.name.set', () => ({ result: { SUCCESS: true, DATA: { RESULT: {} } } }));
		const out = await run({ resource: 'chat', operation: 'setName', connector: rl('myconnector'), line: rl(12), externalChatId: 'channel-123', chatName: 'VIP customer' });
		expect(bodies[0]).toEqual({ CONNECTOR: 'myconnector', LINE: 12, CHAT_ID: 'channel-123', NAME: 'VIP customer' });
		expect(json(out)).toEqual([{ connector: 'myconnector', line: 12, externalChatId: 'channel-123', name: 'VIP customer', success: true }]);
	});

	test('sends USER_ID when given (connectors without group chats)', async () => {
		const { bodies } = record('imconnector.chat.name.set', () => ({ result: { SUCCESS: true, DATA: { RESULT: {} } } }));
		await run({ resource: 'chat', operation: 'setName', connector: rl('myconnector'), line: rl(12), externalChatId: 'c', chatName: 'N', externalUserId: ' u-1 ' });
		expect(bodies[0]).toEqual({ CONNECTOR: 'myconnector', LINE: 12, CHAT_ID: 'c', NAME: 'N', USER_ID: 'u-1' });
	});

	test('CHAT_RENAMING_FAILED becomes the item error', async () => {
		const { calls } = portal({ 'imconnector.chat.name.set': { error: 'CHAT_RENAMING_FAILED', error_description: 'Failed' } });
		const out = await run({ resource: 'chat', operation: 'setName', connector: rl('c'), line: rl(1), externalChatId: 'x', chatName: 'N' }, { continueOnFail: true });
		expect(json(out)).toEqual([{ error: expect.stringMatching(/imconnector\.chat\.name\.set failed with CHAT_RENAMING_FAILED/), code: 'CHAT_RENAMING_FAILED' }]);
		expect(calls.map((c) => c.method)).toEqual(['imconnector.chat.name.set']);
	});
});

describe('Line → Get (imopenlines.config.get)', () => {
	test('sends CONFIG_ID, WITH_QUEUE and SHOW_OFFLINE and returns the line', async () => {
		const { bodies } = record('imopenlines.config.get', () => ({ result: { ID: '1', LINE_NAME: 'Sandbox line', ACTIVE: 'Y', QUEUE: ['1'] } }));
		const out = await run({ resource: 'line', operation: 'get', line: rl(1), lineOptions: { withQueue: true, showOffline: false } });
		expect(bodies[0]).toEqual({ CONFIG_ID: 1, WITH_QUEUE: 'Y', SHOW_OFFLINE: 'N' });
		expect(json(out)).toEqual([{ ID: '1', LINE_NAME: 'Sandbox line', ACTIVE: 'Y', QUEUE: ['1'] }]);
	});

	test('a false result is a clear "line not found" error', async () => {
		record('imopenlines.config.get', () => ({ result: false }), 2);
		const out = await run({ resource: 'line', operation: 'get', line: rl(99) });
		expect(out.error?.message).toMatch(/^Line 99 was not found.*LINE_NOT_FOUND/);
		const soft = await run({ resource: 'line', operation: 'get', line: rl(99) }, { continueOnFail: true });
		expect(json(soft)).toEqual([{ error: expect.stringMatching(/Line 99 was not found/), code: 'LINE_NOT_FOUND' }]);
	});

	test('works with the webhook credential too', async () => {
		const scope = nock('https://acme.bitrix24.com')
			.post('/rest/1/s3cr3tc0de99/imopenlines.config.get', { CONFIG_ID: 3 })
			.reply(200, { result: { ID: '3', LINE_NAME: 'L3' } });
		const out = await run({ authentication: 'webhook', resource: 'line', operation: 'get', line: rl(3) });
		expect(scope.isDone()).toBe(true);
		expect(json(out)).toEqual([{ ID: '3', LINE_NAME: 'L3' }]);
	});
});

describe('Line → Get Many (imopenlines.config.list.get)', () => {
	function lines(from: number, count: number): IDataObject[] {
		return Array.from({ length: count }, (_, i) => ({ ID: String(from + i), LINE_NAME: `Line ${from + i}` }));
	}

	test('Return All pages with PARAMS.limit/offset (200 per page) and sends select, filter, order and OPTIONS', async () => {
		const { bodies } = record(
			'imopenlines.config.list.get',
			(body) => {
				const offset = (body.PARAMS as IDataObject).offset as number;
				return { result: offset === 0 ? lines(1, 200) : lines(201, 50), total: 250 };
			},
			2,
		);
		const out = await run({
			resource: 'line',
			operation: 'getAll',
			returnAll: true,
			listOptions: { select: 'ID, LINE_NAME', filter: '{"ACTIVE": "Y"}', order: '{"ID": "DESC"}', queue: true, configQueue: true },
		});
		expect(out.error).toBeUndefined();
		expect(bodies).toEqual([
			{ PARAMS: { select: ['ID', 'LINE_NAME'], filter: { ACTIVE: 'Y' }, order: { ID: 'DESC' }, limit: 200, offset: 0 }, OPTIONS: { QUEUE: 'Y', CONFIG_QUEUE: 'Y' } },
			{ PARAMS: { select: ['ID', 'LINE_NAME'], filter: { ACTIVE: 'Y' }, order: { ID: 'DESC' }, limit: 200, offset: 200 }, OPTIONS: { QUEUE: 'Y', CONFIG_QUEUE: 'Y' } },
		]);
		expect(out.items).toHaveLength(250);
		expect(out.items[249].json).toEqual({ ID: '250', LINE_NAME: 'Line 250' });
	});

	test('Limit asks for that many only', async () => {
		const { bodies } = record('imopenlines.config.list.get', () => ({ result: lines(1, 5), total: 9 }));
		const out = await run({ resource: 'line', operation: 'getAll', returnAll: false, limit: 5 });
		expect(bodies).toEqual([{ PARAMS: { limit: 5, offset: 0 } }]);
		expect(out.items).toHaveLength(5);
	});

	test('bad options fail before any request', async () => {
		const trap = trapAnyRequest();
		expect((await run({ resource: 'line', operation: 'getAll', listOptions: { filter: '{"ACTIVE": ' } })).error?.message).toMatch(/"Options → Filter \(JSON\)" is not valid JSON/);
		expect((await run({ resource: 'line', operation: 'getAll', listOptions: { order: '["ID"]' } })).error?.message).toMatch(/"Options → Sort \(JSON\)" must be a JSON object/);
		expect((await run({ resource: 'line', operation: 'getAll', listOptions: { select: 'ID, QUEUE' } })).error?.message).toMatch(/"Options → Fields" cannot name QUEUE/);
		expect(trap.isDone()).toBe(false);
	});
});
