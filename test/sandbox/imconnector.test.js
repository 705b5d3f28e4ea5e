'use strict';
const { start, app, setupConnector, message, ICON } = require('./helpers');

let sb;
let token;
beforeEach(async () => {
	sb = await start();
	token = sb.issueTokens().access_token;
});
afterEach(() => sb.stop());

const call = (m, p) => app(sb, token, m, p);

describe('imconnector.register / unregister / list', () => {
	test('register: nested {result:true}; ID is lower-cased; list shows built-ins and ours', async () => {
		const r = await call('imconnector.register', { ID: 'My_Conn', NAME: 'My Conn', ICON, PLACEMENT_HANDLER: 'https://e.x/p' });
		expect(r.status).toBe(200);
		expect(r.body.result).toEqual({ result: true });
		expect((await call('imconnector.list')).body.result).toEqual({ livechat: 'Live Chat', telegrambot: 'Telegram', network: 'Bitrix24.Network', my_conn: 'My Conn' });
	});

	test.each([
		[{ NAME: 'n', ICON, PLACEMENT_HANDLER: 'h' }, 'CONNECTOR_ID_REQUIRED'],
		[{ ID: 'a.b', NAME: 'n', ICON, PLACEMENT_HANDLER: 'h' }, 'APPLICATION_REGISTRATION_ERROR_POINT'],
		[{ ID: 'a', ICON, PLACEMENT_HANDLER: 'h' }, 'NAME_REQUIRED'],
		[{ ID: 'a', NAME: 'n', PLACEMENT_HANDLER: 'h' }, 'ICON_REQUIRED'],
		[{ ID: 'a', NAME: 'n', ICON: { COLOR: '#fff' }, PLACEMENT_HANDLER: 'h' }, 'ICON_REQUIRED'],
		[{ ID: 'a', NAME: 'n', ICON }, 'NO_PLACEMENT_HANDLER'],
		[{ ID: 'livechat', NAME: 'n', ICON, PLACEMENT_HANDLER: 'h' }, 'APPLICATION_REGISTRATION_ERROR'],
	])('register failure inside a 200: %j -> %s', async (params, code) => {
		const r = await call('imconnector.register', params);
		expect(r.status).toBe(200);
		expect(r.body.result).toMatchObject({ result: false, error: code });
		expect(typeof r.body.result.error_description).toBe('string');
	});

	test('unregister: {result:true}; unknown -> result:false APPLICATION_UNREGISTRATION_ERROR', async () => {
		await setupConnector(sb, token, 'c1');
		expect((await call('imconnector.unregister', { ID: 'c1' })).body.result).toEqual({ result: true });
		expect((await call('imconnector.list')).body.result.c1).toBeUndefined();
		const again = await call('imconnector.unregister', { ID: 'c1' });
		expect(again.status).toBe(200);
		expect(again.body.result).toMatchObject({ result: false, error: 'APPLICATION_UNREGISTRATION_ERROR' });
	});
});

describe('activate / status / connector.data.set', () => {
	test('ACTIVE 1/Y enable; 0/N/empty disable; status reflects it; STATUS needs data.set', async () => {
		await call('imconnector.register', { ID: 'c', NAME: 'C', ICON, PLACEMENT_HANDLER: 'h' });
		const status = async () => (await call('imconnector.status', { CONNECTOR: 'c', LINE: 1 })).body.result;
		expect(await status()).toEqual({ LINE: 1, CONNECTOR: 'c', ERROR: false, CONFIGURED: false, STATUS: false });
		for (const [value, on] of [[1, true], ['0', false], ['Y', true], ['N', false], ['1', true], ['', false]]) {
			expect((await call('imconnector.activate', { CONNECTOR: 'c', LINE: 1, ACTIVE: value })).body.result).toBe(true);
			expect((await status()).CONFIGURED).toBe(on);
		}
		await call('imconnector.activate', { CONNECTOR: 'c', LINE: 1, ACTIVE: 1 });
		expect((await status()).STATUS).toBe(false);
		expect((await call('imconnector.connector.data.set', { CONNECTOR: 'c', LINE: 1, DATA: { ID: 'c_line1', URL: 'https://x', NAME: 'Chan' } })).body.result).toBe(true);
		expect(await status()).toMatchObject({ CONFIGURED: true, STATUS: true });
		expect((await call('imconnector.status', { CONNECTOR: 'c' })).body.result).toMatchObject({ LINE: 0, CONFIGURED: false, STATUS: false });
	});

	test('connector.data.set replaces the whole DATA', async () => {
		await setupConnector(sb, token, 'c');
		await call('imconnector.connector.data.set', { CONNECTOR: 'c', LINE: 1, DATA: { ID: 'x', URL: 'https://u', NAME: 'N' } });
		await call('imconnector.connector.data.set', { CONNECTOR: 'c', LINE: 1, DATA: { NAME: 'Only' } });
		expect(sb.state.connectorLines.get('c|1').data).toEqual({ NAME: 'Only' });
	});

	test.each([
		['imconnector.activate', { LINE: 1, ACTIVE: 1 }, "Argument 'CONNECTOR' is null or empty"],
		['imconnector.activate', { CONNECTOR: 'c', ACTIVE: 1 }, "Argument 'LINE' is null or empty"],
		['imconnector.activate', { CONNECTOR: 'c', LINE: 1 }, "Argument 'ACTIVE' is null or empty"],
		['imconnector.status', {}, "Argument 'CONNECTOR' is null or empty"],
		['imconnector.connector.data.set', { CONNECTOR: 'c', LINE: 1 }, "Argument 'DATA' is null or empty"],
		['imconnector.send.messages', { CONNECTOR: 'c', LINE: 1 }, "Argument 'MESSAGES' is null or empty"],
	])('%s %j -> 400 ERROR_ARGUMENT', async (method, params, description) => {
		await setupConnector(sb, token, 'c');
		const r = await call(method, params);
		expect(r.status).toBe(400);
		expect(r.body).toEqual({ error: 'ERROR_ARGUMENT', error_description: description });
	});
});

describe('send.messages / update.messages / delete.messages', () => {
	test('creates a Bitrix chat + session per external chat; stores every message, duplicates included', async () => {
		await setupConnector(sb, token, 'c');
		const r = await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [message(1), message(2), message(3, 'chat-2', 'u-2'), message(1)] });
		expect(r.status).toBe(200);
		expect(r.body.result.SUCCESS).toBe(true);
		const res = r.body.result.DATA.RESULT;
		expect(res).toHaveLength(4);
		for (const el of res) expect(el.SUCCESS).toBe(true);
		expect(res[0]).toMatchObject({ message: { id: 'm-1', text: 'hello 1' }, chat: { id: 'chat-1', name: 'Support' } });
		expect(res[0].user).toMatch(/^\d+$/);
		expect(res[0].session.CHAT_ID).toBe(res[1].session.CHAT_ID);
		expect(res[0].session.ID).toBe(res[1].session.ID);
		expect(res[2].session.CHAT_ID).not.toBe(res[0].session.CHAT_ID);
		expect(sb.state.connectorMessages).toHaveLength(4);
		expect(sb.state.connectorMessages.filter((m) => m.externalMessageId === 'm-1')).toHaveLength(2);
	});

	test('a bad message fails only itself (user.id, chat.id, neither text nor files)', async () => {
		await setupConnector(sb, token, 'c');
		const noUser = { message: { id: 'x1', text: 't' }, chat: { id: 'c1' } };
		const noChat = { user: { id: 'u' }, message: { id: 'x2', text: 't' } };
		const empty = { user: { id: 'u' }, message: { id: 'x3' }, chat: { id: 'c1' } };
		const fileOnly = { user: { id: 'u' }, message: { id: 'x4', files: [{ url: 'https://e.x/a.jpg', name: 'a.jpg' }] }, chat: { id: 'c1' } };
		const r = await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [noUser, message(1), noChat, empty, fileOnly] });
		const res = r.body.result.DATA.RESULT;
		expect(res.map((e) => e.SUCCESS)).toEqual([false, true, false, false, true]);
		expect(res[0].ERRORS.length).toBeGreaterThan(0);
		expect(sb.state.connectorMessages).toHaveLength(2);
	});

	test('MESSAGES must be an array of objects', async () => {
		await setupConnector(sb, token, 'c');
		let r = await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: 'nope' });
		expect(r.body).toEqual({ error: 'ERROR_ARGUMENT', error_description: "The value of an argument 'MESSAGES' must be of type array" });
		r = await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: ['a'] });
		expect(r.body.error_description).toBe("The value of an argument 'MESSAGES' must be an array of messages (arrays)");
	});

	test('NOT_ACTIVE_LINE when the connector is not active on the line; unknown connector -> IMCONNECTOR_NO_CORRECT_PROVIDER', async () => {
		await setupConnector(sb, token, 'c');
		let r = await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 2, MESSAGES: [message(1)] });
		expect(r.status).toBe(400);
		expect(r.body.error).toBe('NOT_ACTIVE_LINE');
		await call('imconnector.activate', { CONNECTOR: 'c', LINE: 1, ACTIVE: 0 });
		r = await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [message(1)] });
		expect(r.body.error).toBe('NOT_ACTIVE_LINE');
		r = await call('imconnector.send.messages', { CONNECTOR: 'other', LINE: 1, MESSAGES: [message(1)] });
		expect(r.body.error).toBe('IMCONNECTOR_NO_CORRECT_PROVIDER');
	});

	test('update.messages and delete.messages match external ids', async () => {
		await setupConnector(sb, token, 'c');
		await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [message(1)] });
		const upd = { user: { id: 'u-1' }, message: { id: 'm-1', text: 'edited' }, chat: { id: 'chat-1' } };
		let r = await call('imconnector.update.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [upd, { ...upd, message: { id: 'nope', text: 'x' } }] });
		expect(r.body.result.DATA.RESULT.map((e) => e.SUCCESS)).toEqual([true, false]);
		expect(r.body.result.DATA.RESULT[0].session).toBeUndefined();
		expect(sb.state.connectorMessages[0]).toMatchObject({ text: 'edited', updated: true });
		r = await call('imconnector.delete.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [{ user: { id: 'u-1' }, message: { id: 'm-1' }, chat: { id: 'chat-1' } }] });
		expect(r.body.result.DATA.RESULT[0]).toMatchObject({ message: { id: 'm-1' }, chat: { id: 'chat-1' }, SUCCESS: true });
		expect(sb.state.connectorMessages[0].deleted).toBe(true);
	});

	test('form-encoded send.messages (PHP bracket keys) works too', async () => {
		await setupConnector(sb, token, 'c');
		const body = 'CONNECTOR=c&LINE=1&MESSAGES[0][user][id]=u9&MESSAGES[0][message][id]=m9&MESSAGES[0][message][text]=hi&MESSAGES[0][chat][id]=ch9';
		const res = await fetch(`${sb.url}/rest/imconnector.send.messages`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' }, body });
		const json = await res.json();
		expect(json.result.DATA.RESULT[0].SUCCESS).toBe(true);
	});
});

describe('status.delivery / status.reading / chat.name.set', () => {
	test('delivery returns {SUCCESS:true, DATA:[]} and links external ids to the operator message', async () => {
		await setupConnector(sb, token, 'c');
		await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [message(1)] });
		const reply = (await (await fetch(`${sb.url}/sandbox/openlines/operator-reply`, { method: 'POST', body: JSON.stringify({ connector: 'c', line: 1, chatId: 'chat-1', text: 'Hi' }) })).json());
		const el = { im: { chat_id: reply.chatId, message_id: reply.messageId }, message: { id: ['ext-out-1'], date: 1738065600 }, chat: { id: 'chat-1' } };
		const r = await call('imconnector.send.status.delivery', { CONNECTOR: 'c', LINE: 1, MESSAGES: [el] });
		expect(r.body.result).toEqual({ SUCCESS: true, DATA: [] });
		expect(sb.state.operatorMessages.get(reply.messageId)).toMatchObject({ delivered: true, read: true, externalIds: ['ext-out-1'] });
		const rd = await call('imconnector.send.status.reading', { CONNECTOR: 'c', LINE: 1, MESSAGES: [el] });
		expect(rd.body.result).toEqual({ SUCCESS: true, DATA: [] });
		expect((await call('imconnector.send.status.delivery', { CONNECTOR: 'c', LINE: 1 })).body.error).toBe('ERROR_ARGUMENT');
	});

	test('chat.name.set renames; USER_ID needed when CHAT_GROUP is false; unknown chat -> CHAT_RENAMING_FAILED', async () => {
		await setupConnector(sb, token, 'c');
		await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [message(1)] });
		let r = await call('imconnector.chat.name.set', { CONNECTOR: 'c', LINE: 1, CHAT_ID: 'chat-1', NAME: 'Renamed' });
		expect(r.body).toEqual({ error: 'ERROR_ARGUMENT', error_description: "Argument 'USER_ID' is null or empty" });
		r = await call('imconnector.chat.name.set', { CONNECTOR: 'c', LINE: 1, CHAT_ID: 'chat-1', NAME: 'Renamed', USER_ID: 'u-1' });
		expect(r.body.result).toEqual({ SUCCESS: true, DATA: { RESULT: {} } });
		const chatId = sb.state.dialogs.get('c|1|chat-1').chatId;
		expect(sb.state.chats.get(chatId).TITLE).toBe('Renamed');
		r = await call('imconnector.chat.name.set', { CONNECTOR: 'c', LINE: 1, CHAT_ID: 'nope', NAME: 'X', USER_ID: 'u' });
		expect(r.body.error).toBe('CHAT_RENAMING_FAILED');
		expect((await call('imconnector.chat.name.set', { CONNECTOR: 'c', LINE: 1, CHAT_ID: 'chat-1' })).body.error_description).toBe("Argument 'NAME' is null or empty");
	});

	test('CHAT_GROUP connectors do not need USER_ID', async () => {
		await setupConnector(sb, token, 'g', { CHAT_GROUP: 'Y' });
		await call('imconnector.send.messages', { CONNECTOR: 'g', LINE: 1, MESSAGES: [message(1)] });
		const r = await call('imconnector.chat.name.set', { CONNECTOR: 'g', LINE: 1, CHAT_ID: 'chat-1', NAME: 'Group' });
		expect(r.body.result.SUCCESS).toBe(true);
	});
});
