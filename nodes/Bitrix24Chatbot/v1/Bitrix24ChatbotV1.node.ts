import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty, bitrixCredentials } from '../../Bitrix24/fields/authentication';
import { searchBots } from '../../Bitrix24/lookups/bots';
import { buildOperationProperties, executeOperation } from '../../Bitrix24/operations';
import { chatbotResources } from '../resources';
import { CHATBOT_DESCRIPTION as DESCRIPTION } from '../description';
import { CHAT_API_V1, executeIfSendAndWait, SEND_AND_WAIT_TOOLTIP, SEND_AND_WAIT_WEBHOOKS, sendAndWaitWebhook } from '../sendAndWait';

/** Version 1: the imbot v1 API (imbot.*) — kept unchanged for workflows saved with it. */
export class Bitrix24ChatbotV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Chatbot',
		name: 'bitrix24Chatbot',
		group: ['output'],
		description: DESCRIPTION,
		version: 1,
		icon: { light: 'file:bitrix24Chatbot.svg', dark: 'file:bitrix24Chatbot.dark.svg' },
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		defaults: { name: 'Bitrix24 Chatbot' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrixCredentials,
		webhooks: SEND_AND_WAIT_WEBHOOKS,
		waitingNodeTooltip: SEND_AND_WAIT_TOOLTIP,
		properties: [
			authenticationProperty(
				'oAuth2',
				'How to connect to the portal. Under an incoming webhook, set "Chatbot Client ID" in the credential: it is sent as CLIENT_ID with every call.',
			),
			{
				displayName:
					'This is version 1 of the node: the chatbot API v1 (imbot.*), which Bitrix24 no longer develops. New bots should use version 2 (add the node again). A bot receives events only in the API version it was registered with.',
				name: 'versionNotice',
				type: 'notice',
				default: '',
			},
			...buildOperationProperties(chatbotResources),
		],
	};

	methods = {
		listSearch: { searchBots },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return (await executeIfSendAndWait(this, chatbotResources, CHAT_API_V1)) ?? (await executeOperation.call(this, chatbotResources));
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await sendAndWaitWebhook(this, CHAT_API_V1);
	}
}
