'use strict';
/**
 * The portal's request-rate limit: a leaky bucket (bitrix24-api.md §1.8).
 * Each REST request adds 1; the level drains by `rate` per second; a request that would
 * push the level above `burst` is refused (503 QUERY_LIMIT_EXCEEDED) and not counted.
 * rate 0 switches the limit off.
 */
class LeakyBucket {
	constructor({ rate, burst }) {
		this.level = 0;
		this.last = Date.now();
		this.configure({ rate, burst });
	}

	configure({ rate, burst }) {
		if (rate !== undefined) this.rate = Number(rate);
		if (burst !== undefined) this.burst = Number(burst);
	}

	drain(now) {
		if (this.rate > 0) this.level = Math.max(0, this.level - ((now - this.last) / 1000) * this.rate);
		this.last = now;
	}

	/** true when the request may run (and is counted), false when it must be refused. */
	take(now = Date.now()) {
		if (!(this.rate > 0)) return true;
		this.drain(now);
		if (this.level + 1 > this.burst) return false;
		this.level += 1;
		return true;
	}

	reset() {
		this.level = 0;
		this.last = Date.now();
	}

	snapshot() {
		this.drain(Date.now());
		return { rate: this.rate, burst: this.burst, level: this.level };
	}
}
module.exports = { LeakyBucket };
