/* Issue 23.4 / 23.5: the fetch triggers do not trust the portal's ids, offsets or records. Each case plants what a
 * hostile or broken portal could return into the sandbox's queues (or answers through nock) and checks that no real
 * event is lost, none is handed over twice, and one poison record never blocks the queue. The scheduled (poll) path
 * and the live path read through the same checks (nodes/Bitrix24/events/live/eventQueue.ts, offlineQueue.ts). */
/* eslint-disable @typescript-eslint/no-explicit-any */
import nock from 'nock';

import { Bitrix24ChatbotFetchTriggerV1 } from '../../nodes/Bitrix24ChatbotFetchTrigger/v1/Bitrix24ChatbotFetchTriggerV1.node';
import { Bitrix24OpenChannelsFetchTriggerV1 } from '../../nodes/Bitrix24OpenChannelsFetchTrigger/v1/Bitrix24OpenChannelsFetchTriggerV1.node';
import { OAUTH_BASE, WEBHOOK_BASE, WEBHOOK_PATH, webhookCredentials } from '../helpers/runNode';
import { pollHarness } from '../unit/triggers/pollContext';
import { sandboxPerTest, sandboxTriggerCredentials } from './triggerServer';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const v2 = require('../../sandbox/methods/imbotV2/triggers');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const offlineEvents = require('../../sandbox/offlineEvents');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { app, control, setupConnector, message } = require('../sandbox/helpers');

const portal = sandboxPerTest();
let sb: any;
let token: string;
beforeEach(() => {
	sb = portal.sb;
	token = portal.token;
});
afterEach(() => nock.cleanAll());

const credentials = () => sandboxTriggerCredentials(sb, undefined, { botToken: 'n8n-it-bot-token' });
const call = (method: string, params: any) => app(sb, token, method, params);

describe('Chatbot Fetch Trigger: imbot.v2.Event.get ids (23.4)', () => {
	async function fetchBot() {
		const r = await call('imbot.v2.Bot.register', { fields: { code: 'hostile', properties: { name: 'Hostile' }, eventMode: 'fetch' } });
		return Number(r.body.result.bot.id);
	}
	const trigger = (botId: number) =>
		pollHarness(new Bitrix24ChatbotFetchTriggerV1(), {
			parameters: { authentication: 'oAuth2', events: ['ONIMBOTV2MESSAGEADD'], botId: { mode: 'id', value: String(botId) } },
			credentials: credentials(),
		});
	const queueOf = (botId: number) => sb.state.imbotV2.queues.get(`bot:${botId}`);
	const texts = (items: any[] | null) => (items ?? []).map((i) => i.text);

	test('an event with id 9e15 does not make the next real events count as delivered (no loss)', async () => {
		const botId = await fetchBot();
		const h = trigger(botId);
		await h.poll();
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'one' });
		expect(texts(await h.poll())).toEqual(['one']);
		const real = queueOf(botId);
		const sample = { ...real.events.length ? real.events[0] : {} };
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'template' });
		const template = queueOf(botId).events.at(-1);
		queueOf(botId).events.pop();
		queueOf(botId).events.push({ ...template, ...sample, eventId: 9e15, data: { ...template.data, message: { ...template.data.message, text: 'forged' } } });
		await h.poll();
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'two' });
		await v2.userMessage(sb.portal, botId, { userId: 3, text: 'three' });
		const after = [...texts(await h.poll()), ...texts(await h.poll())];
		expect(after).toEqual(['two', 'three']);
		expect((h.staticData().offset as number) < 9e15).toBe(true);
	});

	test('an unreadable copy does not claim its id: the readable copy of the same event is delivered', async () => {
		const botId = await fetchBot();
		const h = trigger(botId);
		await h.poll();
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'real' });
		const q = queueOf(botId);
		const good = q.events.at(-1);
		q.events.splice(q.events.length - 1, 0, { eventId: good.eventId, type: '', date: good.date, at: good.at, data: 'garbage' });
		expect(texts(await h.poll())).toEqual(['real']);
	});

	test('a page whose events is not a list moves no offset (nothing acknowledged, nothing lost)', async () => {
		const h = pollHarness(new Bitrix24ChatbotFetchTriggerV1(), {
			parameters: { authentication: 'webhook', events: ['ONIMBOTV2MESSAGEADD'], botId: { mode: 'id', value: '7' } },
			credentials: { bitrix24WebhookApi: webhookCredentials({ botToken: 'n8n-test-bot-token' }) },
			staticData: { 'node:Fetch Trigger': { source: 'bot:7', fetchModeBot: 7, offset: 10 } },
		});
		const sent: any[] = [];
		nock(WEBHOOK_BASE)
			.post(`${WEBHOOK_PATH}imbot.v2.Event.get`, (body) => (sent.push(body), true))
			.reply(200, { result: { events: { 0: { eventId: 11, type: 'ONIMBOTV2MESSAGEADD', data: {} } }, nextOffset: 500, hasMore: false } })
			.post(`${WEBHOOK_PATH}imbot.v2.Event.get`, (body) => (sent.push(body), true))
			.reply(200, { result: { events: [], nextOffset: 10, hasMore: false } });
		await h.poll().catch(() => null);
		await h.poll().catch(() => null);
		expect(sent.map((b) => b.offset)).toEqual([10, 10]);
		expect(h.staticData().offset).toBe(10);
	});
});

describe('Open Channels Fetch Trigger: offline records (23.4, 23.5)', () => {
	async function connector() {
		await setupConnector(sb, token, 'offconn');
		await call('imconnector.send.messages', { CONNECTOR: 'offconn', LINE: 1, MESSAGES: [message(1)] });
	}
	const reply = async (text: string) => (await control(sb, 'openlines/operator-reply', { connector: 'offconn', line: 1, chatId: 'chat-1', text, userId: 2 })).body;
	const trigger = () =>
		pollHarness(new Bitrix24OpenChannelsFetchTriggerV1(), {
			parameters: { authentication: 'oAuth2', events: ['ONIMCONNECTORMESSAGEADD'], options: { confirmDelivery: false } },
			credentials: credentials(),
		});
	const queue = () => sb.state.offlineEvents?.records ?? [];
	const texts = (items: any[] | null) => (items ?? []).map((i) => String(i.message?.text ?? '').replace(/^.*\[br\]/, ''));

	test('a record repeated in one batch is handed over once', async () => {
		await connector();
		const h = trigger();
		await h.poll();
		await reply('only once');
		const q = sb.state.offlineEvents;
		q.records.push(q.records[q.records.length - 1]); // the portal returns the same record twice
		expect(texts(await h.poll())).toEqual(['only once']);
	});

	test('EVENT_DATA nested 20,000 deep is set aside with event.offline.error; the queue goes on', async () => {
		// no sandbox can serialise it (JSON.stringify overflows), so a portal answers with the raw text through nock
		const deep = '{"a":'.repeat(20000) + '1' + '}'.repeat(20000);
		const row = (id: number, messageId: string, data: string) =>
			`{"ID":"${id}","TIMESTAMP_X":"2026-12-01T10:00:00+00:00","EVENT_NAME":"ONIMCONNECTORMESSAGEADD","EVENT_DATA":${data},"MESSAGE_ID":"${messageId}","PROCESS_ID":"p1","ERROR":0}`;
		const real = JSON.stringify({ CONNECTOR: 'offconn', LINE: '1', MESSAGES: [{ im: { chat_id: 5, message_id: 9 }, message: { user_id: 2, text: 'after the poison' }, chat: { id: 'chat-1' } }] });
		const page = `{"result":{"process_id":"p1","events":[${row(1, 'poison', deep)},${row(2, 'm2', real)}]}}`;
		const calls: Array<{ method: string; body: any }> = [];
		const record = (method: string) => (body: any) => (calls.push({ method, body }), true);
		nock(OAUTH_BASE)
			.post('/rest/event.offline.list', record('list'))
			.reply(200, { result: [] })
			.post('/rest/event.offline.get', record('get'))
			.reply(200, page, { 'content-type': 'application/json' })
			.post('/rest/event.offline.error', record('error'))
			.reply(200, { result: true })
			.post('/rest/event.offline.clear', record('clear'))
			.reply(200, { result: true })
			.persist();
		const h = pollHarness(new Bitrix24OpenChannelsFetchTriggerV1(), {
			parameters: { authentication: 'oAuth2', events: ['ONIMCONNECTORMESSAGEADD'], options: { confirmDelivery: false } },
			staticData: { 'node:Fetch Trigger': { source: 'offline:', boundOffline: ['ONIMCONNECTORMESSAGEADD'] } },
		});
		const items = await h.poll();
		expect(texts(items)).toEqual(['after the poison']);
		expect(calls.find((c) => c.method === 'error')?.body).toMatchObject({ process_id: 'p1', message_id: ['poison'] });
		expect(h.staticData().processIds).toEqual([2]);
	});
});
