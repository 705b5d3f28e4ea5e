import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	BOT_SOURCE_CREATE,
	botV2SourceProperties,
	CHATBOT_V2_EVENTS,
	chatbotV2Item,
	eventsSubtitle,
	hookError,
	hookPortal,
	pollBotQueue,
	resolveBotV2,
} from '../Bitrix24/events';
import type { Portal } from '../Bitrix24/transport';
import { forwardChatAnswer } from '../Bitrix24/events/sendAndWaitAnswer';
import { authenticationProperty, bitrixCredentials } from '../Bitrix24/fields/authentication';
import { shortNotice } from '../Bitrix24/fields/notice';
import { BOT_V2_TYPES, botV2Field } from '../Bitrix24Chatbot/v2/fields/common';
import { searchBotsV2 } from '../Bitrix24Chatbot/v2/lookups';

/**
 * The bot to read: the chosen one, or the bot of "Create on Activation" — registered by the first poll (a test fetch
 * too) and remembered by its code in the node's static data, so later polls make no extra call.
 */
async function botToPoll(ctx: IPollFunctions, portal: Portal): Promise<number> {
	if (ctx.getNodeParameter('botSource', 'existing') !== BOT_SOURCE_CREATE) {
		const botId = Number(ctx.getNodeParameter('botId', '', { extractValue: true }));
		if (!Number.isInteger(botId) || botId < 1) throw new NodeOperationError(ctx.getNode(), 'No bot chosen: pick one under Existing Bot, or set Bot to "Create on Activation".');
		return botId;
	}
	const code = String(ctx.getNodeParameter('botCode', '')).trim();
	const saved = ctx.getWorkflowStaticData('node') as IDataObject;
	const known = saved.createdBot as IDataObject | undefined;
	if (known && known.code === code && Number(known.botId) > 0) return Number(known.botId);
	const bot = await resolveBotV2(ctx, portal);
	saved.createdBot = { code, botId: bot.botId };
	return bot.botId;
}

/**
 * Chatbots 2.0 events without a public URL: the bot runs in eventMode "fetch" and this trigger reads its queue with
 * imbot.v2.Event.get on n8n's poll schedule. An event is acknowledged (offset) on the poll after n8n took it.
 */
export class Bitrix24ChatbotFetchTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Chatbot Fetch Trigger',
		name: 'bitrix24ChatbotFetchTrigger',
		icon: { light: 'file:bitrix24ChatbotFetchTrigger.svg', dark: 'file:bitrix24ChatbotFetchTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(CHATBOT_V2_EVENTS),
		description: 'Starts the workflow when someone writes to your Bitrix24 chatbot (support bot, AI assistant, operator hand-off). Choose it when n8n has no public address: it checks for messages on a schedule.',
		defaults: { name: 'Bitrix24 Chatbot Fetch Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrixCredentials,
		properties: [
			authenticationProperty('oAuth2'),
			shortNotice('notice', 'Works without a public address: checks for new messages on the schedule below, and messages sent while n8n is off arrive later.', 'chatbot-v2.md#which-trigger'),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['ONIMBOTV2MESSAGEADD'],
				options: CHATBOT_V2_EVENTS.filter((o) => o.value !== 'ONIMBOTV2DELETE'),
				description: 'The bot events that start the workflow; the others are acknowledged without an execution',
			},
			...botV2SourceProperties({ ...botV2Field.property, description: 'The chatbot (API v2) whose events start this workflow' }, BOT_V2_TYPES),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Max Events per Poll',
						name: 'batchSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 1000 },
						default: 100,
						description: 'Events read per poll (imbot.v2.Event.get limit). A longer backlog is read over the next polls.',
					},
				],
			},
		],
	};

	methods = {
		listSearch: { searchBotsV2 },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const events = this.getNodeParameter('events', []) as string[];
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const portal = await hookPortal(this, 'imbot.v2.Event.get');
		let batch;
		try {
			const botId = await botToPoll(this, portal);
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
