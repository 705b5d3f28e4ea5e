'use strict';
/**
 * What a portal user sees of a bot message and what pressing one of its keyboard buttons does (§6.3):
 * - GET  /sandbox/messages/:id                 → the message as the user sees it: text and buttons
 * - POST /sandbox/messages/:id/click {userId, button, form?}
 *   `button` is the button's position (1-based, NEWLINE entries not counted) or its text.
 *   LINK: the user's browser opens the URL — a GET (or, with `form`, a POST of that form as a browser submits a
 *   page with enctype multipart/form-data), answered with {type: 'link', url, status, body}.
 *   COMMAND: Bitrix24 sends the command event to the bot as for a typed command, with COMMAND_CONTEXT KEYBOARD and
 *   the keyboard's message as MESSAGE_ID (no new message): ONIMCOMMANDADD to the command's EVENT_COMMAND_ADD for a
 *   v1 bot, ONIMBOTV2COMMANDADD (queued or POSTed by the bot's event mode) for a v2 bot.
 * A disabled button, or a BLOCK button already pressed, does nothing (409).
 */
const { SandboxError } = require('./errors');
const bots = require('./bots');
const botsV2 = require('../methods/imbotV2/triggers');
const { v2 } = require('../methods/imbotV2/store');

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0 Safari/537.36 (sandbox user)';
const MAX_BODY = 20_000;

function messageOf(portal, id) {
	const msg = portal.state.messages.get(Number(id));
	if (!msg || msg.DELETED) throw new SandboxError(404, `message ${id} not found`);
	return msg;
}

function buttonsOf(msg) {
	const kb = msg.KEYBOARD;
	const list = Array.isArray(kb) ? kb : kb && Array.isArray(kb.BUTTONS) ? kb.BUTTONS : [];
	return list.filter((b) => b && b.TYPE !== 'NEWLINE');
}

/** The message as a chat member sees it. */
function view(portal, id) {
	const msg = messageOf(portal, id);
	const chat = portal.state.chats.get(msg.CHAT_ID);
	const buttons = buttonsOf(msg).map((b, i) => ({
		position: i + 1,
		text: b.TEXT,
		type: b.LINK ? 'link' : b.COMMAND ? 'command' : b.ACTION ? 'action' : b.APP_ID ? 'app' : 'unknown',
		...(b.LINK ? { link: b.LINK } : {}),
		...(b.COMMAND ? { command: b.COMMAND, params: b.COMMAND_PARAMS || '' } : {}),
		...(b.BG_COLOR_TOKEN ? { colorToken: b.BG_COLOR_TOKEN } : {}),
		disabled: b.DISABLED === 'Y' || Boolean(b.pressed && b.BLOCK === 'Y'),
	}));
	return { id: msg.ID, chatId: msg.CHAT_ID, chatType: chat ? chat.TYPE : undefined, authorId: msg.AUTHOR_ID, text: msg.MESSAGE, edited: Boolean(msg.EDITED), buttons };
}

function pick(msg, which) {
	const buttons = buttonsOf(msg);
	const byPosition = Number.isInteger(Number(which)) ? buttons[Number(which) - 1] : undefined;
	const button = byPosition || buttons.find((b) => b.TEXT === which);
	if (!button) throw new SandboxError(404, `message ${msg.ID} has no button ${JSON.stringify(which)}`);
	if (button.DISABLED === 'Y' || (button.pressed && button.BLOCK === 'Y')) throw new SandboxError(409, `button ${JSON.stringify(button.TEXT)} is disabled`);
	return button;
}

async function openLink(url, form) {
	const init = { redirect: 'manual', headers: { 'user-agent': BROWSER, accept: 'text/html' }, signal: AbortSignal.timeout(30_000) };
	if (form) {
		// as a browser submits a form page with enctype="multipart/form-data" (fetch sets the boundary)
		init.method = 'POST';
		init.body = new FormData();
		for (const [k, v] of Object.entries(form)) init.body.append(k, String(v));
	}
	const res = await fetch(url, init);
	const body = (await res.text()).slice(0, MAX_BODY);
	return { type: 'link', url, status: res.status, body };
}

async function click(portal, id, body) {
	const msg = messageOf(portal, id);
	const button = pick(msg, body.button === undefined ? 1 : body.button);
	if (button.LINK) {
		if (!/^https?:\/\//i.test(button.LINK)) throw new SandboxError(400, `link ${button.LINK} is a portal path; the sandbox opens only http(s) URLs`);
		return openLink(button.LINK, body.form);
	}
	if (!button.COMMAND) throw new SandboxError(400, `button ${JSON.stringify(button.TEXT)} is not a link or command button`);
	button.pressed = true;
	const chat = portal.state.chats.get(msg.CHAT_ID);
	const userId = body.userId === undefined ? 1 : Number(body.userId);
	const dialogId = chat && chat.TYPE !== 'P' ? `chat${chat.ID}` : String(userId);
	const botId = Number((msg.KEYBOARD && msg.KEYBOARD.BOT_ID) || msg.AUTHOR_ID);
	const command = { userId, dialogId, command: button.COMMAND, params: button.COMMAND_PARAMS || '', context: 'KEYBOARD', keyboardMessage: msg, applicationToken: body.applicationToken };
	const result = v2(portal.state).bots.has(botId) ? await botsV2['user-command'](portal, botId, command) : await bots['user-command'](portal, botId, command);
	return { type: 'command', ...result };
}

/** Routes /sandbox/messages/…; undefined when the path is not one of them. */
async function handleKeyboard(portal, verb, path, body) {
	let m = /^\/sandbox\/messages\/(\d+)$/.exec(path);
	if (m && verb === 'GET') return view(portal, m[1]);
	m = /^\/sandbox\/messages\/(\d+)\/click$/.exec(path);
	if (m && verb === 'POST') return click(portal, m[1], await body());
	return undefined;
}

module.exports = { view, click, handleKeyboard };
