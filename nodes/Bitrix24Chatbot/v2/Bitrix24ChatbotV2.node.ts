import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty, bitrixCredentials } from '../../Bitrix24/fields/authentication';
import { buildOperationProperties, executeOperation } from '../../Bitrix24/operations';
import { searchBotsV2, searchCommandsV2 } from './lookups';
import { chatbotV2Resources } from './resources';
import { CHATBOT_DESCRIPTION as DESCRIPTION } from '../description';
import { CHAT_API_V2, executeIfSendAndWait, SEND_AND_WAIT_TOOLTIP, SEND_AND_WAIT_WEBHOOKS, sendAndWaitWebhook } from '../sendAndWait';

/** Version 2: Bitrix24's current chatbot API (imbot.v2.*) — bots, messages, reactions, chats, commands, files. */
export class Bitrix24ChatbotV2 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Chatbot',
		name: 'bitrix24Chatbot',
		group: ['output'],
		description: DESCRIPTION,
		version: 2,
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
				'How to connect to the portal. Under an incoming webhook, set "Bot Token" in the credential: it is sent as botToken with every call.',
			),
			...buildOperationProperties(chatbotV2Resources),
		],
	};

	methods = {
		listSearch: { searchBotsV2, searchCommandsV2 },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return (await executeIfSendAndWait(this, chatbotV2Resources, CHAT_API_V2)) ?? (await executeOperation.call(this, chatbotV2Resources));
	}

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await sendAndWaitWebhook(this, CHAT_API_V2);
	}
}
