'use strict';
const { start, app, control, handlerServer, setupConnector, message, waitFor } = require('./helpers');

let sb;
let token;
let h;
beforeEach(async () => {
	sb = await start();
	token = sb.issueTokens().access_token;
	h = await handlerServer();
});
afterEach(async () => {
	await sb.stop();
	await h.close();
});
const call = (m, p) => app(sb, token, m, p);

describe('event.bind / unbind / get', () => {
	test('bind (any case), duplicate refused, get lists, unbind counts', async () => {
		expect((await call('event.bind', { event: 'OnImConnectorMessageAdd', handler: `${h.url}/ev` })).body.result).toBe(true);
		const dup = await call('event.bind', { event: 'ONIMCONNECTORMESSAGEADD', handler: `${h.url}/ev` });
		expect(dup.status).toBe(400);
		expect(dup.body).toEqual({ error: 'ERROR_CORE', error_description: 'Handler already binded' });
		expect((await call('event.get')).body.result).toEqual([{ event: 'ONIMCONNECTORMESSAGEADD', handler: `${h.url}/ev`, auth_type: '0', offline: 0 }]);
		expect((await call('event.unbind', { event: 'onimconnectormessageadd', handler: `${h.url}/ev` })).body.result).toEqual({ count: 1 });
		expect((await call('event.unbind', { event: 'onimconnectormessageadd', handler: `${h.url}/ev` })).body.result).toEqual({ count: 0 });
		expect((await call('event.get')).body.result).toEqual([]);
	});

	test('unknown event -> 400 ERROR_EVENT_NOT_FOUND', async () => {
		const r = await call('event.bind', { event: 'OnSomethingElse', handler: `${h.url}/ev` });
		expect(r.status).toBe(400);
		expect(r.body.error).toBe('ERROR_EVENT_NOT_FOUND');
		expect((await call('event.unbind', { event: 'OnNope', handler: 'x' })).body.error).toBe('ERROR_EVENT_NOT_FOUND');
	});
});

describe('connector events', () => {
	async function bindAll() {
		for (const e of ['OnImConnectorMessageAdd', 'OnImConnectorMessageUpdate', 'OnImConnectorMessageDelete', 'OnImConnectorDialogStart', 'OnImConnectorDialogFinish', 'OnImConnectorStatusDelete', 'OnImConnectorLineDelete']) {
			await call('event.bind', { event: e, handler: `${h.url}/ev` });
		}
	}

	test('operator-reply -> ONIMCONNECTORMESSAGEADD as a PHP form body with the documented shape', async () => {
		await setupConnector(sb, token, 'c');
		await bindAll();
		await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [message(1)] });
		const r = await control(sb, 'openlines/operator-reply', { connector: 'c', line: 1, chatId: 'chat-1', text: 'Guten Tag!', userId: 2 });
		expect(r.status).toBe(200);
		expect(r.body.deliveries).toEqual([{ url: `${h.url}/ev`, event: 'ONIMCONNECTORMESSAGEADD', status: 200, body: 'ok' }]);
		const got = h.received.find((x) => x.body.event === 'ONIMCONNECTORMESSAGEADD');
		expect(got.headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(got.raw).toMatch(/^event=ONIMCONNECTORMESSAGEADD&event_handler_id=\d+&data%5BCONNECTOR%5D=c&/);
		expect(got.raw).toContain('auth%5Bapplication_token%5D=sandbox-app-token');
		expect(got.body.data).toEqual({
			CONNECTOR: 'c',
			LINE: '1',
			MESSAGES: [{ im: { chat_id: String(r.body.chatId), message_id: String(r.body.messageId) }, message: { user_id: '2', text: '[b]Boris Becker:[/b] [br]Guten Tag!' }, chat: { id: 'chat-1' } }],
		});
		expect(got.body.ts).toMatch(/^\d+$/);
		expect(got.body.auth).toMatchObject({ domain: `127.0.0.1:${sb.port}`, member_id: expect.any(String), application_token: 'sandbox-app-token', user_id: '2', status: 'L', client_endpoint: `${sb.url}/rest/` });
		// the event's access token works against the portal
		expect((await app(sb, got.body.auth.access_token, 'profile')).body.result.ID).toBe('2');
		// and the first customer message started a dialog
		const start = await waitFor(() => h.received.find((x) => x.body.event === 'ONIMCONNECTORDIALOGSTART'));
		expect(start.body.data).toMatchObject({ CONNECTOR: 'c', LINE: '1', DATA: [{ connector: { connector_id: 'c', line_id: '1', chat_id: 'chat-1', user_id: 'u-1' }, session: { closed: 'N' }, chat: { id: String(r.body.chatId) } }] });
	});

	test('operator-edit / operator-delete carry the external ids from send.status.delivery', async () => {
		await setupConnector(sb, token, 'c');
		await bindAll();
		await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [message(1)] });
		const reply = (await control(sb, 'openlines/operator-reply', { connector: 'c', line: 1, chatId: 'chat-1', text: 'Hi' })).body;
		await call('imconnector.send.status.delivery', { CONNECTOR: 'c', LINE: 1, MESSAGES: [{ im: { chat_id: reply.chatId, message_id: reply.messageId }, message: { id: ['out-1'], date: 1 }, chat: { id: 'chat-1' } }] });
		const ed = await control(sb, 'openlines/operator-edit', { connector: 'c', line: 1, chatId: 'chat-1', messageId: reply.messageId, text: 'Hi2' });
		expect(ed.body.deliveries[0].event).toBe('ONIMCONNECTORMESSAGEUPDATE');
		let got = h.received.find((x) => x.body.event === 'ONIMCONNECTORMESSAGEUPDATE');
		expect(got.body.data.MESSAGES[0]).toEqual({ im: { chat_id: String(reply.chatId), message_id: String(reply.messageId) }, message: { id: ['out-1'], text: 'Hi2' }, chat: { id: 'chat-1' } });
		await control(sb, 'openlines/operator-delete', { connector: 'c', line: 1, chatId: 'chat-1', messageId: reply.messageId });
		got = h.received.find((x) => x.body.event === 'ONIMCONNECTORMESSAGEDELETE');
		expect(got.body.data.MESSAGES[0].message).toEqual({ id: ['out-1'] });
	});

	test('dialog finish/start, status delete, line delete', async () => {
		await setupConnector(sb, token, 'c');
		await bindAll();
		await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [message(1)] });
		const fin = await control(sb, 'openlines/dialog-finish', { connector: 'c', line: 1, chatId: 'chat-1' });
		expect(fin.body.deliveries[0].event).toBe('ONIMCONNECTORDIALOGFINISH');
		expect(h.received.find((x) => x.body.event === 'ONIMCONNECTORDIALOGFINISH').body.data.DATA[0].session.closed).toBe('Y');
		const st = await control(sb, 'openlines/dialog-start', { connector: 'c', line: 1, chatId: 'chat-1' });
		expect(st.body.sessionId).toBeGreaterThan(fin.body.sessionId);
		const sd = await control(sb, 'openlines/status-delete', { connector: 'c', line: 1 });
		expect(sd.body.deliveries[0].event).toBe('ONIMCONNECTORSTATUSDELETE');
		expect(h.received.find((x) => x.body.event === 'ONIMCONNECTORSTATUSDELETE').body.data).toEqual({ connector: 'c', line: '1' });
		expect((await call('imconnector.status', { CONNECTOR: 'c', LINE: 1 })).body.result.CONFIGURED).toBe(false);
		const ld = await control(sb, 'openlines/line-delete', { line: 1 });
		expect(ld.body.deliveries[0].event).toBe('ONIMCONNECTORLINEDELETE');
		expect(h.received.find((x) => x.body.event === 'ONIMCONNECTORLINEDELETE').body.data).toBe('1');
		expect((await control(sb, 'openlines/line-delete', { line: 1 })).status).toBe(404);
	});

	test('applicationToken override forges an event; unknown dialog -> 404', async () => {
		await setupConnector(sb, token, 'c');
		await bindAll();
		await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [message(1)] });
		await control(sb, 'openlines/operator-reply', { connector: 'c', line: 1, chatId: 'chat-1', text: 'x', applicationToken: 'forged' });
		expect(h.received.find((x) => x.body.event === 'ONIMCONNECTORMESSAGEADD').body.auth.application_token).toBe('forged');
		expect((await control(sb, 'openlines/operator-reply', { connector: 'c', line: 1, chatId: 'nope', text: 'x' })).status).toBe(404);
	});

	test('no handler bound -> no delivery', async () => {
		await setupConnector(sb, token, 'c');
		await call('imconnector.send.messages', { CONNECTOR: 'c', LINE: 1, MESSAGES: [message(1)] });
		expect((await control(sb, 'openlines/operator-reply', { connector: 'c', line: 1, chatId: 'chat-1', text: 'x' })).body.deliveries).toEqual([]);
	});
});

describe('bot events', () => {
	async function bot(extra = {}) {
		const r = await call('imbot.register', { CODE: 'b', TYPE: 'O', EVENT_HANDLER: `${h.url}/bot`, PROPERTIES: { NAME: 'Helper' }, ...extra });
		return r.body.result;
	}

	test('user-message -> ONIMBOTMESSAGEADD to EVENT_MESSAGE_ADD with BOT, PARAMS, USER blocks', async () => {
		const id = await bot();
		const r = await control(sb, `bots/${id}/user-message`, { userId: 3, text: 'Hello bot' });
		expect(r.body.deliveries).toEqual([{ url: `${h.url}/bot`, event: 'ONIMBOTMESSAGEADD', status: 200, body: 'ok' }]);
		const got = h.received[0].body;
		expect(got.event).toBe('ONIMBOTMESSAGEADD');
		expect(got.data.PARAMS).toMatchObject({ MESSAGE: 'Hello bot', MESSAGE_ID: String(r.body.messageId), DIALOG_ID: '3', FROM_USER_ID: '3', TO_USER_ID: String(id), CHAT_TYPE: 'P', MESSAGE_TYPE: 'P', AUTHOR_ID: '3', SYSTEM: 'N' });
		expect(got.data.USER).toMatchObject({ ID: '3', NAME: 'Clara Schmidt', FIRST_NAME: 'Clara', LAST_NAME: 'Schmidt', IS_BOT: 'N' });
		expect(got.data.BOT[id]).toMatchObject({ BOT_ID: String(id), BOT_CODE: 'b', user_id: String(id), client_id: 'local.sandbox.app', application_token: 'sandbox-app-token' });
		expect(got.data.BOT[id].AUTH.access_token).toBe(got.data.BOT[id].access_token);
		expect(got.auth).toMatchObject({ application_token: 'sandbox-app-token', user_id: '3' });
		// the bot answers with its own token
		const ans = await app(sb, got.data.BOT[id].access_token, 'imbot.message.add', { DIALOG_ID: got.data.PARAMS.DIALOG_ID, MESSAGE: 'Hi Clara' });
		expect(ans.status).toBe(200);
	});

	test('group chat message has MESSAGE_ORIGINAL with the mention and CHAT_* fields', async () => {
		const id = await bot();
		const chatId = (await call('imbot.chat.add', { BOT_ID: id, TITLE: 'G', USERS: [2] })).body.result;
		await control(sb, `bots/${id}/user-message`, { userId: 2, dialogId: `chat${chatId}`, text: 'yo' });
		const p = h.received[0].body.data.PARAMS;
		expect(p).toMatchObject({ DIALOG_ID: `chat${chatId}`, CHAT_ID: String(chatId), CHAT_TITLE: 'G', MESSAGE_ORIGINAL: `[USER=${id}]Helper[/USER] yo`, CHAT_TYPE: 'C' });
	});

	test('user-command -> ONIMCOMMANDADD to the command URL', async () => {
		const id = await bot();
		const cmd = (await call('imbot.command.register', { BOT_ID: id, COMMAND: 'echo', EVENT_COMMAND_ADD: `${h.url}/cmd`, LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Echo' }] })).body.result;
		const r = await control(sb, `bots/${id}/user-command`, { userId: 2, command: 'echo', params: 'a b' });
		expect(r.body.deliveries[0]).toMatchObject({ url: `${h.url}/cmd`, event: 'ONIMCOMMANDADD', status: 200 });
		const got = h.received[0];
		expect(got.path).toBe('/cmd');
		expect(got.body.data.COMMAND[cmd]).toMatchObject({ BOT_ID: String(id), COMMAND: 'echo', COMMAND_ID: String(cmd), COMMAND_PARAMS: 'a b', COMMAND_CONTEXT: 'TEXTAREA', MESSAGE_ID: String(r.body.messageId) });
		expect(got.body.data.PARAMS.MESSAGE).toBe('/echo a b');
		const ans = await call('imbot.command.answer', { COMMAND_ID: cmd, MESSAGE_ID: r.body.messageId, MESSAGE: 'a b' });
		expect(ans.status).toBe(200);
		expect((await control(sb, `bots/${id}/user-command`, { userId: 2, command: 'nope' })).status).toBe(404);
	});

	test('join -> ONIMBOTJOINCHAT; user-edit / user-delete -> UPDATE / DELETE; unregister -> ONIMBOTDELETE', async () => {
		const id = await bot();
		let r = await control(sb, `bots/${id}/join`, { userId: 2 });
		expect(r.body.deliveries[0].event).toBe('ONIMBOTJOINCHAT');
		expect(h.received[0].body.data.PARAMS).toMatchObject({ CHAT_TYPE: 'P', BOT_ID: String(id), USER_ID: '2', DIALOG_ID: '2' });
		const chatId = (await call('imbot.chat.add', { BOT_ID: id, TITLE: 'G' })).body.result;
		r = await control(sb, `bots/${id}/join`, { userId: 4, chatId });
		expect(h.received[1].body.data.PARAMS).toMatchObject({ CHAT_ID: String(chatId), DIALOG_ID: `chat${chatId}`, ACCESS_HISTORY: '1' });
		const m = (await control(sb, `bots/${id}/user-message`, { userId: 2, text: 'v1' })).body.messageId;
		r = await control(sb, `bots/${id}/user-edit`, { userId: 2, messageId: m, text: 'v2' });
		expect(r.body.deliveries[0].event).toBe('ONIMBOTMESSAGEUPDATE');
		expect(h.received[3].body.data.PARAMS).toMatchObject({ MESSAGE_ID: String(m), MESSAGE: 'v2' });
		r = await control(sb, `bots/${id}/user-delete`, { userId: 2, messageId: m });
		expect(r.body.deliveries[0].event).toBe('ONIMBOTMESSAGEDELETE');
		await call('imbot.unregister', { BOT_ID: id });
		const del = await waitFor(() => h.received.find((x) => x.body.event === 'ONIMBOTDELETE'));
		expect(del.body.data).toEqual({ BOT_ID: String(id), BOT_CODE: 'b' });
		expect((await control(sb, 'deliveries', null, 'GET')).body.deliveries.some((d) => d.event === 'ONIMBOTDELETE')).toBe(true);
	});

	test('TYPE B bot without EVENT_MESSAGE_UPDATE: user-edit delivers nothing', async () => {
		const id = await bot({ TYPE: 'B', EVENT_HANDLER: undefined, EVENT_MESSAGE_ADD: `${h.url}/a`, EVENT_WELCOME_MESSAGE: `${h.url}/w`, EVENT_BOT_DELETE: `${h.url}/d`, EVENT_MESSAGE_UPDATE: `${h.url}/u` });
		const m = (await control(sb, `bots/${id}/user-message`, { userId: 2, text: 'v1' })).body.messageId;
		expect((await control(sb, `bots/${id}/user-edit`, { userId: 2, messageId: m, text: 'v2' })).body.deliveries).toEqual([]);
	});

	test('webhook-owned bot events carry no tokens, only domain / member_id / application_token', async () => {
		const { hook } = require('./helpers');
		const id = (await hook(sb, 'imbot.register', { CODE: 'w', EVENT_HANDLER: `${h.url}/bot`, PROPERTIES: { NAME: 'W' }, CLIENT_ID: 'cid' })).body.result;
		await control(sb, `bots/${id}/user-message`, { userId: 2, text: 'x' });
		const got = h.received[0].body;
		expect(got.auth.access_token).toBeUndefined();
		expect(got.auth).toMatchObject({ application_token: 'sandbox-app-token', domain: `127.0.0.1:${sb.port}` });
		expect(got.data.BOT[id]).toEqual({ user_id: String(id), application_token: 'sandbox-app-token', BOT_ID: String(id), BOT_CODE: 'w' });
	});
});
