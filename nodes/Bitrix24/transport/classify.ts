import type { BitrixFailure } from './failure';

interface HttpLike {
	status: number;
	data?: unknown;
}

/** Network errors raised before anything reached the portal: safe to retry, even for writes. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

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

function findNetworkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
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
	const response = findResponse(error);
	if (response) {
		const body = parseBody(response.data);
		const code = typeof body?.error === 'string' ? body.error : `HTTP_${response.status}`;
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
	const networkCode = findNetworkCode(error);
	if (networkCode) {
		const notSent = NOT_SENT_CODES.has(networkCode);
		return {
			method,
			code: networkCode,
			description: notSent
				? 'The portal could not be reached.'
				: 'The connection broke or timed out after the request was sent; its outcome is unknown.',
			outcomeUnknown: !notSent,
		};
	}
	const message = error instanceof Error ? error.message : String(error);
	if (/invalid_grant/i.test(message)) {
		return { method, code: 'invalid_grant', description: 'The OAuth2 refresh token was refused.' };
	}
	if (/invalid_client/i.test(message)) {
		return { method, code: 'invalid_client', description: 'The OAuth2 client was refused.' };
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
