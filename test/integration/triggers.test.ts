/* In-process integration: both triggers against the real sandbox portal over HTTP. Activation subscribes in the
 * sandbox state, sandbox events are POSTed to a local HTTP server that hands them to the trigger's webhook(), and
 * deactivation removes the subscriptions. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import nock from 'nock';

import { Bitrix24ChatbotV1Trigger as Bitrix24ChatbotTrigger } from '../../nodes/Bitrix24ChatbotTrigger/v1/Bitrix24ChatbotTriggerV1.node';
import { Bitrix24OpenChannelsTrigger } from '../../nodes/Bitrix24OpenChannelsTrigger/Bitrix24OpenChannelsTrigger.node';
import { tokenHash } from '../../nodes/Bitrix24/events';
import { fixture, withToken } from '../unit/triggers/fixtures';
import { harnessWithServer, sandboxTriggerCredentials } from './triggerServer';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../../sandbox');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { app, control, setupConnector, message, waitFor } = require('../sandbox/helpers');

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

const credentials = (applicationToken?: string) => sandboxTriggerCredentials(sb, applicationToken);


/** A POST to the trigger's URL, as anyone on the internet can send one. */
async function post(url: string, body: string): Promise<number> {
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
	await res.text();
	return res.status;
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
				message: { id: reply.body.messageId, text: '[b]Boris Becker:[/b] [br]Guten Tag!', plainText: 'Boris Becker: \nGuten Tag!', files: [] },
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
		// what was delivered stays remembered (a replay after activating again is still dropped, issue 23 point 7)
		expect(harness.staticData()).toEqual({ deliveredEvents: expect.any(Array) });
	} finally {
		await server.close();
	}
});

describe('first-event pinning (no Application Token in the credential)', () => {
	/** A forged event: a documented payload with the attacker's application token (its access token is not valid here). */
	const forged = (event: string, appToken: string, accessToken = 'evt-access-token-7f3a') => {
		const p = new URLSearchParams(withToken(fixture(event), appToken));
		p.set('auth[access_token]', accessToken);
		return p.toString();
	};

	async function botSetup() {
		const hook = await app(sb, token, 'imbot.register', { CODE: 'pin_bot', EVENT_HANDLER: 'https://old.example.com/bot', PROPERTIES: { NAME: 'Pin Bot' } });
		return hook.body.result as number;
	}
	const botParameters = (botId: number) => ({ authentication: 'oAuth2', events: ['ONIMBOTMESSAGEADD'], botSource: 'existing', botId: { mode: 'id', value: String(botId) } });

	test('forged first events — of an unselected type, of the other family, of a selected type, 20 at once — pin nothing; the real portal is verified and pinned', async () => {
		const botId = await botSetup();
		const { harness, server } = await harnessWithServer(new Bitrix24ChatbotTrigger(), botParameters(botId), credentials(undefined));
		try {
			expect(await harness.create()).toBe(true);
			const url = harness.webhookUrl;
			// the other trigger's family and an unselected bot event: ignored (200), nothing pinned, nothing run
			expect(await post(url, forged('ONIMCONNECTORMESSAGEADD', 'attacker-oc'))).toBe(200);
			expect(await post(url, forged('ONIMBOTJOINCHAT', 'attacker-join'))).toBe(200);
			expect(harness.staticData().applicationTokenHash).toBeUndefined();
			// a token of another app of the same portal does not vouch for the event either
			const otherApp = sb.issueTokens({ clientId: 'local.other.app' }).access_token;
			expect(await post(url, forged('ONIMBOTMESSAGEADD', 'attacker-other-app', otherApp))).toBe(401);
			// 20 concurrent forged first events with different tokens, racing the portal's genuine event
			const [genuine, ...statuses] = await Promise.all([
				control(sb, `bots/${botId}/user-message`, { userId: 3, text: 'Hello from the portal' }),
				...Array.from({ length: 20 }, (_, i) => post(url, forged('ONIMBOTMESSAGEADD', `attacker-${i}`))),
			]);
			expect(statuses).toEqual(Array(20).fill(401));
			expect(genuine.body.deliveries[0].status).toBe(200);
			const runs = server.runs.filter((r) => r.items.length > 0);
			expect(runs.map((r) => r.items[0].message.text)).toEqual(['Hello from the portal']);
			expect(harness.staticData().applicationTokenHash).toBe(tokenHash(sb.applicationToken));
			// from now on only the verified token passes
			expect(await post(url, forged('ONIMBOTMESSAGEADD', 'attacker-late'))).toBe(401);
			const again = await control(sb, `bots/${botId}/user-message`, { userId: 3, text: 'Second' });
			expect(again.body.deliveries[0].status).toBe(200);
			// what was logged holds no token
			for (const log of harness.logs) expect(log.message).not.toMatch(/attacker-|sandbox-app-token|evt-access-token/);
		} finally {
			await server.close();
		}
	});

	test('the verified pin survives a restart (static data); deactivation forgets it', async () => {
		const botId = await botSetup();
		const first = await harnessWithServer(new Bitrix24ChatbotTrigger(), botParameters(botId), credentials(undefined));
		let saved: any;
		try {
			await first.harness.create();
			expect((await control(sb, `bots/${botId}/user-message`, { userId: 3, text: 'one' })).body.deliveries[0].status).toBe(200);
			saved = JSON.parse(JSON.stringify(first.harness.staticData()));
			expect(saved.applicationTokenHash).toBe(tokenHash(sb.applicationToken));
		} finally {
			await first.server.close();
		}
		const restarted = await harnessWithServer(new Bitrix24ChatbotTrigger(), botParameters(botId), credentials(undefined), { 'node:Trigger': saved });
		try {
			expect(restarted.harness.staticData().applicationTokenHash).toBe(saved.applicationTokenHash);
			await app(sb, token, 'imbot.update', { BOT_ID: botId, FIELDS: { EVENT_MESSAGE_ADD: restarted.harness.webhookUrl } });
			expect(await post(restarted.harness.webhookUrl, forged('ONIMBOTMESSAGEADD', 'attacker'))).toBe(401);
			expect((await control(sb, `bots/${botId}/user-message`, { userId: 3, text: 'two' })).body.deliveries[0].status).toBe(200);
			expect(await restarted.harness.remove()).toBe(true);
			expect(restarted.harness.staticData().applicationTokenHash).toBeUndefined();
		} finally {
			await restarted.server.close();
		}
	});

	test('Webhook credential without an Application Token: activation is refused with the reason (issue 23, point 8); an event to a bot set up before is still refused (401)', async () => {
		const { harness, server } = await harnessWithServer(
			new Bitrix24ChatbotTrigger(),
			{ authentication: 'webhook', events: ['ONIMBOTMESSAGEADD'], botSource: 'code', botCode: 'hook_pin_bot', botName: 'Hook Bot', botType: 'B' },
			credentials(undefined),
		);
		try {
			await expect(harness.create()).rejects.toThrow(/no Application Token.*every event would be refused/);
			expect(harness.staticData().botHandlers).toBeUndefined();
			// a trigger activated before this release: its handlers point here, and events are still refused
			const url = harness.webhookUrl;
			const res = await fetch(`${sb.webhookUrl}imbot.register`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ CODE: 'hook_pin_bot', TYPE: 'B', CLIENT_ID: 'hook-pin-client', EVENT_MESSAGE_ADD: url, EVENT_WELCOME_MESSAGE: url, EVENT_BOT_DELETE: url, PROPERTIES: { NAME: 'Hook Bot' } }),
			});
			const registered = ((await res.json()) as { result: number }).result;
			const sent = await control(sb, `bots/${registered}/user-message`, { userId: 3, text: 'hi' });
			expect(sent.body.deliveries[0].status).toBe(401);
			expect(sent.body.deliveries[0].body).toContain('set the Application Token');
			expect(harness.staticData().applicationTokenHash).toBeUndefined();
		} finally {
			await server.close();
		}
	});
});
