import type { IDataObject, INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { eventsSubtitle, hookError, hookPortal } from '../Bitrix24/events';
import { quietIntervalOption, runLiveTrigger } from '../Bitrix24/events/live';
import { authenticationProperty, bitrixCredentials } from '../Bitrix24/fields/authentication';
import { MESSENGER_EVENTS } from './events';
import type { MessengerState } from './source';
import { messengerSource, userIdOf } from './source';
import { holdSubscription, subscribeUser } from './subscription';

const NAME = 'Bitrix24 Messenger Trigger';

/**
 * "Start a workflow when a message arrives in any of my chats": the credential user's messenger events
 * (im.v2.Event.subscribe / get) on the live engine (../Bitrix24/events/live), one execution per event, in seconds.
 */
export class Bitrix24MessengerTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: NAME,
		name: 'bitrix24MessengerTrigger',
		icon: { light: 'file:bitrix24MessengerTrigger.svg', dark: 'file:bitrix24MessengerTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(MESSENGER_EVENTS),
		description: 'Starts a workflow within seconds when something happens in any of your Bitrix24 chats: no bot, no public URL needed',
		defaults: { name: NAME },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrixCredentials,
		properties: [
			authenticationProperty('oAuth2'),
			{
				displayName:
					'Watches all chats of the credential\'s user, within seconds and without a public URL. Bitrix24 gives one user\'s events to one app only: another app or workflow reading this user takes events away from this one.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['ONIMV2MESSAGEADD'],
				options: MESSENGER_EVENTS,
				description: 'What starts the workflow (one run per event); other events are skipped',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Ignore My Own Messages',
						name: 'ignoreOwn',
						type: 'boolean',
						default: true,
						description: 'Whether to skip messages you wrote yourself (also those the workflow sends as you), so a reply does not start the workflow again',
					},
					{
						displayName: 'Max Events per Read',
						name: 'batchSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 1000 },
						default: 100,
						description: 'Events read at once (im.v2.Event.get limit). A longer backlog is read in several goes, 2 s apart.',
					},
					quietIntervalOption,
					{
						displayName: 'Stop Recording When Deactivated',
						name: 'unsubscribe',
						type: 'boolean',
						default: false,
						description:
							'Whether to tell Bitrix24 to stop recording your events when this workflow stops (im.v2.Event.unsubscribe), unless another workflow here still reads them. n8n stops workflows the same way when it shuts down, so messages written while n8n is down are then not delivered.',
					},
				],
			},
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const events = this.getNodeParameter('events', []) as string[];
		if (events.length === 0) throw new NodeOperationError(this.getNode(), 'Choose at least one event under "Events"');
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const portal = await hookPortal(this, 'im.v2.Event.get');
		const ctx = this;
		const state = this.getWorkflowStaticData('node') as MessengerState;
		try {
			const userId = await userIdOf(this, portal);
			const manual = this.getMode() === 'manual';
			// a test run peeks at the queue: the user must be subscribed for anything to be recorded
			if (manual) await subscribeUser(this, portal);
			const hold = manual ? undefined : holdSubscription(this, portal, state, userId);
			const source = messengerSource(this, portal, state, {
				userId,
				events,
				ignoreOwn: options.ignoreOwn !== false,
				limit: Number(options.batchSize ?? 100) || 100,
				subscribe: hold ? async () => await hold.subscribe() : undefined,
				onSetAside: (count) => ctx.logger.warn(`${NAME}: ${count} event(s) that could not be read were skipped.`),
			});
			let live: ITriggerResponse;
			try {
				live = await runLiveTrigger(this, portal, { source, state, idleSeconds: options.idleSeconds, name: NAME });
			} catch (error) {
				hold?.release();
				throw hookError(this, error, portal);
			}
			return {
				...live,
				closeFunction: async () => {
					await live.closeFunction?.();
					await hold?.end(options.unsubscribe === true);
				},
			};
		} catch (error) {
			throw hookError(this, error, portal);
		}
	}
}
