'use strict';
/** imbot.register / update / unregister / bot.list (§4.1). */
const { nextId } = require('../../state');
const { isoWithOffset } = require('../../envelope');
const { isEmpty, flag, isPlainObject, fail, isHttpUrl } = require('../util');
const { fireBotEvent } = require('../../botEvents');
const { ownerOf } = require('./access');

const MAX_BOTS_PER_OWNER = 5;
const BOT_EVENTS = ['EVENT_MESSAGE_ADD', 'EVENT_MESSAGE_UPDATE', 'EVENT_MESSAGE_DELETE', 'EVENT_WELCOME_MESSAGE', 'EVENT_BOT_DELETE'];

function checkHandlers(fields, required) {
	for (const name of BOT_EVENTS) {
		const value = fields[name];
		if (value === undefined || value === '') {
			if (required.includes(name)) fail(`${name}_ERROR`, `Handler for "${name.replace('EVENT_', '').replace('_', ' ').toLowerCase()}" event isn't specified`);
			continue;
		}
		if (!isHttpUrl(value)) fail(`${name}_ERROR`, 'Wrong handler URL');
	}
}

function expandHandler(src) {
	const out = {};
	for (const name of BOT_EVENTS) if (src[name] !== undefined) out[name] = src[name];
	if (!isEmpty(src.EVENT_HANDLER)) for (const name of BOT_EVENTS) out[name] = src.EVENT_HANDLER;
	return out;
}

function botUser(bot) {
	const p = bot.PROPERTIES;
	return {
		ID: bot.ID, NAME: p.NAME || '', LAST_NAME: p.LAST_NAME || '', EMAIL: p.EMAIL || '', ADMIN: false, ACTIVE: true,
		IS_BOT: true, IS_CONNECTOR: false, WORK_POSITION: p.WORK_POSITION || '', PERSONAL_GENDER: p.PERSONAL_GENDER || '',
	};
}

function register(ctx) {
	const { state, params } = ctx;
	const owner = ownerOf(ctx);
	if (isEmpty(params.CODE)) fail('CODE_ERROR', 'Bot code isn\'t specified');
	for (const b of state.bots.values()) if (b.CODE === String(params.CODE)) fail('CODE_ERROR', 'Bot with this code is already registered');
	const handlers = expandHandler(params);
	checkHandlers(handlers, ['EVENT_MESSAGE_ADD', 'EVENT_WELCOME_MESSAGE', 'EVENT_BOT_DELETE']);
	const props = isPlainObject(params.PROPERTIES) ? params.PROPERTIES : {};
	if (isEmpty(props.NAME) && isEmpty(props.LAST_NAME)) fail('NAME_ERROR', 'Bot name isn\'t specified');
	let count = 0;
	for (const b of state.bots.values()) if (b.owner === owner.key) count++;
	if (count >= MAX_BOTS_PER_OWNER) fail('MAX_COUNT_ERROR', `Has reached the maximum number of bots for application (max: ${MAX_BOTS_PER_OWNER})`);
	const type = ['B', 'O', 'H', 'S'].includes(String(params.TYPE || 'B').toUpperCase()) ? String(params.TYPE || 'B').toUpperCase() : 'B';
	const openline = type === 'O' ? 'Y' : flag(params.OPENLINE) ? 'Y' : 'N';
	if (type !== 'O' && type !== 'S' && openline === 'N') {
		// §4.1: UPDATE/DELETE handlers are ignored at register for TYPE B/H with OPENLINE=N.
		delete handlers.EVENT_MESSAGE_UPDATE;
		delete handlers.EVENT_MESSAGE_DELETE;
	}
	const id = nextId(state, 'user');
	const bot = {
		ID: id, CODE: String(params.CODE), TYPE: type, OPENLINE: openline,
		PROPERTIES: { ...props }, owner: owner.key, ownerKind: owner.kind, clientId: owner.clientId,
		handlerIds: {}, DATE_CREATE: isoWithOffset(Date.now()),
	};
	for (const name of BOT_EVENTS) bot[name] = handlers[name] || '';
	for (const name of BOT_EVENTS) bot.handlerIds[name] = nextId(state, 'handler');
	state.bots.set(id, bot);
	state.users.set(id, botUser(bot));
	return id;
}

function update(ctx, bot) {
	const { state, params } = ctx;
	const fields = params.FIELDS;
	if (!isPlainObject(fields) || Object.keys(fields).length === 0) fail('WRONG_REQUEST', 'Update fields can\'t be empty');
	const handlers = expandHandler(fields);
	checkHandlers(handlers, []);
	if (fields.PROPERTIES !== undefined) {
		if (!isPlainObject(fields.PROPERTIES)) fail('WRONG_REQUEST', 'Bot can\'t be updated');
		const next = { ...bot.PROPERTIES, ...fields.PROPERTIES };
		if (isEmpty(next.NAME) && isEmpty(next.LAST_NAME)) fail('NAME_ERROR', 'Bot name isn\'t specified');
		bot.PROPERTIES = next;
	}
	if (!isEmpty(fields.CODE)) bot.CODE = String(fields.CODE);
	Object.assign(bot, handlers);
	state.users.set(bot.ID, botUser(bot));
	return true;
}

function unregister(ctx, bot) {
	const { state, portal } = ctx;
	state.bots.delete(bot.ID);
	state.users.delete(bot.ID);
	for (const [id, c] of [...state.commands]) if (c.BOT_ID === bot.ID) state.commands.delete(id);
	for (const [key, chatId] of [...state.privateChats]) {
		if (key.split('|').map(Number).includes(bot.ID)) {
			state.privateChats.delete(key);
			state.chats.delete(chatId);
		}
	}
	for (const chat of state.chats.values()) chat.USERS = chat.USERS.filter((u) => u !== bot.ID);
	fireBotEvent(portal, bot, 'EVENT_BOT_DELETE', 'ONIMBOTDELETE', { BOT_ID: bot.ID, BOT_CODE: bot.CODE }, { userId: ctx.auth.userId });
	return true;
}

function botList(ctx) {
	ownerOf(ctx);
	const out = {};
	for (const b of ctx.state.bots.values()) out[b.ID] = { ID: b.ID, NAME: `${b.PROPERTIES.NAME || ''} ${b.PROPERTIES.LAST_NAME || ''}`.trim(), CODE: b.CODE, OPENLINE: b.OPENLINE };
	return Object.keys(out).length ? out : []; // PHP: an empty array is []
}

module.exports = { register, update, unregister, botList };
