'use strict';
/** imbot.v2.Command.register / update / list / unregister / answer (imbot.v2/commands/*.md). */
const { isEmpty, flag, isPlainObject, fail } = require('../util');
const { v2, chatOfDialog, nextCommandId } = require('./store');
const { commandObject } = require('./shapes');
const { idParam } = require('./access');
const { postMessage, textOf } = require('./message');

/** A command name: a string without the leading "/", Latin letters, digits, "_" and "-". */
function commandName(value, emptyCode) {
	if (value === undefined || value === null || value === '') fail(emptyCode, emptyCode === 'COMMAND_REQUIRED' ? 'Command is required' : 'Command name is empty');
	if (typeof value !== 'string' || !/^\/?[A-Za-z0-9_-]+$/.test(value.trim())) fail('COMMAND_NAME_INVALID', 'Command name is invalid');
	return value.trim().replace(/^\//, '').toLowerCase();
}

/** {lang: text} with lower-case two-letter keys; `base` merged, null removes a language. */
function langMap(value, base = {}) {
	const out = { ...base };
	if (!isPlainObject(value)) return out;
	for (const [lang, text] of Object.entries(value)) {
		if (text === null || text === '') delete out[lang.toLowerCase()];
		else out[lang.toLowerCase()] = String(text);
	}
	return out;
}

function commandOfBot(ctx, bot) {
	const cmd = v2(ctx.state).commands.get(idParam(ctx.params, 'commandId'));
	if (!cmd || cmd.botId !== bot.id) fail('COMMAND_NOT_FOUND', 'Command not found');
	return cmd;
}

function register(ctx, bot) {
	const { state, params } = ctx;
	// BOT-BC-0330-1: with `fields` the new format; without it the flat legacy one (supported until 30.09.2026).
	const f = isPlainObject(params.fields) ? params.fields : params;
	const command = commandName(f.command, 'COMMAND_REQUIRED');
	const store = v2(state);
	for (const c of store.commands.values()) if (c.botId === bot.id && c.command === command) return { command: commandObject(state, c) };
	const hidden = flag(f.hidden);
	const title = langMap(f.title);
	if (!hidden && !Object.keys(title).length) fail('COMMAND_TITLE_REQUIRED', 'Command title is required');
	const cmd = {
		id: nextCommandId(state), botId: bot.id, command, title, params: langMap(f.params),
		common: flag(f.common), hidden, extranetSupport: flag(f.extranetSupport),
	};
	store.commands.set(cmd.id, cmd);
	return { command: commandObject(state, cmd) };
}

function update(ctx, bot) {
	const { state, params } = ctx;
	const cmd = commandOfBot(ctx, bot);
	const f = params.fields;
	if (!isPlainObject(f) || !Object.keys(f).length) fail('PARAMS_REQUIRED', 'Required parameter "fields" is missing');
	if (f.command !== undefined) {
		const name = commandName(f.command, 'COMMAND_NAME_EMPTY');
		for (const c of v2(state).commands.values()) if (c !== cmd && c.botId === bot.id && c.command === name) fail('COMMAND_ALREADY_EXISTS', 'Command already exists');
		cmd.command = name;
	}
	if (f.title !== undefined) cmd.title = langMap(f.title, cmd.title);
	if (f.params !== undefined) cmd.params = langMap(f.params, cmd.params);
	for (const key of ['common', 'hidden', 'extranetSupport']) if (f[key] !== undefined) cmd[key] = flag(f[key], cmd[key]);
	return { command: commandObject(state, cmd) };
}

function list(ctx, bot) {
	const commands = [...v2(ctx.state).commands.values()].filter((c) => c.botId === bot.id).sort((a, b) => a.id - b.id);
	return { commands: commands.map((c) => commandObject(ctx.state, c, { full: true })) };
}

function unregister(ctx, bot) {
	v2(ctx.state).commands.delete(commandOfBot(ctx, bot).id);
	return { result: true };
}

/**
 * The answer goes into the chat the command came from, even when the bot is not a member there (then as a
 * system message). messageId must be that command's message in that chat (COMMAND_ANSWER_FAILED otherwise).
 */
function answer(ctx, bot) {
	const { state, params, portal } = ctx;
	const cmd = commandOfBot(ctx, bot);
	const messageId = idParam(params, 'messageId');
	const chat = chatOfDialog(state, bot.id, params.dialogId, 'COMMAND_ANSWER_FAILED');
	const source = state.messages.get(messageId);
	if (!source || source.CHAT_ID !== chat.ID || !new RegExp(`(^|\\s)/${cmd.command}(\\s|$)`, 'i').test(source.MESSAGE)) fail('COMMAND_ANSWER_FAILED', 'Command answer failed');
	const f = isPlainObject(params.fields) ? params.fields : {};
	if (!textOf(f.message) && isEmpty(f.attach)) fail('EMPTY_MESSAGE', 'Message is empty');
	const member = chat.USERS.includes(bot.id);
	postMessage(portal, bot, chat, f, { system: !member || flag(f.system), extra: { COMMAND_ID: cmd.id } });
	return { result: true };
}

module.exports = { register, update, list, unregister, answer };
