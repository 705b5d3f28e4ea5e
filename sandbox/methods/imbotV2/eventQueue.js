'use strict';
/**
 * v2 events (§5, imbot.v2/events/*.md, im.v2/events/*.md).
 * - A bot in `fetch` mode gets every event appended to its queue (`bot:ID`) with an increasing eventId;
 *   imbot.v2.Event.get reads it. A bot in `webhook` mode gets the event POSTed to its webhookUrl, form-encoded like
 *   v1 (../../events.js deliver), with data[bot] = {id, code, auth} and the top-level auth[application_token].
 * - A user subscribed with im.v2.Event.subscribe gets ONIMV2* events of the chats they are in (`user:ID`).
 * Events older than 24 h are dropped; a queue keeps at most 10,000 events (the oldest go first).
 */
const crypto = require('crypto');
const { deliver, eventAuth } = require('../../events');
const { botTokenBlock } = require('../../botEvents');
const { isoWithOffset } = require('../../envelope');
const { toInt, flag, fail } = require('../util');
const { v2, nextV2Id } = require('./store');
const { botObject, LANGUAGE } = require('./shapes');

const RETENTION_MS = 24 * 3600 * 1000;
const MAX_QUEUE = 10000;
const EVENT_TYPES = [
	'ONIMBOTV2MESSAGEADD', 'ONIMBOTV2MESSAGEUPDATE', 'ONIMBOTV2MESSAGEDELETE', 'ONIMBOTV2JOINCHAT',
	'ONIMBOTV2DELETE', 'ONIMBOTV2CONTEXTGET', 'ONIMBOTV2COMMANDADD', 'ONIMBOTV2REACTIONCHANGE',
];

function queueOf(state, key) {
	const queues = v2(state).queues;
	let q = queues.get(key);
	if (!q) {
		q = { events: [], cursor: 0 };
		queues.set(key, q);
	}
	return q;
}

function prune(q, now = Date.now()) {
	let drop = 0;
	while (drop < q.events.length && now - q.events[drop].at > RETENTION_MS) drop++;
	if (drop) q.events.splice(0, drop);
}

function push(state, key, type, data) {
	const q = queueOf(state, key);
	const now = Date.now();
	const event = { eventId: nextV2Id(state, 'event'), type, date: isoWithOffset(now), at: now, data };
	q.events.push(event);
	if (q.events.length > MAX_QUEUE) q.events.splice(0, q.events.length - MAX_QUEUE);
	prune(q, now);
	return event;
}

/** The application_token of a bot's events: the app's, or for a webhook bot its own synthetic one (md5 of botToken). */
function applicationTokenOf(portal, bot) {
	return bot.ownerKind === 'app' ? portal.applicationToken : crypto.createHash('md5').update(String(bot.token)).digest('hex');
}

/** data[bot] in webhook mode: {id, code, auth} with the bot's callback tokens (OAuth bots) or just its ids. */
function webhookBot(portal, bot, applicationToken) {
	const block = botTokenBlock(portal, { ownerKind: bot.ownerKind, clientId: bot.clientId, ID: bot.id, CODE: bot.code }, applicationToken);
	const auth = { ...block };
	for (const key of ['AUTH', 'BOT_ID', 'BOT_CODE', 'client_id']) delete auth[key]; // v1-only parts of the block
	return { id: bot.id, code: bot.code, auth };
}

/**
 * Sends `type` to a bot: queued (fetch) or POSTed (webhook). `build(viewerId)` gives the payload without `bot`.
 * Returns a promise of { eventId } (fetch) or { delivery } (webhook).
 */
function emitBot(portal, bot, type, build, { userId = 1, applicationToken } = {}) {
	const payload = { ...build(bot.id), language: LANGUAGE };
	if (bot.eventMode !== 'webhook') {
		const e = push(portal.state, `bot:${bot.id}`, type, { bot: botObject(portal.state, bot), ...payload });
		return Promise.resolve({ botId: bot.id, eventId: e.eventId, type });
	}
	const appToken = applicationToken !== undefined ? applicationToken : applicationTokenOf(portal, bot);
	const data = { bot: webhookBot(portal, bot, appToken), ...payload };
	const auth = eventAuth(portal, { clientId: bot.ownerKind === 'app' ? bot.clientId : null, userId, applicationToken: appToken });
	return deliver(portal, { url: bot.webhookUrl, event: type, handlerId: bot.handlerIds[type], data, auth }).then((delivery) => ({ botId: bot.id, type, delivery }));
}

/** ONIMV2* to every subscribed member of the chat; returns the queued events. */
function emitUsers(portal, chat, type, build) {
	const { subscribers } = v2(portal.state);
	const out = [];
	for (const u of chat.USERS) {
		if (!subscribers.has(u)) continue;
		out.push(push(portal.state, `user:${u}`, type, { ...build(u), language: LANGUAGE }));
	}
	return out;
}

/** Acknowledges (drops) every event with an id below `offset`, then returns up to `limit`, oldest first, across `keys`. */
function read(state, keys, offset, limit) {
	const queues = keys.map((k) => queueOf(state, k));
	let cursor = offset > 0 ? offset : 0;
	for (const q of queues) {
		prune(q);
		if (offset > 0) q.events = q.events.filter((e) => e.eventId >= offset);
		q.cursor = Math.max(q.cursor, cursor);
		cursor = Math.max(cursor, q.cursor);
	}
	const all = queues.length === 1 ? queues[0].events : queues.flatMap((q) => q.events).sort((a, b) => a.eventId - b.eventId);
	const events = all.slice(0, limit).map(({ eventId, type, date, data }) => ({ eventId, type, date, data }));
	return { events, nextOffset: events.length ? events[events.length - 1].eventId + 1 : cursor, hasMore: all.length > events.length };
}

function limitParam(value) {
	const n = toInt(value);
	if (value === undefined || value === '' || Number.isNaN(n)) return 100;
	return Math.min(1000, Math.max(1, n));
}

/** imbot.v2.Event.get (withUserEvents: the caller's ONIMV2* events too, one offset for both). */
function eventGet(ctx, bot) {
	const { params, state, auth } = ctx;
	const keys = [`bot:${bot.id}`];
	if (flag(params.withUserEvents)) {
		if (!(auth.userId > 0)) fail('AUTH_ERROR', 'Failed to determine the current user');
		if (!v2(state).subscribers.has(auth.userId)) fail('USER_NOT_SUBSCRIBED', 'User is not subscribed to events (im.v2.Event.subscribe)');
		keys.push(`user:${auth.userId}`);
	}
	return read(state, keys, toInt(params.offset) || 0, limitParam(params.limit));
}

/**
 * im.v2.Event.get: the calling user's events (one queue per user, whatever application reads it: an offset
 * acknowledges for every reader, im.v2/events/index.md#limits). Never subscribed -> no events; after unsubscribe the
 * recorded events stay readable.
 */
function userEventGet(ctx) {
	const { params, state, auth } = ctx;
	const offset = toInt(params.offset) || 0;
	if (!v2(state).subscribers.has(auth.userId) && !v2(state).queues.has(`user:${auth.userId}`)) return { events: [], nextOffset: offset, hasMore: false };
	return read(state, [`user:${auth.userId}`], offset, limitParam(params.limit));
}

function subscribe(ctx) {
	v2(ctx.state).subscribers.add(ctx.auth.userId);
	return true;
}

/**
 * Stops recording; events already recorded stay readable until acknowledged or 24 h old
 * (im.v2/events/event-unsubscribe.md).
 */
function unsubscribe(ctx) {
	v2(ctx.state).subscribers.delete(ctx.auth.userId);
	return true;
}

module.exports = { EVENT_TYPES, RETENTION_MS, emitBot, emitUsers, applicationTokenOf, eventGet, userEventGet, subscribe, unsubscribe, push, read };
