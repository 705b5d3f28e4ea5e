import * as n8nWorkflow from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

type AbortableSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * n8n-workflow's sleepWithAbort where the running n8n has it (n8n 2.0.x); n8n 2.41's n8n-workflow no longer exports
 * it, so there the wait races n8n-workflow's sleep (in slices of at most 1 s) against the abort signal: the loop goes
 * on at once when aborted.
 */
const sleepWithAbort = (n8nWorkflow as { sleepWithAbort?: AbortableSleep }).sleepWithAbort;

/** Waits `ms`, or less when `signal` aborts; never throws. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
	if (signal.aborted) return;
	if (ms <= 0) return;
	if (typeof sleepWithAbort === 'function') {
		try {
			await sleepWithAbort(ms, signal);
		} catch {
			// aborted
		}
		return;
	}
	// in slices, so no long timer outlives an abort
	const until = Date.now() + ms;
	for (let left = ms; left > 0 && !signal.aborted; left = until - Date.now()) await untilAborted(sleep(Math.min(left, 1000)), signal);
}

/** `promise`, or undefined as soon as `signal` aborts (whichever comes first). */
export async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
	if (signal.aborted) return undefined;
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<undefined>((resolve) => {
		onAbort = () => resolve(undefined);
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([promise, aborted]);
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
	}
}
