'use strict';
/** imopenlines.operator.* (§3.2): the caller acts as the operator; and imopenlines.bot.session.*: the app's bot acts. */
const { finishSession, sendOperatorMessage } = require('../../connectorDialogs');
const { storeMessage } = require('../imbot/store');
const { isEmpty, flag, fail } = require('../util');
const S = require('./store');

/** handler(ctx, {chat, dialog, session, user}) for a dialog the caller may act on (CHAT_ID / CHAT_TYPE / ACCESS_DENIED). */
function asOperator(handler) {
	return (ctx) => {
		const found = S.lineChat(ctx.state, ctx.params);
		const user = S.checkAccess(ctx.state, ctx.auth, found.chat, found.dialog);
		return handler(ctx, { ...found, user });
	};
}

function finish(portal, dialog, session, options) {
	if (session.STATUS === 'closed') return true;
	S.close(portal.state, session, options);
	finishSession(portal, dialog);
	return true;
}

const denied = () => fail('ACCESS_DENIED', S.TEXT.ACCESS_DENIED);

const answer = asOperator(({ state }, { chat, dialog, session, user }) => {
	if (session.STATUS === 'closed') denied();
	if (!user.ADMIN && !S.isOperatorOfLine(state, user.ID, session.LINE_ID) && session.OPERATOR_ID !== user.ID) denied();
	if (session.BOT_ID) S.removeUser(chat, session.BOT_ID);
	session.BOT_WAITING = false;
	session.OPERATOR_ID = user.ID;
	session.STATUS = 'answered';
	S.addUser(chat, user.ID);
	return true;
});

const operatorFinish = asOperator(({ portal }, { dialog, session, user }) => {
	if (session.OPERATOR_ID !== user.ID && !user.ADMIN) denied();
	return finish(portal, dialog, session);
});

const anotherFinish = asOperator(({ portal }, { dialog, session, user }) => {
	if (!user.ADMIN) denied();
	return finish(portal, dialog, session);
});

const skip = asOperator(({ state }, { chat, session, user }) => {
	if (session.STATUS === 'closed') fail('ACCESS_DENIED_KICK', 'Insufficient permissions to remove participants from the chat');
	if (session.OPERATOR_ID !== user.ID) denied();
	const queue = (state.lines.get(session.LINE_ID) || {}).QUEUE || [];
	const at = queue.indexOf(user.ID);
	const next = [...queue.slice(at + 1), ...queue.slice(0, Math.max(at, 0))].find((u) => u !== user.ID) || 0;
	S.removeUser(chat, user.ID);
	session.OPERATOR_ID = next;
	session.STATUS = 'waiting';
	session.PINNED = false;
	S.addUser(chat, next);
	return true;
});

const spam = asOperator(({ portal }, { dialog, session, user }) => {
	if (session.OPERATOR_ID !== user.ID && !user.ADMIN) denied();
	return finish(portal, dialog, session, { spam: true });
});

function transfer({ state, params, auth }) {
	const { chat, dialog, session } = S.lineChat(state, params, { empty: 'CHAT_ID_EMPTY', unknown: 'OPERATOR_WRONG' });
	const target = S.transferTarget(state, params);
	const user = S.checkAccess(state, auth, chat, dialog, 'OPERATOR_WRONG');
	S.transferTo(state, session, target, { fromId: user.ID });
	if (session.OPERATOR_ID !== user.ID && !user.ADMIN) S.removeUser(chat, user.ID);
	return true;
}

/**
 * The caller's bot for a session: the OAuth app's, or (webhook) the one registered with CLIENT_ID (v1) or with that
 * botToken (v2). The session's own bot first. BOT_ID_ERROR when the caller has none.
 */
function callerBot({ state, auth, params }, session) {
	const ids = S.botsOf(state, auth, isEmpty(params.CLIENT_ID) ? null : String(params.CLIENT_ID));
	if (!ids.length) fail('BOT_ID_ERROR', 'Bot not found');
	return { ID: session && ids.includes(session.BOT_ID) ? session.BOT_ID : ids[0] };
}

/** The bot.session.* chat: CHAT_ID_EMPTY for none; WRONG_CHAT for a chat that is no open-line dialog. */
const botChat = (ctx) => S.lineChat(ctx.state, ctx.params, { empty: 'CHAT_ID_EMPTY', unknown: 'WRONG_CHAT' });

function botMessage(ctx) {
	const { portal, state, params } = ctx;
	const { chat, dialog, session } = botChat(ctx);
	const name = String(params.NAME || 'DEFAULT').toUpperCase();
	const line = state.lines.get(session.LINE_ID) || {};
	const text = name === 'WELCOME' ? line.WELCOME_MESSAGE_TEXT || '' : isEmpty(params.MESSAGE) ? '' : String(params.MESSAGE);
	if (!text) return true;
	const authorId = session.BOT_ID || 0;
	const msg = storeMessage(state, chat, authorId, { MESSAGE: text, SYSTEM: false });
	sendOperatorMessage(portal, dialog, { userId: authorId, text, messageId: msg.ID });
	return true;
}

function botOperator(ctx) {
	const { state } = ctx;
	const { chat, session } = botChat(ctx);
	if (session.STATUS !== 'bot') fail('WRONG_CHAT', S.TEXT.WRONG_CHAT);
	const queue = (state.lines.get(session.LINE_ID) || {}).QUEUE || [];
	S.removeUser(chat, session.BOT_ID);
	session.OPERATOR_ID = queue[0] || 0;
	session.STATUS = 'waiting';
	S.addUser(chat, session.OPERATOR_ID);
	return true;
}

function botTransfer(ctx) {
	const { state, params } = ctx;
	const { chat, session } = botChat(ctx);
	const target = S.transferTarget(state, params);
	const bot = callerBot(ctx, session);
	if (session.STATUS !== 'bot' || session.BOT_ID !== bot.ID) fail('OPERATOR_WRONG', S.TEXT.OPERATOR_WRONG);
	S.transferTo(state, session, target, { fromId: bot.ID });
	if (flag(params.LEAVE, false)) S.removeUser(chat, bot.ID);
	else session.BOT_WAITING = true;
	return true;
}

function botFinish(ctx) {
	const { portal } = ctx;
	const { dialog, session } = botChat(ctx);
	callerBot(ctx, session);
	return finish(portal, dialog, session);
}

module.exports = {
	'imopenlines.operator.answer': answer,
	'imopenlines.operator.finish': operatorFinish,
	'imopenlines.operator.another.finish': anotherFinish,
	'imopenlines.operator.skip': skip,
	'imopenlines.operator.spam': spam,
	'imopenlines.operator.transfer': transfer,
	'imopenlines.bot.session.message.send': botMessage,
	'imopenlines.bot.session.operator': botOperator,
	'imopenlines.bot.session.transfer': botTransfer,
	'imopenlines.bot.session.finish': botFinish,
};
