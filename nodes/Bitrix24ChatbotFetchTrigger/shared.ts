import type { INodeProperties, IPollFunctions, ITriggerFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CHATBOT_V2_EVENTS } from '../Bitrix24/events';

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

/** The chosen bot id, refused before anything is sent when it is not a whole number. */
export function botIdOf(ctx: IPollFunctions | ITriggerFunctions): number {
	const botId = Number(ctx.getNodeParameter('botId', '', { extractValue: true }));
	if (!Number.isInteger(botId) || botId < 1) throw new NodeOperationError(ctx.getNode(), 'Choose the bot whose events to fetch (a whole number bot ID)');
	return botId;
}
