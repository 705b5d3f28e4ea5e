/* The live engine (nodes/Bitrix24/events/live) with a scripted source: one execution per event in order, the
 * acknowledgement only after n8n has taken the runs (donePromise), failed runs never block, remembered ids across
 * a restart, the stop, one reader per workflow, and the timing rules as pure functions. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import type { INodeType, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import type { LiveBatch, LiveSource, LiveState } from '../../../nodes/Bitrix24/events/live';
import { activeReaders, activityAtStart, errorPause, LIVE_TIMING, nextPause, startLive } from '../../../nodes/Bitrix24/events/live';
import { triggerHarness } from './liveHarness';

interface Script {
	batches: LiveBatch[];
	reads: number;
	acks: LiveBatch[];
	fail?: number;
}

function scriptedSource(script: Script): LiveSource {
	return {
		key: 'test',
		read: async () => {
			script.reads++;
			if (script.fail && script.fail-- > 0) throw new Error('portal down');
			return script.batches.shift() ?? { events: [], read: 0, hasMore: false };
		},
		acknowledge: async (batch) => {
			script.acks.push(batch);
		},
		peek: async () => [{ id: 'p1', items: [{ peek: true }] }],
	};
}

function nodeWith(script: Script, idleMs = 5000): INodeType {
	return {
		description: { displayName: 'Live', name: 'liveTest', group: ['trigger'], version: 1, description: '', defaults: {}, inputs: [], outputs: ['main'], properties: [] } as any,
		async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
			const state = this.getWorkflowStaticData('node') as LiveState;
			return await startLive(this, { source: scriptedSource(script), state, idleMs, name: 'Live', describeError: (e) => String((e as Error).message) });
		},
	};
}

const batch = (ids: string[], hasMore = false): LiveBatch => ({ events: ids.map((id) => ({ id, items: [{ id }] })), read: ids.length, hasMore });

async function until(check: () => boolean, what: string): Promise<void> {
	for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
	if (!check()) throw new Error(`timed out waiting for ${what}`);
}

test('one execution per event, in queue order; the batch is acknowledged only after every run was taken', async () => {
	const script: Script = { batches: [batch(['1', '2', '3'])], reads: 0, acks: [] };
	const h = triggerHarness(nodeWith(script), { parameters: {} });
	h.hold();
	await h.start();
	await h.waitForExecutions(3);
	expect(h.executions.map((e) => e.items)).toEqual([[{ id: '1' }], [{ id: '2' }], [{ id: '3' }]]);
	await new Promise((r) => setTimeout(r, 50));
	expect(script.acks).toHaveLength(0); // runs not finished: nothing acknowledged
	expect(h.saved().node).toBeUndefined();
	expect((h.saved()['node:Live Trigger'] as any).delivered).toEqual(['1', '2', '3']); // saved with the emits
	h.release();
	await until(() => script.acks.length >= 1, 'the acknowledgement');
	expect(script.acks[0].events.map((e) => e.id)).toEqual(['1', '2', '3']);
	await h.close();
});

test('a failed run (donePromise rejected) is taken all the same: the queue moves on', async () => {
	const script: Script = { batches: [batch(['1']), batch(['2'])], reads: 0, acks: [] };
	const h = triggerHarness(nodeWith(script), { parameters: {} });
	h.hold();
	await h.start();
	await h.waitForExecutions(1);
	h.executions[0].done!.reject(new Error('the workflow failed'));
	await h.waitForExecutions(2);
	h.release();
	await until(() => script.acks.length >= 2, 'both acknowledgements');
	await h.close();
});

test('ids handed over before a restart are not handed over again', async () => {
	const script: Script = { batches: [batch(['1', '2'])], reads: 0, acks: [] };
	const h = triggerHarness(nodeWith(script), { parameters: {} });
	h.hold(); // n8n stops before the runs end: nothing acknowledged
	await h.start();
	await h.waitForExecutions(2);
	await h.close();
	h.release(); // n8n's shutdown lets running executions end
	const again: Script = { batches: [batch(['1', '2', '3'])], reads: 0, acks: [] };
	const restarted = triggerHarness(nodeWith(again), { parameters: {}, staticData: h.saved(), workflowId: h.workflow.id });
	await restarted.start();
	await restarted.waitForExecutions(1);
	await until(() => again.acks.length >= 1, 'the acknowledgement');
	expect(restarted.executions.map((e) => e.items)).toEqual([[{ id: '3' }]]);
	await restarted.close();
});

test('closing stops the loop at once: no read starts after closeFunction', async () => {
	const script: Script = { batches: [], reads: 0, acks: [] };
	const h = triggerHarness(nodeWith(script, 5000), { parameters: {} });
	await h.start();
	await until(() => script.reads >= 1, 'the first read');
	await h.close();
	const reads = script.reads;
	await new Promise((r) => setTimeout(r, 1200)); // longer than the active interval
	expect(script.reads).toBe(reads);
	expect(activeReaders()).toBe(0);
});

test('a failing read backs off instead of spinning, and reads again later', async () => {
	const script: Script = { batches: [batch(['1'])], reads: 0, acks: [], fail: 1 };
	const h = triggerHarness(nodeWith(script), { parameters: {} });
	await h.start();
	await until(() => script.reads >= 1, 'the first read');
	await new Promise((r) => setTimeout(r, 300));
	expect(script.reads).toBe(1); // waiting out the back-off
	expect(h.logs.some((l) => l.level === 'warn' && /portal down/.test(l.message))).toBe(true);
	await h.waitForExecutions(1, 10_000);
	await h.close();
});

test('exactly one reader per workflow trigger: a second activation stops the first loop', async () => {
	const first: Script = { batches: [], reads: 0, acks: [] };
	const second: Script = { batches: [], reads: 0, acks: [] };
	const a = triggerHarness(nodeWith(first), { parameters: {}, workflowId: 'same' });
	const b = triggerHarness(nodeWith(second), { parameters: {}, workflowId: 'same' });
	await a.start();
	await until(() => first.reads >= 1, 'the first reader');
	await b.start();
	const reads = first.reads;
	await until(() => second.reads >= 1, 'the second reader');
	await new Promise((r) => setTimeout(r, 1200));
	expect(first.reads).toBe(reads);
	expect(activeReaders()).toBe(1);
	await b.close();
	await a.close();
});

test('a test run (manual) peeks and emits once, acknowledging nothing', async () => {
	const script: Script = { batches: [], reads: 0, acks: [] };
	const h = triggerHarness(nodeWith(script), { parameters: {} });
	const response = await h.start('manual');
	await response.manualTriggerFunction!();
	expect(h.executions.map((e) => e.items)).toEqual([[{ peek: true }]]);
	expect(script.reads).toBe(0);
	expect(script.acks).toHaveLength(0);
	await h.close();
});

describe('timing', () => {
	const quiet = { emitted: 0, read: 0, hasMore: false };
	test('at once after new events, the documented 2 s while hasMore, quick in a conversation, decaying to the idle interval', () => {
		expect(nextPause({ emitted: 3, read: 3, hasMore: false }, 0, 1000, 5000)).toBe(0);
		expect(nextPause({ emitted: 3, read: 100, hasMore: true }, 0, 1000, 5000)).toBe(LIVE_TIMING.hasMorePauseMs);
		expect(LIVE_TIMING.hasMorePauseMs).toBeGreaterThanOrEqual(2000);
		expect(nextPause(quiet, 5000, 1000, 5000)).toBe(LIVE_TIMING.activeMs);
		let pause = LIVE_TIMING.activeMs;
		const seen: number[] = [];
		for (let i = 0; i < 10; i++) seen.push((pause = nextPause(quiet, 60_000, pause, 5000)));
		expect(seen[seen.length - 1]).toBe(5000);
		expect([...seen].sort((a, b) => a - b)).toEqual(seen);
	});
	test('a workflow just published is read quickly for the active window (it is about to be tried); at n8n start-up the loop starts quiet', () => {
		const now = 1_000_000;
		for (const mode of ['activate', 'update', 'create']) {
			const since = now + 3000 - activityAtStart(mode, now); // an empty read 3 s after publishing
			expect(nextPause(quiet, since, LIVE_TIMING.activeMs, 5000)).toBe(LIVE_TIMING.activeMs);
		}
		for (const mode of ['init', 'leadershipChange']) {
			let pause = LIVE_TIMING.activeMs;
			for (let i = 0; i < 10; i++) pause = nextPause(quiet, now + 3000 - activityAtStart(mode, now), pause, 5000);
			expect(pause).toBe(5000);
		}
	});
	test('the idle interval stays inside 5–30 s; a repeat-only read is not "at once"', () => {
		expect(nextPause(quiet, 60_000, 60_000, 1000)).toBe(5000);
		expect(nextPause(quiet, 60_000, 60_000, 90_000)).toBe(30_000);
		expect(nextPause({ emitted: 0, read: 50, hasMore: false }, 60_000, 1000, 5000)).toBeGreaterThan(0);
	});
	test('errors back off exponentially (capped) and wait for OPERATION_TIME_LIMIT to reset', () => {
		const fixed = () => 0.5;
		expect(errorPause(1, undefined, 0, fixed)).toBe(2000);
		expect(errorPause(3, undefined, 0, fixed)).toBe(8000);
		expect(errorPause(30, undefined, 0, fixed)).toBe(LIVE_TIMING.errorMaxMs);
		expect(errorPause(1, 120_000, 0, fixed)).toBe(120_250);
	});
});
