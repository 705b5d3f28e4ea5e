'use strict';
/** The v2 objects (chat-bots-v2/entities.md): User, Bot, Chat, Message, File, Command, built from the portal state. */
const { dialogIdOf } = require('../imbot/store');
const { lastRead, unreadCount, viewedByOthers, roleOf, v2 } = require('./store');

/** v2 chat colour codes and their HEX (chat-add.md); the chat keeps the v1 name (lightBlue -> LIGHT_BLUE). */
const COLORS = {
	red: '#df532d', green: '#64a513', mint: '#4ba984', lightBlue: '#4ba5c3', darkBlue: '#3e99ce', purple: '#8474c8',
	aqua: '#1eb4aa', pink: '#f76187', lime: '#58cc47', brown: '#ab7761', azure: '#29619b', khaki: '#728f7a',
	sand: '#ba9c7b', marengo: '#556574', gray: '#909090', graphite: '#5e5f5e',
};
const CODES = Object.keys(COLORS);

/** 'lightBlue' (any case) -> 'LIGHT_BLUE'; unknown -> null. */
function v1Color(code) {
	const c = CODES.find((k) => k.toLowerCase() === String(code || '').replace(/_/g, '').toLowerCase());
	return c ? c.replace(/[A-Z]/g, (ch) => `_${ch}`).toUpperCase() : null;
}

function hexOf(v1Name, fallbackIndex = 0) {
	const code = CODES.find((k) => v1Color(k) === v1Name);
	return COLORS[code] || COLORS[CODES[fallbackIndex % CODES.length]];
}

const LANGUAGE = 'en';

/** User (entities.md#user). In events the online fields are false. */
function userObject(user) {
	const bot = Boolean(user.IS_BOT);
	return {
		id: user.ID, active: user.ACTIVE !== false, name: `${user.NAME || ''} ${user.LAST_NAME || ''}`.trim(),
		firstName: user.NAME || '', lastName: user.LAST_NAME || '', workPosition: user.WORK_POSITION || '',
		color: user.COLOR || hexOf(null, user.ID), avatar: '', gender: user.PERSONAL_GENDER || 'M', birthday: '',
		extranet: false, bot, connector: Boolean(user.IS_CONNECTOR), externalAuthId: bot ? 'bot' : 'default',
		status: 'online', idle: false, lastActivityDate: false, mobileLastDate: false, desktopLastDate: false, absent: false,
		departments: bot ? [] : [1], phones: false, type: bot ? 'bot' : 'employee', website: '', email: user.EMAIL || '',
	};
}

function usersOf(state, ids) {
	const out = [];
	for (const id of [...new Set(ids)]) {
		const u = state.users.get(id);
		if (u) out.push(userObject(u));
	}
	return out;
}

function countChats(state, botId) {
	let n = 0;
	for (const c of state.chats.values()) if (c.USERS.includes(botId)) n++;
	return n;
}

/** Bot (entities.md#bot): brief, or extended for its owner (and in fetch-mode events). */
function botObject(state, bot, { extended = true } = {}) {
	const brief = {
		id: bot.id, code: bot.code, type: bot.type, isHidden: bot.isHidden, isSupportOpenline: bot.isSupportOpenline,
		isReactionsEnabled: bot.isReactionsEnabled, backgroundId: bot.backgroundId, language: LANGUAGE,
	};
	if (!extended) return brief;
	let commands = 0;
	for (const c of v2(state).commands.values()) if (c.botId === bot.id) commands++;
	return {
		...brief, moduleId: 'rest', eventMode: bot.eventMode, countMessage: bot.countMessage,
		countCommand: commands, countChat: countChats(state, bot.id), countUser: bot.users.size,
	};
}

const TYPES = { P: 'private', C: 'chat', O: 'open', L: 'lines' };

/** Chat (entities.md#chat) as `viewerId` sees it; `forEvent` leaves out role, muteList and the response-only fields. */
function chatObject(state, chat, viewerId, { forEvent = false } = {}) {
	const out = {
		id: chat.ID, dialogId: dialogIdOf(chat, viewerId), name: chat.TITLE, description: chat.DESCRIPTION || '',
		type: TYPES[chat.TYPE] || 'chat', messageType: chat.TYPE, owner: chat.OWNER, color: hexOf(chat.COLOR, chat.ID),
		avatar: chat.AVATAR || '', extranet: false, containsCollaber: false, entityType: chat.ENTITY_TYPE || '',
		entityId: chat.ENTITY_ID || '', entityData1: '', entityData2: '', entityData3: '', entityLink: {}, diskFolderId: null,
		permissions: {}, parentChatId: null, parentMessageId: null, isNew: false,
		textFieldEnabled: chat.TEXT_FIELD_ENABLED === 'N' ? 'N' : 'Y', backgroundId: null,
	};
	if (chat.TYPE === 'P') {
		const other = state.users.get(chat.USERS.find((u) => u !== viewerId));
		if (other) out.name = `${other.NAME || ''} ${other.LAST_NAME || ''}`.trim();
	}
	if (forEvent) return out;
	const last = lastRead(state, chat.ID, viewerId);
	return {
		...out, role: roleOf(chat, viewerId), muteList: [], dateCreate: chat.DATE_CREATE || null,
		lastMessageId: chat.LAST_MESSAGE_ID || null, lastMessageViews: '{}', lastId: last || null, managerList: [...chat.MANAGERS],
		markedId: null, messageCount: chat.MESSAGE_COUNT, public: '', unreadId: unreadCount(state, chat, viewerId) ? last + 1 : null,
		userCounter: chat.USERS.length,
	};
}

/** message.params: what the message carries besides its text. */
function messageParams(msg) {
	const p = {};
	if (msg.ATTACH) p.ATTACH = msg.ATTACH;
	if (msg.KEYBOARD) p.KEYBOARD = msg.KEYBOARD;
	if (msg.FILE_IDS && msg.FILE_IDS.length) p.FILE_ID = [...msg.FILE_IDS];
	if (msg.REPLY_ID) p.REPLY_ID = msg.REPLY_ID;
	if (msg.EDITED) p.IS_EDITED = 'Y';
	if (msg.DELETED) p.IS_DELETED = 'Y';
	if (msg.URL_PREVIEW === 'N') p.URL_PREVIEW = 'N';
	return p;
}

/** Message (entities.md#message); method responses add unread/viewed for the viewer. */
function messageObject(state, msg, viewerId, { forEvent = false } = {}) {
	const out = {
		id: msg.ID, chatId: msg.CHAT_ID, authorId: msg.AUTHOR_ID, date: msg.DATE, text: msg.MESSAGE,
		isSystem: msg.SYSTEM === 'Y', uuid: msg.UUID || '', forward: msg.FORWARD || null, params: messageParams(msg),
		viewedByOthers: viewedByOthers(state, msg),
	};
	if (forEvent || viewerId === undefined) return out;
	const read = msg.AUTHOR_ID === viewerId || lastRead(state, msg.CHAT_ID, viewerId) >= msg.ID;
	return { ...out, unread: !read, viewed: read };
}

/** File (entities.md#file); `brief` is what File.upload returns. */
function fileObject(state, file, { brief = false } = {}) {
	const out = { id: file.id, chatId: file.chatId, name: file.name, extension: file.extension, size: file.size };
	if (brief) return out;
	const author = state.users.get(file.authorId);
	return {
		...out, date: file.date, type: file.type, image: false, authorId: file.authorId,
		authorName: author ? `${author.NAME || ''} ${author.LAST_NAME || ''}`.trim() : '',
		isTranscribable: false, isVideoNote: false, isVoiceNote: false,
	};
}

/** text of a {lang: text} map in the portal language, else the first one. */
function localized(map) {
	if (!map || typeof map !== 'object') return '';
	return map[LANGUAGE] || Object.values(map).find((v) => typeof v === 'string' && v) || '';
}

/** Command (entities.md#command); `full` adds title, params, category, context (Command.list). */
function commandObject(state, cmd, { full = false } = {}) {
	const out = { id: cmd.id, botId: cmd.botId, command: `/${cmd.command}`, common: cmd.common, hidden: cmd.hidden, extranetSupport: cmd.extranetSupport };
	if (!full) return out;
	const bot = v2(state).bots.get(cmd.botId);
	return { ...out, title: localized(cmd.title), params: localized(cmd.params), category: bot ? bot.properties.name : '', context: '' };
}

module.exports = { COLORS, v1Color, LANGUAGE, userObject, usersOf, botObject, chatObject, messageObject, fileObject, commandObject };
