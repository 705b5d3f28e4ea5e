import { createHash, timingSafeEqual } from 'crypto';

/** SHA-256 of a token, hex. Only this is ever stored (static data), never the token itself. */
export function tokenHash(token: string): string {
	return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Constant-time comparison of a received token with an expected token hash: both sides are SHA-256 digests of equal
 * length, compared with crypto.timingSafeEqual, so neither the length nor the content leaks through timing.
 */
export function tokenMatchesHash(received: string, expectedHash: string): boolean {
	const a = createHash('sha256').update(received, 'utf8').digest();
	const b = Buffer.from(expectedHash, 'hex');
	if (b.length !== a.length) return false;
	return timingSafeEqual(a, b);
}

/** Constant-time comparison of two tokens (through their SHA-256 digests). */
export function tokensMatch(received: string, expected: string): boolean {
	return tokenMatchesHash(received, tokenHash(expected));
}

export type TokenCheck =
	| { ok: true }
	| { ok: false; reason: 'missing' | 'mismatch' }
	/** Neither the credential nor a verified pin gives a token: the event must be verified against the portal first. */
	| { ok: 'unverified' };

/**
 * Checks `auth[application_token]`. With a token in the credential, it must match; else with a pinned (verified)
 * token hash, it must match that. With neither, the answer is `unverified`: the caller verifies the event against the
 * portal before trusting — and pinning — its token (firstToken.ts). A token is never trusted just for coming first.
 */
export function checkApplicationToken(received: unknown, credentialToken: string | undefined, pinnedHash: string | undefined): TokenCheck {
	if (typeof received !== 'string' || received === '') return { ok: false, reason: 'missing' };
	if (credentialToken) return tokensMatch(received, credentialToken) ? { ok: true } : { ok: false, reason: 'mismatch' };
	if (pinnedHash) return tokenMatchesHash(received, pinnedHash) ? { ok: true } : { ok: false, reason: 'mismatch' };
	return { ok: 'unverified' };
}
