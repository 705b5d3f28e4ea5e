import { bodyEntries, chatbotItem, nestPhpEntries, openChannelsItems, parsePhpForm, splitPhpKey } from '../../../nodes/Bitrix24/events';
import type { FormObject } from '../../../nodes/Bitrix24/events';
import { CHATBOT_EVENT_NAMES, OPEN_CHANNELS_EVENT_NAMES, OPEN_LINES_EVENT_NAMES } from '../../../nodes/Bitrix24/events';
import { chatOfRecord } from '../../../nodes/Bitrix24OpenChannelsFetchTrigger/shared';
import { fixture, SECRET_FRAGMENTS } from './fixtures';
import { flatBody } from './triggerContext';

function leaves(value: unknown): unknown[] {
	if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
	return [value];
}

function received(event: string) {
	const body = parsePhpForm(fixture(event));
	return { event: String(body.event), data: body.data, ts: body.ts as string, domain: (body.auth as FormObject).domain as string };
}

describe('PHP form keys', () => {
	test('splits bracket keys', () => {
		expect(splitPhpKey('data[MESSAGES][0][im][chat_id]')).toEqual(['data', 'MESSAGES', '0', 'im', 'chat_id']);
		expect(splitPhpKey('event')).toEqual(['event']);
		expect(splitPhpKey('a[]')).toEqual(['a', '']);
		expect(splitPhpKey('a[b]c')).toEqual(['a', 'bc']);
	});

	test('numeric keys 0..n-1 become arrays, other numeric keys stay object keys, values stay strings', () => {
		const out = nestPhpEntries([
			['data[MESSAGES][0][im][chat_id]', '845'],
			['data[MESSAGES][1][im][chat_id]', '846'],
			['data[BOT][567][BOT_ID]', '567'],
			['x[]', 'a'],
			['x[]', 'b'],
			['__proto__[polluted]', '1'],
			['data[constructor][prototype][p]', '1'],
		]);
		expect(out).toEqual({ data: { MESSAGES: [{ im: { chat_id: '845' } }, { im: { chat_id: '846' } }], BOT: { 567: { BOT_ID: '567' } } }, x: ['a', 'b'] });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	test('flat n8n body, nested body and raw text give the same result', () => {
		const raw = fixture('ONIMBOTMESSAGEADD');
		const fromRaw = parsePhpForm(raw);
		expect(parsePhpForm(flatBody(raw))).toEqual(fromRaw);
		expect(parsePhpForm(fromRaw as never)).toEqual(fromRaw);
		expect(bodyEntries({ a: { b: ['1', '2'] }, n: 5, t: true, z: null } as never)).toEqual([
			['a[b][0]', '1'],
			['a[b][1]', '2'],
			['n', '5'],
			['t', '1'],
			['z', ''],
		]);
	});
});

describe.each([...OPEN_CHANNELS_EVENT_NAMES, ...CHATBOT_EVENT_NAMES])('documented payload %s', (event) => {
	test('parses into nested JSON of strings', () => {
		const body = parsePhpForm(fixture(event));
		expect(body.event).toBe(event);
		expect(body.ts).toBe('1771928985');
		expect(typeof body.auth).toBe('object');
		expect(leaves(body).every((v) => typeof v === 'string')).toBe(true);
	});

	test('gives clean items without any token', () => {
		const r = received(event);
		const items = event.startsWith('ONIMCONNECTOR') || OPEN_LINES_EVENT_NAMES.includes(event) ? openChannelsItems(r) : [chatbotItem(r)];
		expect(items.length).toBeGreaterThan(0);
		const text = JSON.stringify(items);
		for (const secret of SECRET_FRAGMENTS) expect(text).not.toContain(secret);
		for (const item of items) expect(item.event).toBe(event);
	});
});

describe('Open Channels items', () => {
	test('ONIMCONNECTORMESSAGEADD: one item per message with connector, line, chat, user, message, files', () => {
		const items = openChannelsItems(received('ONIMCONNECTORMESSAGEADD'));
		expect(items).toHaveLength(2);
		expect(items[0]).toEqual({
			event: 'ONIMCONNECTORMESSAGEADD',
			connector: 'my_whatsapp',
			line: 3,
			chat: { id: 845, externalId: 'wa-chat-7001' },
			user: { id: 1 },
			message: { id: 19321, text: '[b]Klaus Weber:[/b] [br]Guten Tag! Wie kann ich helfen?', plainText: 'Klaus Weber: \nGuten Tag! Wie kann ich helfen?', files: [] },
			domain: 'acme.bitrix24.com',
			ts: 1771928985,
		});
		expect((items[1].message as { text: string; files: unknown[] }).text).toBe('Here is the price list & terms = 100%');
		expect((items[1].message as { files: unknown[] }).files).toEqual([
			{ name: 'prices.pdf', link: 'https://acme.bitrix24.com/disk/downloadFile/55/?&ncc=1&filename=prices.pdf', size: '20480', type: 'file' },
		]);
	});

	test('the chat a record keeps its order in: the Bitrix24 chat, else the outside chat of the connector and line; none for line events', () => {
		const chats = Object.fromEntries(OPEN_CHANNELS_EVENT_NAMES.map((event) => [event, chatOfRecord(openChannelsItems(received(event)))]));
		expect(chats.ONIMCONNECTORMESSAGEADD).toBe('chat:845');
		expect(chats.ONIMCONNECTORMESSAGEUPDATE).toBe('chat:845');
		expect(chats.ONIMCONNECTORLINEDELETE).toBeUndefined();
		expect(chats.ONIMCONNECTORSTATUSDELETE).toBeUndefined();
		for (const event of OPEN_LINES_EVENT_NAMES) expect(chats[event]).toMatch(/^chat:\d+$/);
		expect(chatOfRecord([{ connector: 'wa', line: 3, chat: { externalId: 'wa-1' } }])).toBe('external:wa:3:wa-1');
		expect(chatOfRecord([])).toBeUndefined();
	});

	test('update and delete carry the external ids', () => {
		const [update] = openChannelsItems(received('ONIMCONNECTORMESSAGEUPDATE'));
		expect(update.message).toEqual({ id: 19321, externalIds: ['wa-msg-88'], text: 'Guten Tag! (edited)', plainText: 'Guten Tag! (edited)', files: [] });
		const [del] = openChannelsItems(received('ONIMCONNECTORMESSAGEDELETE'));
		expect(del.message).toEqual({ id: 19321, externalIds: ['wa-msg-88'] });
	});

	test('dialog events: one item with the session', () => {
		const [start] = openChannelsItems(received('ONIMCONNECTORDIALOGSTART'));
		expect(start).toMatchObject({
			event: 'ONIMCONNECTORDIALOGSTART',
			connector: 'my_whatsapp',
			line: 105,
			chat: { id: 845, externalId: 'wa-chat-7001' },
			user: { id: 61, externalId: 'wa-user-42' },
			session: { id: 3301, closed: false, parentId: 0 },
		});
		expect(start.dialogs).toHaveLength(1);
		const [finish] = openChannelsItems(received('ONIMCONNECTORDIALOGFINISH'));
		expect(finish.session).toEqual({ id: 3301, closed: true, parentId: 0, closeTerm: '1440' });
	});

	test('status and line events', () => {
		expect(openChannelsItems(received('ONIMCONNECTORSTATUSDELETE'))).toEqual([
			{ event: 'ONIMCONNECTORSTATUSDELETE', connector: 'myconnector', line: 107, domain: 'acme.bitrix24.com', ts: 1771928985 },
		]);
		expect(openChannelsItems(received('ONIMCONNECTORLINEDELETE'))).toEqual([{ event: 'ONIMCONNECTORLINEDELETE', line: 107, domain: 'acme.bitrix24.com', ts: 1771928985 }]);
	});
});

describe('Chatbot items', () => {
	test('ONIMBOTMESSAGEADD in a group chat', () => {
		const item = chatbotItem(received('ONIMBOTMESSAGEADD'));
		expect(item).toMatchObject({
			event: 'ONIMBOTMESSAGEADD',
			botId: 567,
			botCode: 'helper_bot',
			dialogId: 'chat15',
			message: { id: 88123, text: 'Hello, what are your opening hours?', originalText: '[USER=567]Helper[/USER] Hello, what are your opening hours?', type: 'C', authorId: 27, system: false },
			user: { id: 27, name: 'Klaus Weber', firstName: 'Klaus', lastName: 'Weber', isBot: false, isConnector: false },
			chat: { id: 15, type: 'C', title: 'Sales team', authorId: 1, userCount: 4 },
			language: 'en',
		});
		expect((item.params as Record<string, unknown>).MENTIONED_LIST).toEqual({ 567: '567' });
	});

	test('ONIMCOMMANDADD keeps command id, name, params and context, drops the token blocks', () => {
		const item = chatbotItem(received('ONIMCOMMANDADD'));
		expect(item.command).toEqual({ id: 12, name: 'order', params: '4711 express', context: 'KEYBOARD', messageId: 88130 });
		expect(item).toMatchObject({ botId: 567, botCode: 'helper_bot', dialogId: '27', message: { id: 88130, text: '/order 4711 express' } });
		expect(item).not.toHaveProperty('BOT');
		expect(item).not.toHaveProperty('COMMAND');
	});

	test('update, delete, join and bot delete', () => {
		expect(chatbotItem(received('ONIMBOTMESSAGEUPDATE'))).toMatchObject({ botId: 567, dialogId: '27', message: { id: 88124, text: 'Corrected text', type: 'P' }, chat: { id: 31, type: 'P' } });
		expect(chatbotItem(received('ONIMBOTMESSAGEDELETE'))).toMatchObject({ botId: 567, message: { id: 88124, text: 'This message was deleted.' } });
		const join = chatbotItem(received('ONIMBOTJOINCHAT'));
		expect(join).toMatchObject({ event: 'ONIMBOTJOINCHAT', botId: 567, dialogId: 'chat15', chat: { id: 15, type: 'C' }, user: { id: 27 } });
		expect(join).not.toHaveProperty('message');
		expect(chatbotItem(received('ONIMBOTDELETE'))).toEqual({ event: 'ONIMBOTDELETE', botId: 567, botCode: 'helper_bot', domain: 'acme.bitrix24.com', ts: 1771928985 });
	});
});
