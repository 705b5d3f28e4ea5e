import nock from 'nock';

import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { imageItem, json, PNG_BASE64, rl, run } from './harness';

useNock();

describe('Chat operations: exact method and params', () => {
	test('create (imbot.chat.add) with USERS, colour, entity binding and avatar; output {chatId, dialogId}', async () => {
		const { calls } = portal({ 'imbot.chat.add': 2725 });
		const out = await run(
			{
				resource: 'chat',
				operation: 'create',
				botId: rl(39),
				chatType: 'OPEN',
				title: ' Order 42 ',
				userIds: '2, 3,5',
				avatarSource: 'binary',
				additionalFields: { color: 'MINT', description: 'About order 42', entityType: 'ORDER', entityId: '42', message: 'Welcome!' },
			},
			{ items: [imageItem()] },
		);
		expect(out.error).toBeUndefined();
		expect(calls[0].method).toBe('imbot.chat.add');
		expect(calls[0].body).toEqual({
			BOT_ID: 39,
			TYPE: 'OPEN',
			TITLE: 'Order 42',
			USERS: [2, 3, 5],
			AVATAR: PNG_BASE64,
			COLOR: 'MINT',
			DESCRIPTION: 'About order 42',
			ENTITY_TYPE: 'ORDER',
			ENTITY_ID: '42',
			MESSAGE: 'Welcome!',
		});
		expect(json(out.items)).toEqual([{ chatId: 2725, dialogId: 'chat2725' }]);
	});

	test('create: bad USERS list fails before sending', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'chat', operation: 'create', userIds: '2, bob' });
		expect(out.error?.message).toMatch(/"User IDs" must be a comma-separated list of positive whole numbers \(got "bob"\)/);
		expect(calls).toHaveLength(0);
	});

	test('get ID by entity (imbot.chat.get): found and not found (null)', async () => {
		const { calls } = portal({ 'imbot.chat.get': (body: Record<string, unknown>) => (body.ENTITY_ID === '42' ? { ID: 2725 } : null) });
		const found = await run({ resource: 'chat', operation: 'getByEntity', entityType: 'ORDER', entityId: '42' });
		const missing = await run({ resource: 'chat', operation: 'getByEntity', entityType: 'ORDER', entityId: '43' });
		expect(calls.map((c) => [c.method, c.body])).toEqual([
			['imbot.chat.get', { ENTITY_TYPE: 'ORDER', ENTITY_ID: '42' }],
			['imbot.chat.get', { ENTITY_TYPE: 'ORDER', ENTITY_ID: '43' }],
		]);
		expect(json(found.items)).toEqual([{ found: true, chatId: 2725, dialogId: 'chat2725' }]);
		expect(json(missing.items)).toEqual([{ found: false, chatId: null, dialogId: null }]);
	});

	test('get dialog (imbot.dialog.get) with DIALOG_ID returns the dialog object', async () => {
		const dialog = { id: 2725, name: 'Order 42', dialog_id: 'chat2725', owner: 39, color: '#4ba984', type: 'open' };
		const { calls } = portal({ 'imbot.dialog.get': dialog });
		const out = await run({ resource: 'chat', operation: 'getDialog', botId: rl(39), dialogId: 'chat2725' });
		expect(calls[0].method).toBe('imbot.dialog.get');
		expect(calls[0].body).toEqual({ BOT_ID: 39, DIALOG_ID: 'chat2725' });
		expect(json(out.items)).toEqual([dialog]);
	});

	test('set colour (imbot.chat.updateColor) with CHAT_ID, COLOR, BOT_ID', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'chat', operation: 'setColor', botId: rl(39), chatId: 'chat2725', color: 'PURPLE' });
		expect(calls[0].method).toBe('imbot.chat.updateColor');
		expect(calls[0].body).toEqual({ BOT_ID: 39, CHAT_ID: 2725, COLOR: 'PURPLE' });
		expect(json(out.items)).toEqual([{ chatId: 2725, color: 'PURPLE', updated: true }]);
	});

	test('a bad colour fails before any request', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'chat', operation: 'setColor', chatId: '2725', color: 'BLUE' });
		expect(out.error?.message).toMatch(/"Color" must be one of: AQUA, AZURE, BROWN, DARK_BLUE, GRAPHITE, GRAY, GREEN, KHAKI, LIGHT_BLUE, LIME, MARENGO, MINT, PINK, PURPLE, RED, SAND \(got "BLUE"\)/);
		expect(calls).toHaveLength(0);
	});

	test.each([
		['leave', 'imbot.chat.leave', {}, {}, { chatId: 15, left: true }],
		['addMembers', 'imbot.chat.user.add', { userIds: '4,5', hideHistory: false }, { USERS: [4, 5], HIDE_HISTORY: 'N' }, { chatId: 15, userIds: [4, 5], added: true }],
		['addMembers', 'imbot.chat.user.add', { userIds: '4' }, { USERS: [4], HIDE_HISTORY: 'Y' }, { chatId: 15, userIds: [4], added: true }],
		['removeMember', 'imbot.chat.user.delete', { userId: '4' }, { USER_ID: 4 }, { chatId: 15, userId: 4, removed: true }],
		['rename', 'imbot.chat.updateTitle', { title: ' New title ' }, { TITLE: 'New title' }, { chatId: 15, title: 'New title', updated: true }],
		['setOwner', 'imbot.chat.setOwner', { userId: '2' }, { USER_ID: 2 }, { chatId: 15, ownerId: 2, updated: true }],
		['setManager', 'imbot.chat.setManager', { userId: '3' }, { USER_ID: 3, IS_MANAGER: 'Y' }, { chatId: 15, userId: 3, isManager: true }],
		['setManager', 'imbot.chat.setManager', { userId: '3', isManager: false }, { USER_ID: 3, IS_MANAGER: 'N' }, { chatId: 15, userId: 3, isManager: false }],
	])('%s → %s', async (operation, method, fields, params, output) => {
		const { calls } = portal();
		const out = await run({ resource: 'chat', operation, botId: rl(39), chatId: '15', ...fields });
		expect(out.error).toBeUndefined();
		expect(calls.map((c) => [c.method, c.body])).toEqual([[method, { BOT_ID: 39, CHAT_ID: 15, ...params }]]);
		expect(json(out.items)).toEqual([output]);
	});

	test('send typing (imbot.chat.sendTyping) with DIALOG_ID', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'chat', operation: 'sendTyping', dialogId: '27' });
		expect(calls.map((c) => [c.method, c.body])).toEqual([['imbot.chat.sendTyping', { DIALOG_ID: '27' }]]);
		expect(json(out.items)).toEqual([{ dialogId: '27', success: true }]);
	});

	test('get members (imbot.chat.user.list): one row {userId} per member, with limit', async () => {
		const { calls } = portal({ 'imbot.chat.user.list': [1269, 1271, 1291] });
		const all = await run({ resource: 'chat', operation: 'getMembers', chatId: '15', returnAll: true });
		expect(calls[0].method).toBe('imbot.chat.user.list');
		expect(calls[0].body).toEqual({ CHAT_ID: 15 });
		expect(json(all.items)).toEqual([{ userId: 1269 }, { userId: 1271 }, { userId: 1291 }]);
		const two = await run({ resource: 'chat', operation: 'getMembers', chatId: '15', returnAll: false, limit: 2 });
		expect(json(two.items)).toEqual([{ userId: 1269 }, { userId: 1271 }]);
	});

	test('set avatar (imbot.chat.updateAvatar) from a binary property and from a URL', async () => {
		const { calls } = portal();
		const fromBinary = await run({ resource: 'chat', operation: 'setAvatar', chatId: '15', avatarSource: 'binary', avatarBinaryProperty: 'data' }, { items: [imageItem()] });
		expect(fromBinary.error).toBeUndefined();
		nock('https://img.example').get('/a.png').reply(200, Buffer.from(PNG_BASE64, 'base64'), { 'Content-Type': 'image/png' });
		const fromUrl = await run({ resource: 'chat', operation: 'setAvatar', chatId: '15', avatarSource: 'url', avatarUrl: 'https://img.example/a.png' });
		expect(fromUrl.error).toBeUndefined();
		expect(calls.map((c) => [c.method, c.body])).toEqual([
			['imbot.chat.updateAvatar', { CHAT_ID: 15, AVATAR: PNG_BASE64 }],
			['imbot.chat.updateAvatar', { CHAT_ID: 15, AVATAR: PNG_BASE64 }],
		]);
	});

	test('set avatar: a binary that is not an image, and a missing binary, fail before sending', async () => {
		const { calls } = portal();
		const pdf = await run(
			{ resource: 'chat', operation: 'setAvatar', chatId: '15', avatarSource: 'binary' },
			{ items: [{ json: {}, binary: { data: { data: 'JVBERi0=', mimeType: 'application/pdf' } } }] },
		);
		expect(pdf.error?.message).toMatch(/"Avatar Binary Property": "data" is application\/pdf, not an image/);
		const none = await run({ resource: 'chat', operation: 'setAvatar', chatId: '15', avatarSource: 'binary' });
		expect(none.error?.message).toMatch(/the input item has no binary property "data"/);
		expect(calls).toHaveLength(0);
	});

	test('chat id must be a number (or chatNNN)', async () => {
		const { calls } = portal();
		const out = await run({ resource: 'chat', operation: 'leave', chatId: 'general' });
		expect(out.error?.message).toMatch(/"Chat ID" must be a chat ID, a positive whole number/);
		expect(calls).toHaveLength(0);
	});
});
