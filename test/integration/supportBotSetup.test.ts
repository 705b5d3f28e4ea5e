/* A v2 bot from the trigger alone (issue 25): "Bot: Create on Activation" registers the bot with the trigger's own
 * credential, test runs take a bot the trigger created (or names by its code) at once, every refusal says what to do;
 * the webhook credential works without a Bot Token (a token made from the webhook URL); the bot list shows names. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { ILoadOptionsFunctions, INodeType } from 'n8n-workflow';

import { Bitrix24ChatbotFetchTriggerV1 as Bitrix24ChatbotFetchTrigger } from '../../nodes/Bitrix24ChatbotFetchTrigger/v1/Bitrix24ChatbotFetchTriggerV1.node';
import { Bitrix24ChatbotTrigger } from '../../nodes/Bitrix24ChatbotTrigger/Bitrix24ChatbotTrigger.node';
import { NO_BOTS_YET, searchBotsV2 } from '../../nodes/Bitrix24Chatbot/v2/lookups';
import { derivedBotToken } from '../../nodes/Bitrix24/transport/botToken';
import { parseWebhookUrl } from '../../nodes/Bitrix24/transport/webhookUrl';
import { pollHarness } from '../unit/triggers/pollContext';
import { triggerHarness } from '../unit/triggers/triggerContext';
import { sandboxPerTest, sandboxTriggerCredentials } from './triggerServer';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { app } = require('../sandbox/helpers');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const v2Triggers = require('../../sandbox/methods/imbotV2/triggers');

const portal = sandboxPerTest();
const BASE = 'https://n8n.example.com/webhook';
const PUBLISHED = 'a0c3e4f5-1111-4222-8333-944455556666';
const v2 = () => new Bitrix24ChatbotTrigger().nodeVersions[2] as INodeType;
const create = (authentication = 'oAuth2') => ({ authentication, events: ['ONIMBOTV2MESSAGEADD'], botSource: 'create', botCode: 'support_bot', botName: 'Support', botType: 'openline' });
const v2Bots = () => [...(portal.sb.state.imbotV2?.bots.values() ?? [])] as any[];

function harness(parameters: any, { testRun = false, webhookBot = {} as Record<string, string> } = {}) {
	const credentials = sandboxTriggerCredentials(portal.sb, portal.sb.applicationToken, webhookBot);
	return triggerHarness(v2(), { parameters, credentials, webhookBaseUrl: BASE, webhookId: PUBLISHED, testRun });
}

describe('Chatbot Trigger v2: Create on Activation', () => {
	test('a test run registers the bot (named, Open Channels type) and takes it at once; later tests too; a published bot is refused with what to do', async () => {
		const first = harness(create(), { testRun: true });
		expect(await first.create()).toBe(true);
		const [bot] = v2Bots();
		expect(bot).toMatchObject({ code: 'support_bot', type: 'openline', eventMode: 'webhook', properties: { name: 'Support' } });
		expect(bot.webhookUrl.startsWith(first.webhookUrl)).toBe(true);
		expect(await first.remove()).toBe(true);
		expect(v2Bots()[0].eventMode).toBe('fetch');

		// the same code again: the bot is found (not registered twice) and a new test takes it without any option
		const second = harness(create(), { testRun: true });
		expect(await second.create()).toBe(true);
		expect(v2Bots()).toHaveLength(1);
		expect(await second.remove()).toBe(true);

		const published = harness(create());
		expect(await published.create()).toBe(true);
		expect(await published.checkExists()).toBe(true);
		await expect(harness(create(), { testRun: true }).create()).rejects.toThrow(/^Test refused: bot "Support" already sends its messages to a published workflow .*Unpublish that workflow and test again/);
	});

	test('Bot Code and Bot Name are asked for in words; a code of another owner says to choose another', async () => {
		await expect(harness({ ...create(), botCode: ' ' }).create()).rejects.toThrow(/^Bot Code is empty: enter a code/);
		await expect(harness({ ...create(), botName: '' }).create()).rejects.toThrow(/^Bot Name is empty: enter the name people will see/);
		await app(portal.sb, portal.sb.issueTokens({ clientId: 'other.app' }).access_token, 'imbot.v2.Bot.register', { fields: { code: 'support_bot', properties: { name: 'Theirs' } } });
		await expect(harness(create()).create()).rejects.toThrow(/belongs to another application or credential: choose another Bot Code/);
	});

	test('under the webhook credential with an empty Bot Token: the bot is registered with a token made from the webhook URL', async () => {
		const h = harness(create('webhook'), { testRun: true, webhookBot: {} });
		expect(await h.create()).toBe(true);
		const token = derivedBotToken(parseWebhookUrl(portal.sb.webhookUrl));
		expect(token.length).toBeLessThanOrEqual(40);
		expect(v2Bots()[0].owner).toBe(`token:${token}`);
		// stable: the same credential finds the same bot
		expect(await h.remove()).toBe(true);
		expect(await harness(create('webhook'), { testRun: true }).create()).toBe(true);
		expect(v2Bots()).toHaveLength(1);
	});
});

describe('Chatbot Fetch Trigger: Create on Activation', () => {
	test('the first poll registers the bot; a user message arrives on the next poll', async () => {
		const h = pollHarness(new Bitrix24ChatbotFetchTrigger(), { parameters: create(), credentials: sandboxTriggerCredentials(portal.sb, undefined) });
		expect(await h.poll()).toBeNull();
		const [bot] = v2Bots();
		expect(bot).toMatchObject({ code: 'support_bot', eventMode: 'fetch' });
		await v2Triggers['user-message'](portal.sb.portal, bot.id, { userId: 1, text: 'hello' });
		expect((await h.poll())!.map((i: any) => i.text)).toEqual(['hello']);
		expect(v2Bots()).toHaveLength(1);
	});
});

describe('the v2 bot list', () => {
	const lookup = () =>
		({
			getNodeParameter: (name: string, fallback: unknown) => (name === 'authentication' ? 'oAuth2' : fallback),
			getCredentials: async () => sandboxTriggerCredentials(portal.sb, undefined).bitrix24OAuth2Api,
			getNode: () => ({ name: 'Bitrix', type: 'bitrix24Chatbot', typeVersion: 2, parameters: {} }),
			helpers: { httpRequestWithAuthentication: undefined },
		}) as unknown as ILoadOptionsFunctions;

	test('shows the names people see, and says how to get a bot when there is none', async () => {
		const ctx = lookup();
		(ctx.helpers as any).httpRequestWithAuthentication = async (_type: string, options: any) => {
			const res = await fetch(`${portal.sb.url}/rest/${options.url.replace(/^.*\/rest\//, '')}`, {
				method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${portal.token}` }, body: JSON.stringify(options.body),
			});
			return res.json();
		};
		expect((await searchBotsV2.call(ctx)).results).toEqual([{ name: NO_BOTS_YET, value: '' }]);
		await app(portal.sb, portal.token, 'imbot.v2.Bot.register', { fields: { code: 'support_bot', properties: { name: 'Support' } } });
		expect((await searchBotsV2.call(ctx)).results).toEqual([{ name: 'Support', value: String(v2Bots()[0].id) }]);
	});
});
