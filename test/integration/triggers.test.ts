/* In-process integration: both triggers against the real sandbox portal over HTTP. Activation subscribes in the
 * sandbox state, sandbox events are POSTed to a local HTTP server that hands them to the trigger's webhook(), and
 * deactivation removes the subscriptions. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import http from 'http';
import type { AddressInfo } from 'net';
import nock from 'nock';

import { Bitrix24ChatbotTrigger } from '../../nodes/Bitrix24ChatbotTrigger/Bitrix24ChatbotTrigger.node';
import { Bitrix24OpenChannelsTrigger } from '../../nodes/Bitrix24OpenChannelsTrigger/Bitrix24OpenChannelsTrigger.node';
import type { INodeType } from 'n8n-workflow';
import { flatBody, triggerHarness } from '../unit/triggers/triggerContext';
import type { TriggerHarness } from '../unit/triggers/triggerContext';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../../sandbox');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { app, control, setupConnector, message, waitFor } = require('../sandbox/helpers');

interface Delivery {
	event: string;
	status: number;
	items: any[];
}

/** A local "n8n": every POST goes to the harness's webhook(); answers like n8n (200, or what the node answered). */
async function webhookServer(getHarness: () => TriggerHarness) {
	const runs: Delivery[] = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', async () => {
			const { result, status, json } = await getHarness().receive({ body: flatBody(raw) });
			const items = result.workflowData?.[0]?.map((i) => i.json) ?? [];
			runs.push({ event: String(new URLSearchParams(raw).get('event')), status: status ?? 200, items });
			res.writeHead(status ?? 200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(json ?? { message: 'Workflow was started' }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
		runs,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

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

function credentials(applicationToken?: string) {
	const tokens = sb.issueTokens();
	return {
		bitrix24OAuth2Api: {
			portalUrl: sb.url,
			clientId: sb.oauth.clientId,
			clientSecret: sb.oauth.clientSecret,
			accessTokenUrl: sb.oauth.tokenUrl,
			authUrl: sb.oauth.authorizeUrl,
			grantType: 'authorizationCode',
			authentication: 'body',
			scope: '',
			rateLimit: 1000,
			rateBurst: 1000,
			applicationToken,
			oauthTokenData: tokens,
		},
		bitrix24WebhookApi: { webhookUrl: sb.webhookUrl, chatbotClientId: 'n8n-it-client', rateLimit: 1000, rateBurst: 1000, applicationToken },
	};
}

async function harnessWithServer(node: INodeType, parameters: any, creds: any) {
	let harness: TriggerHarness | undefined;
	const server = await webhookServer(() => harness!);
	harness = triggerHarness(node, { parameters, credentials: creds, webhookBaseUrl: server.baseUrl });
	return { harness, server };
}

test('Open Channels Trigger: bind, operator reply → items + delivery confirmed, unbind', async () => {
	await setupConnector(sb, token, 'n8nconn');
	await app(sb, token, 'imconnector.send.messages', { CONNECTOR: 'n8nconn', LINE: 1, MESSAGES: [message(1)] });
	const { harness, server } = await harnessWithServer(
		new Bitrix24OpenChannelsTrigger(),
		{ authentication: 'oAuth2', events: ['ONIMCONNECTORMESSAGEADD', 'ONIMCONNECTORDIALOGFINISH'], options: { connector: { mode: 'id', value: 'n8nconn' } } },
		credentials(sb.applicationToken),
	);
	try {
		expect(await harness.checkExists()).toBe(false);
		expect(await harness.create()).toBe(true);
		const bound = () => sb.state.eventHandlers.filter((h: any) => h.handler === harness.webhookUrl).map((h: any) => h.event).sort();
		expect(bound()).toEqual(['ONIMCONNECTORDIALOGFINISH', 'ONIMCONNECTORMESSAGEADD']);
		// a restart: checkExists finds them, nothing is bound twice
		expect(await harness.checkExists()).toBe(true);

		const reply = await control(sb, 'openlines/operator-reply', { connector: 'n8nconn', line: 1, chatId: 'chat-1', text: 'Guten Tag!', userId: 2 });
		expect(reply.body.deliveries).toEqual([expect.objectContaining({ event: 'ONIMCONNECTORMESSAGEADD', status: 200 })]);
		const run = server.runs.find((r) => r.event === 'ONIMCONNECTORMESSAGEADD')!;
		expect(run.items).toEqual([
			{
				event: 'ONIMCONNECTORMESSAGEADD',
				connector: 'n8nconn',
				line: 1,
				chat: { id: reply.body.chatId, externalId: 'chat-1' },
				user: { id: 2 },
				message: { id: reply.body.messageId, text: '[b]Boris Becker:[/b] [br]Guten Tag!', files: [] },
				domain: `127.0.0.1:${sb.port}`,
				ts: expect.any(Number),
			},
		]);
		expect(JSON.stringify(run.items)).not.toContain('sandbox-app-token');
		// delivery confirmed in the background
		await waitFor(() => sb.state.operatorMessages.get(reply.body.messageId)?.delivered);

		// a forged event is refused and runs nothing
		const forged = await control(sb, 'openlines/operator-reply', { connector: 'n8nconn', line: 1, chatId: 'chat-1', text: 'x', applicationToken: 'forged' });
		expect(forged.body.deliveries[0].status).toBe(401);

		await control(sb, 'openlines/dialog-finish', { connector: 'n8nconn', line: 1, chatId: 'chat-1' });
		expect(server.runs.find((r) => r.event === 'ONIMCONNECTORDIALOGFINISH')!.items[0]).toMatchObject({ connector: 'n8nconn', line: 1, session: { closed: true } });

		expect(await harness.remove()).toBe(true);
		expect(bound()).toEqual([]);
		const after = await control(sb, 'openlines/operator-reply', { connector: 'n8nconn', line: 1, chatId: 'chat-1', text: 'gone' });
		expect(after.body.deliveries).toEqual([]);
	} finally {
		await server.close();
	}
});

test('Chatbot Trigger: point the bot at the webhook, user message and command → items, forged token refused, detach to the restore URL', async () => {
	const hook = await app(sb, token, 'imbot.register', {
		CODE: 'it_bot',
		EVENT_HANDLER: 'https://old.example.com/bot',
		PROPERTIES: { NAME: 'IT Bot' },
	});
	const botId = hook.body.result as number;
	const command = await app(sb, token, 'imbot.command.register', {
		BOT_ID: botId,
		COMMAND: 'order',
		EVENT_COMMAND_ADD: 'https://old.example.com/cmd',
		LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Order' }],
	});
	const commandId = command.body.result as number;
	const { harness, server } = await harnessWithServer(
		new Bitrix24ChatbotTrigger(),
		{
			authentication: 'oAuth2',
			events: ['ONIMBOTMESSAGEADD', 'ONIMCOMMANDADD'],
			botSource: 'existing',
			botId: { mode: 'list', value: String(botId) },
			commandIds: String(commandId),
			options: { restoreUrl: 'https://old.example.com/bot' },
		},
		credentials(undefined),
	);
	try {
		expect(await harness.create()).toBe(true);
		const bot = () => sb.state.bots.get(botId);
		expect(bot().EVENT_MESSAGE_ADD).toBe(harness.webhookUrl);
		expect(bot().EVENT_WELCOME_MESSAGE).toBe('https://old.example.com/bot');
		expect(sb.state.commands.get(commandId).EVENT_COMMAND_ADD).toBe(harness.webhookUrl);
		expect(await harness.checkExists()).toBe(true);

		const sent = await control(sb, `bots/${botId}/user-message`, { userId: 3, text: 'Hello bot' });
		expect(sent.body.deliveries[0].status).toBe(200);
		const run = server.runs.find((r) => r.event === 'ONIMBOTMESSAGEADD')!;
		expect(run.items).toHaveLength(1);
		expect(run.items[0]).toMatchObject({
			event: 'ONIMBOTMESSAGEADD',
			botId,
			botCode: 'it_bot',
			dialogId: '3',
			message: { id: sent.body.messageId, text: 'Hello bot', authorId: 3 },
			user: { id: 3, firstName: 'Clara', lastName: 'Schmidt', isBot: false },
		});
		const text = JSON.stringify(run.items);
		for (const secret of ['access_token', 'refresh_token', 'sandbox-app-token']) expect(text).not.toContain(secret);
		// no credential token: the first one was pinned (as a hash)
		expect(harness.staticData().applicationTokenHash).toMatch(/^[0-9a-f]{64}$/);

		const cmd = await control(sb, `bots/${botId}/user-command`, { userId: 3, command: 'order', params: '4711' });
		expect(cmd.body.deliveries[0].status).toBe(200);
		expect(server.runs.find((r) => r.event === 'ONIMCOMMANDADD')!.items[0]).toMatchObject({ command: { id: commandId, name: 'order', params: '4711' } });

		const forged = await control(sb, `bots/${botId}/user-message`, { userId: 3, text: 'x', applicationToken: 'forged' });
		expect(forged.body.deliveries[0].status).toBe(401);

		expect(await harness.remove()).toBe(true);
		expect(bot().EVENT_MESSAGE_ADD).toBe('https://old.example.com/bot');
		expect(sb.state.commands.get(commandId).EVENT_COMMAND_ADD).toBe('https://old.example.com/bot');
		expect(harness.staticData()).toEqual({});
	} finally {
		await server.close();
	}
});
