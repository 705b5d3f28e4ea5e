import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty, bitrixCredentials } from '../Bitrix24/fields/authentication';
import { searchBots } from '../Bitrix24/lookups/bots';
import { buildOperationProperties, executeOperation } from '../Bitrix24/operations';
import { chatbotResources } from './resources';

/** Bitrix24 Chatbot: the imbot v1 API — bots, messages with keyboards and attachments, chats, commands. */
export class Bitrix24Chatbot implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Chatbot',
		name: 'bitrix24Chatbot',
		icon: { light: 'file:bitrix24Chatbot.svg', dark: 'file:bitrix24Chatbot.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Register Bitrix24 chatbots, send messages with keyboards and attachments, run chats and commands',
		defaults: { name: 'Bitrix24 Chatbot' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrixCredentials,
		properties: [
			authenticationProperty(
				'oAuth2',
				'How to connect to the portal. Under an incoming webhook, set "Chatbot Client ID" in the credential: it is sent as CLIENT_ID with every call.',
			),
			...buildOperationProperties(chatbotResources),
		],
	};

	methods = {
		listSearch: { searchBots },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeOperation.call(this, chatbotResources);
	}
}
