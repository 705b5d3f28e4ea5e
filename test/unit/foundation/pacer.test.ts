import { markFull, PACING, reserveSlot, resetBuckets, shareOf } from '../../../nodes/Bitrix24/transport/pacer';
import { RETRY } from '../../../nodes/Bitrix24/transport/request';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { simulatePacing } = require('../../../bench/lib/pacingSim');

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
	 * Three processes (pacer keys), two sequential request series each, against one portal bucket, on a simulated clock
	 * (bench/lib/pacingSim.js): a refused request is resent with the transport's backoff, at most
	 * RETRY.rateLimitAttempts times. With AIMD no request runs out of attempts and every one is accepted once.
	 */
	test('three processes on one portal: every request accepted once, none refused RETRY.rateLimitAttempts times', () => {
		const run = simulatePacing({ pacer: { reserveSlot, markFull, resetBuckets }, retry: RETRY, processes: [2, 2, 2], perSeries: 60, rate: RATE, burst: BURST, seed: 7 });
		expect(run.exhausted).toBe(0);
		expect(run.accepted).toBe(run.requests);
		expect(run.refused).toBeGreaterThan(0); // the processes did compete
	});
});
