import { sleep } from 'n8n-workflow';

/**
 * Client side of Bitrix24's leaky bucket (one per portal per process): every request adds 1, the level drains at
 * this process's share of the portal's rate, and a request is sent only when the level stays at or below the burst.
 * Slots are reserved up front, so concurrent callers queue in order instead of racing.
 *
 * Several processes (n8n queue mode: workers, webhook processor, main) share one portal bucket but no memory, so each
 * learns its share from the portal's own signal: a request-rate refusal (503 QUERY_LIMIT_EXCEEDED, or 429 without
 * the operating-time code) means the portal's bucket is full right now. Additive increase, multiplicative decrease
 * (AIMD, as TCP does on loss): every refusal cuts the share to DECREASE of itself (at most once per CUT_INTERVAL_MS,
 * so one overload counts once), and every second of accepted requests gives back INCREASE_PER_S of the configured
 * rate, never above it. Alone, a process stays at the configured rate (it is never refused); N processes settle
 * around rate/N each, with the portal's bucket kept near full, so the portal drains at its full rate. A refused
 * request did not run, so resending it (request.ts) is safe.
 */
interface Bucket {
	level: number;
	updatedAt: number;
	/** Requests per second this process allows itself (AIMD); the configured rate until the portal refuses. */
	share: number;
	shareUpdatedAt: number;
	lastCutAt: number;
}

const buckets = new Map<string, Bucket>();

/** One request of headroom: the portal may have counted a request we did not see. */
const SAFETY_MARGIN = 1;

/** AIMD constants, exported for tests and the bench (which print them beside the figures). */
export const PACING = {
	/** A refusal keeps this fraction of the share. */
	decrease: 0.75,
	/** Fraction of the configured rate given back per second without refusals. */
	increasePerS: 0.03,
	/** Refusals within this window after a cut are the same overload: no further cut. */
	cutIntervalMs: 1000,
	/** The share never falls below this fraction of the configured rate. */
	minShare: 0.05,
};

function bucketOf(key: string, rate: number, now: number): Bucket {
	let bucket = buckets.get(key);
	if (!bucket) {
		bucket = { level: 0, updatedAt: now, share: rate, shareUpdatedAt: now, lastCutAt: -Infinity };
		buckets.set(key, bucket);
	}
	return bucket;
}

/** Grows the share back towards the configured rate for the time since it was last updated. */
function recover(bucket: Bucket, rate: number, now: number): number {
	const seconds = Math.max(0, (now - bucket.shareUpdatedAt) / 1000);
	bucket.share = Math.min(rate, bucket.share + seconds * PACING.increasePerS * rate);
	bucket.shareUpdatedAt = now;
	return bucket.share;
}

function drained(bucket: Bucket, share: number, now: number): number {
	return Math.max(0, bucket.level - ((now - bucket.updatedAt) / 1000) * share);
}

/** Milliseconds to wait before sending, with the slot already reserved. */
export function reserveSlot(key: string, rate: number, burst: number, now = Date.now()): number {
	const bucket = bucketOf(key, rate, now);
	const share = recover(bucket, rate, now);
	const capacity = Math.max(1, burst - SAFETY_MARGIN);
	const level = drained(bucket, share, now) + 1;
	bucket.level = level;
	bucket.updatedAt = now;
	return level <= capacity ? 0 : Math.ceil(((level - capacity) / share) * 1000);
}

export async function takeSlot(key: string, rate: number, burst: number): Promise<void> {
	const waitMs = reserveSlot(key, rate, burst);
	if (waitMs > 0) await sleep(waitMs);
}

/**
 * The portal refused a request for its rate (503 QUERY_LIMIT_EXCEEDED / 429): its bucket is full, so later requests
 * wait their turn, and this process's share is cut (once per overload).
 */
export function markFull(key: string, rate: number, burst: number, now = Date.now()): void {
	const bucket = bucketOf(key, rate, now);
	const share = recover(bucket, rate, now);
	if (now - bucket.lastCutAt >= PACING.cutIntervalMs) {
		bucket.share = Math.max(rate * PACING.minShare, share * PACING.decrease);
		bucket.lastCutAt = now;
	}
	bucket.level = Math.max(drained(bucket, bucket.share, now), Math.max(1, burst - SAFETY_MARGIN));
	bucket.updatedAt = now;
}

/** This process's current share of a portal's rate (requests per second), for tests and benchmarks. */
export function shareOf(key: string, rate: number, now = Date.now()): number {
	const bucket = buckets.get(key);
	return bucket ? recover(bucket, rate, now) : rate;
}

/** For tests and benchmarks: forget every bucket. */
export function resetBuckets(): void {
	buckets.clear();
}
