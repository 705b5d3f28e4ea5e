'use strict';
/** imopenlines.operator.*, bot.session.*, crm.*, message.quick.save and network.* (§3.2) against the sandbox. */
const { hook } = require('./helpers');
const { openLinesPortal } = require('./imopenlinesPortal');

const portal = openLinesPortal();
const { call, as, session, customerDialog } = portal;
const state = () => portal.sb.state;

/** Line 1 with an Open Channels bot of this app as its welcome bot. */
async function welcomeBot() {
	const botId = (await call('imbot.register', { CODE: 'olbot', TYPE: 'O', OPENLINE: 'Y', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'Line bot' } })).body.result;
	await call('imopenlines.config.update', { CONFIG_ID: 1, PARAMS: { WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: botId, QUEUE: [{ ENTITY_TYPE: 'user', ENTITY_ID: '2' }, { ENTITY_TYPE: 'user', ENTITY_ID: '3' }] } });
	return botId;
}

describe('operator.*', () => {
	test('answer → the caller operates (answered); finish closes it and fires ONIMCONNECTORDIALOGFINISH', async () => {
		const d = await customerDialog();
		expect(session(d.sessionId)).toMatchObject({ STATUS: 'waiting', OPERATOR_ID: 1 });
		expect((await call('imopenlines.operator.answer', { CHAT_ID: d.chatId })).body.result).toBe(true);
		expect(session(d.sessionId).STATUS).toBe('answered');
		expect((await call('imopenlines.operator.finish', { CHAT_ID: d.chatId })).body.result).toBe(true);
		expect(session(d.sessionId).STATUS).toBe('closed');
		expect(state().dialogs.get('myconnector|1|chat-1').closed).toBe(true);
		expect((await call('imopenlines.operator.answer', { CHAT_ID: d.chatId })).body.error).toBe('ACCESS_DENIED');
	});

	test('skip passes to the next queue operator; ACCESS_DENIED_KICK once closed; spam closes with SPAM', async () => {
		state().lines.get(1).QUEUE = [1, 2];
		const d = await customerDialog();
		expect((await call('imopenlines.operator.skip', { CHAT_ID: d.chatId })).body.result).toBe(true);
		expect(session(d.sessionId)).toMatchObject({ OPERATOR_ID: 2, STATUS: 'waiting' });
		expect(state().chats.get(d.chatId).USERS).not.toContain(1);
		expect((await as(2)('imopenlines.operator.spam', { CHAT_ID: d.chatId })).body.result).toBe(true);
		expect(session(d.sessionId)).toMatchObject({ STATUS: 'closed', SPAM: true });
		expect((await as(2)('imopenlines.operator.skip', { CHAT_ID: d.chatId })).body.error).toBe('ACCESS_DENIED_KICK');
	});

	test('another.finish needs an admin; operator.finish by a non-operator → ACCESS_DENIED', async () => {
		state().lines.get(1).QUEUE = [2, 3];
		const d = await customerDialog();
		expect((await as(3)('imopenlines.operator.finish', { CHAT_ID: d.chatId })).body.error).toBe('ACCESS_DENIED');
		expect((await as(3)('imopenlines.operator.another.finish', { CHAT_ID: d.chatId })).body.error).toBe('ACCESS_DENIED');
		expect((await call('imopenlines.operator.another.finish', { CHAT_ID: d.chatId })).body.result).toBe(true);
		expect(session(d.sessionId).STATUS).toBe('closed');
	});

	test('transfer: USER_ID > QUEUE_ID > TRANSFER_ID (user id or queue<ID>); documented errors', async () => {
		const d = await customerDialog();
		expect((await call('imopenlines.operator.transfer', { CHAT_ID: d.chatId, USER_ID: 4 })).body.result).toBe(true);
		expect(session(d.sessionId)).toMatchObject({ OPERATOR_ID: 4, STATUS: 'waiting' });
		const line2 = (await call('imopenlines.config.add', { PARAMS: { LINE_NAME: 'Sales', QUEUE: [{ ENTITY_TYPE: 'user', ENTITY_ID: '5' }] } })).body.result;
		expect((await call('imopenlines.operator.transfer', { CHAT_ID: d.chatId, TRANSFER_ID: `queue${line2}` })).body.result).toBe(true);
		expect(session(d.sessionId)).toMatchObject({ OPERATOR_ID: 5, LINE_ID: line2 });
		const errors = async (p) => (await call('imopenlines.operator.transfer', p)).body.error;
		expect(await errors({ USER_ID: 2 })).toBe('CHAT_ID_EMPTY');
		expect(await errors({ CHAT_ID: d.chatId })).toBe('TRANSFER_ID_EMPTY');
		expect(await errors({ CHAT_ID: d.chatId, USER_ID: 0 })).toBe('USER_ID_EMPTY');
		expect(await errors({ CHAT_ID: d.chatId, QUEUE_ID: -1 })).toBe('QUEUE_ID_EMPTY');
		expect(await errors({ CHAT_ID: d.chatId, USER_ID: 5 })).toBe('OPERATOR_WRONG');
		expect(await errors({ CHAT_ID: d.chatId, QUEUE_ID: 999 })).toBe('OPERATOR_WRONG');
	});
});

describe('bot.session.* — the hand-off', () => {
	test('a welcome-bot line starts sessions with the bot; message.send, operator hands off to the queue', async () => {
		const botId = await welcomeBot();
		const d = await customerDialog();
		expect(session(d.sessionId)).toMatchObject({ STATUS: 'bot', OPERATOR_ID: botId, BOT_ID: botId });
		expect(state().chats.get(d.chatId).USERS).toContain(botId);
		expect((await call('imopenlines.bot.session.message.send', { CHAT_ID: d.chatId, MESSAGE: 'One moment' })).body.result).toBe(true);
		expect((await call('imopenlines.bot.session.message.send', { CHAT_ID: d.chatId, NAME: 'WELCOME' })).body.result).toBe(true);
		const texts = [...state().messages.values()].filter((m) => m.CHAT_ID === d.chatId).map((m) => m.MESSAGE);
		expect(texts).toEqual(['One moment', 'Welcome to the sandbox line.']);
		expect((await call('imopenlines.bot.session.operator', { CHAT_ID: d.chatId })).body.result).toBe(true);
		expect(session(d.sessionId)).toMatchObject({ STATUS: 'waiting', OPERATOR_ID: 2 });
		expect(state().chats.get(d.chatId).USERS).not.toContain(botId);
		expect((await call('imopenlines.bot.session.operator', { CHAT_ID: d.chatId })).body.error).toBe('WRONG_CHAT');
		expect((await call('imopenlines.bot.session.operator', {})).body.error).toBe('CHAT_ID_EMPTY');
	});

	test('transfer (LEAVE=Y leaves at once) and finish; webhook needs the CLIENT_ID the bot was registered with', async () => {
		const botId = await welcomeBot();
		const d1 = await customerDialog('c1');
		expect((await call('imopenlines.bot.session.transfer', { CHAT_ID: d1.chatId, USER_ID: 3, LEAVE: 'Y' })).body.result).toBe(true);
		expect(session(d1.sessionId)).toMatchObject({ STATUS: 'waiting', OPERATOR_ID: 3 });
		expect(state().chats.get(d1.chatId).USERS).not.toContain(botId);
		expect((await call('imopenlines.bot.session.transfer', { CHAT_ID: d1.chatId, USER_ID: 2 })).body.error).toBe('OPERATOR_WRONG');
		const d2 = await customerDialog('c2');
		expect((await hook(portal.sb, 'imopenlines.bot.session.finish', { CHAT_ID: d2.chatId })).body.error).toBe('BOT_ID_ERROR');
		expect((await call('imopenlines.bot.session.finish', { CHAT_ID: d2.chatId })).body.result).toBe(true);
		expect(session(d2.sessionId).STATUS).toBe('closed');
		expect((await call('imopenlines.bot.session.transfer', { CHAT_ID: 9999, USER_ID: 2 })).body.error).toBe('WRONG_CHAT');
	});
	test('a v2 bot (imbot.v2) as welcome bot: under a webhook its botToken is the CLIENT_ID', async () => {
		const reg = await hook(portal.sb, 'imbot.v2.Bot.register', { botToken: 'v2-line-token', fields: { code: 'v2line', type: 'openline', isSupportOpenline: 'Y', properties: { name: 'V2 line bot' } } });
		const botId = reg.body.result.bot.id;
		await call('imopenlines.config.update', { CONFIG_ID: 1, PARAMS: { WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: botId, QUEUE: [{ ENTITY_TYPE: 'user', ENTITY_ID: '2' }] } });
		const d = await customerDialog();
		expect(session(d.sessionId)).toMatchObject({ STATUS: 'bot', BOT_ID: botId });
		expect((await hook(portal.sb, 'imopenlines.bot.session.transfer', { CHAT_ID: d.chatId, USER_ID: 3, CLIENT_ID: 'other' })).body.error).toBe('BOT_ID_ERROR');
		expect((await hook(portal.sb, 'imopenlines.bot.session.transfer', { CHAT_ID: d.chatId, USER_ID: 3, CLIENT_ID: 'v2-line-token' })).body.result).toBe(true);
		expect(session(d.sessionId)).toMatchObject({ STATUS: 'waiting', OPERATOR_ID: 3, BOT_WAITING: true });
	});
});

describe('crm.* and quick answers', () => {
	test('lead.create by the operator binds a lead; crm.chat.get / getLastId / user.add / user.delete / message.add', async () => {
		state().lines.get(1).QUEUE = [1, 2];
		const d = await customerDialog();
		expect((await as(2)('imopenlines.crm.lead.create', { CHAT_ID: d.chatId })).body.error).toBe('ERROR_USER_NOT_OPERATOR');
		expect((await call('imopenlines.crm.lead.create', { CHAT_ID: d.chatId })).body.result).toBe(true);
		const leadId = session(d.sessionId).CRM_LEAD;
		const crm = { CRM_ENTITY_TYPE: 'lead', CRM_ENTITY: leadId };
		expect((await call('imopenlines.dialog.get', { CHAT_ID: d.chatId })).body.result.entity_data_1).toMatch(new RegExp(`^Y\\|LEAD\\|${leadId}\\|`));
		expect((await call('imopenlines.crm.chat.get', crm)).body.result).toEqual([{ CHAT_ID: String(d.chatId), CONNECTOR_ID: 'myconnector', CONNECTOR_TITLE: 'My Connector' }]);
		expect((await call('imopenlines.crm.chat.getLastId', crm)).body.result).toBe(d.chatId);
		expect((await call('imopenlines.crm.chat.user.add', { ...crm, USER_ID: 4 })).body.result).toBe(d.chatId);
		expect((await call('imopenlines.crm.chat.user.add', { ...crm, USER_ID: 4 })).body.error).toBe('WRONG_REQUEST');
		const msgId = (await call('imopenlines.crm.message.add', { ...crm, USER_ID: 4, CHAT_ID: d.chatId, MESSAGE: 'Hi from sales' })).body.result;
		expect(state().messages.get(msgId)).toMatchObject({ AUTHOR_ID: 4, MESSAGE: 'Hi from sales' });
		expect((await call('imopenlines.crm.chat.user.delete', { ...crm, USER_ID: 4 })).body.result).toBe(d.chatId);
		expect((await call('imopenlines.crm.chat.user.delete', { ...crm, USER_ID: 4 })).body.error).toBe('WRONG_REQUEST');
		expect((await call('imopenlines.crm.message.add', { ...crm, USER_ID: 4, CHAT_ID: d.chatId, MESSAGE: 'x' })).body.error).toBe('CANCELED');
		await call('imopenlines.operator.finish', { CHAT_ID: d.chatId });
		expect((await call('imopenlines.crm.chat.get', crm)).body.result).toEqual([]);
		expect((await call('imopenlines.crm.chat.get', { ...crm, ACTIVE_ONLY: 'N' })).body.result).toHaveLength(1);
	});

	test('crm errors: ERROR_ARGUMENT, CRM_CHAT_EMPTY_CRM_DATA, CHAT_NOT_IN_CRM, CRM_CHAT_EMPTY_USER, CRM_CHAT_USER_NOT_ACTIVE', async () => {
		const d = await customerDialog();
		await call('imopenlines.crm.lead.create', { CHAT_ID: d.chatId });
		const crm = { CRM_ENTITY_TYPE: 'lead', CRM_ENTITY: session(d.sessionId).CRM_LEAD };
		const err = async (m, p) => (await call(m, p)).body.error;
		expect(await err('imopenlines.crm.chat.get', { CRM_ENTITY: 1 })).toBe('ERROR_ARGUMENT');
		expect(await err('imopenlines.crm.chat.get', { CRM_ENTITY_TYPE: 'lead', CRM_ENTITY: 'x' })).toBe('ERROR_ARGUMENT');
		expect(await err('imopenlines.crm.chat.getLastId', {})).toBe('CRM_CHAT_EMPTY_CRM_DATA');
		expect(await err('imopenlines.crm.chat.getLastId', { CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 5 })).toBe('CRM_CHAT_EMPTY_CRM_DATA');
		expect(await err('imopenlines.crm.chat.user.add', { ...crm, USER_ID: 2, CHAT_ID: 777 })).toBe('CHAT_NOT_IN_CRM');
		expect(await err('imopenlines.crm.chat.user.add', { ...crm, USER_ID: 4242 })).toBe('CRM_CHAT_USER_NOT_ACTIVE');
		expect(await err('imopenlines.crm.chat.user.add', crm)).toBe('ERROR_ARGUMENT');
		expect(await err('imopenlines.crm.chat.user.delete', crm)).toBe('CRM_CHAT_EMPTY_USER');
		expect(await err('imopenlines.crm.message.add', { ...crm, USER_ID: 1, CHAT_ID: d.chatId })).toBe('ERROR_ARGUMENT');
	});

	test('message.quick.save stores the message text; CANT_SAVE_QUICK_ANSWER for a message not in the chat', async () => {
		const d = await customerDialog();
		const msgId = state().connectorMessages[0].id;
		expect((await call('imopenlines.message.quick.save', { CHAT_ID: d.chatId, MESSAGE_ID: msgId })).body.result).toBe(true);
		expect(state().olCrm.quickAnswers).toEqual([expect.objectContaining({ TEXT: 'hello 1', CHAT_ID: d.chatId, MESSAGE_ID: msgId })]);
		expect((await call('imopenlines.message.quick.save', { CHAT_ID: d.chatId, MESSAGE_ID: 1 })).body.error).toBe('CANT_SAVE_QUICK_ANSWER');
		expect((await call('imopenlines.message.quick.save', { MESSAGE_ID: 1 })).body.error).toBe('CHAT_ID');
	});
});

describe('network.*', () => {
	const CODE = 'ab515f5d85a8b844d484f6ea75a2e494';
	test('join returns a line id (the same on a second join); CODE / NOT_FOUND / INACTIVE', async () => {
		const id = (await hook(portal.sb, 'imopenlines.network.join', { CODE })).body.result;
		expect(state().lines.get(id).LINE_NAME).toBe('Bitrix24 Network demo line');
		expect((await hook(portal.sb, 'imopenlines.network.join', { CODE })).body.result).toBe(id);
		expect((await hook(portal.sb, 'imopenlines.network.join', { CODE: 'short' })).body.error).toBe('CODE');
		expect((await hook(portal.sb, 'imopenlines.network.join', { CODE: 'f'.repeat(32) })).body.error).toBe('NOT_FOUND');
		expect((await hook(portal.sb, 'imopenlines.network.join', { CODE: 'deadbeef'.repeat(4) })).body.error).toBe('INACTIVE');
	});

	test('message.add: one message per user per week; USER_ID_EMPTY, MESSAGE_EMPTY, KEYBOARD_ERROR, ATTACH_OVERSIZE', async () => {
		const send = async (p) => (await hook(portal.sb, 'imopenlines.network.message.add', { CODE, ...p })).body;
		expect((await send({ USER_ID: 2, MESSAGE: 'Hello', KEYBOARD: [{ TEXT: 'Open', LINK: 'https://example.com' }] })).result).toBe(true);
		expect((await send({ USER_ID: 2, MESSAGE: 'Again' })).error).toBe('USER_MESSAGE_LIMIT');
		expect((await send({ MESSAGE: 'x' })).error).toBe('USER_ID_EMPTY');
		expect((await send({ USER_ID: 3 })).error).toBe('MESSAGE_EMPTY');
		expect((await send({ USER_ID: 3, MESSAGE: 'x', KEYBOARD: [{ TEXT: 'No link' }] })).error).toBe('KEYBOARD_ERROR');
		expect((await send({ USER_ID: 3, MESSAGE: 'x', ATTACH: [{ MESSAGE: 'y'.repeat(31 * 1024) }] })).error).toBe('ATTACH_OVERSIZE');
		expect((await send({ USER_ID: 4242, MESSAGE: 'x' })).error).toBe('WRONG_REQUEST');
	});
});
