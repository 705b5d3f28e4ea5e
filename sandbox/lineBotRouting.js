'use strict';
/**
 * A customer message on an Open Channel line reaches the line's welcome bot while the session is with the bot
 * (STATUS 'bot', see methods/imopenlines/store.js): a v1 bot gets ONIMBOTMESSAGEADD at its EVENT_MESSAGE_ADD URL, a v2
 * bot gets ONIMBOTV2MESSAGEADD in its imbot.v2.Event.get queue (fetch) or POSTed (webhook). Once the session is handed
 * to an operator (imopenlines.bot.session.operator / .transfer, operator.answer, session.intercept) the bot gets nothing
 * more from that session. The bot's answer (imbot.message.add / imbot.v2.Chat.Message.send into the line chat) goes
 * out to the connector like an operator reply (methods/imbot/message.js forwardToConnector).
 */
const { fireBotEvent } = require('./botEvents');
const { messageParams, userBlock } = require('./triggers/bots');
const { currentSession } = require('./methods/imopenlines/store');
const { v2 } = require('./methods/imbotV2/store');
const { chatObject, messageObject, userObject } = require('./methods/imbotV2/shapes');
const { emitBot } = require('./methods/imbotV2/eventQueue');

/** The message as the chat stores it (the shape the v1/v2 event builders read). */
function chatMessage(chat, stored) {
	return {
		ID: stored.id, CHAT_ID: chat.ID, AUTHOR_ID: stored.userId, MESSAGE: stored.text, ATTACH: null, KEYBOARD: null, MENU: null,
		SYSTEM: 'N', URL_PREVIEW: 'Y', DATE: new Date(Number(stored.date) * 1000 || Date.now()).toISOString(), LIKES: [], EDITED: false, DELETED: false,
	};
}

function toV1Bot(portal, bot, chat, user, msg) {
	const params = messageParams(portal.state, bot, user, chat, msg, msg.MESSAGE);
	// In an open-line chat the customer does not mention the bot: the bot answers every message of its session.
	params.MESSAGE_ORIGINAL = msg.MESSAGE;
	delete params.MENTIONED_LIST;
	return fireBotEvent(portal, bot, 'EVENT_MESSAGE_ADD', 'ONIMBOTMESSAGEADD', { PARAMS: params, USER: userBlock(user) }, { userId: user.ID, withBotBlock: true });
}

function toV2Bot(portal, bot, chat, user, msg) {
	const state = portal.state;
	bot.users.add(user.ID);
	const build = (viewer) => ({ message: messageObject(state, msg, undefined, { forEvent: true }), chat: chatObject(state, chat, viewer, { forEvent: true }), user: userObject(user) });
	return emitBot(portal, bot, 'ONIMBOTV2MESSAGEADD', build, { userId: user.ID }).then((r) => [r]);
}

/**
 * Routes the customer's stored connector message (imconnector.send.messages) to the welcome bot of the session, if the
 * session is with a bot. Returns a promise of what was sent (empty when nothing was).
 */
function routeToWelcomeBot(portal, dialog, stored) {
	const state = portal.state;
	const line = state.lines.get(dialog.line);
	if (!line || line.WELCOME_BOT_ENABLE !== 'Y') return Promise.resolve([]);
	const session = currentSession(state, dialog);
	if (session.STATUS !== 'bot' || !session.BOT_ID) return Promise.resolve([]);
	const chat = state.chats.get(dialog.chatId);
	const user = state.users.get(dialog.userId);
	if (!chat || !user) return Promise.resolve([]);
	const msg = chatMessage(chat, stored);
	const v1 = state.bots.get(session.BOT_ID);
	if (v1) return toV1Bot(portal, v1, chat, user, msg);
	const bot = state.imbotV2 ? v2(state).bots.get(session.BOT_ID) : undefined;
	return bot ? toV2Bot(portal, bot, chat, user, msg) : Promise.resolve([]);
}

module.exports = { routeToWelcomeBot };
