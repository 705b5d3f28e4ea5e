import type { Encoder } from './types';
import { FieldError } from './types';

/** Reusable value converters: n8n field value → what Bitrix24 expects. Messages say what is allowed. */

export const yesNo: Encoder = (value) => (value ? 'Y' : 'N');

export const oneZero: Encoder = (value) => (value ? 1 : 0);

export function toInteger(value: unknown, min = Number.MIN_SAFE_INTEGER): number {
	const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
	if (!Number.isInteger(n) || n < min) {
		throw new FieldError(`must be a whole number${min > 0 ? ` of at least ${min}` : ''} (got ${JSON.stringify(value)})`);
	}
	return n;
}

export const positiveInteger: Encoder = (value) => toInteger(value, 1);

export const nonNegativeInteger: Encoder = (value) => toInteger(value, 0);

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
			throw new FieldError(`must be a comma-separated list of positive whole numbers (got ${JSON.stringify(part)})`);
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

/** A date (ISO text, n8n date-time, or unix seconds) → unix seconds. Empty → now. */
export const unixSeconds: Encoder = (value) => {
	if (value === undefined || value === null || value === '') return Math.floor(Date.now() / 1000);
	if (typeof value === 'number') return value > 1e12 ? Math.floor(value / 1000) : Math.floor(value);
	const text = String(value).trim();
	if (/^\d+$/.test(text)) return Number(text) > 1e12 ? Math.floor(Number(text) / 1000) : Number(text);
	const ms = Date.parse(text);
	if (Number.isNaN(ms)) throw new FieldError(`must be a date (ISO 8601) or unix seconds (got ${JSON.stringify(value)})`);
	return Math.floor(ms / 1000);
};

/** Accepts only http(s) URLs. */
export const httpUrl: Encoder = (value) => {
	const text = String(value ?? '').trim();
	if (!/^https?:\/\/[^\s]+$/i.test(text)) throw new FieldError(`must be an http:// or https:// URL (got ${JSON.stringify(value)})`);
	return text;
};

/** JSON.parse without throwing. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch (error) {
		return { ok: false, reason: (error as Error).message };
	}
}
