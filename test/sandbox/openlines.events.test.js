'use strict';
/**
 * Open-line events (b24restdocs api-reference/imopenlines/openlines/events/*.md): ONSESSIONSTART / ONSESSIONFINISH and
 * ONOPENLINEMESSAGEADD / UPDATE / DELETE go to the connector's app, pushed to online handlers and queued for offline ones.
 */
const { start, app, control, handlerServer, setupConnector, message, waitFor } = require('./helpers');

let sb;
let h;
let token;
beforeEach(async () => {
	sb = await start();
	h = await handlerServer();
	token = sb.issueTokens().access_token;
	await setupConnector(sb, token, 'c');
});
afterEach(async () => {
	await h.close();
	await sb.stop();
});
const call = (m, p) => app(sb, token, m, p);
const bind = (event) => call('event.bind', { event, handler: `${h.url}/ol` });
const got = (event) => h.received.filter((x) => x.body.event === event);

async function customer(n, chatId = 'chat-1') {
	const r = await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [message(n, chatId)] });
	return r.body.result.DATA.RESULT[0];
}

describe('sessions', () => {
	test('first customer message: ONSESSIONSTART with the documented DATA entry, then ONOPENLINEMESSAGEADD', async () => {
		await bind('OnSessionStart');
		await bind('OnOpenLineMessageAdd');
		const sent = await customer(1);
		const [ev] = await waitFor(() => got('ONSESSIONSTART').length && got('ONSESSIONSTART'));
		const chatId = sent.session.CHAT_ID;
		expect(ev.body.data).toEqual({
			DATA: [
				{
					connector: { connector_id: 'c', line_id: '1', chat_id: 'chat-1', user_id: 'u-1' },
					session: { id: sent.session.ID, closed: 'N', parent_id: '0', close_term: expect.any(String) },
					chat: { id: chatId },
					user: { id: sent.user },
				},
			],
		});
		expect(ev.body.auth.application_token).toBeTruthy();
		const [add] = await waitFor(() => got('ONOPENLINEMESSAGEADD').length && got('ONOPENLINEMESSAGEADD'));
		const entry = add.body.data.DATA[0];
		expect(entry.connector).toEqual({ connector_id: 'c', line_id: '1', chat_id: 'chat-1', user_id: 'u-1' });
		expect(entry.chat).toEqual({ id: chatId });
		expect(entry.message).toMatchObject({ text: 'hello 1', attach: '', system: 'N', user_id: sent.user });
		expect(Number(entry.message.id)).toBeGreaterThan(0);
		expect(entry.extra).toEqual({ EXTRA_URL: '' });
		await customer(2);
		await waitFor(() => got('ONOPENLINEMESSAGEADD').length === 2);
		expect(got('ONSESSIONSTART')).toHaveLength(1); // the session is open: no new one
	});

	test('operator.finish fires ONSESSIONFINISH (closed Y); session.start fires ONSESSIONSTART for the new session', async () => {
		await bind('OnSessionStart');
		await bind('OnSessionFinish');
		const sent = await customer(1);
		const chatId = Number(sent.session.CHAT_ID);
		await waitFor(() => got('ONSESSIONSTART').length === 1);
		expect((await call('imopenlines.operator.finish', { CHAT_ID: chatId })).body.result).toBe(true);
		const [fin] = await waitFor(() => got('ONSESSIONFINISH').length && got('ONSESSIONFINISH'));
		expect(fin.body.data.DATA[0].session).toMatchObject({ id: sent.session.ID, closed: 'Y' });
		expect((await call('imopenlines.session.start', { CHAT_ID: chatId })).body.result).toBe(true);
		const starts = await waitFor(() => got('ONSESSIONSTART').length === 2 && got('ONSESSIONSTART'));
		expect(Number(starts[1].body.data.DATA[0].session.id)).toBeGreaterThan(Number(sent.session.ID));
	});

	test('sandbox dialog-start / dialog-finish fire both the connector and the session event', async () => {
		await bind('OnImConnectorDialogFinish');
		await bind('OnSessionFinish');
		await customer(1);
		const r = await control(sb, 'openlines/dialog-finish', { connector: 'c', line: 1, chatId: 'chat-1' });
		expect(r.body.deliveries.map((d) => d.event).sort()).toEqual(['ONIMCONNECTORDIALOGFINISH', 'ONSESSIONFINISH']);
	});
});

describe('messages', () => {
	test('operator reply: ONOPENLINEMESSAGEADD with the operator as user_id, beside ONIMCONNECTORMESSAGEADD', async () => {
		await bind('OnOpenLineMessageAdd');
		await customer(1);
		await waitFor(() => got('ONOPENLINEMESSAGEADD').length === 1);
		const r = await control(sb, 'openlines/operator-reply', { connector: 'c', line: 1, chatId: 'chat-1', text: 'Hi [b]there[/b]', userId: 2 });
		expect(r.body.deliveries.map((d) => d.event)).toEqual(['ONOPENLINEMESSAGEADD']);
		const adds = got('ONOPENLINEMESSAGEADD');
		expect(adds[1].body.data.DATA[0].message).toMatchObject({ id: String(r.body.messageId), text: 'Hi [b]there[/b]', user_id: '2' });
		expect(adds[1].body.auth.user_id).toBe('2');
	});

	test('operator edit / delete: ONOPENLINEMESSAGEUPDATE / DELETE with data[CONNECTOR], data[LINE] and the im block', async () => {
		await bind('OnOpenLineMessageUpdate');
		await bind('OnOpenLineMessageDelete');
		await customer(1);
		const reply = (await control(sb, 'openlines/operator-reply', { connector: 'c', line: 1, chatId: 'chat-1', text: 'x' })).body;
		const ed = await control(sb, 'openlines/operator-edit', { connector: 'c', line: 1, chatId: 'chat-1', messageId: reply.messageId, text: 'y' });
		expect(ed.body.deliveries.map((d) => d.event)).toEqual(['ONOPENLINEMESSAGEUPDATE']);
		const [upd] = got('ONOPENLINEMESSAGEUPDATE');
		const id = String(reply.messageId);
		const chat = String(reply.chatId);
		expect(upd.body.data).toEqual({ CONNECTOR: 'c', LINE: '1', DATA: [{ im: { chat_id: chat, message_id: id }, message: { id }, chat: { id: chat } }] });
		await control(sb, 'openlines/operator-delete', { connector: 'c', line: 1, chatId: 'chat-1', messageId: reply.messageId });
		expect(got('ONOPENLINEMESSAGEDELETE')[0].body.data).toEqual(upd.body.data);
	});

	test('customer edit / delete via imconnector.update.messages / delete.messages', async () => {
		await bind('OnOpenLineMessageUpdate');
		await bind('OnOpenLineMessageDelete');
		await customer(1);
		await call('imconnector.update.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [{ ...message(1), message: { id: 'm-1', text: 'edited' } }] });
		const [upd] = await waitFor(() => got('ONOPENLINEMESSAGEUPDATE').length && got('ONOPENLINEMESSAGEUPDATE'));
		expect(upd.body.data).toMatchObject({ CONNECTOR: 'c', LINE: '1' });
		await call('imconnector.delete.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [{ message: { id: 'm-1' }, chat: { id: 'chat-1' } }] });
		const [del] = await waitFor(() => got('ONOPENLINEMESSAGEDELETE').length && got('ONOPENLINEMESSAGEDELETE'));
		expect(del.body.data.DATA[0].im.message_id).toBe(upd.body.data.DATA[0].im.message_id);
	});

	test('nothing is sent to an app that does not own the connector, or without a binding', async () => {
		const other = sb.issueTokens({ clientId: 'other.app' }).access_token;
		await app(sb, other, 'event.bind', { event: 'OnOpenLineMessageAdd', handler: `${h.url}/other` });
		await customer(1);
		await new Promise((r) => setTimeout(r, 200));
		expect(h.received).toEqual([]);
	});
});

describe('a welcome bot in the open-line chat', () => {
	test('bot.session.message.send → ONOPENLINEMESSAGEADD; imbot.message.update / delete → UPDATE / DELETE; bot.session.finish → ONSESSIONFINISH', async () => {
		for (const e of ['OnOpenLineMessageAdd', 'OnOpenLineMessageUpdate', 'OnOpenLineMessageDelete', 'OnSessionFinish']) await bind(e);
		const botId = (await call('imbot.register', { CODE: 'olbot', TYPE: 'O', OPENLINE: 'Y', EVENT_HANDLER: 'http://127.0.0.1:9/h', PROPERTIES: { NAME: 'Line bot' } })).body.result;
		await call('imopenlines.config.update', { CONFIG_ID: 1, PARAMS: { WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: botId } });
		const sent = await customer(1);
		const chatId = Number(sent.session.CHAT_ID);
		await call('imopenlines.dialog.get', { CHAT_ID: chatId });
		expect((await call('imopenlines.bot.session.message.send', { CHAT_ID: chatId, MESSAGE: 'One moment' })).body.result).toBe(true);
		const botAdd = await waitFor(() => got('ONOPENLINEMESSAGEADD').find((x) => x.body.data.DATA[0].message.text === 'One moment'));
		expect(botAdd.body.data.DATA[0].message.user_id).toBe(String(botId));
		const messageId = Number(botAdd.body.data.DATA[0].message.id);
		expect((await call('imbot.message.update', { BOT_ID: botId, MESSAGE_ID: messageId, MESSAGE: 'Two moments' })).body.result).toBe(true);
		const [upd] = await waitFor(() => got('ONOPENLINEMESSAGEUPDATE').length && got('ONOPENLINEMESSAGEUPDATE'));
		expect(upd.body.data.DATA[0].im).toEqual({ chat_id: String(chatId), message_id: String(messageId) });
		expect((await call('imbot.message.delete', { BOT_ID: botId, MESSAGE_ID: messageId })).body.result).toBe(true);
		await waitFor(() => got('ONOPENLINEMESSAGEDELETE').length === 1);
		expect((await call('imopenlines.bot.session.finish', { CHAT_ID: chatId })).body.result).toBe(true);
		const [fin] = await waitFor(() => got('ONSESSIONFINISH').length && got('ONSESSIONFINISH'));
		expect(fin.body.data.DATA[0].session).toMatchObject({ id: sent.session.ID, closed: 'Y' });
	});
});

describe('offline', () => {
	test('offline bindings queue ONSESSIONSTART, ONOPENLINEMESSAGEADD and ONSESSIONFINISH records', async () => {
		for (const event of ['OnSessionStart', 'OnSessionFinish', 'OnOpenLineMessageAdd']) {
			expect((await call('event.bind', { event, event_type: 'offline' })).body.result).toBe(true);
		}
		await customer(1);
		const fin = await control(sb, 'openlines/dialog-finish', { connector: 'c', line: 1, chatId: 'chat-1' });
		expect(fin.body.deliveries).toEqual([{ event: 'ONSESSIONFINISH', offline: true, id: 3 }]);
		const list = (await call('event.offline.list')).body.result;
		expect(list.map((r) => r.EVENT_NAME)).toEqual(['ONSESSIONSTART', 'ONOPENLINEMESSAGEADD', 'ONSESSIONFINISH']);
		expect(list[2].EVENT_DATA.DATA[0].session.closed).toBe('Y');
		expect(list[1].EVENT_DATA.DATA[0].message.text).toBe('hello 1');
		expect(h.received).toEqual([]);
	});
});
