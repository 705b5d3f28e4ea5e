import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { AuthKind, Portal } from '../transport';
import { resolvePortal } from '../transport';
import { checkApplicationToken } from './applicationToken';
import type { FormObject, FormValue } from './phpForm';
import { parsePhpForm } from './phpForm';
import { triggerState } from './triggerState';

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

/** Answers the HTTP request directly and tells n8n not to run the workflow. */
export function answer(ctx: IWebhookFunctions, status: number, body: IDataObject): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.status(status).json(body);
	return { noWebhookResponse: true };
}

function rawBodyText(ctx: IWebhookFunctions): string {
	const raw = (ctx.getRequestObject() as { rawBody?: unknown }).rawBody;
	if (Buffer.isBuffer(raw)) return raw.toString('utf8');
	return typeof raw === 'string' ? raw : '';
}

/** The event body as nested JSON, or undefined when there is nothing that looks like a Bitrix24 event. */
export function readEventBody(ctx: IWebhookFunctions): FormObject | undefined {
	let body: FormObject;
	try {
		const flat = ctx.getBodyData();
		if (flat && typeof flat === 'object' && !Array.isArray(flat) && Object.keys(flat).length > 0) {
			body = parsePhpForm(flat);
		} else {
			const raw = rawBodyText(ctx).trim();
			if (!raw || raw.startsWith('{') || raw.startsWith('[')) return undefined;
			body = parsePhpForm(raw);
		}
	} catch {
		return undefined;
	}
	return typeof body.event === 'string' && /^[A-Za-z0-9_]+$/.test(body.event) ? body : undefined;
}

function textOf(value: FormValue | undefined): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/**
 * The common front of both triggers: parse (400 when it is not an event), verify the application token in constant
 * time (401 when missing or wrong; the first token is pinned when the credential has none), and drop event types the
 * user did not choose (200). Only an accepted event goes on to run the workflow.
 */
export async function receiveEvent(ctx: IWebhookFunctions, selectedEvents: string[]): Promise<Reception> {
	const body = readEventBody(ctx);
	if (!body) {
		return { kind: 'answered', response: answer(ctx, 400, { error: 'BAD_REQUEST', error_description: 'Not a Bitrix24 event (form body with an "event" field expected).' }) };
	}
	const auth = ctx.getNodeParameter('authentication', 'oAuth2') as AuthKind;
	const portal = await resolvePortal(ctx, auth);
	const authBlock = body.auth && typeof body.auth === 'object' && !Array.isArray(body.auth) ? body.auth : {};
	const state = triggerState(ctx);
	const check = checkApplicationToken(authBlock.application_token, portal.applicationToken, state.applicationTokenHash);
	if (!check.ok) {
		const what = check.reason === 'missing' ? 'missing' : 'does not match';
		return { kind: 'answered', response: answer(ctx, 401, { error: 'INVALID_APPLICATION_TOKEN', error_description: `auth[application_token] ${what}.` }) };
	}
	if (check.pinned) state.applicationTokenHash = check.pinned;
	const event = String(body.event).toUpperCase();
	if (!selectedEvents.includes(event)) {
		return { kind: 'answered', response: answer(ctx, 200, { result: 'ignored', reason: `${event} is not selected in this trigger.` }) };
	}
	return {
		kind: 'accepted',
		portal,
		received: { event, data: body.data, ts: textOf(body.ts), domain: textOf(authBlock.domain) },
	};
}
