/* Fetch triggers, the parts without a portal: BB-code to text, the v2 item (fetch JSON and webhook form alike),
 * JSON → PHP-form values, the delivered-id ring, and the node descriptions n8n relies on. */
import type { IDataObject } from 'n8n-workflow';

import { chatbotV2Item, CHATBOT_V2_EVENT_NAMES, DELIVERED_IDS_KEPT, jsonToFormValue, plainText } from '../../../nodes/Bitrix24/events';
import { Bitrix24ChatbotFetchTriggerV1 as Bitrix24ChatbotFetchTrigger } from '../../../nodes/Bitrix24ChatbotFetchTrigger/v1/Bitrix24ChatbotFetchTriggerV1.node';
import { Bitrix24OpenChannelsFetchTriggerV1 as Bitrix24OpenChannelsFetchTrigger } from '../../../nodes/Bitrix24OpenChannelsFetchTrigger/v1/Bitrix24OpenChannelsFetchTriggerV1.node';

describe('plainText', () => {
	test.each([
		['[b]Hi[/b] there', 'Hi there'],
		['line one[br]line two', 'line one\nline two'],
		['[USER=5]Anna[/USER], see [URL=https://x.test/a?b=1]the page[/URL]', 'Anna, see the page'],
		['[color=#ff0000]red[/color] [i]and[/i] [s]struck[/s]', 'red and struck'],
		['a [ not a tag', 'a [ not a tag'],
		['', ''],
	])('%j → %j', (input, output) => expect(plainText(input)).toBe(output));

	test('linear on a hostile text (no catastrophic backtracking)', () => {
		const hostile = '[a='.repeat(50000) + 'x';
		expect(plainText(hostile).length).toBeGreaterThan(0);
	});
});

describe('chatbotV2Item', () => {
	const fetched = {
		type: 'ONIMBOTV2MESSAGEADD',
		eventId: 1001,
		date: '2026-12-01T10:00:00+00:00',
		data: {
			bot: { id: 101, code: 'b', eventMode: 'fetch' },
			message: { id: 55, chatId: 9, authorId: 2, date: 'd', text: '[b]Hi[/b]', isSystem: false, uuid: '', forward: null, params: {} },
			chat: { id: 9, dialogId: '2', type: 'private' },
			user: { id: 2, name: 'Boris' },
			language: 'en',
		},
	};

	test('fetch mode: top-level botId, dialogId, text; message without empty parts', () => {
		expect(chatbotV2Item(fetched)).toEqual({
			event: 'ONIMBOTV2MESSAGEADD',
			eventId: 1001,
			date: '2026-12-01T10:00:00+00:00',
			botId: 101,
			botCode: 'b',
			dialogId: '2',
			text: 'Hi',
			message: { id: 55, chatId: 9, authorId: 2, date: 'd', text: '[b]Hi[/b]', isSystem: false, params: {} },
			chat: { id: 9, dialogId: '2', type: 'private' },
			user: { id: 2, name: 'Boris' },
			language: 'en',
		});
	});

	test('webhook mode (every scalar a string, bot auth block): same ids, no auth in the item', () => {
		const item = chatbotV2Item({
			type: 'ONIMBOTV2COMMANDADD',
			ts: '1771928985',
			data: jsonToFormValue({
				bot: { id: 101, code: 'b', auth: { access_token: 'SECRET', application_token: 'APP' } },
				command: { id: 7, command: '/help', params: '', context: 'keyboard' },
				message: { id: 56, chatId: 9, authorId: 2, text: '/help', isSystem: false },
				chat: { id: 9, dialogId: 'chat9' },
			}) as IDataObject,
		});
		expect(item).toMatchObject({ event: 'ONIMBOTV2COMMANDADD', ts: 1771928985, botId: 101, dialogId: 'chat9', command: { id: 7, command: '/help', params: '', context: 'keyboard' } });
		expect(item.message).toMatchObject({ id: 56, chatId: 9, authorId: 2, isSystem: false });
		expect(JSON.stringify(item)).not.toMatch(/SECRET|APP|access_token/);
	});

	test('delete, reaction, join, context shapes', () => {
		expect(chatbotV2Item({ type: 'ONIMBOTV2MESSAGEDELETE', data: { bot: { id: 1 }, messageId: 77, chat: { dialogId: '3' } } })).toMatchObject({ message: { id: 77 }, dialogId: '3' });
		expect(chatbotV2Item({ type: 'ONIMBOTV2REACTIONCHANGE', data: { bot: { id: 1 }, reaction: 'like', action: 'add', message: { id: 5, text: 'x' } } })).toMatchObject({
			reaction: { reaction: 'like', action: 'add' },
			message: { id: 5 },
			text: 'x',
		});
		expect(chatbotV2Item({ type: 'ONIMBOTV2JOINCHAT', data: { bot: { id: 1 }, dialogId: 'chat4', chat: { dialogId: 'chat4' } } })).toMatchObject({ dialogId: 'chat4', botId: 1 });
		expect(chatbotV2Item({ type: 'ONIMBOTV2CONTEXTGET', data: { bot: { id: 1 }, dialogId: '2', context: { a: '1' } } })).toMatchObject({ context: { a: '1' } });
	});
});

test('jsonToFormValue is what http_build_query sends', () => {
	expect(jsonToFormValue({ a: 1, b: true, c: false, d: null, e: [1, 'x'], f: { g: 2 } })).toEqual({ a: '1', b: '1', c: '0', d: '', e: ['1', 'x'], f: { g: '2' } });
});

test('the eight v2 events, and the ring keeps the newest ids', () => {
	expect(CHATBOT_V2_EVENT_NAMES.sort()).toEqual(
		['ONIMBOTV2COMMANDADD', 'ONIMBOTV2CONTEXTGET', 'ONIMBOTV2DELETE', 'ONIMBOTV2JOINCHAT', 'ONIMBOTV2MESSAGEADD', 'ONIMBOTV2MESSAGEDELETE', 'ONIMBOTV2MESSAGEUPDATE', 'ONIMBOTV2REACTIONCHANGE'],
	);
	expect(DELIVERED_IDS_KEPT).toBeGreaterThanOrEqual(1000);
});

test.each([new Bitrix24ChatbotFetchTrigger(), new Bitrix24OpenChannelsFetchTrigger()])('$description.name: a polling trigger n8n schedules (polling, poll(), no webhooks, no inputs)', (node) => {
	expect(node.description.polling).toBe(true);
	expect(typeof node.poll).toBe('function');
	expect(node.description.webhooks).toBeUndefined();
	expect(node.description.inputs).toEqual([]);
	expect(node.description.name).toMatch(/Trigger$/);
	expect((node.description as unknown as IDataObject).usableAsTool).toBeUndefined();
});
