import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { json, rl, run } from './harness';

useNock();

describe('Command operations', () => {
	test('register (imbot.command.register): BOT_ID, COMMAND, EVENT_COMMAND_ADD, LANG, flags', async () => {
		const { calls } = portal({ 'imbot.command.register': 12 });
		const out = await run({
			resource: 'command',
			operation: 'register',
			botId: rl(39),
			command: '/echo2',
			eventCommandAdd: 'https://h.example/cmd',
			languages: {
				language: [
					{ languageId: 'en', title: 'Echo back', params: 'text' },
					{ languageId: 'DE', title: 'Echo zurück' },
				],
			},
			options: { common: true, hidden: false, extranetSupport: true },
		});
		expect(out.error).toBeUndefined();
		expect(calls[0].method).toBe('imbot.command.register');
		expect(calls[0].body).toEqual({
			BOT_ID: 39,
			COMMAND: 'echo2',
			EVENT_COMMAND_ADD: 'https://h.example/cmd',
			LANG: [
				{ LANGUAGE_ID: 'en', TITLE: 'Echo back', PARAMS: 'text' },
				{ LANGUAGE_ID: 'de', TITLE: 'Echo zurück' },
			],
			COMMON: 'Y',
			HIDDEN: 'N',
			EXTRANET_SUPPORT: 'Y',
		});
		expect(json(out.items)).toEqual([{ commandId: 12, command: 'echo2', botId: 39 }]);
	});

	test.each([
		[{ command: 'echo back' }, /"Command" must contain only Latin letters and digits/],
		[{ command: 'эхо' }, /"Command" must contain only Latin letters and digits/],
		[{ languages: {} }, /"Languages" needs at least one language/],
		[{ languages: { language: [{ languageId: 'en', title: '' }] } }, /Title is required/],
		[{ eventCommandAdd: 'ftp://x' }, /"Handler URL" must be an http/],
	])('bad register input %p fails before sending', async (extra, message) => {
		const { calls } = portal();
		const out = await run({
			resource: 'command',
			operation: 'register',
			botId: rl(39),
			command: 'echo',
			eventCommandAdd: 'https://h.example/cmd',
			languages: { language: [{ languageId: 'en', title: 'Echo' }] },
			...extra,
		});
		expect(out.error?.message).toMatch(message);
		expect(calls).toHaveLength(0);
	});

	test('update (imbot.command.update): COMMAND_ID + FIELDS; empty update refused', async () => {
		const { calls } = portal();
		const out = await run({
			resource: 'command',
			operation: 'update',
			commandId: '12',
			updateFields: { command: 'echo3', hidden: true, extranetSupport: false, eventCommandAdd: 'https://h.example/cmd2', languages: { language: [{ languageId: 'en', title: 'Echo 3' }] } },
		});
		expect(out.error).toBeUndefined();
		expect(calls[0].body).toEqual({
			COMMAND_ID: 12,
			FIELDS: { COMMAND: 'echo3', HIDDEN: 'Y', EXTRANET_SUPPORT: 'N', EVENT_COMMAND_ADD: 'https://h.example/cmd2', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Echo 3' }] },
		});
		expect(json(out.items)).toEqual([{ commandId: 12, updated: true }]);
		const empty = await run({ resource: 'command', operation: 'update', commandId: '12' });
		expect(empty.error?.message).toMatch(/"Update Fields" is empty/);
		expect(calls).toHaveLength(1);
	});

	test('unregister (imbot.command.unregister)', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'command', operation: 'unregister', commandId: '12' });
		expect(calls.map((c) => [c.method, c.body])).toEqual([['imbot.command.unregister', { COMMAND_ID: 12 }]]);
		expect(json(out.items)).toEqual([{ commandId: 12, deleted: true }]);
	});

	test('answer (imbot.command.answer) by COMMAND_ID with keyboard and flags, or by COMMAND', async () => {
		const { calls } = portal({ 'imbot.command.answer': 5001 });
		const byId = await run({
			resource: 'command',
			operation: 'answer',
			commandBy: 'id',
			commandId: '12',
			messageId: '4000',
			text: 'Echo: hi',
			keyboardSource: 'builder',
			keyboardButtons: { button: [{ type: 'command', text: 'Again', command: 'echo', commandParams: 'hi' }] },
			options: { system: true, urlPreview: false },
		});
		expect(byId.error).toBeUndefined();
		const byName = await run({ resource: 'command', operation: 'answer', commandBy: 'name', command: 'echo', messageId: '4000', text: 'ok' });
		expect(byName.error).toBeUndefined();
		expect(calls.map((c) => [c.method, c.body])).toEqual([
			[
				'imbot.command.answer',
				{
					COMMAND_ID: 12,
					MESSAGE_ID: 4000,
					MESSAGE: 'Echo: hi',
					KEYBOARD: { BUTTONS: [{ TEXT: 'Again', COMMAND: 'echo', COMMAND_PARAMS: 'hi' }] },
					SYSTEM: 'Y',
					URL_PREVIEW: 'N',
				},
			],
			['imbot.command.answer', { COMMAND: 'echo', MESSAGE_ID: 4000, MESSAGE: 'ok' }],
		]);
		expect(json(byId.items)).toEqual([{ messageId: 5001, commandId: 12, command: null }]);
		expect(json(byName.items)).toEqual([{ messageId: 5001, commandId: null, command: 'echo' }]);
	});

	test('answer: missing command id and empty text fail before sending', async () => {
		const { calls } = portal();
		// An expression that resolves empty: a literal empty required field is refused by n8n itself ("workflow has issues").
		const noId = await run({ resource: 'command', operation: 'answer', commandBy: 'id', commandId: '={{ "" }}', messageId: '4000', text: 'x' });
		expect(noId.error?.message).toMatch(/"Command ID" is required/);
		const noText = await run({ resource: 'command', operation: 'answer', commandId: '12', messageId: '4000', text: '' });
		expect(noText.error?.message).toMatch(/"Text" is required/);
		expect(calls).toHaveLength(0);
	});
});
