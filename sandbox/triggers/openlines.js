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

/** The operator who has the dialog now (a user, not a bot), else user 1. */
function operatorOf(state, dialog) {
	const rec = state.olSessions && state.olSessions.get(dialog.sessionId);
	const id = rec && rec.STATUS !== 'bot' && rec.STATUS !== 'closed' ? rec.OPERATOR_ID : 0;
	const user = id > 0 ? state.users.get(id) : undefined;
	return user && !user.IS_BOT ? user.ID : 1;
}

async function operatorReply(portal, body) {
	const { dialog } = dialogOf(portal.state, body);
	if (body.text === undefined || String(body.text) === '') throw new SandboxError(400, 'text is required');
	const userId = body.userId === undefined ? operatorOf(portal.state, dialog) : Number(body.userId);
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

function nameOf(state, id) {
	const u = state.users.get(id);
	if (u) return `${u.NAME || ''} ${u.LAST_NAME || ''}`.trim();
	const v1 = state.bots.get(id);
	if (v1) return `${v1.PROPERTIES.NAME || ''} ${v1.PROPERTIES.LAST_NAME || ''}`.trim() || v1.CODE;
	const v2 = state.imbotV2 && state.imbotV2.bots.get(id);
	return v2 ? (v2.properties && v2.properties.name) || v2.code : '';
}

/**
 * GET /sandbox/openlines/sessions: every connector dialog with its current session, who has it (the welcome bot while
 * STATUS is 'bot', else the operator) and the messages of the chat, oldest first.
 */
function sessionsView(portal) {
	const state = portal.state;
	const { currentSession, chatMessages } = require('../methods/imopenlines/store');
	return {
		dialogs: [...state.dialogs.values()].map((d) => {
			const rec = currentSession(state, d);
			const holder = rec.STATUS === 'bot' ? rec.BOT_ID : rec.OPERATOR_ID;
			return {
				connector: d.connector, line: d.line, externalChatId: d.externalChatId, chatId: d.chatId, sessionId: d.sessionId,
				status: rec.STATUS, botId: rec.BOT_ID, operatorId: rec.OPERATOR_ID, heldBy: { id: holder, name: nameOf(state, holder), bot: rec.STATUS === 'bot' },
				messages: chatMessages(state, d.chatId).map((m) => ({ id: m.id, authorId: m.authorId, author: nameOf(state, m.authorId), text: m.text })),
			};
		}),
	};
}

const esc = (v) => String(v).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** GET /sandbox/openlines/view: the same as an HTML page (who has each dialog, and its messages). */
function sessionsPage(portal) {
	const rows = sessionsView(portal).dialogs.map((d) => `<section><h2>${esc(d.connector)} · line ${d.line} · chat ${esc(d.externalChatId)}</h2>`
		+ `<p class="holder">Session ${d.sessionId} (${esc(d.status)}): ${d.heldBy.bot ? 'bot' : 'operator'} <b>${esc(d.heldBy.name || d.heldBy.id)}</b> has the dialog</p>`
		+ `<ul>${d.messages.map((m) => `<li><b>${esc(m.author || m.authorId)}:</b> ${esc(m.text)}</li>`).join('')}</ul></section>`);
	return `<!doctype html><html><head><meta charset="utf-8"><title>Sandbox Open Channel dialogs</title><style>body{font:15px sans-serif;margin:24px}section{border:1px solid #ccc;border-radius:6px;padding:8px 16px;margin-bottom:12px}.holder{color:#236}</style></head>`
		+ `<body><h1>Open Channel dialogs</h1>${rows.join('') || '<p>No dialogs yet.</p>'}</body></html>`;
}

module.exports = {
	sessionsView,
	sessionsPage,
	'operator-reply': operatorReply,
	'operator-edit': operatorEdit,
	'operator-delete': operatorDelete,
	'dialog-start': dialogStart,
	'dialog-finish': dialogFinish,
	'status-delete': statusDelete,
	'line-delete': lineDelete,
};
