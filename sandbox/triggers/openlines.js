'use strict';
/**
 * /sandbox/openlines/* : what an operator or admin does in the portal UI, which Bitrix24 reports to the
 * connector's app as ONIMCONNECTOR* events (§2.2). Each call answers with the deliveries it made.
 */
const { findDialog, sendOperatorMessage, startSession, finishSession } = require('../connectorDialogs');
const { fireAppEvent } = require('../events');
const openLineEvents = require('../openLineEvents');
const { deleteLine } = require('../methods/imopenlines');
const { SandboxError } = require('./errors');

function connectorOf(state, body) {
	if (!body.connector) throw new SandboxError(400, 'connector is required');
	const id = String(body.connector).toLowerCase();
	const def = state.connectors.get(id);
	if (!def) throw new SandboxError(404, `connector "${id}" is not registered`);
	return def;
}

function lineOf(body) {
	const line = Number(body.line === undefined ? 1 : body.line);
	if (!Number.isInteger(line) || line <= 0) throw new SandboxError(400, 'line must be a positive integer');
	return line;
}

function dialogOf(state, body) {
	const def = connectorOf(state, body);
	const line = lineOf(body);
	if (body.chatId === undefined || body.chatId === '') throw new SandboxError(400, 'chatId (the external chat id) is required');
	const dialog = findDialog(state, def.ID, line, body.chatId);
	if (!dialog) throw new SandboxError(404, `no dialog for connector "${def.ID}", line ${line}, external chat "${body.chatId}" (send a customer message with imconnector.send.messages first)`);
	return { def, dialog };
}

function operatorMessage(state, dialog, body) {
	const id = Number(body.messageId);
	const msg = state.operatorMessages.get(id);
	if (!msg || msg.chatId !== dialog.chatId) throw new SandboxError(404, `operator message ${body.messageId} not found in this dialog`);
	return msg;
}

async function operatorReply(portal, body) {
	const { dialog } = dialogOf(portal.state, body);
	if (body.text === undefined || String(body.text) === '') throw new SandboxError(400, 'text is required');
	const userId = body.userId === undefined ? 1 : Number(body.userId);
	if (!portal.state.users.has(userId)) throw new SandboxError(400, `user ${body.userId} does not exist`);
	const { message, deliveries } = sendOperatorMessage(portal, dialog, { userId, text: body.text, applicationToken: body.applicationToken });
	return { chatId: dialog.chatId, messageId: message.id, deliveries: await deliveries };
}

async function operatorEdit(portal, body) {
	const { def, dialog } = dialogOf(portal.state, body);
	const msg = operatorMessage(portal.state, dialog, body);
	if (body.text === undefined) throw new SandboxError(400, 'text is required');
	msg.text = String(body.text);
	const data = {
		CONNECTOR: def.ID,
		LINE: String(dialog.line),
		MESSAGES: [{ im: { chat_id: String(dialog.chatId), message_id: String(msg.id) }, message: { id: msg.externalIds, text: msg.text }, chat: { id: dialog.externalChatId } }],
	};
	const deliveries = await openLineEvents.both(
		fireAppEvent(portal, { event: 'ONIMCONNECTORMESSAGEUPDATE', clientId: def.owner, userId: msg.userId, data, applicationToken: body.applicationToken }),
		openLineEvents.fireMessageChange(portal, dialog, 'update', { id: msg.id, userId: msg.userId }, body.applicationToken),
	);
	return { chatId: dialog.chatId, messageId: msg.id, deliveries };
}

async function operatorDelete(portal, body) {
	const { def, dialog } = dialogOf(portal.state, body);
	const msg = operatorMessage(portal.state, dialog, body);
	msg.deleted = true;
	const data = {
		CONNECTOR: def.ID,
		LINE: String(dialog.line),
		MESSAGES: [{ im: { chat_id: String(dialog.chatId), message_id: String(msg.id) }, message: { id: msg.externalIds }, chat: { id: dialog.externalChatId } }],
	};
	const deliveries = await openLineEvents.both(
		fireAppEvent(portal, { event: 'ONIMCONNECTORMESSAGEDELETE', clientId: def.owner, userId: msg.userId, data, applicationToken: body.applicationToken }),
		openLineEvents.fireMessageChange(portal, dialog, 'delete', { id: msg.id, userId: msg.userId }, body.applicationToken),
	);
	return { chatId: dialog.chatId, messageId: msg.id, deliveries };
}

async function dialogStart(portal, body) {
	const { dialog } = dialogOf(portal.state, body);
	const deliveries = await startSession(portal, dialog, body.applicationToken);
	return { chatId: dialog.chatId, sessionId: dialog.sessionId, deliveries };
}

async function dialogFinish(portal, body) {
	const { dialog } = dialogOf(portal.state, body);
	if (dialog.closed) throw new SandboxError(400, 'the dialog has no open session');
	const deliveries = await finishSession(portal, dialog, body.applicationToken);
	return { chatId: dialog.chatId, sessionId: dialog.sessionId, deliveries };
}

async function statusDelete(portal, body) {
	const def = connectorOf(portal.state, body);
	const line = lineOf(body);
	const link = portal.state.connectorLines.get(`${def.ID}|${line}`);
	if (link) link.active = false;
	const deliveries = await fireAppEvent(portal, { event: 'ONIMCONNECTORSTATUSDELETE', clientId: def.owner, data: { connector: def.ID, line }, applicationToken: body.applicationToken });
	return { deliveries };
}

async function lineDelete(portal, body) {
	const line = lineOf(body);
	const r = deleteLine(portal, line, body.applicationToken);
	if (!r.deleted) throw new SandboxError(404, `line ${line} does not exist`);
	return { deliveries: await r.deliveries };
}

module.exports = {
	'operator-reply': operatorReply,
	'operator-edit': operatorEdit,
	'operator-delete': operatorDelete,
	'dialog-start': dialogStart,
	'dialog-finish': dialogFinish,
	'status-delete': statusDelete,
	'line-delete': lineDelete,
};
