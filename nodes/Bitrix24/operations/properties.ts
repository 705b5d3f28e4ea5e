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

/**
 * The node's whole parameter list from its resource tables: resource dropdown, one operation dropdown per resource
 * (with `action` strings), then every operation's fields shown only for that resource and operation.
 */
export function buildOperationProperties(resources: ResourceSpec[]): INodeProperties[] {
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources
				.map((r): INodePropertyOptions => ({ name: r.name, value: r.value, description: r.description }))
				.sort(byName),
			default: resources[0].value,
		},
	];
	for (const resource of resources) {
		properties.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource.value] } },
			options: resource.operations
				.map((op): INodePropertyOptions => ({ name: op.name, value: op.value, action: op.action, description: op.description }))
				.sort(byName),
			default: resource.operations[0].value,
		});
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
