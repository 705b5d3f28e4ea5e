'use strict';
/**
 * What portal users do in their own chats, without any bot: the ONIMV2* events a subscribed member reads with
 * im.v2.Event.get (im.v2/events/events.md). "Another user writes in my chat" = POST /sandbox/v2/users/2/message
 * {dialogId: '1', text} (Boris writes to Anna). In-process: require('./sandbox/methods/imbotV2/userTriggers').message(portal, 2, body).
 * Every trigger answers { messageId?, chatId, dialogId, events: [{userId, type, eventId}] } (the events queued by it).
 */
const { privateChat, storeMessage } = require('../imbot/store');
const { SandboxError } = require('../../triggers/errors');
const { v2 } = require('./store');
const { chatObject } = require('./shapes');
const { tellUsers, reactionChanged, toggleReaction } = require('./message');
const { announceJoin, newGroupChat } = require('./chat');

function userOf(portal, id, what = 'user') {
	const user = portal.state.users.get(Number(id));
	if (!user || user.IS_BOT) throw new SandboxError(400, `${what} ${id} does not exist`);
	return user;
}

/** dialogId "N" (private chat with user N) or "chatN" (a chat the writer is a member of). */
function chatOf(portal, user, dialogId) {
	const d = String(dialogId === undefined ? '' : dialogId);
	const m = /^chat(\d+)$/i.exec(d);
	if (m) {
		const chat = portal.state.chats.get(Number(m[1]));
		if (!chat) throw new SandboxError(404, `chat ${m[1]} not found`);
		if (!chat.USERS.includes(user.ID)) throw new SandboxError(400, `user ${user.ID} is not a member of chat ${chat.ID}`);
		return chat;
	}
	if (!/^\d+$/.test(d)) throw new SandboxError(400, 'dialogId must be a user id or chatN');
	const other = userOf(portal, d, 'dialog user');
	if (other.ID === user.ID) throw new SandboxError(400, 'a user cannot write a private message to themselves here');
	return privateChat(portal.state, user.ID, other.ID);
}

/** Runs `act` and reports the ONIMV2* events it queued (all user queues). */
function queued(portal, act) {
	const before = v2(portal.state).seq.event || 0;
	const out = act();
	const events = [];
	for (const [key, q] of v2(portal.state).queues) {
		if (!key.startsWith('user:')) continue;
		for (const e of q.events) if (e.eventId > before) events.push({ userId: Number(key.slice(5)), type: e.type, eventId: e.eventId });
	}
	return { ...out, events: events.sort((a, b) => a.eventId - b.eventId) };
}

function ownMessage(portal, user, body) {
	const msg = portal.state.messages.get(Number(body.messageId));
	if (!msg || msg.DELETED) throw new SandboxError(404, `message ${body.messageId} not found`);
	if (msg.AUTHOR_ID !== user.ID) throw new SandboxError(400, `message ${msg.ID} was not written by user ${user.ID}`);
	return { msg, chat: portal.state.chats.get(msg.CHAT_ID) };
}

function where(portal, chat, user) {
	return { chatId: chat.ID, dialogId: chatObject(portal.state, chat, user.ID, { forEvent: true }).dialogId };
}

/** body {dialogId*, text*}: user :userId writes into a private chat or a group chat. */
function message(portal, userId, body) {
	const user = userOf(portal, userId);
	if (body.text === undefined || body.text === '') throw new SandboxError(400, 'text is required');
	const chat = chatOf(portal, user, body.dialogId);
	return queued(portal, () => {
		const msg = storeMessage(portal.state, chat, user.ID, { MESSAGE: String(body.text) });
		tellUsers(portal, chat, 'ONIMV2MESSAGEADD', msg, user.ID);
		return { messageId: msg.ID, ...where(portal, chat, user) };
	});
}

/** body {messageId*, text*}: the author edits their message. */
function edit(portal, userId, body) {
	const user = userOf(portal, userId);
	const { msg, chat } = ownMessage(portal, user, body);
	if (body.text === undefined || body.text === '') throw new SandboxError(400, 'text is required');
	return queued(portal, () => {
		Object.assign(msg, { MESSAGE: String(body.text), EDITED: true });
		tellUsers(portal, chat, 'ONIMV2MESSAGEUPDATE', msg, user.ID);
		return { messageId: msg.ID, ...where(portal, chat, user) };
	});
}

/** body {messageId*}: the author deletes their message. */
function remove(portal, userId, body) {
	const user = userOf(portal, userId);
	const { msg, chat } = ownMessage(portal, user, body);
	return queued(portal, () => {
		Object.assign(msg, { DELETED: true, MESSAGE: 'This message was deleted.' });
		tellUsers(portal, chat, 'ONIMV2MESSAGEDELETE', msg, user.ID);
		return { messageId: msg.ID, ...where(portal, chat, user) };
	});
}

/** body {messageId*, reaction ('like'), action ('add' | 'delete')}: a member sets or removes a reaction. */
function reaction(portal, userId, body) {
	const user = userOf(portal, userId);
	const msg = portal.state.messages.get(Number(body.messageId));
	if (!msg || msg.DELETED) throw new SandboxError(404, `message ${body.messageId} not found`);
	const chat = portal.state.chats.get(msg.CHAT_ID);
	if (!chat.USERS.includes(user.ID)) throw new SandboxError(400, `user ${user.ID} is not a member of chat ${chat.ID}`);
	const add = String(body.action || 'add').toLowerCase() !== 'delete';
	const code = String(body.reaction || 'like');
	try {
		toggleReaction(msg, user.ID, code, add);
	} catch (e) {
		throw new SandboxError(400, `${e.code}: ${e.description}`);
	}
	return queued(portal, () => {
		reactionChanged(portal, msg, chat, user.ID, code, add ? 'add' : 'delete').catch(() => {});
		return { messageId: msg.ID, ...where(portal, chat, user) };
	});
}

/** body {title, users: [ids]}: user :userId creates a group chat with these members (ONIMV2JOINCHAT for each). */
function chat(portal, userId, body) {
	const user = userOf(portal, userId);
	const members = [...new Set((Array.isArray(body.users) ? body.users : []).map(Number))];
	for (const id of members) userOf(portal, id, 'member');
	const created = newGroupChat(portal.state, user.ID, body.title);
	return queued(portal, () => {
		const joined = members.filter((id) => !created.USERS.includes(id));
		created.USERS.push(...joined);
		announceJoin(portal, created, joined, user.ID);
		return where(portal, created, user);
	});
}

/** body {chatId*, userId*}: user :userId adds a member to a group chat they are in. */
function join(portal, userId, body) {
	const user = userOf(portal, userId);
	const group = portal.state.chats.get(Number(String(body.chatId || '').replace(/^chat/i, '')));
	if (!group || group.TYPE === 'P') throw new SandboxError(404, `chat ${body.chatId} not found`);
	if (!group.USERS.includes(user.ID)) throw new SandboxError(400, `user ${user.ID} is not a member of chat ${group.ID}`);
	const added = userOf(portal, body.userId, 'added user');
	if (group.USERS.includes(added.ID)) throw new SandboxError(400, `user ${added.ID} is already in chat ${group.ID}`);
	return queued(portal, () => {
		group.USERS.push(added.ID);
		announceJoin(portal, group, [added.ID], user.ID);
		return where(portal, group, user);
	});
}

module.exports = { message, edit, delete: remove, reaction, chat, join };
