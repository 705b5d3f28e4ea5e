'use strict';
/**
 * The checks every imbot.* handler shares (§4): who the caller is as a bot owner, the bot it names, the chat or
 * dialog that bot acts in, the command it owns. The `with…` wrappers resolve and check these, then pass them on.
 */
const { RestError } = require('../../envelope');
const { isEmpty, toInt, fail } = require('../util');
const { chatForDialog } = require('./store');

/** The caller as a bot owner: the OAuth app, or the CLIENT_ID sent with a webhook call. */
function ownerOf({ auth, params }) {
	if (auth.kind === 'oauth') return { key: `app:${auth.clientId}`, clientId: auth.clientId, kind: 'app' };
	if (isEmpty(params.CLIENT_ID)) throw new RestError('ACCESS_DENIED', 'Access denied! Client ID not specified', 403);
	return { key: `webhook:${params.CLIENT_ID}`, clientId: String(params.CLIENT_ID), kind: 'webhook' };
}

/**
 * How a handler takes BOT_ID. `required`: omitted → BOT_ID_ERROR (otherwise the owner's first bot).
 * `early`: BOT_ID failing it → BOT_ID_ERROR before the caller's owner is looked at.
 */
const BOT_ID = {
	optional: { required: false },
	required: { required: true },
	present: { required: true, early: (v) => !isEmpty(v) },
	positive: { required: true, early: (v) => toInt(v) > 0 },
};

function ownedBot(ctx, botIdParam, { required = false } = {}) {
	const { state } = ctx;
	const owner = ownerOf(ctx);
	if (isEmpty(botIdParam)) {
		if (required) fail('BOT_ID_ERROR', 'Bot not found');
		for (const b of state.bots.values()) if (b.owner === owner.key) return b;
		fail('BOT_ID_ERROR', 'Bot not found');
	}
	const bot = state.bots.get(toInt(botIdParam));
	if (!bot) fail('BOT_ID_ERROR', 'Bot not found');
	if (bot.owner !== owner.key) fail('APP_ID_ERROR', 'Bot was installed by another application');
	return bot;
}

/** handler(ctx, bot) with the caller's bot named by BOT_ID, taken as `rule` (a key of BOT_ID) says. */
function withOwnedBot(handler, rule = 'optional') {
	const { required, early } = BOT_ID[rule];
	return (ctx) => {
		if (early && !early(ctx.params.BOT_ID)) fail('BOT_ID_ERROR', 'Bot not found');
		return handler(ctx, ownedBot(ctx, ctx.params.BOT_ID, { required }));
	};
}

/** CHAT_ID of a group chat the bot is a member of. */
function memberChat(ctx, bot) {
	const { state, params } = ctx;
	if (isEmpty(params.CHAT_ID)) fail('CHAT_ID_EMPTY', 'Chat ID can\'t be empty');
	const chat = state.chats.get(toInt(String(params.CHAT_ID).replace(/^chat/i, '')));
	if (!chat || chat.TYPE === 'P') fail('WRONG_REQUEST', 'Chat not found');
	if (!chat.USERS.includes(bot.ID)) fail('ACCESS_ERROR', 'You don\'t have access to this chat');
	return chat;
}

/** handler(ctx, bot, chat): the caller's bot (BOT_ID optional) and the group chat CHAT_ID it is a member of. */
function withMemberChat(handler) {
	return withOwnedBot((ctx, bot) => handler(ctx, bot, memberChat(ctx, bot)));
}

/**
 * DIALOG_ID as the bot sees it. Unknown dialog → `code`; with `notMember`, a group chat without the bot → `code`
 * with that text.
 */
function botDialog(ctx, bot, { code = 'WRONG_REQUEST', notMember = null } = {}) {
	if (isEmpty(ctx.params.DIALOG_ID)) fail('DIALOG_ID_EMPTY', 'Dialog ID can\'t be empty');
	const chat = chatForDialog(ctx.state, bot.ID, ctx.params.DIALOG_ID, code);
	if (notMember && chat.TYPE !== 'P' && !chat.USERS.includes(bot.ID)) fail(code, notMember);
	return chat;
}

/** COMMAND_ID (or, `byName`, COMMAND: the caller's command of that name first) of a command the caller owns. */
function ownedCommand(ctx, { byName = false } = {}) {
	const { state, params } = ctx;
	const owner = ownerOf(ctx);
	let cmd;
	if (!isEmpty(params.COMMAND_ID)) cmd = state.commands.get(toInt(params.COMMAND_ID));
	else if (byName && !isEmpty(params.COMMAND)) {
		const name = String(params.COMMAND).replace(/^\//, '').toLowerCase();
		for (const c of state.commands.values()) if (c.COMMAND === name && c.owner === owner.key) cmd = c;
		if (!cmd) for (const c of state.commands.values()) if (c.COMMAND === name) cmd = c;
	}
	if (!cmd) fail('COMMAND_ID_ERROR', 'Command not found');
	if (cmd.owner !== owner.key) fail('APP_ID_ERROR', 'Command was installed by another application');
	return cmd;
}

/** handler(ctx, cmd) with the command ownedCommand finds. */
function withOwnedCommand(handler, options) {
	return (ctx) => handler(ctx, ownedCommand(ctx, options));
}

module.exports = { ownerOf, ownedBot, withOwnedBot, memberChat, withMemberChat, botDialog, ownedCommand, withOwnedCommand };
