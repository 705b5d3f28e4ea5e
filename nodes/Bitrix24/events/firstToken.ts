import type { IHookFunctions, IHttpRequestOptions, IWebhookFunctions } from 'n8n-workflow';

import type { Portal } from '../transport';
import { callMethod, failureOf, failureMessage, USER_AGENT } from '../transport';
import { tokenHash, tokenMatchesHash } from './applicationToken';
import type { FormObject } from './phpForm';
import { triggerState } from './triggerState';
import { textAt } from './values';

/**
 * Trusting the first application token, safely. With no Application Token in the credential, a trigger learns the
 * token from the first event — but only from an event it has verified against the credential's own portal: the
 * event's `auth[access_token]` must be accepted by that portal (app.info) and belong to the same application as the
 * credential. Verifications of one trigger run one at a time, and the pin is kept in this process as well as in the
 * static data (n8n gives each webhook request its own copy of the static data, so concurrent requests would not see
 * each other's pin there): concurrent first events give at most one pin, and only a verified one.
 */

/** Verified pins of this process, per workflow and node: SHA-256 of the token, never the token. */
const pins = new Map<string, string>();
/** Per trigger: the end of the line of verifications, and how many wait in it. */
const lines = new Map<string, { tail: Promise<void>; waiting: number }>();

/** Unverified first events one trigger keeps waiting at a time; more get 429 at once (Bitrix24 does not retry). */
export const MAX_WAITING_VERIFICATIONS = 20;
const VERIFY_TIMEOUT_MS = 10_000;

export type Verdict = { ok: true } | { ok: false; status: 401 | 429; message: string };

/** One trigger node of one workflow, as a key of this process's memory (pins, delivered events). */
export function triggerKey(ctx: IWebhookFunctions | IHookFunctions): string {
	const node = ctx.getNode();
	return `${ctx.getWorkflow().id ?? ''}\u0000${node.id ?? node.name}`;
}

/** The verified pin of this trigger, if any (this process first, then the static data that survives restarts). */
export function pinnedHash(ctx: IWebhookFunctions): string | undefined {
	return pins.get(triggerKey(ctx)) ?? triggerState(ctx).applicationTokenHash;
}

/** Forgets the pin (activation and deactivation): the next verified event pins again. */
export function forgetPin(ctx: IHookFunctions): void {
	pins.delete(triggerKey(ctx));
	delete triggerState(ctx).applicationTokenHash;
}

const refuse = (message: string): Verdict => ({ ok: false, status: 401, message });

interface AppIdentity {
	id: string;
	code: string;
}

function identityOf(result: unknown): AppIdentity | undefined {
	if (!result || typeof result !== 'object') return undefined;
	const { ID, CODE } = result as { ID?: unknown; CODE?: unknown };
	if ((typeof ID !== 'string' && typeof ID !== 'number') || typeof CODE !== 'string' || CODE === '') return undefined;
	return { id: String(ID), code: CODE };
}

/**
 * The application behind an access token, as the credential's own portal sees it (app.info with `auth` in the body,
 * never in the URL). Undefined when the portal refuses the token or cannot be reached; nothing of the token is kept.
 */
async function appOfToken(ctx: IWebhookFunctions, restBase: string, accessToken: string): Promise<AppIdentity | undefined> {
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: `${restBase}app.info`,
		body: { auth: accessToken },
		json: true,
		headers: { 'User-Agent': USER_AGENT, Accept: 'application/json' },
		timeout: VERIFY_TIMEOUT_MS,
		// the token goes to the credential's own portal only: a redirect would carry it elsewhere
		disableFollowRedirect: true,
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
	};
	let response: { statusCode?: number; body?: unknown };
	try {
		response = (await ctx.helpers.httpRequest(options)) as { statusCode?: number; body?: unknown };
	} catch {
		return undefined;
	}
	if (response.statusCode !== 200 || !response.body || typeof response.body !== 'object') return undefined;
	return identityOf((response.body as { result?: unknown }).result);
}

/** The credential's own application (app.info with the credential). */
async function ownApp(ctx: IWebhookFunctions, portal: Portal): Promise<AppIdentity | undefined> {
	try {
		const envelope = await callMethod(ctx, portal, { method: 'app.info', params: {}, write: false });
		return identityOf(envelope.result);
	} catch (error) {
		ctx.logger.warn(`Bitrix24 trigger: cannot verify the first event: ${failureMessage(failureOf('app.info', error, portal.secrets), portal.secrets)}`);
		return undefined;
	}
}

/** Whether the event's auth block proves it comes from the credential's portal and application. */
async function verifyAgainstPortal(ctx: IWebhookFunctions, portal: Portal, auth: FormObject): Promise<Verdict> {
	if (portal.auth !== 'oAuth2' || !portal.restBase) {
		return refuse('The event cannot be verified with the Webhook credential: set the Application Token in the credential.');
	}
	const accessToken = textAt(auth.access_token);
	if (!accessToken) {
		return refuse('The event carries no access token to verify it with: set the Application Token in the credential.');
	}
	const theirs = await appOfToken(ctx, portal.restBase, accessToken);
	if (!theirs) return refuse('The event\'s access token is not accepted by the credential\'s portal.');
	const ours = await ownApp(ctx, portal);
	if (!ours) return refuse('The credential\'s own application could not be read (app.info) to verify the event.');
	if (theirs.id !== ours.id || theirs.code !== ours.code) return refuse('The event\'s access token belongs to another application.');
	return { ok: true };
}

/**
 * Verifies an event whose application token nothing vouches for yet, and pins the token (as a hash) when the event
 * is genuine. One verification per trigger at a time: a later event waits, then finds the pin and is simply compared.
 */
export async function verifyAndPin(
	ctx: IWebhookFunctions,
	portal: Portal,
	applicationToken: string,
	auth: FormObject,
	/** The sender is already proven (the secret of the handler URL the trigger registered matched): pin without asking the portal. */
	trustedSender = false,
): Promise<Verdict> {
	const key = triggerKey(ctx);
	const line = lines.get(key) ?? { tail: Promise.resolve(), waiting: 0 };
	if (line.waiting >= MAX_WAITING_VERIFICATIONS) {
		return { ok: false, status: 429, message: 'Too many events are waiting for verification; this one was not accepted.' };
	}
	line.waiting++;
	lines.set(key, line);
	const turn = line.tail;
	let release = () => {};
	line.tail = new Promise<void>((resolve) => (release = resolve));
	await turn;
	try {
		const pinned = pins.get(key);
		if (pinned) return tokenMatchesHash(applicationToken, pinned) ? { ok: true } : refuse('auth[application_token] does not match.');
		const verdict: Verdict = trustedSender ? { ok: true } : await verifyAgainstPortal(ctx, portal, auth);
		if (verdict.ok) {
			const hash = tokenHash(applicationToken);
			pins.set(key, hash);
			triggerState(ctx).applicationTokenHash = hash;
		}
		return verdict;
	} finally {
		line.waiting--;
		if (line.waiting === 0) lines.delete(key);
		release();
	}
}
