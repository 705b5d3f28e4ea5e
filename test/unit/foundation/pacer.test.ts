import { markFull, PACING, reserveSlot, resetBuckets, shareOf } from '../../../nodes/Bitrix24/transport/pacer';
import { RETRY } from '../../../nodes/Bitrix24/transport/request';

// The sandbox's leaky bucket (the portal's side), plain JS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LeakyBucket } = require('../../../sandbox/limiter');

const RATE = 2;
const BURST = 50;

beforeEach(() => resetBuckets());

describe('pacer: AIMD share of the portal rate (queue mode: processes without shared memory)', () => {
	test('alone and never refused, a process keeps the configured rate: burst first, then 1/rate apart', () => {
		const waits = Array.from({ length: 52 }, () => reserveSlot('p', RATE, BURST, 0));
		expect(waits.slice(0, 49)).toEqual(new Array(49).fill(0));
		expect(waits.slice(49)).toEqual([500, 1000, 1500]);
		expect(shareOf('p', RATE, 0)).toBe(RATE);
	});

	test('a refusal cuts the share once per overload; accepted time gives it back linearly, never above the rate', () => {
		markFull('p', RATE, BURST, 10_000);
		expect(shareOf('p', RATE, 10_000)).toBeCloseTo(RATE * PACING.decrease);
		markFull('p', RATE, BURST, 10_000 + PACING.cutIntervalMs - 1); // same overload: no second cut
		expect(shareOf('p', RATE, 10_000 + PACING.cutIntervalMs - 1)).toBeCloseTo(RATE * PACING.decrease + ((PACING.cutIntervalMs - 1) / 1000) * PACING.increasePerS * RATE);
		resetBuckets();
		markFull('p', RATE, BURST, 0);
		markFull('p', RATE, BURST, PACING.cutIntervalMs);
		const twice = RATE * PACING.decrease * PACING.decrease + (PACING.cutIntervalMs / 1000) * PACING.increasePerS * RATE * PACING.decrease;
		expect(shareOf('p', RATE, PACING.cutIntervalMs)).toBeCloseTo(twice, 5);
		expect(shareOf('p', RATE, 3_600_000)).toBe(RATE);
		// many refusals in a row: bounded below
		resetBuckets();
		for (let i = 0; i < 100; i++) markFull('p', RATE, BURST, i * PACING.cutIntervalMs);
		expect(shareOf('p', RATE, 99 * PACING.cutIntervalMs)).toBeGreaterThanOrEqual(RATE * PACING.minShare);
	});

	test('after a refusal the next request waits for the share (the portal bucket is full)', () => {
		markFull('p', RATE, BURST, 0);
		expect(reserveSlot('p', RATE, BURST, 0)).toBe(Math.ceil(1000 / (RATE * PACING.decrease)));
	});

	/**
	 * Three processes (pacer keys), two sequential request series each, against one portal bucket, on a simulated clock:
	 * a refused request is resent after the transport's backoff, at most RETRY.rateLimitAttempts times. With AIMD no
	 * request runs out of attempts, and every request is accepted exactly once.
	 */
	test('three processes on one portal: every request accepted once, none refused RETRY.rateLimitAttempts times', () => {
		const portal = new LeakyBucket({ rate: RATE, burst: BURST });
		portal.last = 0;
		const events: Array<{ t: number; run: () => void }> = [];
		let now = 0;
		let seed = 7;
		const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
		let accepted = 0;
		let exhausted = 0;
		const perSeries = 60;
		for (const key of ['a', 'b', 'c']) {
			for (let series = 0; series < 2; series++) {
				let left = perSeries;
				let attempt = 0;
				const next = (): void => {
					if (left === 0) return;
					events.push({ t: now + reserveSlot(key, RATE, BURST, now), run: send });
				};
				const send = (): void => {
					const ok = portal.take(now) as boolean;
					if (ok) {
						accepted++;
						left--;
						attempt = 0;
						events.push({ t: now + 30, run: next });
						return;
					}
					markFull(key, RATE, BURST, now);
					if (++attempt >= RETRY.rateLimitAttempts) {
						exhausted++;
						left--;
						attempt = 0;
					}
					const base = Math.min(RETRY.maxBackoffMs, Math.max(1000 / RATE, RETRY.baseBackoffMs * 2 ** (attempt - 1)));
					events.push({ t: now + 30 + Math.round(base / 2 + (random() * base) / 2), run: next });
				};
				next();
			}
		}
		for (let i = 0; events.length > 0 && i < 1_000_000; i++) {
			events.sort((x, y) => x.t - y.t);
			const event = events.shift()!;
			now = event.t;
			event.run();
		}
		expect(exhausted).toBe(0);
		expect(accepted).toBe(6 * perSeries);
	});
});
