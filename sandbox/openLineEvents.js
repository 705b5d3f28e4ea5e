'use strict';
/**
 * Open-line events (b24restdocs api-reference/imopenlines/openlines/events/*.md): OnSessionStart / OnSessionFinish when
 * a session of an open-line dialog starts / closes, OnOpenLineMessageAdd / Update / Delete when a message is added to /
 * edited / deleted in an open-line chat (customer, operator or bot). Subscribing is possible only through an app
 * (event.bind), and "only those events intended for the connector added by the application" reach it: like the
 * ONIMCONNECTOR* events, they go to the connector's owner app only (fireAppEvent: online handlers get a POST, offline
 * bindings queue a record). Payloads as the pages show them:
 * - sessions: data[DATA][0]{connector{connector_id,line_id,chat_id,user_id}, session{id,closed,parent_id,close_term},
 *   chat{id}, user{id}} (no data[CONNECTOR]/data[LINE] on these pages);
 * - Add: data[DATA][0]{connector{…}, chat{id}, message{id,date,text,files,attach,system,user_id}, ref[], extra{EXTRA_URL}};
 * - Update / Delete: data{CONNECTOR, LINE, DATA[0]{im{chat_id,message_id}, message{id}, chat{id}}}.
 * Sandbox choices: connector.chat_id / user_id are the external ids (as in ONIMCONNECTORDIALOGSTART), chat.id is the
 * Bitrix chat; close_term is the line's AUTO_CLOSE_TIME in minutes ('' when the line has none).
 */
const { fireAppEvent } = require('./events');
const { isoWithOffset } = require('./envelope');

function ownerOf(state, connector) {
	const c = state.connectors.get(connector);
	return c ? c.owner : null;
}

function connectorBlock(dialog) {
	return { connector_id: dialog.connector, line_id: String(dialog.line), chat_id: dialog.externalChatId, user_id: dialog.externalUserId };
}

function closeTerm(state, dialog) {
	const line = state.lines.get(dialog.line);
	const seconds = line ? Number(line.AUTO_CLOSE_TIME) : NaN;
	return Number.isFinite(seconds) && seconds > 0 ? String(Math.round(seconds / 60)) : '';
}

function sessionEventData(state, dialog, closed) {
	return {
		DATA: [
			{
				connector: connectorBlock(dialog),
				session: { id: String(dialog.sessionId), closed: closed ? 'Y' : 'N', parent_id: String(dialog.parentSessionId || 0), close_term: closeTerm(state, dialog) },
				chat: { id: String(dialog.chatId) },
				user: { id: String(dialog.userId) },
			},
		],
	};
}

/** OnSessionStart (closed=false) / OnSessionFinish (closed=true) of the dialog's current session. Promise of deliveries. */
function fireSessionEvent(portal, dialog, closed, applicationToken) {
	return fireAppEvent(portal, {
		event: closed ? 'ONSESSIONFINISH' : 'ONSESSIONSTART',
		clientId: ownerOf(portal.state, dialog.connector),
		data: sessionEventData(portal.state, dialog, closed),
		applicationToken,
	});
}

/** OnOpenLineMessageAdd for a message in the dialog's chat: {id, userId (author), text, files?, system?, date?}. */
function fireMessageAdd(portal, dialog, message, applicationToken) {
	const date = typeof message.date === 'number' ? isoWithOffset(message.date * 1000) : message.date ? String(message.date) : isoWithOffset(Date.now());
	const data = {
		DATA: [
			{
				connector: connectorBlock(dialog),
				chat: { id: String(dialog.chatId) },
				message: {
					id: String(message.id),
					date,
					text: String(message.text ?? ''),
					files: Array.isArray(message.files) ? message.files : [],
					attach: '',
					system: message.system ? 'Y' : 'N',
					user_id: String(message.userId ?? 0),
				},
				ref: [],
				extra: { EXTRA_URL: '' },
			},
		],
	};
	return fireAppEvent(portal, { event: 'ONOPENLINEMESSAGEADD', clientId: ownerOf(portal.state, dialog.connector), userId: Number(message.userId) > 0 ? Number(message.userId) : 1, data, applicationToken });
}

/** OnOpenLineMessageUpdate (kind 'update') / OnOpenLineMessageDelete (kind 'delete') of message `id` in the dialog's chat. */
function fireMessageChange(portal, dialog, kind, { id, userId }, applicationToken) {
	const data = {
		CONNECTOR: dialog.connector,
		LINE: String(dialog.line),
		DATA: [{ im: { chat_id: String(dialog.chatId), message_id: String(id) }, message: { id: String(id) }, chat: { id: String(dialog.chatId) } }],
	};
	return fireAppEvent(portal, {
		event: kind === 'delete' ? 'ONOPENLINEMESSAGEDELETE' : 'ONOPENLINEMESSAGEUPDATE',
		clientId: ownerOf(portal.state, dialog.connector),
		userId: Number(userId) > 0 ? Number(userId) : 1,
		data,
		applicationToken,
	});
}

/** Both delivery lists of two events caused by one action, as one promise. */
function both(a, b) {
	return Promise.all([a, b]).then(([x, y]) => [...x, ...y]);
}

module.exports = { fireSessionEvent, fireMessageAdd, fireMessageChange, sessionEventData, both };
