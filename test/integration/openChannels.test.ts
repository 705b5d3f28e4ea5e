/*
 * The Open Channels node against the sandbox portal over real HTTP (in-process n8n, OAuth2 credential): register a
 * connector, activate it on line 1, set its data, send customer messages, confirm an operator reply, rename the chat,
 * read status, list lines and connectors — each checked against the sandbox's state.
 */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { Bitrix24OpenChannels } from '../../nodes/Bitrix24OpenChannels/Bitrix24OpenChannels.node';
import type { RunResult } from '../helpers/runNode';
import { makeItems, oauthCredentials, runNode, webhookCredentials } from '../helpers/runNode';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../../sandbox');

const node = new Bitrix24OpenChannels();
const CONNECTOR = 'n8n_it_whatsapp';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10"/></svg>';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let sb: any;
let credentials: Record<string, IDataObject>;

function rl(value: string | number): IDataObject {
	return { __rl: true, mode: 'id', value: String(value) };
}

async function run(parameters: IDataObject, options: { items?: ReturnType<typeof makeItems>; continueOnFail?: boolean } = {}): Promise<RunResult> {
	return await runNode(node, { parameters: { authentication: 'oAuth2', ...parameters }, credentials, ...options });
}

function ok(result: RunResult): IDataObject[] {
	expect(result.error).toBeUndefined();
	return result.items.map((item) => item.json);
}

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	sb = await startSandbox({ port: 0 });
	const tokens = sb.issueTokens();
	credentials = {
		bitrix24OAuth2Api: oauthCredentials({
			portalUrl: sb.url,
			clientId: sb.oauth.clientId,
			clientSecret: sb.oauth.clientSecret,
			accessTokenUrl: sb.oauth.tokenUrl,
			authUrl: sb.oauth.authorizeUrl,
			rateLimit: 2,
			rateBurst: 50,
			oauthTokenData: { ...tokens, client_endpoint: `${sb.url}/rest/` },
		}),
		bitrix24WebhookApi: webhookCredentials({ webhookSecret: sb.webhookUrl, rateLimit: 2, rateBurst: 50 }),
	};
});

afterAll(async () => {
	await sb?.stop();
});

test('a connector from registration to customer messages, checked in the portal', async () => {
	// Register
	expect(ok(await run({ resource: 'connector', operation: 'register', connectorId: CONNECTOR, connectorName: 'n8n WhatsApp', placementHandler: 'https://example.com/settings', iconSvg: SVG, iconStyle: { color: '#25d366' }, registerOptions: { chatGroup: false } }))).toEqual([
		{ connector: CONNECTOR, registered: true },
	]);
	const registered = sb.state.connectors.get(CONNECTOR);
	expect(registered).toMatchObject({ ID: CONNECTOR, NAME: 'n8n WhatsApp', PLACEMENT_HANDLER: 'https://example.com/settings', CHAT_GROUP: false });
	expect(registered.ICON).toEqual({ DATA_IMAGE: `data:image/svg+xml,${encodeURIComponent(SVG)}`, COLOR: '#25d366' });

	// Activate on line 1, set channel data, read status
	expect(ok(await run({ resource: 'connector', operation: 'activate', connector: rl(CONNECTOR), line: rl(1) }))).toEqual([{ connector: CONNECTOR, line: 1, active: true }]);
	expect(sb.state.connectorLines.get(`${CONNECTOR}|1`).active).toBe(true);
	ok(await run({ resource: 'connector', operation: 'setChannelData', connector: rl(CONNECTOR), line: rl(1), channelId: 'wa_line1', channelUrl: 'https://wa.example.com/c/1', channelName: 'WhatsApp +49 30 1234' }));
	expect(sb.state.connectorLines.get(`${CONNECTOR}|1`).data).toEqual({ ID: 'wa_line1', URL: 'https://wa.example.com/c/1', NAME: 'WhatsApp +49 30 1234' });
	expect(ok(await run({ resource: 'connector', operation: 'getStatus', connector: rl(CONNECTOR), line: rl(1) }))).toEqual([
		{ connector: CONNECTOR, line: 1, configured: true, status: true, error: false },
	]);

	// Send 4 customer messages (2 external chats) in one run: one packed call
	const sent = ok(
		await run(
			{
				resource: 'message',
				operation: 'send',
				connector: rl(CONNECTOR),
				line: rl(1),
				externalChatId: '={{ "wa-chat-" + ($json.i % 2) }}',
				externalUserId: '={{ "wa-user-" + ($json.i % 2) }}',
				externalMessageId: '={{ "wa-msg-" + $json.i }}',
				text: '={{ "Hello [b]" + $json.i + "[/b]" }}',
				userDetails: { firstName: 'Klaus', lastName: 'Weber', gender: 'male' },
			},
			{ items: makeItems(4) },
		),
	);
	const stored = sb.state.connectorMessages.filter((m: IDataObject) => m.connector === CONNECTOR);
	expect(stored.map((m: IDataObject) => [m.externalMessageId, m.externalChatId, m.text])).toEqual([
		['wa-msg-0', 'wa-chat-0', 'Hello [b]0[/b]'],
		['wa-msg-1', 'wa-chat-1', 'Hello [b]1[/b]'],
		['wa-msg-2', 'wa-chat-0', 'Hello [b]2[/b]'],
		['wa-msg-3', 'wa-chat-1', 'Hello [b]3[/b]'],
	]);
	sent.forEach((out, i) => {
		expect(out).toEqual({
			connector: CONNECTOR,
			line: 1,
			externalMessageId: `wa-msg-${i}`,
			externalChatId: `wa-chat-${i % 2}`,
			externalUserId: `wa-user-${i % 2}`,
			bitrixUserId: stored[i].userId,
			chatId: stored[i].chatId,
			sessionId: stored[i].sessionId,
			success: true,
		});
	});
	expect(sent[0].chatId).toBe(sent[2].chatId);
	expect(sent[0].chatId).not.toBe(sent[1].chatId);
	const sendCalls = sb.log().filter((e: IDataObject) => e.method === 'imconnector.send.messages');
	expect(sendCalls).toHaveLength(1);

	// An operator answers in the portal; the connector confirms delivery
	const reply = (await (
		await fetch(`${sb.url}/sandbox/openlines/operator-reply`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ connector: CONNECTOR, line: 1, chatId: 'wa-chat-0', text: 'Guten Tag!' }),
		})
	).json()) as { chatId: number; messageId: number };
	expect(
		ok(await run({ resource: 'message', operation: 'markDelivered', connector: rl(CONNECTOR), line: rl(1), bitrixChatId: reply.chatId, bitrixMessageId: reply.messageId, externalMessageIds: 'wa-out-1', externalChatId: 'wa-chat-0' })),
	).toEqual([{ connector: CONNECTOR, line: 1, externalChatId: 'wa-chat-0', externalMessageIds: ['wa-out-1'], bitrixChatId: reply.chatId, bitrixMessageId: reply.messageId, delivered: true }]);
	expect(sb.state.operatorMessages.get(reply.messageId)).toMatchObject({ delivered: true, read: true, externalIds: ['wa-out-1'] });

	// Edit and delete a customer message
	ok(await run({ resource: 'message', operation: 'update', connector: rl(CONNECTOR), line: rl(1), externalChatId: 'wa-chat-1', externalUserId: 'wa-user-1', externalMessageId: 'wa-msg-1', text: 'Edited' }));
	ok(await run({ resource: 'message', operation: 'delete', connector: rl(CONNECTOR), line: rl(1), externalChatId: 'wa-chat-1', externalUserId: 'wa-user-1', externalMessageId: 'wa-msg-3' }));
	const after = sb.state.connectorMessages.filter((m: IDataObject) => m.connector === CONNECTOR);
	expect(after[1]).toMatchObject({ text: 'Edited', updated: true });
	expect(after[3]).toMatchObject({ deleted: true });

	// Rename the chat (no group chats: USER_ID needed)
	ok(await run({ resource: 'chat', operation: 'setName', connector: rl(CONNECTOR), line: rl(1), externalChatId: 'wa-chat-0', chatName: 'Klaus Weber (WhatsApp)', externalUserId: 'wa-user-0' }));
	expect(sb.state.chats.get(sent[0].chatId).TITLE).toBe('Klaus Weber (WhatsApp)');

	// A per-message failure reaches only its item: a message to an unknown external message id
	const mixed = await run(
		{ resource: 'message', operation: 'update', connector: rl(CONNECTOR), line: rl(1), externalChatId: 'wa-chat-0', externalUserId: 'wa-user-0', externalMessageId: '={{ $json.i === 0 ? "wa-msg-0" : "nope" }}', text: 'x' },
		{ items: makeItems(2), continueOnFail: true },
	);
	expect(mixed.items.map((i) => i.json.success ?? i.json.code)).toEqual([true, 'MESSAGE_NOT_ACCEPTED']);

	// Lists
	const lines = ok(await run({ resource: 'line', operation: 'getAll', returnAll: true }));
	expect(lines.map((l) => [l.ID, l.LINE_NAME])).toContainEqual(['1', 'Sandbox line']);
	expect(ok(await run({ resource: 'line', operation: 'get', line: rl(1), lineOptions: { withQueue: true } }))[0]).toMatchObject({ ID: '1', LINE_NAME: 'Sandbox line' });
	expect((await run({ resource: 'line', operation: 'get', line: rl(999) })).error?.message).toMatch(/LINE_NOT_FOUND/);
	const connectors = ok(await run({ resource: 'connector', operation: 'getAll', returnAll: true }));
	expect(connectors).toContainEqual({ id: CONNECTOR, name: 'n8n WhatsApp' });
});

test('the portal refuses a built-in connector ID inside a 200; the node reports it as an error', async () => {
	const out = await run({ resource: 'connector', operation: 'register', connectorId: 'livechat', connectorName: 'X', placementHandler: 'https://example.com/h', iconSvg: SVG });
	expect(out.error?.message).toMatch(/imconnector\.register failed with APPLICATION_REGISTRATION_ERROR/);
});

test('Line operations work with the webhook credential; imconnector operations are refused before sending', async () => {
	const before = sb.log().length;
	const lines = await run({ authentication: 'webhook', resource: 'line', operation: 'getAll', returnAll: false, limit: 1 });
	expect(lines.items.map((i) => i.json.ID)).toEqual(['1']);
	const refused = await run({ authentication: 'webhook', resource: 'connector', operation: 'getStatus', connector: rl(CONNECTOR), line: rl(1) });
	expect(refused.error?.message).toMatch(/OAuth2/);
	expect(sb.log().slice(before).map((e: IDataObject) => e.method)).toEqual(['imopenlines.config.list.get']);
});

test('Deactivate and Unregister', async () => {
	ok(await run({ resource: 'connector', operation: 'deactivate', connector: rl(CONNECTOR), line: rl(1) }));
	expect(sb.state.connectorLines.get(`${CONNECTOR}|1`).active).toBe(false);
	expect(ok(await run({ resource: 'connector', operation: 'unregister', connector: rl(CONNECTOR) }))).toEqual([{ connector: CONNECTOR, unregistered: true }]);
	expect(sb.state.connectors.has(CONNECTOR)).toBe(false);
	const again = await run({ resource: 'connector', operation: 'unregister', connector: rl(CONNECTOR) });
	expect(again.error?.message).toMatch(/APPLICATION_UNREGISTRATION_ERROR/);
});
