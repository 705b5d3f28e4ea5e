import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	CHATBOT_V2_EVENTS,
	chatbotV2Item,
	eventsSubtitle,
	hookError,
	hookPortal,
	pollBotQueue,
} from '../../Bitrix24/events';
import { forwardChatAnswer } from '../../Bitrix24/events/sendAndWaitAnswer';
import { authenticationProperty, bitrixCredentials } from '../../Bitrix24/fields/authentication';
import { botV2Field } from '../../Bitrix24Chatbot/v2/fields/common';
import { searchBotsV2 } from '../../Bitrix24Chatbot/v2/lookups';
import { batchSizeOption, botIdOf, eventsProperty, NAME } from '../shared';

/**
 * Chatbots 2.0 events without a public URL: the bot runs in eventMode "fetch" and this trigger reads its queue with
 * imbot.v2.Event.get on n8n's poll schedule. An event is acknowledged (offset) on the poll after n8n took it.
 */
export class Bitrix24ChatbotFetchTriggerV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: NAME,
		name: 'bitrix24ChatbotFetchTrigger',
		icon: { light: 'file:bitrix24ChatbotFetchTrigger.svg', dark: 'file:bitrix24ChatbotFetchTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(CHATBOT_V2_EVENTS),
		description: 'Fetches Bitrix24 chatbot (API v2) events from the bot\'s queue: no public URL needed, no event lost while n8n is down',
		defaults: { name: NAME },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrixCredentials,
		properties: [
			authenticationProperty('oAuth2'),
			{
				displayName:
					'Reads the bot\'s event queue (imbot.v2.Event.get) on the schedule below: n8n needs no public URL. The first poll switches the bot to eventMode "fetch" (a bot in webhook mode stops POSTing). Bitrix24 keeps events for 24 hours, so events sent while n8n is stopped arrive on the next poll. For instant delivery to a public URL use the Bitrix24 Chatbot Trigger instead.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			eventsProperty('The bot events that start the workflow; the others are acknowledged without an execution'),
			{ ...botV2Field.property, description: 'The chatbot (API v2) whose events start this workflow' },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					batchSizeOption('Poll', 'A longer backlog is read over the next polls'),
				],
			},
		],
	};

	methods = {
		listSearch: { searchBotsV2 },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const events = this.getNodeParameter('events', []) as string[];
		const botId = botIdOf(this);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const portal = await hookPortal(this, 'imbot.v2.Event.get');
		let batch;
		try {
			batch = await pollBotQueue(this, portal, { botId, events, limit: Number(options.batchSize ?? 100) || 100 });
		} catch (error) {
			throw hookError(this, error, portal);
		}
		if (batch.events.length === 0) return null;
		const items = [];
		for (const item of batch.events.map((event) => chatbotV2Item(event))) if (!(await forwardChatAnswer(this, item))) items.push(item);
		return items.length ? [this.helpers.returnJsonArray(items)] : null;
	}
}
