'use strict';
/** imopenlines.crm.* (§3.2), message.quick.save, network.join / network.message.add. */
const { sendOperatorMessage, findDialogByChatId } = require('../../connectorDialogs');
const { BUILTIN_CONNECTORS, nextId, lineConfig } = require('../../state');
const { storeMessage } = require('../imbot/store');
const { isEmpty, toInt, flag, isPlainObject, fail } = require('../util');
const S = require('./store');

const CRM_TYPES = new Set(['lead', 'deal', 'company', 'contact']);

function argument(name) {
	fail('ERROR_ARGUMENT', `Argument '${name}' is null or empty`);
}

/** CRM_ENTITY_TYPE + CRM_ENTITY → the stored CRM item (or a fresh, unbound one). `missing` = the code for no data. */
function crmItem(state, params, { missing } = {}) {
	if (missing && (isEmpty(params.CRM_ENTITY_TYPE) || isEmpty(params.CRM_ENTITY))) fail(missing, 'Empty CRM data');
	if (isEmpty(params.CRM_ENTITY_TYPE)) argument('CRM_ENTITY_TYPE');
	if (isEmpty(params.CRM_ENTITY)) argument('CRM_ENTITY');
	const id = toInt(params.CRM_ENTITY);
	if (!(id > 0)) fail('ERROR_ARGUMENT', 'The value of an argument \'CRM_ENTITY\' has an invalid type');
	const type = String(params.CRM_ENTITY_TYPE).toLowerCase();
	if (!CRM_TYPES.has(type)) fail('ACCESS_DENIED', 'Access denied! You don\'t have access to this action', 403);
	return S.crmStore(state).items.get(`${type}|${id}`) || { type, id, chatIds: [], missing: true };
}

function chatOfItem(state, item, params) {
	const chatId = isEmpty(params.CHAT_ID) ? item.chatIds[item.chatIds.length - 1] : S.chatIdOf(params.CHAT_ID);
	if (!chatId || !item.chatIds.includes(chatId) || !state.chats.get(chatId)) fail('CHAT_NOT_IN_CRM', 'Chat does not belong to the CRM object being checked');
	return state.chats.get(chatId);
}

function activeUser(state, params) {
	const user = state.users.get(toInt(params.USER_ID)) || state.bots.get(toInt(params.USER_ID));
	if (!user || user.ACTIVE === false) fail('CRM_CHAT_USER_NOT_ACTIVE', 'User not active');
	return user;
}

function leadCreate({ state, params, auth }) {
	const { chat, dialog, session } = S.lineChat(state, params);
	const user = S.checkAccess(state, auth, chat, dialog);
	if (session.OPERATOR_ID !== user.ID) fail('ERROR_USER_NOT_OPERATOR', 'Attempt to save a CRM object by a user who is not an operator');
	const crm = S.crmStore(state);
	if (!session.CRM_LEAD) {
		crm.seq += 1;
		session.CRM_LEAD = crm.seq;
		crm.items.set(`lead|${crm.seq}`, { type: 'lead', id: crm.seq, title: chat.TITLE, chatIds: [chat.ID], createdBy: user.ID });
	}
	return true;
}

function chatGet({ state, params }) {
	const item = crmItem(state, params);
	const activeOnly = flag(params.ACTIVE_ONLY, true);
	return item.chatIds
		.map((id) => ({ id, dialog: findDialogByChatId(state, id) }))
		.filter(({ dialog }) => dialog && (!activeOnly || !dialog.closed))
		.map(({ id, dialog }) => ({ CHAT_ID: String(id), CONNECTOR_ID: dialog.connector, CONNECTOR_TITLE: BUILTIN_CONNECTORS[dialog.connector] || (state.connectors.get(dialog.connector) || {}).NAME || dialog.connector }));
}

function lastId({ state, params }) {
	const item = crmItem(state, params, { missing: 'CRM_CHAT_EMPTY_CRM_DATA' });
	if (item.missing || !item.chatIds.length) fail('CRM_CHAT_EMPTY_CRM_DATA', 'Could not find CRM object');
	return item.chatIds[item.chatIds.length - 1];
}

function userAdd({ state, params }) {
	const item = crmItem(state, params);
	if (isEmpty(params.USER_ID)) argument('Empty USER_ID');
	const chat = chatOfItem(state, item, params);
	const user = activeUser(state, params);
	if (chat.USERS.includes(user.ID)) fail('WRONG_REQUEST', 'You don\'t have access or user already member in chat');
	S.addUser(chat, user.ID);
	return chat.ID;
}

function userDelete({ state, params }) {
	if (isEmpty(params.USER_ID)) fail('CRM_CHAT_EMPTY_USER', 'Empty User ID');
	const item = crmItem(state, params, { missing: 'CRM_CHAT_EMPTY_CRM_DATA' });
	const chat = chatOfItem(state, item, params);
	const user = activeUser(state, params);
	if (!chat.USERS.includes(user.ID)) fail('WRONG_REQUEST', 'You don\'t have access or user already not in chat');
	S.removeUser(chat, user.ID);
	return chat.ID;
}

function messageAdd({ portal, state, params }) {
	for (const name of ['CRM_ENTITY_TYPE', 'CRM_ENTITY', 'USER_ID', 'CHAT_ID', 'MESSAGE']) if (isEmpty(params[name])) argument(name);
	const item = crmItem(state, params);
	const chat = chatOfItem(state, item, params);
	const authorId = toInt(params.USER_ID);
	if (!chat.USERS.includes(authorId)) fail('CANCELED', 'You cannot send messages to the specified chat');
	const msg = storeMessage(state, chat, authorId, { MESSAGE: String(params.MESSAGE) });
	const dialog = findDialogByChatId(state, chat.ID);
	if (dialog) sendOperatorMessage(portal, dialog, { userId: authorId, text: msg.MESSAGE, messageId: msg.ID });
	return msg.ID;
}

function quickSave({ state, params, auth }) {
	const { chat, dialog } = S.lineChat(state, params);
	const user = S.checkAccess(state, auth, chat, dialog);
	if (!user.ADMIN && !S.isOperatorOfLine(state, user.ID, dialog.line)) fail('ACCESS_DENIED', 'Insufficient rights to open the specified chat');
	const message = S.chatMessages(state, chat.ID).find((m) => m.id === toInt(params.MESSAGE_ID));
	if (!message || !message.text) fail('CANT_SAVE_QUICK_ANSWER', 'Error saving quick answer');
	const answers = S.crmStore(state).quickAnswers;
	answers.push({ ID: answers.length + 1, LINE_ID: dialog.line, CHAT_ID: chat.ID, MESSAGE_ID: message.id, TEXT: message.text, USER_ID: user.ID });
	return true;
}

/** Bitrix24.Network lines the sandbox knows (code → line): the docs' example code, and one inactive line. */
const NETWORK_LINES = {
	ab515f5d85a8b844d484f6ea75a2e494: { name: 'Bitrix24 Network demo line', active: true },
	deadbeefdeadbeefdeadbeefdeadbeef: { name: 'Inactive network line', active: false },
};

function networkLine(params) {
	const code = isEmpty(params.CODE) ? '' : String(params.CODE).trim();
	if (code.length !== 32) fail('CODE', 'You entered an invalid code');
	const line = NETWORK_LINES[code];
	if (!line) fail('NOT_FOUND', 'Line not found');
	return { code, line };
}

function networkJoin({ state, params }) {
	const { code, line } = networkLine(params);
	if (!line.active) fail('INACTIVE', 'Openline is inactive');
	const joins = S.crmStore(state).networkJoins;
	if (!joins.has(code)) {
		const id = nextId(state, 'line');
		state.lines.set(id, lineConfig(id, { LINE_NAME: line.name, ACTIVE: 'Y' }));
		joins.set(code, id);
	}
	return joins.get(code);
}

const WEEK = 7 * 24 * 3600 * 1000;

function networkMessage({ state, params }) {
	const { code } = networkLine(params);
	if (isEmpty(params.USER_ID) || !(toInt(params.USER_ID) > 0)) fail('USER_ID_EMPTY', 'User ID can\'t be empty');
	if (isEmpty(params.MESSAGE)) fail('MESSAGE_EMPTY', 'Message can\'t be empty');
	if (params.ATTACH !== undefined && params.ATTACH !== '') {
		if (!Array.isArray(params.ATTACH) && !isPlainObject(params.ATTACH)) fail('ATTACH_ERROR', 'Incorrect attach params');
		if (Buffer.byteLength(JSON.stringify(params.ATTACH)) > 30 * 1024) fail('ATTACH_OVERSIZE', 'You have exceeded the maximum allowable size of attach');
	}
	if (params.KEYBOARD !== undefined && params.KEYBOARD !== '') {
		const buttons = Array.isArray(params.KEYBOARD) ? params.KEYBOARD : isPlainObject(params.KEYBOARD) ? params.KEYBOARD.BUTTONS : null;
		if (!Array.isArray(buttons) || buttons.some((b) => !isPlainObject(b) || (b.TYPE !== 'NEWLINE' && (!b.TEXT || !b.LINK)))) fail('KEYBOARD_ERROR', 'Incorrect keyboard params');
	}
	const userId = toInt(params.USER_ID);
	if (!state.users.has(userId)) fail('WRONG_REQUEST', 'Message isn\'t added');
	const sent = S.crmStore(state).networkMessages;
	if (sent.some((m) => m.code === code && m.userId === userId && Date.now() - m.at < WEEK)) fail('USER_MESSAGE_LIMIT', 'You can\'t send more than one message per week to each user');
	sent.push({ code, userId, text: String(params.MESSAGE), urlPreview: flag(params.URL_PREVIEW, true), at: Date.now() });
	return true;
}

const methods = {
	'imopenlines.crm.lead.create': leadCreate,
	'imopenlines.crm.chat.get': chatGet,
	'imopenlines.crm.chat.getLastId': lastId,
	'imopenlines.crm.chat.user.add': userAdd,
	'imopenlines.crm.chat.user.delete': userDelete,
	'imopenlines.crm.message.add': messageAdd,
	'imopenlines.message.quick.save': quickSave,
	'imopenlines.network.join': networkJoin,
	'imopenlines.network.message.add': networkMessage,
};

module.exports = { methods, NETWORK_LINES };
