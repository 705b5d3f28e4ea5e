'use strict';
/** im.v2.* as the user: the /sandbox/v2/users triggers (no bot involved), Event.get paging, limits and the 24 h retention. */
const { v2Sandbox } = require('./imbotV2Helpers');
const { control } = require('./helpers');
const { RETENTION_MS } = require('../../sandbox/methods/imbotV2/eventQueue');

let t;
beforeEach(async () => {
	t = await v2Sandbox();
});
afterEach(() => t.sb.stop());

const as = (userId, what, body) => control(t.sb, `v2/users/${userId}/${what}`, body);
const get = async (params = {}) => (await t.wh('im.v2.Event.get', params)).body.result;

test('another user writes, edits, reacts, deletes in Anna\'s private chat: ONIMV2* in order, documented shapes', async () => {
	await t.wh('im.v2.Event.subscribe');
	const m = (await as(2, 'message', { dialogId: '1', text: 'hi Anna' })).body;
	expect(m).toMatchObject({ messageId: expect.any(Number), dialogId: '1', events: [{ userId: 1, type: 'ONIMV2MESSAGEADD', eventId: expect.any(Number) }] });
	await as(2, 'edit', { messageId: m.messageId, text: 'hi Anna!' });
	await as(1, 'reaction', { messageId: m.messageId, reaction: 'like' });
	await as(2, 'delete', { messageId: m.messageId });
	const r = await get();
	expect(r.events.map((e) => e.type)).toEqual(['ONIMV2MESSAGEADD', 'ONIMV2MESSAGEUPDATE', 'ONIMV2REACTIONCHANGE', 'ONIMV2MESSAGEDELETE']);
	expect(r.events[0].data).toMatchObject({ message: { id: m.messageId, authorId: 2, text: 'hi Anna' }, chat: { dialogId: '2' }, user: { id: 2 }, language: 'en' });
	expect(r.events[0].data.auth).toBeUndefined();
	expect(r.events[1].data.message.text).toBe('hi Anna!');
	expect(r.events[2].data).toMatchObject({ reaction: 'like', action: 'add', user: { id: 1 } });
	expect(r.events[3].data).toMatchObject({ messageId: m.messageId, user: { id: 2 } });
	expect(r.hasMore).toBe(false);
	expect(r.nextOffset).toBe(r.events[3].eventId + 1);
});

test('group chat: created by Boris with Anna, ONIMV2JOINCHAT, then a message; only subscribed members record', async () => {
	await t.wh('im.v2.Event.subscribe');
	const c = (await as(2, 'chat', { title: 'Team', users: [1, 3] })).body;
	expect(c.dialogId).toMatch(/^chat\d+$/);
	await as(3, 'message', { dialogId: c.dialogId, text: 'hello team' });
	const r = await get();
	expect(r.events.map((e) => e.type)).toEqual(['ONIMV2JOINCHAT', 'ONIMV2JOINCHAT', 'ONIMV2MESSAGEADD']);
	expect(r.events[0].data).toMatchObject({ dialogId: c.dialogId, user: { id: 1 } });
	expect(r.events[2].data).toMatchObject({ chat: { dialogId: c.dialogId }, user: { id: 3 } });
	expect((await as(4, 'message', { dialogId: c.dialogId, text: 'x' })).status).toBe(400);
});

test('limit 1–1000, hasMore and nextOffset page the queue; offset acknowledges; never subscribed = nothing recorded', async () => {
	await as(2, 'message', { dialogId: '1', text: 'before subscribe' });
	expect((await get()).events).toEqual([]);
	await t.wh('im.v2.Event.subscribe');
	for (let i = 0; i < 5; i++) await as(2, 'message', { dialogId: '1', text: `m${i}` });
	const a = await get({ limit: 2 });
	expect(a.events.map((e) => e.data.message.text)).toEqual(['m0', 'm1']);
	expect(a.hasMore).toBe(true);
	const b = await get({ offset: a.nextOffset, limit: 0 }); // below 1: one event
	expect(b.events.map((e) => e.data.message.text)).toEqual(['m2']);
	const c = await get({ offset: b.nextOffset, limit: 5000 });
	expect(c.events.map((e) => e.data.message.text)).toEqual(['m3', 'm4']);
	expect(c.hasMore).toBe(false);
	expect((await get({ offset: c.nextOffset })).events).toEqual([]);
	expect((await get()).events).toEqual([]); // acknowledged events are gone for every reader
});

test('events older than 24 h are dropped', async () => {
	await t.wh('im.v2.Event.subscribe');
	await as(2, 'message', { dialogId: '1', text: 'old' });
	const q = t.sb.state.imbotV2.queues.get('user:1');
	q.events[0].at -= RETENTION_MS + 1;
	await as(2, 'message', { dialogId: '1', text: 'new' });
	expect((await get()).events.map((e) => e.data.message.text)).toEqual(['new']);
});

test('im.v2.File.upload as the user posts her file message; File.download gives a link; both refused outside her chats', async () => {
	await t.wh('im.v2.Event.subscribe');
	const up = await t.wh('im.v2.File.upload', { dialogId: '2', fields: { name: 'a.txt', content: Buffer.from('hello').toString('base64'), message: 'file' } });
	expect(up.body.result).toMatchObject({ file: { id: expect.any(Number), name: 'a.txt' }, messageId: expect.any(Number) });
	const own = await get();
	expect(own.events.map((e) => [e.type, e.data.user.id])).toEqual([['ONIMV2MESSAGEADD', 1]]);
	const down = await t.wh('im.v2.File.download', { dialogId: '2', fileId: up.body.result.file.id });
	expect(down.body.result.downloadUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
	expect((await fetch(down.body.result.downloadUrl)).status).toBe(200);
	const c = (await as(2, 'chat', { title: 'No Anna', users: [3] })).body;
	expect((await t.wh('im.v2.File.upload', { dialogId: c.dialogId, fields: { name: 'a.txt', content: 'aGk=' } })).status).toBe(403);
});
