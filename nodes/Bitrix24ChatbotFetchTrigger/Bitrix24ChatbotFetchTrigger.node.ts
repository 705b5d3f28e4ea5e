import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { CHATBOT_V2_EVENTS, eventsSubtitle } from '../Bitrix24/events';
import { Bitrix24ChatbotFetchTriggerV1 } from './v1/Bitrix24ChatbotFetchTriggerV1.node';
import { Bitrix24ChatbotFetchTriggerV2 } from './v2/Bitrix24ChatbotFetchTriggerV2.node';

/**
 * Bitrix24 Chatbot Fetch Trigger: version 2 reads the bot's queue live (a long-running loop, events within seconds)
 * and is what new nodes get; version 1 reads it on n8n's poll schedule (at most once a minute) and keeps every
 * workflow saved with it working unchanged.
 */
export class Bitrix24ChatbotFetchTrigger extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Bitrix24 Chatbot Fetch Trigger',
			name: 'bitrix24ChatbotFetchTrigger',
			icon: { light: 'file:bitrix24ChatbotFetchTrigger.svg', dark: 'file:bitrix24ChatbotFetchTrigger.dark.svg' },
			group: ['trigger'],
			subtitle: eventsSubtitle(CHATBOT_V2_EVENTS),
			description: 'Fetches Bitrix24 chatbot (API v2) events from the bot\'s queue: no public URL needed, no event lost while n8n is down',
			defaultVersion: 2,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new Bitrix24ChatbotFetchTriggerV1(),
			2: new Bitrix24ChatbotFetchTriggerV2(),
		};
		super(nodeVersions, baseDescription);
	}
}
