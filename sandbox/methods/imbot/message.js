'use strict';
/** imbot.message.add / update / delete / like (§4.2), and what imbot.command.answer shares with them. */
const { isEmpty, toInt, flag, asList, isPlainObject, fail } = require('../util');
const { findDialogByChatId, sendOperatorMessage } = require('../../connectorDialogs');
const openLineEvents = require('../../openLineEvents');
const { privateChat, storeMessage } = require('./store');
const { botDialog } = require('./access');

const RICH_LIMIT = 30 * 1024;

/** ATTACH / KEYBOARD / MENU: object, array or JSON string; '' or 'N' clears (null); undefined keeps. */
function rich(value, name) {
	if (value === undefined) return undefined;
	if (value === '' || value === 'N' || value === null) return null;
	let v = value;
	if (typeof v === 'string') {
		try {
			v = JSON.parse(v);
		} catch {
			fail(`${name}_ERROR`, `Incorrect ${name.toLowerCase()} params`);
		}
	}
	if (v === null || typeof v !== 'object') fail(`${name}_ERROR`, `Incorrect ${name.toLowerCase()} params`);
	if (JSON.stringify(v).length > RICH_LIMIT) fail(`${name}_OVERSIZE`, `You have exceeded the maximum allowable size of ${name.toLowerCase()}`);
	if (name === 'KEYBOARD') {
		const buttons = Array.isArray(v) ? v : asList(v.BUTTONS);
		if (!buttons || buttons.some((b) => !isPlainObject(b) || (b.TYPE !== 'NEWLINE' && isEmpty(b.TEXT)))) fail('KEYBOARD_ERROR', 'Incorrect keyboard params');
		v = Array.isArray(v) ? { BUTTONS: v } : v;
	} else if (name === 'MENU') {
		const items = Array.isArray(v) ? v : asList(v.ITEMS);
		if (!items || items.some((b) => !isPlainObject(b) || isEmpty(b.TEXT))) fail('MENU_ERROR', 'Incorrect menu params');
		v = Array.isArray(v) ? { ITEMS: v } : v;
	} else {
		const blocks = Array.isArray(v) ? v : asList(v.BLOCKS);
		if (!blocks || blocks.some((b) => !isPlainObject(b))) fail('ATTACH_ERROR', 'Incorrect attach params');
	}
	return v;
}

/** ATTACH, KEYBOARD and MENU of the params, checked in that order. */
function richFields(params) {
	return { ATTACH: rich(params.ATTACH, 'ATTACH'), KEYBOARD: rich(params.KEYBOARD, 'KEYBOARD'), MENU: rich(params.MENU, 'MENU') };
}

/** The text with the params' ATTACH / KEYBOARD / MENU; MESSAGE_EMPTY when neither text nor ATTACH is given. */
function newContent(text, params) {
	const fields = richFields(params);
	if (!text && !fields.ATTACH) fail('MESSAGE_EMPTY', 'Message can\'t be empty');
	return { MESSAGE: text, ...fields };
}

/** A bot message into an open-line chat goes out to the connector unless SKIP_CONNECTOR=Y. */
function forwardToConnector(portal, chat, msg, skip) {
	if (chat.TYPE !== 'L' || skip) return;
	const dialog = findDialogByChatId(portal.state, chat.ID);
	if (dialog) sendOperatorMessage(portal, dialog, { userId: msg.AUTHOR_ID, text: msg.MESSAGE, messageId: msg.ID });
}

function messageAdd(ctx, bot) {
	const { state, params, portal } = ctx;
	const from = toInt(params.FROM_USER_ID);
	const to = toInt(params.TO_USER_ID);
	let chat;
	let system = flag(params.SYSTEM);
	if (from > 0 && to > 0) {
		if (!state.users.has(from) || !state.users.has(to)) fail('WRONG_REQUEST', 'User not found');
		chat = privateChat(state, from, to);
		system = true;
	} else {
		chat = botDialog(ctx, bot, { notMember: 'Bot is not a member of this chat' });
	}
	const content = newContent(params.MESSAGE === undefined || params.MESSAGE === null ? '' : String(params.MESSAGE).trim(), params);
	const msg = storeMessage(state, chat, bot.ID, { ...content, SYSTEM: system, URL_PREVIEW: flag(params.URL_PREVIEW, true) });
	forwardToConnector(portal, chat, msg, flag(params.SKIP_CONNECTOR));
	return msg.ID;
}

/** A bot message edited / deleted in an open-line chat: ONOPENLINEMESSAGEUPDATE / DELETE to the connector's app. */
function openLineChange(ctx, msg, kind) {
	const chat = ctx.state.chats.get(msg.CHAT_ID);
	const dialog = chat && chat.TYPE === 'L' ? findDialogByChatId(ctx.state, chat.ID) : undefined;
	if (dialog) openLineEvents.fireMessageChange(ctx.portal, dialog, kind, { id: msg.ID, userId: msg.AUTHOR_ID });
}

/** MESSAGE_ID of a message not deleted; with a bot, one that bot wrote. */
function ownMessage(ctx, bot) {
	const { state, params } = ctx;
	const id = toInt(params.MESSAGE_ID);
	if (!(id > 0)) fail('MESSAGE_ID_ERROR', 'Message ID can\'t be empty');
	const msg = state.messages.get(id);
	if (!msg || msg.DELETED) fail('MESSAGE_ID_ERROR', 'Message not found');
	if (bot && msg.AUTHOR_ID !== bot.ID) fail('CANT_EDIT_MESSAGE', 'Time has expired for modification or you don\'t have access');
	return msg;
}

function messageUpdate(ctx, bot) {
	const { params } = ctx;
	const msg = ownMessage(ctx, bot);
	const { ATTACH, KEYBOARD, MENU } = richFields(params);
	if (params.MESSAGE !== undefined && String(params.MESSAGE).trim() === '') {
		msg.DELETED = true; // an empty MESSAGE deletes the message (§4.2)
		openLineChange(ctx, msg, 'delete');
		return true;
	}
	if (params.MESSAGE !== undefined) msg.MESSAGE = String(params.MESSAGE).trim();
	if (ATTACH !== undefined) msg.ATTACH = ATTACH;
	if (KEYBOARD !== undefined) msg.KEYBOARD = KEYBOARD;
	if (MENU !== undefined) msg.MENU = MENU;
	if (params.URL_PREVIEW !== undefined) msg.URL_PREVIEW = flag(params.URL_PREVIEW, true) ? 'Y' : 'N';
	msg.EDITED = true;
	openLineChange(ctx, msg, 'update');
	return true;
}

function messageDelete(ctx, bot) {
	const { state, params } = ctx;
	const msg = ownMessage(ctx, bot);
	if (flag(params.COMPLETE)) state.messages.delete(msg.ID);
	else {
		msg.DELETED = true;
		msg.MESSAGE = 'This message was deleted.';
	}
	openLineChange(ctx, msg, 'delete');
	return true;
}

function messageLike(ctx, bot) {
	const { params } = ctx;
	const msg = ownMessage(ctx, null);
	const action = String(params.ACTION || 'auto').toLowerCase();
	const has = msg.LIKES.includes(bot.ID);
	if (action === 'plus' || (action === 'auto' && !has)) {
		if (has) fail('WITHOUT_CHANGES', 'Message already liked');
		msg.LIKES.push(bot.ID);
	} else if (action === 'minus' || action === 'auto') {
		if (!has) fail('WITHOUT_CHANGES', 'Message is not liked');
		msg.LIKES = msg.LIKES.filter((u) => u !== bot.ID);
	} else fail('WRONG_REQUEST', 'ACTION must be auto, plus or minus');
	return true;
}

module.exports = { messageAdd, messageUpdate, messageDelete, messageLike, newContent, forwardToConnector };
