'use strict';
/** The v2 event queue (fetch), webhook delivery, the /sandbox/v2/bots triggers and im.v2.Event.*. */
const crypto = require('crypto');
const { handlerServer, waitFor } = require('./helpers');
const { useV2Bot } = require('./imbotV2Helpers');
const { push, RETENTION_MS } = require('../../sandbox/methods/imbotV2/eventQueue');

const t = useV2Bot();
let bot;
let call;
beforeEach(() => ({ bot, call } = t));

const events = async (params = {}) => (await call('Event.get', params)).body.result;

describe('fetch mode: imbot.v2.Event.get', () => {
	test('every trigger queues its event with an increasing eventId, in order; data has the full bot, no auth', async () => {
		const cmd = (await call('Command.register', { fields: { command: 'help', title: { en: 'Help' } } })).body.result.command;
		const chat = (await call('Chat.add', { fields: { userIds: [2] } })).body.result.chat;
		const m = (await t.trigger(bot, 'user-message', { userId: 2, text: 'hello' })).body;
		expect(m.events).toEqual([{ botId: bot, type: 'ONIMBOTV2MESSAGEADD', eventId: expect.any(Number) }]);
		await t.trigger(bot, 'user-edit', { userId: 2, messageId: m.messageId, text: 'hello!' });
		await t.trigger(bot, 'user-command', { userId: 2, command: '/help', params: 'topic', context: 'keyboard' });
		await t.trigger(bot, 'join', { userId: 3, chatId: chat.id });
		await t.trigger(bot, 'context', { userId: 2, context: { entityId: 164, entityType: 'task' } });
		await t.trigger(bot, 'user-delete', { userId: 2, messageId: m.messageId });
		const r = await events();
		expect(r.events.map((e) => e.type)).toEqual(['ONIMBOTV2MESSAGEADD', 'ONIMBOTV2MESSAGEUPDATE', 'ONIMBOTV2COMMANDADD', 'ONIMBOTV2JOINCHAT', 'ONIMBOTV2CONTEXTGET', 'ONIMBOTV2MESSAGEDELETE']);
		const ids = r.events.map((e) => e.eventId);
		expect([...ids].sort((a, b) => a - b)).toEqual(ids);
		expect(new Set(ids).size).toBe(6);
		const [add, upd, command, joined, context, del] = r.events.map((e) => e.data);
		expect(add.bot).toMatchObject({ id: bot, code: 'bot1', eventMode: 'fetch', countUser: 1 });
		expect(add.bot).not.toHaveProperty('auth');
		expect(add).toMatchObject({ message: { id: m.messageId, authorId: 2, chatId: m.chatId }, chat: { dialogId: '2', type: 'private' }, user: { id: 2, name: 'Boris Becker' }, language: 'en' });
		expect(add.chat).not.toHaveProperty('role');
		expect(upd.message).toMatchObject({ text: 'hello!', params: { IS_EDITED: 'Y' } });
		expect(command.command).toEqual({ id: cmd.id, command: '/help', params: 'topic', context: 'keyboard' });
		expect(command.message.text).toBe('/help topic');
		expect(joined).toMatchObject({ dialogId: `chat${chat.id}`, chat: { id: chat.id }, user: { id: 3 } });
		expect(context).toMatchObject({ dialogId: '2', context: { entityId: 164, entityType: 'task' } });
		expect(del).toMatchObject({ messageId: m.messageId, user: { id: 2 } });
		expect(r).toMatchObject({ nextOffset: ids[5] + 1, hasMore: false });
	});

	test('offset acknowledges (drops) every event below it; limit 1-1000, default 100; hasMore', async () => {
		for (let i = 0; i < 5; i++) await t.trigger(bot, 'user-message', { userId: 2, text: `m${i}` });
		let r = await events({ limit: 2 });
		expect([r.events.length, r.hasMore]).toEqual([2, true]);
		const again = await events({ limit: 2 });
		expect(again.events.map((e) => e.eventId)).toEqual(r.events.map((e) => e.eventId)); // nothing acknowledged yet
		r = await events({ offset: r.nextOffset, limit: 2 });
		expect(r.events.map((e) => e.data.message.text)).toEqual(['m2', 'm3']);
		r = await events({ offset: r.nextOffset });
		expect([r.events.map((e) => e.data.message.text), r.hasMore]).toEqual([['m4'], false]);
		const last = r.nextOffset;
		r = await events({ offset: last });
		expect(r).toEqual({ events: [], nextOffset: last, hasMore: false });
		expect(t.sb.state.imbotV2.queues.get(`bot:${bot}`).events).toHaveLength(0);
		for (let i = 0; i < 1205; i++) push(t.sb.state, `bot:${bot}`, 'ONIMBOTV2MESSAGEADD', { n: i });
		expect((await events()).events).toHaveLength(100);
		expect((await events({ limit: 5000 })).events).toHaveLength(1000);
		expect((await events({ limit: 0 })).events).toHaveLength(1);
	});

	test('events older than 24 h are dropped', async () => {
		await t.trigger(bot, 'user-message', { userId: 2, text: 'old' });
		await t.trigger(bot, 'user-message', { userId: 2, text: 'new' });
		t.sb.state.imbotV2.queues.get(`bot:${bot}`).events[0].at -= RETENTION_MS + 1000;
		expect((await events()).events.map((e) => e.data.message.text)).toEqual(['new']);
	});

	test('group chats: the named bot plus the supervisor/personal bots in the chat; reactions go to the author bot', async () => {
		const sup = await t.newBot({ botToken: 'sup', type: 'supervisor' });
		const quiet = await t.newBot({ botToken: 'q', isReactionsEnabled: false });
		const chat = (await call('Chat.add', { fields: { userIds: [2, sup, quiet] } })).body.result.chat;
		const supEvents = async () => (await t.as(sup, 'sup')('Event.get')).body.result.events;
		expect((await supEvents()).map((e) => e.type)).toEqual(['ONIMBOTV2JOINCHAT']); // added by the bot's Chat.add
		const m = await t.trigger(bot, 'user-message', { userId: 2, dialogId: `chat${chat.id}`, text: '@bot hi' });
		expect(m.body.events.map((e) => e.botId)).toEqual([bot, sup]);
		const mine = (await call('Chat.Message.send', { dialogId: `chat${chat.id}`, fields: { message: 'answer' } })).body.result.id;
		const r = await t.trigger(bot, 'reaction', { userId: 2, messageId: mine, reaction: 'like' });
		expect(r.body.events).toEqual([{ botId: bot, type: 'ONIMBOTV2REACTIONCHANGE', eventId: expect.any(Number) }]);
		const reaction = (await events()).events.pop().data;
		expect(reaction).toMatchObject({ reaction: 'like', action: 'add', message: { id: mine }, user: { id: 2 } });
		const q = (await t.as(quiet, 'q')('Chat.Message.send', { dialogId: `chat${chat.id}`, fields: { message: 'q' } })).body.result.id;
		expect((await t.trigger(quiet, 'reaction', { userId: 2, messageId: q, reaction: 'fire' })).body.events).toEqual([]);
	});

	test('trigger errors: unknown bot 404, unknown command 404, a foreign chat 400', async () => {
		expect((await t.trigger(424242, 'user-message', { text: 'x' })).status).toBe(404);
		expect((await t.trigger(bot, 'user-command', { command: 'nope' })).status).toBe(404);
		expect((await t.trigger(bot, 'user-message', { dialogId: 'chat1', text: 'x' })).status).toBe(404);
		expect((await t.trigger(bot, 'user-message', { userId: 2 })).status).toBe(400);
	});
});

describe('webhook mode', () => {
	let h;
	beforeEach(async () => {
		h = await handlerServer();
	});
	afterEach(() => h.close());

	test('a webhook bot\'s events are POSTed form-encoded with data[bot]{id,code,auth} and its own application_token', async () => {
		const wb = await t.newBot({ botToken: 'hook-tok', eventMode: 'webhook', webhookUrl: `${h.url}/bot` });
		const r = await t.trigger(wb, 'user-message', { userId: 2, text: 'hi' });
		expect(r.body.deliveries).toEqual([expect.objectContaining({ url: `${h.url}/bot`, event: 'ONIMBOTV2MESSAGEADD', status: 200 })]);
		const got = h.received[0];
		expect(got.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(got.raw).toContain('data%5Bbot%5D%5Bid%5D=');
		const appToken = crypto.createHash('md5').update('hook-tok').digest('hex');
		expect(got.body).toMatchObject({ event: 'ONIMBOTV2MESSAGEADD', data: { bot: { id: String(wb), code: 'bot2', auth: { application_token: appToken } }, message: { text: 'hi', isSystem: '0' }, user: { id: '2' } }, auth: { application_token: appToken } });
		expect(got.body.auth).not.toHaveProperty('access_token');
		expect(Number(got.body.event_handler_id)).toBeGreaterThan(0);
		expect((await t.as(wb, 'hook-tok')('Event.get')).body.result.events).toEqual([]);
		await t.as(wb, 'hook-tok')('Bot.update', { fields: { botToken: 'rotated' } });
		await t.trigger(wb, 'user-message', { userId: 2, text: 'again' });
		expect(h.received[1].body.auth.application_token).toBe(crypto.createHash('md5').update('rotated').digest('hex'));
	});

	test('an OAuth bot: auth tokens at the top and for the bot; ONIMBOTV2DELETE on unregister; fetch again after update', async () => {
		const id = (await t.oa('Bot.register', { fields: { code: 'app', properties: { name: 'App' }, eventMode: 'webhook', webhookUrl: `${h.url}/app` } })).body.result.bot.id;
		await t.trigger(id, 'join', { userId: 3 });
		const b = h.received[0].body;
		expect(b).toMatchObject({ event: 'ONIMBOTV2JOINCHAT', data: { dialogId: '3', bot: { id: String(id), auth: { user_id: String(id), application_token: 'sandbox-app-token' } } }, auth: { user_id: '3', application_token: 'sandbox-app-token' } });
		expect(b.data.bot.auth.access_token).toBeTruthy();
		expect(b.auth.access_token).toBeTruthy();
		await t.oa('Bot.update', { botId: id, fields: { eventMode: 'fetch' } });
		await t.trigger(id, 'user-message', { userId: 3, text: 'queued' });
		expect(h.received).toHaveLength(1);
		expect((await t.oa('Event.get', { botId: id })).body.result.events.map((e) => e.type)).toEqual(['ONIMBOTV2MESSAGEADD']);
		await t.oa('Bot.update', { botId: id, fields: { eventMode: 'webhook' } });
		await t.oa('Bot.unregister', { botId: id });
		await waitFor(() => h.received.length === 2);
		expect(h.received[1].body).toMatchObject({ event: 'ONIMBOTV2DELETE', data: { bot: { id: String(id), code: 'app' } } });
	});
});

describe('im.v2.Event.* and withUserEvents', () => {
	test('subscribe; ONIMV2* for the user\'s chats (her own messages too); one offset for bot and user events; unsubscribe', async () => {
		expect((await call('Event.get', { withUserEvents: true })).body.error).toBe('USER_NOT_SUBSCRIBED');
		expect((await t.wh('im.v2.Event.get')).body.result).toEqual({ events: [], nextOffset: 0, hasMore: false });
		expect((await t.wh('im.v2.Event.subscribe')).body.result).toBe(true);
		await call('Chat.Message.send', { dialogId: '1', fields: { message: 'to Anna' } });
		await t.trigger(bot, 'user-message', { userId: 1, text: 'from Anna' });
		const mine = (await t.wh('im.v2.Event.get')).body.result;
		expect(mine.events.map((e) => [e.type, e.data.message.text])).toEqual([['ONIMV2MESSAGEADD', 'to Anna'], ['ONIMV2MESSAGEADD', 'from Anna']]);
		expect(mine.events[0].data).toMatchObject({ chat: { dialogId: String(bot) }, user: { id: bot } });
		expect(mine.events[1].data).toMatchObject({ user: { id: 1 } });
		const both = (await call('Event.get', { withUserEvents: true })).body.result;
		expect(both.events.map((e) => e.type).sort()).toEqual(['ONIMBOTV2MESSAGEADD', 'ONIMV2MESSAGEADD', 'ONIMV2MESSAGEADD']);
		await call('Event.get', { withUserEvents: true, offset: both.nextOffset });
		expect((await t.wh('im.v2.Event.get')).body.result.events).toEqual([]);
		await call('Chat.Message.send', { dialogId: '1', fields: { message: 'recorded' } });
		expect((await t.wh('im.v2.Event.unsubscribe')).body.result).toBe(true);
		await call('Chat.Message.send', { dialogId: '1', fields: { message: 'unseen' } });
		// unsubscribe stops recording; what was recorded stays readable until acknowledged
		const after = (await t.wh('im.v2.Event.get')).body.result;
		expect(after.events.map((e) => e.data.message.text)).toEqual(['recorded']);
		expect((await t.wh('im.v2.Event.get', { offset: after.nextOffset })).body.result.events).toEqual([]);
	});
});
