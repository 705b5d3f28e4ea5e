import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { Bitrix24ChatbotV1 } from './v1/Bitrix24ChatbotV1.node';
import { Bitrix24ChatbotV2 } from './v2/Bitrix24ChatbotV2.node';
import { CHATBOT_DESCRIPTION } from './description';

/**
 * Bitrix24 Chatbot: version 2 runs the current chatbot API (imbot.v2.*) and is what new nodes get; version 1 runs the
 * imbot v1 API and keeps every workflow saved with it working unchanged.
 */
export class Bitrix24Chatbot extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Bitrix24 Chatbot',
			name: 'bitrix24Chatbot',
			icon: { light: 'file:bitrix24Chatbot.svg', dark: 'file:bitrix24Chatbot.dark.svg' },
			group: ['output'],
			subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
			description: CHATBOT_DESCRIPTION,
			defaultVersion: 2,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new Bitrix24ChatbotV1(),
			2: new Bitrix24ChatbotV2(),
		};
		super(nodeVersions, baseDescription);
	}
}
