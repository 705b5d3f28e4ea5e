'use strict';
/** Seedable PRNG (mulberry32) so fault injection can be deterministic in tests. */
function createPrng(seed) {
	let a = (Number(seed) >>> 0) || 0x5eed;
	return function next() {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}
module.exports = { createPrng };
