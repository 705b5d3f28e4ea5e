'use strict';
/**
 * The Chatbots 2.0 data (§5). It lives in `state.imbotV2`, made on first use, so a portal reset clears it.
 * Chats and messages are the portal's own (state.chats / state.messages, shared with v1 through
 * ../imbot/store.js); what only v2 knows about them (read marks, reactions, files, the text field) is kept here
 * or on the chat/message under v2-only keys.
 */
const { nextId } = require('../../state');
const { privateChat } = require('../imbot/store');
const { toInt, fail } = require('../util');

/** The v2 store; GET /sandbox/state shows it through toJSON (file bytes and buckets left out). */
function v2(state) {
	if (!state.imbotV2) {
		state.imbotV2 = {
			/** id -> bot (see bot.js) */
			bots: new Map(),
			/** id -> v2 command */
			commands: new Map(),
			/** id -> { id, chatId, name, extension, size, type, mime, bytes, authorId, date, messageId } */
			files: new Map(),
			/** download token -> { fileId, expires } */
			downloads: new Map(),
			/** `bot:ID` | `user:ID` -> { events: [{eventId, type, date, at, data}], cursor } */
			queues: new Map(),
			/** users subscribed with im.v2.Event.subscribe */
			subscribers: new Set(),
			/** `${chatId}|${userId}` -> id of the last message that user has read */
			reads: new Map(),
			/** caller key -> LeakyBucket of the v2 rate limit */
			buckets: new Map(),
			seq: { file: 100, event: 1000 },
			toJSON() {
				return {
					bots: [...this.bots.values()].map((b) => ({ ...b, users: [...b.users] })),
					commands: [...this.commands.values()],
					files: [...this.files.values()].map((f) => ({ ...f, bytes: `${f.size} bytes` })),
					queues: Object.fromEntries([...this.queues].map(([k, q]) => [k, q.events.map((e) => ({ eventId: e.eventId, type: e.type, date: e.date }))])),
					subscribers: [...this.subscribers],
				};
			},
		};
	}
	return state.imbotV2;
}

function nextV2Id(state, kind) {
	const s = v2(state).seq;
	s[kind] += 1;
	return s[kind];
}

/**
 * dialogId as `viewerId` sees it: "chat5" or a user id (the private chat with that user, made on demand).
 * Unknown chat or user -> `code` (ACCESS_DENIED unless told otherwise).
 */
function chatOfDialog(state, viewerId, dialogId, code = 'ACCESS_DENIED') {
	const d = String(dialogId === undefined || dialogId === null ? '' : dialogId).trim();
	if (!d) fail('PARAMS_REQUIRED', 'Required parameter "dialogId" is missing');
	const m = /^chat(\d+)$/i.exec(d);
	if (m) {
		const chat = state.chats.get(Number(m[1]));
		if (!chat) fail(code, 'Chat not found', code === 'ACCESS_DENIED' ? 403 : 400);
		return chat;
	}
	const other = toInt(d);
	if (!(other > 0) || !state.users.has(other) || other === viewerId) fail(code, 'Dialog not found', code === 'ACCESS_DENIED' ? 403 : 400);
	return privateChat(state, viewerId, other);
}

/** The messages of a chat (not the completely deleted ones), oldest first. */
function chatMessages(state, chatId) {
	const out = [];
	for (const m of state.messages.values()) if (m.CHAT_ID === chatId) out.push(m);
	return out.sort((a, b) => a.ID - b.ID);
}

function lastRead(state, chatId, userId) {
	return v2(state).reads.get(`${chatId}|${userId}`) || 0;
}

/** Marks everything up to `upTo` read for the user; returns the ids newly viewed (messages of others). */
function markRead(state, chat, userId, upTo) {
	const before = lastRead(state, chat.ID, userId);
	const viewed = [];
	for (const m of chatMessages(state, chat.ID)) {
		if (m.ID > before && m.ID <= upTo && m.AUTHOR_ID !== userId) viewed.push(m.ID);
	}
	if (upTo > before) v2(state).reads.set(`${chat.ID}|${userId}`, upTo);
	return viewed;
}

/** Unread messages of others after the user's read mark. */
function unreadCount(state, chat, userId) {
	const mark = lastRead(state, chat.ID, userId);
	let n = 0;
	for (const m of chatMessages(state, chat.ID)) if (m.ID > mark && m.AUTHOR_ID !== userId && !m.DELETED) n++;
	return n;
}

function viewedByOthers(state, msg) {
	const chat = state.chats.get(msg.CHAT_ID);
	if (!chat) return false;
	return chat.USERS.some((u) => u !== msg.AUTHOR_ID && lastRead(state, chat.ID, u) >= msg.ID);
}

/** The role of a user in a chat, as v2 names it. */
function roleOf(chat, userId) {
	if (chat.OWNER === userId) return 'owner';
	if (chat.MANAGERS.includes(userId)) return 'manager';
	return chat.USERS.includes(userId) ? 'member' : 'none';
}

/** A new v1-compatible id for a v2 command (the two share the command sequence). */
function nextCommandId(state) {
	return nextId(state, 'command');
}

module.exports = { v2, nextV2Id, chatOfDialog, chatMessages, lastRead, markRead, unreadCount, viewedByOthers, roleOf, nextCommandId };
