/* The live engine's waits leave no listener behind (n8n-workflow 2.0.x's sleepWithAbort leaked one per pause), and
 * its hand-over keeps order per chat: the next run of a chat is emitted only after the previous run of that chat was
 * taken, also across a reactivation; other chats run in parallel. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import { getEventListeners } from 'node:events';
import type { IDeferredPromise, INodeType, IRun, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import type { LiveBatch, LiveEvent, LiveSource, LiveState } from '../../../nodes/Bitrix24/events/live';
import { handOver, LIVE_TIMING, pause, startLive } from '../../../nodes/Bitrix24/events/live';
import { triggerHarness } from './liveHarness';

const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

function deferred(): IDeferredPromise<IRun> {
	let resolve: (v: IRun) => void = () => undefined;
	let reject: (e: Error) => void = () => undefined;
	const promise = new Promise<IRun>((res, rej) => ((resolve = res), (reject = rej)));
	return { promise, resolve, reject };
}

/** A trigger context whose runs end at once. */
function instantCtx(): { ctx: ITriggerFunctions; emits: number } {
	const out = { emits: 0, ctx: undefined as unknown as ITriggerFunctions };
	out.ctx = {
		helpers: { createDeferredPromise: deferred, returnJsonArray: (items: any[]) => items.map((json) => ({ json })) },
		emit: (_data: unknown, _response: unknown, done?: IDeferredPromise<IRun>) => {
			out.emits++;
			void Promise.resolve().then(() => done?.resolve({} as IRun));
		},
	} as any;
	return out;
}

describe('waits leave no listener on the loop signal', () => {
	test('500 pauses on one AbortSignal leave at most 1 abort listener', async () => {
		const controller = new AbortController();
		for (let i = 0; i < 500; i++) await pause(1, controller.signal);
		expect(listeners(controller.signal)).toBeLessThanOrEqual(1);
	});

	test('a pause ends at once on abort, and when its `until` settles', async () => {
		const controller = new AbortController();
		const waiting = pause(60_000, controller.signal);
		controller.abort();
		await waiting;
		const other = new AbortController();
		await pause(60_000, other.signal, Promise.resolve());
		expect(listeners(other.signal)).toBe(0);
	});

	test('300 hand-overs on one signal leave at most 1 abort listener', async () => {
		const controller = new AbortController();
		const { ctx } = instantCtx();
		const state: LiveState = {};
		for (let i = 0; i < 300; i++) {
			const batch: LiveBatch = { events: [{ id: String(i), items: [{ i }], orderKey: 'chat' }], read: 1, hasMore: false };
			await handOver(ctx, state, batch, controller.signal);
		}
		expect(listeners(controller.signal)).toBeLessThanOrEqual(1);
	});
});

interface Script {
	batches: LiveBatch[];
	acks: LiveBatch[];
}

function source(script: Script): LiveSource {
	return {
		key: 'order',
		read: async () => script.batches.shift() ?? { events: [], read: 0, hasMore: false },
		acknowledge: async (batch) => {
			script.acks.push(batch);
		},
		peek: async () => [],
	};
}

function nodeWith(script: Script): INodeType {
	return {
		description: { displayName: 'Live', name: 'liveOrder', group: ['trigger'], version: 1, description: '', defaults: {}, inputs: [], outputs: ['main'], properties: [] } as any,
		async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
			const state = this.getWorkflowStaticData('node') as LiveState;
			return await startLive(this, { source: source(script), state, idleMs: 5000, name: 'Live', describeError: (e) => String(e) });
		},
	};
}

const event = (id: string, chat: string): LiveEvent => ({ id, items: [{ id, chat }], orderKey: chat });

async function until(check: () => boolean, what: string): Promise<void> {
	for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
	if (!check()) throw new Error(`timed out waiting for ${what}`);
}

test('per chat, the next run is emitted only after the previous run of that chat was taken; other chats in parallel', async () => {
	const script: Script = { batches: [{ events: [event('1', 'a'), event('2', 'b'), event('3', 'a'), event('4', 'a')], read: 4, hasMore: false }], acks: [] };
	const h = triggerHarness(nodeWith(script), { parameters: {} });
	h.hold();
	await h.start();
	await h.waitForExecutions(2);
	await new Promise((r) => setTimeout(r, 50));
	const ids = () => h.executions.map((e) => e.items[0].id);
	expect(ids()).toEqual(['1', '2']); // chat a's second event waits for its first run
	h.executions[0].done!.resolve({} as IRun);
	await h.waitForExecutions(3);
	await new Promise((r) => setTimeout(r, 50));
	expect(ids()).toEqual(['1', '2', '3']);
	expect(script.acks).toHaveLength(0);
	h.release();
	await h.waitForExecutions(4);
	h.release();
	await until(() => script.acks.length >= 1, 'the acknowledgement');
	expect(ids()).toEqual(['1', '2', '3', '4']);
	await h.close();
});

/** A reactivation: the old loop (`old`) has emitted chat a's event 1 and its run has not ended; the new loop (`next`) reads event 2 of chat a. */
async function reactivated(workflowId: string) {
	const first: Script = { batches: [{ events: [event('1', 'a')], read: 1, hasMore: false }], acks: [] };
	const old = triggerHarness(nodeWith(first), { parameters: {}, workflowId });
	old.hold();
	await old.start();
	await old.waitForExecutions(1);
	const second: Script = { batches: [{ events: [event('2', 'a')], read: 1, hasMore: false }], acks: [] };
	const next = triggerHarness(nodeWith(second), { parameters: {}, workflowId });
	await next.start();
	return { old, next };
}

test('a reactivation emits nothing before the old loop\'s runs were taken', async () => {
	const { old, next } = await reactivated('order-same');
	await new Promise((r) => setTimeout(r, 300));
	expect(next.executions).toHaveLength(0); // the old run of chat a has not ended
	old.release();
	await next.waitForExecutions(1);
	expect(next.executions[0].items[0].id).toBe('2');
	await next.close();
	await old.close();
});

test('a run whose end is never reported holds its chat and the acknowledgement back only LIVE_TIMING.runWaitMs', async () => {
	const saved = LIVE_TIMING.runWaitMs;
	LIVE_TIMING.runWaitMs = 200;
	try {
		const script: Script = { batches: [{ events: [event('1', 'a'), event('2', 'a')], read: 2, hasMore: false }], acks: [] };
		const h = triggerHarness(nodeWith(script), { parameters: {} });
		h.hold();
		await h.start();
		await h.waitForExecutions(2); // the first run's end never came: the second was emitted after the short wait
		expect(h.executions.map((e) => e.items[0].id)).toEqual(['1', '2']);
		// neither end came (n8n 2.0.x in queue mode can miss a job's completion): the batch is acknowledged at the bound
		await until(() => script.acks.length >= 1, 'the acknowledgement without any reported end');
		h.release();
		await h.close();
	} finally {
		LIVE_TIMING.runWaitMs = saved;
	}
});

test("a reactivation waits for the old loop's unreported run only LIVE_TIMING.runWaitMs", async () => {
	const saved = LIVE_TIMING.runWaitMs;
	LIVE_TIMING.runWaitMs = 300;
	try {
		const { old, next } = await reactivated('order-bound');
		await next.waitForExecutions(1); // the old run never reported its end
		expect(next.executions[0].items[0].id).toBe('2');
		await next.close();
		old.release();
		await old.close();
	} finally {
		LIVE_TIMING.runWaitMs = saved;
	}
});
