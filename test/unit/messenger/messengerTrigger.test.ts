/* The Bitrix24 Messenger Trigger on the live engine, against the sandbox through n8n-core's real TriggerContext:
 * subscribe on activation, one run per message of another user (in order), own messages skipped, acknowledgement
 * by offset, one reader per user, the subscription kept on close unless asked, and a restart resuming. */
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { Bitrix24MessengerTrigger } from '../../../nodes/Bitrix24MessengerTrigger/Bitrix24MessengerTrigger.node';
import { webhookCredentials } from '../../helpers/runNode';
import type { Sandbox } from '../../helpers/sandbox';
import { startSandbox } from '../../helpers/sandbox';
import { triggerHarness } from '../triggers/liveHarness';

let sb: Sandbox;
beforeAll(() => nock.enableNetConnect('127.0.0.1'));
beforeEach(async () => {
	sb = await startSandbox({ port: 0, rate: 0 });
});
afterEach(() => sb.stop());

const node = new Bitrix24MessengerTrigger();
const subscribers = () => (sb.state.imbotV2 as { subscribers: Set<number> }).subscribers;
const queue = () => ((sb.state.imbotV2 as { queues: Map<string, { events: unknown[] }> }).queues.get('user:1') ?? { events: [] }).events;
const reads = () => sb.log().filter((e) => String(e.method).toLowerCase() === 'im.v2.event.get');

function harness(options: IDataObject = {}, extra: { workflowId?: string; staticData?: IDataObject } = {}) {
	return triggerHarness(node, {
		parameters: { authentication: 'webhook', events: ['ONIMV2MESSAGEADD'], options },
		credentials: { bitrix24WebhookApi: webhookCredentials({ webhookSecret: `${sb.url}/rest/1/sandboxwebhook/` }) },
		typeVersion: 1,
		...extra,
	});
}

async function write(userId: number, dialogId: string, text: string): Promise<void> {
	const res = await fetch(`${sb.url}/sandbox/v2/users/${userId}/message`, { method: 'POST', body: JSON.stringify({ dialogId, text }) });
	if (res.status !== 200) throw new Error(await res.text());
}

async function until(check: () => boolean, what: string): Promise<void> {
	for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
	if (!check()) throw new Error(`timed out waiting for ${what}`);
}

test('activation subscribes; other users\' messages start one run each, in order; my own start none; the queue is acknowledged', async () => {
	const h = harness();
	await h.start();
	expect(subscribers().has(1)).toBe(true);
	await write(2, '1', 'hi Anna');
	await write(1, '2', 'my own');
	await write(3, '1', 'from Clara');
	await h.waitForExecutions(2, 10000);
	expect(h.executions.map((e) => e.items)).toEqual([
		[expect.objectContaining({ event: 'ONIMV2MESSAGEADD', dialogId: '2', text: 'hi Anna', user: expect.objectContaining({ id: 2 }) })],
		[expect.objectContaining({ dialogId: '3', text: 'from Clara' })],
	]);
	await until(() => queue().length === 0, 'the acknowledgement');
	expect(h.executions).toHaveLength(2);
	await h.close();
	expect(subscribers().has(1)).toBe(true); // deactivation keeps recording by default
});

test('a second active workflow reading the same user is refused, naming the first', async () => {
	const a = harness({}, { workflowId: 'wfA' });
	await a.start();
	const b = harness({}, { workflowId: 'wfB' });
	await expect(b.start()).rejects.toThrow(/Another active workflow \(ID wfA\) already reads the messenger events of this Bitrix24 user/);
	await a.close();
	const c = harness({}, { workflowId: 'wfC' });
	await c.start(); // free again once the first is closed
	await c.close();
});

test('Stop Recording When Deactivated: unsubscribes on close, and no read happens after the close', async () => {
	const h = harness({ unsubscribe: true });
	await h.start();
	await until(() => reads().length > 0, 'a first read');
	await h.close();
	expect(subscribers().has(1)).toBe(false);
	const after = reads().length;
	await new Promise((r) => setTimeout(r, 300));
	expect(reads().length).toBe(after);
});

test('a restart resumes after what n8n has taken: nothing twice, nothing lost', async () => {
	const h = harness();
	await h.start();
	await write(2, '1', 'one');
	await h.waitForExecutions(1, 10000);
	await h.close();
	await write(2, '1', 'two');
	const again = h.restart();
	await again.start();
	await again.waitForExecutions(1, 10000);
	expect(again.executions.map((e) => e.items[0].text)).toEqual(['two']);
	await again.close();
});
