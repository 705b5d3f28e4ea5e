import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { json, rl, run } from './harness';

useNock();

describe('Message → Send (imbot.message.add)', () => {
	test('sends BOT_ID, DIALOG_ID, MESSAGE and flags; output {messageId, botId, dialogId}', async () => {
		const { calls } = portal({ 'imbot.message.add': 1234 });
		const out = await run({
			resource: 'message',
			operation: 'send',
			botId: rl(39),
			dialogId: 'chat15',
			text: '  [b]Hello[/b] world  ',
			options: { system: true, urlPreview: false, skipConnector: true },
		});
		expect(out.error).toBeUndefined();
		expect(calls).toHaveLength(1);
		expect(calls[0].path).toBe('/rest/imbot.message.add');
		expect(calls[0].body).toEqual({ BOT_ID: 39, DIALOG_ID: 'chat15', MESSAGE: '[b]Hello[/b] world', SYSTEM: 'Y', URL_PREVIEW: 'N', SKIP_CONNECTOR: 'Y' });
		expect(json(out.items)).toEqual([{ messageId: 1234, botId: 39, dialogId: 'chat15' }]);
	});

	test('a user id is a dialog too; no bot → BOT_ID left out (Bitrix picks the first bot)', async () => {
		const { calls } = portal({ 'imbot.message.add': 5 });
		const out = await run({ resource: 'message', operation: 'send', dialogId: '27', text: 'hi' });
		expect(out.error).toBeUndefined();
		expect(calls[0].body).toEqual({ DIALOG_ID: '27', MESSAGE: 'hi' });
		expect(json(out.items)).toEqual([{ messageId: 5, botId: null, dialogId: '27' }]);
	});

	test('FROM_USER_ID + TO_USER_ID instead of DIALOG_ID', async () => {
		const { calls } = portal({ 'imbot.message.add': 6 });
		const out = await run({ resource: 'message', operation: 'send', target: 'users', fromUserId: '2', toUserId: '3', text: 'note' });
		expect(out.error).toBeUndefined();
		expect(calls[0].body).toEqual({ FROM_USER_ID: 2, TO_USER_ID: 3, MESSAGE: 'note' });
		expect(json(out.items)).toEqual([{ messageId: 6, botId: null, fromUserId: 2, toUserId: 3 }]);
	});

	test.each([['chat'], ['chatx15'], ['user5'], ['0'], ['-3'], ['chat 15']])('dialog id %p is refused before any request', async (dialogId) => {
		const { calls } = portal();
		const out = await run({ resource: 'message', operation: 'send', dialogId, text: 'hi' });
		expect(out.error?.message).toMatch(/"Dialog ID" must be a user ID \(e\.g\. 27\) or "chat" followed by a chat ID/);
		expect(calls).toHaveLength(0);
	});

	test('empty text is refused (MESSAGE is required) unless an attachment is sent', async () => {
		const { calls } = portal({ 'imbot.message.add': 7 });
		const bad = await run({ resource: 'message', operation: 'send', dialogId: '27', text: '   ' });
		expect(bad.error?.message).toMatch(/"Text" is required/);
		expect(calls).toHaveLength(0);
		const ok = await run({
			resource: 'message',
			operation: 'send',
			dialogId: '27',
			text: '',
			attachmentSource: 'json',
			attachmentJson: '[{"MESSAGE":"only an attachment"}]',
		});
		expect(ok.error).toBeUndefined();
		expect(calls[0].body).toEqual({ DIALOG_ID: '27', ATTACH: [{ MESSAGE: 'only an attachment' }] });
	});

	test('keyboard built in the UI: {BOT_ID, BUTTONS} with NEWLINE separators and button options', async () => {
		const { calls } = portal({ 'imbot.message.add': 8 });
		const out = await run({
			resource: 'message',
			operation: 'send',
			botId: rl(39),
			dialogId: 'chat15',
			text: 'Pick one',
			keyboardSource: 'builder',
			keyboardButtons: {
				button: [
					{
						type: 'command',
						text: 'Help',
						command: '/help',
						commandParams: 'topic=1',
						options: { bgColorToken: 'primary', display: 'LINE', width: 120, block: true },
					},
					{ type: 'link', text: 'Site', link: 'https://example.com', options: { bgColor: '#29619b', textColor: '#fff' } },
					{ type: 'newline' },
					{ type: 'action', text: 'Call us', action: 'CALL', actionValue: '+49 30 1234567', options: { context: 'MOBILE', disabled: true } },
					{ type: 'action', text: 'Copy', action: 'COPY', actionValue: 'ORDER-1' },
					{ type: 'action', text: 'Open', action: 'DIALOG', actionValue: 'chat7' },
					{ type: 'action', text: 'Put', action: 'PUT', actionValue: '/help ' },
					{ type: 'action', text: 'Send', action: 'SEND', actionValue: 'yes' },
				],
			},
		});
		expect(out.error).toBeUndefined();
		expect(calls[0].body.KEYBOARD).toEqual({
			BOT_ID: 39,
			BUTTONS: [
				{ TEXT: 'Help', COMMAND: 'help', COMMAND_PARAMS: 'topic=1', BG_COLOR_TOKEN: 'primary', DISPLAY: 'LINE', WIDTH: 120, BLOCK: 'Y' },
				{ TEXT: 'Site', LINK: 'https://example.com', BG_COLOR: '#29619b', TEXT_COLOR: '#fff' },
				{ TYPE: 'NEWLINE' },
				{ TEXT: 'Call us', ACTION: 'CALL', ACTION_VALUE: '+49 30 1234567', DISABLED: 'Y', CONTEXT: 'MOBILE' },
				{ TEXT: 'Copy', ACTION: 'COPY', ACTION_VALUE: 'ORDER-1' },
				{ TEXT: 'Open', ACTION: 'DIALOG', ACTION_VALUE: 'chat7' },
				{ TEXT: 'Put', ACTION: 'PUT', ACTION_VALUE: '/help' },
				{ TEXT: 'Send', ACTION: 'SEND', ACTION_VALUE: 'yes' },
			],
		});
	});

	test.each([
		[{ type: 'command', text: 'Go', command: 'two words' }, /"Keyboard → Button 1 → Command" must contain only Latin letters and digits/],
		[{ type: 'command', text: '', command: 'go' }, /"Keyboard → Button 1 → Text" is required/],
		[{ type: 'link', text: 'x', link: 'ftp://x' }, /"Keyboard → Button 1 → Link" must be an http\(s\) URL/],
		[{ type: 'action', text: 'x', action: 'DIALOG', actionValue: 'group5' }, /"Keyboard → Button 1 → Action Value" must be a user ID/],
		[{ type: 'action', text: 'x', action: 'CALL', actionValue: 'call me' }, /must be a phone number/],
		[{ type: 'link', text: 'x', link: '/crm/', options: { bgColor: 'blue' } }, /"Keyboard → Button 1 → Background Color" must be a hex colour/],
		[{ type: 'link', text: 'x', link: '/crm/', options: { block: true } }, /works only for command buttons/],
	])('bad button %p fails before any request', async (button, message) => {
		const { calls } = portal();
		const out = await run({ resource: 'message', operation: 'send', dialogId: '27', text: 'x', keyboardSource: 'builder', keyboardButtons: { button: [button] } });
		expect(out.error?.message).toMatch(message);
		expect(calls).toHaveLength(0);
	});

	test('keyboard, attachment and menu as JSON: bad JSON is an error naming the field, nothing is sent', async () => {
		const { calls } = portal();
		for (const [source, field, label] of [
			['keyboardSource', 'keyboardJson', 'Keyboard (JSON)'],
			['attachmentSource', 'attachmentJson', 'Attachment (JSON)'],
			['menuSource', 'menuJson', 'Menu (JSON)'],
		]) {
			const out = await run({ resource: 'message', operation: 'send', dialogId: '27', text: 'x', [source]: 'json', [field]: '{"BUTTONS": [' });
			expect(out.error?.message).toMatch(new RegExp(`"${label.replace(/[()]/g, '\\$&')}" is not valid JSON`));
		}
		const wrongShape = await run({ resource: 'message', operation: 'send', dialogId: '27', text: 'x', keyboardSource: 'json', keyboardJson: '{"TEXT":"a"}' });
		expect(wrongShape.error?.message).toMatch(/"Keyboard \(JSON\)" must have a BUTTONS array/);
		expect(calls).toHaveLength(0);
	});

	test('keyboard JSON: a bare array is wrapped with BOT_ID; menu JSON is passed through', async () => {
		const { calls } = portal({ 'imbot.message.add': 9 });
		const out = await run({
			resource: 'message',
			operation: 'send',
			botId: rl(39),
			dialogId: '27',
			text: 'x',
			keyboardSource: 'json',
			keyboardJson: '[{"TEXT":"A","COMMAND":"a"}]',
			menuSource: 'json',
			menuJson: { ITEMS: [{ TEXT: 'Help', COMMAND: 'help' }] },
		});
		expect(out.error).toBeUndefined();
		// JSON mode sends what was typed: a bare array stays a bare array (the docs' form; the server wraps it).
		expect(calls[0].body.KEYBOARD).toEqual([{ TEXT: 'A', COMMAND: 'a' }]);
		expect(calls[0].body.MENU).toEqual({ ITEMS: [{ TEXT: 'Help', COMMAND: 'help' }] });
	});

	test('menu built in the UI', async () => {
		const { calls } = portal({ 'imbot.message.add': 10 });
		await run({
			resource: 'message',
			operation: 'send',
			dialogId: '27',
			text: 'x',
			menuSource: 'builder',
			menuItems: {
				item: [
					{ type: 'command', text: 'Help', command: 'help', options: { context: 'DESKTOP' } },
					{ type: 'link', text: 'Docs', link: 'https://example.com/docs', options: { disabled: true } },
					{ type: 'action', text: 'Copy id', action: 'COPY', actionValue: '42' },
				],
			},
		});
		expect(calls[0].body.MENU).toEqual({
			ITEMS: [
				{ TEXT: 'Help', COMMAND: 'help', CONTEXT: 'DESKTOP' },
				{ TEXT: 'Docs', LINK: 'https://example.com/docs', DISABLED: 'Y' },
				{ TEXT: 'Copy id', ACTION: 'COPY', ACTION_VALUE: '42' },
			],
		});
	});

	test('attachment built in the UI: every block type, consecutive grid rows in one GRID', async () => {
		const { calls } = portal({ 'imbot.message.add': 11 });
		const out = await run({
			resource: 'message',
			operation: 'send',
			dialogId: 'chat15',
			text: 'Order',
			attachmentSource: 'builder',
			attachmentOptions: { color: '#29619b', colorToken: 'primary' },
			attachmentBlocks: {
				block: [
					{ type: 'message', text: '[b]Order 42[/b]' },
					{ type: 'link', url: 'https://shop.example/42', name: 'Open order', description: 'Paid', preview: 'https://shop.example/p.png', width: 100, height: 50 },
					{ type: 'delimiter', size: 200, color: '#c6c6c6' },
					{ type: 'grid', display: 'LINE', name: 'Total', value: '42 EUR', width: 100 },
					{ type: 'grid', display: 'LINE', name: 'Status', value: 'Paid', color: '#00ff00' },
					{ type: 'image', url: 'https://shop.example/i.png', name: 'Item' },
					{ type: 'file', url: 'https://shop.example/invoice.pdf', name: 'invoice.pdf', size: 1024 },
					{ type: 'user', name: 'Boris', avatar: 'https://shop.example/b.png', userId: '2', avatarType: 'USER' },
				],
			},
		});
		expect(out.error).toBeUndefined();
		expect(calls[0].body.ATTACH).toEqual({
			COLOR: '#29619b',
			COLOR_TOKEN: 'primary',
			BLOCKS: [
				{ MESSAGE: '[b]Order 42[/b]' },
				{ LINK: { LINK: 'https://shop.example/42', NAME: 'Open order', DESC: 'Paid', PREVIEW: 'https://shop.example/p.png', WIDTH: 100, HEIGHT: 50 } },
				{ DELIMITER: { SIZE: 200, COLOR: '#c6c6c6' } },
				{
					GRID: [
						{ DISPLAY: 'LINE', NAME: 'Total', VALUE: '42 EUR', WIDTH: 100 },
						{ DISPLAY: 'LINE', NAME: 'Status', VALUE: 'Paid', COLOR: '#00ff00' },
					],
				},
				{ IMAGE: [{ LINK: 'https://shop.example/i.png', NAME: 'Item' }] },
				{ FILE: [{ LINK: 'https://shop.example/invoice.pdf', NAME: 'invoice.pdf', SIZE: 1024 }] },
				{ USER: { NAME: 'Boris', AVATAR: 'https://shop.example/b.png', USER_ID: 2, AVATAR_TYPE: 'USER' } },
			],
		});
	});

	test('attachment block errors name the block', async () => {
		const { calls } = portal();
		const out = await run({
			resource: 'message',
			operation: 'send',
			dialogId: '27',
			text: 'x',
			attachmentSource: 'builder',
			attachmentBlocks: { block: [{ type: 'message', text: 'ok' }, { type: 'image', url: '' }] },
		});
		expect(out.error?.message).toMatch(/"Attachment → Block 2 → URL" is required/);
		expect(calls).toHaveLength(0);
	});

	test('30 KB limits: oversize keyboard, attachment and menu fail before sending', async () => {
		const { calls } = portal();
		const big = 'x'.repeat(31 * 1024);
		const cases: Array<[Record<string, unknown>, RegExp]> = [
			[{ keyboardSource: 'json', keyboardJson: JSON.stringify({ BUTTONS: [{ TEXT: big, COMMAND: 'a' }] }) }, /"Keyboard" is \d+ bytes .* KEYBOARD_OVERSIZE/],
			[{ attachmentSource: 'json', attachmentJson: JSON.stringify([{ MESSAGE: big }]) }, /"Attachment" is \d+ bytes .* ATTACH_OVERSIZE/],
			[{ menuSource: 'json', menuJson: JSON.stringify({ ITEMS: [{ TEXT: big, COMMAND: 'a' }] }) }, /"Menu" is \d+ bytes .* MENU_OVERSIZE/],
		];
		for (const [extra, message] of cases) {
			const out = await run({ resource: 'message', operation: 'send', botId: rl(39), dialogId: '27', text: 'x', ...extra });
			expect(out.error?.message).toMatch(message);
		}
		// Multi-byte text counts in bytes: 11,000 × 3-byte characters ≈ 33 KB.
		const cyrillic = await run({
			resource: 'message',
			operation: 'send',
			dialogId: '27',
			text: 'x',
			attachmentSource: 'json',
			attachmentJson: JSON.stringify([{ MESSAGE: '€'.repeat(11000) }]),
		});
		expect(cyrillic.error?.message).toMatch(/ATTACH_OVERSIZE/);
		expect(calls).toHaveLength(0);
	});
});

describe('Message → Update (imbot.message.update)', () => {
	test('replace text, new keyboard, clear attachment and menu ("N")', async () => {
		const { calls } = portal({ 'imbot.message.update': true });
		const out = await run({
			resource: 'message',
			operation: 'update',
			botId: rl(39),
			messageId: '1234',
			textMode: 'replace',
			text: 'Edited',
			keyboardSource: 'builder',
			keyboardButtons: { button: [{ type: 'command', text: 'Again', command: 'again' }] },
			attachmentSource: 'remove',
			menuSource: 'remove',
			options: { urlPreview: false },
		});
		expect(out.error).toBeUndefined();
		expect(calls[0].method).toBe('imbot.message.update');
		expect(calls[0].body).toEqual({
			BOT_ID: 39,
			MESSAGE_ID: 1234,
			MESSAGE: 'Edited',
			KEYBOARD: { BOT_ID: 39, BUTTONS: [{ TEXT: 'Again', COMMAND: 'again' }] },
			ATTACH: 'N',
			MENU: 'N',
			URL_PREVIEW: 'N',
		});
		expect(json(out.items)).toEqual([{ messageId: 1234, updated: true }]);
	});

	test('empty text is refused (Bitrix24 would delete the message)', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'message', operation: 'update', messageId: '1234', textMode: 'replace', text: '  ' });
		expect(out.error?.message).toMatch(/"Text" is empty: Bitrix24 would delete the message/);
		expect(calls).toHaveLength(0);
	});

	test('keep text, only remove the keyboard: MESSAGE is not sent', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'message', operation: 'update', messageId: '1234', textMode: 'keep', keyboardSource: 'remove' });
		expect(out.error).toBeUndefined();
		expect(calls[0].body).toEqual({ MESSAGE_ID: 1234, KEYBOARD: 'N' });
	});

	test('explicit delete sends an empty MESSAGE', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'message', operation: 'update', messageId: '1234', textMode: 'delete' });
		expect(out.error).toBeUndefined();
		expect(calls[0].body).toEqual({ MESSAGE_ID: 1234, MESSAGE: '' });
		expect(json(out.items)).toEqual([{ messageId: 1234, deleted: true }]);
	});

	test('an update that changes nothing is refused', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'message', operation: 'update', messageId: '1234', textMode: 'keep' });
		expect(out.error?.message).toMatch(/Nothing to update/);
		expect(calls).toHaveLength(0);
	});
});

describe('Message → Delete / Like', () => {
	test('delete: COMPLETE Y or N', async () => {
		const { calls } = portal();
		const complete = await run({ resource: 'message', operation: 'delete', botId: rl(39), messageId: '77', complete: true });
		const soft = await run({ resource: 'message', operation: 'delete', messageId: '78' });
		expect(calls.map((c) => [c.method, c.body])).toEqual([
			['imbot.message.delete', { BOT_ID: 39, MESSAGE_ID: 77, COMPLETE: 'Y' }],
			['imbot.message.delete', { MESSAGE_ID: 78, COMPLETE: 'N' }],
		]);
		expect(json(complete.items)).toEqual([{ messageId: 77, deleted: true, complete: true }]);
		expect(json(soft.items)).toEqual([{ messageId: 78, deleted: true, complete: false }]);
	});

	test('like: ACTION auto / plus / minus', async () => {
		const { calls } = portal();
		for (const likeAction of ['auto', 'plus', 'minus']) {
			const out = await run({ resource: 'message', operation: 'like', botId: rl(39), messageId: '77', likeAction });
			expect(json(out.items)).toEqual([{ messageId: 77, action: likeAction, success: true }]);
		}
		expect(calls.map((c) => c.body)).toEqual([
			{ BOT_ID: 39, MESSAGE_ID: 77, ACTION: 'auto' },
			{ BOT_ID: 39, MESSAGE_ID: 77, ACTION: 'plus' },
			{ BOT_ID: 39, MESSAGE_ID: 77, ACTION: 'minus' },
		]);
	});

	test('bad like action and bad message id fail before sending', async () => {
		const { calls } = portal();
		const action = await run({ resource: 'message', operation: 'like', messageId: '77', likeAction: 'love' });
		expect(action.error?.message).toMatch(/"Action" must be one of: plus, auto, minus/);
		const id = await run({ resource: 'message', operation: 'delete', messageId: 'abc' });
		expect(id.error?.message).toMatch(/"Message ID" must be a whole number of at least 1/);
		expect(calls).toHaveLength(0);
	});
});
