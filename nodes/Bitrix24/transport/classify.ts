import type { BitrixFailure } from './failure';

interface HttpLike {
	status: number;
	data?: unknown;
}

/**
 * Connection errors raised before the request was written: the portal ran nothing, so any call may be resent
 * (with backoff, bounded — see RETRY.unreachableAttempts).
 */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'EADDRNOTAVAIL']);

/** TLS failures happen in the handshake, before any byte of the request: nothing was sent (and resending will not help). */
function isTlsCode(code: string): boolean {
	return code === 'EPROTO' || /^(CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH)/.test(code);
}

/** Codes a failure can carry in `code` or, once n8n has wrapped it in a NodeApiError, in `httpCode`. */
function isTransportCode(code: string): boolean {
	return /^E[A-Z_]+$/.test(code) || isTlsCode(code);
}

/**
 * How n8n's OAuth2 client (@n8n/client-oauth2) words each token-server error: a refused refresh reaches us as a
 * NodeApiError with httpCode `EAUTH` and this text as its message (the server's own `error` field is not kept).
 */
const OAUTH_ERROR_TEXTS: Array<[string, string]> = [
	['invalid_grant', 'The provided authorization grant'],
	['invalid_client', 'Client authentication failed'],
	['invalid_request', 'The request is missing a required parameter'],
	['unauthorized_client', 'The client is not authorized'],
	['unsupported_grant_type', 'The authorization grant type is not supported'],
	['invalid_scope', 'The requested scope is invalid'],
	['access_denied', 'The resource owner or authorization server denied'],
];

function findTransportCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const candidate = current as { code?: unknown; httpCode?: unknown };
		for (const value of [candidate.code, candidate.httpCode]) {
			if (typeof value === 'string' && isTransportCode(value)) return value;
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** The OAuth2 error code of a refused token refresh, or undefined when the error is not one. */
function refreshErrorOf(code: string | undefined, message: string): string | undefined {
	// n8n >= 2.2x turns a refused grant into "The credential … needs to be reconnected."
	if (/credential .* needs to be reconnected/i.test(message)) return 'invalid_grant';
	if (code === 'EAUTH') {
		for (const [oauthCode, text] of OAUTH_ERROR_TEXTS) if (message.startsWith(text)) return oauthCode;
		const named = /\b(invalid_grant|invalid_client|invalid_request|unauthorized_client|invalid_scope|access_denied)\b/.exec(message);
		return named ? named[1] : 'OAUTH_REFRESH_FAILED';
	}
	const named = /\b(invalid_grant|invalid_client)\b/.exec(message);
	return named ? named[1] : undefined;
}

const NOTHING_SENT = 'Nothing was sent: the portal answered 401 (expired token) without running the call, and the token server refused to renew the token.';

function findResponse(error: unknown): HttpLike | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const candidate = current as {
			response?: { status?: number; data?: unknown; body?: unknown };
			httpCode?: string | number | null;
			context?: { data?: unknown };
		};
		if (candidate.response && typeof candidate.response.status === 'number') {
			return { status: candidate.response.status as number, data: candidate.response.data ?? candidate.response.body };
		}
		// n8n's NodeApiError (what httpRequestWithAuthentication throws) keeps the status and the JSON body.
		const status = Number(candidate.httpCode);
		if (candidate.httpCode && Number.isInteger(status) && status >= 100) {
			return { status, data: candidate.context?.data };
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function parseBody(data: unknown): Record<string, unknown> | undefined {
	if (data && typeof data === 'object') return data as Record<string, unknown>;
	if (typeof data === 'string') {
		try {
			const parsed: unknown = JSON.parse(data);
			if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
		} catch {
			return undefined;
		}
	}
	return undefined;
}

/** Turns whatever n8n's HTTP helpers threw into a BitrixFailure. */
export function classifyThrown(method: string, error: unknown): BitrixFailure {
	const message = error instanceof Error ? error.message : String(error);
	const transportCode = findTransportCode(error);
	const refreshError = refreshErrorOf(transportCode, message);
	if (refreshError) {
		const detail =
			refreshError === 'invalid_grant'
				? 'The refresh token was refused (revoked, expired, or already used by another execution).'
				: refreshError === 'invalid_client'
					? 'The token server refused the client ID or client secret.'
					: `The token server refused the refresh (${refreshError}).`;
		return { method, code: refreshError, description: `${detail} ${NOTHING_SENT}`, notSent: true };
	}
	const response = findResponse(error);
	if (response && response.status >= 300 && response.status < 400) {
		return {
			method,
			code: 'PORTAL_REDIRECT',
			description: `The portal redirected the call (HTTP ${response.status}); it was not followed.`,
			httpStatus: response.status,
		};
	}
	if (response) {
		const body = parseBody(response.data);
		// A 429 that is not the operating-time limit is a request-rate refusal (chatbot API v2: "2 requests per second
		// per application", HTTP 429 with no documented body): the call did not run, so it is resent like a 503.
		const code = typeof body?.error === 'string' ? body.error : response.status === 429 ? 'QUERY_LIMIT_EXCEEDED' : `HTTP_${response.status}`;
		const description =
			typeof body?.error_description === 'string'
				? body.error_description
				: `The portal answered HTTP ${response.status} without a Bitrix24 error body.`;
		const time = body?.time as { operating_reset_at?: number } | undefined;
		return {
			method,
			code,
			description,
			httpStatus: response.status,
			operatingResetAt: typeof time?.operating_reset_at === 'number' ? time.operating_reset_at : undefined,
			outcomeUnknown: response.status >= 500 && code !== 'QUERY_LIMIT_EXCEEDED' && code !== 'OVERLOAD_LIMIT',
		};
	}
	if (transportCode && UNREACHABLE_CODES.has(transportCode)) {
		return { method, code: 'PORTAL_UNREACHABLE', description: `No connection to the portal (${transportCode}); nothing was sent.`, notSent: true, networkCode: transportCode };
	}
	if (transportCode && isTlsCode(transportCode)) {
		return { method, code: 'TLS_FAILED', description: `The TLS handshake with the portal failed (${transportCode}) before the request was sent; nothing was sent.`, notSent: true, networkCode: transportCode };
	}
	if (transportCode) {
		return {
			method,
			code: transportCode,
			description: 'The connection broke or timed out after the request was sent; its outcome is unknown.',
			outcomeUnknown: true,
			networkCode: transportCode,
		};
	}
	return { method, code: 'REQUEST_FAILED', description: message, outcomeUnknown: true };
}

/** A 2xx Bitrix24 answer can still carry a failure: `error`, or `result.result=false` with `result.error` (register/unregister). */
export function failureInBody(method: string, body: unknown): BitrixFailure | undefined {
	const parsed = parseBody(body);
	if (!parsed) {
		return { method, code: 'ERROR_UNEXPECTED_ANSWER', description: 'The portal did not answer with JSON.' };
	}
	if (typeof parsed.error === 'string') {
		return {
			method,
			code: parsed.error,
			description: typeof parsed.error_description === 'string' ? parsed.error_description : '',
		};
	}
	return failureInResult(method, parsed.result);
}

/** `{result:false, error, error_description}` inside `result` — how imconnector.register/unregister fail. */
export function failureInResult(method: string, result: unknown): BitrixFailure | undefined {
	if (result && typeof result === 'object' && !Array.isArray(result)) {
		const inner = result as Record<string, unknown>;
		if (inner.result === false && typeof inner.error === 'string') {
			return {
				method,
				code: inner.error,
				description: typeof inner.error_description === 'string' ? inner.error_description : '',
			};
		}
	}
	return undefined;
}
