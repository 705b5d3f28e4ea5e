/** The Messenger Trigger's event source against the sandbox: subscribe, read, acknowledge, event ids, filters, peek. */
import type { IDataObject } from 'n8n-workflow';

import type { MessengerCall, MessengerState } from '../../../nodes/Bitrix24MessengerTrigger/source';
import { MessengerSource, parseEvents } from '../../../nodes/Bitrix24MessengerTrigger/source';
import type { Sandbox } from '../../helpers/sandbox';
import { startSandbox } from '../../helpers/sandbox';

let sb: Sandbox;
let webhook: string;
const calls: string[] = [];

beforeEach(async () => {
	sb = await startSandbox({ port: 0, rate: 0 });
	webhook = `${sb.url}/rest/1/sandboxwebhook/`;
	calls.length = 0;
});
afterEach(() => sb.stop());

/** The webhook of Anna (user 1): the `result`, or a thrown Bitrix error. */
const call: MessengerCall = async (method, params) => {
	calls.push(method);
	const res = await fetch(`${webhook}${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
	const body = (await res.json()) as IDataObject;
	if (body.error) throw new Error(`${String(body.error)}: ${String(body.error_description)}`);
	return body.result;
};

async function write(userId: number, dialogId: string, text: string): Promise<IDataObject> {
	const res = await fetch(`${sb.url}/sandbox/v2/users/${userId}/message`, { method: 'POST', body: JSON.stringify({ dialogId, text }) });
	return (await res.json()) as IDataObject;
}

function source(state: MessengerState, options: Partial<{ events: string[]; ignoreOwn: boolean; limit: number }> = {}) {
	return new MessengerSource(call, state, { events: ['ONIMV2MESSAGEADD'], ignoreOwn: true, limit: 100, ...options });
}

test('prepare subscribes and learns the user; a read hands over other users\' messages as items with ids, in order', async () => {
	const state: MessengerState = {};
	const s = source(state);
	await s.prepare();
	expect(calls).toEqual(['im.v2.Event.subscribe', 'profile']);
	expect(state.userId).toBe(1);
	await write(2, '1', 'hi Anna');
	await write(3, '1', 'hello from Clara');
	const batch = await s.read();
	expect(batch.events.map((e) => e.id)).toEqual(batch.events.map((e) => e.id).sort((a, b) => Number(a) - Number(b)));
	expect(batch.events.map((e) => e.items[0].text)).toEqual(['hi Anna', 'hello from Clara']);
	expect(batch.events[0].items[0]).toMatchObject({ event: 'ONIMV2MESSAGEADD', dialogId: '2', user: { id: 2 }, message: { authorId: 2 } });
	expect(batch.events[0].items[0].botId).toBeUndefined();
	expect(batch.events[0].orderKey).toBe('2');
	expect(batch.read).toBe(2);
	expect(batch.hasMore).toBe(false);
});

test('nothing is acknowledged until acknowledge(); then the next read sends the offset and the portal drops the batch', async () => {
	const state: MessengerState = {};
	const s = source(state);
	await s.prepare();
	await write(2, '1', 'one');
	const first = await s.read();
	expect((await s.read()).events.map((e) => e.id)).toEqual(first.events.map((e) => e.id)); // not taken yet: read again
	await s.acknowledge(first);
	expect(state.offset).toBe(Number(first.events[0].id) + 1);
	await write(2, '1', 'two');
	const second = await s.read();
	expect(second.events.map((e) => e.items[0].text)).toEqual(['two']);
	// a reader with no offset (a fresh state) no longer sees "one": the offset acknowledged it at the portal
	expect((await source({}).peek()).map((e) => e.items[0].text)).toEqual(['two']);
});

test('my own messages and unchosen types are read and acknowledged without an execution', async () => {
	const state: MessengerState = {};
	const s = source(state, { events: ['ONIMV2MESSAGEADD', 'ONIMV2MESSAGEUPDATE'] });
	await s.prepare();
	await write(1, '2', 'mine');
	const other = await write(2, '1', 'theirs');
	await fetch(`${sb.url}/sandbox/v2/users/1/reaction`, { method: 'POST', body: JSON.stringify({ messageId: other.messageId }) });
	const batch = await s.read();
	expect(batch.read).toBe(3);
	expect(batch.events.map((e) => e.items[0].text)).toEqual(['theirs']);
	await s.acknowledge(batch);
	expect((await s.read()).read).toBe(0);
	const keepOwn = source({}, { ignoreOwn: false });
	await write(1, '2', 'mine again');
	expect((await keepOwn.read()).events.map((e) => e.items[0].text)).toEqual(['mine again']);
});

test('limit pages the queue with hasMore; a restart (state kept) resumes after the acknowledged offset', async () => {
	const state: MessengerState = {};
	const s = source(state, { limit: 2 });
	await s.prepare();
	for (let i = 0; i < 5; i++) await write(2, '1', `m${i}`);
	const texts: string[] = [];
	let batch = await s.read();
	expect(batch.hasMore).toBe(true);
	texts.push(...batch.events.map((e) => String(e.items[0].text)));
	await s.acknowledge(batch);
	const restarted = source(state, { limit: 2 }); // same static data, new process
	for (;;) {
		batch = await restarted.read();
		texts.push(...batch.events.map((e) => String(e.items[0].text)));
		await restarted.acknowledge(batch);
		if (!batch.hasMore) break;
	}
	expect(texts).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
});

test('parseEvents skips malformed entries and keeps the documented fields', () => {
	const parsed = parseEvents({
		events: [
			{ eventId: 'x', type: 'ONIMV2MESSAGEADD', data: {} },
			{ eventId: 7, type: '', data: {} },
			{ eventId: 8, type: 'onimv2messagedelete', date: '2025-01-15T10:30:00+02:00', data: { messageId: 5, chat: { dialogId: 'chat5' }, user: { id: 4 } } },
		],
	});
	expect(parsed).toHaveLength(1);
	expect(parsed[0]).toMatchObject({ eventId: 8, type: 'ONIMV2MESSAGEDELETE', authorId: 4, item: { event: 'ONIMV2MESSAGEDELETE', eventId: 8, dialogId: 'chat5', message: { id: 5 } } });
	expect(parseEvents(null)).toEqual([]);
});
