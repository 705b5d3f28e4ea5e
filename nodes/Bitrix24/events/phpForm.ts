import type { IDataObject } from 'n8n-workflow';

/** A parsed event body: nested objects and arrays whose leaves are all strings. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `data[MESSAGES][0][im][chat_id]` → ['data', 'MESSAGES', '0', 'im', 'chat_id']; `a[]` gives an empty part. */
export function splitPhpKey(key: string): string[] {
	const open = key.indexOf('[');
	if (open <= 0) return [key];
	const parts = [key.slice(0, open)];
	let i = open;
	while (i < key.length && key[i] === '[') {
		const close = key.indexOf(']', i);
		if (close === -1) break;
		parts.push(key.slice(i + 1, close));
		i = close + 1;
	}
	// PHP keeps anything after an unclosed bracket as part of the last key.
	if (i < key.length) parts[parts.length - 1] += key.slice(i);
	return parts;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nextIndex(node: Record<string, unknown>): string {
	let max = -1;
	for (const key of Object.keys(node)) if (/^(0|[1-9]\d*)$/.test(key)) max = Math.max(max, Number(key));
	return String(max + 1);
}

function assign(root: Record<string, unknown>, parts: string[], value: string): void {
	if (parts.some((part) => FORBIDDEN_KEYS.has(part))) return;
	let node = root;
	for (let i = 0; i < parts.length; i++) {
		const part = parts[i] === '' ? nextIndex(node) : parts[i];
		if (i === parts.length - 1) {
			node[part] = value;
			return;
		}
		if (!isRecord(node[part])) node[part] = {};
		node = node[part] as Record<string, unknown>;
	}
}

/** Objects whose keys are exactly 0..n-1 become arrays (PHP lists); other keys (e.g. a bot id) stay object keys. */
function listify(value: unknown): FormValue {
	if (!isRecord(value)) return value as FormValue;
	const keys = Object.keys(value);
	const out: FormObject = {};
	for (const key of keys) out[key] = listify(value[key]);
	const isList = keys.length > 0 && keys.every((key, index) => key === String(index));
	return isList ? keys.map((key) => out[key]) : out;
}

/** Rebuilds the nesting of PHP-style form keys from [key, value] pairs, in order. */
export function nestPhpEntries(entries: Array<[string, string]>): FormObject {
	const root: Record<string, unknown> = {};
	for (const [key, value] of entries) {
		if (!key) continue;
		assign(root, splitPhpKey(key), value);
	}
	return listify(root) as FormObject;
}

function scalarText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (value === true) return '1';
	if (value === false) return '0';
	return String(value);
}

/**
 * The body n8n hands over, as [key, value] pairs: flat keys (`data[PARAMS][MESSAGE]`), repeated keys as arrays, and —
 * should a parser have nested it already — nested objects flattened back into bracket keys.
 */
export function bodyEntries(body: IDataObject, prefix = ''): Array<[string, string]> {
	const entries: Array<[string, string]> = [];
	for (const [rawKey, value] of Object.entries(body)) {
		const key = prefix ? `${prefix}[${rawKey}]` : rawKey;
		if (Array.isArray(value)) {
			const isFlatRepeat = key.endsWith('[]');
			value.forEach((element, index) => {
				const elementKey = isFlatRepeat ? key : `${key}[${index}]`;
				if (isRecord(element)) entries.push(...bodyEntries(element as IDataObject, elementKey));
				else entries.push([elementKey, scalarText(element)]);
			});
		} else if (isRecord(value)) {
			entries.push(...bodyEntries(value as IDataObject, key));
		} else {
			entries.push([key, scalarText(value)]);
		}
	}
	return entries;
}

/** A raw `application/x-www-form-urlencoded` body as [key, value] pairs ('+' is a space, %XX decoded). */
export function rawFormEntries(raw: string): Array<[string, string]> {
	return [...new URLSearchParams(raw).entries()];
}

/** Parses an event body (flat object from n8n, or the raw text) into nested JSON. */
export function parsePhpForm(body: IDataObject | string): FormObject {
	return nestPhpEntries(typeof body === 'string' ? rawFormEntries(body) : bodyEntries(body));
}
