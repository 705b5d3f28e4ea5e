/* In-process integration of the open-line events (OnSessionStart/Finish, OnOpenLineMessageAdd/Update/Delete) in both
 * Open Channels triggers against the sandbox portal: push (event.bind, events POSTed to a local server that hands them
 * to webhook()) and fetch (offline events, poll() through n8n-core's PollContext). */
/* eslint-disable @typescript-eslint/no-explicit-any */
import nock from 'nock';

import { Bitrix24OpenChannelsFetchTriggerV1 as Bitrix24OpenChannelsFetchTrigger } from '../../nodes/Bitrix24OpenChannelsFetchTrigger/v1/Bitrix24OpenChannelsFetchTriggerV1.node';
import { Bitrix24OpenChannelsTrigger } from '../../nodes/Bitrix24OpenChannelsTrigger/Bitrix24OpenChannelsTrigger.node';
import { pollHarness } from '../unit/triggers/pollContext';
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


const CONNECTOR = 'olconn';
const send = (n: number, chatId = 'chat-1') => app(sb, token, 'imconnector.send.messages', { CONNECTOR, LINE: 1, MESSAGES: [message(n, chatId)] });

test('Open Channels Trigger (push): OnSessionStart + OnOpenLineMessageAdd bound; a customer message runs both; edit/delete; unbind', async () => {
	await setupConnector(sb, token, CONNECTOR);
	const events = ['ONSESSIONSTART', 'ONOPENLINEMESSAGEADD', 'ONOPENLINEMESSAGEUPDATE', 'ONOPENLINEMESSAGEDELETE'];
	const { harness, server } = await harnessWithServer(
		new Bitrix24OpenChannelsTrigger(),
		{ authentication: 'oAuth2', events, options: { connector: { mode: 'id', value: CONNECTOR } } },
		credentials(sb.applicationToken),
	);
	try {
		expect(await harness.create()).toBe(true);
		const bound = () => sb.state.eventHandlers.filter((h: any) => h.handler === harness.webhookUrl).map((h: any) => h.event).sort();
		expect(bound()).toEqual([...events].sort());

		const sent = (await send(1)).body.result.DATA.RESULT[0];
		const chatId = Number(sent.session.CHAT_ID);
		const sessionId = Number(sent.session.ID);
		const start = await waitFor(() => server.runs.find((r) => r.event === 'ONSESSIONSTART'));
		expect(start.status).toBe(200);
		expect(start.items).toEqual([
			{
				event: 'ONSESSIONSTART',
				connector: CONNECTOR,
				line: 1,
				chat: { id: chatId, externalId: 'chat-1' },
				user: { id: Number(sent.user), externalId: 'u-1' },
				session: { id: sessionId, closed: false, parentId: 0, closeTerm: expect.any(Number) },
				data: expect.objectContaining({ session: expect.objectContaining({ id: String(sessionId), closed: 'N' }) }),
				domain: `127.0.0.1:${sb.port}`,
				ts: expect.any(Number),
			},
		]);
		const add = await waitFor(() => server.runs.find((r) => r.event === 'ONOPENLINEMESSAGEADD'));
		expect(add.items).toHaveLength(1);
		expect(add.items[0]).toMatchObject({
			event: 'ONOPENLINEMESSAGEADD',
			connector: CONNECTOR,
			line: 1,
			chat: { id: chatId, externalId: 'chat-1', externalUserId: 'u-1' },
			user: { id: Number(sent.user) },
			message: { text: 'hello 1', plainText: 'hello 1', system: false },
		});
		expect(JSON.stringify(server.runs)).not.toContain('sandbox-app-token');

		// an operator reply with BB-code: the plain text beside it
		const reply = await control(sb, 'openlines/operator-reply', { connector: CONNECTOR, line: 1, chatId: 'chat-1', text: '[b]Hallo[/b] [br]Wie geht es?', userId: 2 });
		const operatorRun = await waitFor(() => server.runs.find((r) => r.event === 'ONOPENLINEMESSAGEADD' && r.items[0]?.message?.id === reply.body.messageId));
		expect(operatorRun.items[0].user).toEqual({ id: 2 });
		expect(operatorRun.items[0]).toMatchObject({ chat: { id: chatId, externalUserId: 'u-1' }, message: { text: '[b]Hallo[/b] [br]Wie geht es?', plainText: 'Hallo \nWie geht es?' } });

		await control(sb, 'openlines/operator-edit', { connector: CONNECTOR, line: 1, chatId: 'chat-1', messageId: reply.body.messageId, text: 'edited' });
		await control(sb, 'openlines/operator-delete', { connector: CONNECTOR, line: 1, chatId: 'chat-1', messageId: reply.body.messageId });
		for (const event of ['ONOPENLINEMESSAGEUPDATE', 'ONOPENLINEMESSAGEDELETE']) {
			const run = await waitFor(() => server.runs.find((r) => r.event === event));
			expect(run.items).toEqual([expect.objectContaining({ event, connector: CONNECTOR, line: 1, chat: { id: chatId }, message: { id: reply.body.messageId } })]);
		}

		// a forged event is refused
		const forged = await control(sb, 'openlines/operator-edit', { connector: CONNECTOR, line: 1, chatId: 'chat-1', messageId: reply.body.messageId, text: 'x', applicationToken: 'forged' });
		expect(forged.body.deliveries.find((d: any) => d.event === 'ONOPENLINEMESSAGEUPDATE').status).toBe(401);

		expect(await harness.remove()).toBe(true);
		expect(bound()).toEqual([]);
	} finally {
		await server.close();
	}
});

test('Open Channels Fetch Trigger: OnSessionFinish queued while n8n was stopped arrives after the restart, once', async () => {
	await setupConnector(sb, token, CONNECTOR);
	const events = ['ONSESSIONSTART', 'ONSESSIONFINISH', 'ONOPENLINEMESSAGEADD'];
	const h = pollHarness(new Bitrix24OpenChannelsFetchTrigger(), { parameters: { authentication: 'oAuth2', events, options: {} }, credentials: credentials() });
	expect(await h.poll()).toBeNull();
	const offline = sb.state.eventHandlers.filter((b: any) => b.event_type === 'offline').map((b: any) => b.event).sort();
	expect(offline).toEqual([...events].sort());

	const sent = (await send(1)).body.result.DATA.RESULT[0];
	const first = (await h.poll())!;
	expect(first.map((i: any) => i.event)).toEqual(['ONSESSIONSTART', 'ONOPENLINEMESSAGEADD']);
	expect(first[1]).toMatchObject({ message: { text: 'hello 1', plainText: 'hello 1' }, offlineEventId: expect.any(Number) });

	// n8n stops; the operator closes the session meanwhile
	const saved = h.staticData();
	expect((await app(sb, token, 'imopenlines.operator.finish', { CHAT_ID: Number(sent.session.CHAT_ID) })).body.result).toBe(true);
	const restarted = h.restart();
	const items = (await restarted.poll())!;
	expect(saved.processId).toBeTruthy();
	expect(items).toEqual([
		expect.objectContaining({
			event: 'ONSESSIONFINISH',
			connector: CONNECTOR,
			line: 1,
			chat: { id: Number(sent.session.CHAT_ID), externalId: 'chat-1' },
			session: expect.objectContaining({ id: Number(sent.session.ID), closed: true }),
			offlineEventId: expect.any(Number),
		}),
	]);
	expect(await restarted.poll()).toBeNull();
	expect(sb.state.offlineEvents.records).toEqual([]);
});
