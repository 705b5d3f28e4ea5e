'use strict';
/**
 * Open-line dialogs behind a custom connector: one Bitrix chat per (connector, line, external chat),
 * a session that starts on the first message and is closed by a dialog finish.
 * Shared by imconnector.* methods and the /sandbox/openlines/* triggers.
 */
const { nextId } = require('./state');
const { isoWithOffset } = require('./envelope');
const { fireAppEvent } = require('./events');
const openLineEvents = require('./openLineEvents');

function dialogKey(connector, line, externalChatId) {
	return `${connector}|${line}|${externalChatId}`;
}

/** Internal user for an external one (created on first sight). */
function connectorUser(state, connector, extUser) {
	if (!state.connectorUsers) state.connectorUsers = new Map();
	const key = `${connector}|${extUser.id}`;
	let id = state.connectorUsers.get(key);
	if (id === undefined) {
		id = nextId(state, 'user');
		state.connectorUsers.set(key, id);
		state.users.set(id, {
			ID: id,
			NAME: extUser.name ? String(extUser.name) : 'Guest',
			LAST_NAME: extUser.last_name ? String(extUser.last_name) : '',
			EMAIL: extUser.email ? String(extUser.email) : '',
			ADMIN: false,
			ACTIVE: true,
			IS_BOT: false,
			IS_CONNECTOR: true,
			EXTERNAL_ID: String(extUser.id),
			CONNECTOR: connector,
		});
	}
	return id;
}

function dialogEventData(dialog, closed) {
	return {
		CONNECTOR: dialog.connector,
		LINE: String(dialog.line),
		DATA: [
			{
				connector: { connector_id: dialog.connector, line_id: String(dialog.line), chat_id: dialog.externalChatId, user_id: dialog.externalUserId },
				session: { id: String(dialog.sessionId), closed: closed ? 'Y' : 'N', parent_id: String(dialog.parentSessionId || 0), close_term: '' },
				chat: { id: String(dialog.chatId) },
				user: { id: String(dialog.userId) },
			},
		],
	};
}

function ownerOf(state, connector) {
	const c = state.connectors.get(connector);
	return c ? c.owner : null;
}

/** Starts a new session in a dialog and fires ONIMCONNECTORDIALOGSTART. Returns the delivery promise. */
function startSession(portal, dialog, applicationToken) {
	const state = portal.state;
	if (dialog.sessionId && !dialog.closed) dialog.parentSessionId = dialog.sessionId;
	else if (dialog.sessionId) dialog.parentSessionId = 0;
	dialog.sessionId = nextId(state, 'session');
	dialog.closed = false;
	dialog.sessionStartedAt = isoWithOffset(Date.now());
	const dialogStart = fireAppEvent(portal, { event: 'ONIMCONNECTORDIALOGSTART', clientId: ownerOf(state, dialog.connector), data: dialogEventData(dialog, false), applicationToken });
	return openLineEvents.both(dialogStart, openLineEvents.fireSessionEvent(portal, dialog, false, applicationToken));
}

function finishSession(portal, dialog, applicationToken) {
	dialog.closed = true;
	const dialogFinish = fireAppEvent(portal, { event: 'ONIMCONNECTORDIALOGFINISH', clientId: ownerOf(portal.state, dialog.connector), data: dialogEventData(dialog, true), applicationToken });
	return openLineEvents.both(dialogFinish, openLineEvents.fireSessionEvent(portal, dialog, true, applicationToken));
}

/**
 * Finds or creates the dialog for an incoming message; opens a session when none is open.
 * The DIALOGSTART event (if any handler is bound) is sent in the background.
 */
function dialogForIncoming(portal, connector, line, extChat, extUser) {
	const state = portal.state;
	const key = dialogKey(connector, line, String(extChat.id));
	let dialog = state.dialogs.get(key);
	const userId = connectorUser(state, connector, extUser);
	if (!dialog) {
		const chatId = nextId(state, 'chat');
		const lineCfg = state.lines.get(line);
		const operators = lineCfg && Array.isArray(lineCfg.QUEUE) ? lineCfg.QUEUE : [1];
		state.chats.set(chatId, {
			ID: chatId,
			TYPE: 'L',
			TITLE: extChat.name ? String(extChat.name) : `${extUser.name || 'Guest'} - ${connector}`,
			DESCRIPTION: '',
			COLOR: 'MINT',
			AVATAR: '',
			OWNER: 0,
			USERS: [userId, ...operators],
			MANAGERS: [],
			ENTITY_TYPE: 'LINES',
			ENTITY_ID: `${connector}|${line}|${extChat.id}|${userId}`,
			DATE_CREATE: isoWithOffset(Date.now()),
			MESSAGE_COUNT: 0,
			LAST_MESSAGE_ID: 0,
		});
		dialog = {
			connector,
			line,
			externalChatId: String(extChat.id),
			externalChatName: extChat.name ? String(extChat.name) : '',
			externalUserId: String(extUser.id),
			userId,
			chatId,
			sessionId: 0,
			parentSessionId: 0,
			closed: true,
		};
		state.dialogs.set(key, dialog);
	}
	if (dialog.closed) startSession(portal, dialog);
	return dialog;
}

function findDialog(state, connector, line, externalChatId) {
	return state.dialogs.get(dialogKey(connector, line, String(externalChatId)));
}

function findDialogByChatId(state, chatId) {
	for (const d of state.dialogs.values()) if (d.chatId === chatId) return d;
	return undefined;
}

module.exports = { dialogForIncoming, findDialog, findDialogByChatId, startSession, finishSession, dialogKey, ownerOf, connectorUser };

/**
 * An operator (or a bot) writes into an open-line chat: the message is stored and goes out to
 * the connector's app as ONIMCONNECTORMESSAGEADD (§2.2), with the operator signature when the
 * connector wants one. Returns { message, deliveries: Promise }.
 */
function sendOperatorMessage(portal, dialog, { userId = 1, text, messageId, applicationToken }) {
	const state = portal.state;
	const def = state.connectors.get(dialog.connector);
	const id = messageId || nextId(state, 'message');
	const message = {
		id,
		chatId: dialog.chatId,
		connector: dialog.connector,
		line: dialog.line,
		externalChatId: dialog.externalChatId,
		userId: Number(userId),
		text: String(text),
		externalIds: [],
		delivered: false,
		read: false,
		deleted: false,
		date: Math.floor(Date.now() / 1000),
	};
	state.operatorMessages.set(id, message);
	const chat = state.chats.get(dialog.chatId);
	if (chat) {
		chat.MESSAGE_COUNT++;
		chat.LAST_MESSAGE_ID = id;
	}
	const user = state.users.get(Number(userId));
	const signed = def && def.NEED_SIGNATURE && user ? `[b]${`${user.NAME} ${user.LAST_NAME}`.trim()}:[/b] [br]${message.text}` : message.text;
	const data = {
		CONNECTOR: dialog.connector,
		LINE: String(dialog.line),
		MESSAGES: [{ im: { chat_id: String(dialog.chatId), message_id: String(id) }, message: { user_id: String(userId), text: signed }, chat: { id: dialog.externalChatId } }],
	};
	const toConnector = fireAppEvent(portal, { event: 'ONIMCONNECTORMESSAGEADD', clientId: def ? def.owner : null, userId, data, applicationToken });
	const inChat = openLineEvents.fireMessageAdd(portal, dialog, { id, userId, text: message.text, date: message.date }, applicationToken);
	const deliveries = openLineEvents.both(toConnector, inChat);
	return { message, deliveries };
}

module.exports.sendOperatorMessage = sendOperatorMessage;
