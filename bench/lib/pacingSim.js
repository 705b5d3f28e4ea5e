'use strict';
/**
 * A discrete-event simulation of n8n processes pacing their Bitrix24 calls against one portal, on a simulated clock:
 * each process has its own pacer bucket (a key of the transport's pacer), each runs sequential request series (one per
 * execution: the transport sends a node's batches one after the other), the portal is the sandbox's LeakyBucket, and
 * a refused request is resent at most RETRY.rateLimitAttempts times, after the pacer's slot only (as request.ts does;
 * `retryWaitMs` adds a wait of its own, to compare policies).
 * Used by test/unit/foundation/pacer.test.ts and `npm run bench -- --pacing-sim`. Plain Node.
 */
const { LeakyBucket } = require('../../sandbox/limiter');

/**
 * @param {object} o
 * @param {{reserveSlot: Function, markFull: Function, resetBuckets: Function}} o.pacer the transport's pacer module
 * @param {{rateLimitAttempts: number, baseBackoffMs: number, maxBackoffMs: number}} o.retry the transport's RETRY
 * @param {number[]} o.processes executions per process, e.g. [2, 1]
 * @param {number} o.perSeries requests per execution
 * @param {(attempt: number, rate: number, random: () => number) => number} [o.retryWaitMs] an extra wait after the n-th refusal (default none)
 * @returns {{requests, accepted, refused, exhausted, maxAttempts, wallMs, floorMs, overFloorPct}}
 */
function simulatePacing({ pacer, retry, processes, perSeries, rate = 2, burst = 50, latencyMs = 40, seed = 1, retryWaitMs = () => 0 }) {
	pacer.resetBuckets();
	let state = seed;
	const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
	const portal = new LeakyBucket({ rate, burst });
	portal.last = 0;
	const events = [];
	let now = 0;
	let accepted = 0;
	let refused = 0;
	let exhausted = 0;
	let maxAttempts = 0;
	processes.forEach((executions, p) => {
		const key = `process${p}`;
		for (let e = 0; e < executions; e++) {
			let left = perSeries;
			let attempt = 0;
			const next = () => {
				if (left > 0) events.push({ t: now + pacer.reserveSlot(key, rate, burst, now), run: send });
			};
			const answered = (ok) => {
				if (ok) {
					accepted++;
					left--;
					attempt = 0;
					next();
					return;
				}
				refused++;
				pacer.markFull(key, rate, burst, now);
				maxAttempts = Math.max(maxAttempts, ++attempt);
				if (attempt >= retry.rateLimitAttempts) {
					exhausted++;
					left--;
					attempt = 0;
					next();
					return;
				}
				events.push({ t: now + retryWaitMs(attempt - 1, rate, random), run: next });
			};
			const send = () => {
				const ok = portal.take(now);
				events.push({ t: now + latencyMs, run: () => answered(ok) });
			};
			next();
		}
	});
	for (let i = 0; events.length > 0 && i < 10_000_000; i++) {
		events.sort((a, b) => a.t - b.t);
		const event = events.shift();
		now = event.t;
		event.run();
	}
	const requests = processes.reduce((a, b) => a + b, 0) * perSeries;
	const floorMs = (Math.max(0, requests - burst) / rate) * 1000;
	return { requests, accepted, refused, exhausted, maxAttempts, wallMs: now, floorMs, overFloorPct: floorMs ? Math.round(((now - floorMs) / floorMs) * 1000) / 10 : null };
}

module.exports = { simulatePacing };
