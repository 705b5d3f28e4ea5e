'use strict';
/** imconnector.* (§2.1): custom connectors of Open Channels. App context only (enforced in auth.js). */
const { BUILTIN_CONNECTORS, nextId } = require('../state');
const { isEmpty, toInt, asList, isPlainObject, fail, flag } = require('./util');
const { dialogForIncoming, findDialog } = require('../connectorDialogs');
const openLineEvents = require('../openLineEvents');

function registerFailure(code, description) {
	return { result: false, error: code, error_description: description };
}

function argNull(name) {
	fail('ERROR_ARGUMENT', `Argument '${name}' is null or empty`);
}

/** CONNECTOR (registered, custom) and LINE (int) of a message-family call. */
function connectorAndLine(state, params, { needActive }) {
	if (isEmpty(params.CONNECTOR)) argNull('CONNECTOR');
	if (isEmpty(params.LINE)) argNull('LINE');
	const connector = String(params.CONNECTOR).toLowerCase();
	const line = toInt(params.LINE);
	if (!state.connectors.has(connector)) fail('IMCONNECTOR_NO_CORRECT_PROVIDER', 'Incorrect connector provider specified');
	if (needActive) {
		const link = state.connectorLines.get(`${connector}|${line}`);
		if (!state.lines.has(line) || !link || !link.active) fail('NOT_ACTIVE_LINE', 'The connector is not active on this line');
	}
	return { connector, line, def: state.connectors.get(connector) };
}

function messageList(params) {
	if (isEmpty(params.MESSAGES)) argNull('MESSAGES');
	const list = asList(params.MESSAGES);
	if (!list) fail('ERROR_ARGUMENT', "The value of an argument 'MESSAGES' must be of type array");
	for (const m of list) if (!isPlainObject(m)) fail('ERROR_ARGUMENT', "The value of an argument 'MESSAGES' must be an array of messages (arrays)");
	return list;
}

function block(m, name) {
	return isPlainObject(m[name]) ? m[name] : {};
}

function register({ state, params, auth }) {
	if (isEmpty(params.ID)) return registerFailure('CONNECTOR_ID_REQUIRED', 'The connector ID is not specified');
	const id = String(params.ID).toLowerCase();
	if (id.includes('.')) return registerFailure('APPLICATION_REGISTRATION_ERROR_POINT', 'The connector ID must not contain a point');
	if (isEmpty(params.NAME)) return registerFailure('NAME_REQUIRED', 'The connector name is not specified');
	if (!isPlainObject(params.ICON) || isEmpty(params.ICON.DATA_IMAGE)) return registerFailure('ICON_REQUIRED', 'The connector icon (ICON[DATA_IMAGE]) is not specified');
	if (isEmpty(params.PLACEMENT_HANDLER)) return registerFailure('NO_PLACEMENT_HANDLER', 'PLACEMENT_HANDLER is not specified');
	if (!auth.clientId) return registerFailure('NO_APPLICATION_ID', 'Application ID is not defined');
	const existing = state.connectors.get(id);
	if (BUILTIN_CONNECTORS[id] || (existing && existing.owner !== auth.clientId)) {
		return registerFailure('APPLICATION_REGISTRATION_ERROR', 'A connector with this ID is already registered by another application');
	}
	state.connectors.set(id, {
		ID: id,
		NAME: String(params.NAME),
		ICON: params.ICON,
		ICON_DISABLED: isPlainObject(params.ICON_DISABLED) ? params.ICON_DISABLED : null,
		PLACEMENT_HANDLER: String(params.PLACEMENT_HANDLER),
		DEL_EXTERNAL_MESSAGES: flag(params.DEL_EXTERNAL_MESSAGES, true),
		EDIT_INTERNAL_MESSAGES: flag(params.EDIT_INTERNAL_MESSAGES, true),
		DEL_INTERNAL_MESSAGES: flag(params.DEL_INTERNAL_MESSAGES, true),
		NEWSLETTER: flag(params.NEWSLETTER, true),
		NEED_SYSTEM_MESSAGES: flag(params.NEED_SYSTEM_MESSAGES, true),
		NEED_SIGNATURE: flag(params.NEED_SIGNATURE, true),
		CHAT_GROUP: flag(params.CHAT_GROUP, false),
		owner: auth.clientId,
	});
	return { result: true };
}

function activate({ state, params }) {
	if (isEmpty(params.CONNECTOR)) argNull('CONNECTOR');
	if (isEmpty(params.LINE)) argNull('LINE');
	if (params.ACTIVE === undefined || params.ACTIVE === null) argNull('ACTIVE');
	const connector = String(params.CONNECTOR).toLowerCase();
	const line = toInt(params.LINE);
	if (!state.connectors.has(connector)) fail('IMCONNECTOR_NO_CORRECT_PROVIDER', 'Incorrect connector provider specified');
	if (!state.lines.has(line)) fail('NOT_ACTIVE_LINE', 'The open line does not exist');
	const raw = String(params.ACTIVE).trim().toUpperCase();
	const active = !(raw === '' || raw === '0' || raw === 'N' || raw === 'FALSE');
	const key = `${connector}|${line}`;
	const link = state.connectorLines.get(key) || { connector, line, active: false, data: null };
	link.active = active;
	state.connectorLines.set(key, link);
	return true;
}

function status({ state, params }) {
	if (isEmpty(params.CONNECTOR)) argNull('CONNECTOR');
	const connector = String(params.CONNECTOR).toLowerCase();
	const line = isEmpty(params.LINE) ? 0 : toInt(params.LINE);
	const link = state.connectorLines.get(`${connector}|${line}`);
	const configured = Boolean(link && link.active && state.lines.has(line));
	return {
		LINE: line,
		CONNECTOR: connector,
		ERROR: false,
		CONFIGURED: configured,
		STATUS: configured && Boolean(link.data),
	};
}

function dataSet({ state, params }) {
	if (isEmpty(params.CONNECTOR)) argNull('CONNECTOR');
	if (isEmpty(params.LINE)) argNull('LINE');
	if (!isPlainObject(params.DATA) || Object.keys(params.DATA).length === 0) argNull('DATA');
	const connector = String(params.CONNECTOR).toLowerCase();
	const line = toInt(params.LINE);
	if (!state.connectors.has(connector)) fail('IMCONNECTOR_NO_CORRECT_PROVIDER', 'Incorrect connector provider specified');
	const key = `${connector}|${line}`;
	const link = state.connectorLines.get(key) || { connector, line, active: false, data: null };
	link.data = { ...params.DATA }; // the whole DATA is replaced on each call
	state.connectorLines.set(key, link);
	return true;
}

function list({ state }) {
	const out = { ...BUILTIN_CONNECTORS };
	for (const c of state.connectors.values()) out[c.ID] = c.NAME;
	return out;
}

function unregister({ state, params, auth }) {
	if (isEmpty(params.ID)) return registerFailure('APPLICATION_UNREGISTRATION_ERROR', 'The connector ID is not specified');
	const id = String(params.ID).toLowerCase();
	const c = state.connectors.get(id);
	if (!c || c.owner !== auth.clientId) return registerFailure('APPLICATION_UNREGISTRATION_ERROR', 'The connector is not registered by this application');
	state.connectors.delete(id);
	for (const key of [...state.connectorLines.keys()]) if (key.startsWith(`${id}|`)) state.connectorLines.delete(key);
	return { result: true };
}

function echoMessage(msg) {
	const out = { id: msg.id !== undefined ? msg.id : '' };
	if (msg.date !== undefined) out.date = msg.date;
	if (msg.text !== undefined) out.text = msg.text;
	out.files = Array.isArray(msg.files) ? msg.files : asList(msg.files) || [];
	return out;
}

function sendMessages(ctx) {
	const { state, params, portal } = ctx;
	const { connector, line } = connectorAndLine(state, params, { needActive: true });
	const list = messageList(params);
	const RESULT = new Array(list.length);
	for (let i = 0; i < list.length; i++) {
		const m = list[i];
		const user = block(m, 'user');
		const message = block(m, 'message');
		const chat = block(m, 'chat');
		const errors = [];
		if (isEmpty(user.id)) errors.push('user.id is required');
		if (isEmpty(chat.id)) errors.push('chat.id is required');
		const files = asList(message.files) || [];
		if (isEmpty(message.text) && files.length === 0) errors.push('message.text or message.files is required');
		if (errors.length) {
			RESULT[i] = { message: echoMessage(message), chat: { id: chat.id !== undefined ? chat.id : '' }, SUCCESS: false, ERRORS: errors };
			continue;
		}
		const dialog = dialogForIncoming(portal, connector, line, chat, user);
		const stored = {
			id: nextId(state, 'message'),
			connector,
			line,
			externalChatId: String(chat.id),
			externalUserId: String(user.id),
			externalMessageId: message.id !== undefined ? String(message.id) : '',
			date: message.date !== undefined ? message.date : Math.floor(Date.now() / 1000),
			text: message.text !== undefined ? String(message.text) : '',
			files,
			userId: dialog.userId,
			operatorUserId: message.user_id !== undefined ? Number(message.user_id) : null,
			chatId: dialog.chatId,
			sessionId: dialog.sessionId,
			updated: false,
			deleted: false,
		};
		state.connectorMessages.push(stored);
		openLineEvents.fireMessageAdd(portal, dialog, { id: stored.id, userId: dialog.userId, text: stored.text, files, date: stored.date });
		require('../lineBotRouting').routeToWelcomeBot(portal, dialog, stored); // lazy: the routing needs the imbot methods
		if (stored.externalMessageId) state.connectorMessageIndex.set(`${connector}|${line}|${stored.externalChatId}|${stored.externalMessageId}`, stored);
		const c = state.chats.get(dialog.chatId);
		if (c) {
			c.MESSAGE_COUNT++;
			c.LAST_MESSAGE_ID = stored.id;
		}
		const extra = {};
		if (user.skip_phone_validate === 'Y') extra.skip_phone_validate = 'Y';
		if (message.disable_crm === 'Y') extra.disable_tracker = 'Y';
		const chatOut = { id: String(chat.id) };
		if (chat.name !== undefined) chatOut.name = chat.name;
		if (chat.url !== undefined) chatOut.url = chat.url;
		const el = { user: String(dialog.userId), message: echoMessage(message), chat: chatOut };
		if (Object.keys(extra).length) el.extra = extra;
		el.SUCCESS = true;
		el.session = { ID: String(dialog.sessionId), CHAT_ID: String(dialog.chatId) };
		RESULT[i] = el;
	}
	return { SUCCESS: true, DATA: { RESULT } };
}

function updateMessages({ portal, state, params }) {
	const { connector, line } = connectorAndLine(state, params, { needActive: true });
	const list = messageList(params);
	const RESULT = list.map((m) => {
		const message = block(m, 'message');
		const chat = block(m, 'chat');
		const errors = [];
		if (isEmpty(message.id)) errors.push('message.id is required');
		if (isEmpty(chat.id)) errors.push('chat.id is required');
		let stored;
		if (!errors.length) {
			stored = state.connectorMessageIndex.get(`${connector}|${line}|${chat.id}|${message.id}`);
			if (!stored || stored.deleted) errors.push('Message not found');
		}
		if (errors.length) return { message: echoMessage(message), chat: { id: chat.id !== undefined ? chat.id : '' }, SUCCESS: false, ERRORS: errors };
		if (message.text !== undefined) stored.text = String(message.text);
		if (message.files !== undefined) stored.files = asList(message.files) || [];
		stored.updated = true;
		const dialog = findDialog(state, connector, line, stored.externalChatId);
		if (dialog) openLineEvents.fireMessageChange(portal, dialog, 'update', { id: stored.id, userId: stored.userId });
		return { user: String(stored.userId), message: echoMessage(message), chat: { id: String(chat.id) }, SUCCESS: true };
	});
	return { SUCCESS: true, DATA: { RESULT } };
}

function deleteMessages({ portal, state, params }) {
	const { connector, line } = connectorAndLine(state, params, { needActive: true });
	const list = messageList(params);
	const RESULT = list.map((m) => {
		const message = block(m, 'message');
		const chat = block(m, 'chat');
		const stored = isEmpty(message.id) || isEmpty(chat.id) ? undefined : state.connectorMessageIndex.get(`${connector}|${line}|${chat.id}|${message.id}`);
		if (!stored || stored.deleted) {
			return { message: { id: message.id !== undefined ? message.id : '' }, chat: { id: chat.id !== undefined ? chat.id : '' }, SUCCESS: false, ERRORS: [isEmpty(message.id) || isEmpty(chat.id) ? 'message.id and chat.id are required' : 'Message not found'] };
		}
		stored.deleted = true;
		const dialog = findDialog(state, connector, line, stored.externalChatId);
		if (dialog) openLineEvents.fireMessageChange(portal, dialog, 'delete', { id: stored.id, userId: stored.userId });
		return { user: String(stored.userId), message: { id: message.id }, chat: { id: chat.id }, SUCCESS: true };
	});
	return { SUCCESS: true, DATA: { RESULT } };
}

function statusUpdate(kind) {
	return ({ state, params }) => {
		connectorAndLine(state, params, { needActive: false });
		const list = messageList(params);
		for (const m of list) {
			const im = block(m, 'im');
			const message = block(m, 'message');
			const op = state.operatorMessages.get(toInt(im.message_id));
			if (!op) continue;
			const ids = asList(message.id) || (message.id !== undefined ? [message.id] : []);
			for (const id of ids) if (!op.externalIds.includes(String(id))) op.externalIds.push(String(id));
			if (kind === 'delivery') op.delivered = true;
			op.read = true; // delivery also marks as read (§2.1)
		}
		return { SUCCESS: true, DATA: [] };
	};
}

function chatNameSet({ state, params }) {
	if (isEmpty(params.CONNECTOR)) argNull('CONNECTOR');
	if (isEmpty(params.LINE)) argNull('LINE');
	if (isEmpty(params.CHAT_ID)) argNull('CHAT_ID');
	if (isEmpty(params.NAME)) argNull('NAME');
	const { connector, line, def } = connectorAndLine(state, params, { needActive: true });
	if (!def.CHAT_GROUP && isEmpty(params.USER_ID)) argNull('USER_ID');
	const dialog = findDialog(state, connector, line, params.CHAT_ID);
	if (!dialog) fail('CHAT_RENAMING_FAILED', 'Failed to rename the chat: no such chat on this line');
	dialog.externalChatName = String(params.NAME);
	const chat = state.chats.get(dialog.chatId);
	if (chat) chat.TITLE = String(params.NAME);
	return { SUCCESS: true, DATA: { RESULT: {} } };
}

module.exports = {
	'imconnector.register': register,
	'imconnector.activate': activate,
	'imconnector.status': status,
	'imconnector.connector.data.set': dataSet,
	'imconnector.list': list,
	'imconnector.unregister': unregister,
	'imconnector.send.messages': sendMessages,
	'imconnector.update.messages': updateMessages,
	'imconnector.delete.messages': deleteMessages,
	'imconnector.send.status.delivery': statusUpdate('delivery'),
	'imconnector.send.status.reading': statusUpdate('reading'),
	'imconnector.chat.name.set': chatNameSet,
};
