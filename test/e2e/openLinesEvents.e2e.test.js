'use strict';
// Issue #17 (events): the open-line events in both Open Channels triggers inside a real, running n8n against an
// in-process sandbox portal.
//   push:  an active Bitrix24 Open Channels Trigger on OnSessionStart + OnOpenLineMessageAdd (event.bind at n8n's
//          production URL) runs on a customer message (imconnector.send.messages): one execution per event.
//   fetch: an active Bitrix24 Open Channels Fetch Trigger on OnSessionFinish (offline binding); the operator closes the
//          session while n8n is stopped; after the restart the event is delivered, once, and the queue is cleared.
// Version-independent: waits for outcomes (sandbox state, executions), never for a fixed activation behaviour.

const { N8nInstance, packageBuildStatus, sleep } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { POLL_EVERY_10_S, sandboxCredentials, credentialRef, appCall } = require('./lib/bitrix');

const status = packageBuildStatus();
if (!status.built) throw new Error(`openLinesEvents e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const PACKAGE = 'n8n-nodes-bitrix24-chat';
const PUSH = `${PACKAGE}.bitrix24OpenChannelsTrigger`;
const FETCH = `${PACKAGE}.bitrix24OpenChannelsFetchTrigger`;
const CONNECTOR = 'n8n_e2e_olevents';
const HOOK = '8a3c1f5e-2b7d-4e90-a1c6-7d2e9f0b3a17';
/** The triggers poll every 10 s (POLL_EVERY_10_S); a poll and its execution come well within this bound. */
const TICK_MS = 75000;

function workflow(id, name, node) {
	return { id, name, nodes: [{ id: `${id}-t`, typeVersion: 1, position: [0, 0], ...node }], connections: {} };
}

async function until(what, fn, timeoutMs = 30000) {
	const t0 = Date.now();
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await sleep(300);
	}
}

describe('open-line events (sessions, messages) in the Open Channels triggers in a running n8n', () => {
	let sb;
	let n8n;
	let creds;
	let token;
	let hookUrl;
	let sent;

	const finished = async (workflowId) =>
		(await n8n.listExecutions({ workflowId })).filter((e) => e.status && !['new', 'running', 'waiting'].includes(e.status));
	async function itemsOf(workflowId, nodeName) {
		const list = (await finished(workflowId)).sort((a, b) => Number(a.id) - Number(b.id));
		const out = [];
		for (const e of list) out.push(...(await n8n.getExecution(e.id)).outputOf(nodeName));
		return out;
	}
	const offlineQueue = () => (sb.state.offlineEvents ? sb.state.offlineEvents.records : []);

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		creds = sandboxCredentials(sb, { clientId: 'n8n-e2e-olevents' });
		token = sb.issueTokens().access_token;
		hookUrl = n8n.webhookUrl(`${HOOK}/webhook`);

		// portal set-up (not the code under test): the app's connector on line 1
		const icon = { DATA_IMAGE: 'data:image/svg+xml,%3Csvg%3E%3C/svg%3E' };
		await appCall(sb, token, 'imconnector.register', { ID: CONNECTOR, NAME: 'E2E open-line events', ICON: icon, PLACEMENT_HANDLER: 'https://example.com/settings' });
		await appCall(sb, token, 'imconnector.activate', { CONNECTOR, LINE: 1, ACTIVE: 1 });

		await n8n.importCredentials(creds.list);
		await n8n.importWorkflow([
			workflow('e2eOlPush', 'E2E open-line events (push)', {
				name: 'Line Events',
				type: PUSH,
				webhookId: HOOK,
				parameters: { authentication: 'oAuth2', events: ['ONSESSIONSTART', 'ONOPENLINEMESSAGEADD'], options: {} },
				credentials: credentialRef(creds.oauth),
			}),
			workflow('e2eOlFetch', 'E2E open-line events (fetch)', {
				name: 'Session Ends',
				type: FETCH,
				parameters: { authentication: 'oAuth2', pollTimes: POLL_EVERY_10_S, events: ['ONSESSIONFINISH'], options: {} },
				credentials: credentialRef(creds.oauth),
			}),
		]);
		await n8n.start();
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	test('activation binds OnSessionStart + OnOpenLineMessageAdd at the production URL and OnSessionFinish offline', async () => {
		await n8n.activateWorkflow('e2eOlPush');
		await n8n.activateWorkflow('e2eOlFetch');
		await until('push bindings', () => sb.state.eventHandlers.filter((h) => h.handler === hookUrl).length === 2);
		expect(sb.state.eventHandlers.filter((h) => h.handler === hookUrl).map((h) => h.event).sort()).toEqual(['ONOPENLINEMESSAGEADD', 'ONSESSIONSTART']);
		await until('offline binding', () => sb.state.eventHandlers.some((h) => h.event === 'ONSESSIONFINISH' && h.event_type === 'offline'), TICK_MS);
		expect(await finished('e2eOlPush')).toEqual([]);
	});

	test('push: a customer message starts a session and runs the workflow for both events', async () => {
		const r = await appCall(sb, token, 'imconnector.send.messages', {
			CONNECTOR,
			LINE: 1,
			MESSAGES: [{ user: { id: 'cust-ol', name: 'Greta' }, message: { id: 'in-ol-1', date: Math.floor(Date.now() / 1000), text: 'Hallo [b]Support[/b]' }, chat: { id: 'ext-ol-1' } }],
		});
		sent = r.body.result.DATA.RESULT[0];
		expect(sent.SUCCESS).toBe(true);
		await n8n.waitForExecutions('e2eOlPush', { count: 2, timeoutMs: 30000 });
		const runs = await finished('e2eOlPush');
		expect(runs.map((e) => e.status)).toEqual(['success', 'success']);
		const items = await itemsOf('e2eOlPush', 'Line Events');
		const byEvent = Object.fromEntries(items.map((i) => [i.event, i]));
		expect(Object.keys(byEvent).sort()).toEqual(['ONOPENLINEMESSAGEADD', 'ONSESSIONSTART']);
		const chatId = Number(sent.session.CHAT_ID);
		expect(byEvent.ONSESSIONSTART).toMatchObject({
			connector: CONNECTOR,
			line: 1,
			chat: { id: chatId, externalId: 'ext-ol-1' },
			user: { id: Number(sent.user), externalId: 'cust-ol' },
			session: { id: Number(sent.session.ID), closed: false },
			data: { session: { id: String(sent.session.ID), closed: 'N' } },
		});
		expect(byEvent.ONOPENLINEMESSAGEADD).toMatchObject({
			connector: CONNECTOR,
			line: 1,
			chat: { id: chatId, externalId: 'ext-ol-1', externalUserId: 'cust-ol' },
			user: { id: Number(sent.user) },
			message: { text: 'Hallo [b]Support[/b]', plainText: 'Hallo Support', system: false },
		});
		expect(JSON.stringify(items)).not.toMatch(/access_token|application_token/);
		expect(await finished('e2eOlFetch')).toEqual([]);
	});

	test('fetch: the session closed while n8n was stopped is delivered after the restart, once', async () => {
		await n8n.stop();
		const fin = await appCall(sb, token, 'imopenlines.operator.finish', { CHAT_ID: Number(sent.session.CHAT_ID) });
		expect(fin.body.result).toBe(true);
		await until('queued', () => offlineQueue().some((r) => r.EVENT_NAME === 'ONSESSIONFINISH'));
		await n8n.start();
		await n8n.waitForExecutions('e2eOlFetch', { count: 1, timeoutMs: TICK_MS });
		const items = await itemsOf('e2eOlFetch', 'Session Ends');
		expect(items).toEqual([
			expect.objectContaining({
				event: 'ONSESSIONFINISH',
				connector: CONNECTOR,
				line: 1,
				chat: { id: Number(sent.session.CHAT_ID), externalId: 'ext-ol-1' },
				session: expect.objectContaining({ id: Number(sent.session.ID), closed: true }),
				offlineEventId: expect.any(Number),
			}),
		]);
		await until('offline queue cleared', () => offlineQueue().length === 0, TICK_MS);
		expect((await finished('e2eOlFetch')).length).toBe(1);
	});
});
