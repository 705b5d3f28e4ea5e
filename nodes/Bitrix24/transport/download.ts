import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { USER_AGENT } from './request';

/**
 * The one way our nodes fetch a file from a URL (a file to upload, an image, a Bitrix24 download link): n8n follows
 * no redirect on its own; each redirect is checked here first (and refused when it leaves the allowed origin); the
 * body is read as a stream and the download stops at the size limit instead of being read whole first. Errors name
 * the field and the limit, never the URL (a Bitrix24 download link holds a token).
 */

export type DownloadProblem = 'TOO_LARGE' | 'URL_REFUSED' | 'REDIRECT_REFUSED' | 'FAILED';

/** Why nothing (or not all) was downloaded; the message starts with what was fetched. */
export interface DownloadFailure {
	problem: DownloadProblem;
	message: string;
}

export interface DownloadRules {
	/** What is fetched, as errors start: `"File URL"`, `The Bitrix24 download link`. */
	what: string;
	/** Most bytes accepted: the download stops, and fails, at the first byte more. */
	maxBytes: number;
	/** The limit as the error says it, e.g. `100 MB, the most Bitrix24 accepts per file (FILE_TOO_LARGE)`. */
	limit: string;
	/** Only this origin (scheme, host, port), for the URL and every redirect. Unset: any http(s) URL. */
	origin?: string;
	/** What the URL's path must be (redirects within the origin may lead elsewhere), and its name for the error. */
	path?: { pattern: RegExp; name: string };
	/** Redirects followed, each checked like the URL itself; 0 refuses the first one. */
	maxRedirects: number;
	timeoutMs: number;
}

export interface Downloaded {
	body: Buffer;
	headers: IDataObject;
}

type Fetcher = Pick<IExecuteFunctions, 'helpers'>;

interface StreamResponse {
	statusCode?: number;
	headers?: IDataObject;
	body?: unknown;
}

function parseUrl(text: string, base?: URL): URL | undefined {
	try {
		return new URL(text, base);
	} catch {
		return undefined;
	}
}

const failure = (problem: DownloadProblem, message: string): DownloadFailure => ({ problem, message });

/** The URL if the rules allow it (http or https, no user:password, the allowed origin), else why not. */
function allowedUrl(text: string, rules: DownloadRules, problem: DownloadProblem, base?: URL): URL | DownloadFailure {
	const url = parseUrl(text, base);
	if (!url) return failure(problem, `${rules.what} is not a valid http(s) address`);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return failure(problem, `${rules.what} must be an http:// or https:// address`);
	if (url.username || url.password) return failure(problem, `${rules.what} must not carry a user name or password`);
	const origin = rules.origin === undefined ? undefined : parseUrl(rules.origin)?.origin;
	if (rules.origin !== undefined && url.origin !== origin) {
		const where = problem === 'REDIRECT_REFUSED' ? `redirected to ${url.origin}` : `points to ${url.origin}`;
		return failure(problem, `${rules.what} ${where}, not to the portal (${origin ?? rules.origin}); only the portal's own files are fetched`);
	}
	return url;
}

function discard(body: unknown): void {
	const destroy = (body as { destroy?: () => void } | null)?.destroy;
	if (typeof destroy === 'function') destroy.call(body);
}

function header(headers: IDataObject | undefined, name: string): string | undefined {
	const value = headers?.[name];
	return Array.isArray(value) ? String(value[0]) : value === undefined || value === null ? undefined : String(value);
}

function tooLarge(rules: DownloadRules): DownloadFailure {
	return failure('TOO_LARGE', `${rules.what}: the file is larger than ${rules.limit}; the download was stopped there`);
}

/** The body, read chunk by chunk and given up (the connection closed) at the first byte over the limit. */
async function readCapped(body: unknown, rules: DownloadRules): Promise<Buffer | DownloadFailure> {
	if (Buffer.isBuffer(body) || typeof body === 'string' || body instanceof ArrayBuffer) {
		const bytes = Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
		return bytes.length > rules.maxBytes ? tooLarge(rules) : bytes;
	}
	if (!body || typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') return Buffer.alloc(0);
	const chunks: Buffer[] = [];
	let total = 0;
	let broken: unknown;
	let done = false;
	let timedOut = false;
	// n8n's timeout covers the wait for the answer, not a body that stalls: past the deadline the stream is closed.
	void sleep(rules.timeoutMs).then(() => {
		if (done) return;
		timedOut = true;
		discard(body);
	});
	try {
		for await (const chunk of body as AsyncIterable<Buffer | string>) {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			total += bytes.length;
			// Leaving the loop destroys the stream: nothing more is read, the connection is closed.
			if (total > rules.maxBytes) break;
			chunks.push(bytes);
		}
	} catch (error) {
		broken = error;
	} finally {
		done = true;
		discard(body);
	}
	if (total > rules.maxBytes) return tooLarge(rules);
	if (timedOut) return failure('FAILED', `${rules.what} could not be downloaded (it took longer than ${rules.timeoutMs >= 1000 ? `${Math.round(rules.timeoutMs / 1000)} s` : `${rules.timeoutMs} ms`})`);
	if (broken) return failure('FAILED', `${rules.what} could not be downloaded (the connection broke off: ${(broken as Error).message})`);
	return Buffer.concat(chunks, total);
}

function reasonOf(error: unknown): string {
	const e = error as { httpCode?: unknown; code?: unknown; message?: unknown };
	if (e.httpCode) return `HTTP ${String(e.httpCode)}`;
	if (typeof e.code === 'string' && e.code) return e.code;
	return typeof e.message === 'string' ? e.message : 'no answer';
}

async function get(ctx: Fetcher, url: URL, rules: DownloadRules): Promise<StreamResponse | DownloadFailure> {
	const options: IHttpRequestOptions = {
		method: 'GET',
		url: url.toString(),
		encoding: 'stream',
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		disableFollowRedirect: true,
		timeout: rules.timeoutMs,
		headers: { 'User-Agent': USER_AGENT },
	};
	return await ctx.helpers.httpRequest(options).then(
		(response: StreamResponse) => response,
		(error: unknown) => failure('FAILED', `${rules.what} could not be downloaded (${reasonOf(error)})`),
	);
}

export const isDownloadFailure = (value: unknown): value is DownloadFailure => typeof (value as DownloadFailure | undefined)?.problem === 'string';

/**
 * Fetches `url` under `rules`: only allowed addresses, each redirect checked, the body capped at `rules.maxBytes`.
 * Never throws for the download itself: a DownloadFailure says what went wrong (the caller words it as its error).
 */
export async function downloadFile(ctx: Fetcher, url: string, rules: DownloadRules): Promise<Downloaded | DownloadFailure> {
	let current = allowedUrl(url, rules, 'URL_REFUSED');
	if (isDownloadFailure(current)) return current;
	if (rules.path && !rules.path.pattern.test(current.pathname)) return failure('URL_REFUSED', `${rules.what} is not ${rules.path.name}; it was not fetched`);
	for (let redirects = 0; ; redirects++) {
		const response = await get(ctx, current, rules);
		if (isDownloadFailure(response)) return response;
		const status = Number(response.statusCode ?? 200);
		if (status >= 300 && status < 400) {
			discard(response.body);
			const location = header(response.headers, 'location');
			if (!location) return failure('FAILED', `${rules.what} could not be downloaded (HTTP ${status} without a new address)`);
			if (redirects >= rules.maxRedirects) {
				return failure('REDIRECT_REFUSED', `${rules.what} answered with a redirect (HTTP ${status}), which is not followed${rules.maxRedirects ? ` after ${rules.maxRedirects}` : ''}`);
			}
			const next = allowedUrl(location, rules, 'REDIRECT_REFUSED', current);
			if (isDownloadFailure(next)) return next;
			current = next;
			continue;
		}
		if (status < 200 || status >= 300) {
			discard(response.body);
			return failure('FAILED', `${rules.what} could not be downloaded (HTTP ${status})`);
		}
		const length = Number(header(response.headers, 'content-length'));
		if (Number.isFinite(length) && length > rules.maxBytes) {
			discard(response.body);
			return tooLarge(rules);
		}
		const body = await readCapped(response.body, rules);
		return isDownloadFailure(body) ? body : { body, headers: response.headers ?? {} };
	}
}
