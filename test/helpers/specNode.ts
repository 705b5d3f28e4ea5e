/* A node built only from the operation model, for testing the foundation without the real nodes. */
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty, bitrixCredentials } from '../../nodes/Bitrix24/fields/authentication';
import { buildOperationProperties, executeOperation } from '../../nodes/Bitrix24/operations';
import type { ResourceSpec } from '../../nodes/Bitrix24/operations';

export function specNode(resources: ResourceSpec[]): INodeType {
	const description: INodeTypeDescription = {
		displayName: 'Spec Node',
		name: 'specNode',
		icon: 'file:x.svg',
		group: ['transform'],
		version: 1,
		description: 'Test node',
		defaults: { name: 'Spec Node' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrixCredentials,
		properties: [authenticationProperty('oAuth2'), ...buildOperationProperties(resources)],
	};
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return await executeOperation.call(this, resources);
		},
	};
}
