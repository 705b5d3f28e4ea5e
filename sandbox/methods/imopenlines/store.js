'use strict';
/**
 * Open-line sessions in the portal state (§3.2), beside the dialogs of connectorDialogs.js: one record per session id,
 * created when a method first looks at the dialog's current session. A line with a welcome bot
 * (WELCOME_BOT_ENABLE=Y, WELCOME_BOT_ID) starts each session with that bot; otherwise the first queue user waits to answer.
 * STATUS: bot → waiting → answered → closed. Also the CRM bindings and quick answers of the lines.
 */
const { isoWithOffset } = require('../../envelope');
const { findDialogByChatId } = require('../../connectorDialogs');
const { isEmpty, toInt, fail } = require('../util');
const { v2 } = require('../imbotV2/store');

/** A bot by id, v1 (imbot.*) or v2 (imbot.v2.*): `{ ID, owners }` (the owner keys that may act as it), or undefined. */
function botById(state, id) {
	const v1 = state.bots.get(id);
	if (v1) return { ID: v1.ID, owners: [v1.owner] };
	const bot = state.imbotV2 ? v2(state).bots.get(id) : undefined;
	return bot ? { ID: bot.id, owners: [bot.owner] } : undefined;
}

/** The bots a caller owns: the OAuth app's, or under a webhook the v1 bots of CLIENT_ID and the v2 bots of that botToken. */
function botsOf(state, auth, clientId) {
	const keys = auth.kind === 'oauth' ? [`app:${auth.clientId}`] : clientId ? [`webhook:${clientId}`, `token:${clientId}`] : [];
	const v1 = [...state.bots.values()].filter((b) => keys.includes(b.owner)).map((b) => b.ID);
	const v2Bots = state.imbotV2 ? [...v2(state).bots.values()].filter((b) => keys.includes(b.owner)).map((b) => b.id) : [];
	return [...v1, ...v2Bots];
}

function sessions(state) {
	if (!state.olSessions) state.olSessions = new Map();
	return state.olSessions;
}

/** crm: `${type}|${id}` -> { type, id, chatIds: [] }; seq for new leads. */
function crmStore(state) {
	if (!state.olCrm) state.olCrm = { seq: 1200, items: new Map(), quickAnswers: [], networkJoins: new Map(), networkMessages: [] };
	return state.olCrm;
}

function chatMessages(state, chatId) {
	const out = [];
	for (const m of state.connectorMessages) if (m.chatId === chatId && !m.deleted) out.push({ id: m.id, authorId: m.userId, text: m.text, date: m.date, sessionId: m.sessionId });
	for (const m of state.operatorMessages.values()) if (m.chatId === chatId && !m.deleted) out.push({ id: m.id, authorId: m.userId, text: m.text, date: m.date });
	for (const m of state.messages.values()) {
		if (m.CHAT_ID === chatId && !m.DELETED && !out.some((o) => o.id === m.ID)) out.push({ id: m.ID, authorId: m.AUTHOR_ID, text: m.MESSAGE, date: m.DATE });
	}
	return out.sort((a, b) => a.id - b.id);
}

function addUser(chat, userId) {
	if (chat && !chat.USERS.includes(userId)) chat.USERS.push(userId);
}

function removeUser(chat, userId) {
	if (chat) chat.USERS = chat.USERS.filter((u) => u !== userId);
}

/** The dialog's current session record (created on first look; closed when the dialog was finished elsewhere). */
function currentSession(state, dialog) {
	const all = sessions(state);
	let rec = all.get(dialog.sessionId);
	if (!rec) {
		const line = state.lines.get(dialog.line);
		const botId = line && line.WELCOME_BOT_ENABLE === 'Y' ? toInt(line.WELCOME_BOT_ID) : NaN;
		const bot = botId > 0 ? botById(state, botId) : undefined;
		const queue = line && Array.isArray(line.QUEUE) ? line.QUEUE : [];
		const first = chatMessages(state, dialog.chatId).find((m) => m.sessionId === dialog.sessionId);
		rec = {
			ID: dialog.sessionId, CHAT_ID: dialog.chatId, LINE_ID: dialog.line, USER_CODE: state.chats.get(dialog.chatId)?.ENTITY_ID || '',
			PARENT_ID: dialog.parentSessionId || 0, STATUS: bot ? 'bot' : 'waiting', BOT_ID: bot ? bot.ID : 0,
			OPERATOR_ID: bot ? bot.ID : queue[0] || 0, BOT_WAITING: false, PINNED: false, SILENT: false, SPAM: false,
			VOTE_HEAD: 0, COMMENT_HEAD: null, START_AFTER: first ? first.id - 1 : state.seq.message, END_AT: null, DATE_CREATE: isoWithOffset(Date.now()),
		};
		all.set(rec.ID, rec);
		const chat = state.chats.get(dialog.chatId);
		if (bot) addUser(chat, bot.ID);
	}
	if (dialog.closed && rec.STATUS !== 'closed') close(state, rec);
	return rec;
}

/** A session by id: its record, or the current session of the dialog that has that id. */
function sessionById(state, id) {
	const rec = sessions(state).get(id);
	if (rec) {
		const dialog = findDialogByChatId(state, rec.CHAT_ID);
		return dialog && dialog.sessionId === id ? currentSession(state, dialog) : rec;
	}
	const dialog = id > 0 ? [...state.dialogs.values()].find((d) => d.sessionId === id) : undefined;
	return dialog ? currentSession(state, dialog) : undefined;
}

function close(state, rec, { spam = false } = {}) {
	rec.STATUS = 'closed';
	rec.SPAM = rec.SPAM || spam;
	rec.PINNED = false;
	rec.END_AT = state.seq.message;
	if (rec.BOT_ID) removeUser(state.chats.get(rec.CHAT_ID), rec.BOT_ID);
}

/** The chat id of CHAT_ID (`chat15` too), or 0. */
function chatIdOf(v) {
	const id = toInt(String(v === undefined || v === null ? '' : v).trim().replace(/^chat/i, ''));
	return id > 0 ? id : 0;
}

const TEXT = {
	CHAT_ID: 'The specified chat identifier is incorrect',
	CHAT_ID_EMPTY: 'Chat ID can\'t be empty',
	CHAT_TYPE: 'The specified chat is not an open line',
	ACCESS_DENIED: 'You cannot open this conversation as you do not have sufficient rights',
	WRONG_CHAT: 'Operator is not a bot',
	OPERATOR_WRONG: 'You cannot redirect to this operator',
};

/**
 * CHAT_ID of an open-line chat with the documented error family: `empty` for a missing or non-positive id, `invalid`
 * for text that is no id, `unknown` for no such chat (all `CHAT_ID` unless a method documents others), `CHAT_TYPE`
 * for a chat that is not an open line. Returns { chat, dialog, session }.
 */
function lineChat(state, params, { empty = 'CHAT_ID', invalid = empty, unknown = 'CHAT_ID' } = {}) {
	if (isEmpty(params.CHAT_ID) || toInt(params.CHAT_ID) <= 0) fail(empty, TEXT[empty]);
	const id = chatIdOf(params.CHAT_ID);
	if (!id) fail(invalid, TEXT[invalid]);
	const chat = state.chats.get(id);
	if (!chat) fail(unknown, TEXT[unknown] || 'Chat not found');
	const dialog = findDialogByChatId(state, id);
	if (chat.ENTITY_TYPE !== 'LINES' || !dialog) fail(unknown === 'CHAT_ID' ? 'CHAT_TYPE' : unknown, TEXT.CHAT_TYPE);
	return { chat, dialog, session: currentSession(state, dialog) };
}

function userOf(state, auth) {
	const user = state.users.get(auth.userId);
	if (!user) fail('USER_ID', 'The specified user identifier is incorrect');
	return user;
}

function isOperatorOfLine(state, userId, lineId) {
	const line = state.lines.get(lineId);
	return Boolean(line && Array.isArray(line.QUEUE) && line.QUEUE.includes(userId));
}

/** Admins, members of the chat and operators of the line may act on a dialog. */
function checkAccess(state, auth, chat, dialog, code = 'ACCESS_DENIED') {
	const user = userOf(state, auth);
	if (user.ADMIN || chat.USERS.includes(user.ID) || isOperatorOfLine(state, user.ID, dialog.line)) return user;
	fail(code, TEXT.ACCESS_DENIED);
}

/** A transfer target (§3.2 *.transfer): USER_ID > QUEUE_ID > TRANSFER_ID (`27` or `queue3`). */
function transferTarget(state, params) {
	const given = (v) => v !== undefined && v !== null;
	if (given(params.USER_ID)) {
		const id = toInt(params.USER_ID);
		if (!(id > 0)) fail('USER_ID_EMPTY', 'User ID can\'t be empty');
		return { userId: id };
	}
	if (given(params.QUEUE_ID)) {
		const id = toInt(params.QUEUE_ID);
		if (!(id > 0)) fail('QUEUE_ID_EMPTY', 'QUEUE ID can\'t be empty');
		return { lineId: id };
	}
	const t = isEmpty(params.TRANSFER_ID) ? '' : String(params.TRANSFER_ID).trim();
	if (!t) fail('TRANSFER_ID_EMPTY', 'Queue ID or User ID can\'t be empty');
	const q = /^queue(\d+)$/i.exec(t);
	if (q) return { lineId: Number(q[1]) };
	if (toInt(t) > 0) return { userId: toInt(t) };
	fail('OPERATOR_WRONG', 'You cannot redirect to this operator');
}

/** Moves the session to the target operator or line; OPERATOR_WRONG for a target that cannot take it. */
function transferTo(state, rec, target, { fromId } = {}) {
	const wrong = () => fail('OPERATOR_WRONG', 'You cannot redirect to this operator');
	if (rec.STATUS === 'closed') wrong();
	let operatorId;
	if (target.userId) {
		const user = state.users.get(target.userId);
		if (!user || !user.ACTIVE || user.IS_BOT || user.IS_CONNECTOR || target.userId === rec.OPERATOR_ID || target.userId === fromId) wrong();
		operatorId = target.userId;
	} else {
		const line = state.lines.get(target.lineId);
		if (!line || line.ACTIVE !== 'Y') wrong();
		operatorId = (line.QUEUE || []).find((u) => u !== fromId) || 0;
		rec.LINE_ID = target.lineId;
	}
	rec.OPERATOR_ID = operatorId;
	rec.STATUS = 'waiting';
	rec.PINNED = false;
	addUser(state.chats.get(rec.CHAT_ID), operatorId);
}

module.exports = { botById, botsOf, sessions, sessionById, crmStore, chatMessages, currentSession, close, chatIdOf, lineChat, userOf, checkAccess, isOperatorOfLine, transferTarget, transferTo, addUser, removeUser, TEXT };
