'use strict';
/**
 * imbot.v2.Chat.* (imbot.v2/chats/*.md) and the chat interface methods Chat.InputAction.notify /
 * Chat.TextField.enabled (imbot.v2/ui/*.md). Chats are the portal's (state.chats), shared with v1.
 */
const { nextId } = require('../../state');
const { isoWithOffset } = require('../../envelope');
const { storeMessage } = require('../imbot/store');
const { isEmpty, toInt, flag, asList, isPlainObject, fail } = require('../util');
const { v2, chatMessages } = require('./store');
const { v1Color, chatObject, usersOf, userObject } = require('./shapes');
const { deny, idParam } = require('./access');
const { emitBot, emitUsers } = require('./eventQueue');
const { imageInfo } = require('./bot');

const STATUS_CODES = ['THINKING', 'SEARCHING', 'GENERATING', 'ANALYZING', 'PROCESSING', 'TRANSLATING', 'CONNECTING', 'CHECKING', 'CALCULATING', 'READING_DOCS', 'COMPOSING'].map((s) => `IMBOT_AGENT_ACTION_${s}`);

/** userIds as ids of existing active users (others are ignored, as the pages say); none -> `emptyCode`. */
function userIds(state, value, emptyCode = 'EMPTY_USER_IDS') {
	const list = asList(value) || (isEmpty(value) ? [] : String(value).split(','));
	const ids = [...new Set(list.map(toInt).filter((n) => n > 0))];
	if (!ids.length) fail(emptyCode, 'User IDs array is not provided or is empty');
	return ids.filter((id) => {
		const u = state.users.get(id);
		return u && u.ACTIVE !== false;
	});
}

/** A base64 image becomes the chat avatar; anything else is ignored (no error code is documented). */
function avatarOf(value, current = '') {
	if (isEmpty(value)) return current;
	const s = String(value).trim();
	return /^[A-Za-z0-9+/\r\n]+=*$/.test(s) && imageInfo(Buffer.from(s, 'base64')) ? `avatar:${s.length}` : current;
}

/** The users joined a chat: ONIMBOTV2JOINCHAT to the v2 bots among them, ONIMV2JOINCHAT to subscribed members. */
function announceJoin(portal, chat, joined, byUserId) {
	const state = portal.state;
	for (const id of joined) {
		const bot = v2(state).bots.get(id);
		const by = state.users.get(byUserId);
		if (bot && id !== byUserId) {
			emitBot(portal, bot, 'ONIMBOTV2JOINCHAT', (viewer) => ({ dialogId: `chat${chat.ID}`, chat: chatObject(state, chat, viewer, { forEvent: true }), user: by ? userObject(by) : null }), { userId: byUserId }).catch(() => {});
		}
		const user = state.users.get(id);
		emitUsers(portal, chat, 'ONIMV2JOINCHAT', (viewer) => ({ dialogId: `chat${chat.ID}`, chat: chatObject(state, chat, viewer, { forEvent: true }), user: userObject(user) }));
	}
}

/** A stored group chat (TYPE C) owned by `ownerId`, with the owner as its only member. */
function newGroupChat(state, ownerId, title, extra = {}) {
	const id = nextId(state, 'chat');
	const chat = {
		ID: id, TYPE: 'C', TITLE: isEmpty(title) ? `Chat ${id}` : String(title).trim(), DESCRIPTION: '', COLOR: 'AZURE', AVATAR: '', OWNER: ownerId, USERS: [ownerId], MANAGERS: [],
		ENTITY_TYPE: '', ENTITY_ID: '', DATE_CREATE: isoWithOffset(Date.now()), MESSAGE_COUNT: 0, LAST_MESSAGE_ID: 0, TEXT_FIELD_ENABLED: 'Y', ...extra,
	};
	state.chats.set(id, chat);
	return chat;
}

function add(ctx, bot) {
	const { state, params, portal } = ctx;
	const f = isPlainObject(params.fields) ? params.fields : {};
	const members = isEmpty(f.userIds) ? [] : userIds(state, f.userIds);
	const ownerId = toInt(f.ownerId) > 0 && state.users.has(toInt(f.ownerId)) ? toInt(f.ownerId) : bot.id;
	const chat = newGroupChat(state, ownerId, f.title, { DESCRIPTION: isEmpty(f.description) ? '' : String(f.description), COLOR: v1Color(f.color) || 'AZURE', AVATAR: avatarOf(f.avatar) });
	chat.USERS = [...new Set([bot.id, ownerId, ...members])];
	if (!isEmpty(f.message)) {
		storeMessage(state, chat, bot.id, { MESSAGE: String(f.message) });
		bot.countMessage++;
	}
	announceJoin(portal, chat, chat.USERS.filter((u) => u !== bot.id), bot.id);
	return { chat: chatObject(state, chat, bot.id), users: usersOf(state, chat.USERS) };
}

function get(ctx, bot, chat) {
	return { chat: chatObject(ctx.state, chat, bot.id) };
}

function update(ctx, bot, chat) {
	const f = ctx.params.fields;
	if (!isPlainObject(f) || !Object.keys(f).length) fail('PARAMS_REQUIRED', 'Required parameter "fields" is missing');
	if (!isEmpty(f.title)) chat.TITLE = String(f.title).trim();
	if (f.description !== undefined) chat.DESCRIPTION = f.description === null ? '' : String(f.description);
	if (v1Color(f.color)) chat.COLOR = v1Color(f.color);
	chat.AVATAR = avatarOf(f.avatar, chat.AVATAR);
	return { result: true };
}

function userAdd(ctx, bot, chat) {
	const ids = userIds(ctx.state, ctx.params.userIds).filter((u) => !chat.USERS.includes(u));
	chat.USERS.push(...ids);
	announceJoin(ctx.portal, chat, ids, bot.id);
	return { result: true };
}

function userDelete(ctx, bot, chat) {
	const userId = idParam(ctx.params, 'userId');
	if (!chat.USERS.includes(userId)) return { result: true }; // idempotent
	if (userId === chat.OWNER) deny('ACCESS_DENIED', 'The owner of the chat cannot be removed');
	chat.USERS = chat.USERS.filter((u) => u !== userId);
	chat.MANAGERS = chat.MANAGERS.filter((u) => u !== userId);
	return { result: true };
}

/** The last message a user wrote in the chat (order by lastSendMessageId). */
function lastSent(state, chat) {
	const last = new Map();
	for (const m of chatMessages(state, chat.ID)) last.set(m.AUTHOR_ID, m.ID);
	return last;
}

function userList(ctx, bot, chat) {
	const { state, params } = ctx;
	const limit = Math.min(200, Math.max(1, toInt(params.limit) > 0 ? toInt(params.limit) : 50));
	const [field, dir] = isPlainObject(params.order) && Object.keys(params.order).length ? Object.entries(params.order)[0] : ['id', 'ASC'];
	const sign = String(dir).toUpperCase() === 'DESC' ? -1 : 1;
	const last = lastSent(state, chat);
	const key = field === 'lastSendMessageId' ? (u) => last.get(u) || 0 : field === 'userId' ? (u) => u : (u) => chat.USERS.indexOf(u);
	const ids = [...chat.USERS].sort((a, b) => sign * (key(a) - key(b))).slice(0, limit);
	return usersOf(state, ids);
}

function leave(ctx, bot, chat) {
	chat.USERS = chat.USERS.filter((u) => u !== bot.id);
	chat.MANAGERS = chat.MANAGERS.filter((u) => u !== bot.id);
	if (chat.OWNER === bot.id) chat.OWNER = chat.USERS[0] || 0; // ownership passes to the first member left
	return { result: true };
}

function managerAdd(ctx, bot, chat) {
	for (const u of userIds(ctx.state, ctx.params.userIds)) if (chat.USERS.includes(u) && !chat.MANAGERS.includes(u)) chat.MANAGERS.push(u);
	return { result: true };
}

function managerDelete(ctx, bot, chat) {
	const ids = userIds(ctx.state, ctx.params.userIds);
	chat.MANAGERS = chat.MANAGERS.filter((u) => !ids.includes(u));
	return { result: true };
}

function setOwner(ctx, bot, chat) {
	const userId = idParam(ctx.params, 'userId');
	if (!chat.USERS.includes(userId)) deny('ACCESS_DENIED', 'The new owner must be a participant in the chat');
	chat.OWNER = userId;
	return { result: true };
}

function inputActionNotify(ctx, bot, chat) {
	const { params } = ctx;
	const code = isEmpty(params.statusMessageCode) ? 'TYPING' : String(params.statusMessageCode).toUpperCase();
	const duration = Math.min(600, Math.max(1, toInt(params.duration) > 0 ? toInt(params.duration) : 30));
	chat.INPUT_ACTION = { botId: bot.id, code: STATUS_CODES.includes(code) ? code : 'TYPING', until: Date.now() + duration * 1000 };
	return { result: true };
}

function textFieldEnabled(ctx, bot, chat) {
	chat.TEXT_FIELD_ENABLED = flag(ctx.params.enabled, true) ? 'Y' : 'N';
	return { result: true };
}

module.exports = { add, get, update, userAdd, userDelete, userList, leave, managerAdd, managerDelete, setOwner, inputActionNotify, textFieldEnabled, announceJoin, newGroupChat };
