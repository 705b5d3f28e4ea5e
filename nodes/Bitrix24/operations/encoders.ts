import type { Encoder } from './types';
import { FieldError } from './types';
import { checkHttpUrl, describeValue, parseJson, toInteger } from './validators';

/** Reusable value converters: n8n field value → what Bitrix24 expects. Messages say what is allowed. */

/** A boolean as Bitrix24's Y / N. */
export const yesNo: Encoder = (value) => (value ? 'Y' : 'N');

/** A switch Bitrix24 knows only as "Y when on": Y, or nothing sent. */
export const yesOnly: Encoder = (value) => (value ? 'Y' : undefined);

export const positiveInteger: Encoder = (value) => toInteger(value, 1);

/** "1, 2, 3", [1, 2] or a single number → [1, 2, 3]. */
export const integerList: Encoder = (value) => {
	const parts = Array.isArray(value)
		? value
		: typeof value === 'number'
			? [value]
			: String(value ?? '')
					.split(/[\s,;]+/)
					.filter((part) => part !== '');
	if (parts.length === 0) throw new FieldError('must list at least one ID, e.g. 1, 2, 3');
	return parts.map((part) => {
		const n = typeof part === 'number' ? part : Number(String(part).trim());
		if (!Number.isInteger(n) || n < 1) {
			throw new FieldError(`must be a comma-separated list of positive whole numbers (got ${describeValue(part)})`);
		}
		return n;
	});
};

/** JSON given as text or already as an object/array. Invalid JSON is an error, never dropped. */
export const jsonValue: Encoder = (value) => {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	const parsed = parseJson(value);
	if (!parsed.ok) throw new FieldError(`is not valid JSON (${parsed.reason})`);
	return parsed.value;
};

export const trimmed: Encoder = (value) => (typeof value === 'string' ? value.trim() : value);

/**
 * A date → unix seconds. Takes unix seconds or milliseconds (number or digits), ISO 8601 text, a JS Date or an n8n
 * DateTime (luxon) from an expression. Empty → now.
 */
export const unixSeconds: Encoder = (value) => {
	if (value === undefined || value === null || value === '') return Math.floor(Date.now() / 1000);
	if (typeof value === 'number') return value > 1e12 ? Math.floor(value / 1000) : Math.floor(value);
	if (value instanceof Date) return Math.floor(value.getTime() / 1000);
	const luxon = value as { toMillis?: () => number };
	if (typeof value === 'object' && typeof luxon.toMillis === 'function') return Math.floor(luxon.toMillis() / 1000);
	const text = String(value).trim();
	if (/^\d+$/.test(text)) return Number(text) > 1e12 ? Math.floor(Number(text) / 1000) : Number(text);
	const ms = Date.parse(text);
	if (Number.isNaN(ms)) throw new FieldError(`must be a date: ISO 8601 (2026-12-01T10:00:00Z), unix seconds or an n8n DateTime (got ${describeValue(value)})`);
	return Math.floor(ms / 1000);
};

/** Accepts only http(s) URLs. */
export const httpUrl: Encoder = (value) => checkHttpUrl(value);
