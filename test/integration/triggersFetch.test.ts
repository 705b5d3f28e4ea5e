/* In-process integration of the fetch (pull) triggers against the sandbox portal: poll() through n8n-core's
 * PollContext, events sent with the sandbox's triggers, acknowledgement, restarts (static data as n8n saves it),
 * dedupe, manual (test) runs, offline events. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import nock from 'nock';

import { Bitrix24ChatbotFetchTriggerV1 as Bitrix24ChatbotFetchTrigger } from '../../nodes/Bitrix24ChatbotFetchTrigger/v1/Bitrix24ChatbotFetchTriggerV1.node';
import { Bitrix24OpenChannelsFetchTriggerV1 as Bitrix24OpenChannelsFetchTrigger } from '../../nodes/Bitrix24OpenChannelsFetchTrigger/v1/Bitrix24OpenChannelsFetchTriggerV1.node';
import { pollHarness } from '../unit/triggers/pollContext';
import { sandboxTriggerCredentials } from './triggerServer';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../../sandbox');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const v2 = require('../../sandbox/methods/imbotV2/triggers');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const offlineEvents = require('../../sandbox/offlineEvents');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { app, control, setupConnector, message } = require('../sandbox/helpers');

let sb: any;
let token: string;
beforeAll(() => {
	if (!nock.isActive()) nock.activate();
	nock.cleanAll();
	nock.enableNetConnect('127.0.0.1');
});
afterAll(() => nock.restore());
beforeEach(async () => {
	sb = await startSandbox({ port: 0, rate: 0 });
	token = sb.issueTokens().access_token;
});
afterEach(async () => await sb.stop());

const credentials = () => sandboxTriggerCredentials(sb, undefined, { botToken: 'n8n-it-bot-token' });

/** The REST calls since `from` (method lower case, params). */
function calls(from = 0): Array<{ method: string; params: any }> {
	return sb
		.log()
		.slice(from)
		.map((e: any) => ({ method: String(e.method).toLowerCase(), params: e.params }));
}

const call = (method: string, params: any) => app(sb, token, method, params);

describe('Bitrix24 Chatbot Fetch Trigger (imbot.v2 Event.get)', () => {
	async function bot(eventMode = 'fetch') {
		const fields: any = { code: 'fetchbot', properties: { name: 'Fetch Bot' }, eventMode };
		if (eventMode === 'webhook') fields.webhookUrl = 'https://example.invalid/hook';
		const r = await call('imbot.v2.Bot.register', { fields });
		return Number(r.body.result.bot.id);
	}
	function trigger(botId: number, events = ['ONIMBOTV2MESSAGEADD', 'ONIMBOTV2COMMANDADD'], staticData?: any) {
		return pollHarness(new Bitrix24ChatbotFetchTrigger(), {
			parameters: { authentication: 'oAuth2', events, botId: { mode: 'id', value: String(botId) } },
			credentials: credentials(),
			staticData,
		});
	}

	test('first poll switches a webhook-mode bot to fetch; items carry botId/dialogId/text/message/command; the next poll acknowledges by offset', async () => {
		const botId = await bot('webhook');
		const h = trigger(botId);
		const start = sb.log().length;
		expect(await h.poll()).toBeNull();
		const first = calls(start);
		expect(first.map((c) => c.method)).toEqual(['imbot.v2.bot.get', 'imbot.v2.bot.update', 'imbot.v2.event.get']);
		expect(first[1].params).toEqual({ botId, fields: { eventMode: 'fetch' } });
		expect(first[2].params).toEqual({ botId, limit: 100 });
		expect((await call('imbot.v2.Bot.get', { botId })).body.result.bot.eventMode).toBe('fetch');

		await call('imbot.v2.Command.register', { botId, fields: { command: 'help', title: { en: 'Help' } } });
		await v2.userMessage(sb.portal, botId, { userId: 2, text: '[b]Hello[/b] [br]bot' });
		await v2.join(sb.portal, botId, { userId: 3 });
		await v2.userCommand(sb.portal, botId, { userId: 2, command: 'help', params: 'me' });
		const mark = sb.log().length;
		const items = (await h.poll())!;
		expect(calls(mark)).toEqual([{ method: 'imbot.v2.event.get', params: { botId, limit: 100 } }]);
		expect(items.map((i) => i.event)).toEqual(['ONIMBOTV2MESSAGEADD', 'ONIMBOTV2COMMANDADD']);
		expect(items[0]).toMatchObject({
			event: 'ONIMBOTV2MESSAGEADD',
			botId,
			botCode: 'fetchbot',
			dialogId: '2',
			text: 'Hello \nbot',
			message: { id: expect.any(Number), chatId: expect.any(Number), authorId: 2, text: '[b]Hello[/b] [br]bot', isSystem: false },
			user: { id: 2, name: 'Boris Becker' },
			chat: { dialogId: '2', type: 'private' },
			language: 'en',
			eventId: expect.any(Number),
		});
		expect(items[1].command).toEqual({ id: expect.any(Number), command: '/help', params: 'me', context: 'textarea' });
		const offset = (items[1].eventId as number) + 1;
		expect(h.staticData()).toMatchObject({ source: `bot:${botId}`, offset, fetchModeBot: botId });

		const mark2 = sb.log().length;
		expect(await h.poll()).toBeNull();
		expect(calls(mark2)).toEqual([{ method: 'imbot.v2.event.get', params: { botId, limit: 100, offset } }]);
		expect(sb.state.imbotV2.queues.get(`bot:${botId}`).events).toEqual([]);
	});

	test('n8n restarted: events sent while it was down arrive once; what was delivered before is acknowledged, not repeated', async () => {
		const botId = await bot();
		const h = trigger(botId);
		await h.poll();
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'one' });
		expect((await h.poll())!.map((i) => i.text)).toEqual(['one']);
		// n8n stops; events arrive meanwhile
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'two' });
		await v2.userMessage(sb.portal, botId, { userId: 3, text: 'three' });
		const restarted = h.restart();
		expect((await restarted.poll())!.map((i) => i.text)).toEqual(['two', 'three']);
		expect(await restarted.poll()).toBeNull();
		const again = restarted.restart();
		expect(await again.poll()).toBeNull();
	});

	test('ids already delivered are dropped even when the stored offset is behind them', async () => {
		const botId = await bot();
		const h = trigger(botId);
		await h.poll();
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'a' });
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'b' });
		const events = sb.state.imbotV2.queues.get(`bot:${botId}`).events;
		const stale = trigger(botId, undefined, { [`node:Fetch Trigger`]: { source: `bot:${botId}`, fetchModeBot: botId, delivered: [events[0].eventId] } });
		expect((await stale.poll())!.map((i) => i.text)).toEqual(['b']);
	});

	test('a manual (test) run peeks: no offset, no bot change, nothing stored; the active trigger still gets the events', async () => {
		const botId = await bot('webhook');
		await call('imbot.v2.Bot.update', { botId, fields: { eventMode: 'fetch' } });
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'peek' });
		const h = trigger(botId);
		const mark = sb.log().length;
		expect((await h.poll('manual'))!.map((i) => i.text)).toEqual(['peek']);
		expect(calls(mark)).toEqual([{ method: 'imbot.v2.event.get', params: { botId, limit: 100 } }]);
		expect(h.staticData()).toEqual({});
		expect((await h.poll())!.map((i) => i.text)).toEqual(['peek']);
	});

	test('events of types not chosen are acknowledged without an execution; limit caps a batch, the rest comes next poll', async () => {
		const botId = await bot();
		const h = pollHarness(new Bitrix24ChatbotFetchTrigger(), {
			parameters: { authentication: 'oAuth2', events: ['ONIMBOTV2MESSAGEADD'], botId: { mode: 'id', value: String(botId) }, options: { batchSize: 2 } },
			credentials: credentials(),
		});
		await h.poll();
		await v2.join(sb.portal, botId, { userId: 3 });
		expect(await h.poll()).toBeNull();
		for (const t of ['1', '2', '3']) await v2.userMessage(sb.portal, botId, { userId: 2, text: t });
		expect((await h.poll())!.map((i) => i.text)).toEqual(['1', '2']);
		expect((await h.poll())!.map((i) => i.text)).toEqual(['3']);
		expect(await h.poll()).toBeNull();
	});

	test('webhook credential: the botToken goes with every call', async () => {
		const reg = await fetch(`${sb.webhookUrl}imbot.v2.Bot.register`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ botToken: 'n8n-it-bot-token', fields: { code: 'hookbot', properties: { name: 'Hook Bot' } } }),
		});
		const botId = Number(((await reg.json()) as any).result.bot.id);
		const h = pollHarness(new Bitrix24ChatbotFetchTrigger(), {
			parameters: { authentication: 'webhook', events: ['ONIMBOTV2MESSAGEADD'], botId: { mode: 'id', value: String(botId) } },
			credentials: credentials(),
		});
		await h.poll();
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'via webhook' });
		expect((await h.poll())!.map((i) => i.text)).toEqual(['via webhook']);
		expect(calls().filter((c) => c.method === 'imbot.v2.event.get').every((c) => c.params.botToken !== undefined)).toBe(true);
	});
});

describe('Bitrix24 Open Channels Fetch Trigger (offline events)', () => {
	async function connector() {
		await setupConnector(sb, token, 'offconn');
		await call('imconnector.send.messages', { CONNECTOR: 'offconn', LINE: 1, MESSAGES: [message(1)] });
	}
	const reply = async (text: string, connectorId = 'offconn') =>
		(await control(sb, 'openlines/operator-reply', { connector: connectorId, line: 1, chatId: 'chat-1', text, userId: 2 })).body;
	function trigger(options: any = {}, events = ['ONIMCONNECTORMESSAGEADD']) {
		return pollHarness(new Bitrix24OpenChannelsFetchTrigger(), { parameters: { authentication: 'oAuth2', events, options }, credentials: credentials() });
	}
	const queue = () => sb.state.offlineEvents?.records ?? [];

	test('first poll binds offline; a batch is reserved (clear=0), delivered with confirmation, and cleared on the next poll', async () => {
		await connector();
		const h = trigger();
		expect(await h.poll()).toBeNull();
		const first = calls().filter((c) => c.method.startsWith('event.'));
		expect(first.map((c) => c.method)).toEqual(['event.get', 'event.bind', 'event.offline.list', 'event.offline.get']);
		expect(first[1].params).toEqual({ event: 'ONIMCONNECTORMESSAGEADD', event_type: 'offline' });
		expect(first[3].params).toEqual({ clear: 0, limit: 50, filter: { '=EVENT_NAME': ['ONIMCONNECTORMESSAGEADD'] }, order: { ID: 'ASC' } });

		const r1 = await reply('Hi there');
		await reply('Second');
		expect(r1.deliveries).toEqual([{ event: 'ONIMCONNECTORMESSAGEADD', offline: true, id: 1 }]);
		const mark = sb.log().length;
		const items = (await h.poll())!;
		expect(items.map((i) => (i.message as any).text)).toEqual(['[b]Boris Becker:[/b] [br]Hi there', '[b]Boris Becker:[/b] [br]Second']);
		expect(items[0]).toMatchObject({ event: 'ONIMCONNECTORMESSAGEADD', connector: 'offconn', line: 1, chat: { id: r1.chatId, externalId: 'chat-1' }, user: { id: 2 }, offlineEventId: 1 });
		const processId = h.staticData().processId as string;
		expect(processId).toMatch(/^[0-9a-f]{32}$/);
		expect(queue().map((r: any) => r.PROCESS_ID)).toEqual([processId, processId]);
		expect(calls(mark).map((c) => c.method)).toEqual([
			'event.offline.list',
			'event.offline.get',
			'imconnector.send.status.delivery',
			'imconnector.send.status.delivery',
		]);

		const mark2 = sb.log().length;
		expect(await h.poll()).toBeNull();
		expect(calls(mark2)[0]).toEqual({ method: 'event.offline.clear', params: { process_id: processId, id: [1, 2] } });
		expect(queue()).toEqual([]);
		expect(h.staticData().processId).toBeUndefined();
	});

	test('n8n restarted: events queued while it was down arrive once, the batch from before is cleared first', async () => {
		await connector();
		const h = trigger();
		await h.poll();
		await reply('before');
		expect((await h.poll())!.length).toBe(1);
		await reply('while down 1');
		await reply('while down 2');
		const restarted = h.restart();
		const items = (await restarted.poll())!;
		expect(items.map((i) => String((i.message as any).text).replace(/^.*\[br\]/, ''))).toEqual(['while down 1', 'while down 2']);
		expect(await restarted.poll()).toBeNull();
		expect(await restarted.restart().poll()).toBeNull();
		expect(queue()).toEqual([]);
	});

	test('a crash before n8n saved the static data: the lost process\'s records are taken over on restart', async () => {
		await connector();
		const h = trigger();
		await h.poll();
		const before = h.saved();
		await reply('lost batch');
		expect((await h.poll())!.length).toBe(1);
		// n8n died before saving: restart from the older snapshot
		const restarted = pollHarness(new Bitrix24OpenChannelsFetchTrigger(), {
			parameters: { authentication: 'oAuth2', events: ['ONIMCONNECTORMESSAGEADD'], options: {} },
			credentials: credentials(),
			staticData: before,
		});
		const items = (await restarted.poll())!;
		expect(items.map((i) => String((i.message as any).text).replace(/^.*\[br\]/, ''))).toEqual(['lost batch']);
		expect(await restarted.poll()).toBeNull();
		expect(queue()).toEqual([]);
	});

	test('a record without data is marked with event.offline.error and does not block the queue', async () => {
		await connector();
		const h = trigger();
		await h.poll();
		offlineEvents.record(sb.state, { clientId: sb.oauth.clientId, event: 'ONIMCONNECTORMESSAGEADD', data: false });
		await reply('after the broken one');
		const mark = sb.log().length;
		expect((await h.poll())!.length).toBe(1);
		const errorCall = calls(mark).find((c) => c.method === 'event.offline.error')!;
		expect(errorCall.params.message_id).toHaveLength(1);
		await h.poll();
		expect(queue().map((r: any) => r.ERROR)).toEqual([1]);
	});

	test('events of another connector are acknowledged without an execution', async () => {
		await connector();
		await setupConnector(sb, token, 'otherconn');
		await call('imconnector.send.messages', { CONNECTOR: 'otherconn', LINE: 1, MESSAGES: [message(1, 'chat-9')] });
		const h = trigger({ connector: { mode: 'id', value: 'offconn' }, confirmDelivery: false });
		await h.poll();
		await control(sb, 'openlines/operator-reply', { connector: 'otherconn', line: 1, chatId: 'chat-9', text: 'not for us' });
		expect(await h.poll()).toBeNull();
		await reply('for us');
		expect((await h.poll())!.map((i) => i.connector)).toEqual(['offconn']);
		await h.poll();
		expect(queue()).toEqual([]);
	});

	test('a manual (test) run reads with event.offline.list and changes nothing', async () => {
		await connector();
		const h = trigger();
		await h.poll();
		await reply('peek');
		const mark = sb.log().length;
		expect((await h.poll('manual'))!.length).toBe(1);
		expect(calls(mark).map((c) => c.method)).toEqual(['event.offline.list']);
		expect(queue()[0].PROCESS_ID).toBe('');
		expect((await h.poll())!.length).toBe(1);
	});

	test('changing the events re-binds: the new one is bound, the dropped one unbound', async () => {
		await connector();
		const h = trigger({}, ['ONIMCONNECTORMESSAGEADD']);
		await h.poll();
		const moved = pollHarness(new Bitrix24OpenChannelsFetchTrigger(), {
			parameters: { authentication: 'oAuth2', events: ['ONIMCONNECTORDIALOGFINISH'], options: {} },
			credentials: credentials(),
			staticData: h.saved(),
		});
		// the saved state has no boundOffline (nothing was emitted), so bindings are read from event.get
		await moved.poll();
		const bound = (await call('event.get', {})).body.result.filter((b: any) => b.offline === 1).map((b: any) => b.event);
		expect(bound).toContain('ONIMCONNECTORDIALOGFINISH');
	});
});
