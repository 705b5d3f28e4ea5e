'use strict';
/** imopenlines sessions and dialogs (§3.2): session.open, dialog.get, session.start, message.session.start,
 * session.history.get, session.join, session.intercept, session.mode.*, session.head.vote. */
const { findDialogByChatId, startSession } = require('../../connectorDialogs');
const { isEmpty, toInt, flag, fail } = require('../util');
const S = require('./store');

function chatByUserCode(state, code) {
	for (const chat of state.chats.values()) if (chat.ENTITY_TYPE === 'LINES' && chat.ENTITY_ID === code) return chat;
	return undefined;
}

function open({ state, params, auth }) {
	const code = isEmpty(params.USER_CODE) ? '' : String(params.USER_CODE).trim();
	const chat = code ? chatByUserCode(state, code) : undefined;
	const denied = () => fail('ACCESS_DENIED', 'You cannot open this conversation because you do not have sufficient permissions');
	if (!chat) denied();
	const dialog = findDialogByChatId(state, chat.ID);
	S.checkAccess(state, auth, chat, dialog);
	S.currentSession(state, dialog);
	return { chatId: String(chat.ID) };
}

/** dialog.get's chat (documented lower-case fields; session id in the 6th field of entity_data_1). */
function dialogView(state, chat, rec) {
	const lead = S.crmStore(state).items.get(`lead|${rec.CRM_LEAD || 0}`);
	return {
		id: chat.ID, parent_chat_id: 0, parent_message_id: 0, name: chat.TITLE, description: chat.DESCRIPTION || null, owner: chat.OWNER,
		extranet: false, avatar: '', color: '#4ba984', type: 'lines', counter: 0, user_counter: chat.USERS.length, message_count: chat.MESSAGE_COUNT,
		unread_id: 0, last_message_id: chat.LAST_MESSAGE_ID, last_id: chat.LAST_MESSAGE_ID, marked_id: 0, disk_folder_id: 0,
		entity_type: 'LINES', entity_id: chat.ENTITY_ID,
		entity_data_1: `${lead ? 'Y' : 'N'}|${lead ? 'LEAD' : 'NONE'}|${lead ? lead.id : 0}|N|N|${rec.ID}|${Math.floor(Date.now() / 1000)}|0|0|0`,
		entity_data_2: `LEAD|${lead ? lead.id : 0}|COMPANY|0|CONTACT|0|DEAL|0`,
		entity_data_3: rec.SILENT ? 'Y' : 'N',
		mute_list: [], date_create: chat.DATE_CREATE, message_type: 'L', role: 'member', manager_list: chat.MANAGERS, dialog_id: `chat${chat.ID}`,
	};
}

function dialogGet({ state, params, auth }) {
	const noAccess = () => fail('ACCESS_ERROR', 'You do not have access to the specified dialog');
	let chat;
	if (!isEmpty(params.CHAT_ID)) chat = state.chats.get(S.chatIdOf(params.CHAT_ID));
	else if (!isEmpty(params.DIALOG_ID)) chat = /^chat\d+$/i.test(String(params.DIALOG_ID)) ? state.chats.get(S.chatIdOf(params.DIALOG_ID)) : undefined;
	else if (!isEmpty(params.SESSION_ID)) {
		const rec = S.sessionById(state, toInt(params.SESSION_ID));
		chat = rec ? state.chats.get(rec.CHAT_ID) : undefined;
	} else if (!isEmpty(params.USER_CODE)) chat = chatByUserCode(state, String(params.USER_CODE).trim());
	if (!chat || chat.ENTITY_TYPE !== 'LINES') noAccess();
	const dialog = findDialogByChatId(state, chat.ID);
	S.checkAccess(state, auth, chat, dialog, 'ACCESS_ERROR');
	const wanted = isEmpty(params.SESSION_ID) ? undefined : S.sessionById(state, toInt(params.SESSION_ID));
	return dialogView(state, chat, wanted || S.currentSession(state, dialog));
}

function start({ portal, state, params, auth }) {
	const { chat, dialog, session } = S.lineChat(state, params);
	S.checkAccess(state, auth, chat, dialog);
	if (session.STATUS !== 'closed') S.close(state, session);
	startSession(portal, dialog);
	S.currentSession(state, dialog);
	return true;
}

function messageStart({ portal, state, params, auth }) {
	const { chat, dialog, session } = S.lineChat(state, params);
	S.checkAccess(state, auth, chat, dialog);
	const messageId = toInt(params.MESSAGE_ID);
	if (!(messageId > 0) || !S.chatMessages(state, chat.ID).some((m) => m.id === messageId)) return false;
	if (session.STATUS !== 'closed') S.close(state, session);
	startSession(portal, dialog);
	S.currentSession(state, dialog).START_AFTER = messageId - 1;
	return true;
}

function historyGet({ state, params, auth }) {
	let rec;
	if (!isEmpty(params.SESSION_ID)) {
		rec = S.sessionById(state, toInt(params.SESSION_ID));
	} else if (!isEmpty(params.CHAT_ID)) {
		const dialog = findDialogByChatId(state, S.chatIdOf(params.CHAT_ID));
		if (dialog && dialog.sessionId) rec = S.currentSession(state, dialog);
	} else fail('MISSING_REQUIRED_PARAM', 'SESSION_ID or CHAT_ID is required');
	if (!rec) fail('INVALID_SESSION_ID', 'Session not found');
	const chat = state.chats.get(rec.CHAT_ID);
	const user = S.checkAccess(state, auth, chat, findDialogByChatId(state, rec.CHAT_ID));
	const messages = S.chatMessages(state, chat.ID).filter((m) => m.id > rec.START_AFTER && (rec.END_AT === null || m.id <= rec.END_AT));
	const message = {};
	const users = {};
	for (const m of messages) {
		message[m.id] = { id: String(m.id), chatid: String(chat.ID), senderid: String(m.authorId || 0), recipientid: `chat${chat.ID}`, date: m.date, text: m.text, textlegacy: m.text, params: {} };
		const u = state.users.get(m.authorId) || (state.bots.get(m.authorId) && { ID: m.authorId, NAME: state.bots.get(m.authorId).NAME || 'Bot', LAST_NAME: '' });
		if (u) users[u.ID] = { id: String(u.ID), name: `${u.NAME || ''} ${u.LAST_NAME || ''}`.trim(), firstName: u.NAME || '', lastName: u.LAST_NAME || '', bot: Boolean(u.IS_BOT), connector: Boolean(u.IS_CONNECTOR) };
	}
	return {
		chatId: chat.ID, canJoin: chat.USERS.includes(user.ID) ? 'N' : 'Y', canVoteHead: user.ADMIN ? 'Y' : 'N', sessionId: rec.ID,
		sessionVoteHead: rec.VOTE_HEAD, sessionCommentHead: rec.COMMENT_HEAD, userId: `chat${chat.ID}`, message,
		usersMessage: { [`chat${chat.ID}`]: messages.map((m) => String(m.id)).reverse() }, users,
		chat: { [chat.ID]: { id: chat.ID, name: chat.TITLE, entityType: 'LINES', entityId: chat.ENTITY_ID, entityData1: dialogView(state, chat, rec).entity_data_1 } },
	};
}

function join({ state, params, auth }) {
	const { chat, dialog } = S.lineChat(state, params);
	const user = S.checkAccess(state, auth, chat, dialog);
	S.addUser(chat, user.ID);
	return true;
}

function intercept({ state, params, auth }) {
	const { chat, dialog, session } = S.lineChat(state, params, { empty: 'CHAT_ID_EMPTY', unknown: 'OPERATOR_WRONG' });
	const user = S.userOf(state, auth);
	const allowed = user.ADMIN || S.isOperatorOfLine(state, user.ID, dialog.line);
	if (!allowed || session.STATUS === 'closed' || session.OPERATOR_ID === user.ID) fail('OPERATOR_WRONG', 'You can not redirect to this operator');
	session.OPERATOR_ID = user.ID;
	session.STATUS = 'answered';
	if (session.BOT_ID) S.removeUser(chat, session.BOT_ID);
	S.addUser(chat, user.ID);
	return true;
}

function pin({ state, params, auth }) {
	const { chat, dialog, session } = S.lineChat(state, params, { empty: 'CHAT_ID_EMPTY', invalid: 'CHAT_ID' });
	const user = S.checkAccess(state, auth, chat, dialog);
	if (session.OPERATOR_ID !== user.ID || session.STATUS === 'closed') fail('ACCESS_DENIED', S.TEXT.ACCESS_DENIED);
	session.PINNED = flag(params.ACTIVATE, true);
	return true;
}

function pinEvery(value) {
	return ({ state, auth }) => {
		const changed = [];
		for (const dialog of state.dialogs.values()) {
			const rec = S.currentSession(state, dialog);
			if (rec.OPERATOR_ID === auth.userId && rec.STATUS !== 'closed' && rec.PINNED !== value) {
				rec.PINNED = value;
				changed.push(rec.ID);
			}
		}
		return changed;
	};
}

function silent({ state, params, auth }) {
	const { chat, dialog, session } = S.lineChat(state, params);
	S.checkAccess(state, auth, chat, dialog);
	session.SILENT = String(params.ACTIVATE || '').toUpperCase() === 'Y';
	return true;
}

function headVote({ state, params, auth }) {
	const id = toInt(params.SESSION_ID);
	if (!(id > 0)) fail('EMPTY_SESSION_ID', 'Session ID can\'t be empty');
	if (isEmpty(params.RATING) && isEmpty(params.COMMENT)) fail('EMPTY_VOTE_PARAMS', 'At least one of the parameters RATING or COMMENT must be specified');
	const rec = S.sessionById(state, id);
	if (!rec || !S.userOf(state, auth).ADMIN) fail('ACCESS_DENIED', S.TEXT.ACCESS_DENIED);
	if (!isEmpty(params.RATING)) rec.VOTE_HEAD = toInt(params.RATING);
	if (!isEmpty(params.COMMENT)) rec.COMMENT_HEAD = String(params.COMMENT);
	return true;
}

module.exports = {
	'imopenlines.session.open': open,
	'imopenlines.dialog.get': dialogGet,
	'imopenlines.session.start': start,
	'imopenlines.message.session.start': messageStart,
	'imopenlines.session.history.get': historyGet,
	'imopenlines.session.join': join,
	'imopenlines.session.intercept': intercept,
	'imopenlines.session.mode.pin': pin,
	'imopenlines.session.mode.pinAll': pinEvery(true),
	'imopenlines.session.mode.unpinAll': pinEvery(false),
	'imopenlines.session.mode.silent': silent,
	'imopenlines.session.head.vote': headVote,
};
