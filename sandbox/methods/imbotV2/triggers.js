'use strict';
/**
 * What a portal user does with a v2 bot, as ONIMBOTV2* events (queued for fetch bots, POSTed for webhook bots).
 * In-process: require('./sandbox/methods/imbotV2/triggers')['user-message'](sb.portal, botId, body);
 * over HTTP: POST /sandbox/v2/bots/:botId/<name> with the same JSON body (see sandbox/README.md).
 * Every trigger answers { …ids, events: [{botId, type, eventId?}], deliveries: [{url, event, status, body}] }.
 * A message in a group chat also goes to the chat's supervisor/personal v2 bots (they see everything).
 */
const { RestError } = require('../../envelope');
const { privateChat, storeMessage } = require('../imbot/store');
const { SandboxError } = require('../../triggers/errors');
const { v2 } = require('./store');
const { chatObject, messageObject, userObject } = require('./shapes');
const { emitBot } = require('./eventQueue');
const { tellUsers, reactionChanged, toggleReaction } = require('./message');
const { storeFile } = require('./files');

function botOf(portal, botId) {
	const bot = v2(portal.state).bots.get(Number(botId));
	if (!bot) throw new SandboxError(404, `v2 bot ${botId} not found`);
	return bot;
}

function userOf(portal, body) {
	const id = body.userId === undefined ? 1 : Number(body.userId);
	const user = portal.state.users.get(id);
	if (!user || user.IS_BOT) throw new SandboxError(400, `user ${body.userId} does not exist`);
	return user;
}

/** The private chat of bot and user, or chatN where both are members. */
function chatOf(portal, bot, user, dialogId) {
	if (dialogId === undefined || dialogId === '' || String(dialogId) === String(user.ID) || String(dialogId) === String(bot.id)) return privateChat(portal.state, bot.id, user.ID);
	const m = /^chat(\d+)$/i.exec(String(dialogId));
	if (!m) throw new SandboxError(400, 'dialogId must be the user id or chatN');
	const chat = portal.state.chats.get(Number(m[1]));
	if (!chat) throw new SandboxError(404, `chat ${m[1]} not found`);
	if (!chat.USERS.includes(bot.id) || !chat.USERS.includes(user.ID)) throw new SandboxError(400, `bot ${bot.id} and user ${user.ID} must both be members of chat ${chat.ID}`);
	return chat;
}

/** The user's message in a chat the bot sees (for edit, delete, reaction). */
function messageOf(portal, bot, body, { own = true, user } = {}) {
	const msg = portal.state.messages.get(Number(body.messageId));
	if (!msg || msg.DELETED) throw new SandboxError(404, `message ${body.messageId} not found`);
	if (own && msg.AUTHOR_ID !== user.ID) throw new SandboxError(400, `message ${msg.ID} was not written by user ${user.ID}`);
	const chat = portal.state.chats.get(msg.CHAT_ID);
	if (!chat || !chat.USERS.includes(bot.id)) throw new SandboxError(400, 'the bot does not see this message');
	return { msg, chat };
}

/** The bot named, plus the supervisor/personal v2 bots of a group chat. */
function audience(portal, bot, chat) {
	if (chat.TYPE === 'P') return [bot];
	const watchers = chat.USERS.map((u) => v2(portal.state).bots.get(u)).filter((b) => b && b !== bot && (b.type === 'supervisor' || b.type === 'personal'));
	return [bot, ...watchers];
}

/** Sends `type` to the bots and collects what happened. */
async function fire(portal, bots, type, build, user, body) {
	for (const b of bots) b.users.add(user.ID);
	const results = await Promise.all(bots.map((b) => emitBot(portal, b, type, build, { userId: user.ID, applicationToken: body.applicationToken })));
	const done = results.filter(Boolean);
	return {
		events: done.map(({ botId, eventId, type: t }) => (eventId === undefined ? { botId, type: t } : { botId, type: t, eventId })),
		deliveries: done.filter((r) => r.delivery).map((r) => r.delivery),
	};
}

function messageEvent(portal, msg, chat, user) {
	const state = portal.state;
	return (viewer) => ({ message: messageObject(state, msg, undefined, { forEvent: true }), chat: chatObject(state, chat, viewer, { forEvent: true }), user: userObject(user) });
}

/** Stores the user's message (with body.file {name, content} as a file) and tells the subscribed users. */
function writeMessage(portal, chat, user, text, file) {
	if (!file) {
		const msg = storeMessage(portal.state, chat, user.ID, { MESSAGE: text });
		tellUsers(portal, chat, 'ONIMV2MESSAGEADD', msg, user.ID);
		return msg;
	}
	const ctx = { portal, state: portal.state, params: { fields: { ...file, message: text } } };
	let msg;
	try {
		storeFile(ctx, chat, user.ID, (t, id) => {
			msg = storeMessage(portal.state, chat, user.ID, { MESSAGE: t });
			msg.FILE_IDS = [id];
			return msg;
		});
	} catch (e) {
		if (e instanceof RestError) throw new SandboxError(400, `${e.code}: ${e.description}`);
		throw e;
	}
	tellUsers(portal, chat, 'ONIMV2MESSAGEADD', msg, user.ID);
	return msg;
}

async function userMessage(portal, botId, body) {
	const bot = botOf(portal, botId);
	const user = userOf(portal, body);
	if ((body.text === undefined || body.text === '') && !body.file) throw new SandboxError(400, 'text (or file) is required');
	const chat = chatOf(portal, bot, user, body.dialogId);
	const msg = writeMessage(portal, chat, user, body.text === undefined ? '' : String(body.text), body.file);
	const out = await fire(portal, audience(portal, bot, chat), 'ONIMBOTV2MESSAGEADD', messageEvent(portal, msg, chat, user), user, body);
	return { messageId: msg.ID, chatId: chat.ID, dialogId: chatObject(portal.state, chat, bot.id, { forEvent: true }).dialogId, fileIds: msg.FILE_IDS || [], ...out };
}

async function userCommand(portal, botId, body) {
	const bot = botOf(portal, botId);
	const user = userOf(portal, body);
	const name = String(body.command || '').replace(/^\//, '').toLowerCase();
	const cmd = [...v2(portal.state).commands.values()].find((c) => c.botId === bot.id && c.command === name);
	if (!cmd) throw new SandboxError(404, `bot ${bot.id} has no command "${name}"`);
	const chat = chatOf(portal, bot, user, body.dialogId);
	const params = body.params === undefined ? '' : String(body.params);
	const context = ['textarea', 'keyboard', 'menu'].includes(String(body.context).toLowerCase()) ? String(body.context).toLowerCase() : 'textarea';
	// A keyboard button (../../triggers/keyboard.js) runs the command on the bot's message: no new message is written.
	const msg = body.keyboardMessage || writeMessage(portal, chat, user, `/${name}${params ? ` ${params}` : ''}`);
	const base = messageEvent(portal, msg, chat, user);
	const out = await fire(portal, [bot], 'ONIMBOTV2COMMANDADD', (viewer) => ({ command: { id: cmd.id, command: `/${name}`, params, context }, ...base(viewer) }), user, body);
	return { messageId: msg.ID, chatId: chat.ID, commandId: cmd.id, ...out };
}

async function reaction(portal, botId, body) {
	const bot = botOf(portal, botId);
	const user = userOf(portal, body);
	const { msg, chat } = messageOf(portal, bot, body, { own: false });
	if (!chat.USERS.includes(user.ID)) throw new SandboxError(400, `user ${user.ID} is not a member of chat ${chat.ID}`);
	const add = String(body.action || 'add').toLowerCase() !== 'delete';
	try {
		toggleReaction(msg, user.ID, String(body.reaction || 'like'), add);
	} catch (e) {
		throw new SandboxError(400, `${e.code}: ${e.description}`);
	}
	bot.users.add(user.ID);
	const r = await reactionChanged(portal, msg, chat, user.ID, String(body.reaction || 'like'), add ? 'add' : 'delete', { applicationToken: body.applicationToken });
	return { messageId: msg.ID, events: r ? [{ botId: r.botId, type: r.type, ...(r.eventId ? { eventId: r.eventId } : {}) }] : [], deliveries: r && r.delivery ? [r.delivery] : [] };
}

async function join(portal, botId, body) {
	const bot = botOf(portal, botId);
	const user = userOf(portal, body);
	let chat;
	if (body.chatId === undefined || body.chatId === '') chat = privateChat(portal.state, bot.id, user.ID);
	else {
		chat = portal.state.chats.get(Number(String(body.chatId).replace(/^chat/i, '')));
		if (!chat || chat.TYPE === 'P') throw new SandboxError(404, `chat ${body.chatId} not found`);
		if (!chat.USERS.includes(user.ID)) chat.USERS.push(user.ID);
		if (!chat.USERS.includes(bot.id)) chat.USERS.push(bot.id);
	}
	const build = (viewer) => ({ dialogId: chatObject(portal.state, chat, viewer, { forEvent: true }).dialogId, chat: chatObject(portal.state, chat, viewer, { forEvent: true }), user: userObject(user) });
	const out = await fire(portal, [bot], 'ONIMBOTV2JOINCHAT', build, user, body);
	return { chatId: chat.ID, dialogId: build(bot.id).dialogId, ...out };
}

async function userEdit(portal, botId, body) {
	const bot = botOf(portal, botId);
	const user = userOf(portal, body);
	const { msg, chat } = messageOf(portal, bot, body, { user });
	if (body.text === undefined || body.text === '') throw new SandboxError(400, 'text is required');
	Object.assign(msg, { MESSAGE: String(body.text), EDITED: true });
	tellUsers(portal, chat, 'ONIMV2MESSAGEUPDATE', msg, user.ID);
	const out = await fire(portal, audience(portal, bot, chat), 'ONIMBOTV2MESSAGEUPDATE', messageEvent(portal, msg, chat, user), user, body);
	return { messageId: msg.ID, ...out };
}

async function userDelete(portal, botId, body) {
	const bot = botOf(portal, botId);
	const user = userOf(portal, body);
	const { msg, chat } = messageOf(portal, bot, body, { user });
	Object.assign(msg, { DELETED: true, MESSAGE: 'This message was deleted.' });
	tellUsers(portal, chat, 'ONIMV2MESSAGEDELETE', msg, user.ID);
	const build = (viewer) => ({ messageId: msg.ID, chat: chatObject(portal.state, chat, viewer, { forEvent: true }), user: userObject(user) });
	const out = await fire(portal, audience(portal, bot, chat), 'ONIMBOTV2MESSAGEDELETE', build, user, body);
	return { messageId: msg.ID, ...out };
}

/** The user opens the bot's dialog with BOT_CONTEXT data (imbot.v2/bot-context.md). */
async function context(portal, botId, body) {
	const bot = botOf(portal, botId);
	const user = userOf(portal, body);
	const chat = chatOf(portal, bot, user, body.dialogId);
	const data = body.context && typeof body.context === 'object' ? body.context : {};
	const build = (viewer) => ({ dialogId: chatObject(portal.state, chat, viewer, { forEvent: true }).dialogId, context: data, chat: chatObject(portal.state, chat, viewer, { forEvent: true }), user: userObject(user) });
	const out = await fire(portal, [bot], 'ONIMBOTV2CONTEXTGET', build, user, body);
	return { chatId: chat.ID, ...out };
}

/** Keyed by the endpoint names of POST /sandbox/v2/bots/:botId/<name>, and by the function names for in-process use. */
module.exports = {
	'user-message': userMessage,
	'user-command': userCommand,
	reaction,
	join,
	'user-edit': userEdit,
	'user-delete': userDelete,
	context,
	userMessage,
	userCommand,
	userEdit,
	userDelete,
};
