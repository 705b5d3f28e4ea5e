/**
 * Event bodies: PHP-style form keys (`data[PARAMS][MESSAGE]`) into nested JSON, in time linear in the body's size and
 * under hard limits, because this runs for anyone who can reach the webhook URL — before the token is known to be good.
 */

/** A parsed event body: nested objects and arrays whose leaves are all strings. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };
export type FormEntries = Array<[string, string]>;

export interface FormLimits {
	/** Largest body (bytes of the raw body, or characters of keys + values of a parsed one): 413 above it. */
	maxBytes: number;
	/** Most key=value pairs: 400 above it. */
	maxEntries: number;
	/** Most key parts (`data[PARAMS][MESSAGE]` has 3): 400 above it. */
	maxDepth: number;
}

/**
 * The limits of every event body. Genuine events are far below them: a 20,000-character bot message is ~240 KB
 * encoded, the documented events have < 200 keys and nest 6 deep (PHP's own max_input_nesting_level is 64).
 */
export const FORM_LIMITS: Readonly<FormLimits> = Object.freeze({ maxBytes: 2 * 1024 * 1024, maxEntries: 20_000, maxDepth: 32 });

/** Why a body was refused: 413 (too large) or 400 (malformed, too many keys, too deep). Holds no body content. */
export interface FormProblem {
	status: 400 | 413;
	message: string;
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; problem: FormProblem };

const tooLarge = (limits: FormLimits): FormResult<never> => ({
	ok: false,
	problem: { status: 413, message: `The body is larger than ${limits.maxBytes} bytes.` },
});
const tooManyKeys = (limits: FormLimits): FormResult<never> => ({
	ok: false,
	problem: { status: 400, message: `The body has more than ${limits.maxEntries} keys.` },
});
const tooDeep = (limits: FormLimits): FormResult<never> => ({
	ok: false,
	problem: { status: 400, message: `A key is nested deeper than ${limits.maxDepth} levels.` },
});
const malformed = (what: string): FormResult<never> => ({ ok: false, problem: { status: 400, message: `Malformed form body: ${what}.` } });

/** Thrown only by parsePhpForm (the convenience wrapper); the trigger itself uses the FormResult functions. */
export class FormLimitError extends Error {
	constructor(readonly problem: FormProblem) {
		super(problem.message);
		this.name = 'FormLimitError';
	}
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const CANONICAL_INDEX = /^(0|[1-9]\d{0,14})$/;

/**
 * `data[MESSAGES][0][im][chat_id]` → ['data', 'MESSAGES', '0', 'im', 'chat_id']; `a[]` gives an empty part. One pass
 * over the key; stops (and returns undefined) as soon as the key has more than `maxDepth` parts.
 */
export function splitPhpKey(key: string, maxDepth = Infinity): string[] | undefined {
	const open = key.indexOf('[');
	if (open <= 0) return [key];
	const parts = [key.slice(0, open)];
	let i = open;
	while (i < key.length && key[i] === '[') {
		const close = key.indexOf(']', i);
		if (close === -1) break;
		if (parts.length >= maxDepth) return undefined;
		parts.push(key.slice(i + 1, close));
		i = close + 1;
	}
	// PHP keeps anything after an unclosed bracket as part of the last key.
	if (i < key.length) parts[parts.length - 1] += key.slice(i);
	return parts;
}

type Node = Record<string, unknown>;

function isRecord(value: unknown): value is Node {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Rebuilds the nesting of PHP-style form keys from [key, value] pairs, in order, in one pass: each object remembers
 * its next free list index (PHP: one above the largest integer key so far), so `a[]` never scans the object's keys.
 * Objects whose keys are exactly 0..n-1 become arrays (PHP lists); other keys (e.g. a bot id) stay object keys.
 */
export function nestEntries(entries: FormEntries, limits: FormLimits = FORM_LIMITS): FormResult<FormObject> {
	if (entries.length > limits.maxEntries) return tooManyKeys(limits);
	const root: Node = {};
	const nextIndex = new Map<Node, number>();
	const remember = (node: Node, key: string) => {
		if (!CANONICAL_INDEX.test(key)) return;
		const n = Number(key) + 1;
		if (n > (nextIndex.get(node) ?? 0)) nextIndex.set(node, n);
	};
	for (const [key, value] of entries) {
		if (!key) continue;
		const parts = splitPhpKey(key, limits.maxDepth);
		if (!parts) return tooDeep(limits);
		if (parts.some((part) => FORBIDDEN_KEYS.has(part))) continue;
		let node = root;
		for (let i = 0; i < parts.length; i++) {
			let part = parts[i];
			if (part === '') {
				part = String(nextIndex.get(node) ?? 0);
			}
			remember(node, part);
			if (i === parts.length - 1) {
				node[part] = value;
				break;
			}
			if (!isRecord(node[part])) {
				node[part] = {};
			}
			node = node[part] as Node;
		}
	}
	return { ok: true, value: listify(root) as FormObject };
}

/** Objects → lists where the keys are 0..n-1. Depth is bounded by maxDepth, so the recursion is too. */
function listify(value: unknown): FormValue {
	if (!isRecord(value)) return value as FormValue;
	const keys = Object.keys(value);
	const out: FormObject = {};
	for (const key of keys) out[key] = listify(value[key]);
	const isList = keys.length > 0 && keys.every((key, index) => key === String(index));
	return isList ? keys.map((key) => out[key]) : out;
}

function scalarText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (value === true) return '1';
	if (value === false) return '0';
	return typeof value === 'object' ? '' : String(value);
}

/**
 * A body n8n already parsed (JSON, or a flat urlencoded object: `data[PARAMS][MESSAGE]` as one key, repeated keys as
 * arrays) as [key, value] pairs, nested objects flattened back into bracket keys. Stops at the first limit crossed:
 * more than maxEntries pairs, deeper than maxDepth, more than maxBytes characters of keys and values.
 */
export function objectEntries(body: unknown, limits: FormLimits = FORM_LIMITS): FormResult<FormEntries> {
	const entries: FormEntries = [];
	let size = 0;
	let problem: FormResult<never> | undefined;
	const push = (key: string, value: unknown): boolean => {
		const text = scalarText(value);
		size += key.length + text.length;
		if (size > limits.maxBytes) problem = tooLarge(limits);
		else if (entries.length >= limits.maxEntries) problem = tooManyKeys(limits);
		else entries.push([key, text]);
		return !problem;
	};
	const walk = (node: Record<string, unknown>, prefix: string, depth: number): boolean => {
		if (depth > limits.maxDepth) {
			problem = tooDeep(limits);
			return false;
		}
		for (const rawKey of Object.keys(node)) {
			const value = node[rawKey];
			const key = prefix ? `${prefix}[${rawKey}]` : rawKey;
			if (Array.isArray(value)) {
				const isFlatRepeat = key.endsWith('[]');
				for (let index = 0; index < value.length; index++) {
					const element: unknown = value[index];
					const elementKey = isFlatRepeat ? key : `${key}[${index}]`;
					const ok = isRecord(element) ? walk(element, elementKey, depth + 1) : push(elementKey, element);
					if (!ok) return false;
				}
			} else if (isRecord(value)) {
				if (!walk(value, key, depth + 1)) return false;
			} else if (!push(key, value)) {
				return false;
			}
		}
		return true;
	};
	if (!isRecord(body)) return malformed('not an object');
	walk(body, '', 1);
	return problem ?? { ok: true, value: entries };
}

function decodeComponent(text: string): string | undefined {
	const spaced = text.includes('+') ? text.replace(/\+/g, ' ') : text;
	if (!spaced.includes('%')) return spaced;
	try {
		return decodeURIComponent(spaced);
	} catch {
		return undefined;
	}
}

/**
 * A raw `application/x-www-form-urlencoded` body as [key, value] pairs ('+' is a space, %XX decoded), in one pass
 * that stops at the first limit crossed. A bad %-escape is a 400 (PHP's http_build_query never writes one).
 */
export function rawFormEntries(raw: string, limits: FormLimits = FORM_LIMITS): FormResult<FormEntries> {
	if (raw.length > limits.maxBytes) return tooLarge(limits);
	const entries: FormEntries = [];
	let start = 0;
	while (start <= raw.length) {
		let end = raw.indexOf('&', start);
		if (end === -1) end = raw.length;
		if (end > start) {
			if (entries.length >= limits.maxEntries) return tooManyKeys(limits);
			const pair = raw.slice(start, end);
			const eq = pair.indexOf('=');
			const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
			const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
			if (key === undefined || value === undefined) return malformed('invalid %-escape');
			entries.push([key, value]);
		}
		start = end + 1;
	}
	return { ok: true, value: entries };
}

/** The value of the last pair whose key is exactly `key` (PHP: the last one wins), without building anything. */
export function lastValueOf(entries: FormEntries, key: string): string | undefined {
	for (let i = entries.length - 1; i >= 0; i--) if (entries[i][0] === key) return entries[i][1];
	return undefined;
}

/** Pairs in an object n8n parsed from a form (a repeated key counts once per value). */
export function pairCount(body: unknown): number {
	if (!isRecord(body)) return 0;
	let count = 0;
	for (const value of Object.values(body)) count += Array.isArray(value) ? value.length : 1;
	return count;
}

/** Rebuilds nesting from [key, value] pairs; throws FormLimitError past the limits. For tests and tools. */
export function nestPhpEntries(entries: FormEntries, limits: FormLimits = FORM_LIMITS): FormObject {
	const nested = nestEntries(entries, limits);
	if (!nested.ok) throw new FormLimitError(nested.problem);
	return nested.value;
}

/** A parsed body as [key, value] pairs; throws FormLimitError past the limits. For tests and tools. */
export function bodyEntries(body: unknown, limits: FormLimits = FORM_LIMITS): FormEntries {
	const entries = objectEntries(body, limits);
	if (!entries.ok) throw new FormLimitError(entries.problem);
	return entries.value;
}

/** Parses an event body (flat object from n8n, or the raw text) into nested JSON; throws FormLimitError past the limits. */
export function parsePhpForm(body: unknown, limits: FormLimits = FORM_LIMITS): FormObject {
	const entries = typeof body === 'string' ? rawFormEntries(body, limits) : objectEntries(body, limits);
	if (!entries.ok) throw new FormLimitError(entries.problem);
	return nestPhpEntries(entries.value, limits);
}
