import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers, NodeOperationError } from 'n8n-workflow';

import { setParam } from './paramPath';
import type { CaseValues, FieldSpec, ItemContext } from './types';
import { FieldError } from './types';
import { checkTextLength, describeValue } from './validators';

export function isEmpty(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.length === 0;
	return false;
}

function allowedValues(property: INodeProperties): string[] {
	return ((property.options ?? []) as INodePropertyOptions[]).map((option) => String(option.value));
}

function checkType(spec: FieldSpec, value: unknown): void {
	const property = spec.property;
	if (property.type === 'string' && !spec.structured && typeof value === 'object' && value !== null && !isDateLike(value)) {
		throw new FieldError(`must be text, not ${Array.isArray(value) ? 'an array' : 'an object'} (got ${describeValue(value)})`);
	}
	if (property.type === 'string' && typeof value === 'string') checkTextLength(value, spec.maxLength?.chars, spec.maxLength?.documented);
	if (property.type === 'options') {
		const allowed = allowedValues(property);
		if (!allowed.includes(String(value))) throw new FieldError(`must be one of: ${allowed.join(', ')} (got ${describeValue(value)})`);
	}
	if (property.type === 'multiOptions') {
		const allowed = allowedValues(property);
		const list = Array.isArray(value) ? value : [value];
		const wrong = list.filter((entry) => !allowed.includes(String(entry)));
		if (wrong.length) throw new FieldError(`may only contain: ${allowed.join(', ')} (got ${describeValue(wrong)})`);
	}
	if (property.type === 'number') {
		const n = typeof value === 'number' ? value : Number(value);
		if (!Number.isFinite(n)) throw new FieldError(`must be a number (got ${describeValue(value)})`);
		const { minValue, maxValue } = (property.typeOptions ?? {}) as { minValue?: number; maxValue?: number };
		if (minValue !== undefined && n < minValue) throw new FieldError(`must be at least ${minValue} (got ${n})`);
		if (maxValue !== undefined && n > maxValue) throw new FieldError(`must be at most ${maxValue} (got ${n})`);
	}
}

function isPlainObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** n8n DateTime (luxon) and Date values from expressions: encoders of date fields read them. */
function isDateLike(value: object): boolean {
	return value instanceof Date || typeof (value as { toISO?: unknown }).toISO === 'function';
}

/** Runs a check or an encoder of the field `label`: a FieldError comes back naming the field; anything else is a bug. */
async function asField<T>(label: string, item: ItemContext, step: () => T | Promise<T>): Promise<T> {
	let failure: unknown;
	try {
		return await step();
	} catch (error) {
		failure = error;
	}
	if (failure instanceof FieldError) {
		throw new FieldError(failure.message.startsWith('"') ? failure.message : `"${label}" ${failure.message}`);
	}
	throw new NodeOperationError(item.ctx.getNode(), failure as Error, { itemIndex: item.itemIndex });
}

/**
 * Whether a field is displayed for the node's current settings (its own displayOptions, e.g. a sub-switch).
 * n8n drops hidden parameters on save, so a hidden field is never read — and a hidden required field never fails.
 */
function isShown(spec: FieldSpec, item: ItemContext): boolean {
	if (!spec.property.displayOptions) return true;
	const node = item.ctx.getNode();
	return NodeHelpers.displayParameter(node.parameters, spec.property, node, null);
}

function readValue(spec: FieldSpec, item: ItemContext): unknown {
	const property = spec.property;
	let failure: unknown;
	try {
		// extractValue only where there is something to extract: n8n refuses it for a parameter it does not display.
		return item.ctx.getNodeParameter(property.name, item.itemIndex, property.default, {
			extractValue: property.type === 'resourceLocator',
		});
	} catch (error) {
		failure = error;
	}
	// n8n copies an expression's result deeply: an object that contains itself overflows the stack there.
	if (failure instanceof RangeError) {
		const wanted = property.type === 'number' ? 'a number' : 'text';
		throw new FieldError(`"${property.displayName}" must be ${wanted}, not an object (got an object that cannot be written as JSON (circular))`);
	}
	throw failure;
}

/**
 * Checks and encodes one field's value: required, type, children (collections), the chosen case (choice fields),
 * then its encoder. Writes its param into `params` when it has one; returns the encoded value.
 */
async function applyField(spec: FieldSpec, value: unknown, params: IDataObject, item: ItemContext, label: string): Promise<unknown> {
	const property = spec.property;
	if (isEmpty(value)) {
		if (property.required) throw new FieldError(`"${label}" is required`);
		if (!spec.sendEmpty && !spec.cases) return undefined;
	} else {
		await asField(label, item, () => checkType(spec, value));
	}
	if (property.type === 'collection' && spec.children) {
		const given = (value ?? {}) as IDataObject;
		for (const child of spec.children) {
			if (child.property.name in given) {
				await applyField(child, given[child.property.name], params, item, `${label} → ${child.property.displayName}`);
			}
		}
		return undefined;
	}
	const encoded = await asField(label, item, async () => {
		if (spec.cases) return await applyChoice(spec, String(value ?? property.default), params, item);
		return spec.encode ? await spec.encode(value, item) : value;
	});
	if (spec.param && encoded !== undefined) setParam(params, spec.param, encoded);
	else if (!spec.param && spec.combine && isPlainObject(encoded)) {
		for (const [key, entry] of Object.entries(encoded)) if (params[key] === undefined && entry !== undefined) params[key] = entry;
	}
	return encoded;
}

/** The chosen case's fields, each read, checked and encoded; then the switch's combiner. */
async function applyChoice(spec: FieldSpec, choice: string, params: IDataObject, item: ItemContext): Promise<unknown> {
	const values: CaseValues = {};
	for (const child of spec.cases?.[choice] ?? []) {
		if (!isShown(child, item)) continue;
		values[child.property.name] = await applyField(child, readValue(child, item), params, item, child.property.displayName);
	}
	return spec.combine ? await spec.combine(choice, values, item) : undefined;
}

/** Reads the fields of one item and builds the Bitrix params. */
export async function paramsFromFields(fields: FieldSpec[], item: ItemContext): Promise<IDataObject> {
	const params: IDataObject = {};
	for (const spec of fields) {
		if (!spec.param && !spec.children && !spec.encode && !spec.cases) continue;
		if (!isShown(spec, item)) continue;
		await applyField(spec, readValue(spec, item), params, item, spec.property.displayName);
	}
	return params;
}
