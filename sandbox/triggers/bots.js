'use strict';
/**
 * /sandbox/bots/:botId/* : what a portal user does with a bot, reported as v1 bot events (§4.6)
 * to the bot's EVENT_* URLs (or, for commands, the command's EVENT_COMMAND_ADD).
 */
const { fireBotEvent, botTokenBlock } = require('../botEvents');
const { deliver, eventAuth } = require('../events');
const { privateChat, storeMessage, COLORS } = require('../methods/imbot');
const { SandboxError } = require('./errors');

function botOf(state, botId) {
	const bot = state.bots.get(Number(botId));
	if (!bot) throw new SandboxError(404, `bot ${botId} not found`);
	return bot;
}

function userOf(state, body) {
	const id = body.userId === undefined ? 1 : Number(body.userId);
	const user = state.users.get(id);
	if (!user || user.IS_BOT) throw new SandboxError(400, `user ${body.userId} does not exist`);
	return user;
}

function userBlock(u) {
	return {
		ID: u.ID, NAME: `${u.NAME} ${u.LAST_NAME}`.trim(), FIRST_NAME: u.NAME, LAST_NAME: u.LAST_NAME, WORK_POSITION: u.WORK_POSITION || '',
		GENDER: u.PERSONAL_GENDER || 'M', IS_BOT: 'N', IS_CONNECTOR: u.IS_CONNECTOR ? 'Y' : 'N', IS_NETWORK: 'N', IS_EXTRANET: 'N',
	};
}

/** The chat a user writes to the bot in: the private dialog, or chatN where both are members. */
function chatOf(state, bot, user, dialogId) {
	if (dialogId === undefined || dialogId === '' || String(dialogId) === String(user.ID) || String(dialogId) === String(bot.ID)) {
		return privateChat(state, bot.ID, user.ID);
	}
	const m = /^chat(\d+)$/i.exec(String(dialogId));
	if (!m) throw new SandboxError(400, 'dialogId must be the user id or chatN');
	const chat = state.chats.get(Number(m[1]));
	if (!chat) throw new SandboxError(404, `chat ${m[1]} not found`);
	if (!chat.USERS.includes(bot.ID)) throw new SandboxError(400, `the bot is not a member of chat ${chat.ID}`);
	if (!chat.USERS.includes(user.ID)) throw new SandboxError(400, `user ${user.ID} is not a member of chat ${chat.ID}`);
	return chat;
}

/** data[PARAMS] of ONIMBOTMESSAGEADD / ONIMCOMMANDADD as the bot sees it. */
function messageParams(state, bot, user, chat, msg, text) {
	const isPrivate = chat.TYPE === 'P';
	const p = {
		MESSAGE: text,
		MESSAGE_ID: msg.ID,
		MESSAGE_TYPE: chat.TYPE,
		CHAT_TYPE: chat.TYPE,
		DIALOG_ID: isPrivate ? String(user.ID) : `chat${chat.ID}`,
		FROM_USER_ID: user.ID,
		TO_USER_ID: isPrivate ? bot.ID : 0,
		TO_CHAT_ID: chat.ID,
		AUTHOR_ID: user.ID,
		SYSTEM: 'N',
		COMMAND_CONTEXT: 'TEXTAREA',
		PLATFORM_CONTEXT: '',
		LANGUAGE: 'en',
		TEMPLATE_ID: '',
		PUSH: 'Y',
		SKIP_CONNECTOR: 'N',
		NO_SESSION_OL: 'N',
	};
	if (!isPrivate) {
		const botName = `${bot.PROPERTIES.NAME || ''} ${bot.PROPERTIES.LAST_NAME || ''}`.trim();
		Object.assign(p, {
			MESSAGE_ORIGINAL: `[USER=${bot.ID}]${botName}[/USER] ${text}`,
			CHAT_ID: chat.ID,
			CHAT_TITLE: chat.TITLE,
			CHAT_AUTHOR_ID: chat.OWNER,
			CHAT_ENTITY_TYPE: chat.ENTITY_TYPE,
			CHAT_ENTITY_ID: chat.ENTITY_ID,
			CHAT_ENTITY_DATA_1: '',
			CHAT_ENTITY_DATA_2: '',
			CHAT_ENTITY_DATA_3: '',
			CHAT_COLOR: COLORS[chat.COLOR] || COLORS.AZURE,
			CHAT_AVATAR: chat.AVATAR,
			CHAT_EXTRANET: 'N',
			CHAT_CAN_POST: 'MEMBER',
			CHAT_USER_COUNT: chat.USERS.length,
			MENTIONED_LIST: { [bot.ID]: bot.ID },
		});
	}
	return p;
}

async function userMessage(portal, botId, body) {
	const state = portal.state;
	const bot = botOf(state, botId);
	const user = userOf(state, body);
	if (body.text === undefined || String(body.text) === '') throw new SandboxError(400, 'text is required');
	const chat = chatOf(state, bot, user, body.dialogId);
	const text = String(body.text);
	const msg = storeMessage(state, chat, user.ID, { MESSAGE: text });
	const data = { PARAMS: messageParams(state, bot, user, chat, msg, text), USER: userBlock(user) };
	const deliveries = await fireBotEvent(portal, bot, 'EVENT_MESSAGE_ADD', 'ONIMBOTMESSAGEADD', data, { userId: user.ID, applicationToken: body.applicationToken, withBotBlock: true });
	return { messageId: msg.ID, chatId: chat.ID, dialogId: data.PARAMS.DIALOG_ID, deliveries };
}

async function userCommand(portal, botId, body) {
	const state = portal.state;
	const bot = botOf(state, botId);
	const user = userOf(state, body);
	const name = String(body.command || '').replace(/^\//, '').toLowerCase();
	if (!name) throw new SandboxError(400, 'command is required');
	const cmd = [...state.commands.values()].find((c) => c.BOT_ID === bot.ID && c.COMMAND === name);
	if (!cmd) throw new SandboxError(404, `bot ${bot.ID} has no command "${name}"`);
	const chat = chatOf(state, bot, user, body.dialogId);
	const cmdParams = body.params === undefined ? '' : String(body.params);
	const context = String(body.context || 'TEXTAREA').toUpperCase();
	const text = `/${name}${cmdParams ? ` ${cmdParams}` : ''}`;
	// A keyboard button (keyboard.js) runs the command on the bot's message: no new message is written.
	const msg = body.keyboardMessage || storeMessage(state, chat, user.ID, { MESSAGE: text });
	const params = messageParams(state, bot, user, chat, msg, text);
	params.COMMAND_CONTEXT = context;
	if (chat.TYPE !== 'P') params.BOT_IN_CHAT = 'Y';
	const tokenBlock = botTokenBlock(portal, bot, body.applicationToken);
	const data = {
		BOT: { [bot.ID]: tokenBlock },
		COMMAND: {
			[cmd.ID]: {
				...tokenBlock,
				BOT_ID: bot.ID,
				BOT_CODE: bot.CODE,
				COMMAND: cmd.COMMAND,
				COMMAND_ID: cmd.ID,
				COMMAND_PARAMS: cmdParams,
				COMMAND_CONTEXT: context,
				MESSAGE_ID: msg.ID,
			},
		},
		PARAMS: params,
		USER: userBlock(user),
	};
	const auth = eventAuth(portal, { clientId: bot.ownerKind === 'app' ? bot.clientId : null, userId: user.ID, applicationToken: body.applicationToken });
	const d = await deliver(portal, { url: cmd.EVENT_COMMAND_ADD, event: 'ONIMCOMMANDADD', handlerId: cmd.handlerId, data, auth });
	return { messageId: msg.ID, chatId: chat.ID, commandId: cmd.ID, deliveries: [d] };
}

async function join(portal, botId, body) {
	const state = portal.state;
	const bot = botOf(state, botId);
	const user = userOf(state, body);
	let params;
	let chat;
	if (body.chatId === undefined || body.chatId === '') {
		chat = privateChat(state, bot.ID, user.ID);
		params = { CHAT_TYPE: 'P', MESSAGE_TYPE: 'P', BOT_ID: bot.ID, USER_ID: user.ID, DIALOG_ID: String(user.ID), TO_USER_ID: bot.ID, FROM_USER_ID: user.ID, LANGUAGE: 'en' };
	} else {
		chat = state.chats.get(Number(String(body.chatId).replace(/^chat/i, '')));
		if (!chat || chat.TYPE === 'P') throw new SandboxError(404, `chat ${body.chatId} not found`);
		if (!chat.USERS.includes(user.ID)) chat.USERS.push(user.ID);
		if (!chat.USERS.includes(bot.ID)) chat.USERS.push(bot.ID);
		params = {
			CHAT_TYPE: chat.TYPE, MESSAGE_TYPE: chat.TYPE, BOT_ID: bot.ID, USER_ID: user.ID, DIALOG_ID: `chat${chat.ID}`, CHAT_ID: chat.ID,
			CHAT_AUTHOR_ID: chat.OWNER, CHAT_ENTITY_TYPE: chat.ENTITY_TYPE, CHAT_ENTITY_ID: chat.ENTITY_ID, ACCESS_HISTORY: 1, LANGUAGE: 'en',
		};
	}
	const data = { PARAMS: params, USER: userBlock(user) };
	const deliveries = await fireBotEvent(portal, bot, 'EVENT_WELCOME_MESSAGE', 'ONIMBOTJOINCHAT', data, { userId: user.ID, applicationToken: body.applicationToken, withBotBlock: true });
	return { chatId: chat.ID, dialogId: params.DIALOG_ID, deliveries };
}

function userMessageOf(state, bot, user, body) {
	const msg = state.messages.get(Number(body.messageId));
	if (!msg || msg.DELETED) throw new SandboxError(404, `message ${body.messageId} not found`);
	if (msg.AUTHOR_ID !== user.ID) throw new SandboxError(400, `message ${msg.ID} was not written by user ${user.ID}`);
	const chat = state.chats.get(msg.CHAT_ID);
	if (!chat || !chat.USERS.includes(bot.ID)) throw new SandboxError(400, 'the bot does not see this message');
	return { msg, chat };
}

function changeParams(bot, user, chat, msg) {
	const isPrivate = chat.TYPE === 'P';
	const p = {
		ID: msg.ID, MESSAGE_ID: msg.ID, CHAT_ID: chat.ID, AUTHOR_ID: user.ID, MESSAGE: msg.MESSAGE, MESSAGE_TYPE: chat.TYPE, CHAT_TYPE: chat.TYPE,
		DIALOG_ID: isPrivate ? String(user.ID) : `chat${chat.ID}`, FROM_USER_ID: user.ID, TO_USER_ID: isPrivate ? bot.ID : 0, LANGUAGE: 'en',
	};
	if (!isPrivate) Object.assign(p, { CHAT_TITLE: chat.TITLE, CHAT_AUTHOR_ID: chat.OWNER, MENTIONED_LIST: { [bot.ID]: bot.ID } });
	return p;
}

async function userEdit(portal, botId, body) {
	const state = portal.state;
	const bot = botOf(state, botId);
	const user = userOf(state, body);
	const { msg, chat } = userMessageOf(state, bot, user, body);
	if (body.text === undefined || String(body.text) === '') throw new SandboxError(400, 'text is required');
	msg.MESSAGE = String(body.text);
	msg.EDITED = true;
	const data = { PARAMS: changeParams(bot, user, chat, msg), USER: userBlock(user) };
	const deliveries = await fireBotEvent(portal, bot, 'EVENT_MESSAGE_UPDATE', 'ONIMBOTMESSAGEUPDATE', data, { userId: user.ID, applicationToken: body.applicationToken, withBotBlock: true });
	return { messageId: msg.ID, deliveries };
}

async function userDelete(portal, botId, body) {
	const state = portal.state;
	const bot = botOf(state, botId);
	const user = userOf(state, body);
	const { msg, chat } = userMessageOf(state, bot, user, body);
	msg.DELETED = true;
	msg.MESSAGE = 'This message was deleted.';
	const data = { PARAMS: changeParams(bot, user, chat, msg), USER: userBlock(user) };
	const deliveries = await fireBotEvent(portal, bot, 'EVENT_MESSAGE_DELETE', 'ONIMBOTMESSAGEDELETE', data, { userId: user.ID, applicationToken: body.applicationToken, withBotBlock: true });
	return { messageId: msg.ID, deliveries };
}

module.exports = {
	'user-message': userMessage,
	'user-command': userCommand,
	join,
	'user-edit': userEdit,
	'user-delete': userDelete,
};

/** The event builders, for the open-line routing (../lineBotRouting.js); not endpoints (the route takes [a-z-] names only). */
module.exports.messageParams = messageParams;
module.exports.userBlock = userBlock;
