'use strict';
// The sandbox user's side of a bot message: what it shows (GET /sandbox/messages/:id) and what pressing a keyboard
// button does (POST /sandbox/messages/:id/click): a LINK is opened over HTTP, a COMMAND sends the command event.
const { start, hook, control, handlerServer } = require('./helpers');

describe('keyboard buttons of a bot message', () => {
	let sb;
	let handler;
	let botId;
	beforeAll(async () => {
		sb = await start();
		handler = await handlerServer();
		botId = (await hook(sb, 'imbot.register', { CLIENT_ID: 'kb', CODE: 'kb', TYPE: 'B', EVENT_HANDLER: `${handler.url}/bot`, PROPERTIES: { NAME: 'Kb' } })).body.result;
		await hook(sb, 'imbot.command.register', { CLIENT_ID: 'kb', BOT_ID: botId, COMMAND: 'pick', EVENT_COMMAND_ADD: `${handler.url}/cmd`, LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Pick' }] });
	});
	afterAll(async () => {
		await handler.close();
		await sb.stop();
	});

	async function send(buttons) {
		const r = await hook(sb, 'imbot.message.add', { CLIENT_ID: 'kb', BOT_ID: botId, DIALOG_ID: '2', MESSAGE: 'Choose', KEYBOARD: { BOT_ID: botId, BUTTONS: buttons } });
		return r.body.result;
	}

	test('the view lists the buttons (new lines not counted) as the user sees them', async () => {
		const id = await send([{ TEXT: 'Open', LINK: `${handler.url}/page?x=1`, BG_COLOR_TOKEN: 'primary' }, { TYPE: 'NEWLINE' }, { TEXT: 'A', COMMAND: 'pick', COMMAND_PARAMS: 'a', BLOCK: 'Y' }]);
		const view = await control(sb, `messages/${id}`, undefined, 'GET');
		expect(view.body).toEqual({
			id,
			chatId: expect.any(Number),
			chatType: 'P',
			authorId: botId,
			text: 'Choose',
			edited: false,
			buttons: [
				{ position: 1, text: 'Open', type: 'link', link: `${handler.url}/page?x=1`, colorToken: 'primary', disabled: false },
				{ position: 2, text: 'A', type: 'command', command: 'pick', params: 'a', disabled: false },
			],
		});
	});

	test('a LINK is opened (GET, or the form as a browser posts it); a COMMAND fires ONIMCOMMANDADD on this message', async () => {
		const id = await send([{ TEXT: 'Open', LINK: `${handler.url}/page?x=1` }, { TEXT: 'A', COMMAND: 'pick', COMMAND_PARAMS: 'a b', BLOCK: 'Y' }]);
		const opened = await control(sb, `messages/${id}/click`, { userId: 2, button: 'Open' });
		expect(opened.body).toEqual({ type: 'link', url: `${handler.url}/page?x=1`, status: 200, body: 'ok' });
		expect(handler.received.at(-1)).toMatchObject({ path: '/page?x=1' });
		expect(handler.received.at(-1).headers['user-agent']).toMatch(/Mozilla/);
		await control(sb, `messages/${id}/click`, { userId: 2, button: 1, form: { 'field-0': 'hi' } });
		expect(handler.received.at(-1).headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(handler.received.at(-1).raw).toContain('name="field-0"\r\n\r\nhi');

		const before = sb.state.messages.size;
		const pressed = await control(sb, `messages/${id}/click`, { userId: 2, button: 2 });
		expect(pressed.body).toMatchObject({ type: 'command', messageId: id, deliveries: [{ event: 'ONIMCOMMANDADD', status: 200 }] });
		expect(sb.state.messages.size).toBe(before);
		const event = handler.received.at(-1).body;
		expect(handler.received.at(-1).path).toBe('/cmd');
		const command = Object.values(event.data.COMMAND)[0];
		expect(command).toMatchObject({ COMMAND: 'pick', COMMAND_PARAMS: 'a b', COMMAND_CONTEXT: 'KEYBOARD', MESSAGE_ID: String(id) });
		expect(event.data.PARAMS).toMatchObject({ MESSAGE_ID: String(id), DIALOG_ID: '2', FROM_USER_ID: '2' });
		// BLOCK: the button is locked after the click
		expect((await control(sb, `messages/${id}/click`, { userId: 2, button: 2 })).status).toBe(409);
	});

	test('unknown message or button → 404', async () => {
		const id = await send([{ TEXT: 'Open', LINK: 'https://example.com' }]);
		expect((await control(sb, 'messages/999999', undefined, 'GET')).status).toBe(404);
		expect((await control(sb, `messages/${id}/click`, { button: 'Nope' })).status).toBe(404);
	});
});
