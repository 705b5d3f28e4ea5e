'use strict';
/**
 * A customer message on an Open Channel line (imconnector.send.messages) reaches the line's welcome bot while the
 * session is with the bot: v1 (ONIMBOTMESSAGEADD to EVENT_MESSAGE_ADD), v2 fetch (imbot.v2.Event.get) and v2 webhook
 * (POST). The bot's answer goes out to the connector; after bot.session.operator / .transfer the bot gets nothing more
 * and the operator has the dialog (GET /sandbox/openlines/sessions), whose reply goes out through the connector.
 */
const { hook, control, handlerServer, setupConnector, waitFor } = require('./helpers');
const { openLinesPortal } = require('./imopenlinesPortal');

const portal = openLinesPortal();
const { call } = portal;
let h;
beforeEach(async () => {
	h = await handlerServer();
});
afterEach(() => h.close());

const customerSays = (text, extChat = 'c-1') => call('imconnector.send.messages', {
	CONNECTOR: 'myconnector', LINE: 1, MESSAGES: [{ user: { id: `u-${extChat}`, name: 'Klaus' }, message: { id: `m-${text}`, text }, chat: { id: extChat } }],
});
const got = (event, path) => h.received.filter((r) => r.body.event === event && (!path || r.path === path));
const toConnector = (text) => got('ONIMCONNECTORMESSAGEADD').find((r) => r.body.data.MESSAGES[0].message.text.endsWith(text));
const dialogs = async () => (await control(portal.sb, 'openlines/sessions', undefined, 'GET')).body.dialogs;

async function line(botId) {
	await setupConnector(portal.sb, portal.token);
	await call('event.bind', { event: 'OnImConnectorMessageAdd', handler: `${h.url}/connector` });
	await call('imopenlines.config.update', { CONFIG_ID: 1, PARAMS: { WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: botId, QUEUE: [{ ENTITY_TYPE: 'user', ENTITY_ID: '2' }] } });
}

test('v1 welcome bot: gets the customer message, answers out through the connector, hands off, then gets nothing', async () => {
	const botId = (await call('imbot.register', { CODE: 'olbot', TYPE: 'O', OPENLINE: 'Y', EVENT_HANDLER: `${h.url}/bot`, PROPERTIES: { NAME: 'Line bot' } })).body.result;
	await line(botId);
	const sent = (await customerSays('hi')).body.result.DATA.RESULT[0];
	const chatId = Number(sent.session.CHAT_ID);
	const [ev] = await waitFor(() => got('ONIMBOTMESSAGEADD', '/bot').length && got('ONIMBOTMESSAGEADD', '/bot'));
	expect(ev.body.data.PARAMS).toMatchObject({ MESSAGE: 'hi', DIALOG_ID: `chat${chatId}`, CHAT_ENTITY_TYPE: 'LINES', MESSAGE_TYPE: 'L' });
	expect(ev.body.data.BOT[botId]).toMatchObject({ BOT_ID: String(botId) });
	expect((await call('imbot.message.add', { BOT_ID: botId, DIALOG_ID: `chat${chatId}`, MESSAGE: 'Hello, how can I help?' })).body.result).toBeGreaterThan(0);
	const out = await waitFor(() => toConnector('Hello, how can I help?'));
	expect(out.body.data.MESSAGES[0]).toMatchObject({ message: { user_id: String(botId) }, chat: { id: 'c-1' } });
	expect((await dialogs())[0]).toMatchObject({ status: 'bot', heldBy: { id: botId, bot: true } });

	expect((await call('imopenlines.bot.session.operator', { CHAT_ID: chatId })).body.result).toBe(true);
	await customerSays('a person please');
	const [d] = await dialogs();
	expect(d).toMatchObject({ status: 'waiting', operatorId: 2, heldBy: { id: 2, bot: false } });
	expect(d.messages.map((m) => m.text)).toEqual(['hi', 'Hello, how can I help?', 'a person please']);
	const reply = await control(portal.sb, 'openlines/operator-reply', { connector: 'myconnector', line: 1, chatId: 'c-1', text: 'Operator here' });
	expect(reply.status).toBe(200);
	const opOut = await waitFor(() => toConnector('Operator here'));
	expect(opOut.body.data.MESSAGES[0].message.user_id).toBe('2');
	expect(got('ONIMBOTMESSAGEADD', '/bot')).toHaveLength(1);
});

test('v2 fetch welcome bot: the message is in its Event.get queue until bot.session.transfer; nothing after', async () => {
	const reg = await hook(portal.sb, 'imbot.v2.Bot.register', { botToken: 'tok-line', fields: { code: 'v2line', type: 'openline', isSupportOpenline: 'Y', properties: { name: 'V2 line bot' } } });
	const botId = reg.body.result.bot.id;
	const as = (m, p) => hook(portal.sb, `imbot.v2.${m}`, { botId, botToken: 'tok-line', ...p });
	await line(botId);
	await customerSays('hello bot');
	const first = (await as('Event.get', {})).body.result;
	expect(first.events.map((e) => e.type)).toEqual(['ONIMBOTV2MESSAGEADD']);
	const { message, chat, user } = first.events[0].data;
	expect(message).toMatchObject({ text: 'hello bot' });
	expect(chat).toMatchObject({ type: 'lines', entityType: 'LINES', dialogId: `chat${chat.id}` });
	expect(user).toMatchObject({ name: 'Klaus' });
	expect((await as('Chat.Message.send', { dialogId: chat.dialogId, fields: { message: 'Bot answer' } })).status).toBe(200);
	await waitFor(() => toConnector('Bot answer'));

	expect((await hook(portal.sb, 'imopenlines.bot.session.transfer', { CHAT_ID: chat.id, QUEUE_ID: 1, CLIENT_ID: 'tok-line' })).body.result).toBe(true);
	await customerSays('operator?');
	const after = (await as('Event.get', { offset: first.nextOffset })).body.result;
	expect(after.events).toEqual([]);
	expect((await dialogs())[0]).toMatchObject({ status: 'waiting', heldBy: { id: 2, bot: false } });
	await control(portal.sb, 'openlines/operator-reply', { connector: 'myconnector', line: 1, chatId: 'c-1', text: 'Human here' });
	expect((await waitFor(() => toConnector('Human here'))).body.data.MESSAGES[0].message.user_id).toBe('2');
});

test('v2 webhook welcome bot: the message is POSTed to its webhookUrl; a line without a welcome bot routes nothing', async () => {
	const reg = await hook(portal.sb, 'imbot.v2.Bot.register', {
		botToken: 'tok-hook', fields: { code: 'v2hook', type: 'openline', eventMode: 'webhook', webhookUrl: `${h.url}/v2`, properties: { name: 'Hook bot' } },
	});
	const botId = reg.body.result.bot.id;
	await line(botId);
	await customerSays('via webhook');
	const [ev] = await waitFor(() => got('ONIMBOTV2MESSAGEADD', '/v2').length && got('ONIMBOTV2MESSAGEADD', '/v2'));
	expect(ev.body.data).toMatchObject({ bot: { id: String(botId) }, message: { text: 'via webhook' }, chat: { type: 'lines' } });
	await call('imopenlines.config.update', { CONFIG_ID: 1, PARAMS: { WELCOME_BOT_ENABLE: 'N' } });
	await customerSays('no bot', 'c-2');
	await customerSays('no bot either', 'c-3');
	expect(got('ONIMBOTV2MESSAGEADD', '/v2')).toHaveLength(1);
	const page = await fetch(`${portal.sb.url}/sandbox/openlines/view`);
	expect(await page.text()).toMatch(/Hook bot<\/b> has the dialog/);
});
