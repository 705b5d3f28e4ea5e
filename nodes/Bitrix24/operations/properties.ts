import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { FieldSpec, ResourceSpec } from './types';

function byName(a: { name: string }, b: { name: string }): number {
	return a.name.localeCompare(b.name);
}

/** The property for a field, with its children (collections) and sorted options. */
export function propertyOf(spec: FieldSpec): INodeProperties {
	const property: INodeProperties = { ...spec.property };
	if (spec.children) {
		property.options = spec.children
			.map((child) => propertyOf(child))
			.sort((a, b) => a.displayName.localeCompare(b.displayName));
	}
	return property;
}

/**
 * A field's properties: the field itself and, for a choice field, each case's fields shown only for their case
 * (a field listed under several cases is emitted once, shown for all of them).
 */
export function propertiesOf(spec: FieldSpec): INodeProperties[] {
	const own = propertyOf(spec);
	if (!spec.cases) return [own];
	const byChild = new Map<string, { spec: FieldSpec; cases: string[] }>();
	for (const [choice, children] of Object.entries(spec.cases)) {
		for (const child of children) {
			const entry = byChild.get(child.property.name) ?? { spec: child, cases: [] };
			entry.cases.push(choice);
			byChild.set(child.property.name, entry);
		}
	}
	const children = [...byChild.values()].flatMap(({ spec: child, cases }) =>
		updateDisplayOptions({ show: { [spec.property.name]: cases } }, propertiesOf(child)),
	);
	return [own, ...children];
}

/** A resource or operation dropdown: options sorted by name, not settable by expression. */
function dropdown(displayName: string, name: string, options: INodePropertyOptions[], defaultValue: string): INodeProperties {
	return { displayName, name, type: 'options', noDataExpression: true, options: options.sort(byName), default: defaultValue };
}

/**
 * The node's whole parameter list from its resource tables: resource dropdown, one operation dropdown per resource
 * (with `action` strings), then every operation's fields shown only for that resource and operation.
 */
export function buildOperationProperties(resources: ResourceSpec[]): INodeProperties[] {
	const properties: INodeProperties[] = [
		dropdown(
			'Resource',
			'resource',
			resources.map((r): INodePropertyOptions => ({ name: r.name, value: r.value, description: r.description })),
			resources[0].value,
		),
	];
	for (const resource of resources) {
		const options = resource.operations.map(
			(op): INodePropertyOptions => ({ name: op.name, value: op.value, action: op.action, description: op.description }),
		);
		properties.push({
			...dropdown('Operation', 'operation', options, resource.operations[0].value),
			displayOptions: { show: { resource: [resource.value] } },
		});
	}
	for (const resource of resources) {
		for (const op of resource.operations) {
			const shown: INodeProperties[] = [];
			if (op.notice) {
				shown.push({ displayName: op.notice, name: `notice_${resource.value}_${op.value}`, type: 'notice', default: '' });
			}
			shown.push(...op.fields.flatMap((field) => propertiesOf(field)));
			properties.push(...updateDisplayOptions({ show: { resource: [resource.value], operation: [op.value] } }, shown));
		}
	}
	return properties;
}
