import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty, bitrixCredentials } from '../Bitrix24/fields/authentication';
import { searchConnectors, searchLines } from '../Bitrix24/lookups';
import { buildOperationProperties, executeOperation } from '../Bitrix24/operations';
import { searchBotsV2 } from '../Bitrix24Chatbot/v2/lookups';
import { openChannelsResources as resources } from './resources';

export class Bitrix24OpenChannels implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Open Channels',
		name: 'bitrix24OpenChannels',
		icon: { light: 'file:bitrix24OpenChannels.svg', dark: 'file:bitrix24OpenChannels.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Run a custom Open Channels connector (imconnector) and the Open Channels (imopenlines) in Bitrix24: lines, sessions, operators, CRM',
		defaults: { name: 'Bitrix24 Open Channels' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrixCredentials,
		properties: [
			authenticationProperty('oAuth2', 'How to connect to the portal. Connector, message and chat operations need OAuth2 (an app).'),
			{
				displayName:
					'Bitrix24 refuses every imconnector method over an incoming webhook (WRONG_AUTH_TYPE): connector, message and chat operations need the OAuth2 credential. Line, session, operator, CRM, quick answer and network line operations work with both.',
				name: 'webhookNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { authentication: ['webhook'], resource: ['connector', 'message', 'chat'] } },
			},
			...buildOperationProperties(resources),
		],
	};

	methods = {
		listSearch: { searchBotsV2, searchConnectors, searchLines },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperation.call(this, resources);
	}
}
