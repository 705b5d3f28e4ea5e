import type { IDataObject } from 'n8n-workflow';

import type { FormObject, FormValue } from './phpForm';

export function isFormObject(value: FormValue | undefined): value is FormObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(value: FormValue | undefined): FormObject {
	return isFormObject(value) ? value : {};
}

export function listAt(value: FormValue | undefined): FormValue[] {
	if (Array.isArray(value)) return value;
	if (isFormObject(value)) return Object.values(value);
	return [];
}

export function textAt(value: FormValue | undefined): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/** A Bitrix id: a number when the text is a plain integer, otherwise the text itself (undefined when absent/empty). */
export function idAt(value: FormValue | undefined): number | string | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	return /^-?(0|[1-9]\d{0,15})$/.test(value) ? Number(value) : value;
}

/** Y/N or 1/0 as a boolean; undefined when absent. */
export function flagAt(value: FormValue | undefined): boolean | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	return value === 'Y' || value === '1' || value.toLowerCase() === 'true';
}

/** Drops undefined values so items carry only what the event had. */
export function compact(object: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(object)) if (value !== undefined) out[key] = value;
	return out;
}

/** Comma/space separated list of ids from a node parameter. */
export function idList(text: unknown): string[] {
	return String(text ?? '')
		.split(/[\s,;]+/)
		.map((s) => s.trim())
		.filter(Boolean);
}
