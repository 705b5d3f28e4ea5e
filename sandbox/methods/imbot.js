'use strict';
/** imbot.* v1 (§4): bots, messages, chats, commands. Owned by the OAuth app or by a webhook CLIENT_ID. */
const { nextId } = require('../state');
const { RestError, isoWithOffset } = require('../envelope');
const { isEmpty, toInt, flag, asList, isPlainObject, fail, isHttpUrl } = require('./util');
const { findDialogByChatId, sendOperatorMessage } = require('../connectorDialogs');
const { fireBotEvent } = require('../botEvents');

const COLORS = {
	RED: '#df532d', GREEN: '#29ad49', MINT: '#4ba984', LIGHT_BLUE: '#4ba5c3', DARK_BLUE: '#3e99ce', PURPLE: '#8474c8',
	AQUA: '#1eb4aa', PINK: '#f76187', LIME: '#58cc47', BROWN: '#ab7761', AZURE: '#29619b', KHAKI: '#728f7a',
	SAND: '#ba9c7b', MARENGO: '#556574', GRAY: '#909090', GRAPHITE: '#5c5c5c',
};
const MAX_BOTS_PER_OWNER = 5;
const RICH_LIMIT = 30 * 1024;
const BOT_EVENTS = ['EVENT_MESSAGE_ADD', 'EVENT_MESSAGE_UPDATE', 'EVENT_MESSAGE_DELETE', 'EVENT_WELCOME_MESSAGE', 'EVENT_BOT_DELETE'];

/** The caller as a bot owner: the OAuth app, or the CLIENT_ID sent with a webhook call. */
function ownerOf({ auth, params }) {
	if (auth.kind === 'oauth') return { key: `app:${auth.clientId}`, clientId: auth.clientId, kind: 'app' };
	if (isEmpty(params.CLIENT_ID)) throw new RestError('ACCESS_DENIED', 'Access denied! Client ID not specified', 403);
	return { key: `webhook:${params.CLIENT_ID}`, clientId: String(params.CLIENT_ID), kind: 'webhook' };
}

function ownedBot(ctx, botIdParam, { required = false } = {}) {
	const { state } = ctx;
	const owner = ownerOf(ctx);
	if (isEmpty(botIdParam)) {
		if (required) fail('BOT_ID_ERROR', 'Bot not found');
		for (const b of state.bots.values()) if (b.owner === owner.key) return b;
		fail('BOT_ID_ERROR', 'Bot not found');
	}
	const bot = state.bots.get(toInt(botIdParam));
	if (!bot) fail('BOT_ID_ERROR', 'Bot not found');
	if (bot.owner !== owner.key) fail('APP_ID_ERROR', 'Bot was installed by another application');
	return bot;
}

function checkHandlers(fields, required) {
	for (const name of BOT_EVENTS) {
		const value = fields[name];
		if (value === undefined || value === '') {
			if (required.includes(name)) fail(`${name}_ERROR`, `Handler for "${name.replace('EVENT_', '').replace('_', ' ').toLowerCase()}" event isn't specified`);
			continue;
		}
		if (!isHttpUrl(value)) fail(`${name}_ERROR`, 'Wrong handler URL');
	}
}

function expandHandler(src) {
	const out = {};
	for (const name of BOT_EVENTS) if (src[name] !== undefined) out[name] = src[name];
	if (!isEmpty(src.EVENT_HANDLER)) for (const name of BOT_EVENTS) out[name] = src.EVENT_HANDLER;
	return out;
}

function botUser(bot) {
	const p = bot.PROPERTIES;
	return {
		ID: bot.ID, NAME: p.NAME || '', LAST_NAME: p.LAST_NAME || '', EMAIL: p.EMAIL || '', ADMIN: false, ACTIVE: true,
		IS_BOT: true, IS_CONNECTOR: false, WORK_POSITION: p.WORK_POSITION || '', PERSONAL_GENDER: p.PERSONAL_GENDER || '',
	};
}

function register(ctx) {
	const { state, params } = ctx;
	const owner = ownerOf(ctx);
	if (isEmpty(params.CODE)) fail('CODE_ERROR', 'Bot code isn\'t specified');
	for (const b of state.bots.values()) if (b.CODE === String(params.CODE)) fail('CODE_ERROR', 'Bot with this code is already registered');
	const handlers = expandHandler(params);
	checkHandlers(handlers, ['EVENT_MESSAGE_ADD', 'EVENT_WELCOME_MESSAGE', 'EVENT_BOT_DELETE']);
	const props = isPlainObject(params.PROPERTIES) ? params.PROPERTIES : {};
	if (isEmpty(props.NAME) && isEmpty(props.LAST_NAME)) fail('NAME_ERROR', 'Bot name isn\'t specified');
	let count = 0;
	for (const b of state.bots.values()) if (b.owner === owner.key) count++;
	if (count >= MAX_BOTS_PER_OWNER) fail('MAX_COUNT_ERROR', `Has reached the maximum number of bots for application (max: ${MAX_BOTS_PER_OWNER})`);
	const type = ['B', 'O', 'H', 'S'].includes(String(params.TYPE || 'B').toUpperCase()) ? String(params.TYPE || 'B').toUpperCase() : 'B';
	const openline = type === 'O' ? 'Y' : flag(params.OPENLINE) ? 'Y' : 'N';
	if (type !== 'O' && type !== 'S' && openline === 'N') {
		// §4.1: UPDATE/DELETE handlers are ignored at register for TYPE B/H with OPENLINE=N.
		delete handlers.EVENT_MESSAGE_UPDATE;
		delete handlers.EVENT_MESSAGE_DELETE;
	}
	const id = nextId(state, 'user');
	const bot = {
		ID: id, CODE: String(params.CODE), TYPE: type, OPENLINE: openline,
		PROPERTIES: { ...props }, owner: owner.key, ownerKind: owner.kind, clientId: owner.clientId,
		handlerIds: {}, DATE_CREATE: isoWithOffset(Date.now()),
	};
	for (const name of BOT_EVENTS) bot[name] = handlers[name] || '';
	for (const name of BOT_EVENTS) bot.handlerIds[name] = nextId(state, 'handler');
	state.bots.set(id, bot);
	state.users.set(id, botUser(bot));
	return id;
}

function update(ctx) {
	const { state, params } = ctx;
	if (!(toInt(params.BOT_ID) > 0)) fail('BOT_ID_ERROR', 'Bot not found');
	const bot = ownedBot(ctx, params.BOT_ID, { required: true });
	const fields = params.FIELDS;
	if (!isPlainObject(fields) || Object.keys(fields).length === 0) fail('WRONG_REQUEST', 'Update fields can\'t be empty');
	const handlers = expandHandler(fields);
	checkHandlers(handlers, []);
	if (fields.PROPERTIES !== undefined) {
		if (!isPlainObject(fields.PROPERTIES)) fail('WRONG_REQUEST', 'Bot can\'t be updated');
		const next = { ...bot.PROPERTIES, ...fields.PROPERTIES };
		if (isEmpty(next.NAME) && isEmpty(next.LAST_NAME)) fail('NAME_ERROR', 'Bot name isn\'t specified');
		bot.PROPERTIES = next;
	}
	if (!isEmpty(fields.CODE)) bot.CODE = String(fields.CODE);
	Object.assign(bot, handlers);
	state.users.set(bot.ID, botUser(bot));
	return true;
}

function unregister(ctx) {
	const { state, params, portal } = ctx;
	const bot = ownedBot(ctx, params.BOT_ID, { required: true });
	state.bots.delete(bot.ID);
	state.users.delete(bot.ID);
	for (const [id, c] of [...state.commands]) if (c.BOT_ID === bot.ID) state.commands.delete(id);
	for (const [key, chatId] of [...state.privateChats]) {
		if (key.split('|').map(Number).includes(bot.ID)) {
			state.privateChats.delete(key);
			state.chats.delete(chatId);
		}
	}
	for (const chat of state.chats.values()) chat.USERS = chat.USERS.filter((u) => u !== bot.ID);
	fireBotEvent(portal, bot, 'EVENT_BOT_DELETE', 'ONIMBOTDELETE', { BOT_ID: bot.ID, BOT_CODE: bot.CODE }, { userId: ctx.auth.userId });
	return true;
}

function botList({ state }) {
	const out = {};
	for (const b of state.bots.values()) out[b.ID] = { ID: b.ID, NAME: `${b.PROPERTIES.NAME || ''} ${b.PROPERTIES.LAST_NAME || ''}`.trim(), CODE: b.CODE, OPENLINE: b.OPENLINE };
	return Object.keys(out).length ? out : []; // PHP: an empty array is []
}

/** ATTACH / KEYBOARD / MENU: object, array or JSON string; '' or 'N' clears (null); undefined keeps. */
function rich(value, name) {
	if (value === undefined) return undefined;
	if (value === '' || value === 'N' || value === null) return null;
	let v = value;
	if (typeof v === 'string') {
		try {
			v = JSON.parse(v);
		} catch {
			fail(`${name}_ERROR`, `Incorrect ${name.toLowerCase()} params`);
		}
	}
	if (v === null || typeof v !== 'object') fail(`${name}_ERROR`, `Incorrect ${name.toLowerCase()} params`);
	if (JSON.stringify(v).length > RICH_LIMIT) fail(`${name}_OVERSIZE`, `You have exceeded the maximum allowable size of ${name.toLowerCase()}`);
	if (name === 'KEYBOARD') {
		const buttons = Array.isArray(v) ? v : asList(v.BUTTONS);
		if (!buttons || buttons.some((b) => !isPlainObject(b) || (b.TYPE !== 'NEWLINE' && isEmpty(b.TEXT)))) fail('KEYBOARD_ERROR', 'Incorrect keyboard params');
		v = Array.isArray(v) ? { BUTTONS: v } : v;
	} else if (name === 'MENU') {
		const items = Array.isArray(v) ? v : asList(v.ITEMS);
		if (!items || items.some((b) => !isPlainObject(b) || isEmpty(b.TEXT))) fail('MENU_ERROR', 'Incorrect menu params');
		v = Array.isArray(v) ? { ITEMS: v } : v;
	} else {
		const blocks = Array.isArray(v) ? v : asList(v.BLOCKS);
		if (!blocks || blocks.some((b) => !isPlainObject(b))) fail('ATTACH_ERROR', 'Incorrect attach params');
	}
	return v;
}

function privateChat(state, a, b) {
	const key = a < b ? `${a}|${b}` : `${b}|${a}`;
	let id = state.privateChats.get(key);
	if (id === undefined) {
		id = nextId(state, 'chat');
		state.privateChats.set(key, id);
		state.chats.set(id, {
			ID: id, TYPE: 'P', TITLE: '', DESCRIPTION: '', COLOR: 'AZURE', AVATAR: '', OWNER: 0, USERS: [a, b], MANAGERS: [],
			ENTITY_TYPE: '', ENTITY_ID: '', DATE_CREATE: isoWithOffset(Date.now()), MESSAGE_COUNT: 0, LAST_MESSAGE_ID: 0,
		});
	}
	return state.chats.get(id);
}

/** DIALOG_ID ("27" or "chat15") -> chat, as seen by `userId`. Errors: `missingCode` when the dialog is unknown. */
function chatForDialog(state, userId, dialogId, missingCode = 'WRONG_REQUEST') {
	const d = String(dialogId);
	const m = /^chat(\d+)$/i.exec(d);
	if (m) {
		const chat = state.chats.get(Number(m[1]));
		if (!chat) fail(missingCode, 'Chat not found');
		return chat;
	}
	const other = toInt(d);
	if (!(other > 0) || !state.users.has(other)) fail(missingCode, 'Dialog not found');
	return privateChat(state, userId, other);
}

function dialogIdOf(chat, viewerId) {
	if (chat.TYPE === 'P') return String(chat.USERS.find((u) => u !== viewerId) || viewerId);
	return `chat${chat.ID}`;
}

function storeMessage(state, chat, authorId, fields) {
	const id = nextId(state, 'message');
	const msg = {
		ID: id, CHAT_ID: chat.ID, AUTHOR_ID: authorId, MESSAGE: fields.MESSAGE || '',
		ATTACH: fields.ATTACH || null, KEYBOARD: fields.KEYBOARD || null, MENU: fields.MENU || null,
		SYSTEM: fields.SYSTEM ? 'Y' : 'N', URL_PREVIEW: fields.URL_PREVIEW === false ? 'N' : 'Y',
		DATE: isoWithOffset(Date.now()), LIKES: [], EDITED: false, DELETED: false,
	};
	state.messages.set(id, msg);
	chat.MESSAGE_COUNT++;
	chat.LAST_MESSAGE_ID = id;
	return msg;
}

/** A bot message into an open-line chat goes out to the connector unless SKIP_CONNECTOR=Y. */
function forwardToConnector(portal, chat, msg, skip) {
	if (chat.TYPE !== 'L' || skip) return;
	const dialog = findDialogByChatId(portal.state, chat.ID);
	if (dialog) sendOperatorMessage(portal, dialog, { userId: msg.AUTHOR_ID, text: msg.MESSAGE, messageId: msg.ID });
}

function messageAdd(ctx) {
	const { state, params, portal } = ctx;
	const bot = ownedBot(ctx, params.BOT_ID);
	const from = toInt(params.FROM_USER_ID);
	const to = toInt(params.TO_USER_ID);
	let chat;
	let system = flag(params.SYSTEM);
	if (from > 0 && to > 0) {
		if (!state.users.has(from) || !state.users.has(to)) fail('WRONG_REQUEST', 'User not found');
		chat = privateChat(state, from, to);
		system = true;
	} else {
		if (isEmpty(params.DIALOG_ID)) fail('DIALOG_ID_EMPTY', 'Dialog ID can\'t be empty');
		chat = chatForDialog(state, bot.ID, params.DIALOG_ID);
		if (chat.TYPE !== 'P' && !chat.USERS.includes(bot.ID)) fail('WRONG_REQUEST', 'Bot is not a member of this chat');
	}
	const text = params.MESSAGE === undefined || params.MESSAGE === null ? '' : String(params.MESSAGE).trim();
	const ATTACH = rich(params.ATTACH, 'ATTACH');
	const KEYBOARD = rich(params.KEYBOARD, 'KEYBOARD');
	const MENU = rich(params.MENU, 'MENU');
	if (!text && !ATTACH) fail('MESSAGE_EMPTY', 'Message can\'t be empty');
	const msg = storeMessage(state, chat, bot.ID, { MESSAGE: text, ATTACH, KEYBOARD, MENU, SYSTEM: system, URL_PREVIEW: flag(params.URL_PREVIEW, true) });
	forwardToConnector(portal, chat, msg, flag(params.SKIP_CONNECTOR));
	return msg.ID;
}

function ownMessage(ctx, bot) {
	const { state, params } = ctx;
	const id = toInt(params.MESSAGE_ID);
	if (!(id > 0)) fail('MESSAGE_ID_ERROR', 'Message ID can\'t be empty');
	const msg = state.messages.get(id);
	if (!msg || msg.DELETED) fail('MESSAGE_ID_ERROR', 'Message not found');
	if (bot && msg.AUTHOR_ID !== bot.ID) fail('CANT_EDIT_MESSAGE', 'Time has expired for modification or you don\'t have access');
	return msg;
}

function messageUpdate(ctx) {
	const { params } = ctx;
	const bot = ownedBot(ctx, params.BOT_ID);
	const msg = ownMessage(ctx, bot);
	const ATTACH = rich(params.ATTACH, 'ATTACH');
	const KEYBOARD = rich(params.KEYBOARD, 'KEYBOARD');
	const MENU = rich(params.MENU, 'MENU');
	if (params.MESSAGE !== undefined && String(params.MESSAGE).trim() === '') {
		msg.DELETED = true; // an empty MESSAGE deletes the message (§4.2)
		return true;
	}
	if (params.MESSAGE !== undefined) msg.MESSAGE = String(params.MESSAGE).trim();
	if (ATTACH !== undefined) msg.ATTACH = ATTACH;
	if (KEYBOARD !== undefined) msg.KEYBOARD = KEYBOARD;
	if (MENU !== undefined) msg.MENU = MENU;
	if (params.URL_PREVIEW !== undefined) msg.URL_PREVIEW = flag(params.URL_PREVIEW, true) ? 'Y' : 'N';
	msg.EDITED = true;
	return true;
}

function messageDelete(ctx) {
	const { state, params } = ctx;
	const bot = ownedBot(ctx, params.BOT_ID);
	const msg = ownMessage(ctx, bot);
	if (flag(params.COMPLETE)) state.messages.delete(msg.ID);
	else {
		msg.DELETED = true;
		msg.MESSAGE = 'This message was deleted.';
	}
	return true;
}

function messageLike(ctx) {
	const { params } = ctx;
	const bot = ownedBot(ctx, params.BOT_ID);
	const msg = ownMessage(ctx, null);
	const action = String(params.ACTION || 'auto').toLowerCase();
	const has = msg.LIKES.includes(bot.ID);
	if (action === 'plus' || (action === 'auto' && !has)) {
		if (has) fail('WITHOUT_CHANGES', 'Message already liked');
		msg.LIKES.push(bot.ID);
	} else if (action === 'minus' || action === 'auto') {
		if (!has) fail('WITHOUT_CHANGES', 'Message is not liked');
		msg.LIKES = msg.LIKES.filter((u) => u !== bot.ID);
	} else fail('WRONG_REQUEST', 'ACTION must be auto, plus or minus');
	return true;
}

function userList(value) {
	if (value === undefined || value === '') return [];
	const list = asList(value) || (typeof value === 'string' || typeof value === 'number' ? String(value).split(',') : null);
	if (!list) return null;
	const ids = list.map(toInt);
	return ids.every((n) => n > 0) ? ids : null;
}

function checkColor(value) {
	const c = String(value).toUpperCase();
	if (!COLORS[c]) fail('WRONG_COLOR', `Color must be one of: ${Object.keys(COLORS).join(', ')}`);
	return c;
}

/** base64 (optionally a data: URI) of a PNG, JPEG, GIF, WEBP or BMP image. */
function checkAvatar(value) {
	let s = String(value || '').trim();
	const m = /^data:image\/[a-z+.-]+;base64,/i.exec(s);
	if (m) s = s.slice(m[0].length);
	if (!s || !/^[A-Za-z0-9+/\r\n]+=*$/.test(s)) fail('AVATAR_ERROR', 'Avatar must be a base64-encoded image');
	const buf = Buffer.from(s, 'base64');
	const sig = buf.subarray(0, 12);
	const isImage =
		(sig[0] === 0x89 && sig[1] === 0x50 && sig[2] === 0x4e && sig[3] === 0x47) ||
		(sig[0] === 0xff && sig[1] === 0xd8) ||
		sig.subarray(0, 3).toString('latin1') === 'GIF' ||
		(sig.subarray(0, 4).toString('latin1') === 'RIFF' && sig.subarray(8, 12).toString('latin1') === 'WEBP') ||
		sig.subarray(0, 2).toString('latin1') === 'BM';
	if (!isImage) fail('AVATAR_ERROR', 'Avatar must be a PNG, JPEG, GIF, WEBP or BMP image');
	return `data:image;base64,${s.slice(0, 32)}…`;
}

function chatAdd(ctx) {
	const { state, params } = ctx;
	const bot = ownedBot(ctx, params.BOT_ID);
	const users = userList(params.USERS);
	if (!users) fail('INVALID_FORMAT', 'USERS must be an array of user ids');
	const type = String(params.TYPE || 'CHAT').toUpperCase();
	if (type !== 'CHAT' && type !== 'OPEN') fail('WRONG_REQUEST', 'TYPE must be CHAT or OPEN');
	const color = params.COLOR === undefined || params.COLOR === '' ? 'AZURE' : checkColor(params.COLOR);
	const avatar = isEmpty(params.AVATAR) ? '' : checkAvatar(params.AVATAR);
	const id = nextId(state, 'chat');
	const chat = {
		ID: id, TYPE: type === 'OPEN' ? 'O' : 'C', TITLE: isEmpty(params.TITLE) ? `Chat ${id}` : String(params.TITLE).trim(),
		DESCRIPTION: params.DESCRIPTION ? String(params.DESCRIPTION) : '', COLOR: color, AVATAR: avatar, OWNER: bot.ID,
		USERS: [bot.ID, ...users.filter((u, i) => u !== bot.ID && users.indexOf(u) === i)], MANAGERS: [],
		ENTITY_TYPE: params.ENTITY_TYPE ? String(params.ENTITY_TYPE) : '', ENTITY_ID: params.ENTITY_ID ? String(params.ENTITY_ID) : '',
		DATE_CREATE: isoWithOffset(Date.now()), MESSAGE_COUNT: 0, LAST_MESSAGE_ID: 0,
	};
	state.chats.set(id, chat);
	if (!isEmpty(params.MESSAGE)) storeMessage(state, chat, bot.ID, { MESSAGE: String(params.MESSAGE) });
	return id;
}

function chatGet(ctx) {
	const { state, params } = ctx;
	ownedBot(ctx, params.BOT_ID);
	if (isEmpty(params.ENTITY_TYPE) || isEmpty(params.ENTITY_ID)) return null;
	for (const c of state.chats.values()) {
		if (c.ENTITY_TYPE === String(params.ENTITY_TYPE) && c.ENTITY_ID === String(params.ENTITY_ID)) return { ID: c.ID };
	}
	return null;
}

const TYPE_NAMES = { P: 'private', C: 'chat', O: 'open', L: 'lines' };

function dialogObject(chat, viewerId, state) {
	const role = chat.OWNER === viewerId ? 'OWNER' : chat.MANAGERS.includes(viewerId) ? 'MANAGER' : chat.USERS.includes(viewerId) ? 'MEMBER' : 'NONE';
	const isPrivate = chat.TYPE === 'P';
	const other = isPrivate ? state.users.get(chat.USERS.find((u) => u !== viewerId)) : null;
	return {
		id: chat.ID, parent_chat_id: 0, parent_message_id: 0,
		name: isPrivate && other ? `${other.NAME} ${other.LAST_NAME}`.trim() : chat.TITLE,
		description: chat.DESCRIPTION, owner: chat.OWNER, extranet: false, avatar: chat.AVATAR,
		color: COLORS[chat.COLOR] || COLORS.AZURE, type: TYPE_NAMES[chat.TYPE] || 'chat',
		counter: 0, user_counter: chat.USERS.length, message_count: chat.MESSAGE_COUNT, unread_id: 0,
		restrictions: { avatar: true, rename: true, extend: true, call: true, mute: true, leave: true, leave_owner: true, send: true, user_list: true },
		last_message_id: chat.LAST_MESSAGE_ID, last_id: chat.LAST_MESSAGE_ID, marked_id: 0, disk_folder_id: 0,
		entity_type: chat.ENTITY_TYPE, entity_id: chat.ENTITY_ID, entity_data_1: '', entity_data_2: '', entity_data_3: '',
		mute_list: [], date_create: chat.DATE_CREATE, message_type: chat.TYPE, public: '', role,
		entity_link: { type: '', url: '', id: '' }, text_field_enabled: true, background_id: null,
		permissions: { manage_users_add: 'MEMBER', manage_users_delete: 'MANAGER', manage_ui: 'MEMBER', manage_settings: 'OWNER', manage_messages: 'MEMBER', can_post: 'MEMBER' },
		is_new: false, readed_list: [], manager_list: [...chat.MANAGERS],
		last_message_views: { message_id: chat.LAST_MESSAGE_ID, first_viewers: [], count_of_viewers: 0 },
		dialog_id: dialogIdOf(chat, viewerId),
	};
}

function dialogGet(ctx) {
	const { state, params } = ctx;
	const bot = ownedBot(ctx, params.BOT_ID);
	if (isEmpty(params.DIALOG_ID)) fail('DIALOG_ID_EMPTY', 'Dialog ID can\'t be empty');
	const chat = chatForDialog(state, bot.ID, params.DIALOG_ID, 'ACCESS_ERROR');
	if (chat.TYPE !== 'P' && !chat.USERS.includes(bot.ID)) fail('ACCESS_ERROR', 'You don\'t have access to this dialog');
	return dialogObject(chat, bot.ID, state);
}

/** CHAT_ID of a group chat the bot is a member of. */
function memberChat(ctx, bot) {
	const { state, params } = ctx;
	if (isEmpty(params.CHAT_ID)) fail('CHAT_ID_EMPTY', 'Chat ID can\'t be empty');
	const chat = state.chats.get(toInt(String(params.CHAT_ID).replace(/^chat/i, '')));
	if (!chat || chat.TYPE === 'P') fail('WRONG_REQUEST', 'Chat not found');
	if (!chat.USERS.includes(bot.ID)) fail('ACCESS_ERROR', 'You don\'t have access to this chat');
	return chat;
}

function userIdParam(params) {
	if (isEmpty(params.USER_ID)) fail('USER_ID_EMPTY', 'User ID can\'t be empty');
	const id = toInt(params.USER_ID);
	if (!(id > 0)) fail('USER_ID_EMPTY', 'User ID can\'t be empty');
	return id;
}

function chatLeave(ctx) {
	const bot = ownedBot(ctx, ctx.params.BOT_ID);
	const chat = memberChat(ctx, bot);
	if (chat.OWNER === bot.ID && chat.USERS.length > 1) fail('ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN: the owner cannot leave the chat; pass ownership first (imbot.chat.setOwner)');
	chat.USERS = chat.USERS.filter((u) => u !== bot.ID);
	chat.MANAGERS = chat.MANAGERS.filter((u) => u !== bot.ID);
	return true;
}

function chatUserAdd(ctx) {
	const { params, state } = ctx;
	const bot = ownedBot(ctx, params.BOT_ID);
	const chat = memberChat(ctx, bot);
	const users = userList(params.USERS);
	if (!users || users.length === 0) fail('WRONG_REQUEST', 'USERS must be a non-empty array of user ids');
	for (const u of users) if (!state.users.has(u)) fail('WRONG_REQUEST', `User ${u} not found`);
	for (const u of users) if (!chat.USERS.includes(u)) chat.USERS.push(u);
	return true;
}

function chatUserList(ctx) {
	const bot = ownedBot(ctx, ctx.params.BOT_ID);
	return [...memberChat(ctx, bot).USERS];
}

function chatUserDelete(ctx) {
	const { params } = ctx;
	const bot = ownedBot(ctx, params.BOT_ID);
	const chat = memberChat(ctx, bot);
	const userId = userIdParam(params);
	if (!chat.USERS.includes(userId)) fail('WRONG_REQUEST', 'User is not a member of this chat');
	if (chat.OWNER === userId) fail('ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN: the owner cannot be removed from the chat');
	chat.USERS = chat.USERS.filter((u) => u !== userId);
	chat.MANAGERS = chat.MANAGERS.filter((u) => u !== userId);
	return true;
}

function updateTitle(ctx) {
	const bot = ownedBot(ctx, ctx.params.BOT_ID);
	const chat = memberChat(ctx, bot);
	const title = ctx.params.TITLE === undefined ? '' : String(ctx.params.TITLE).trim();
	if (!title) fail('TITLE_EMPTY', 'Title can\'t be empty');
	chat.TITLE = title;
	return true;
}

function updateColor(ctx) {
	const bot = ownedBot(ctx, ctx.params.BOT_ID);
	const chat = memberChat(ctx, bot);
	const color = checkColor(ctx.params.COLOR === undefined ? '' : ctx.params.COLOR);
	if (chat.COLOR === color) fail('WRONG_REQUEST', 'This color is already set');
	chat.COLOR = color;
	return true;
}

function updateAvatar(ctx) {
	const bot = ownedBot(ctx, ctx.params.BOT_ID);
	const chat = memberChat(ctx, bot);
	chat.AVATAR = checkAvatar(ctx.params.AVATAR);
	return true;
}

function setOwner(ctx) {
	const bot = ownedBot(ctx, ctx.params.BOT_ID);
	const chat = memberChat(ctx, bot);
	const userId = userIdParam(ctx.params);
	if (chat.OWNER !== bot.ID) fail('WRONG_REQUEST', 'Only the owner can change the owner');
	if (!chat.USERS.includes(userId)) fail('WRONG_REQUEST', 'The new owner must be a member of the chat');
	chat.OWNER = userId;
	return true;
}

function setManager(ctx) {
	const bot = ownedBot(ctx, ctx.params.BOT_ID);
	const chat = memberChat(ctx, bot);
	const userId = userIdParam(ctx.params);
	if (chat.OWNER !== bot.ID) fail('WRONG_REQUEST', 'Only the owner can change managers');
	if (!chat.USERS.includes(userId)) fail('WRONG_REQUEST', 'User is not a member of this chat');
	const isManager = flag(ctx.params.IS_MANAGER, true);
	chat.MANAGERS = chat.MANAGERS.filter((u) => u !== userId);
	if (isManager) chat.MANAGERS.push(userId);
	return true;
}

function sendTyping(ctx) {
	const bot = ownedBot(ctx, ctx.params.BOT_ID);
	if (isEmpty(ctx.params.DIALOG_ID)) fail('DIALOG_ID_EMPTY', 'Dialog ID can\'t be empty');
	chatForDialog(ctx.state, bot.ID, ctx.params.DIALOG_ID);
	return true;
}

function checkLang(lang) {
	const list = asList(lang);
	if (!list || !list.length || list.some((l) => !isPlainObject(l) || isEmpty(l.LANGUAGE_ID) || isEmpty(l.TITLE))) {
		fail('LANG_ERROR', 'LANG must be an array of {LANGUAGE_ID, TITLE, PARAMS}');
	}
	return list;
}

function commandRegister(ctx) {
	const { state, params } = ctx;
	if (isEmpty(params.BOT_ID)) fail('BOT_ID_ERROR', 'Bot not found');
	const bot = ownedBot(ctx, params.BOT_ID, { required: true });
	const command = params.COMMAND === undefined ? '' : String(params.COMMAND);
	if (!/^[A-Za-z0-9]+$/.test(command)) fail('COMMAND_ERROR', 'Command can contain only Latin letters and digits');
	if (!isHttpUrl(params.EVENT_COMMAND_ADD)) fail('EVENT_COMMAND_ADD_ERROR', isEmpty(params.EVENT_COMMAND_ADD) ? 'Handler for "Command add" event isn\'t specified' : 'Wrong handler URL');
	const lang = checkLang(params.LANG);
	for (const c of state.commands.values()) if (c.BOT_ID === bot.ID && c.COMMAND === command.toLowerCase()) return c.ID;
	const id = nextId(state, 'command');
	state.commands.set(id, {
		ID: id, BOT_ID: bot.ID, COMMAND: command.toLowerCase(), COMMON: flag(params.COMMON) ? 'Y' : 'N', HIDDEN: flag(params.HIDDEN) ? 'Y' : 'N',
		EXTRANET_SUPPORT: flag(params.EXTRANET_SUPPORT) ? 'Y' : 'N', EVENT_COMMAND_ADD: params.EVENT_COMMAND_ADD, LANG: lang,
		owner: bot.owner, handlerId: nextId(state, 'handler'),
	});
	return id;
}

function ownedCommand(ctx, { byName = false } = {}) {
	const { state, params } = ctx;
	const owner = ownerOf(ctx);
	let cmd;
	if (!isEmpty(params.COMMAND_ID)) cmd = state.commands.get(toInt(params.COMMAND_ID));
	else if (byName && !isEmpty(params.COMMAND)) {
		const name = String(params.COMMAND).replace(/^\//, '').toLowerCase();
		for (const c of state.commands.values()) if (c.COMMAND === name && c.owner === owner.key) cmd = c;
		if (!cmd) for (const c of state.commands.values()) if (c.COMMAND === name) cmd = c;
	}
	if (!cmd) fail('COMMAND_ID_ERROR', 'Command not found');
	if (cmd.owner !== owner.key) fail('APP_ID_ERROR', 'Command was installed by another application');
	return cmd;
}

function commandUpdate(ctx) {
	const cmd = ownedCommand(ctx);
	const fields = ctx.params.FIELDS;
	if (!isPlainObject(fields) || Object.keys(fields).length === 0) fail('WRONG_REQUEST', 'Update fields can\'t be empty');
	if (fields.EVENT_COMMAND_ADD !== undefined && !isHttpUrl(fields.EVENT_COMMAND_ADD)) fail('EVENT_COMMAND_ADD_ERROR', 'Wrong handler URL');
	if (fields.COMMAND !== undefined) {
		if (!/^[A-Za-z0-9]+$/.test(String(fields.COMMAND))) fail('WRONG_REQUEST', 'Command can contain only Latin letters and digits');
		cmd.COMMAND = String(fields.COMMAND).toLowerCase();
	}
	if (fields.EVENT_COMMAND_ADD !== undefined) cmd.EVENT_COMMAND_ADD = fields.EVENT_COMMAND_ADD;
	if (fields.HIDDEN !== undefined) cmd.HIDDEN = flag(fields.HIDDEN) ? 'Y' : 'N';
	if (fields.EXTRANET_SUPPORT !== undefined) cmd.EXTRANET_SUPPORT = flag(fields.EXTRANET_SUPPORT) ? 'Y' : 'N';
	if (fields.LANG !== undefined) cmd.LANG = checkLang(fields.LANG);
	return true;
}

function commandUnregister(ctx) {
	const cmd = ownedCommand(ctx);
	ctx.state.commands.delete(cmd.ID);
	return true;
}

function commandAnswer(ctx) {
	const { state, params, portal } = ctx;
	const cmd = ownedCommand(ctx, { byName: true });
	if (isEmpty(params.MESSAGE_ID)) fail('MESSAGE_ID_EMPTY', 'Message ID can\'t be empty');
	const source = state.messages.get(toInt(params.MESSAGE_ID));
	if (!source) fail('MESSAGE_ID_EMPTY', 'Message not found');
	const text = params.MESSAGE === undefined ? '' : String(params.MESSAGE).trim();
	const ATTACH = rich(params.ATTACH, 'ATTACH');
	const KEYBOARD = rich(params.KEYBOARD, 'KEYBOARD');
	const MENU = rich(params.MENU, 'MENU');
	if (!text && !ATTACH) fail('MESSAGE_EMPTY', 'Message can\'t be empty');
	const chat = state.chats.get(source.CHAT_ID);
	if (!chat) fail('WRONG_REQUEST', 'Chat not found');
	const msg = storeMessage(state, chat, cmd.BOT_ID, { MESSAGE: text, ATTACH, KEYBOARD, MENU, SYSTEM: flag(params.SYSTEM), URL_PREVIEW: flag(params.URL_PREVIEW, true) });
	forwardToConnector(portal, chat, msg, false);
	return msg.ID;
}

module.exports = {
	methods: {
		'imbot.register': register,
		'imbot.update': update,
		'imbot.unregister': unregister,
		'imbot.bot.list': (ctx) => {
			ownerOf(ctx);
			return botList(ctx);
		},
		'imbot.message.add': messageAdd,
		'imbot.message.update': messageUpdate,
		'imbot.message.delete': messageDelete,
		'imbot.message.like': messageLike,
		'imbot.chat.add': chatAdd,
		'imbot.chat.get': chatGet,
		'imbot.dialog.get': dialogGet,
		'imbot.chat.leave': chatLeave,
		'imbot.chat.user.add': chatUserAdd,
		'imbot.chat.user.list': chatUserList,
		'imbot.chat.user.delete': chatUserDelete,
		'imbot.chat.updateTitle': updateTitle,
		'imbot.chat.updateColor': updateColor,
		'imbot.chat.updateAvatar': updateAvatar,
		'imbot.chat.setOwner': setOwner,
		'imbot.chat.setManager': setManager,
		'imbot.chat.sendTyping': sendTyping,
		'imbot.command.register': commandRegister,
		'imbot.command.update': commandUpdate,
		'imbot.command.unregister': commandUnregister,
		'imbot.command.answer': commandAnswer,
	},
	COLORS,
	chatForDialog,
	storeMessage,
	privateChat,
	dialogIdOf,
};
