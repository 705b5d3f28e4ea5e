'use strict';
// Live delivery of the fetch triggers (version 2: a long-running trigger() loop, no public URL) inside a real n8n
// against an in-process sandbox portal. For each trigger case of CASES: 200 events → 200 executions; n8n stopped,
// 200 more sent, n8n started → exactly 400 executions, each event once, in order per chat; deactivation stops every
// read of the portal's queue within 1 s (counted in the sandbox's request log; the figure is printed).
// n8n starts once per phase (before and after the stop). Another live trigger (the Messenger Trigger) is one more
// entry of CASES: how to set up the portal, its node, how to send one event in a chat, how to read an item back.

const { N8nInstance, packageBuildStatus, sleep } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { sandboxCredentials, credentialRef, control, appCall, rl } = require('./lib/bitrix');
const v2 = require('../../sandbox/methods/imbotV2/triggers');

const status = packageBuildStatus();
if (!status.built) throw new Error(`live fetch e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const PACKAGE = 'n8n-nodes-bitrix24-chat';
const PER_PHASE = 200;
const CHATS = 4;
const CONNECTOR = 'n8n_e2e_live';

/**
 * The trigger cases. Each: `id` (workflow id), `readMethod` (what its loop calls at the sandbox), `setup(ctx)` →
 * case state, `node(ctx, state)` → the trigger node, `send(ctx, state, chat, text)`, `textOf(item)`, `chatOf(item)`,
 * `pending(ctx, state)` → events still queued at the portal.
 */
const CASES = [
	{
		id: 'e2eLiveBot',
		title: 'Chatbot Fetch Trigger (live)',
		readMethod: 'imbot.v2.Event.get',
		async setup({ sb, token }) {
			const r = await appCall(sb, token, 'imbot.v2.Bot.register', { fields: { code: 'e2e_live_bot', properties: { name: 'Live Bot' }, eventMode: 'fetch' } });
			return { botId: r.body.result.bot.id };
		},
		node: ({ creds }, { botId }) => ({
			name: 'Bot Queue',
			type: `${PACKAGE}.bitrix24ChatbotFetchTrigger`,
			typeVersion: 2,
			parameters: { authentication: 'oAuth2', events: ['ONIMBOTV2MESSAGEADD'], botId: rl(botId), options: {} },
			credentials: credentialRef(creds.oauth),
		}),
		send: async ({ sb }, { botId }, chat, text) => await v2.userMessage(sb.portal, botId, { userId: 2 + chat, text }),
		textOf: (item) => item.text,
		chatOf: (item) => String(item.dialogId),
		pending: ({ sb }, { botId }) => (sb.state.imbotV2.queues.get(`bot:${botId}`) || { events: [] }).events.length,
	},
	{
		id: 'e2eLiveOc',
		title: 'Open Channels Fetch Trigger (live)',
		readMethod: 'event.offline.get',
		async setup({ sb, token }) {
			const icon = { DATA_IMAGE: 'data:image/svg+xml,%3Csvg%3E%3C/svg%3E' };
			await appCall(sb, token, 'imconnector.register', { ID: CONNECTOR, NAME: 'E2E live', ICON: icon, PLACEMENT_HANDLER: 'https://example.com/settings' });
			await appCall(sb, token, 'imconnector.activate', { CONNECTOR, LINE: 1, ACTIVE: 1 });
			for (let chat = 0; chat < CHATS; chat++) {
				await appCall(sb, token, 'imconnector.send.messages', {
					CONNECTOR,
					LINE: 1,
					MESSAGES: [{ user: { id: `cust-${chat}`, name: `Customer ${chat}` }, message: { id: `in-${chat}`, date: Math.floor(Date.now() / 1000), text: 'Hi' }, chat: { id: `ext-live-${chat}` } }],
				});
			}
			return {};
		},
		node: ({ creds }) => ({
			name: 'Offline Events',
			type: `${PACKAGE}.bitrix24OpenChannelsFetchTrigger`,
			typeVersion: 2,
			parameters: { authentication: 'oAuth2', events: ['ONIMCONNECTORMESSAGEADD'], options: { confirmDelivery: false } },
			credentials: credentialRef(creds.oauth),
		}),
		send: async ({ sb }, _state, chat, text) => await control(sb, 'openlines/operator-reply', { connector: CONNECTOR, line: 1, chatId: `ext-live-${chat}`, text }),
		textOf: (item) => String(item.message.text).replace(/^.*\[br\]/, ''),
		chatOf: (item) => String(item.chat.externalId),
		pending: ({ sb }) => (sb.state.offlineEvents ? sb.state.offlineEvents.records.length : 0),
	},
];

/** The sandbox logs method names in lower case. */
const isRead = (entry, c) => String(entry.method).toLowerCase() === c.readMethod.toLowerCase();

async function until(what, fn, timeoutMs = 60000) {
	const t0 = Date.now();
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await sleep(300);
	}
}

describe('live fetch triggers in a running n8n', () => {
	const ctx = {};
	const states = new Map();
	let n8n;

	/** Finished executions of a workflow, oldest first, from n8n's database (REST pages differ between versions). */
	async function executionsOf(id) {
		const { rows } = await n8n.sqlite('query', [`SELECT id, status FROM execution_entity WHERE workflowId = '${id}' ORDER BY id`]);
		return rows.filter((e) => e.status && !['new', 'running', 'waiting'].includes(e.status));
	}
	/**
	 * The trigger item of every execution (oldest first). An ended execution without the trigger's output (n8n failed it
	 * before any node ran) is reported with its status and error.
	 */
	async function itemsOf(c) {
		const items = [];
		const node = c.node(ctx, states.get(c.id)).name;
		for (const e of await executionsOf(c.id)) {
			const run = await n8n.getExecution(e.id);
			const out = run.outputOf(node);
			if (out === undefined) {
				const why = run.error ? `${run.error.message || JSON.stringify(run.error)}` : 'no error';
				throw new Error(`${c.title}: execution ${e.id} ended (${run.status}) without the trigger's output: ${why}; nodes run: ${Object.keys(run.runData).join(', ') || 'none'}`);
			}
			items.push(...out);
		}
		return items;
	}
	async function sendPhase(phase) {
		// interleaved chats, one event after the other (the order each chat must keep)
		for (const c of CASES) {
			for (let i = 0; i < PER_PHASE; i++) await c.send(ctx, states.get(c.id), i % CHATS, `p${phase}-${String(i).padStart(3, '0')}`);
		}
	}
	function checkOrder(c, items, count) {
		expect(items).toHaveLength(count);
		const texts = items.map(c.textOf);
		expect(new Set(texts).size).toBe(count); // each event once
		const byChat = new Map();
		for (const item of items) {
			const chat = c.chatOf(item);
			if (!byChat.has(chat)) byChat.set(chat, []);
			byChat.get(chat).push(c.textOf(item));
		}
		for (const list of byChat.values()) expect(list).toEqual([...list].sort()); // in order per chat
	}

	beforeAll(async () => {
		ctx.sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		ctx.creds = sandboxCredentials(ctx.sb, { clientId: 'n8n-e2e-live' });
		ctx.token = ctx.sb.issueTokens().access_token;
		for (const c of CASES) states.set(c.id, await c.setup(ctx));
		await n8n.importCredentials(ctx.creds.list);
		await n8n.importWorkflow(
			CASES.map((c) => {
				const node = c.node(ctx, states.get(c.id));
				return { id: c.id, name: `E2E ${c.title}`, nodes: [{ id: `${c.id}-t`, position: [0, 0], ...node }], connections: {} };
			}),
		);
		await n8n.start();
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (ctx.sb) await ctx.sb.stop();
	});

	test(`${PER_PHASE} events per trigger → ${PER_PHASE} executions, one per event, in order per chat`, async () => {
		for (const c of CASES) await n8n.activateWorkflow(c.id);
		for (const c of CASES) await until(`${c.title}: first read`, () => ctx.sb.log().some((e) => isRead(e, c)));
		await sendPhase(1);
		for (const c of CASES) {
			await until(`${c.title}: ${PER_PHASE} executions`, async () => (await executionsOf(c.id)).length >= PER_PHASE, 240000);
			await until(`${c.title}: queue acknowledged`, () => c.pending(ctx, states.get(c.id)) === 0);
			checkOrder(c, await itemsOf(c), PER_PHASE);
		}
	});

	test(`n8n stopped, ${PER_PHASE} more sent, n8n started → exactly ${2 * PER_PHASE} executions, each event once`, async () => {
		await n8n.stop();
		await sendPhase(2);
		await n8n.start();
		for (const c of CASES) {
			await until(`${c.title}: ${2 * PER_PHASE} executions`, async () => (await executionsOf(c.id)).length >= 2 * PER_PHASE, 240000);
			await until(`${c.title}: queue acknowledged`, () => c.pending(ctx, states.get(c.id)) === 0);
		}
		await sleep(3000); // a repeat would show up within the loop's next reads
		for (const c of CASES) {
			const items = await itemsOf(c);
			checkOrder(c, items, 2 * PER_PHASE);
			expect(items.map(c.textOf).filter((t) => t.startsWith('p1-'))).toHaveLength(PER_PHASE);
		}
	});

	test('deactivation stops all reads of the queue within 1 s', async () => {
		for (const c of CASES) {
			const started = Date.now();
			await n8n.deactivateWorkflow(c.id);
			const returned = Date.now();
			await sleep(3000);
			const reads = ctx.sb.log().filter((e) => isRead(e, c) && Date.parse(e.at) >= started);
			const last = reads.length ? Date.parse(reads[reads.length - 1].at) : started;
			process.stderr.write(
				`[live e2e ${n8n.n8nVersion}] ${c.title}: deactivation took ${returned - started} ms; last read ${last - started} ms after it began, ${Math.max(0, last - returned)} ms after it returned\n`,
			);
			expect(reads.filter((e) => Date.parse(e.at) > returned + 1000)).toEqual([]);
			expect(last - returned).toBeLessThanOrEqual(1000);
		}
	});
});
