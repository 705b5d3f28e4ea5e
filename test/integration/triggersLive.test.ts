/* The live fetch triggers (version 2) in-process against the sandbox portal, through n8n-core's TriggerContext:
 * activation prepares the queue, each event becomes one execution in order, the acknowledgement waits for the runs,
 * a restart (static data as n8n saves it) hands nothing over twice, withUserEvents reads the user's events too. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { Bitrix24ChatbotFetchTriggerV2 } from '../../nodes/Bitrix24ChatbotFetchTrigger/v2/Bitrix24ChatbotFetchTriggerV2.node';
import { Bitrix24OpenChannelsFetchTriggerV2 } from '../../nodes/Bitrix24OpenChannelsFetchTrigger/v2/Bitrix24OpenChannelsFetchTriggerV2.node';
import { triggerHarness } from '../unit/triggers/liveHarness';
import { sandboxPerTest, sandboxTriggerCredentials } from './triggerServer';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const v2 = require('../../sandbox/methods/imbotV2/triggers');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { app, control, setupConnector, message } = require('../sandbox/helpers');

const portal = sandboxPerTest();
let sb: any;
let token: string;
beforeEach(() => {
	sb = portal.sb;
	token = portal.token;
});

const credentials = () => sandboxTriggerCredentials(sb, undefined, { botToken: 'n8n-it-bot-token' });
const call = (method: string, params: any) => app(sb, token, method, params);
const methods = (from = 0) => sb.log().slice(from).map((e: any) => String(e.method).toLowerCase());

async function until(check: () => boolean, what: string): Promise<void> {
	for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
	if (!check()) throw new Error(`timed out waiting for ${what}`);
}

describe('Chatbot Fetch Trigger v2 (live)', () => {
	async function bot(eventMode = 'webhook') {
		const fields: any = { code: 'livebot', properties: { name: 'Live Bot' }, eventMode };
		if (eventMode === 'webhook') fields.webhookUrl = 'https://example.invalid/hook';
		return Number((await call('imbot.v2.Bot.register', { fields })).body.result.bot.id);
	}
	const trigger = (botId: number, options: any = {}, staticData?: any) =>
		triggerHarness(new Bitrix24ChatbotFetchTriggerV2(), {
			parameters: { authentication: 'oAuth2', events: ['ONIMBOTV2MESSAGEADD'], botId: { mode: 'id', value: String(botId) }, options },
			credentials: credentials(),
			staticData,
		});
	const texts = (h: any) => h.executions.map((e: any) => e.items.map((i: any) => i.text).join('|'));

	test('activation switches the bot to fetch mode; one execution per message, in order per chat; acknowledged after the runs', async () => {
		const botId = await bot();
		const h = trigger(botId);
		h.hold();
		await h.start();
		expect((await call('imbot.v2.Bot.get', { botId })).body.result.bot.eventMode).toBe('fetch');
		for (const text of ['a', 'b', 'c']) await v2.userMessage(sb.portal, botId, { userId: 2, text });
		await h.waitForExecutions(1);
		const queue = () => sb.state.imbotV2.queues.get(`bot:${botId}`).events.length;
		await new Promise((r) => setTimeout(r, 1500));
		expect(texts(h)).toEqual(['a']); // in order per chat: the chat's next run waits until this one has ended
		expect(queue()).toBe(3); // runs not finished: not acknowledged
		h.release();
		await h.waitForExecutions(3);
		expect(texts(h)).toEqual(['a', 'b', 'c']);
		await until(() => queue() === 0, 'the acknowledgement');
		await h.close();
	});

	test('a bot ID that is not a whole number is refused at activation, naming it (nothing is read)', async () => {
		const from = sb.log().length;
		const h = triggerHarness(new Bitrix24ChatbotFetchTriggerV2(), {
			parameters: { authentication: 'oAuth2', events: ['ONIMBOTV2MESSAGEADD'], botId: { mode: 'id', value: '12a' }, options: {} },
			credentials: credentials(),
		});
		await expect(h.start()).rejects.toThrow('"Bot" must be a whole number of at least 1 (got "12a"): pick the bot from the list, or enter its number.');
		expect(methods(from)).not.toContain('imbot.v2.event.get');
	});

	test('n8n stopped mid-way and started again: each event once', async () => {
		const botId = await bot('fetch');
		const h = trigger(botId);
		await h.start();
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'before' });
		await h.waitForExecutions(1);
		await h.close();
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'while down' });
		const restarted = h.restart();
		await restarted.start();
		await restarted.waitForExecutions(1);
		await v2.userMessage(sb.portal, botId, { userId: 3, text: 'after' });
		await restarted.waitForExecutions(2);
		expect(texts(restarted)).toEqual(['while down', 'after']);
		await restarted.close();
	});

	test('what test runs showed is not run again: the next test shows the next message, the published workflow starts past them', async () => {
		const botId = await bot('fetch');
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'tested first' });
		const test1 = trigger(botId);
		await (await test1.start('manual')).manualTriggerFunction!();
		expect(texts(test1)).toEqual(['tested first']);
		await test1.close();
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'tested second' });
		const test2 = trigger(botId);
		await (await test2.start('manual')).manualTriggerFunction!();
		expect(texts(test2)).toEqual(['tested second']);
		await test2.close();
		// nothing was acknowledged on the portal by the test runs (a published workflow may read the same queue)
		expect(sb.state.imbotV2.queues.get(`bot:${botId}`).events.length).toBe(2);
		await v2.userMessage(sb.portal, botId, { userId: 2, text: 'after publishing' });
		const published = trigger(botId);
		await published.start();
		await published.waitForExecutions(1);
		await new Promise((r) => setTimeout(r, 1500)); // and no second run (the tested messages) follows
		expect(texts(published)).toEqual(['after publishing']);
		await published.close();
	});

	test('closing stops all reads', async () => {
		const botId = await bot('fetch');
		const h = trigger(botId);
		await h.start();
		await until(() => methods().includes('imbot.v2.event.get'), 'a read');
		await h.close();
		const count = sb.log().length;
		await new Promise((r) => setTimeout(r, 1500));
		expect(sb.log().length).toBe(count);
	});

	test('Include My Messenger Events: subscribes the user and passes withUserEvents to Event.get', async () => {
		const botId = await bot('fetch');
		const h = trigger(botId, { withUserEvents: true });
		await h.start();
		await until(() => methods().includes('imbot.v2.event.get'), 'a read');
		expect(methods()).toContain('im.v2.event.subscribe');
		expect(sb.log().find((e: any) => String(e.method).toLowerCase() === 'imbot.v2.event.get').params).toMatchObject({ botId, withUserEvents: true });
		await h.close();
	});
});

describe('Open Channels Fetch Trigger v2 (live)', () => {
	test('binds offline on activation; one execution per record, in order per chat; cleared once the runs were taken', async () => {
		await setupConnector(sb, token, 'offconn');
		for (const chat of [1, 2]) await call('imconnector.send.messages', { CONNECTOR: 'offconn', LINE: 1, MESSAGES: [message(chat, `chat-${chat}`)] });
		const h = triggerHarness(new Bitrix24OpenChannelsFetchTriggerV2(), {
			parameters: { authentication: 'oAuth2', events: ['ONIMCONNECTORMESSAGEADD'], options: { confirmDelivery: false } },
			credentials: credentials(),
		});
		h.hold();
		await h.start();
		expect(methods()).toContain('event.bind');
		const reply = async (chatId: string, text: string) => await control(sb, 'openlines/operator-reply', { connector: 'offconn', line: 1, chatId, text, userId: 2 });
		await reply('chat-1', 'one');
		await reply('chat-1', 'two');
		await reply('chat-2', 'other chat');
		const textOf = (e: any) => String((e.items[0].message as any).text).replace(/^.*\[br\]/, '');
		await h.waitForExecutions(2);
		await new Promise((r) => setTimeout(r, 1500));
		// in order per chat: chat-1's next run waits until its first one has ended; chat-2 is not held back
		expect(h.executions.map(textOf)).toEqual(['one', 'other chat']);
		const queue = () => sb.state.offlineEvents.records.length;
		expect(queue()).toBe(3);
		h.release();
		await h.waitForExecutions(3);
		expect(h.executions.map(textOf)).toEqual(['one', 'other chat', 'two']);
		await until(() => queue() === 0, 'event.offline.clear');
		await h.close();
	});
});
