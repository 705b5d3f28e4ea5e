import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { AuthKind, Portal } from '../transport';
import { resolvePortal } from '../transport';
import { checkApplicationToken } from './applicationToken';
import { pinnedHash, verifyAndPin } from './firstToken';
import type { FormEntries, FormObject, FormResult, FormValue } from './phpForm';
import { FORM_LIMITS, lastValueOf, nestEntries, objectEntries, pairCount, rawFormEntries } from './phpForm';

/** One Bitrix24 event as received, with the `auth` block already checked and dropped. */
export interface ReceivedEvent {
	/** Upper-case event name, e.g. ONIMBOTMESSAGEADD. */
	event: string;
	data: FormValue | undefined;
	/** Send time (unix seconds, as a string) from the queue, when present. */
	ts?: string;
	/** The portal's domain from the auth block (not a secret). */
	domain?: string;
}

export type Reception = { kind: 'accepted'; received: ReceivedEvent; portal: Portal } | { kind: 'answered'; response: IWebhookResponseData };

/** n8n's urlencoded parser keeps at most this many pairs (body-parser's parameterLimit) and drops the rest silently. */
export const N8N_FORM_PAIR_LIMIT = 1000;

/** Answers the HTTP request directly and tells n8n not to run the workflow. */
export function answer(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.status(status).json(body);
	return { noWebhookResponse: true };
}

/**
 * Starts the workflow with these items and answers the request itself (200) before n8n starts the run. Answering
 * first is what makes n8n save what the trigger remembered in this call (the delivered-event digests) before the
 * run's copy of the workflow resets n8n's "changed" flag (n8n 2.41); left to n8n's own answer, the digests were not
 * saved, and a replay after a restart ran again.
 */
export function startRun(ctx: IWebhookFunctions, items: IDataObject[]): IWebhookResponseData {
	answer(ctx, 200, { result: 'accepted' });
	return { workflowData: [ctx.helpers.returnJsonArray(items)], noWebhookResponse: true };
}

function answered(ctx: IWebhookFunctions, status: number, error: string, description: string): Reception {
	return { kind: 'answered', response: answer(ctx, status, { error, error_description: description }) };
}

const NOT_AN_EVENT = 'Not a Bitrix24 event (form body with an "event" field expected).';
const BAD_REQUEST: FormResult<never> = { ok: false, problem: { status: 400, message: NOT_AN_EVENT } };

function contentTypeOf(ctx: IWebhookFunctions): string {
	const header = ctx.getRequestObject().headers?.['content-type'];
	return String(header ?? '').split(';')[0].trim().toLowerCase();
}

function rawBodyOf(ctx: IWebhookFunctions): Buffer | undefined {
	const raw = (ctx.getRequestObject() as { rawBody?: unknown }).rawBody;
	if (Buffer.isBuffer(raw)) return raw;
	return typeof raw === 'string' ? Buffer.from(raw, 'utf8') : undefined;
}

/**
 * The event body as [key, value] pairs, in linear time and within FORM_LIMITS (413 too large, 400 malformed / too
 * many keys / too deep). A JSON body is taken as n8n parsed it. Anything else is read from the raw body when n8n kept
 * it — so a form is never used as n8n's parser cut it at 1,000 pairs, and text/plain or a missing content type go
 * through the same linear parser. Without a raw body, n8n's flat object is used, unless it is at that 1,000-pair cut.
 */
export function readEventEntries(ctx: IWebhookFunctions): FormResult<FormEntries> {
	const raw = rawBodyOf(ctx);
	if (raw && raw.length > FORM_LIMITS.maxBytes) return { ok: false, problem: { status: 413, message: `The body is larger than ${FORM_LIMITS.maxBytes} bytes.` } };
	const contentType = contentTypeOf(ctx);
	const body: unknown = ctx.getBodyData();
	if (contentType === 'application/json' || contentType.endsWith('+json')) return objectEntries(body);
	if (raw && raw.length > 0) {
		const text = raw.toString('utf8').trim();
		if (text.startsWith('{') || text.startsWith('[') || text.startsWith('<')) return BAD_REQUEST;
		return rawFormEntries(text);
	}
	if (pairCount(body) >= N8N_FORM_PAIR_LIMIT) {
		return { ok: false, problem: { status: 400, message: `The form has ${N8N_FORM_PAIR_LIMIT} or more keys and n8n kept no raw body to read them all from.` } };
	}
	return objectEntries(body);
}

/** The event body as nested JSON, or the problem (status + message) that refuses it. */
export function readEventBody(ctx: IWebhookFunctions): FormResult<FormObject> {
	const entries = readEventEntries(ctx);
	return entries.ok ? nestEntries(entries.value) : entries;
}

const EVENT_NAME = /^[A-Za-z0-9_]+$/;

function objectOf(value: FormValue | undefined): FormObject {
	return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

function textOf(value: FormValue | undefined): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/**
 * The common front of both triggers, cheapest check first: read the body's pairs within the limits (413/400), find
 * `event` and `auth[application_token]` by a linear scan and verify the token in constant time (401 when missing or
 * wrong) before anything is nested; drop event types the user did not choose (200). With no token in the credential
 * and none pinned yet, an event of a chosen type is verified against the portal before its token is trusted and
 * pinned (firstToken.ts). Only an accepted event goes on to run the workflow.
 */
export async function receiveEvent(ctx: IWebhookFunctions, selectedEvents: string[], options: { trustedSender?: boolean } = {}): Promise<Reception> {
	const read = readEventEntries(ctx);
	if (!read.ok) return answered(ctx, read.problem.status, read.problem.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', read.problem.message);
	const entries = read.value;
	const eventName = lastValueOf(entries, 'event');
	if (eventName === undefined || !EVENT_NAME.test(eventName)) return answered(ctx, 400, 'BAD_REQUEST', NOT_AN_EVENT);
	const token = lastValueOf(entries, 'auth[application_token]');

	const auth = ctx.getNodeParameter('authentication', 'oAuth2') as AuthKind;
	const portal = await resolvePortal(ctx, auth);
	const check = checkApplicationToken(token, portal.applicationToken, pinnedHash(ctx));
	if (check.ok === false) {
		const what = check.reason === 'missing' ? 'missing' : 'does not match';
		return answered(ctx, 401, 'INVALID_APPLICATION_TOKEN', `auth[application_token] ${what}.`);
	}
	const event = eventName.toUpperCase();
	if (!selectedEvents.includes(event)) {
		return { kind: 'answered', response: answer(ctx, 200, { result: 'ignored', reason: `${event} is not selected in this trigger.` }) };
	}
	const nested = nestEntries(entries);
	if (!nested.ok) return answered(ctx, nested.problem.status, 'BAD_REQUEST', nested.problem.message);
	const body = nested.value;
	const authBlock = objectOf(body.auth);
	if (check.ok === 'unverified') {
		const verdict = await verifyAndPin(ctx, portal, token as string, authBlock, options.trustedSender === true);
		if (!verdict.ok) {
			ctx.logger.warn(`Bitrix24 trigger: refused a ${event} event whose application token could not be verified: ${verdict.message}`);
			return answered(ctx, verdict.status, verdict.status === 429 ? 'TOO_MANY_REQUESTS' : 'INVALID_APPLICATION_TOKEN', verdict.message);
		}
	}
	return {
		kind: 'accepted',
		portal,
		received: { event, data: body.data, ts: textOf(body.ts), domain: textOf(authBlock.domain) },
	};
}
