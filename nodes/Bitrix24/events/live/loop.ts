import type { IDataObject, INodeExecutionData, IRun, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { deliveredSet, rememberDelivered } from './delivered';
import { claimReader, releaseReader } from './readers';
import { activityAtStart, errorPause, LIVE_TIMING, nextPause } from './schedule';
import type { LiveBatch, LiveEvent, LiveSource, LiveState } from './source';
import { pause, untilAborted } from './wait';

/**
 * The live delivery engine of the fetch triggers: a long-running trigger() loop (the way n8n's MQTT, RabbitMQ, Kafka
 * and IMAP triggers run) instead of n8n's poller, which cannot run more often than once a minute.
 *
 * - One execution per event, emitted in queue order; in order per chat: the next run of a chat is emitted after the
 *   previous run of that chat was taken (handOver), also across a reactivation (the new loop waits for the old
 *   loop's runs). The batch is acknowledged (LiveSource.acknowledge) only when
 *   n8n has taken every run of it: emit's donePromise, which n8n settles when the run has ended (successfully or
 *   not; in queue mode when the worker reports the job done). emit's responsePromise is not used: n8n treats a run
 *   that has one as waiting for a webhook response and cancels it when n8n shuts down. A failed run is taken all the
 *   same, so it never blocks the queue; a run whose end is not reported within LIVE_TIMING.runWaitMs of its emit is
 *   taken as well (n8n 2.0.x leaves donePromise unsettled when it refuses to start a run, and in queue mode misses
 *   some job completions).
 * - Ids handed over are remembered in the node's static data before each emit. n8n saves a trigger's static data
 *   only after activation and at each emit (not on close), so what an acknowledgement changes is saved with the
 *   next emit; after a restart the remembered ids drop what the portal hands out again.
 * - Timing (schedule.ts): at once after events, ≥ 2 s while hasMore, quick during a conversation (and for a while
 *   after the workflow was published), 5–30 s idle; every
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

/** The signal of the bound on a run's wait, which the stop does not cut short. */
const NEVER_STOPPED = new AbortController().signal;

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
	const runs = new Set<Promise<void>>();
	const track = (taken: Promise<void>) => {
		runs.add(taken);
		void taken.then(() => runs.delete(taken));
	};
	const reader = {
		stop: () => controller.abort(),
		ended: new Promise<void>((resolve) => (ended = resolve)),
		pending: async () => await Promise.all([...runs]),
	};
	const previous = await claimReader(key, reader);
	// the old loop's runs not taken yet come first (order per chat; each is bounded by LIVE_TIMING.runWaitMs)
	void (previous ? untilAborted(previous.pending(), signal) : Promise.resolve())
		.then(async () => await runLoop(ctx, options, signal, track))
		.catch((error) => ctx.logger.error(`${options.name}: the live loop stopped: ${options.describeError(error)}`))
		.finally(() => {
			releaseReader(key, reader);
			ended();
		});
	return {
		closeFunction: async () => {
			controller.abort();
			await pause(CLOSE_WAIT_MS, new AbortController().signal, reader.ended);
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

async function runLoop(ctx: ITriggerFunctions, options: LiveTriggerOptions, signal: AbortSignal, track: (taken: Promise<void>) => void): Promise<void> {
	let failures = 0;
	let lastActivity = activityAtStart(ctx.getActivationMode(), Date.now());
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
		const emitted = await handOver(ctx, options.state, batch, signal, track);
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
 * Emits each new event of the batch as its own execution and waits until n8n has taken them all: each run ended, or
 * LIVE_TIMING.runWaitMs after its emit when its end is not reported. Order per chat: events of one chat
 * (LiveEvent.orderKey) form a chain, the next run of a chat is emitted only after the previous run of that chat was
 * taken, so its execution is created after the previous one (n8n creates an execution asynchronously after emit: two
 * runs emitted back to back are not guaranteed to be created, or to run, in emit order). Different chats run in
 * parallel; an event without an orderKey is not held back. `inFlight` is told of every run not taken yet.
 * Returns how many executions were started.
 */
export async function handOver(
	ctx: ITriggerFunctions,
	state: LiveState,
	batch: LiveBatch,
	signal: AbortSignal,
	inFlight?: (taken: Promise<void>) => void,
): Promise<number> {
	const delivered = deliveredSet(state);
	let emitted = 0;
	/** Emits the event; resolves when its run is taken (ended, or LIVE_TIMING.runWaitMs), or at the stop. */
	const emitOne = async (event: LiveEvent): Promise<void> => {
		if (signal.aborted || delivered.has(event.id)) return;
		delivered.add(event.id);
		rememberDelivered(state, [event.id]); // saved by n8n with this emit
		if (event.items.length === 0) return;
		const done = ctx.helpers.createDeferredPromise<IRun>();
		ctx.emit([toItems(ctx, event.items)], undefined, done);
		emitted++;
		const ended = done.promise.then(
			() => undefined,
			() => undefined,
		);
		// bounded on its own (not by the stop): a reactivation's new loop waits for it, and no run is tracked forever
		const taken = pause(LIVE_TIMING.runWaitMs, NEVER_STOPPED, ended);
		inFlight?.(taken);
		await untilAborted(taken, signal);
	};
	const chains = new Map<string, Promise<void>>();
	const loose: Array<Promise<void>> = [];
	for (const event of batch.events) {
		if (event.orderKey === undefined || event.orderKey === '') {
			loose.push(emitOne(event));
			continue;
		}
		const previous = chains.get(event.orderKey);
		chains.set(event.orderKey, previous ? previous.then(async () => await emitOne(event)) : emitOne(event));
	}
	// every run taken: the batch may be acknowledged
	await Promise.all([...loose, ...chains.values()]);
	return emitted;
}
