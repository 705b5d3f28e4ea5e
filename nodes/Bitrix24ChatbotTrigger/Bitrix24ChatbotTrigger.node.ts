import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { Bitrix24ChatbotV1Trigger } from './v1/Bitrix24ChatbotTriggerV1.node';
import { Bitrix24ChatbotV2Trigger } from './v2/Bitrix24ChatbotTriggerV2.node';
import { eventsSubtitle, CHATBOT_V2_EVENTS } from '../Bitrix24/events';

/**
 * Bitrix24 Chatbot Trigger: version 2 receives Chatbots 2.0 (imbot.v2) events in webhook mode and is what new nodes
 * get; version 1 (imbot v1 handler URLs) keeps every workflow saved with it working unchanged. The fetch (pull) mode
 * of v2 bots is a polling node of its own, Bitrix24 Chatbot Fetch Trigger: n8n schedules poll() only for node types
 * with `polling: true`, and registers webhooks for every node type that declares them.
 */
export class Bitrix24ChatbotTrigger extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Bitrix24 Chatbot Trigger',
			name: 'bitrix24ChatbotTrigger',
			icon: { light: 'file:bitrix24ChatbotTrigger.svg', dark: 'file:bitrix24ChatbotTrigger.dark.svg' },
			group: ['trigger'],
			subtitle: eventsSubtitle(CHATBOT_V2_EVENTS),
			description: 'Starts the workflow on Bitrix24 chatbot events (messages to the bot, commands, joins)',
			defaultVersion: 2,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new Bitrix24ChatbotV1Trigger(),
			2: new Bitrix24ChatbotV2Trigger(),
		};
		super(nodeVersions, baseDescription);
	}
}
