import { FieldError } from './types';

/**
 * The value checks every node shares. Each returns the cleaned value or throws a FieldError; with a `label` the
 * message names the field (`"Width" must be …`), without one the executor adds the field's name.
 */

/** A short, safe rendering of any value for an error message (circular objects, long text and secrets-free). */
export function describeValue(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
	if (value === undefined) return 'nothing';
	if (typeof value !== 'object' || value === null) return String(value);
	try {
		const text = JSON.stringify(value);
		return text.length > 80 ? `${text.slice(0, 77)}...` : text;
	} catch {
		return Array.isArray(value) ? 'an array that cannot be written as JSON' : 'an object that cannot be written as JSON (circular)';
	}
}

export function invalid(label: string | undefined, message: string): FieldError {
	return new FieldError(label ? `"${label}" ${message}` : message);
}

/**
 * A whole number of at least `min` (and at most `max`): a number, or text of digits only. `1e21`, `0x10`, `12.0`, NaN,
 * arrays and numbers past 2^53 (which JSON cannot carry exactly) are refused.
 */
export function toInteger(value: unknown, min = Number.MIN_SAFE_INTEGER, label?: string, max = Number.MAX_SAFE_INTEGER): number {
	const text = typeof value === 'string' ? value.trim() : undefined;
	const n = typeof value === 'number' ? value : text !== undefined && /^-?\d{1,16}$/.test(text) ? Number(text) : NaN;
	if (!Number.isSafeInteger(n) || n < min || n > max) {
		const range = max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max.toLocaleString('en-US')}` : min > Number.MIN_SAFE_INTEGER ? ` of at least ${min}` : '';
		throw invalid(label, `must be a whole number${range} (got ${describeValue(value)})`);
	}
	return n;
}

/** The largest Limit of a Get Many: far above any real list, low enough that a typo or hostile value is refused. */
export const LIST_LIMIT_MAX = 1_000_000;

/** A Get Many's Limit: a whole number from 1 to LIST_LIMIT_MAX. */
export function checkListLimit(value: unknown, label?: string): number {
	return toInteger(value, 1, label, LIST_LIMIT_MAX);
}

/** The longest text any field takes when Bitrix24 documents no limit (titles, names, descriptions, v1 messages). */
export const TEXT_MAX_CHARS = 100_000;

/** Text of at most `max` characters (`documented`: the limit is Bitrix24's own, else the node's cap). */
export function checkTextLength(text: string, max = TEXT_MAX_CHARS, documented = false, label?: string): string {
	if (text.length <= max) return text;
	const why = documented
		? `Bitrix24 keeps at most ${max.toLocaleString('en-US')} and cuts the rest (split the text)`
		: `Bitrix24 documents no limit for it and this node takes at most ${max.toLocaleString('en-US')}`;
	throw invalid(label, `is longer than ${max.toLocaleString('en-US')} characters (${text.length.toLocaleString('en-US')} given): ${why}`);
}

/** Whether the value is an absolute http:// or https:// URL. */
export function isHttpUrl(value: unknown): value is string {
	return typeof value === 'string' && /^https?:\/\/[^\s]+$/i.test(value.trim());
}

/** An absolute http:// or https:// URL. */
export function checkHttpUrl(value: unknown, label?: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!isHttpUrl(text)) throw invalid(label, `must be an http:// or https:// URL (got ${describeValue(value)})`);
	return text;
}

/** Links in keyboards and attachments: an absolute http(s) URL or a path on the portal (`/crm/`). No javascript: etc. */
export function checkLink(value: unknown, label?: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!/^(https?:\/\/\S+|\/(?!\/)\S*)$/i.test(text)) {
		throw invalid(label, `must be an http(s) URL or a path on the portal starting with "/" (got ${describeValue(value)})`);
	}
	return text;
}

/** `#29619b` or `#abc`. */
export function checkHexColor(value: unknown, label?: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(text)) throw invalid(label, `must be a hex colour such as #29619b (got ${describeValue(value)})`);
	return text;
}

/** Bytes of the UTF-8 encoding of a string (no Buffer needed). */
export function utf8Bytes(text: string): number {
	let bytes = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x80) bytes += 1;
		else if (code < 0x800) bytes += 2;
		else if (code >= 0xd800 && code <= 0xdbff) {
			bytes += 4;
			i++;
		} else bytes += 3;
	}
	return bytes;
}

/** JSON.parse without throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, reason: (error as Error).message };
	}
}

/** A JSON field's value (text or already parsed): an object or an array, else a FieldError naming the field. */
export function parseJsonField(value: unknown, label: string, allowed: string): unknown {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') throw new FieldError(`"${label}" is empty: enter ${allowed}`);
		const result = parseJson(value);
		if (!result.ok) throw new FieldError(`"${label}" is not valid JSON (${result.reason})`);
		parsed = result.value;
	}
	if (!parsed || typeof parsed !== 'object') throw new FieldError(`"${label}" must be ${allowed} (got ${describeValue(parsed)})`);
	return parsed;
}
