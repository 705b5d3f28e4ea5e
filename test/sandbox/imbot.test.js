'use strict';
const { start, hook, app } = require('./helpers');

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
let sb;
let token;
let n = 0;
beforeEach(async () => {
	sb = await start();
	token = sb.issueTokens().access_token;
});
afterEach(() => sb.stop());

const call = (m, p) => app(sb, token, m, p);
function botParams(extra = {}) {
	n++;
	return { CODE: `bot${n}`, EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: `Bot ${n}`, COLOR: 'GREEN' }, ...extra };
}
async function newBot(extra) {
	const r = await call('imbot.register', botParams(extra));
	expect(r.status).toBe(200);
	return r.body.result;
}

describe('bots', () => {
	test('register returns an int id; bot.list is keyed by id', async () => {
		const id = await newBot();
		expect(Number.isInteger(id)).toBe(true);
		const list = (await call('imbot.bot.list')).body.result;
		expect(list[id]).toMatchObject({ ID: id, CODE: `bot${n}`, OPENLINE: 'N' });
	});

	test('bot.list is [] when empty (PHP empty array)', async () => {
		expect((await call('imbot.bot.list')).body.result).toEqual([]);
	});

	test.each([
		[{ CODE: '' }, 'CODE_ERROR'],
		[{ EVENT_HANDLER: undefined, EVENT_WELCOME_MESSAGE: 'http://x/w', EVENT_BOT_DELETE: 'http://x/d' }, 'EVENT_MESSAGE_ADD_ERROR'],
		[{ EVENT_HANDLER: undefined, EVENT_MESSAGE_ADD: 'http://x/a', EVENT_BOT_DELETE: 'http://x/d' }, 'EVENT_WELCOME_MESSAGE_ERROR'],
		[{ EVENT_HANDLER: undefined, EVENT_MESSAGE_ADD: 'http://x/a', EVENT_WELCOME_MESSAGE: 'http://x/w' }, 'EVENT_BOT_DELETE_ERROR'],
		[{ EVENT_HANDLER: 'not a url' }, 'EVENT_MESSAGE_ADD_ERROR'],
		[{ PROPERTIES: { COLOR: 'RED' } }, 'NAME_ERROR'],
	])('register %j -> 400 %s', async (extra, code) => {
		const r = await call('imbot.register', botParams(extra));
		expect(r.status).toBe(400);
		expect(r.body.error).toBe(code);
	});

	test('LAST_NAME alone is enough; duplicate CODE -> CODE_ERROR; max 5 per owner', async () => {
		await newBot({ CODE: 'same', PROPERTIES: { LAST_NAME: 'Only' } });
		expect((await call('imbot.register', botParams({ CODE: 'same' }))).body.error).toBe('CODE_ERROR');
		for (let i = 0; i < 4; i++) await newBot();
		const r = await call('imbot.register', botParams());
		expect(r.body.error).toBe('MAX_COUNT_ERROR');
		// another owner (webhook CLIENT_ID) still may register
		expect((await hook(sb, 'imbot.register', { ...botParams(), CLIENT_ID: 'wh-1' })).status).toBe(200);
	});

	test('TYPE B ignores EVENT_MESSAGE_UPDATE/DELETE at register; imbot.update sets them', async () => {
		const id = await newBot({ EVENT_HANDLER: undefined, EVENT_MESSAGE_ADD: 'http://x/a', EVENT_WELCOME_MESSAGE: 'http://x/w', EVENT_BOT_DELETE: 'http://x/d', EVENT_MESSAGE_UPDATE: 'http://x/u' });
		expect(sb.state.bots.get(id).EVENT_MESSAGE_UPDATE).toBe('');
		expect((await call('imbot.update', { BOT_ID: id, FIELDS: { EVENT_MESSAGE_UPDATE: 'http://x/u', PROPERTIES: { NAME: 'New' } } })).body.result).toBe(true);
		expect(sb.state.bots.get(id)).toMatchObject({ EVENT_MESSAGE_UPDATE: 'http://x/u', PROPERTIES: { NAME: 'New' } });
		expect((await call('imbot.update', { BOT_ID: id, FIELDS: {} })).body.error).toBe('WRONG_REQUEST');
		expect((await call('imbot.update', { BOT_ID: 0, FIELDS: { CODE: 'x' } })).body.error).toBe('BOT_ID_ERROR');
		const o = await newBot({ TYPE: 'O' }); // EVENT_HANDLER fills all five EVENT_* URLs
		expect(sb.state.bots.get(o)).toMatchObject({ OPENLINE: 'Y', EVENT_MESSAGE_UPDATE: 'http://127.0.0.1:9/h', EVENT_MESSAGE_DELETE: 'http://127.0.0.1:9/h' });
	});

	test('ownership: another owner gets APP_ID_ERROR; webhook owner is its CLIENT_ID', async () => {
		const id = await newBot();
		let r = await hook(sb, 'imbot.update', { BOT_ID: id, FIELDS: { CODE: 'x' }, CLIENT_ID: 'someone' });
		expect(r.status).toBe(400);
		expect(r.body.error).toBe('APP_ID_ERROR');
		const wid = (await hook(sb, 'imbot.register', { ...botParams(), CLIENT_ID: 'wh-2' })).body.result;
		expect((await call('imbot.unregister', { BOT_ID: wid })).body.error).toBe('APP_ID_ERROR');
		expect((await hook(sb, 'imbot.unregister', { BOT_ID: wid, CLIENT_ID: 'wh-3' })).body.error).toBe('APP_ID_ERROR');
		r = await hook(sb, 'imbot.unregister', { BOT_ID: wid, CLIENT_ID: 'wh-2' });
		expect(r.body.result).toBe(true);
		expect((await hook(sb, 'imbot.unregister', { BOT_ID: wid, CLIENT_ID: 'wh-2' })).body.error).toBe('BOT_ID_ERROR');
	});
});

describe('messages', () => {
	test('message.add to a user (BOT_ID auto-picked), update, like, delete', async () => {
		const bot = await newBot();
		const id = (await call('imbot.message.add', { DIALOG_ID: '2', MESSAGE: '  Hello [b]there[/b]  ', KEYBOARD: [{ TEXT: 'Yes', COMMAND: 'yes' }] })).body.result;
		expect(Number.isInteger(id)).toBe(true);
		expect(sb.state.messages.get(id)).toMatchObject({ AUTHOR_ID: bot, MESSAGE: 'Hello [b]there[/b]', KEYBOARD: { BUTTONS: [{ TEXT: 'Yes', COMMAND: 'yes' }] } });
		expect((await call('imbot.message.update', { BOT_ID: bot, MESSAGE_ID: id, MESSAGE: 'Edited', KEYBOARD: 'N' })).body.result).toBe(true);
		expect(sb.state.messages.get(id)).toMatchObject({ MESSAGE: 'Edited', KEYBOARD: null });
		expect((await call('imbot.message.like', { MESSAGE_ID: id, ACTION: 'plus' })).body.result).toBe(true);
		expect((await call('imbot.message.like', { MESSAGE_ID: id, ACTION: 'plus' })).body.error).toBe('WITHOUT_CHANGES');
		expect((await call('imbot.message.like', { MESSAGE_ID: id })).body.result).toBe(true);
		expect((await call('imbot.message.delete', { MESSAGE_ID: id })).body.result).toBe(true);
		expect((await call('imbot.message.update', { MESSAGE_ID: id, MESSAGE: 'x' })).body.error).toBe('MESSAGE_ID_ERROR');
	});

	test('empty MESSAGE in message.update deletes the message', async () => {
		await newBot();
		const id = (await call('imbot.message.add', { DIALOG_ID: '3', MESSAGE: 'temp' })).body.result;
		expect((await call('imbot.message.update', { MESSAGE_ID: id, MESSAGE: '' })).body.result).toBe(true);
		expect(sb.state.messages.get(id).DELETED).toBe(true);
	});

	test('message.add errors', async () => {
		expect((await call('imbot.message.add', { DIALOG_ID: '2', MESSAGE: 'x' })).body.error).toBe('BOT_ID_ERROR');
		await newBot();
		expect((await call('imbot.message.add', { MESSAGE: 'x' })).body.error).toBe('DIALOG_ID_EMPTY');
		expect((await call('imbot.message.add', { DIALOG_ID: '2', MESSAGE: '   ' })).body.error).toBe('MESSAGE_EMPTY');
		expect((await call('imbot.message.add', { DIALOG_ID: '2', MESSAGE: 'x', ATTACH: '{bad json' })).body.error).toBe('ATTACH_ERROR');
		expect((await call('imbot.message.add', { DIALOG_ID: '2', MESSAGE: 'x', KEYBOARD: [{ COMMAND: 'no text' }] })).body.error).toBe('KEYBOARD_ERROR');
		expect((await call('imbot.message.add', { DIALOG_ID: '2', MESSAGE: 'x', ATTACH: [{ MESSAGE: 'y'.repeat(31000) }] })).body.error).toBe('ATTACH_OVERSIZE');
		expect((await call('imbot.message.add', { DIALOG_ID: 'chat99999', MESSAGE: 'x' })).body.error).toBe('WRONG_REQUEST');
		expect((await call('imbot.message.add', { BOT_ID: 424242, DIALOG_ID: '2', MESSAGE: 'x' })).body.error).toBe('BOT_ID_ERROR');
	});

	test('FROM_USER_ID + TO_USER_ID forces SYSTEM=Y', async () => {
		await newBot();
		const id = (await call('imbot.message.add', { FROM_USER_ID: 2, TO_USER_ID: 3, MESSAGE: 'sys' })).body.result;
		expect(sb.state.messages.get(id).SYSTEM).toBe('Y');
	});
});

describe('chats', () => {
	test('chat.add / get / dialog.get / user.add / list / delete / titles / colors / owner / managers / typing / leave', async () => {
		const bot = await newBot();
		const chatId = (await call('imbot.chat.add', { TYPE: 'OPEN', TITLE: ' Team ', COLOR: 'PINK', USERS: [2, 3], ENTITY_TYPE: 'CRM', ENTITY_ID: 'D-7', MESSAGE: 'Welcome' })).body.result;
		expect(Number.isInteger(chatId)).toBe(true);
		expect((await call('imbot.chat.get', { ENTITY_TYPE: 'CRM', ENTITY_ID: 'D-7' })).body.result).toEqual({ ID: chatId });
		expect((await call('imbot.chat.get', { ENTITY_TYPE: 'CRM' })).body.result).toBeNull();
		const d = (await call('imbot.dialog.get', { DIALOG_ID: `chat${chatId}` })).body.result;
		expect(d).toMatchObject({ id: chatId, name: 'Team', owner: bot, type: 'open', user_counter: 3, role: 'OWNER', dialog_id: `chat${chatId}`, message_count: 1, entity_type: 'CRM', entity_id: 'D-7' });
		for (const k of ['parent_chat_id', 'restrictions', 'permissions', 'manager_list', 'readed_list', 'last_message_views', 'date_create', 'color', 'text_field_enabled']) expect(d).toHaveProperty(k);
		expect((await call('imbot.chat.user.add', { CHAT_ID: chatId, USERS: [4] })).body.result).toBe(true);
		expect((await call('imbot.chat.user.list', { CHAT_ID: chatId })).body.result).toEqual([bot, 2, 3, 4]);
		expect((await call('imbot.chat.user.delete', { CHAT_ID: chatId, USER_ID: 4 })).body.result).toBe(true);
		expect((await call('imbot.chat.user.delete', { CHAT_ID: chatId })).body.error).toBe('USER_ID_EMPTY');
		expect((await call('imbot.chat.user.list', {})).body.error).toBe('CHAT_ID_EMPTY');
		expect((await call('imbot.chat.updateTitle', { CHAT_ID: chatId, TITLE: '  ' })).body.error).toBe('TITLE_EMPTY');
		expect((await call('imbot.chat.updateTitle', { CHAT_ID: chatId, TITLE: 'New' })).body.result).toBe(true);
		expect((await call('imbot.chat.updateColor', { CHAT_ID: chatId, COLOR: 'ORANGE' })).body.error).toBe('WRONG_COLOR');
		expect((await call('imbot.chat.updateColor', { CHAT_ID: chatId, COLOR: 'PINK' })).body.error).toBe('WRONG_REQUEST');
		expect((await call('imbot.chat.updateColor', { CHAT_ID: chatId, COLOR: 'MINT' })).body.result).toBe(true);
		expect((await call('imbot.chat.updateAvatar', { CHAT_ID: chatId, AVATAR: 'bm90IGFuIGltYWdl' })).body.error).toBe('AVATAR_ERROR');
		expect((await call('imbot.chat.updateAvatar', { CHAT_ID: chatId, AVATAR: PNG })).body.result).toBe(true);
		expect((await call('imbot.chat.setManager', { CHAT_ID: chatId, USER_ID: 2 })).body.result).toBe(true);
		expect(sb.state.chats.get(chatId).MANAGERS).toEqual([2]);
		expect((await call('imbot.chat.sendTyping', { DIALOG_ID: `chat${chatId}` })).body.result).toBe(true);
		expect((await call('imbot.chat.sendTyping', {})).body.error).toBe('DIALOG_ID_EMPTY');
		expect((await call('imbot.chat.leave', { CHAT_ID: chatId })).body.error).toBe('ACCESS_ERROR');
		expect((await call('imbot.chat.setOwner', { CHAT_ID: chatId, USER_ID: 9 })).body.error).toBe('WRONG_REQUEST');
		expect((await call('imbot.chat.setOwner', { CHAT_ID: chatId, USER_ID: 3 })).body.result).toBe(true);
		expect((await call('imbot.chat.setManager', { CHAT_ID: chatId, USER_ID: 2, IS_MANAGER: 'N' })).body.error).toBe('WRONG_REQUEST');
		expect((await call('imbot.chat.leave', { CHAT_ID: chatId })).body.result).toBe(true);
		expect((await call('imbot.dialog.get', { DIALOG_ID: `chat${chatId}` })).body.error).toBe('ACCESS_ERROR');
		expect((await call('imbot.dialog.get', {})).body.error).toBe('DIALOG_ID_EMPTY');
	});

	test('chat.add validation: WRONG_COLOR, INVALID_FORMAT (USERS); dialog.get of a private dialog', async () => {
		await newBot();
		expect((await call('imbot.chat.add', { COLOR: 'NEON' })).body.error).toBe('WRONG_COLOR');
		expect((await call('imbot.chat.add', { USERS: ['x'] })).body.error).toBe('INVALID_FORMAT');
		const d = (await call('imbot.dialog.get', { DIALOG_ID: '2' })).body.result;
		expect(d).toMatchObject({ type: 'private', name: 'Boris Becker', dialog_id: '2' });
	});
});

describe('commands', () => {
	test('register / update / answer / unregister', async () => {
		const bot = await newBot();
		const reg = { BOT_ID: bot, COMMAND: 'echo', EVENT_COMMAND_ADD: 'http://127.0.0.1:9/cmd', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Echo', PARAMS: 'text' }] };
		const cmd = (await call('imbot.command.register', reg)).body.result;
		expect(Number.isInteger(cmd)).toBe(true);
		expect((await call('imbot.command.register', { ...reg, COMMAND: 'bad cmd' })).body.error).toBe('COMMAND_ERROR');
		expect((await call('imbot.command.register', { ...reg, EVENT_COMMAND_ADD: '' })).body.error).toBe('EVENT_COMMAND_ADD_ERROR');
		expect((await call('imbot.command.register', { ...reg, LANG: [] })).body.error).toBe('LANG_ERROR');
		expect((await call('imbot.command.register', { ...reg, BOT_ID: undefined })).body.error).toBe('BOT_ID_ERROR');
		expect((await call('imbot.command.update', { COMMAND_ID: cmd, FIELDS: { HIDDEN: 'Y' } })).body.result).toBe(true);
		expect((await call('imbot.command.update', { COMMAND_ID: cmd, FIELDS: {} })).body.error).toBe('WRONG_REQUEST');
		expect((await call('imbot.command.update', { COMMAND_ID: 999, FIELDS: { HIDDEN: 'Y' } })).body.error).toBe('COMMAND_ID_ERROR');
		expect((await hook(sb, 'imbot.command.update', { COMMAND_ID: cmd, FIELDS: { HIDDEN: 'N' }, CLIENT_ID: 'z' })).body.error).toBe('APP_ID_ERROR');
		const source = (await call('imbot.message.add', { DIALOG_ID: '2', MESSAGE: '/echo hi' })).body.result;
		expect((await call('imbot.command.answer', { COMMAND_ID: cmd, MESSAGE_ID: source })).body.error).toBe('MESSAGE_EMPTY');
		expect((await call('imbot.command.answer', { COMMAND_ID: cmd, MESSAGE: 'x' })).body.error).toBe('MESSAGE_ID_EMPTY');
		const ans = (await call('imbot.command.answer', { COMMAND: 'echo', MESSAGE_ID: source, MESSAGE: 'hi' })).body.result;
		expect(sb.state.messages.get(ans)).toMatchObject({ MESSAGE: 'hi', CHAT_ID: sb.state.messages.get(source).CHAT_ID });
		expect((await call('imbot.command.unregister', { COMMAND_ID: cmd })).body.result).toBe(true);
		expect((await call('imbot.command.unregister', { COMMAND_ID: cmd })).body.error).toBe('COMMAND_ID_ERROR');
	});
});

describe('shared checks (methods/imbot/access.js)', () => {
	const MEMBER_CHAT_METHODS = [
		'imbot.chat.leave', 'imbot.chat.user.add', 'imbot.chat.user.list', 'imbot.chat.user.delete', 'imbot.chat.updateTitle',
		'imbot.chat.updateColor', 'imbot.chat.updateAvatar', 'imbot.chat.setOwner', 'imbot.chat.setManager',
	];

	test('BOT_ID rules: checked before the owner (update: positive, command.register: present) or after it', async () => {
		expect((await hook(sb, 'imbot.update', { BOT_ID: 'abc', FIELDS: { CODE: 'x' } })).body.error).toBe('BOT_ID_ERROR');
		expect((await hook(sb, 'imbot.update', { BOT_ID: 424242, FIELDS: { CODE: 'x' } })).body.error).toBe('ACCESS_DENIED');
		expect((await hook(sb, 'imbot.command.register', { COMMAND: 'x' })).body.error).toBe('BOT_ID_ERROR');
		expect((await hook(sb, 'imbot.command.register', { BOT_ID: 'abc', COMMAND: 'x' })).body.error).toBe('ACCESS_DENIED');
		expect((await hook(sb, 'imbot.unregister', {})).body.error).toBe('ACCESS_DENIED');
		expect((await hook(sb, 'imbot.message.add', { DIALOG_ID: '2', MESSAGE: 'x' })).body.error).toBe('ACCESS_DENIED');
		const bot = await newBot();
		// required: no BOT_ID is an error even though the owner has a bot; optional: the owner's first bot
		expect((await call('imbot.unregister', {})).body.error).toBe('BOT_ID_ERROR');
		const id = (await call('imbot.message.add', { DIALOG_ID: '2', MESSAGE: 'x' })).body.result;
		expect(sb.state.messages.get(id).AUTHOR_ID).toBe(bot);
	});

	test.each(MEMBER_CHAT_METHODS)('%s: another owner\'s bot, CHAT_ID empty, a private chat, a chat without the bot', async (method) => {
		const bot = await newBot();
		const other = await newBot();
		const foreign = (await hook(sb, 'imbot.register', { ...botParams(), CLIENT_ID: 'wh-9' })).body.result;
		const chatId = (await call('imbot.chat.add', { BOT_ID: bot, USERS: [2, 3] })).body.result;
		const privateChatId = sb.state.messages.get((await call('imbot.message.add', { BOT_ID: bot, DIALOG_ID: '2', MESSAGE: 'x' })).body.result).CHAT_ID;
		expect((await call(method, { BOT_ID: foreign, CHAT_ID: chatId })).body.error).toBe('APP_ID_ERROR');
		expect((await call(method, { BOT_ID: bot })).body.error).toBe('CHAT_ID_EMPTY');
		expect((await call(method, { BOT_ID: bot, CHAT_ID: privateChatId })).body.error).toBe('WRONG_REQUEST');
		expect((await call(method, { BOT_ID: bot, CHAT_ID: 424242 })).body.error).toBe('WRONG_REQUEST');
		const r = await call(method, { BOT_ID: other, CHAT_ID: `chat${chatId}` });
		expect(r.status).toBe(400);
		expect(r.body).toEqual({ error: 'ACCESS_ERROR', error_description: 'You don\'t have access to this chat' });
	});
});
