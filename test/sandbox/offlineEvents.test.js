'use strict';
/** Offline events: event.bind event_type=offline, event.offline.get / clear / error / list. */
const { start, app, hook, control, setupConnector, message } = require('./helpers');

let sb;
let token;
beforeEach(async () => {
	sb = await start();
	token = sb.issueTokens().access_token;
});
afterEach(async () => {
	await sb.stop();
});
const call = (m, p) => app(sb, token, m, p);

async function reply(text) {
	return (await control(sb, 'openlines/operator-reply', { connector: 'c', line: 1, chatId: 'chat-1', text, userId: 2 })).body;
}

async function setup() {
	await setupConnector(sb, token, 'c');
	expect((await call('event.bind', { event: 'OnImConnectorMessageAdd', event_type: 'offline' })).body.result).toBe(true);
	await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [message(1)] });
}

describe('offline binding', () => {
	test('needs an administrator and the app context; event.get shows it as offline', async () => {
		const boris = sb.issueTokens({ userId: 2 }).access_token;
		const denied = await app(sb, boris, 'event.bind', { event: 'OnImConnectorMessageAdd', event_type: 'offline' });
		expect(denied.status).toBe(403);
		expect(denied.body.error).toBe('ACCESS_DENIED');
		expect((await app(sb, boris, 'event.offline.get')).body.error).toBe('ACCESS_DENIED');
		expect((await hook(sb, 'event.offline.get')).status).toBe(403);
		await call('event.bind', { event: 'OnImConnectorMessageAdd', event_type: 'offline' });
		expect((await call('event.get')).body.result).toEqual([{ event: 'ONIMCONNECTORMESSAGEADD', handler: '', auth_type: '0', offline: 1 }]);
	});

	test('an event for an offline binding is queued, not POSTed', async () => {
		await setup();
		const r = await reply('Hello');
		expect(r.deliveries).toEqual([{ event: 'ONIMCONNECTORMESSAGEADD', offline: true, id: 1 }]);
		const list = (await call('event.offline.list')).body;
		expect(list.total).toBe(1);
		expect(list.result[0]).toMatchObject({ ID: '1', EVENT_NAME: 'ONIMCONNECTORMESSAGEADD', PROCESS_ID: '', ERROR: '0', EVENT_ADDITIONAL: { user_id: '2' } });
		expect(list.result[0].EVENT_DATA).toMatchObject({ CONNECTOR: 'c', LINE: '1', MESSAGES: [{ message: { text: expect.stringContaining('Hello') } }] });
	});
});

describe('event.offline.get', () => {
	test('clear=1 (default) returns and deletes; limit and order', async () => {
		await setup();
		for (const t of ['a', 'b', 'c']) await reply(t);
		const first = (await call('event.offline.get', { limit: 2 })).body.result;
		expect(first.process_id).toBeNull();
		expect(first.events.map((e) => e.ID)).toEqual(['1', '2']);
		expect(Object.keys(first.events[0]).sort()).toEqual(['EVENT_ADDITIONAL', 'EVENT_DATA', 'EVENT_NAME', 'ID', 'MESSAGE_ID', 'TIMESTAMP_X']);
		const rest = (await call('event.offline.get', {})).body.result;
		expect(rest.events.map((e) => e.ID)).toEqual(['3']);
		expect((await call('event.offline.get', {})).body.result.events).toEqual([]);
	});

	test('clear=0 reserves under a process id; others do not see it; process_id re-selects; clear by process / ids', async () => {
		await setup();
		for (const t of ['a', 'b', 'c']) await reply(t);
		const got = (await call('event.offline.get', { clear: 0, limit: 2 })).body.result;
		expect(got.process_id).toMatch(/^[0-9a-f]{32}$/);
		expect(got.events.map((e) => e.ID)).toEqual(['1', '2']);
		const other = (await call('event.offline.get', { clear: 0 })).body.result;
		expect(other.events.map((e) => e.ID)).toEqual(['3']);
		expect(other.process_id).not.toBe(got.process_id);
		const again = (await call('event.offline.get', { clear: 0, process_id: got.process_id })).body.result;
		expect(again.process_id).toBe(got.process_id);
		expect(again.events.map((e) => e.ID)).toEqual(['1', '2']);
		expect((await call('event.offline.clear', { process_id: got.process_id, id: [1] })).body.result).toBe(true);
		expect((await call('event.offline.list')).body.result.map((e) => [e.ID, e.PROCESS_ID === got.process_id])).toEqual([
			['2', true],
			['3', false],
		]);
		await call('event.offline.clear', { process_id: got.process_id });
		await call('event.offline.clear', { process_id: other.process_id });
		expect((await call('event.offline.list')).body.total).toBe(0);
		expect((await call('event.offline.clear', {})).status).toBe(400);
	});

	test('filter by EVENT_NAME / ID with the operation before the field; unknown field refused', async () => {
		await setup();
		await reply('a');
		await reply('b');
		const r = (await call('event.offline.get', { clear: 0, filter: { '>ID': 1, '=EVENT_NAME': 'ONIMCONNECTORMESSAGEADD' } })).body.result;
		expect(r.events.map((e) => e.ID)).toEqual(['2']);
		expect((await call('event.offline.get', { filter: { '=NOPE': 1 } })).status).toBe(400);
	});

	test('event.offline.error marks records: kept, out of the normal selection, read with error=1', async () => {
		await setup();
		await reply('a');
		await reply('b');
		const got = (await call('event.offline.get', { clear: 0 })).body.result;
		expect((await call('event.offline.error', { process_id: got.process_id, message_id: [got.events[0].MESSAGE_ID] })).body.result).toBe(true);
		await call('event.offline.clear', { process_id: got.process_id, id: [2] });
		expect((await call('event.offline.get', { clear: 0 })).body.result.events).toEqual([]);
		const errors = (await call('event.offline.list', { filter: { ERROR: 1 } })).body.result;
		expect(errors.map((e) => e.ID)).toEqual(['1']);
		expect((await call('event.offline.get', { error: 1 })).body.result.events.map((e) => e.ID)).toEqual(['1']);
	});

	test('an identical repeat collapses into one record (the queue keeps the latest state)', async () => {
		await setup();
		const { record } = require('../../sandbox/offlineEvents');
		record(sb.state, { clientId: 'local.sandbox.app', event: 'ONIMCONNECTORMESSAGEADD', data: { x: 1 } });
		record(sb.state, { clientId: 'local.sandbox.app', event: 'ONIMCONNECTORMESSAGEADD', data: { x: 1 } });
		const list = (await call('event.offline.list')).body.result;
		expect(list.map((e) => e.ID)).toEqual(['2']);
	});
});
