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
	| { ok: true; pinned?: string }
	| { ok: false; reason: 'missing' | 'mismatch' };

/**
 * Checks `auth[application_token]`. With a token in the credential, it must match. Without one, the first token seen
 * is pinned (its hash returned as `pinned` for the caller to store) and every later event must match it.
 */
export function checkApplicationToken(received: unknown, credentialToken: string | undefined, pinnedHash: string | undefined): TokenCheck {
	if (typeof received !== 'string' || received === '') return { ok: false, reason: 'missing' };
	if (credentialToken) return tokensMatch(received, credentialToken) ? { ok: true } : { ok: false, reason: 'mismatch' };
	if (pinnedHash) return tokenMatchesHash(received, pinnedHash) ? { ok: true } : { ok: false, reason: 'mismatch' };
	return { ok: true, pinned: tokenHash(received) };
}
