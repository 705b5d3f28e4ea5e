import type { IDataObject, IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { USER_AGENT } from './request';

/**
 * The one way our nodes fetch a file from a URL (a file to upload, an image, a Bitrix24 download link): n8n follows
 * no redirect on its own; each redirect is checked here first (and refused when it leaves the allowed origin); the
 * body is read as a stream and the download stops at the size limit instead of being read whole first. Errors name
 * the field and the limit, never the URL (a Bitrix24 download link holds a token).
 */

export type DownloadProblem = 'TOO_LARGE' | 'URL_REFUSED' | 'REDIRECT_REFUSED' | 'FAILED';

export class DownloadError extends Error {
	constructor(
		readonly problem: DownloadProblem,
		message: string,
	) {
		super(message);
		this.name = 'DownloadError';
	}
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

const MB = 1024 * 1024;

/** Bytes as people read them in errors: "100 MB", "512 KB". */
export function sizeText(bytes: number): string {
	return bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/** The URL if the rules allow it (http or https, no user:password, the allowed origin), else a DownloadError. */
function allowedUrl(text: string, rules: DownloadRules, problem: DownloadProblem, base?: URL): URL {
	let url: URL;
	try {
		url = new URL(text, base);
	} catch {
		throw new DownloadError(problem, `${rules.what} is not a valid http(s) address`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DownloadError(problem, `${rules.what} must be an http:// or https:// address`);
	if (url.username || url.password) throw new DownloadError(problem, `${rules.what} must not carry a user name or password`);
	if (rules.origin !== undefined && url.origin !== new URL(rules.origin).origin) {
		const where = problem === 'REDIRECT_REFUSED' ? `redirected to ${url.origin}` : `points to ${url.origin}`;
		throw new DownloadError(problem, `${rules.what} ${where}, not to the portal (${new URL(rules.origin).origin}); only the portal's own files are fetched`);
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

function tooLarge(rules: DownloadRules): DownloadError {
	return new DownloadError('TOO_LARGE', `${rules.what}: the file is larger than ${rules.limit}; the download was stopped there`);
}

/** The body, read chunk by chunk and given up (the connection closed) at the first byte over the limit. */
async function readCapped(body: unknown, rules: DownloadRules): Promise<Buffer> {
	if (Buffer.isBuffer(body) || typeof body === 'string' || body instanceof ArrayBuffer) {
		const bytes = Buffer.isBuffer(body) ? body : typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
		if (bytes.length > rules.maxBytes) throw tooLarge(rules);
		return bytes;
	}
	if (!body || typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') return Buffer.alloc(0);
	const chunks: Buffer[] = [];
	let total = 0;
	try {
		// Leaving the loop (the throw at the limit) destroys the stream: nothing more is read.
		for await (const chunk of body as AsyncIterable<Buffer | string>) {
			const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			total += bytes.length;
			if (total > rules.maxBytes) throw tooLarge(rules);
			chunks.push(bytes);
		}
	} catch (error) {
		if (error instanceof DownloadError) throw error;
		throw new DownloadError('FAILED', `${rules.what} could not be downloaded (the connection broke off: ${(error as Error).message})`);
	} finally {
		discard(body);
	}
	return Buffer.concat(chunks, total);
}

function reasonOf(error: unknown): string {
	const e = error as { httpCode?: unknown; code?: unknown; message?: unknown };
	if (e.httpCode) return `HTTP ${String(e.httpCode)}`;
	if (typeof e.code === 'string' && e.code) return e.code;
	return typeof e.message === 'string' ? e.message : 'no answer';
}

/** Fetches `url` under `rules`: only allowed addresses, each redirect checked, the body capped at `rules.maxBytes`. */
export async function downloadFile(ctx: Fetcher, url: string, rules: DownloadRules): Promise<Downloaded> {
	let current = allowedUrl(url, rules, 'URL_REFUSED');
	for (let redirects = 0; ; redirects++) {
		const options: IHttpRequestOptions = {
			method: 'GET',
			url: current.toString(),
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: rules.timeoutMs,
			headers: { 'User-Agent': USER_AGENT },
		};
		let response: StreamResponse;
		try {
			response = (await ctx.helpers.httpRequest(options)) as StreamResponse;
		} catch (error) {
			throw new DownloadError('FAILED', `${rules.what} could not be downloaded (${reasonOf(error)})`);
		}
		const status = Number(response.statusCode ?? 200);
		if (status >= 300 && status < 400) {
			discard(response.body);
			const location = header(response.headers, 'location');
			if (!location) throw new DownloadError('FAILED', `${rules.what} could not be downloaded (HTTP ${status} without a new address)`);
			if (redirects >= rules.maxRedirects) {
				throw new DownloadError('REDIRECT_REFUSED', `${rules.what} answered with a redirect (HTTP ${status}), which is not followed${rules.maxRedirects ? ` after ${rules.maxRedirects}` : ''}`);
			}
			current = allowedUrl(location, rules, 'REDIRECT_REFUSED', current);
			continue;
		}
		if (status < 200 || status >= 300) {
			discard(response.body);
			throw new DownloadError('FAILED', `${rules.what} could not be downloaded (HTTP ${status})`);
		}
		const length = Number(header(response.headers, 'content-length'));
		if (Number.isFinite(length) && length > rules.maxBytes) {
			discard(response.body);
			throw tooLarge(rules);
		}
		return { body: await readCapped(response.body, rules), headers: response.headers ?? {} };
	}
}
