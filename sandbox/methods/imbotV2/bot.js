'use strict';
/** imbot.v2.Bot.register / update / get / list / unregister and imbot.v2.Revision.get (imbot.v2/bots/*.md). */
const { nextId } = require('../../state');
const { isoWithOffset } = require('../../envelope');
const { isEmpty, toInt, flag, isPlainObject, fail, isHttpUrl } = require('../util');
const { v2 } = require('./store');
const { COLORS, v1Color, botObject, usersOf } = require('./shapes');
const { callerOf, tokenOf, checkTokenLength, findBot } = require('./access');
const { EVENT_TYPES, emitBot } = require('./eventQueue');

const MAX_BOTS = 100;
const TYPES = ['bot', 'network', 'openline', 'supervisor', 'personal'];
const MODES = ['fetch', 'webhook'];
const BACKGROUNDS = ['azure', 'mint', 'steel', 'slate', 'teal', 'cornflower', 'sky', 'peach', 'frost'];
const MAX_AVATAR_SIDE = 5000;
/** The revision the sandbox answers (change-log.md: the newest entry is REST revision 36). */
const REVISION = { rest: 36, web: 130, mobile: 23, desktop: 6 };

/** Kind and pixel size of a PNG / GIF / JPEG / WEBP / BMP (size only where the header has it). */
function imageInfo(buf) {
	const ascii = (a, b) => buf.subarray(a, b).toString('latin1');
	if (buf.length >= 24 && buf[0] === 0x89 && ascii(1, 4) === 'PNG') return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
	if (buf.length >= 10 && ascii(0, 3) === 'GIF') return { width: buf.readUInt16LE(6), height: buf.readUInt16LE(8) };
	if (buf.length >= 26 && ascii(0, 2) === 'BM') return { width: buf.readInt32LE(18), height: Math.abs(buf.readInt32LE(22)) };
	if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return { width: 0, height: 0 };
	if (buf.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return { width: 0, height: 0 };
	return null;
}

/** properties.avatar: base64 of an image (no data: prefix) of at most 5000x5000 px. Returns a short marker. */
function checkAvatar(value) {
	const s = String(value).trim();
	const info = /^[A-Za-z0-9+/\r\n]+=*$/.test(s) ? imageInfo(Buffer.from(s, 'base64')) : null;
	if (!info) fail('BOT_AVATAR_INCORRECT_TYPE', 'Avatar must be an image');
	if (info.width > MAX_AVATAR_SIDE || info.height > MAX_AVATAR_SIDE) fail('BOT_AVATAR_INCORRECT_SIZE', 'Avatar exceeds maximum size');
	return `avatar:${s.length}`;
}

/** The profile fields of `props` merged over `base`; colour codes as chat-add.md lists them, others ignored. */
function profile(base, props) {
	const out = { ...base };
	for (const key of ['name', 'lastName', 'workPosition']) if (typeof props[key] === 'string' && props[key].trim()) out[key] = props[key].trim();
	if (props.gender === 'M' || props.gender === 'F') out.gender = props.gender;
	if (v1Color(props.color)) out.color = Object.keys(COLORS).find((k) => v1Color(k) === v1Color(props.color));
	if (!isEmpty(props.avatar)) out.avatar = checkAvatar(props.avatar);
	return out;
}

function botUser(bot) {
	const p = bot.properties;
	return {
		ID: bot.id, NAME: p.name, LAST_NAME: p.lastName || '', EMAIL: '', ADMIN: false, ACTIVE: true, IS_BOT: true, IS_CONNECTOR: false,
		WORK_POSITION: p.workPosition || '', PERSONAL_GENDER: p.gender || 'M', COLOR: p.color ? COLORS[p.color] : undefined,
	};
}

function checkMode(fields, current) {
	const mode = fields.eventMode === undefined || fields.eventMode === '' ? current : String(fields.eventMode).toLowerCase();
	if (!MODES.includes(mode)) fail('BOT_INVALID_EVENT_MODE', 'Invalid event mode');
	return mode;
}

function checkWebhookUrl(value, mode) {
	if (!isEmpty(value) && !isHttpUrl(value)) fail('BOT_INVALID_CALLBACK', 'Invalid callback URL');
	if (mode === 'webhook' && isEmpty(value)) fail('BOT_WEBHOOK_URL_REQUIRED', 'Webhook URL is required');
	return isEmpty(value) ? '' : String(value);
}

/** One event_handler_id per ONIMBOTV2* event, renewed whenever the subscription is rebuilt. */
function handlerIds(state) {
	const ids = {};
	for (const type of EVENT_TYPES) ids[type] = nextId(state, 'handler');
	return ids;
}

function botResult(state, bot) {
	return { bot: botObject(state, bot), users: usersOf(state, [bot.id]) };
}

function register(ctx) {
	const { state, params } = ctx;
	const fields = isPlainObject(params.fields) ? params.fields : {};
	// The reference page takes fields.botToken, the quick start a top-level botToken: both are accepted.
	const token = tokenOf(fields.botToken !== undefined ? fields.botToken : params.botToken);
	const caller = callerOf(ctx, { token });
	if (token) checkTokenLength(token);
	if (isEmpty(fields.code)) fail('BOT_CODE_REQUIRED', 'Bot code is required');
	const code = String(fields.code);
	const store = v2(state);
	const same = [...store.bots.values()].find((b) => b.code === code);
	if (same && same.owner === caller.key) return botResult(state, same); // idempotent per code, nothing updated
	if (same) fail('BOT_CODE_ALREADY_TAKEN', 'Bot code is already taken');
	const props = isPlainObject(fields.properties) ? fields.properties : {};
	if (typeof props.name !== 'string' || !props.name.trim()) fail('BOT_PROPERTIES_REQUIRED', 'Bot properties are required');
	const type = isEmpty(fields.type) ? 'bot' : String(fields.type);
	if (!TYPES.includes(type)) fail('BOT_INVALID_TYPE', `Invalid bot type. Allowed values: ${TYPES.join(', ')}`);
	const eventMode = checkMode(fields, 'fetch');
	const webhookUrl = checkWebhookUrl(fields.webhookUrl, eventMode);
	if ([...store.bots.values()].filter((b) => b.owner === caller.key).length >= MAX_BOTS) fail('BOT_LIMIT_EXCEEDED', `Bot limit exceeded (${MAX_BOTS})`);
	const properties = profile({}, props);
	const id = nextId(state, 'user');
	const bot = {
		id, code, type, eventMode, webhookUrl, properties,
		isHidden: flag(fields.isHidden), isReactionsEnabled: flag(fields.isReactionsEnabled, true), isSupportOpenline: flag(fields.isSupportOpenline),
		backgroundId: BACKGROUNDS.includes(fields.backgroundId) ? fields.backgroundId : null,
		owner: caller.key, ownerKind: caller.kind, clientId: caller.clientId, token: caller.token || (token || null),
		handlerIds: handlerIds(state), countMessage: 0, users: new Set(), dateCreate: isoWithOffset(Date.now()),
	};
	store.bots.set(id, bot);
	state.users.set(id, botUser(bot));
	return botResult(state, bot);
}

/** The new botToken of fields.botToken (rotation): '' keeps the old one; a token of another owner's bot is refused. */
function rotation(state, bot, value) {
	const next = tokenOf(value);
	if (!next || bot.ownerKind !== 'webhook') return null;
	checkTokenLength(next);
	for (const b of v2(state).bots.values()) if (b !== bot && b.owner === `token:${next}`) fail('BOT_TOKEN_ROTATION_FAILED', 'Bot token rotation failed');
	return next;
}

function update(ctx, bot) {
	const { state, params } = ctx;
	const fields = params.fields;
	if (!isPlainObject(fields) || !Object.keys(fields).length) fail('PARAMS_REQUIRED', 'Required parameter "fields" is missing');
	// Everything is checked before anything changes.
	const eventMode = checkMode(fields, bot.eventMode);
	const webhookUrl = checkWebhookUrl(fields.webhookUrl === undefined ? bot.webhookUrl : fields.webhookUrl, eventMode);
	const properties = isPlainObject(fields.properties) ? profile(bot.properties, fields.properties) : bot.properties;
	const token = rotation(state, bot, fields.botToken);
	if (eventMode !== bot.eventMode || webhookUrl !== bot.webhookUrl) bot.handlerIds = handlerIds(state);
	Object.assign(bot, { eventMode, webhookUrl, properties });
	for (const key of ['isHidden', 'isReactionsEnabled', 'isSupportOpenline']) if (fields[key] !== undefined) bot[key] = flag(fields[key], bot[key]);
	if (fields.backgroundId !== undefined) bot.backgroundId = BACKGROUNDS.includes(fields.backgroundId) ? fields.backgroundId : null;
	if (token) Object.assign(bot, { token, owner: `token:${token}` }); // the old token stops working at once
	state.users.set(bot.id, botUser(bot));
	return botResult(state, bot);
}

function get(ctx) {
	const { state, params } = ctx;
	const caller = callerOf(ctx);
	let bot;
	if (!isEmpty(params.botId)) bot = findBot(ctx);
	else if (!isEmpty(params.code)) bot = [...v2(state).bots.values()].find((b) => b.code === String(params.code));
	else fail('PARAMS_REQUIRED', 'Required parameters are missing: botId or code');
	if (!bot) fail('BOT_NOT_FOUND', 'Bot not found');
	return { bot: botObject(state, bot, { extended: bot.owner === caller.key }), users: usersOf(state, [bot.id]) };
}

function list(ctx) {
	const { state, params } = ctx;
	const caller = callerOf(ctx);
	const type = isPlainObject(params.filter) && !isEmpty(params.filter.type) ? String(params.filter.type) : null;
	const limit = toInt(params.limit) > 0 ? toInt(params.limit) : 50;
	const offset = toInt(params.offset) > 0 ? toInt(params.offset) : 0;
	const mine = [...v2(state).bots.values()].filter((b) => b.owner === caller.key && (!type || b.type === type)).sort((a, b) => a.id - b.id);
	const page = mine.slice(offset, offset + limit);
	return { bots: page.map((b) => botObject(state, b)), users: usersOf(state, page.map((b) => b.id)), hasNextPage: offset + limit < mine.length };
}

function unregister(ctx, bot) {
	const { state, portal, auth } = ctx;
	const store = v2(state);
	// ONIMBOTV2DELETE, the bot's last event: only a webhook can still receive it (Event.get needs the bot).
	if (bot.eventMode === 'webhook') emitBot(portal, bot, 'ONIMBOTV2DELETE', () => ({}), { userId: auth.userId }).catch(() => {});
	store.bots.delete(bot.id);
	store.queues.delete(`bot:${bot.id}`);
	for (const [id, c] of [...store.commands]) if (c.botId === bot.id) store.commands.delete(id);
	for (const [key, chatId] of [...state.privateChats]) {
		if (key.split('|').map(Number).includes(bot.id)) {
			state.privateChats.delete(key);
			state.chats.delete(chatId);
		}
	}
	for (const chat of state.chats.values()) {
		chat.USERS = chat.USERS.filter((u) => u !== bot.id);
		chat.MANAGERS = chat.MANAGERS.filter((u) => u !== bot.id);
	}
	state.users.delete(bot.id);
	return { result: true };
}

function revisionGet(ctx) {
	callerOf(ctx, { optional: true });
	return { ...REVISION };
}

module.exports = { register, update, get, list, unregister, revisionGet, imageInfo };
