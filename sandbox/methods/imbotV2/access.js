'use strict';
/**
 * The checks every imbot.v2 method shares (§5, chat-bots-v2/index.md#auth):
 * - the v2 rate limit: over `v2Rate` requests/s per application (burst `v2Burst`) -> HTTP 429;
 * - who the caller is: the OAuth app (`app:CLIENT_ID`), or under a webhook the `botToken` (`token:TOKEN`);
 *   a webhook call without botToken -> BOT_TOKEN_NOT_SPECIFIED;
 * - the bot: botId missing -> BOT_ID_REQUIRED, unknown -> BOT_NOT_FOUND, another owner's -> BOT_OWNERSHIP_ERROR;
 * - the chat of `dialogId` the bot is a member of (ACCESS_DENIED), with an optional role.
 */
const { RestError } = require('../../envelope');
const { LeakyBucket } = require('../../limiter');
const { isEmpty, toInt, fail } = require('../util');
const { v2, chatOfDialog, roleOf } = require('./store');

const MAX_TOKEN_LENGTH = 40;

/** An error with 403 for the access codes, 400 for the rest (the pages give "400, 403" without saying which is which). */
function deny(code, description) {
	throw new RestError(code, description, /DENIED|ACCESS|OWNERSHIP|NOT_ALLOWED/.test(code) ? 403 : 400);
}

function tokenOf(value) {
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/** Refuses a botToken longer than 40 characters (BOT-BC-0506-1, in force since 06.08.2026). */
function checkTokenLength(token) {
	if (token.length > MAX_TOKEN_LENGTH) fail('BOT_TOKEN_INVALID_LENGTH', `Bot token must not be longer than ${MAX_TOKEN_LENGTH} characters`);
	return token;
}

/** The v2 rate limit of one caller. `v2Rate` 0 (the default) switches it off. */
function takeRate(ctx, key) {
	const { v2Rate, v2Burst } = ctx.portal.options;
	if (!(Number(v2Rate) > 0)) return;
	const buckets = v2(ctx.state).buckets;
	let bucket = buckets.get(key);
	if (!bucket) {
		bucket = new LeakyBucket({ rate: Number(v2Rate), burst: Number(v2Burst) || 1 });
		buckets.set(key, bucket);
	} else bucket.configure({ rate: Number(v2Rate), burst: Number(v2Burst) || 1 });
	// The limit counts HTTP requests: the commands of one batch request are charged once (an assumption: the v2 docs
	// say "2 requests per second per application" and nothing about batch; confirm on a live portal).
	if (ctx.batchId !== undefined) {
		if (bucket.lastBatchId === ctx.batchId) return;
		bucket.lastBatchId = ctx.batchId;
	}
	if (!bucket.take(Date.now())) throw new RestError('QUERY_LIMIT_EXCEEDED', 'Too many requests: imbot.v2 allows 2 requests per second per application', 429);
}

/**
 * The caller as a bot owner. `token` overrides the top-level botToken (Bot.register takes fields.botToken).
 * `optional`: no error without a token (Revision.get).
 */
function callerOf(ctx, { token, optional = false } = {}) {
	if (ctx.auth.kind === 'oauth') {
		const key = `app:${ctx.auth.clientId}`;
		takeRate(ctx, key);
		return { key, kind: 'app', clientId: ctx.auth.clientId, token: null };
	}
	const t = token !== undefined ? token : tokenOf(ctx.params.botToken);
	takeRate(ctx, t ? `token:${t}` : `webhook:${ctx.auth.userId}`);
	if (!t) {
		if (optional) return null;
		fail('BOT_TOKEN_NOT_SPECIFIED', 'Bot token is not specified');
	}
	return { key: `token:${t}`, kind: 'webhook', clientId: null, token: t };
}

/** The bot of `botId` (BOT_ID_REQUIRED / BOT_NOT_FOUND), without the owner check. */
function findBot(ctx, value = ctx.params.botId) {
	if (isEmpty(value)) fail('BOT_ID_REQUIRED', 'Bot ID is required');
	const bot = v2(ctx.state).bots.get(toInt(value));
	if (!bot) fail('BOT_NOT_FOUND', 'Bot not found');
	return bot;
}

/** handler(ctx, bot) with the caller's bot named by botId. */
function withBot(handler) {
	return (ctx) => {
		const caller = callerOf(ctx);
		const bot = findBot(ctx);
		if (bot.owner !== caller.key) deny('BOT_OWNERSHIP_ERROR', 'Bot is registered by another application');
		return handler(ctx, bot, caller);
	};
}

/**
 * handler(ctx, bot, chat): the caller's bot and the chat of `dialogId` it is a member of.
 * `role`: 'admin' (owner or manager) or 'owner' is required as well; `group`: private chats are refused.
 */
function withChat(handler, { role = null, group = false } = {}) {
	return withBot((ctx, bot, caller) => {
		const chat = chatOfDialog(ctx.state, bot.id, ctx.params.dialogId);
		const r = roleOf(chat, bot.id);
		if (r === 'none') deny('ACCESS_DENIED', 'Bot is not a participant in the chat');
		if (group && chat.TYPE === 'P') deny('ACCESS_DENIED', 'Not available in a private chat');
		if (role === 'owner' && r !== 'owner') deny('ACCESS_DENIED', 'Only the owner of the chat can do this');
		if (role === 'admin' && r !== 'owner' && r !== 'manager') deny('ACCESS_DENIED', 'The bot is not an administrator of the chat');
		return handler(ctx, bot, chat, caller);
	});
}

/** A positive integer param or PARAMS_REQUIRED. */
function idParam(params, name) {
	const id = toInt(params[name]);
	if (!(id > 0)) fail('PARAMS_REQUIRED', `Required parameter "${name}" is missing`);
	return id;
}

/** The message `messageId` in a chat the bot is a member of; unknown -> `missing`, in another chat -> `hidden`. */
function visibleMessage(ctx, bot, { missing = 'ACCESS_DENIED', hidden = 'ACCESS_DENIED' } = {}) {
	const msg = ctx.state.messages.get(idParam(ctx.params, 'messageId'));
	const chat = msg && ctx.state.chats.get(msg.CHAT_ID);
	if (!msg || !chat) deny(missing, 'Message not found');
	if (!chat.USERS.includes(bot.id)) deny(hidden, 'The bot is not a participant in the chat of this message');
	return { msg, chat };
}

module.exports = { MAX_TOKEN_LENGTH, deny, tokenOf, checkTokenLength, takeRate, callerOf, findBot, withBot, withChat, idParam, visibleMessage };
