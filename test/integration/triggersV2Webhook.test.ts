/* In-process integration of the Chatbot Trigger v2 (imbot.v2 webhook mode) against the sandbox: activation sets
 * eventMode webhook + webhookUrl (with the activation's secret), the sandbox POSTs events to a local server that hands
 * them to webhook(), forged tokens and a wrong URL secret are refused, deactivation sets the bot back to fetch. */
/* eslint-disable @typescript-eslint/no-explicit-any */

import { Bitrix24ChatbotTrigger } from '../../nodes/Bitrix24ChatbotTrigger/Bitrix24ChatbotTrigger.node';
import type { INodeType } from 'n8n-workflow';
import { triggerHarness } from '../unit/triggers/triggerContext';
import { sandboxPerTest, sandboxTriggerCredentials, webhookServer } from './triggerServer';
import type { TriggerHarness } from '../unit/triggers/triggerContext';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const v2 = require('../../sandbox/methods/imbotV2/triggers');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { app } = require('../sandbox/helpers');

const portal = sandboxPerTest();
let sb: any;
let token: string;
beforeEach(() => ({ sb, token } = portal));

const triggerV2 = () => new Bitrix24ChatbotTrigger().nodeVersions[2] as INodeType;
const credentials = (applicationToken?: string) => sandboxTriggerCredentials(sb, applicationToken, { botToken: 'v2-hook-token' });

async function setup(authentication: 'oAuth2' | 'webhook', applicationToken?: string) {
	let botId: number;
	if (authentication === 'oAuth2') {
		botId = Number((await app(sb, token, 'imbot.v2.Bot.register', { fields: { code: 'v2hook', properties: { name: 'V2' } } })).body.result.bot.id);
	} else {
		const r = await fetch(`${sb.webhookUrl}imbot.v2.Bot.register`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ botToken: 'v2-hook-token', fields: { code: 'v2hookw', properties: { name: 'V2W' } } }),
		});
		botId = Number(((await r.json()) as any).result.bot.id);
	}
	let harness: TriggerHarness | undefined;
	const srv = await webhookServer(() => harness!);
	harness = triggerHarness(triggerV2(), {
		parameters: { authentication, events: ['ONIMBOTV2MESSAGEADD', 'ONIMBOTV2JOINCHAT'], botId: { mode: 'id', value: String(botId) } },
		credentials: credentials(applicationToken),
		webhookBaseUrl: srv.baseUrl,
	});
	return { botId, harness, srv };
}

const bot = async (botId: number) => (await app(sb, token, 'imbot.v2.Bot.get', { botId })).body.result.bot;

test('OAuth: activation sets webhook mode with a secret URL; events become items; a forged token gets 401; deactivation restores fetch', async () => {
	const { botId, harness, srv } = await setup('oAuth2', sb.applicationToken);
	try {
		expect(await harness.checkExists()).toBe(false);
		expect(await harness.create()).toBe(true);
		expect((await bot(botId)).eventMode).toBe('webhook');
		const registered = sb.log().find((e: any) => e.method.toLowerCase() === 'imbot.v2.bot.update').params.fields.webhookUrl;
		expect(registered).toMatch(new RegExp(`^${harness.webhookUrl.replace(/[.?]/g, '\\$&')}\\?s=[A-Za-z0-9]{32}$`));
		expect(JSON.stringify(harness.staticData())).not.toContain(registered.split('s=')[1]);
		expect(await harness.checkExists()).toBe(true);

		const r = await v2.userMessage(sb.portal, botId, { userId: 2, text: '[i]Hallo[/i]' });
		expect(r.deliveries.map((d: any) => d.status)).toEqual([200]);
		expect(srv.runs[0].items).toEqual([
			expect.objectContaining({ event: 'ONIMBOTV2MESSAGEADD', botId, dialogId: '2', text: 'Hallo', message: expect.objectContaining({ text: '[i]Hallo[/i]', authorId: 2 }) }),
		]);
		expect(JSON.stringify(srv.runs[0].items)).not.toMatch(/access_token|application_token/);

		const forged = await v2.userMessage(sb.portal, botId, { userId: 2, text: 'forged', applicationToken: 'not-the-token' });
		expect(forged.deliveries.map((d: any) => d.status)).toEqual([401]);
		expect(srv.runs[1].items).toEqual([]);

		// a POST to the n8n URL without the registered secret
		const { result, status } = await harness.receive({ body: {}, rawBody: 'event=ONIMBOTV2MESSAGEADD&auth%5Bapplication_token%5D=sandbox-app-token' });
		expect(status).toBe(401);
		expect(result.workflowData).toBeUndefined();

		expect(await harness.remove()).toBe(true);
		expect((await bot(botId)).eventMode).toBe('fetch');
		expect(harness.staticData().v2Webhook).toBeUndefined();
	} finally {
		await srv.close();
	}
});

test('webhook credential without an Application Token: the first event through the secret URL pins its token; a different token is refused', async () => {
	const { botId, harness, srv } = await setup('webhook');
	try {
		await harness.create();
		expect((await v2.join(sb.portal, botId, { userId: 3 })).deliveries.map((d: any) => d.status)).toEqual([200]);
		expect(srv.runs[0].items[0]).toMatchObject({ event: 'ONIMBOTV2JOINCHAT', botId, dialogId: '3' });
		expect(harness.staticData().applicationTokenHash).toMatch(/^[0-9a-f]{64}$/);
		const forged = await v2.userMessage(sb.portal, botId, { userId: 2, text: 'x', applicationToken: 'forged' });
		expect(forged.deliveries.map((d: any) => d.status)).toEqual([401]);
		expect((await v2.userMessage(sb.portal, botId, { userId: 2, text: 'ok' })).deliveries.map((d: any) => d.status)).toEqual([200]);
		await harness.remove();
	} finally {
		await srv.close();
	}
});

test('events not chosen are answered 200 and dropped; the v1 version is still version 1', async () => {
	const { botId, harness, srv } = await setup('oAuth2', sb.applicationToken);
	try {
		await harness.create();
		await app(sb, token, 'imbot.v2.Command.register', { botId, fields: { command: 'go', title: { en: 'Go' } } });
		const r = await v2.userCommand(sb.portal, botId, { userId: 2, command: 'go' });
		expect(r.deliveries.map((d: any) => d.status)).toEqual([200]);
		expect(srv.runs[0].items).toEqual([]);
		expect(srv.runs[0].json).toMatchObject({ result: 'ignored' });
		await harness.remove();
	} finally {
		await srv.close();
	}
	const versioned = new Bitrix24ChatbotTrigger();
	expect(versioned.description.defaultVersion).toBe(2);
	expect((versioned.nodeVersions[1] as INodeType).description.version).toBe(1);
	expect((versioned.nodeVersions[1] as INodeType).description.properties.map((p) => p.name)).toContain('botSource');
});
