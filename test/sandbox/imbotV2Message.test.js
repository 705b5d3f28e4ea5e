'use strict';
/** imbot.v2.Chat.Message.*: send (limits, attach, keyboard, forwards), update, delete, read state, get, getContext, reactions. */
const { useV2Bot } = require('./imbotV2Helpers');

const t = useV2Bot();
let bot;
let call;
beforeEach(() => ({ bot, call } = t));

const send = (dialogId, fields) => call('Chat.Message.send', { dialogId, fields });
const stored = (id) => t.sb.state.messages.get(id);

describe('Chat.Message.send', () => {
	test('returns {id, uuidMap}; text, system, urlPreview, replyId, attach, keyboard', async () => {
		const first = await send('2', { message: 'Hello' });
		expect(first.body.result).toEqual({ id: expect.any(Number), uuidMap: {} });
		const r = await send('2', { message: 'Hi', system: 'Y', urlPreview: false, replyId: first.body.result.id, attach: [{ MESSAGE: 'block' }], keyboard: [{ TEXT: 'Go', COMMAND: 'go' }] });
		expect(stored(r.body.result.id)).toMatchObject({ AUTHOR_ID: 0, SYSTEM: 'Y', URL_PREVIEW: 'N', REPLY_ID: first.body.result.id, KEYBOARD: { BUTTONS: [{ TEXT: 'Go', COMMAND: 'go' }] } });
		expect((await send('2', { message: 'x', keyboard: [{ COMMAND: 'no text' }] })).body.error).toBe('KEYBOARD_ERROR');
		expect((await send('2', { message: 'x', attach: 'not json' })).body.error).toBe('ATTACH_ERROR');
		expect((await call('Bot.get')).body.result.bot.countMessage).toBe(2);
	});

	test('EMPTY_MESSAGE; ACCESS_DENIED outside the bot\'s chats; text over 20,000 characters is cut with " (...)"', async () => {
		expect((await send('2', { message: '  ' })).body.error).toBe('EMPTY_MESSAGE');
		expect((await call('Chat.Message.send', { dialogId: '2' })).body.error).toBe('EMPTY_MESSAGE');
		const other = await t.newBot({ botToken: 'tok-2' });
		const chat = (await t.as(other, 'tok-2')('Chat.add', {})).body.result.chat;
		expect((await send(`chat${chat.id}`, { message: 'x' })).status).toBe(403);
		const long = await send('2', { message: 'a'.repeat(25000) });
		const text = stored(long.body.result.id).MESSAGE;
		expect([text.length, text.endsWith('a (...)')]).toEqual([20000, true]);
	});

	test('forwardIds {uuid: messageId} -> copies with forward info and uuidMap; foreign messages refused', async () => {
		const src = (await send('2', { message: 'original' })).body.result.id;
		const r = await send('3', { forwardIds: { 'u-1': src } });
		const copyId = r.body.result.uuidMap['u-1'];
		expect(r.body.result.id).toBe(copyId);
		expect(stored(copyId)).toMatchObject({ MESSAGE: 'original', UUID: 'u-1', FORWARD: { id: src, userId: bot } });
		const other = await t.newBot({ botToken: 'tok-2' });
		const foreign = (await t.as(other, 'tok-2')('Chat.Message.send', { dialogId: '4', fields: { message: 'secret' } })).body.result.id;
		expect((await send('3', { message: 'x', forwardIds: { a: foreign } })).body.error).toBe('ACCESS_DENIED');
	});
});

describe('update / delete', () => {
	test('update: the bot\'s own message only; keyboard "N" removes it; system messages are nobody\'s', async () => {
		const id = (await send('2', { message: 'v1', keyboard: [{ TEXT: 'A', COMMAND: 'a' }] })).body.result.id;
		expect((await call('Chat.Message.update', { messageId: id, fields: { message: 'v2', keyboard: 'N' } })).body.result).toEqual({ result: true });
		expect(stored(id)).toMatchObject({ MESSAGE: 'v2', KEYBOARD: null, EDITED: true });
		expect((await call('Chat.Message.update', { messageId: id })).body.error).toBe('PARAMS_REQUIRED');
		const sys = (await send('2', { message: 's', system: true })).body.result.id;
		expect((await call('Chat.Message.update', { messageId: sys, fields: { message: 'x' } })).body.error).toBe('ACCESS_DENIED');
		const user = await t.trigger(bot, 'user-message', { userId: 2, text: 'mine' });
		expect((await call('Chat.Message.update', { messageId: user.body.messageId, fields: { message: 'x' } })).body.error).toBe('ACCESS_DENIED');
		expect((await call('Chat.Message.update', { messageId: 999999, fields: { message: 'x' } })).body.error).toBe('ACCESS_DENIED');
	});

	test('delete: own messages (soft or complete); others\' only as chat admin', async () => {
		const soft = (await send('2', { message: 'a' })).body.result.id;
		expect((await call('Chat.Message.delete', { messageId: soft })).body.result).toEqual({ result: true });
		expect(stored(soft)).toMatchObject({ DELETED: true });
		const hard = (await send('2', { message: 'b' })).body.result.id;
		await call('Chat.Message.delete', { messageId: hard, complete: true });
		expect(stored(hard)).toBeUndefined();
		const userMsg = (await t.trigger(bot, 'user-message', { userId: 2, text: 'user' })).body.messageId;
		expect((await call('Chat.Message.delete', { messageId: userMsg })).body.error).toBe('ACCESS_DENIED');
		const chat = (await call('Chat.add', { fields: { userIds: [2] } })).body.result.chat;
		const inGroup = (await t.trigger(bot, 'user-message', { userId: 2, dialogId: `chat${chat.id}`, text: 'in group' })).body.messageId;
		expect((await call('Chat.Message.delete', { messageId: inGroup })).body.result).toEqual({ result: true }); // the bot owns the chat
	});
});

describe('read state', () => {
	test('read marks up to messageId (or all); counter; viewedMessages; viewedByOthers', async () => {
		const ids = [];
		for (const text of ['1', '2', '3']) ids.push((await t.trigger(bot, 'user-message', { userId: 2, text })).body.messageId);
		let r = await call('Chat.Message.read', { dialogId: '2', messageId: ids[1] });
		expect(r.body.result).toEqual({ chatId: expect.any(Number), lastId: ids[1], counter: 1, viewedMessages: [ids[0], ids[1]] });
		r = await call('Chat.Message.read', { dialogId: '2' });
		expect(r.body.result).toMatchObject({ lastId: ids[2], counter: 0, viewedMessages: [ids[2]] });
		expect((await call('Chat.Message.read', { dialogId: '2', messageId: 1 })).body.error).toBe('MESSAGE_NOT_FOUND');
		const sup = await t.newBot({ type: 'supervisor', botToken: 'sup' });
		const chat = (await t.as(sup, 'sup')('Chat.add', { fields: { userIds: [2] } })).body.result.chat;
		const m = (await t.as(sup, 'sup')('Chat.Message.send', { dialogId: `chat${chat.id}`, fields: { message: 'hi' } })).body.result.id;
		expect((await t.as(sup, 'sup')('Chat.Message.get', { messageId: m })).body.result.message.viewedByOthers).toBe(false);
		t.sb.state.imbotV2.reads.set(`${chat.id}|2`, m); // user 2 reads it
		expect((await t.as(sup, 'sup')('Chat.Message.get', { messageId: m })).body.result.message.viewedByOthers).toBe(true);
	});
});

describe('get / getContext (supervisor and personal bots only)', () => {
	test('BOT_TYPE_NOT_ALLOWED for type bot; message and author; MESSAGE_NOT_FOUND; window with pages', async () => {
		const id = (await send('2', { message: 'x' })).body.result.id;
		expect((await call('Chat.Message.get', { messageId: id })).body.error).toBe('BOT_TYPE_NOT_ALLOWED');
		expect((await call('Chat.Message.getContext', { messageId: id })).status).toBe(403);
		const p = await t.newBot({ type: 'personal', botToken: 'p' });
		const as = t.as(p, 'p');
		const ids = [];
		for (let i = 0; i < 7; i++) ids.push((await as('Chat.Message.send', { dialogId: '3', fields: { message: `m${i}` } })).body.result.id);
		const got = (await as('Chat.Message.get', { messageId: ids[0] })).body.result;
		expect(got.message).toMatchObject({ id: ids[0], text: 'm0', authorId: p, isSystem: false, unread: false, viewed: true });
		expect(got.user).toMatchObject({ id: p, bot: true });
		const c = (await as('Chat.Message.getContext', { messageId: ids[3], range: 2 })).body.result;
		expect([c.messages.map((m) => m.text), c.hasPrevPage, c.hasNextPage]).toEqual([['m1', 'm2', 'm3', 'm4', 'm5'], true, true]);
		expect((await as('Chat.Message.getContext', { messageId: 99999 })).body.error).toBe('MESSAGE_NOT_FOUND');
		expect((await as('Chat.Message.getContext', { messageId: id })).body.error).toBe('MESSAGE_ACCESS_DENIED');
	});
});

describe('reactions', () => {
	test('add / delete; REACTION_NOT_FOUND; REACTION_ALREADY_SET; ACCESS_DENIED for a foreign chat', async () => {
		const id = (await t.trigger(bot, 'user-message', { userId: 2, text: 'nice' })).body.messageId;
		expect((await call('Chat.Message.Reaction.add', { messageId: id, reaction: 'like' })).body.result).toEqual({ result: true });
		expect(stored(id).REACTIONS).toEqual({ like: [bot] });
		expect((await call('Chat.Message.Reaction.add', { messageId: id, reaction: 'like' })).body.error).toBe('REACTION_ALREADY_SET');
		expect((await call('Chat.Message.Reaction.add', { messageId: id, reaction: 'thumbsUp' })).body.error).toBe('REACTION_NOT_FOUND');
		expect((await call('Chat.Message.Reaction.delete', { messageId: id, reaction: 'like' })).body.result).toEqual({ result: true });
		expect(stored(id).REACTIONS).toEqual({});
		expect((await call('Chat.Message.Reaction.delete', { messageId: id, reaction: 'nope' })).body.error).toBe('REACTION_NOT_FOUND');
		const other = await t.newBot({ botToken: 'tok-2' });
		const foreign = (await t.as(other, 'tok-2')('Chat.Message.send', { dialogId: '4', fields: { message: 'x' } })).body.result.id;
		expect((await call('Chat.Message.Reaction.add', { messageId: foreign, reaction: 'fire' })).body.error).toBe('ACCESS_DENIED');
	});
});
