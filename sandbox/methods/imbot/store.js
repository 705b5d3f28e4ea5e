'use strict';
/** imbot chats and messages in the portal state, shared by the imbot methods and the bot triggers. */
const { nextId } = require('../../state');
const { isoWithOffset } = require('../../envelope');
const { toInt, fail } = require('../util');

const COLORS = {
	RED: '#df532d', GREEN: '#29ad49', MINT: '#4ba984', LIGHT_BLUE: '#4ba5c3', DARK_BLUE: '#3e99ce', PURPLE: '#8474c8',
	AQUA: '#1eb4aa', PINK: '#f76187', LIME: '#58cc47', BROWN: '#ab7761', AZURE: '#29619b', KHAKI: '#728f7a',
	SAND: '#ba9c7b', MARENGO: '#556574', GRAY: '#909090', GRAPHITE: '#5c5c5c',
};

function privateChat(state, a, b) {
	const key = a < b ? `${a}|${b}` : `${b}|${a}`;
	let id = state.privateChats.get(key);
	if (id === undefined) {
		id = nextId(state, 'chat');
		state.privateChats.set(key, id);
		state.chats.set(id, {
			ID: id, TYPE: 'P', TITLE: '', DESCRIPTION: '', COLOR: 'AZURE', AVATAR: '', OWNER: 0, USERS: [a, b], MANAGERS: [],
			ENTITY_TYPE: '', ENTITY_ID: '', DATE_CREATE: isoWithOffset(Date.now()), MESSAGE_COUNT: 0, LAST_MESSAGE_ID: 0,
		});
	}
	return state.chats.get(id);
}

/** DIALOG_ID ("27" or "chat15") -> chat, as seen by `userId`. Errors: `missingCode` when the dialog is unknown. */
function chatForDialog(state, userId, dialogId, missingCode = 'WRONG_REQUEST') {
	const d = String(dialogId);
	const m = /^chat(\d+)$/i.exec(d);
	if (m) {
		const chat = state.chats.get(Number(m[1]));
		if (!chat) fail(missingCode, 'Chat not found');
		return chat;
	}
	const other = toInt(d);
	if (!(other > 0) || !state.users.has(other)) fail(missingCode, 'Dialog not found');
	return privateChat(state, userId, other);
}

function dialogIdOf(chat, viewerId) {
	if (chat.TYPE === 'P') return String(chat.USERS.find((u) => u !== viewerId) || viewerId);
	return `chat${chat.ID}`;
}

function storeMessage(state, chat, authorId, fields) {
	const id = nextId(state, 'message');
	const msg = {
		ID: id, CHAT_ID: chat.ID, AUTHOR_ID: authorId, MESSAGE: fields.MESSAGE || '',
		ATTACH: fields.ATTACH || null, KEYBOARD: fields.KEYBOARD || null, MENU: fields.MENU || null,
		SYSTEM: fields.SYSTEM ? 'Y' : 'N', URL_PREVIEW: fields.URL_PREVIEW === false ? 'N' : 'Y',
		DATE: isoWithOffset(Date.now()), LIKES: [], EDITED: false, DELETED: false,
	};
	state.messages.set(id, msg);
	chat.MESSAGE_COUNT++;
	chat.LAST_MESSAGE_ID = id;
	return msg;
}

module.exports = { COLORS, privateChat, chatForDialog, dialogIdOf, storeMessage };
