import type { IDataObject, INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { CHATBOT_V2_EVENT_NAMES, CHATBOT_V2_EVENTS, chatbotV2Item, ensureFetchMode, eventsSubtitle, hookError, hookPortal } from '../../Bitrix24/events';
import type { FetchState } from '../../Bitrix24/events';
import { eventQueueSource, liveTimingProperty, quietIntervalOption, runLiveTrigger } from '../../Bitrix24/events/live';
import { forwardChatAnswer } from '../../Bitrix24/events/sendAndWaitAnswer';
import { authenticationProperty, bitrixCredentials } from '../../Bitrix24/fields/authentication';
import { callMethod } from '../../Bitrix24/transport';
import { searchBotsV2 } from '../../Bitrix24Chatbot/v2/lookups';
import { batchSizeOption, botIdOf, botSourceProperties, eventsProperty, NAME } from '../shared';

/**
 * Chatbots 2.0 events without a public URL, live: the bot runs in eventMode "fetch" and this trigger reads its queue
 * (imbot.v2.Event.get) in a long-running loop (../../Bitrix24/events/live): one execution per event, within seconds.
 */
export class Bitrix24ChatbotFetchTriggerV2 implements INodeType {
	description: INodeTypeDescription = {
		displayName: NAME,
		name: 'bitrix24ChatbotFetchTrigger',
		icon: { light: 'file:bitrix24ChatbotFetchTrigger.svg', dark: 'file:bitrix24ChatbotFetchTrigger.dark.svg' },
		group: ['trigger'],
		version: 2,
		subtitle: eventsSubtitle(CHATBOT_V2_EVENTS),
		description: 'Starts a workflow within seconds of a Bitrix24 chatbot (API v2) event: no public URL needed, no event lost while n8n is down',
		defaults: { name: NAME },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrixCredentials,
		properties: [
			authenticationProperty('oAuth2'),
			liveTimingProperty,
			eventsProperty('The bot events that start the workflow (one run per event); the others are acknowledged without a run'),
			...botSourceProperties('The chatbot (API v2) whose events start this workflow. It is switched to fetch mode: a bot in webhook mode stops sending to its URL.'),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include My Messenger Events',
						name: 'withUserEvents',
						type: 'boolean',
						default: false,
						description:
							'Whether to also start the workflow for the messenger events (im.v2) of the credential\'s user, read through the bot\'s queue. Needs the im scope; the user is subscribed (im.v2.Event.subscribe) on activation.',
					},
					batchSizeOption('Read', 'A longer backlog is read in several goes, 2 s apart'),
					quietIntervalOption,
				],
			},
		],
	};

	methods = {
		listSearch: { searchBotsV2 },
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const events = this.getNodeParameter('events', []) as string[];
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const withUserEvents = options.withUserEvents === true;
		const portal = await hookPortal(this, 'imbot.v2.Event.get');
		let botId: number;
		try {
			botId = await botIdOf(this, portal);
		} catch (error) {
			throw hookError(this, error, portal);
		}
		const state = this.getWorkflowStaticData('node') as FetchState;
		const ctx = this;
		const source = eventQueueSource(this, portal, state, {
			key: `bot:${botId}`,
			method: 'imbot.v2.Event.get',
			params: withUserEvents ? { botId, withUserEvents: true } : { botId },
			limit: Number(options.batchSize ?? 100) || 100,
			prepare: async () => {
				await ensureFetchMode(ctx, portal, state, botId);
				if (withUserEvents) await callMethod(ctx, portal, { method: 'im.v2.Event.subscribe', params: {}, write: true });
			},
			toEvent: async (event) => {
				const userEvent = !CHATBOT_V2_EVENT_NAMES.includes(event.type); // the user's im.v2 events (withUserEvents)
				if (userEvent && !withUserEvents) return undefined;
				const item = chatbotV2Item(event);
				// an in-chat answer (a command button of Send and Wait) reaches its waiting run whatever events are selected
				if (!userEvent && (await forwardChatAnswer(ctx, item))) return [];
				if (!userEvent && !events.includes(event.type)) return undefined;
				return [item];
			},
			orderKeyOf: (event) => String(chatbotV2Item(event).dialogId ?? ''),
			onSetAside: (count) => ctx.logger.warn(`${NAME}: ${count} event(s) that could not be read were skipped.`),
		});
		return await runLiveTrigger(this, portal, { source, state, idleSeconds: options.idleSeconds, name: NAME });
	}
}
