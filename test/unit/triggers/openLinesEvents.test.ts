import type { FormObject } from '../../../nodes/Bitrix24/events';
import {
	matchesConnectorFilter,
	OPEN_CHANNELS_EVENT_NAMES,
	OPEN_CHANNELS_EVENTS,
	OPEN_LINES_EVENT_NAMES,
	OPEN_LINES_EVENTS,
	deliveryConfirmation,
	openChannelsItems,
	parsePhpForm,
} from '../../../nodes/Bitrix24/events';
import { Bitrix24OpenChannelsFetchTriggerV1 as Bitrix24OpenChannelsFetchTrigger } from '../../../nodes/Bitrix24OpenChannelsFetchTrigger/v1/Bitrix24OpenChannelsFetchTriggerV1.node';
import { Bitrix24OpenChannelsTrigger } from '../../../nodes/Bitrix24OpenChannelsTrigger/Bitrix24OpenChannelsTrigger.node';
import { isDocumentedEvent } from '../../helpers/documentedNames';
import { fixture, SECRET_FRAGMENTS } from './fixtures';

function received(event: string) {
	const body = parsePhpForm(fixture(event));
	return { event: String(body.event), data: body.data, ts: body.ts as string, domain: (body.auth as FormObject).domain as string };
}

describe('open-line events in the Open Channels triggers', () => {
	test('the five events, all documented, with UI names (not raw codes)', () => {
		expect([...OPEN_LINES_EVENT_NAMES].sort()).toEqual(['ONOPENLINEMESSAGEADD', 'ONOPENLINEMESSAGEDELETE', 'ONOPENLINEMESSAGEUPDATE', 'ONSESSIONFINISH', 'ONSESSIONSTART']);
		for (const event of OPEN_CHANNELS_EVENT_NAMES) expect(isDocumentedEvent(event)).toBe(true);
		for (const option of OPEN_LINES_EVENTS) {
			expect(option.name).not.toMatch(/^ON[A-Z]+$/);
			expect(option.description).toMatch(/OAuth2/);
			expect(option.description).toMatch(/only events for the app's own connector are delivered/i);
		}
	});

	test('both trigger nodes offer them, sorted by name', () => {
		for (const node of [new Bitrix24OpenChannelsTrigger(), new Bitrix24OpenChannelsFetchTrigger()]) {
			const events = node.description.properties.find((p) => p.name === 'events');
			const values = (events?.options ?? []).map((o) => String((o as { value: string }).value));
			for (const event of OPEN_LINES_EVENT_NAMES) expect(values).toContain(event);
			const names = (events?.options ?? []).map((o) => o.name);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
		}
		expect(OPEN_CHANNELS_EVENTS).toHaveLength(12);
	});

	test('OnSessionStart / OnSessionFinish: session, chat, user, connector, line; raw entry under data', () => {
		const [start] = openChannelsItems(received('ONSESSIONSTART'));
		expect(start).toEqual({
			event: 'ONSESSIONSTART',
			connector: 'my_whatsapp',
			line: 128,
			chat: { id: 10585, externalId: 'wa-chat-7001' },
			user: { id: 1984, externalId: 'wa-user-42' },
			session: { id: 42, closed: false, parentId: 0, closeTerm: 60 },
			data: {
				connector: { connector_id: 'my_whatsapp', line_id: '128', chat_id: 'wa-chat-7001', user_id: 'wa-user-42' },
				session: { id: '42', closed: 'N', parent_id: '0', close_term: '60' },
				chat: { id: '10585' },
				user: { id: '1984' },
			},
			domain: 'acme.bitrix24.com',
			ts: 1771928985,
		});
		const [finish] = openChannelsItems(received('ONSESSIONFINISH'));
		expect(finish).toMatchObject({ event: 'ONSESSIONFINISH', session: { id: 42, closed: true } });
	});

	test('OnOpenLineMessageAdd: message id, BB-code text and plain text, author, system flag', () => {
		const [item] = openChannelsItems(received('ONOPENLINEMESSAGEADD'));
		expect(item).toEqual({
			event: 'ONOPENLINEMESSAGEADD',
			connector: 'my_whatsapp',
			line: 128,
			chat: { id: 10585, externalId: 'wa-chat-7001', externalUserId: 'wa-user-42' },
			user: { id: 1985 },
			message: { id: 80964, text: '[b]Hello[/b] [br]I need help', plainText: 'Hello \nI need help', system: false },
			data: expect.objectContaining({ message: expect.objectContaining({ id: '80964', user_id: '1985' }), extra: { EXTRA_URL: '' } }),
			domain: 'acme.bitrix24.com',
			ts: 1771928985,
		});
	});

	test('OnOpenLineMessageUpdate / Delete (data[CONNECTOR], data[LINE], im block)', () => {
		for (const event of ['ONOPENLINEMESSAGEUPDATE', 'ONOPENLINEMESSAGEDELETE']) {
			expect(openChannelsItems(received(event))).toEqual([
				{
					event,
					connector: 'my_whatsapp',
					line: 128,
					chat: { id: 1024 },
					message: { id: 2056 },
					data: { im: { chat_id: '1024', message_id: '2056' }, message: { id: '2056' }, chat: { id: '1024' } },
					domain: 'acme.bitrix24.com',
					ts: 1771928985,
				},
			]);
		}
	});

	test('one item per DATA entry; no token ever in an item', () => {
		const r = received('ONOPENLINEMESSAGEADD');
		const data = r.data as FormObject;
		const entry = (data.DATA as FormObject[])[0];
		const two = { ...r, data: { DATA: [entry, { ...entry, message: { ...(entry.message as FormObject), id: '80965', text: 'second' } }] } };
		const items = openChannelsItems(two);
		expect(items.map((i) => (i.message as { id: number }).id)).toEqual([80964, 80965]);
		for (const event of OPEN_LINES_EVENT_NAMES) {
			const text = JSON.stringify(openChannelsItems(received(event)));
			for (const secret of SECRET_FRAGMENTS) expect(text).not.toContain(secret);
		}
	});

	test('connector and line filters apply (connector from DATA[0][connector] when there is no data[CONNECTOR])', () => {
		for (const event of OPEN_LINES_EVENT_NAMES) {
			expect(matchesConnectorFilter(received(event), 'my_whatsapp', '128')).toBe(true);
			expect(matchesConnectorFilter(received(event), 'other', '')).toBe(false);
			expect(matchesConnectorFilter(received(event), '', '7')).toBe(false);
		}
	});

	test('no delivery confirmation for open-line events (imconnector.send.status.delivery is for connector messages)', () => {
		for (const event of OPEN_LINES_EVENT_NAMES) expect(deliveryConfirmation(received(event))).toBeUndefined();
	});
});
