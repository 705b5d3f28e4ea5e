/* What a new user hit (issue 13): replying after a trigger, JSON sent as typed, Open App buttons, command buttons without
 * a bot, avatars as base64 text, images that are not images. Each asserted on the request sent (or not sent). */
import { buildOperationProperties } from '../../../nodes/Bitrix24/operations';
import { chatbotResources } from '../../../nodes/Bitrix24Chatbot/resources';
import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { json, PNG_BASE64, rl, run } from './harness';

useNock();

/** What the Bitrix24 Chatbot Trigger gives for a user's message (chatbotItem). */
const triggerEvent = { event: 'ONIMBOTMESSAGEADD', botId: 39, botCode: 'echo', dialogId: 'chat15', message: { id: 501, text: 'hi' } };

describe('Send To → Reply to Trigger Event', () => {
	test('takes dialog and bot from the trigger item: an echo bot needs no expression', async () => {
		const { calls } = portal({ 'imbot.message.add': 77 });
		const out = await run({ resource: 'message', operation: 'send', target: 'reply', text: '={{ "Echo: " + $json.message.text }}' }, { items: [{ json: triggerEvent }] });
		expect(out.error).toBeUndefined();
		expect(calls[0].body).toEqual({ BOT_ID: 39, DIALOG_ID: 'chat15', MESSAGE: 'Echo: hi' });
		expect(json(out.items)).toEqual([{ messageId: 77, botId: 39, dialogId: 'chat15' }]);
	});

	test('a bot picked in the node wins over the event\'s bot', async () => {
		const { calls } = portal({ 'imbot.message.add': 78 });
		await run({ resource: 'message', operation: 'send', botId: rl(41), target: 'reply', text: 'x' }, { items: [{ json: triggerEvent }] });
		expect(calls[0].body).toMatchObject({ BOT_ID: 41, DIALOG_ID: 'chat15' });
	});

	test('an item that is not a trigger event is refused before sending, saying what to do', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'message', operation: 'send', target: 'reply', text: 'x' }, { items: [{ json: { foo: 1 } }] });
		expect(out.error?.message).toMatch(/^"Send To" is "Reply to Trigger Event", but the input item has no dialogId: put this node after a Bitrix24 Chatbot Trigger/);
		expect(out.error?.message).toMatch(/\{\{ \$json\.dialogId \}\}/);
		expect(calls).toHaveLength(0);
	});

	test('the id fields show the expression to use after a trigger', () => {
		const properties = buildOperationProperties(chatbotResources);
		const dialog = properties.find((p) => p.name === 'dialogId');
		expect(dialog?.hint).toBe('After a Bitrix24 Chatbot Trigger: {{ $json.dialogId }}');
		const commandId = properties.find((p) => p.name === 'commandId' && p.hint);
		expect(commandId?.hint).toMatch(/\$json\.command\.id/);
	});
});

describe('Keyboard and menu', () => {
	test('JSON mode sends exactly what was typed (object form: BOT_ID added next to BUTTONS)', async () => {
		const { calls } = portal({ 'imbot.message.add': 1 });
		const typed = { BUTTONS: [{ TEXT: 'Site', LINK: 'https://example.com', DISPLAY: 'LINE' }, { TYPE: 'NEWLINE' }, { TEXT: 'Go', ACTION: 'SEND', ACTION_VALUE: 'go' }] };
		const menu = [{ TEXT: 'Help', LINK: '/help/' }];
		await run({ resource: 'message', operation: 'send', botId: rl(39), dialogId: '27', text: 'x', keyboardSource: 'json', keyboardJson: JSON.stringify(typed), menuSource: 'json', menuJson: JSON.stringify(menu) });
		expect(calls[0].body.KEYBOARD).toEqual({ BOT_ID: 39, ...typed });
		expect(calls[0].body.MENU).toEqual(menu);
	});

	test.each([
		['keyboard', { keyboardSource: 'json', keyboardJson: '[{"TEXT":"x","LINK":"javascript:alert(1)"}]' }, /"Keyboard \(JSON\) → button 1 → LINK" must be an http\(s\) URL or a path/],
		['menu', { menuSource: 'json', menuJson: '{"ITEMS":[{"TEXT":"x","LINK":"//evil.example"}]}' }, /"Menu \(JSON\) → item 1 → LINK" must be an http\(s\) URL/],
		['keyboard entry', { keyboardSource: 'json', keyboardJson: '["Help"]' }, /"Keyboard \(JSON\) → button 1" must be an object/],
	])('JSON mode refuses what the builder refuses (%s)', async (_what, fields, message) => {
		const { calls } = portal();
		const out = await run({ resource: 'message', operation: 'send', botId: rl(39), dialogId: '27', text: 'x', ...fields });
		expect(out.error?.message).toMatch(message);
		expect(calls).toHaveLength(0);
	});

	test('Open App buttons and menu items: APP_ID and APP_PARAMS', async () => {
		const { calls } = portal({ 'imbot.message.add': 1 });
		const entry = { type: 'app', text: 'Open CRM app', appId: '12', appParams: 'deal=5' };
		await run({
			resource: 'message',
			operation: 'send',
			botId: rl(39),
			dialogId: '27',
			text: 'x',
			keyboardSource: 'builder',
			keyboardButtons: { button: [entry] },
			menuSource: 'builder',
			menuItems: { item: [{ ...entry, appParams: '' }] },
		});
		expect(calls[0].body.KEYBOARD).toEqual({ BOT_ID: 39, BUTTONS: [{ TEXT: 'Open CRM app', APP_ID: 12, APP_PARAMS: 'deal=5' }] });
		expect(calls[0].body.MENU).toEqual({ ITEMS: [{ TEXT: 'Open CRM app', APP_ID: 12 }] });
	});

	test('an Open App button needs a numeric app ID', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'message', operation: 'send', botId: rl(39), dialogId: '27', text: 'x', keyboardSource: 'builder', keyboardButtons: { button: [{ type: 'app', text: 'A', appId: 'crm' }] } });
		expect(out.error?.message).toMatch(/"Keyboard → Button 1 → App ID" must be a whole number of at least 1/);
		expect(calls).toHaveLength(0);
	});

	test('a command button without a bot is refused (nobody would receive the click); with the bot it goes out', async () => {
		const { calls } = portal({ 'imbot.message.add': 1 });
		const keyboard = { keyboardSource: 'builder', keyboardButtons: { button: [{ type: 'command', text: 'Help', command: 'help' }] } };
		const without = await run({ resource: 'message', operation: 'send', dialogId: '27', text: 'x', ...keyboard });
		expect(without.error?.message).toMatch(/^"Bot" is required when the keyboard has a command button/);
		expect(calls).toHaveLength(0);
		const withBot = await run({ resource: 'message', operation: 'send', botId: rl(39), dialogId: '27', text: 'x', ...keyboard });
		expect(withBot.error).toBeUndefined();
		expect(calls[0].body.KEYBOARD).toEqual({ BOT_ID: 39, BUTTONS: [{ TEXT: 'Help', COMMAND: 'help' }] });
	});
});

describe('Images: base64 text, and bytes that are not an image', () => {
	test('avatar as base64 text (plain or a data: URI) is sent as base64', async () => {
		const { calls } = portal({ 'imbot.chat.updateAvatar': true });
		for (const text of [PNG_BASE64, `data:image/png;base64,${PNG_BASE64}`]) {
			const out = await run({ resource: 'chat', operation: 'setAvatar', chatId: '15', avatarSource: 'base64', avatarBase64: text });
			expect(out.error).toBeUndefined();
		}
		expect(calls.map((c) => c.body.AVATAR)).toEqual([PNG_BASE64, PNG_BASE64]);
	});

	test.each([
		['base64 text of a PDF', { avatarSource: 'base64', avatarBase64: Buffer.from('%PDF-1.4 not an image').toString('base64') }, undefined, /"Avatar \(Base64\)": the decoded text is not an image/],
		['text that is not base64', { avatarSource: 'base64', avatarBase64: 'not base64!' }, undefined, /"Avatar \(Base64\)" must be base64 text/],
		[
			'a binary labelled image/png that is not one',
			{ avatarSource: 'binary', avatarBinaryProperty: 'data' },
			{ data: { data: Buffer.from('<html>hello</html>').toString('base64'), mimeType: 'image/png', fileName: 'fake.png' } },
			/"Avatar Binary Property": "data" is not an image/,
		],
	])('%s is refused before sending', async (_what, fields, binary, message) => {
		const { calls } = portal();
		const out = await run({ resource: 'chat', operation: 'setAvatar', chatId: '15', ...fields }, binary ? { items: [{ json: {}, binary }] } : {});
		expect(out.error?.message).toMatch(message);
		expect(calls).toHaveLength(0);
	});
});

describe('errors that say what to do', () => {
	test('WRONG_REQUEST "Dialog not found": what to use instead, the expression after a trigger, and the method\'s docs page', async () => {
		portal({ 'imbot.message.add': { error: 'WRONG_REQUEST', error_description: 'Dialog not found' } });
		const out = await run({ resource: 'message', operation: 'send', botId: rl(39), dialogId: '999', text: 'x' });
		expect(out.error?.message).toMatch(/^Dialog not found — Bitrix24 imbot\.message\.add failed with WRONG_REQUEST/);
		expect(out.error?.description).toMatch(/user ID \(e\.g\. 27\) or "chat" plus the ID of a chat the bot is in/);
		expect(out.error?.description).toMatch(/\{\{ \$json\.dialogId \}\}/);
		expect(out.error?.description).toMatch(/Bitrix24 docs for imbot\.message\.add: https:\/\/apidocs\.bitrix24\.com\/api-reference\/chat-bots\/.+\.html$/);
	});
});
