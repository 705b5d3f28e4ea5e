import type { IDataObject, INodeExecutionData, IRun, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { deliveredSet, rememberDelivered } from './delivered';
import { claimReader, releaseReader } from './readers';
import { errorPause, LIVE_TIMING, nextPause } from './schedule';
import type { LiveBatch, LiveSource, LiveState } from './source';
import { pause, untilAborted } from './wait';

/**
 * The live delivery engine of the fetch triggers: a long-running trigger() loop (the way n8n's MQTT, RabbitMQ, Kafka
 * and IMAP triggers run) instead of n8n's poller, which cannot run more often than once a minute.
 *
 * - One execution per event, emitted in queue order; the batch is acknowledged (LiveSource.acknowledge) only when
 *   n8n has taken every run of it: emit's donePromise, which n8n settles when the run has ended (successfully or
 *   not; in queue mode when the worker reports the job done). emit's responsePromise is no such signal: n8n resolves
 *   it only when a node sends a webhook response. A failed run is taken all the same, so it never blocks the queue;
 *   a run that has not ended after LIVE_TIMING.takenTimeoutMs is taken as well (n8n 2.0.x leaves donePromise
 *   unsettled when it refuses to start a run).
 * - Ids handed over are remembered in the node's static data before each emit. n8n saves a trigger's static data
 *   only after activation and at each emit (not on close), so what an acknowledgement changes is saved with the
 *   next emit; after a restart the remembered ids drop what the portal hands out again.
 * - Timing (schedule.ts): at once after events, ≥ 2 s while hasMore, quick during a conversation, 5–30 s idle; every
 *   request goes through the transport's per-portal pacer shared with the action nodes; errors back off, honouring
 *   OPERATION_TIME_LIMIT's reset time.
 * - closeFunction (deactivation, n8n stopping) aborts the loop: no read starts after it, no batch is acknowledged
 *   after it, and every pause ends at once.
 */
export interface LiveTriggerOptions {
	source: LiveSource;
	/** The node's static data (ctx.getWorkflowStaticData('node')). */
	state: LiveState;
	/** The idle interval (5–30 s). */
	idleMs: number;
	/** The trigger's name for log lines. */
	name: string;
	/** A read error as a sentence for the log (secrets redacted). */
	describeError: (error: unknown) => string;
	/** When a read error is OPERATION_TIME_LIMIT: the time (ms) its limit resets. */
	resetAtOf?: (error: unknown) => number | undefined;
}

/** How long closeFunction waits for the loop to notice the stop (a request in flight is not cut off). */
const CLOSE_WAIT_MS = 500;

export async function startLive(ctx: ITriggerFunctions, options: LiveTriggerOptions): Promise<ITriggerResponse> {
	const controller = new AbortController();
	const { signal } = controller;
	if (ctx.getMode() === 'manual') {
		return {
			manualTriggerFunction: async () => await peekUntilEvents(ctx, options.source, signal),
			closeFunction: async () => controller.abort(),
		};
	}
	await options.source.prepare?.();
	const key = `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id ?? ctx.getNode().name}`;
	let ended: () => void = () => undefined;
	const reader = { stop: () => controller.abort(), ended: new Promise<void>((resolve) => (ended = resolve)) };
	await claimReader(key, reader);
	void runLoop(ctx, options, signal)
		.catch((error) => ctx.logger.error(`${options.name}: the live loop stopped: ${options.describeError(error)}`))
		.finally(() => {
			releaseReader(key, reader);
			ended();
		});
	return {
		closeFunction: async () => {
			controller.abort();
			const bound = new AbortController();
			await Promise.race([reader.ended, pause(CLOSE_WAIT_MS, bound.signal)]);
			bound.abort();
		},
	};
}

/** A test run in the editor: waits (reading every 2 s, acknowledging nothing) for the first events and emits them once. */
async function peekUntilEvents(ctx: ITriggerFunctions, source: LiveSource, signal: AbortSignal): Promise<void> {
	while (!signal.aborted) {
		const items = (await source.peek()).flatMap((event) => event.items);
		if (signal.aborted) return;
		if (items.length) {
			ctx.emit([toItems(ctx, items)]);
			return;
		}
		await pause(LIVE_TIMING.hasMorePauseMs, signal);
	}
}

function toItems(ctx: ITriggerFunctions, items: IDataObject[]): INodeExecutionData[] {
	return ctx.helpers.returnJsonArray(items);
}

async function runLoop(ctx: ITriggerFunctions, options: LiveTriggerOptions, signal: AbortSignal): Promise<void> {
	let failures = 0;
	let lastActivity = -Infinity;
	let lastPause: number = LIVE_TIMING.activeMs;
	while (!signal.aborted) {
		let batch: LiveBatch;
		try {
			batch = await options.source.read();
		} catch (error) {
			if (signal.aborted) return;
			failures++;
			const wait = errorPause(failures, options.resetAtOf?.(error));
			ctx.logger.warn(`${options.name}: reading the event queue failed (${options.describeError(error)}). Next try in ${Math.ceil(wait / 1000)} s.`);
			await pause(wait, signal);
			continue;
		}
		if (signal.aborted) return;
		const emitted = await handOver(ctx, options.state, batch, signal);
		if (signal.aborted) return; // not acknowledged: the remembered ids cover what was handed over
		try {
			await options.source.acknowledge(batch);
			failures = 0;
		} catch (error) {
			if (signal.aborted) return;
			failures++;
			const wait = errorPause(failures, options.resetAtOf?.(error));
			ctx.logger.warn(`${options.name}: acknowledging events failed (${options.describeError(error)}); they are acknowledged on a later read. Next try in ${Math.ceil(wait / 1000)} s.`);
			await pause(wait, signal);
			continue;
		}
		const now = Date.now();
		if (batch.events.length > 0) lastActivity = now;
		const wait = nextPause({ emitted, read: batch.read, hasMore: batch.hasMore }, now - lastActivity, lastPause, options.idleMs);
		lastPause = Math.max(wait, LIVE_TIMING.activeMs);
		await pause(wait, signal);
	}
}

/**
 * Emits each new event of the batch as its own execution (in order) and waits until n8n has taken them all.
 * Returns how many executions were started.
 */
export async function handOver(ctx: ITriggerFunctions, state: LiveState, batch: LiveBatch, signal: AbortSignal): Promise<number> {
	const delivered = deliveredSet(state);
	const taken: Array<Promise<void>> = [];
	for (const event of batch.events) {
		if (signal.aborted) break;
		if (delivered.has(event.id)) continue;
		delivered.add(event.id);
		rememberDelivered(state, [event.id]); // saved by n8n with this emit
		if (event.items.length === 0) continue;
		const done = ctx.helpers.createDeferredPromise<IRun>();
		ctx.emit([toItems(ctx, event.items)], undefined, done);
		taken.push(done.promise.then(
			() => undefined,
			() => undefined,
		));
	}
	if (taken.length) {
		const timeout = new AbortController();
		const all = Promise.all(taken).then(() => timeout.abort());
		await untilAborted(Promise.race([all, pause(LIVE_TIMING.takenTimeoutMs, anySignal(signal, timeout.signal))]), signal);
		timeout.abort();
	}
	return taken.length;
}

function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
	const both = new AbortController();
	const stop = () => both.abort();
	if (a.aborted || b.aborted) both.abort();
	a.addEventListener('abort', stop, { once: true });
	b.addEventListener('abort', stop, { once: true });
	return both.signal;
}
