'use strict';
/** imbot.command.register / update / unregister / answer (§4.4). */
const { nextId } = require('../../state');
const { isEmpty, toInt, flag, asList, isPlainObject, fail, isHttpUrl } = require('../util');
const { storeMessage } = require('./store');
const { newContent, forwardToConnector } = require('./message');

function checkLang(lang) {
	const list = asList(lang);
	if (!list || !list.length || list.some((l) => !isPlainObject(l) || isEmpty(l.LANGUAGE_ID) || isEmpty(l.TITLE))) {
		fail('LANG_ERROR', 'LANG must be an array of {LANGUAGE_ID, TITLE, PARAMS}');
	}
	return list;
}

function commandRegister(ctx, bot) {
	const { state, params } = ctx;
	const command = params.COMMAND === undefined ? '' : String(params.COMMAND);
	if (!/^[A-Za-z0-9]+$/.test(command)) fail('COMMAND_ERROR', 'Command can contain only Latin letters and digits');
	if (!isHttpUrl(params.EVENT_COMMAND_ADD)) fail('EVENT_COMMAND_ADD_ERROR', isEmpty(params.EVENT_COMMAND_ADD) ? 'Handler for "Command add" event isn\'t specified' : 'Wrong handler URL');
	const lang = checkLang(params.LANG);
	for (const c of state.commands.values()) if (c.BOT_ID === bot.ID && c.COMMAND === command.toLowerCase()) return c.ID;
	const id = nextId(state, 'command');
	state.commands.set(id, {
		ID: id, BOT_ID: bot.ID, COMMAND: command.toLowerCase(), COMMON: flag(params.COMMON) ? 'Y' : 'N', HIDDEN: flag(params.HIDDEN) ? 'Y' : 'N',
		EXTRANET_SUPPORT: flag(params.EXTRANET_SUPPORT) ? 'Y' : 'N', EVENT_COMMAND_ADD: params.EVENT_COMMAND_ADD, LANG: lang,
		owner: bot.owner, handlerId: nextId(state, 'handler'),
	});
	return id;
}

function commandUpdate(ctx, cmd) {
	const fields = ctx.params.FIELDS;
	if (!isPlainObject(fields) || Object.keys(fields).length === 0) fail('WRONG_REQUEST', 'Update fields can\'t be empty');
	if (fields.EVENT_COMMAND_ADD !== undefined && !isHttpUrl(fields.EVENT_COMMAND_ADD)) fail('EVENT_COMMAND_ADD_ERROR', 'Wrong handler URL');
	if (fields.COMMAND !== undefined) {
		if (!/^[A-Za-z0-9]+$/.test(String(fields.COMMAND))) fail('WRONG_REQUEST', 'Command can contain only Latin letters and digits');
		cmd.COMMAND = String(fields.COMMAND).toLowerCase();
	}
	if (fields.EVENT_COMMAND_ADD !== undefined) cmd.EVENT_COMMAND_ADD = fields.EVENT_COMMAND_ADD;
	if (fields.HIDDEN !== undefined) cmd.HIDDEN = flag(fields.HIDDEN) ? 'Y' : 'N';
	if (fields.EXTRANET_SUPPORT !== undefined) cmd.EXTRANET_SUPPORT = flag(fields.EXTRANET_SUPPORT) ? 'Y' : 'N';
	if (fields.LANG !== undefined) cmd.LANG = checkLang(fields.LANG);
	return true;
}

function commandUnregister(ctx, cmd) {
	ctx.state.commands.delete(cmd.ID);
	return true;
}

function commandAnswer(ctx, cmd) {
	const { state, params, portal } = ctx;
	if (isEmpty(params.MESSAGE_ID)) fail('MESSAGE_ID_EMPTY', 'Message ID can\'t be empty');
	const source = state.messages.get(toInt(params.MESSAGE_ID));
	if (!source) fail('MESSAGE_ID_EMPTY', 'Message not found');
	const content = newContent(params.MESSAGE === undefined ? '' : String(params.MESSAGE).trim(), params);
	const chat = state.chats.get(source.CHAT_ID);
	if (!chat) fail('WRONG_REQUEST', 'Chat not found');
	const msg = storeMessage(state, chat, cmd.BOT_ID, { ...content, SYSTEM: flag(params.SYSTEM), URL_PREVIEW: flag(params.URL_PREVIEW, true) });
	forwardToConnector(portal, chat, msg, false);
	return msg.ID;
}

module.exports = { commandRegister, commandUpdate, commandUnregister, commandAnswer };
