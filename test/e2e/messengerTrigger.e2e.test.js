'use strict';
// The Bitrix24 Messenger Trigger (im.v2.Event.* on the live engine) inside a real, running n8n against an in-process
// sandbox portal with no URL the portal could call: 200 messages from other users into Anna's chats, n8n stopped,
// 200 more, n8n started → exactly 400 executions, each message once, in order per chat; her own messages start
// nothing; deactivation stops every im.v2.Event.get within 1 s (counted at the sandbox).
// One n8n for the whole file; every wait is a bounded poll on a condition.

const { N8nInstance, packageBuildStatus, sleep } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { sandboxCredentials, credentialRef } = require('./lib/bitrix');
const users = require('../../sandbox/methods/imbotV2/userTriggers');

const status = packageBuildStatus();
if (!status.built) throw new Error(`messenger e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const TYPE = 'n8n-nodes-bitrix24-chat.bitrix24MessengerTrigger';
const WF = 'e2eMessenger';
const NODE = 'My Chats';
/** Boris, Clara, David and Eva each write in their private chat with Anna (user 1, the webhook's user). */
const WRITERS = [2, 3, 4, 5];

async function until(what, fn, timeoutMs = 60000) {
	const t0 = Date.now();
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await sleep(300);
	}
}

describe('Bitrix24 Messenger Trigger in a running n8n', () => {
	let sb;
	let n8n;
	let sent = 0;

	const reads = () => sb.log().filter((e) => String(e.method).toLowerCase() === 'im.v2.event.get');
	/** Messages `from`..`to` (exclusive), round-robin over the writers: text `w<user>-<n>`. */
	function writeMessages(count) {
		for (let i = 0; i < count; i++, sent++) {
			const writer = WRITERS[sent % WRITERS.length];
			users.message(sb.portal, writer, { dialogId: '1', text: `w${writer}-${sent}` });
		}
	}
	/** Finished executions of the workflow, oldest first, from n8n's database (the REST list pages 100 at a time, with a
	 * paging scheme that differs between 2.0.3 and 2.41.1). */
	async function finished() {
		const { rows } = await n8n.sqlite('query', [`SELECT id, status FROM execution_entity WHERE workflowId = '${WF}' ORDER BY id`]);
		return rows.filter((e) => e.status && !['new', 'running', 'waiting'].includes(e.status));
	}
	/** The trigger items of every finished execution, in start order. */
	async function delivered() {
		const list = await finished();
		const out = [];
		for (const e of list) out.push((await n8n.getExecution(e.id)).outputOf(NODE));
		return out;
	}

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		const creds = sandboxCredentials(sb, { clientId: 'n8n-e2e-messenger' });
		await n8n.importCredentials(creds.list);
		await n8n.importWorkflow({
			id: WF,
			name: 'E2E Messenger Trigger',
			nodes: [
				{
					id: `${WF}-t`,
					name: NODE,
					type: TYPE,
					typeVersion: 1,
					position: [0, 0],
					parameters: { authentication: 'webhook', events: ['ONIMV2MESSAGEADD'], options: {} },
					credentials: credentialRef(creds.webhook),
				},
			],
			connections: {},
		});
		await n8n.start();
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	test('activation subscribes the user; 200 messages, n8n stopped, 200 more, started: 400 executions, each once, in order per chat', async () => {
		await n8n.activateWorkflow(WF);
		await until('the subscription', () => sb.state.imbotV2.subscribers.has(1));
		writeMessages(200);
		users.message(sb.portal, 1, { dialogId: '2', text: 'my own' }); // Anna's own message: no execution
		await until('200 executions', async () => (await finished()).length >= 200, 240000);
		await n8n.stop();
		writeMessages(200);
		await n8n.start();
		await until('400 executions', async () => (await finished()).length >= 400, 240000);
		// the queue drains (acknowledged) and nothing more runs
		await until('the queue acknowledged', () => (sb.state.imbotV2.queues.get('user:1') || { events: [] }).events.length === 0, 60000);
		const items = await delivered();
		expect(items.length).toBe(400);
		expect(items.every((run) => run.length === 1)).toBe(true);
		const texts = items.map(([item]) => item.text);
		expect(new Set(texts).size).toBe(400);
		expect(texts).not.toContain('my own');
		for (const writer of WRITERS) {
			const mine = texts.filter((t) => t.startsWith(`w${writer}-`)).map((t) => Number(t.split('-')[1]));
			expect(mine).toHaveLength(100);
			expect(mine).toEqual([...mine].sort((a, b) => a - b));
		}
		// order is kept per chat; chats run side by side, so the first execution may be any writer's: check the item shape
		// on the first execution of the first writer
		const first = items.map(([item]) => item).find((item) => String(item.text).startsWith(`w${WRITERS[0]}-`));
		expect(first).toMatchObject({ event: 'ONIMV2MESSAGEADD', dialogId: String(WRITERS[0]), user: { id: WRITERS[0] } });
	});

	test('deactivation stops every read within 1 s; the user stays subscribed (messages keep being recorded)', async () => {
		await until('a read after activation', () => reads().length > 0);
		await n8n.deactivateWorkflow(WF);
		const stoppedAt = Date.now();
		await sleep(1000);
		const last = reads().at(-1);
		const settled = reads().length;
		await sleep(6000); // longer than the 5 s quiet interval: a live loop would have read again
		expect(reads().length).toBe(settled);
		expect(Date.parse(last.at)).toBeLessThanOrEqual(stoppedAt + 1000);
		expect(sb.state.imbotV2.subscribers.has(1)).toBe(true);
	});
});
