import { sleep } from 'n8n-workflow';

/**
 * Abortable waits that leave nothing behind. n8n-workflow's sleepWithAbort (n8n 2.0.x) never removes its abort
 * listener when the pause ends, so a loop pausing on one long-lived signal gains a listener per pause (Node warns
 * MaxListenersExceeded within a minute); n8n 2.41's n8n-workflow no longer has it. These waits build on
 * n8n-workflow's sleep in slices of at most SLICE_MS (no long timer outlives an abort) and remove every listener
 * they add before they return.
 */
const SLICE_MS = 1000;

/** Waits `ms`, or less when `signal` aborts or `until` settles; never throws; adds no lasting listener to `signal`. */
export async function pause(ms: number, signal: AbortSignal, until?: Promise<unknown>): Promise<void> {
	if (signal.aborted || ms <= 0) return;
	let settled = false;
	const over = until?.then(
		() => (settled = true),
		() => (settled = true),
	);
	const end = Date.now() + ms;
	for (let left = ms; left > 0 && !signal.aborted && !settled; left = end - Date.now()) {
		const slice = sleep(Math.min(left, SLICE_MS));
		await untilAborted(over ? Promise.race([slice, over]) : slice, signal);
	}
}

/** `promise`, or undefined as soon as `signal` aborts (whichever comes first); its abort listener is removed either way. */
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
