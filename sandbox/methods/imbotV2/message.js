'use strict';
/**
 * imbot.v2.Chat.Message.* (imbot.v2/messages/*.md). Attach and keyboard are checked by the v1 rules
 * (../imbot/message.js newContent: ATTACH_ERROR, KEYBOARD_ERROR, *_OVERSIZE at 30 KB).
 */
const { storeMessage } = require('../imbot/store');
const { newContent, forwardToConnector } = require('../imbot/message');
const { isEmpty, toInt, flag, isPlainObject, fail } = require('../util');
const { v2, chatMessages, markRead, lastRead, unreadCount, roleOf } = require('./store');
const { chatObject, messageObject, usersOf, userObject } = require('./shapes');
const { deny, visibleMessage } = require('./access');
const { emitBot, emitUsers } = require('./eventQueue');

const MAX_TEXT = 20000;
const MAX_FORWARDS = 100;
const REACTIONS = [
	'like', 'dislike', 'faceWithTearsOfJoy', 'redHeart', 'neutralFace', 'fire', 'cry', 'slightlySmilingFace', 'winkingFace', 'laugh',
	'kiss', 'wonder', 'slightlyFrowningFace', 'loudlyCryingFace', 'faceWithStuckOutTongue', 'faceWithStuckOutTongueAndWinkingEye',
	'smilingFaceWithSunglasses', 'confusedFace', 'flushedFace', 'thinkingFace', 'angry', 'smilingFaceWithHorns', 'faceWithThermometer',
	'facepalm', 'poo', 'flexedBiceps', 'clappingHands', 'raisedHand', 'smilingFaceWithHeartEyes', 'smilingFaceWithHearts', 'pleadingFace',
	'relievedFace', 'foldedHands', 'okHand', 'signHorns', 'loveYouGesture', 'clownFace', 'partyingFace', 'questionMark', 'exclamationMark',
	'lightBulb', 'bomb', 'sleepingSymbol', 'crossMark', 'whiteHeavyCheckMark', 'eyes', 'handshake', 'hundredPoints',
];

/** fields.message: at most 20,000 characters; a longer text is cut and ends with " (...)". */
function textOf(value) {
	const s = value === undefined || value === null ? '' : String(value).trim();
	return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 6)} (...)` : s;
}

/** attach / keyboard as v1 stores them: undefined keeps, null ("N" or "") removes. */
function richOf(f) {
	const { ATTACH, KEYBOARD } = newContent('-', { ATTACH: f.attach, KEYBOARD: f.keyboard });
	return { ATTACH, KEYBOARD };
}

/**
 * ONIMV2* for a message event to every subscribed member, the author included: im.v2/events/events.md says "a new
 * message in the chat that the subscribed user is part of" and names no exception (⚠ whether Bitrix24 records a
 * user's own messages is not stated; the Messenger Trigger drops them by option).
 */
function tellUsers(portal, chat, type, msg, authorId) {
	const state = portal.state;
	const author = state.users.get(authorId);
	const body = type === 'ONIMV2MESSAGEDELETE' ? () => ({ messageId: msg.ID }) : () => ({ message: messageObject(state, msg, undefined, { forEvent: true }) });
	emitUsers(portal, chat, type, (viewer) => ({ ...body(), chat: chatObject(state, chat, viewer, { forEvent: true }), user: author ? userObject(author) : null }));
}

/**
 * A bot message into a chat (Message.send, Command.answer, File.upload). `system` messages have authorId 0.
 * Returns the stored message.
 */
function postMessage(portal, bot, chat, f, { system = flag(f.system), extra = {} } = {}) {
	const text = textOf(f.message);
	const content = text || !isEmpty(f.attach) ? newContent(text, { ATTACH: f.attach, KEYBOARD: f.keyboard }) : { MESSAGE: '' };
	const msg = storeMessage(portal.state, chat, system ? 0 : bot.id, { ...content, SYSTEM: system, URL_PREVIEW: flag(f.urlPreview, true) });
	Object.assign(msg, { SENT_BY: bot.id, REPLY_ID: toInt(f.replyId) > 0 ? toInt(f.replyId) : 0, UUID: isEmpty(f.templateId) ? '' : String(f.templateId), ...extra });
	bot.countMessage++;
	forwardToConnector(portal, chat, msg, flag(f.skipConnector));
	tellUsers(portal, chat, 'ONIMV2MESSAGEADD', msg, bot.id);
	return msg;
}

/** forwardIds {uuid: messageId} -> copies in `chat`; each source must be in a chat the bot is in. */
function forwards(portal, bot, chat, value) {
	const state = portal.state;
	const entries = isPlainObject(value) ? Object.entries(value) : [];
	if (entries.length > MAX_FORWARDS) fail('SENDING_FAILED', `At most ${MAX_FORWARDS} messages can be forwarded`);
	const sources = entries.map(([uuid, id]) => {
		const src = state.messages.get(toInt(id));
		const from = src && state.chats.get(src.CHAT_ID);
		if (!src || !from || !from.USERS.includes(bot.id)) deny('ACCESS_DENIED', `Message ${id} cannot be forwarded by the bot`);
		return [uuid, src];
	});
	const uuidMap = {};
	for (const [uuid, src] of sources) {
		const copy = storeMessage(state, chat, bot.id, { MESSAGE: src.MESSAGE, ATTACH: src.ATTACH });
		Object.assign(copy, { UUID: uuid, SENT_BY: bot.id, FORWARD: { id: src.ID, userId: src.AUTHOR_ID, chatId: src.CHAT_ID, date: src.DATE } });
		bot.countMessage++;
		uuidMap[uuid] = copy.ID;
	}
	return uuidMap;
}

function send(ctx, bot, chat) {
	const f = isPlainObject(ctx.params.fields) ? ctx.params.fields : {};
	const hasForwards = isPlainObject(f.forwardIds) && Object.keys(f.forwardIds).length > 0;
	if (!textOf(f.message) && isEmpty(f.attach) && !hasForwards) fail('EMPTY_MESSAGE', 'Message is empty');
	const msg = textOf(f.message) || !isEmpty(f.attach) ? postMessage(ctx.portal, bot, chat, f) : null;
	const uuidMap = hasForwards ? forwards(ctx.portal, bot, chat, f.forwardIds) : {};
	return { id: msg ? msg.ID : Object.values(uuidMap)[0], uuidMap };
}

/** The bot's own message (system messages have authorId 0 and are nobody's). */
function ownMessage(ctx, bot) {
	const found = visibleMessage(ctx, bot);
	if (found.msg.AUTHOR_ID !== bot.id || found.msg.DELETED) deny('ACCESS_DENIED', 'The bot can only change its own messages');
	return found;
}

function update(ctx, bot) {
	const f = ctx.params.fields;
	if (!isPlainObject(f) || !Object.keys(f).length) fail('PARAMS_REQUIRED', 'Required parameter "fields" is missing');
	const { msg, chat } = ownMessage(ctx, bot);
	const { ATTACH, KEYBOARD } = richOf(f);
	if (f.message !== undefined) msg.MESSAGE = textOf(f.message);
	if (ATTACH !== undefined) msg.ATTACH = ATTACH;
	if (KEYBOARD !== undefined) msg.KEYBOARD = KEYBOARD;
	if (f.urlPreview !== undefined) msg.URL_PREVIEW = flag(f.urlPreview, true) ? 'Y' : 'N';
	msg.EDITED = true;
	tellUsers(ctx.portal, chat, 'ONIMV2MESSAGEUPDATE', msg, bot.id);
	return { result: true };
}

function remove(ctx, bot) {
	const { msg, chat } = visibleMessage(ctx, bot);
	const role = roleOf(chat, bot.id);
	if (msg.AUTHOR_ID !== bot.id && role !== 'owner' && role !== 'manager') deny('ACCESS_DENIED', 'The message does not belong to the bot and the bot is not an administrator of the chat');
	if (flag(ctx.params.complete)) ctx.state.messages.delete(msg.ID);
	else Object.assign(msg, { DELETED: true, MESSAGE: 'This message was deleted.' });
	tellUsers(ctx.portal, chat, 'ONIMV2MESSAGEDELETE', msg, msg.AUTHOR_ID);
	return { result: true };
}

function read(ctx, bot, chat) {
	const { state, params } = ctx;
	let upTo = chat.LAST_MESSAGE_ID;
	if (!isEmpty(params.messageId)) {
		const msg = state.messages.get(toInt(params.messageId));
		if (!msg || msg.CHAT_ID !== chat.ID) fail('MESSAGE_NOT_FOUND', 'Message not found');
		upTo = msg.ID;
	}
	const viewedMessages = markRead(state, chat, bot.id, upTo);
	return { chatId: chat.ID, lastId: lastRead(state, chat.ID, bot.id), counter: unreadCount(state, chat, bot.id), viewedMessages };
}

function watcher(bot) {
	if (bot.type !== 'supervisor' && bot.type !== 'personal') deny('BOT_TYPE_NOT_ALLOWED', 'Method available only for supervisor and personal bots');
}

function get(ctx, bot) {
	watcher(bot);
	const { msg } = visibleMessage(ctx, bot, { missing: 'MESSAGE_NOT_FOUND' });
	const author = ctx.state.users.get(msg.AUTHOR_ID);
	return { message: messageObject(ctx.state, msg, bot.id), user: author ? userObject(author) : null };
}

function getContext(ctx, bot) {
	watcher(bot);
	const { state, params } = ctx;
	const { msg, chat } = visibleMessage(ctx, bot, { missing: 'MESSAGE_NOT_FOUND', hidden: 'MESSAGE_ACCESS_DENIED' });
	const range = Math.min(50, Math.max(1, toInt(params.range) > 0 ? toInt(params.range) : 50));
	const all = chatMessages(state, chat.ID);
	const i = all.findIndex((m) => m.ID === msg.ID);
	const window = all.slice(Math.max(0, i - range), i + range + 1);
	return {
		messages: window.map((m) => messageObject(state, m, bot.id)), users: usersOf(state, window.map((m) => m.AUTHOR_ID)),
		hasPrevPage: i - range > 0, hasNextPage: i + range < all.length - 1,
	};
}

/** A reaction was set or removed by `userId`: ONIMBOTV2REACTIONCHANGE to the v2 bot that wrote the message, ONIMV2* to users. */
function reactionChanged(portal, msg, chat, userId, reaction, action, opts = {}) {
	const state = portal.state;
	const user = state.users.get(userId);
	const build = (viewer) => ({ reaction, action, message: messageObject(state, msg, undefined, { forEvent: true }), chat: chatObject(state, chat, viewer, { forEvent: true }), user: user ? userObject(user) : null });
	emitUsers(portal, chat, 'ONIMV2REACTIONCHANGE', build);
	const author = v2(state).bots.get(msg.SENT_BY || msg.AUTHOR_ID);
	if (!author || author.id === userId || !author.isReactionsEnabled) return Promise.resolve(null);
	return emitBot(portal, author, 'ONIMBOTV2REACTIONCHANGE', build, { userId, ...opts });
}

/** Sets (`add`) or removes the user's reaction on msg; REACTION_NOT_FOUND for an unknown code. */
function toggleReaction(msg, userId, reaction, add) {
	if (!REACTIONS.includes(reaction)) fail('REACTION_NOT_FOUND', 'Reaction not found');
	const reactions = msg.REACTIONS || (msg.REACTIONS = {});
	const users = reactions[reaction] || [];
	if (add && users.includes(userId)) fail('REACTION_ALREADY_SET', 'Reaction already set');
	reactions[reaction] = add ? [...users, userId] : users.filter((u) => u !== userId);
	if (!reactions[reaction].length) delete reactions[reaction];
	return users.includes(userId) !== add;
}

function reaction(add) {
	return (ctx, bot) => {
		const { msg, chat } = visibleMessage(ctx, bot);
		const code = isEmpty(ctx.params.reaction) ? '' : String(ctx.params.reaction);
		if (toggleReaction(msg, bot.id, code, add)) reactionChanged(ctx.portal, msg, chat, bot.id, code, add ? 'add' : 'delete').catch(() => {});
		return { result: true };
	};
}

module.exports = {
	send, update, remove, read, get, getContext, reactionAdd: reaction(true), reactionDelete: reaction(false),
	postMessage, textOf, tellUsers, reactionChanged, toggleReaction, REACTIONS,
};
