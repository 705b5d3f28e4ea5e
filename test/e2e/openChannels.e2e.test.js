'use strict';
// The Bitrix24 Open Channels node inside a real n8n (each version run.js runs: 2.0.3, 2.41.1) (`n8n execute`), against an in-process sandbox portal:
// every operation once, each checked in the sandbox's state and request log, not only in the node output.
//   workflow 1: Register → Activate → Set Channel Data → Get Status → Get Many → (3 customers) → Send (one packed
//               call) → Update → Delete → Chat Set Name → Line Get → Line Get Many
//   an operator replies in the sandbox
//   workflow 2: Mark Delivered → Mark Read → Deactivate → Unregister
//   workflow 3: the same imconnector operation with the webhook credential → refused before any request.

const { N8nInstance, packageBuildStatus } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { sandboxCredentials, ourNode, codeNode, chainWorkflow, rl, logMark, sandboxLog, control, expectRunOk } = require('./lib/bitrix');

const status = packageBuildStatus();
if (!status.built) throw new Error(`openChannels e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const CONNECTOR = 'n8n_e2e_whatsapp';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10"/></svg>';

describe('Bitrix24 Open Channels node in a real n8n against the sandbox', () => {
	let sb;
	let n8n;
	let creds;
	const oc = (name, parameters, opts = {}) => ourNode('openChannels', name, parameters, { credential: creds.oauth, ...opts });
	const common = () => ({ connector: rl(CONNECTOR), line: rl(1) });

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		creds = sandboxCredentials(sb);
		await n8n.importCredentials(creds.list);
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	let sent;

	test('connector set-up, customer messages (packed into one call), chat name and line look-ups', async () => {
		const wf = chainWorkflow('e2eOcSetup', 'E2E Open Channels set-up', [
			oc('Register', {
				resource: 'connector',
				operation: 'register',
				connectorId: CONNECTOR,
				connectorName: 'n8n e2e WhatsApp',
				placementHandler: 'https://example.com/settings',
				iconSource: 'text',
				iconSvg: SVG,
				iconStyle: { color: '#25d366' },
				registerOptions: { chatGroup: false },
			}),
			oc('Activate', { resource: 'connector', operation: 'activate', ...common() }),
			oc('Set Channel Data', {
				resource: 'connector',
				operation: 'setChannelData',
				...common(),
				channelId: 'wa_line1',
				channelName: 'WhatsApp +49 30 1234',
				channelUrl: 'https://wa.example.com/c/1',
			}),
			oc('Get Status', { resource: 'connector', operation: 'getStatus', ...common() }),
			oc('Connectors', { resource: 'connector', operation: 'getAll', returnAll: true }),
			codeNode('Customers', 'return [0, 1, 2].map((i) => ({ json: { i } }));', { executeOnce: true }),
			oc(
				'Send',
				{
					resource: 'message',
					operation: 'send',
					...common(),
					externalChatId: '={{ "wa-chat-" + ($json.i % 2) }}',
					externalUserId: '={{ "wa-user-" + ($json.i % 2) }}',
					externalMessageId: '={{ "wa-msg-" + $json.i }}',
					text: '={{ "Hello [b]" + $json.i + "[/b]" }}',
					userDetails: { firstName: 'Klaus', lastName: 'Weber', gender: 'male' },
				},
				{ multi: true },
			),
			oc('Update', {
				resource: 'message',
				operation: 'update',
				...common(),
				externalChatId: 'wa-chat-1',
				externalUserId: 'wa-user-1',
				externalMessageId: 'wa-msg-1',
				text: 'Edited in n8n',
			}),
			oc('Delete', {
				resource: 'message',
				operation: 'delete',
				...common(),
				externalChatId: 'wa-chat-0',
				externalUserId: 'wa-user-0',
				externalMessageId: 'wa-msg-2',
			}),
			oc('Set Chat Name', {
				resource: 'chat',
				operation: 'setName',
				...common(),
				externalChatId: 'wa-chat-0',
				externalUserId: 'wa-user-0',
				chatName: 'Klaus Weber (WhatsApp)',
			}),
			oc('Line', { resource: 'line', operation: 'get', line: rl(1), lineOptions: { withQueue: true } }),
			oc('Lines', { resource: 'line', operation: 'getAll', returnAll: true }),
		]);
		await n8n.importWorkflow(wf);
		const mark = logMark(sb);

		const run = expectRunOk(await n8n.execute(wf.id));

		// Register
		expect(run.outputOf('Register')).toEqual([{ connector: CONNECTOR, registered: true }]);
		const registered = sb.state.connectors.get(CONNECTOR);
		expect(registered).toMatchObject({ ID: CONNECTOR, NAME: 'n8n e2e WhatsApp', PLACEMENT_HANDLER: 'https://example.com/settings', CHAT_GROUP: false });
		expect(registered.ICON).toEqual({ DATA_IMAGE: `data:image/svg+xml,${encodeURIComponent(SVG)}`, COLOR: '#25d366' });
		// Activate + Set Channel Data + Get Status
		expect(run.outputOf('Activate')).toEqual([{ connector: CONNECTOR, line: 1, active: true }]);
		const line = sb.state.connectorLines.get(`${CONNECTOR}|1`);
		expect(line.active).toBe(true);
		expect(line.data).toEqual({ ID: 'wa_line1', URL: 'https://wa.example.com/c/1', NAME: 'WhatsApp +49 30 1234' });
		expect(run.outputOf('Get Status')).toEqual([{ connector: CONNECTOR, line: 1, configured: true, status: true, error: false }]);
		// Get Many: one item per connector, built-in ones included
		const connectors = run.outputOf('Connectors');
		expect(connectors).toContainEqual({ id: CONNECTOR, name: 'n8n e2e WhatsApp' });
		expect(connectors.map((c) => c.id)).toEqual(expect.arrayContaining(['livechat', 'telegrambot']));

		// Send: 3 items → 3 output items, ONE imconnector.send.messages call holding all 3 messages
		sent = run.outputOf('Send');
		const stored = sb.state.connectorMessages.filter((m) => m.connector === CONNECTOR);
		expect(stored.map((m) => [m.externalMessageId, m.externalChatId])).toEqual([
			['wa-msg-0', 'wa-chat-0'],
			['wa-msg-1', 'wa-chat-1'],
			['wa-msg-2', 'wa-chat-0'],
		]);
		expect(sent).toHaveLength(3);
		sent.forEach((out, i) => {
			expect(out).toMatchObject({
				connector: CONNECTOR,
				line: 1,
				externalMessageId: `wa-msg-${i}`,
				externalChatId: `wa-chat-${i % 2}`,
				externalUserId: `wa-user-${i % 2}`,
				chatId: stored[i].chatId,
				sessionId: stored[i].sessionId,
				success: true,
			});
		});
		expect(run.itemsOf('Send').map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const sendCalls = sandboxLog(sb, { sinceId: mark, method: 'imconnector.send.messages' });
		expect(sendCalls).toHaveLength(1);
		expect(sendCalls[0].status).toBe(200);
		expect(sendCalls[0].params.MESSAGES.map((m) => [m.message.id, m.message.text, m.user.name])).toEqual([
			['wa-msg-0', 'Hello [b]0[/b]', 'Klaus'],
			['wa-msg-1', 'Hello [b]1[/b]', 'Klaus'],
			['wa-msg-2', 'Hello [b]2[/b]', 'Klaus'],
		]);

		// Update / Delete, as stored in the portal
		expect(run.outputOf('Update')[0]).toMatchObject({ externalMessageId: 'wa-msg-1', success: true });
		expect(run.outputOf('Delete')[0]).toMatchObject({ externalMessageId: 'wa-msg-2', success: true });
		const after = sb.state.connectorMessages.filter((m) => m.connector === CONNECTOR);
		expect(after[1]).toMatchObject({ text: 'Edited in n8n', updated: true });
		expect(after[2]).toMatchObject({ deleted: true });
		expect(after[0].deleted).toBeFalsy();

		// Chat Set Name renamed the Bitrix chat behind wa-chat-0
		expect(run.outputOf('Set Chat Name')).toEqual([
			{ connector: CONNECTOR, line: 1, externalChatId: 'wa-chat-0', name: 'Klaus Weber (WhatsApp)', success: true },
		]);
		expect(sb.state.chats.get(sent[0].chatId).TITLE).toBe('Klaus Weber (WhatsApp)');

		// Line Get / Get Many
		expect(run.outputOf('Line')[0]).toMatchObject({ ID: '1', LINE_NAME: 'Sandbox line' });
		expect(run.outputOf('Lines').map((l) => [String(l.ID), l.LINE_NAME])).toEqual([['1', 'Sandbox line']]);

		// what reached the portal, in order (each method once, all as the OAuth app)
		const calls = sandboxLog(sb, { sinceId: mark }).filter((e) => e.method !== 'batch');
		expect(calls.map((e) => e.method)).toEqual([
			'imconnector.register',
			'imconnector.activate',
			'imconnector.connector.data.set',
			'imconnector.status',
			'imconnector.list',
			'imconnector.send.messages',
			'imconnector.update.messages',
			'imconnector.delete.messages',
			'imconnector.chat.name.set',
			'imopenlines.config.get',
			'imopenlines.config.list.get',
		]);
		expect(calls.every((e) => e.auth === 'oauth' && e.status === 200)).toBe(true);
		expect(n8n.externalConnections()).toEqual([]);
	});

	test('operator reply → Mark Delivered and Mark Read; Deactivate and Unregister', async () => {
		const reply = await control(sb, 'openlines/operator-reply', { connector: CONNECTOR, line: 1, chatId: 'wa-chat-0', text: 'Guten Tag!' });
		const second = await control(sb, 'openlines/operator-reply', { connector: CONNECTOR, line: 1, chatId: 'wa-chat-0', text: 'Noch Fragen?' });
		expect(sb.state.operatorMessages.get(reply.messageId)).toMatchObject({ delivered: false });

		const wf = chainWorkflow('e2eOcStatus', 'E2E Open Channels status + teardown', [
			oc('Mark Delivered', {
				resource: 'message',
				operation: 'markDelivered',
				...common(),
				bitrixChatId: reply.chatId,
				bitrixMessageId: reply.messageId,
				externalMessageIds: 'wa-out-1',
				externalChatId: 'wa-chat-0',
			}),
			oc('Mark Read', {
				resource: 'message',
				operation: 'markRead',
				...common(),
				bitrixChatId: second.chatId,
				bitrixMessageId: second.messageId,
				externalMessageIds: 'wa-out-2, wa-out-3',
				externalChatId: 'wa-chat-0',
			}),
			oc('Deactivate', { resource: 'connector', operation: 'deactivate', ...common() }),
			oc('Unregister', { resource: 'connector', operation: 'unregister', connector: rl(CONNECTOR) }),
		]);
		await n8n.importWorkflow(wf);
		const mark = logMark(sb);

		const run = expectRunOk(await n8n.execute(wf.id));

		expect(run.outputOf('Mark Delivered')).toEqual([
			{
				connector: CONNECTOR,
				line: 1,
				externalChatId: 'wa-chat-0',
				externalMessageIds: ['wa-out-1'],
				bitrixChatId: reply.chatId,
				bitrixMessageId: reply.messageId,
				delivered: true,
			},
		]);
		expect(sb.state.operatorMessages.get(reply.messageId)).toMatchObject({ delivered: true, read: true, externalIds: ['wa-out-1'] });
		expect(run.outputOf('Mark Read')[0]).toMatchObject({ externalMessageIds: ['wa-out-2', 'wa-out-3'], bitrixMessageId: second.messageId, read: true });
		expect(sb.state.operatorMessages.get(second.messageId)).toMatchObject({ read: true });
		expect(sb.state.operatorMessages.get(second.messageId).delivered).toBeFalsy();

		expect(run.outputOf('Deactivate')).toEqual([{ connector: CONNECTOR, line: 1, active: false }]);
		expect(run.outputOf('Unregister')).toEqual([{ connector: CONNECTOR, unregistered: true }]);
		expect(sb.state.connectors.has(CONNECTOR)).toBe(false);

		const calls = sandboxLog(sb, { sinceId: mark }).filter((e) => e.method !== 'batch');
		expect(calls.map((e) => [e.method, e.status])).toEqual([
			['imconnector.send.status.delivery', 200],
			['imconnector.send.status.reading', 200],
			['imconnector.activate', 200],
			['imconnector.unregister', 200],
		]);
		expect(calls[0].params.MESSAGES).toEqual([
			expect.objectContaining({ im: { chat_id: reply.chatId, message_id: reply.messageId }, message: expect.objectContaining({ id: ['wa-out-1'] }), chat: { id: 'wa-chat-0' } }),
		]);
		expect(calls[2].params).toMatchObject({ CONNECTOR, LINE: 1, ACTIVE: 0 });
	});

	test('an imconnector operation with the webhook credential fails with WRONG_AUTH_TYPE / OAuth2 before any request', async () => {
		const wf = chainWorkflow('e2eOcWebhook', 'E2E Open Channels over a webhook', [
			ourNode('openChannels', 'Status over Webhook', { resource: 'connector', operation: 'getStatus', ...common() }, { auth: 'webhook', credential: creds.webhook }),
		]);
		await n8n.importWorkflow(wf);
		const mark = logMark(sb);

		const run = await n8n.execute(wf.id);

		expect(run.ok).toBe(false);
		expect(run.lastNodeExecuted).toBe('Status over Webhook');
		const error = run.nodeError('Status over Webhook') || run.error;
		const text = `${error.message} ${error.description || ''}`;
		expect(text).toMatch(/WRONG_AUTH_TYPE/);
		expect(text).toMatch(/OAuth2/);
		expect(text).not.toContain('sandboxwebhook');
		expect(sandboxLog(sb, { sinceId: mark })).toEqual([]);
	});
});
