import type { IDataObject, INodeProperties, IPollFunctions, ITriggerFunctions } from 'n8n-workflow';

import { BOT_SOURCE_CREATE, botV2SourceProperties, CHATBOT_V2_EVENTS, chosenBotId, resolveBotV2 } from '../Bitrix24/events';
import type { Portal } from '../Bitrix24/transport';
import { BOT_V2_TYPES, botV2Field } from '../Bitrix24Chatbot/v2/fields/common';

/** The parts both versions of the Chatbot Fetch Trigger share (v1: n8n's poller, v2: live). */
export const NAME = 'Bitrix24 Chatbot Fetch Trigger';

export function eventsProperty(description: string): INodeProperties {
	return {
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['ONIMBOTV2MESSAGEADD'],
		options: CHATBOT_V2_EVENTS.filter((o) => o.value !== 'ONIMBOTV2DELETE'),
		description,
	};
}

/** Options → Max Events per Poll / Read (imbot.v2.Event.get limit). */
export function batchSizeOption(batchLabel: string, more: string): INodeProperties {
	return {
		displayName: `Max Events per ${batchLabel}`,
		name: 'batchSize',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 1000 },
		default: 100,
		description: `Events read per ${batchLabel.toLowerCase()} (imbot.v2.Event.get limit). ${more}.`,
	};
}

/** Bot: From List | Create on Activation, and the bot fields of each. */
export function botSourceProperties(description: string): INodeProperties[] {
	return botV2SourceProperties({ ...botV2Field.property, description }, BOT_V2_TYPES);
}

/**
 * The bot to read: the chosen one, or the bot of "Create on Activation" — registered on the first read (a test run
 * too) and remembered by its code in the node's static data, so later reads make no extra call.
 */
export async function botIdOf(ctx: IPollFunctions | ITriggerFunctions, portal: Portal): Promise<number> {
	if (ctx.getNodeParameter('botSource', 'existing') !== BOT_SOURCE_CREATE) {
		return chosenBotId(ctx);
	}
	const code = String(ctx.getNodeParameter('botCode', '')).trim();
	const saved = ctx.getWorkflowStaticData('node') as IDataObject;
	const known = saved.createdBot as IDataObject | undefined;
	if (known && known.code === code && Number(known.botId) > 0) return Number(known.botId);
	const bot = await resolveBotV2(ctx, portal);
	saved.createdBot = { code, botId: bot.botId };
	return bot.botId;
}
