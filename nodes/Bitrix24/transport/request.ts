import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { authFailure, withAuthParams } from './authRules';
import { classifyThrown, failureInBody } from './classify';
import type { BitrixFailure } from './failure';
import { BitrixCallError } from './failure';

export { BitrixCallError };
import { markFull, takeSlot } from './pacer';
import { tokensOf } from './portal';
import type { BitrixCall, BitrixContext, BitrixEnvelope, Portal } from './types';

export const USER_AGENT = 'n8n-nodes-bitrix24-chat/0.1 (+https://github.com/n8n-nodes-bitrix24-chat/n8n-nodes-bitrix24-chat)';

/** Retry policy. Exported so tests and benchmarks can read the bounds; tests may shorten the waits (and restore them). */
export const RETRY = {
	/**
	 * 503 QUERY_LIMIT_EXCEEDED (or a rate 429): the request was refused before it ran, so it is always safe to resend;
	 * the pacer spaces the resends (pacer.ts).
	 */
	rateLimitAttempts: 8,
	/** 5xx or broken connection on a read: resend a few times. Writes with an unknown outcome are never resent. */
	readAttempts: 3,
	/**
	 * Portal unreachable (connection refused, DNS, no route): nothing was sent, so reads and writes are resent with
	 * growing waits — 6 attempts span about 8-15 s, enough for a short outage or restart.
	 */
	unreachableAttempts: 6,
	/**
	 * OAuth2 refresh lost to another execution (invalid_grant after a 401: the portal ran nothing): reload the
	 * credential up to this many times, waiting lostRefreshWaitMs x attempt (with jitter), and resend once it changed.
	 */
	lostRefreshAttempts: 3,
	lostRefreshWaitMs: 300,
	/** 429 OPERATION_TIME_LIMIT: wait for operating_reset_at only if it is this close. */
	maxOperatingWaitMs: 60_000,
	baseBackoffMs: 500,
	maxBackoffMs: 15_000,
	requestTimeoutMs: 70_000,
};

/** Growing wait with jitter (half to full): the n-th retry of a refused or unreachable request. */
export function backoffMs(attempt: number, rate: number): number {
	const base = Math.max(1000 / rate, RETRY.baseBackoffMs * 2 ** attempt);
	const capped = Math.min(RETRY.maxBackoffMs, base);
	return Math.round(capped / 2 + Math.random() * (capped / 2));
}

async function send(ctx: BitrixContext, portal: Portal, method: string, params: IDataObject): Promise<unknown> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: portal.auth === 'webhook' ? method : `${portal.restBase}${method}`,
		body: params,
		json: true,
		headers: { 'User-Agent': USER_AGENT, Accept: 'application/json' },
		timeout: RETRY.requestTimeoutMs,
		// n8n would follow a redirect with the call's body and, by default, its Authorization header — to any host the
		// answer names. The portal's REST API does not redirect; a redirect is refused (PORTAL_REDIRECT).
		disableFollowRedirect: true,
	};
	return await ctx.helpers.httpRequestWithAuthentication.call(ctx, portal.credentialType, options);
}

/**
 * After invalid_grant on an OAuth2 call: did another execution rotate the tokens meanwhile? Waits (growing, with
 * jitter) and reads the credential again — n8n reads it from its database on every getCredentials, and saves a
 * refreshed token there. True when the stored tokens differ from the ones this run last saw (resend then).
 */
async function tokensRotatedElsewhere(ctx: BitrixContext, portal: Portal, attempt: number): Promise<boolean> {
	const known = portal.oauthTokens ?? {};
	await sleep(Math.round(RETRY.lostRefreshWaitMs * attempt * (0.5 + Math.random())));
	let stored: { access?: string; refresh?: string };
	try {
		const credentials = (await ctx.getCredentials(portal.credentialType)) as IDataObject;
		stored = tokensOf(credentials.oauthTokenData as IDataObject | undefined);
	} catch {
		return false;
	}
	if (stored.refresh === known.refresh && stored.access === known.access) return false;
	portal.oauthTokens = { ...stored };
	for (const token of [stored.access, stored.refresh]) if (token && !portal.secrets.includes(token)) portal.secrets.push(token);
	return true;
}

/**
 * Calls one Bitrix24 method: paces it, sends it with the credential, parses the envelope, retries what is safe to
 * retry, and throws a BitrixCallError (with a BitrixFailure) for everything else — including failures inside a 200.
 * Safe to retry: whatever the portal certainly did not run (503 rate limit, unreachable portal, a 401 whose token
 * refresh was lost to another execution) and reads; never a write whose outcome is unknown.
 */
export async function callMethod(ctx: BitrixContext, portal: Portal, call: BitrixCall): Promise<BitrixEnvelope> {
	const refused = authFailure(portal, call.method);
	if (refused) throw new BitrixCallError(refused);
	const params = withAuthParams(portal, call.method, call.params) as IDataObject;
	let rateLimited = 0;
	let unknownOutcome = 0;
	let unreachable = 0;
	let lostRefreshes = 0;
	let operatingWaits = 0;
	for (;;) {
		await takeSlot(portal.bucketKey, portal.rate, portal.burst);
		let failure: BitrixFailure;
		try {
			const body = await send(ctx, portal, call.method, params);
			const inBody = failureInBody(call.method, body);
			if (!inBody) return body as BitrixEnvelope;
			failure = inBody;
		} catch (error) {
			failure = classifyThrown(call.method, error);
		}
		if (failure.code === 'QUERY_LIMIT_EXCEEDED' && rateLimited < RETRY.rateLimitAttempts - 1) {
			// No backoff of its own: markFull filled this process's bucket and cut its share of the portal's rate, so the
			// resend waits for its slot (takeSlot above) like every other request of the process. A request that backed
			// off on its own while other processes kept the portal full would be starved (bench/lib/pacingSim.js).
			markFull(portal.bucketKey, portal.rate, portal.burst);
			rateLimited++;
			continue;
		}
		if (failure.code === 'PORTAL_UNREACHABLE') {
			if (unreachable < RETRY.unreachableAttempts - 1) {
				await sleep(backoffMs(unreachable++, portal.rate));
				continue;
			}
			failure = {
				...failure,
				description: `No connection to the portal (${failure.networkCode}) in ${RETRY.unreachableAttempts} attempts; nothing was sent, so running again duplicates nothing.`,
			};
		}
		if (failure.code === 'invalid_grant' && failure.notSent && portal.auth === 'oAuth2' && !portal.oauthTokens?.refused) {
			let rotated = false;
			while (!rotated && lostRefreshes < RETRY.lostRefreshAttempts) rotated = await tokensRotatedElsewhere(ctx, portal, ++lostRefreshes);
			if (rotated) continue;
			portal.oauthTokens = { ...portal.oauthTokens, refused: true };
		}
		if (failure.code === 'OPERATION_TIME_LIMIT' && failure.operatingResetAt && operatingWaits < 1) {
			const waitMs = failure.operatingResetAt * 1000 - Date.now();
			if (waitMs <= RETRY.maxOperatingWaitMs) {
				operatingWaits++;
				await sleep(Math.max(0, waitMs) + 250);
				continue;
			}
			failure = {
				...failure,
				description: `${failure.description} The limit resets at ${new Date(failure.operatingResetAt * 1000).toISOString()}, too far to wait.`,
			};
		}
		if (failure.outcomeUnknown && !call.write && unknownOutcome < RETRY.readAttempts - 1) {
			await sleep(backoffMs(unknownOutcome++, portal.rate));
			continue;
		}
		if (failure.outcomeUnknown && call.write) {
			failure = {
				...failure,
				description: `${failure.description} The call changes data and its outcome is unknown, so it was not retried (retrying could duplicate it); check the portal before running it again.`,
			};
		}
		throw new BitrixCallError(failure);
	}
}
