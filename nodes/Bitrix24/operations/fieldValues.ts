import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers, NodeOperationError } from 'n8n-workflow';

import { setParam } from './paramPath';
import type { FieldSpec, ItemContext } from './types';
import { FieldError } from './types';

export function isEmpty(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.length === 0;
	return false;
}

function allowedValues(property: INodeProperties): string[] {
	return ((property.options ?? []) as INodePropertyOptions[]).map((option) => String(option.value));
}

function checkType(property: INodeProperties, value: unknown): void {
	if (property.type === 'options') {
		const allowed = allowedValues(property);
		if (!allowed.includes(String(value))) throw new FieldError(`must be one of: ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
	}
	if (property.type === 'multiOptions') {
		const allowed = allowedValues(property);
		const list = Array.isArray(value) ? value : [value];
		const wrong = list.filter((entry) => !allowed.includes(String(entry)));
		if (wrong.length) throw new FieldError(`may only contain: ${allowed.join(', ')} (got ${JSON.stringify(wrong)})`);
	}
	if (property.type === 'number') {
		const n = typeof value === 'number' ? value : Number(value);
		if (!Number.isFinite(n)) throw new FieldError(`must be a number (got ${JSON.stringify(value)})`);
		const { minValue, maxValue } = (property.typeOptions ?? {}) as { minValue?: number; maxValue?: number };
		if (minValue !== undefined && n < minValue) throw new FieldError(`must be at least ${minValue} (got ${n})`);
		if (maxValue !== undefined && n > maxValue) throw new FieldError(`must be at most ${maxValue} (got ${n})`);
	}
}

/** Validates and encodes one field value into `params`; returns what is wrong with it (naming the field), if anything. */
async function applyField(
	spec: FieldSpec,
	value: unknown,
	params: IDataObject,
	item: ItemContext,
	label: string,
): Promise<string | undefined> {
	const property = spec.property;
	try {
		if (isEmpty(value)) {
			if (property.required) throw new FieldError('is required');
			if (!spec.sendEmpty) return;
		} else {
			checkType(property, value);
		}
		if (property.type === 'collection' && spec.children) {
			const given = (value ?? {}) as IDataObject;
			for (const child of spec.children) {
				if (child.property.name in given) {
					const problem = await applyField(child, given[child.property.name], params, item, `${label} → ${child.property.displayName}`);
					if (problem) return problem;
				}
			}
			return undefined;
		}
		const encoded = spec.encode ? await spec.encode(value, item) : value;
		if (spec.param && encoded !== undefined) setParam(params, spec.param, encoded);
		return undefined;
	} catch (error) {
		if (error instanceof FieldError) return error.message.startsWith('"') ? error.message : `"${label}" ${error.message}`;
		throw new NodeOperationError(item.ctx.getNode(), error as Error, { itemIndex: item.itemIndex });
	}
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

/** Reads the fields of one item and builds the Bitrix params. */
export async function paramsFromFields(fields: FieldSpec[], item: ItemContext): Promise<IDataObject> {
	const params: IDataObject = {};
	for (const spec of fields) {
		const property = spec.property;
		if (!spec.param && !spec.children && !spec.encode) continue;
		if (!isShown(spec, item)) continue;
		// extractValue only where there is something to extract: n8n refuses it for a parameter it does not display.
		const value = item.ctx.getNodeParameter(property.name, item.itemIndex, property.default, {
			extractValue: property.type === 'resourceLocator',
		});
		const problem = await applyField(spec, value, params, item, property.displayName);
		if (problem) throw new FieldError(problem);
	}
	return params;
}
