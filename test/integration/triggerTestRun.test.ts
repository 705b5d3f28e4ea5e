/* "Test this trigger" (issue 13.1) against the sandbox: a test run (activation mode 'manual', the …/webhook-test/ URL,
 * a static data of its own) never takes events away from a published workflow. Open Channels: the test URL is bound
 * next to the production one and only it is unbound. Chatbot v1: an existing bot is refused unless the user lets the
 * test take it, and then the handlers point at the node's production URL when the test ends. Chatbot v2: a bot in
 * webhook mode is refused; a bot in fetch mode is taken only when allowed, and goes back to fetch afterwards. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { INodeType } from 'n8n-workflow';

import { Bitrix24ChatbotTrigger } from '../../nodes/Bitrix24ChatbotTrigger/Bitrix24ChatbotTrigger.node';
import { Bitrix24OpenChannelsTrigger } from '../../nodes/Bitrix24OpenChannelsTrigger/Bitrix24OpenChannelsTrigger.node';
import { triggerHarness } from '../unit/triggers/triggerContext';
import { sandboxPerTest, sandboxTriggerCredentials } from './triggerServer';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { app, control } = require('../sandbox/helpers');

const portal = sandboxPerTest();

const BASE = 'https://n8n.example.com/webhook';
const PUBLISHED = 'a0c3e4f5-1111-4222-8333-944455556666';
const OTHER = 'b1d4e5f6-2222-4333-8444-a55566667777';
const v1 = () => new Bitrix24ChatbotTrigger().nodeVersions[1] as INodeType;
const v2 = () => new Bitrix24ChatbotTrigger().nodeVersions[2] as INodeType;
const methodsCalled = () => portal.sb.log().map((e: any) => String(e.method).toLowerCase());

function harnesses(nodeType: () => INodeType, parameters: any, testParameters: any = parameters, testWebhookId = OTHER) {
	const credentials = sandboxTriggerCredentials(portal.sb, portal.sb.applicationToken);
	return {
		published: triggerHarness(nodeType(), { parameters, credentials, webhookBaseUrl: BASE, webhookId: PUBLISHED }),
		test: triggerHarness(nodeType(), { parameters: testParameters, credentials, webhookBaseUrl: BASE, webhookId: testWebhookId, testRun: true }),
	};
}

describe('Open Channels Trigger', () => {
	test('a test run binds its test URL next to the production binding and unbinds only its own', async () => {
		const parameters = { authentication: 'oAuth2', events: ['ONIMCONNECTORMESSAGEADD'] };
		const { published, test } = harnesses(() => new Bitrix24OpenChannelsTrigger(), parameters, parameters, PUBLISHED);
		expect(test.webhookUrl).toBe(`https://n8n.example.com/webhook-test/${PUBLISHED}/webhook`);
		const handlers = () => portal.sb.state.eventHandlers.map((h: any) => [h.event, h.handler]).sort();
		expect(await published.create()).toBe(true);

		expect(await test.checkExists()).toBe(false);
		expect(await test.create()).toBe(true);
		expect(handlers()).toEqual([
			['ONIMCONNECTORMESSAGEADD', test.webhookUrl],
			['ONIMCONNECTORMESSAGEADD', published.webhookUrl],
		]);
		// checkExists reads the portal (event.get), not only the static data
		expect(await test.checkExists()).toBe(true);
		expect(test.staticData().boundInTest).toBe(true);

		expect(await test.remove()).toBe(true);
		expect(handlers()).toEqual([['ONIMCONNECTORMESSAGEADD', published.webhookUrl]]);
		expect(await published.checkExists()).toBe(true);
		// the published workflow's static data was never the test's
		expect(published.staticData().boundInTest).toBe(false);
	});
});

describe('Chatbot Trigger v1', () => {
	const parameters = { authentication: 'oAuth2', events: ['ONIMBOTMESSAGEADD'], botSource: 'code', botCode: 'tr_bot', botName: 'Test Run Bot', botType: 'B', options: {} };
	const bot = () => [...portal.sb.state.bots.values()].find((b: any) => b.CODE === 'tr_bot');

	test('a test run of another workflow on a bot in use is refused before anything is changed; the bot keeps answering the published workflow', async () => {
		const { published, test } = harnesses(v1, parameters);
		expect(await published.create()).toBe(true);
		const before = { ...bot() };
		const updatesBefore = methodsCalled().filter((m: string) => m === 'imbot.update').length;

		await expect(test.create()).rejects.toThrow(/Test run refused: it would point bot \d+'s handlers at the test URL, and Bitrix24 \(chatbot API v1\) cannot show where they point now/);
		expect(methodsCalled().filter((m: string) => m === 'imbot.update').length).toBe(updatesBefore);
		expect(bot()).toEqual(before);
		expect(test.staticData().botHandlers).toBeUndefined();
		// nothing was set, so ending the test changes nothing either
		expect(await test.remove()).toBe(true);
		expect(bot()).toEqual(before);

		const sent = await control(portal.sb, `bots/${bot().ID}/user-message`, { userId: 3, text: 'still there?' });
		expect(sent.body.deliveries.map((d: any) => d.url)).toEqual([published.webhookUrl]);
	});

	test('"Let Test Runs Take the Bot" on the published workflow itself: the test gets the events, then its production URL is restored', async () => {
		const testParameters = { ...parameters, options: { testRunTakesBot: true } };
		const { published, test } = harnesses(v1, testParameters, testParameters, PUBLISHED);
		expect(await published.create()).toBe(true);
		expect(await test.create()).toBe(true);
		expect(bot().EVENT_MESSAGE_ADD).toBe(test.webhookUrl);
		const during = await control(portal.sb, `bots/${bot().ID}/user-message`, { userId: 3, text: 'test me' });
		expect(during.body.deliveries.map((d: any) => d.url)).toEqual([test.webhookUrl]);

		expect(await test.remove()).toBe(true);
		expect(bot().EVENT_MESSAGE_ADD).toBe(published.webhookUrl);
		const after = await control(portal.sb, `bots/${bot().ID}/user-message`, { userId: 3, text: 'back?' });
		expect(after.body.deliveries.map((d: any) => d.url)).toEqual([published.webhookUrl]);
		// the published workflow's own record is untouched: a restart finds its handlers in place
		expect(await published.checkExists()).toBe(true);
	});

	test('a test run may register a bot that does not exist yet (nobody uses it); afterwards it points at the production URL', async () => {
		const { test } = harnesses(v1, parameters, parameters, PUBLISHED);
		expect(await test.create()).toBe(true);
		expect(bot()).toMatchObject({ EVENT_MESSAGE_ADD: test.webhookUrl, EVENT_WELCOME_MESSAGE: test.webhookUrl });
		expect(await test.remove()).toBe(true);
		expect(bot()).toMatchObject({ EVENT_MESSAGE_ADD: `${BASE}/${PUBLISHED}/webhook`, EVENT_WELCOME_MESSAGE: `${BASE}/${PUBLISHED}/webhook` });
	});
});

describe('Chatbot Trigger v2', () => {
	const registerBot = async () => Number((await app(portal.sb, portal.token, 'imbot.v2.Bot.register', { fields: { code: 'tr_v2', properties: { name: 'V2' } } })).body.result.bot.id);
	const botGet = async (botId: number) => (await app(portal.sb, portal.token, 'imbot.v2.Bot.get', { botId })).body.result.bot;
	const params = (botId: number, options = {}) => ({ authentication: 'oAuth2', events: ['ONIMBOTV2MESSAGEADD'], botId: { mode: 'id', value: String(botId) }, options });

	test('a bot in webhook mode (a published workflow) is never taken by a test run, even when allowed', async () => {
		const botId = await registerBot();
		const { published, test } = harnesses(v2, params(botId), params(botId, { testRunTakesBot: true }));
		expect(await published.create()).toBe(true);
		const updates = () => methodsCalled().filter((m: string) => m === 'imbot.v2.bot.update').length;
		const before = updates();

		await expect(test.create()).rejects.toThrow(/^Test refused: bot "[^"]+" already sends its messages to a published workflow.*Unpublish that workflow and test again/);
		expect(updates()).toBe(before);
		expect(await test.remove()).toBe(true);
		expect(updates()).toBe(before);
		expect((await botGet(botId)).eventMode).toBe('webhook');
		expect(await published.checkExists()).toBe(true);
	});

	test('a bot in fetch mode: refused unless allowed (a Fetch Trigger may read it); when allowed, back to fetch after the test', async () => {
		const botId = await registerBot();
		const refused = harnesses(v2, params(botId)).test;
		await expect(refused.create()).rejects.toThrow(/^Test refused: a published workflow's Chatbot Fetch Trigger may be reading bot .*Let Test Runs Take the Bot, switch it on and test again/);
		expect((await botGet(botId)).eventMode).toBe('fetch');

		const allowed = harnesses(v2, params(botId, { testRunTakesBot: true }), params(botId, { testRunTakesBot: true }), PUBLISHED).test;
		expect(await allowed.create()).toBe(true);
		expect((await botGet(botId)).eventMode).toBe('webhook');
		expect(await allowed.remove()).toBe(true);
		expect((await botGet(botId)).eventMode).toBe('fetch');
	});
});
