import type { IDataObject } from 'n8n-workflow';

import { FieldError } from '../../Bitrix24/operations';
import { FORM_FIELD_TYPES } from './properties';

/** One field of the response form, as defined in the node. */
export interface FormField {
	label: string;
	type: (typeof FORM_FIELD_TYPES)[number];
	required: boolean;
	placeholder?: string;
	choices?: string[];
}

/** The free-text form: one required text area, answered as `data.text` (as n8n's own nodes). */
export const FREE_TEXT_FIELD: FormField = { label: 'Response', type: 'textarea', required: true };

/** The node's Form Fields, checked before the message is sent (a form that cannot be shown is an error now, not later). */
export function parseFormFields(value: unknown): FormField[] {
	const rows = Array.isArray(value) ? (value as IDataObject[]) : [];
	if (rows.length === 0) throw new FieldError('"Form Fields" needs at least one field for the Custom Form response type');
	const seen = new Set<string>();
	return rows.map((row, index) => {
		const label = String(row.fieldLabel ?? '').trim();
		const where = `Form Fields → field ${index + 1}`;
		if (!label) throw new FieldError(`"${where} → Field Label" is required`);
		if (seen.has(label)) throw new FieldError(`"${where} → Field Label" repeats "${label}": each label is a key of the answer and must be unique`);
		if (label === 'respondedAt') throw new FieldError(`"${where} → Field Label" may not be "respondedAt" (the answer's time has that key)`);
		seen.add(label);
		const type = String(row.fieldType ?? 'text') as FormField['type'];
		if (!FORM_FIELD_TYPES.includes(type)) throw new FieldError(`"${where} → Field Type" must be one of: ${FORM_FIELD_TYPES.join(', ')} (got ${type})`);
		const field: FormField = { label, type, required: row.requiredField === true };
		if (typeof row.placeholder === 'string' && row.placeholder.trim()) field.placeholder = row.placeholder.trim();
		if (type === 'dropdown') {
			const choices = String(row.fieldOptions ?? '')
				.split(',')
				.map((choice) => choice.trim())
				.filter(Boolean);
			if (choices.length === 0) throw new FieldError(`"${where} → Choices" needs at least one choice for a dropdown list`);
			field.choices = choices;
		}
		return field;
	});
}

/** The form control name of field `index` (labels can hold any character, names stay simple). */
export const controlName = (index: number): string => `field-${index}`;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The submitted form as the answer's values keyed by label, or the first problem (the page is shown again with it,
 * and the execution keeps waiting). Unknown controls are ignored; every value is checked against its field.
 */
export function readFormAnswer(fields: FormField[], body: unknown): { ok: true; values: IDataObject } | { ok: false; problem: string } {
	const asObject = (value: unknown): IDataObject => (value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {});
	// n8n puts a multipart form's fields under `data` (files under `files`); an urlencoded body is flat.
	const whole = asObject(body);
	const posted = whole.data !== undefined ? asObject(whole.data) : whole;
	const values: IDataObject = {};
	for (let index = 0; index < fields.length; index++) {
		const field = fields[index];
		const raw = posted[controlName(index)];
		const text = Array.isArray(raw) ? String(raw[raw.length - 1] ?? '') : raw === undefined || raw === null ? '' : String(raw);
		if (field.type === 'checkbox') {
			const checked = text !== '' && text !== 'false' && text !== '0';
			if (field.required && !checked) return { ok: false, problem: `"${field.label}" must be checked.` };
			values[field.label] = checked;
			continue;
		}
		const value = text.trim();
		if (!value) {
			if (field.required) return { ok: false, problem: `"${field.label}" is required.` };
			values[field.label] = field.type === 'number' ? null : '';
			continue;
		}
		if (value.length > 10_000) return { ok: false, problem: `"${field.label}" is longer than 10,000 characters.` };
		if (field.type === 'number') {
			const n = Number(value);
			if (!Number.isFinite(n)) return { ok: false, problem: `"${field.label}" must be a number.` };
			values[field.label] = n;
		} else if (field.type === 'email' && !EMAIL.test(value)) {
			return { ok: false, problem: `"${field.label}" must be an email address.` };
		} else if (field.type === 'date' && !DATE.test(value)) {
			return { ok: false, problem: `"${field.label}" must be a date (YYYY-MM-DD).` };
		} else if (field.type === 'dropdown' && !(field.choices ?? []).includes(value)) {
			return { ok: false, problem: `"${field.label}" must be one of: ${(field.choices ?? []).join(', ')}.` };
		} else {
			values[field.label] = value;
		}
	}
	return { ok: true, values };
}
