'use strict';
/** imbot.v2 chats, members, managers, owner, text field, input action, and commands. */
const { useV2Bot } = require('./imbotV2Helpers');

const t = useV2Bot();
let bot;
let call;
beforeEach(() => ({ bot, call } = t));

async function newChat(fields = {}) {
	const r = await call('Chat.add', { fields: { title: 'Team', userIds: [2, 3], ...fields } });
	expect(r.status).toBe(200);
	return r.body.result.chat;
}

describe('Chat.add / get / update', () => {
	test('add: the bot owns the chat; colour codes; first message; users', async () => {
		const r = await call('Chat.add', { fields: { title: 'Team', description: 'D', color: 'lightBlue', userIds: [2, 3, 999], message: 'Welcome' } });
		const { chat, users } = r.body.result;
		expect(chat).toMatchObject({ dialogId: `chat${chat.id}`, name: 'Team', description: 'D', type: 'chat', messageType: 'C', owner: bot, color: '#4ba5c3', role: 'owner', messageCount: 1, userCounter: 3, textFieldEnabled: 'Y' });
		expect(users.map((u) => u.id).sort()).toEqual([2, 3, bot].sort());
		const other = await call('Chat.add', { fields: { ownerId: 2, color: 'nope' } });
		expect(other.body.result.chat).toMatchObject({ owner: 2, role: 'member', color: '#29619b' });
	});

	test('get: the chat of a dialogId the bot is in; private dialog by user id; ACCESS_DENIED otherwise', async () => {
		const chat = await newChat();
		expect((await call('Chat.get', { dialogId: `chat${chat.id}` })).body.result.chat.id).toBe(chat.id);
		const p = (await call('Chat.get', { dialogId: '2' })).body.result.chat;
		expect(p).toMatchObject({ dialogId: '2', type: 'private', messageType: 'P', name: 'Boris Becker' });
		const foreign = await t.newBot({ botToken: 'tok-2' });
		const theirs = (await t.as(foreign, 'tok-2')('Chat.add', {})).body.result.chat;
		let r = await call('Chat.get', { dialogId: `chat${theirs.id}` });
		expect([r.status, r.body.error]).toEqual([403, 'ACCESS_DENIED']);
		r = await call('Chat.get', { dialogId: 'chat424242' });
		expect(r.body.error).toBe('ACCESS_DENIED');
		expect((await call('Chat.get', {})).body.error).toBe('PARAMS_REQUIRED');
	});

	test('update: title, description, colour; fields required; not in a private chat', async () => {
		const chat = await newChat();
		expect((await call('Chat.update', { dialogId: `chat${chat.id}`, fields: { title: 'New', description: 'x', color: 'purple' } })).body.result).toEqual({ result: true });
		expect((await call('Chat.get', { dialogId: `chat${chat.id}` })).body.result.chat).toMatchObject({ name: 'New', description: 'x', color: '#8474c8' });
		expect((await call('Chat.update', { dialogId: `chat${chat.id}` })).body.error).toBe('PARAMS_REQUIRED');
		expect((await call('Chat.update', { dialogId: '2', fields: { title: 'x' } })).body.error).toBe('ACCESS_DENIED');
	});
});

describe('members, managers, owner', () => {
	test('User.add / list / delete; unknown users ignored; EMPTY_USER_IDS; the owner stays', async () => {
		const chat = await newChat();
		const d = `chat${chat.id}`;
		expect((await call('Chat.User.add', { dialogId: d, userIds: [4, 12345] })).body.result).toEqual({ result: true });
		let list = (await call('Chat.User.list', { dialogId: d })).body.result;
		expect(list.map((u) => u.id)).toEqual([bot, 2, 3, 4]);
		list = (await call('Chat.User.list', { dialogId: d, order: { userId: 'DESC' }, limit: 2 })).body.result;
		expect(list.map((u) => u.id)).toEqual([bot, 4]);
		expect((await call('Chat.User.add', { dialogId: d, userIds: [] })).body.error).toBe('EMPTY_USER_IDS');
		expect((await call('Chat.User.delete', { dialogId: d, userId: 4 })).body.result).toEqual({ result: true });
		expect((await call('Chat.User.delete', { dialogId: d, userId: 4 })).body.result).toEqual({ result: true }); // idempotent
		expect((await call('Chat.User.delete', { dialogId: d, userId: bot })).body.error).toBe('ACCESS_DENIED');
		expect((await call('Chat.User.delete', { dialogId: d })).body.error).toBe('PARAMS_REQUIRED');
	});

	test('Manager.add / delete and setOwner need the owner; ACCESS_DENIED after passing ownership', async () => {
		const chat = await newChat();
		const d = `chat${chat.id}`;
		expect((await call('Chat.Manager.add', { dialogId: d, userIds: [2, 5] })).body.result).toEqual({ result: true });
		expect((await call('Chat.get', { dialogId: d })).body.result.chat.managerList).toEqual([2]); // 5 is no member
		expect((await call('Chat.Manager.delete', { dialogId: d, userIds: [2] })).body.result).toEqual({ result: true });
		expect((await call('Chat.Manager.add', { dialogId: d })).body.error).toBe('EMPTY_USER_IDS');
		expect((await call('Chat.setOwner', { dialogId: d, userId: 5 })).body.error).toBe('ACCESS_DENIED');
		expect((await call('Chat.setOwner', { dialogId: d, userId: 3 })).body.result).toEqual({ result: true });
		expect((await call('Chat.get', { dialogId: d })).body.result.chat).toMatchObject({ owner: 3, role: 'member' });
		expect((await call('Chat.Manager.add', { dialogId: d, userIds: [2] })).body.error).toBe('ACCESS_DENIED');
		expect((await call('Chat.User.add', { dialogId: d, userIds: [4] })).body.error).toBe('ACCESS_DENIED'); // not an admin now
	});

	test('leave: the bot is out; then ACCESS_DENIED; an owner leaving passes ownership on', async () => {
		const chat = await newChat();
		const d = `chat${chat.id}`;
		expect((await call('Chat.leave', { dialogId: d })).body.result).toEqual({ result: true });
		expect(t.sb.state.chats.get(chat.id)).toMatchObject({ OWNER: 2, USERS: [2, 3] });
		expect((await call('Chat.leave', { dialogId: d })).body.error).toBe('ACCESS_DENIED');
	});
});

describe('chat interface', () => {
	test('TextField.enabled toggles textFieldEnabled, also in a private chat; InputAction.notify', async () => {
		expect((await call('Chat.TextField.enabled', { dialogId: '2', enabled: false })).body.result).toEqual({ result: true });
		expect((await call('Chat.get', { dialogId: '2' })).body.result.chat.textFieldEnabled).toBe('N');
		await call('Chat.TextField.enabled', { dialogId: '2' });
		expect((await call('Chat.get', { dialogId: '2' })).body.result.chat.textFieldEnabled).toBe('Y');
		const r = await call('Chat.InputAction.notify', { dialogId: '2', statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING', duration: 5000 });
		expect(r.body.result).toEqual({ result: true });
		const chatId = (await call('Chat.get', { dialogId: '2' })).body.result.chat.id;
		expect(t.sb.state.chats.get(chatId).INPUT_ACTION).toMatchObject({ botId: bot, code: 'IMBOT_AGENT_ACTION_THINKING' });
		expect((await call('Chat.InputAction.notify', { dialogId: 'chat99999' })).body.error).toBe('ACCESS_DENIED');
	});
});

describe('commands', () => {
	test('register (fields or the legacy flat form), idempotent per bot+command; list; update; unregister', async () => {
		const r = await call('Command.register', { fields: { command: 'help', title: { en: 'Help', de: 'Hilfe' }, params: { en: '[topic]' } } });
		const cmd = r.body.result.command;
		expect(cmd).toEqual({ id: expect.any(Number), botId: bot, command: '/help', common: false, hidden: false, extranetSupport: false });
		expect((await call('Command.register', { fields: { command: 'help', title: { en: 'Other' } } })).body.result.command.id).toBe(cmd.id);
		const legacy = await call('Command.register', { command: 'stats', hidden: true });
		expect(legacy.body.result.command.hidden).toBe(true);
		let list = (await call('Command.list')).body.result.commands;
		expect(list[0]).toEqual({ ...cmd, title: 'Help', params: '[topic]', category: 'Bot 1', context: '' });
		const u = await call('Command.update', { commandId: cmd.id, fields: { command: 'assist', title: { en: null }, common: 'Y' } });
		expect(u.body.result.command).toMatchObject({ command: '/assist', common: true });
		list = (await call('Command.list')).body.result.commands;
		expect(list[0].title).toBe('Hilfe'); // en removed: falls back to another language
		expect((await call('Command.unregister', { commandId: cmd.id })).body.result).toEqual({ result: true });
		expect((await call('Command.unregister', { commandId: cmd.id })).body.error).toBe('COMMAND_NOT_FOUND');
		expect((await call('Bot.get')).body.result.bot.countCommand).toBe(1);
	});

	test.each([
		[{ fields: { title: { en: 'x' } } }, 'COMMAND_REQUIRED'],
		[{ fields: { command: 'bad name!', title: { en: 'x' } } }, 'COMMAND_NAME_INVALID'],
		[{ fields: { command: 'visible' } }, 'COMMAND_TITLE_REQUIRED'],
	])('register %j -> %s', async (params, code) => {
		expect((await call('Command.register', params)).body.error).toBe(code);
	});

	test('update errors: COMMAND_NOT_FOUND (also another bot\'s), COMMAND_NAME_EMPTY, COMMAND_ALREADY_EXISTS', async () => {
		const a = (await call('Command.register', { fields: { command: 'a', hidden: true } })).body.result.command;
		await call('Command.register', { fields: { command: 'b', hidden: true } });
		expect((await call('Command.update', { commandId: a.id, fields: { command: '' } })).body.error).toBe('COMMAND_NAME_EMPTY');
		expect((await call('Command.update', { commandId: a.id, fields: { command: 'b' } })).body.error).toBe('COMMAND_ALREADY_EXISTS');
		const other = await t.newBot({ botToken: 'tok-2' });
		expect((await t.as(other, 'tok-2')('Command.update', { commandId: a.id, fields: { hidden: false } })).body.error).toBe('COMMAND_NOT_FOUND');
	});

	test('answer: into the chat of the command message; system when the bot is not a member; COMMAND_ANSWER_FAILED', async () => {
		const cmd = (await call('Command.register', { fields: { command: 'help', title: { en: 'Help' } } })).body.result.command;
		const ran = await t.trigger(bot, 'user-command', { userId: 2, command: 'help', params: 'me' });
		expect(ran.status).toBe(200);
		const r = await call('Command.answer', { commandId: cmd.id, messageId: ran.body.messageId, dialogId: '2', fields: { message: 'Here you go' } });
		expect(r.body.result).toEqual({ result: true });
		const answer = [...t.sb.state.messages.values()].pop();
		expect(answer).toMatchObject({ CHAT_ID: ran.body.chatId, AUTHOR_ID: bot, MESSAGE: 'Here you go', SYSTEM: 'N' });
		expect((await call('Command.answer', { commandId: cmd.id, messageId: answer.ID, dialogId: '2', fields: { message: 'x' } })).body.error).toBe('COMMAND_ANSWER_FAILED');
		expect((await call('Command.answer', { commandId: cmd.id, messageId: ran.body.messageId, dialogId: '2', fields: {} })).body.error).toBe('EMPTY_MESSAGE');
		expect((await call('Command.answer', { commandId: cmd.id, dialogId: '2', fields: { message: 'x' } })).body.error).toBe('PARAMS_REQUIRED');
	});
});
