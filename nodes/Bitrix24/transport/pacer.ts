import { sleep } from 'n8n-workflow';

/**
 * Client side of Bitrix24's leaky bucket (one per portal per process): every request adds 1, the level drains at
 * `rate` per second, and a request is sent only when the level stays at or below the burst. Slots are reserved
 * up front, so concurrent callers queue in order instead of racing.
 */
interface Bucket {
	level: number;
	updatedAt: number;
}

const buckets = new Map<string, Bucket>();

/** One request of headroom: the portal may have counted a request we did not see. */
const SAFETY_MARGIN = 1;

function drained(bucket: Bucket, rate: number, now: number): number {
	return Math.max(0, bucket.level - ((now - bucket.updatedAt) / 1000) * rate);
}

/** Milliseconds to wait before sending, with the slot already reserved. */
export function reserveSlot(key: string, rate: number, burst: number, now = Date.now()): number {
	const bucket = buckets.get(key) ?? { level: 0, updatedAt: now };
	const capacity = Math.max(1, burst - SAFETY_MARGIN);
	const level = drained(bucket, rate, now) + 1;
	bucket.level = level;
	bucket.updatedAt = now;
	buckets.set(key, bucket);
	return level <= capacity ? 0 : Math.ceil(((level - capacity) / rate) * 1000);
}

export async function takeSlot(key: string, rate: number, burst: number): Promise<void> {
	const waitMs = reserveSlot(key, rate, burst);
	if (waitMs > 0) await sleep(waitMs);
}

/** The portal said 503: assume its bucket is full, so later requests wait their turn. */
export function markFull(key: string, burst: number, now = Date.now()): void {
	const bucket = buckets.get(key) ?? { level: 0, updatedAt: now };
	bucket.level = Math.max(drained(bucket, 1, now), Math.max(1, burst - SAFETY_MARGIN));
	bucket.updatedAt = now;
	buckets.set(key, bucket);
}

/** For tests and benchmarks: forget every bucket. */
export function resetBuckets(): void {
	buckets.clear();
}
