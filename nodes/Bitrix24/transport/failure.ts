import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { adviceFor } from './errorCatalog';
import { redact } from './redact';
import { docsUrlOf } from './methodDocs';
import { situationalAction, situationalCause } from './situationalAdvice';

/** One failed Bitrix24 call, before it becomes an n8n error. */
export interface BitrixFailure {
	method: string;
	/** Bitrix error code (`WRONG_COLOR`), or a transport code (`ECONNRESET`, `HTTP_502`). */
	code: string;
	description: string;
	httpStatus?: number;
	/** Unix seconds, from the `time` block of a 429 answer. */
	operatingResetAt?: number;
	/** True when the request may have reached the portal and its outcome is unknown. */
	outcomeUnknown?: boolean;
	/** True when the portal certainly did not run the call (unreachable, refused before sending, token not refreshed). */
	notSent?: boolean;
	/** The Node.js network or TLS error code behind a transport failure (`ECONNREFUSED`, `CERT_HAS_EXPIRED`). */
	networkCode?: string;
}

/** A failed call, thrown by callMethod; carries the BitrixFailure. */
export class BitrixCallError extends Error {
	constructor(readonly failure: BitrixFailure) {
		super(`${failure.method}: ${failure.code}`);
		this.name = 'BitrixCallError';
	}
}

/** Any error of a call as a BitrixFailure; text of an unexpected error is redacted (it may hold a URL). */
export function failureOf(method: string, error: unknown, secrets: Array<string | undefined> = []): BitrixFailure {
	if (error instanceof BitrixCallError) return error.failure;
	return { method, code: 'REQUEST_FAILED', description: redact(error instanceof Error ? error.message : String(error), secrets) };
}

export function failureMessage(failure: BitrixFailure, secrets: Array<string | undefined> = []): string {
	const advice = adviceFor(failure.code);
	const status = failure.httpStatus ? ` (HTTP ${failure.httpStatus})` : '';
	// The cause first: Bitrix24's own words when it gave some (e.g. "Chat not found"), else what the code means; the
	// catalog's meaning of a code can be a list of guesses (ACCESS_DENIED), so it never goes before the portal's words.
	const meaning = advice ? `: ${advice.meaning}` : '';
	const cause = situationalCause(failure);
	if (cause) return redact(`${cause} — Bitrix24 ${failure.method} failed with ${failure.code}${status} "${failure.description}"`, secrets);
	if (failure.description) return redact(`${failure.description.replace(/[.\s]+$/, '')} — Bitrix24 ${failure.method} failed with ${failure.code}${status}${meaning}`, secrets);
	return redact(`Bitrix24 ${failure.method} failed with ${failure.code}${status}${meaning}`, secrets);
}

/** A NodeApiError that names the method, the code, what it means and what to do — and holds no secret. */
export function toNodeApiError(
	node: INode,
	failure: BitrixFailure,
	itemIndex?: number,
	secrets: Array<string | undefined> = [],
): NodeApiError {
	const advice = adviceFor(failure.code);
	const body: JsonObject = {
		error: failure.code,
		error_description: redact(failure.description, secrets),
		method: failure.method,
	};
	const message = failureMessage(failure, secrets);
	const error = new NodeApiError(node, body, {
		message,
		description: `${situationalAction(failure) ?? advice?.action ?? 'See the method\'s page for this code.'} Bitrix24 docs for ${failure.method.replace(/ \(in batch\)$/, '')}: ${docsUrlOf(failure.method)}`,
		httpCode: failure.httpStatus ? String(failure.httpStatus) : undefined,
		itemIndex,
	});
	// NodeApiError swaps a message that mentions a network code (ECONNREFUSED, ECONNRESET…) for its own generic text.
	error.message = message;
	return error;
}
