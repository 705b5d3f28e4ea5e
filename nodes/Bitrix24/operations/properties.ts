import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

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

/** A resource or operation dropdown: options sorted by name, not settable by expression. */
function dropdown(displayName: string, name: string, options: INodePropertyOptions[], defaultValue: string): INodeProperties {
	const property: INodeProperties = { displayName, name, type: 'options', noDataExpression: true, options: options.sort(byName), default: '' };
	property.default = defaultValue;
	return property;
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
		const operation = dropdown(
			'Operation',
			'operation',
			resource.operations.map((op): INodePropertyOptions => ({ name: op.name, value: op.value, action: op.action, description: op.description })),
			resource.operations[0].value,
		);
		operation.displayOptions = { show: { resource: [resource.value] } };
		properties.push(operation);
	}
	for (const resource of resources) {
		for (const op of resource.operations) {
			const show = { resource: [resource.value], operation: [op.value] };
			if (op.notice) {
				properties.push({
					displayName: op.notice,
					name: `notice_${resource.value}_${op.value}`,
					type: 'notice',
					default: '',
					displayOptions: { show },
				});
			}
			for (const field of op.fields) {
				const property = propertyOf(field);
				property.displayOptions = {
					...property.displayOptions,
					show: { ...show, ...(property.displayOptions?.show ?? {}) },
				};
				properties.push(property);
			}
		}
	}
	return properties;
}
