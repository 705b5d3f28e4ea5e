'use strict';
/** imbot.chat.* and imbot.dialog.get (§4.3). */
const { nextId } = require('../../state');
const { isoWithOffset } = require('../../envelope');
const { isEmpty, toInt, flag, asList, fail } = require('../util');
const { COLORS, dialogIdOf, storeMessage } = require('./store');
const { botDialog } = require('./access');

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

function chatAdd(ctx, bot) {
	const { state, params } = ctx;
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

function dialogGet(ctx, bot) {
	const chat = botDialog(ctx, bot, { code: 'ACCESS_ERROR', notMember: 'You don\'t have access to this dialog' });
	return dialogObject(chat, bot.ID, ctx.state);
}

function userIdParam(params) {
	const id = isEmpty(params.USER_ID) ? NaN : toInt(params.USER_ID);
	if (!(id > 0)) fail('USER_ID_EMPTY', 'User ID can\'t be empty');
	return id;
}

/** Takes the user out of the chat's members and managers. */
function removeMember(chat, userId) {
	chat.USERS = chat.USERS.filter((u) => u !== userId);
	chat.MANAGERS = chat.MANAGERS.filter((u) => u !== userId);
	return true;
}

function chatLeave(ctx, bot, chat) {
	if (chat.OWNER === bot.ID && chat.USERS.length > 1) fail('ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN: the owner cannot leave the chat; pass ownership first (imbot.chat.setOwner)');
	return removeMember(chat, bot.ID);
}

function chatUserAdd(ctx, bot, chat) {
	const { params, state } = ctx;
	const users = userList(params.USERS);
	if (!users || users.length === 0) fail('WRONG_REQUEST', 'USERS must be a non-empty array of user ids');
	for (const u of users) if (!state.users.has(u)) fail('WRONG_REQUEST', `User ${u} not found`);
	for (const u of users) if (!chat.USERS.includes(u)) chat.USERS.push(u);
	return true;
}

function chatUserDelete(ctx, bot, chat) {
	const userId = userIdParam(ctx.params);
	if (!chat.USERS.includes(userId)) fail('WRONG_REQUEST', 'User is not a member of this chat');
	if (chat.OWNER === userId) fail('ACCESS_ERROR', 'LEAVE_OWNER_FORBIDDEN: the owner cannot be removed from the chat');
	return removeMember(chat, userId);
}

function updateTitle(ctx, bot, chat) {
	const title = ctx.params.TITLE === undefined ? '' : String(ctx.params.TITLE).trim();
	if (!title) fail('TITLE_EMPTY', 'Title can\'t be empty');
	chat.TITLE = title;
	return true;
}

function updateColor(ctx, bot, chat) {
	const color = checkColor(ctx.params.COLOR === undefined ? '' : ctx.params.COLOR);
	if (chat.COLOR === color) fail('WRONG_REQUEST', 'This color is already set');
	chat.COLOR = color;
	return true;
}

function updateAvatar(ctx, bot, chat) {
	chat.AVATAR = checkAvatar(ctx.params.AVATAR);
	return true;
}

/** USER_ID of a member of the chat, for a change only the chat's owner may make (`what`: "the owner", "managers"). */
function ownerChangesMember(ctx, bot, chat, what, notMember) {
	const userId = userIdParam(ctx.params);
	if (chat.OWNER !== bot.ID) fail('WRONG_REQUEST', `Only the owner can change ${what}`);
	if (!chat.USERS.includes(userId)) fail('WRONG_REQUEST', notMember);
	return userId;
}

function setOwner(ctx, bot, chat) {
	chat.OWNER = ownerChangesMember(ctx, bot, chat, 'the owner', 'The new owner must be a member of the chat');
	return true;
}

function setManager(ctx, bot, chat) {
	const userId = ownerChangesMember(ctx, bot, chat, 'managers', 'User is not a member of this chat');
	const isManager = flag(ctx.params.IS_MANAGER, true);
	chat.MANAGERS = chat.MANAGERS.filter((u) => u !== userId);
	if (isManager) chat.MANAGERS.push(userId);
	return true;
}

function sendTyping(ctx, bot) {
	botDialog(ctx, bot);
	return true;
}

module.exports = {
	chatAdd, chatGet, dialogGet, chatLeave, chatUserAdd, chatUserList: (ctx, bot, chat) => [...chat.USERS], chatUserDelete,
	updateTitle, updateColor, updateAvatar, setOwner, setManager, sendTyping,
};
