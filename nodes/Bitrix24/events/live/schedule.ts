/**
 * When the live loop reads next. Bitrix24's fetch-mode guidance: read again at once while there is work, pause at
 * least 2 s between reads while `hasMore` says a backlog is being drained, and read every 5–30 s when idle. In
 * between, a conversation in progress is read quickly: for ACTIVE_WINDOW_MS after the last event (or after the
 * workflow was published: activityAtStart) every ACTIVE_MS, then the pause grows by DECAY per empty read up to the
 * idle interval.
 */
export const LIVE_TIMING = {
	/** Pause between reads while the portal says hasMore (documented minimum 2 s). */
	hasMorePauseMs: 2000,
	/** Pause between reads during a conversation. */
	activeMs: 1000,
	/** How long after the last event the conversation counts as active. */
	activeWindowMs: 20_000,
	/** Growth of the pause per empty read after the active window. */
	decay: 1.5,
	/** Idle interval: default, and the documented range. */
	idleMs: 5000,
	minIdleMs: 5000,
	maxIdleMs: 30_000,
	/** Error back-off: first pause, cap. */
	errorBaseMs: 2000,
	errorMaxMs: 60_000,
	/**
	 * Longest wait for a run's end. The chat's next run and the batch's acknowledgement wait for the run to end, but
	 * no longer than this after its emit. The order is only sure once the previous run has ended: on a loaded machine
	 * n8n took more than 10 s to create or finish a run, and a chat's next run, emitted at 10 s, got the earlier
	 * execution (CI, n8n 2.41.1, load 9). The bound is for a run whose end n8n never reports (n8n 2.0.x in queue mode
	 * misses some job completions; it leaves donePromise unsettled when it refuses to start a run); a run longer than
	 * this no longer holds back the next events.
	 */
	runWaitMs: 60_000,
};

export interface ReadOutcome {
	/** Events handed to n8n by this read. */
	emitted: number;
	/** Records read (any > 0: something happened). */
	read: number;
	hasMore: boolean;
}

/** The pause before the next read, from what the last read found. Never negative; 0 only right after new events were handed over. */
export function nextPause(outcome: ReadOutcome, sinceActivityMs: number, lastPauseMs: number, idleMs: number): number {
	const idle = clampIdle(idleMs);
	if (outcome.hasMore) return LIVE_TIMING.hasMorePauseMs;
	if (outcome.emitted > 0) return 0;
	if (outcome.read > 0 || sinceActivityMs < LIVE_TIMING.activeWindowMs) return LIVE_TIMING.activeMs;
	return Math.min(idle, Math.max(LIVE_TIMING.activeMs, Math.round(lastPauseMs * LIVE_TIMING.decay)));
}

/**
 * When the conversation counts as started at the loop's start: a workflow just published (or saved while active) is
 * about to be tried, so it is read quickly for the active window from the start; at n8n's start-up (and any other
 * activation) the loop starts quiet, so restarting n8n with many live triggers causes no burst of reads.
 */
export function activityAtStart(activationMode: string, now: number): number {
	return ['activate', 'update', 'create'].includes(activationMode) ? now : -Infinity;
}

/** The idle interval kept inside the documented 5–30 s. */
export function clampIdle(ms: number): number {
	if (!Number.isFinite(ms)) return LIVE_TIMING.idleMs;
	return Math.min(LIVE_TIMING.maxIdleMs, Math.max(LIVE_TIMING.minIdleMs, ms));
}

/** Back-off after `failures` failed reads in a row (1, 2, …), with ±25 % jitter; `resetAtMs` (OPERATION_TIME_LIMIT) wins when later. */
export function errorPause(failures: number, resetAtMs?: number, now = Date.now(), random = Math.random): number {
	const base = Math.min(LIVE_TIMING.errorMaxMs, LIVE_TIMING.errorBaseMs * 2 ** Math.max(0, failures - 1));
	const jittered = Math.round(base * (0.75 + random() * 0.5));
	const untilReset = resetAtMs !== undefined && Number.isFinite(resetAtMs) ? Math.min(15 * 60_000, resetAtMs - now + 250) : 0;
	return Math.max(jittered, untilReset);
}
