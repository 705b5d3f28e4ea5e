import type { INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { FetchState } from '../../Bitrix24/events';
import { eventsSubtitle, hookPortal, OPEN_CHANNELS_EVENTS } from '../../Bitrix24/events';
import { liveTimingProperty, offlineQueueSource, quietIntervalOption, runLiveTrigger } from '../../Bitrix24/events/live';
import { authenticationProperty, bitrixCredentials } from '../../Bitrix24/fields/authentication';
import { shortNotice } from '../../Bitrix24/fields/notice';
import { searchConnectors, searchLines } from '../../Bitrix24/lookups';
import { chatOfRecord, commonOptions, confirmAll, eventsProperty, NAME, recordItems, selectionOf } from '../shared';

/**
 * Connector events without a public URL, live: the events are bound as offline events (event.bind
 * event_type=offline) on activation and read with event.offline.get in a long-running loop; one execution per
 * record, and a batch is cleared once n8n has taken its runs.
 */
export class Bitrix24OpenChannelsFetchTriggerV2 implements INodeType {
	description: INodeTypeDescription = {
		displayName: NAME,
		name: 'bitrix24OpenChannelsFetchTrigger',
		icon: { light: 'file:bitrix24OpenChannelsFetchTrigger.svg', dark: 'file:bitrix24OpenChannelsFetchTrigger.dark.svg' },
		group: ['trigger'],
		version: 2,
		subtitle: eventsSubtitle(OPEN_CHANNELS_EVENTS),
		description: 'Starts a workflow within seconds of a Bitrix24 Open Channels event, read as offline events: no public URL needed, no event lost while n8n is down',
		defaults: { name: NAME },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrixCredentials,
		properties: [
			authenticationProperty(
				'oAuth2',
				'Offline events can be used only by an application, as an administrator: use the OAuth2 credential of an admin. The events are bound as offline events on activation and stay bound when the workflow is deactivated.',
			),
			liveTimingProperty,
			shortNotice('webhookNotice', 'This trigger cannot run with an Incoming Webhook credential: Bitrix24 gives events only to an application. Choose OAuth2 (Application) above.', 'triggers.md', { authentication: ['webhook'] }),
			eventsProperty,
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					...commonOptions('Read'),
					quietIntervalOption,
				],
			},
		],
	};

	methods = {
		listSearch: { searchConnectors, searchLines },
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		const selection = selectionOf(this);
		const portal = await hookPortal(this, 'event.offline.get');
		const state = this.getWorkflowStaticData('node') as FetchState;
		const ctx = this;
		const source = offlineQueueSource(this, portal, state, {
			events: selection.events,
			authConnector: selection.authConnector,
			limit: selection.batchSize,
			toItems: (record) => recordItems(record, selection),
			orderKeyOf: chatOfRecord,
			afterRead: async (records) => {
				if (selection.confirmDelivery) await confirmAll(ctx, portal, records.filter((r) => recordItems(r, selection).length > 0));
			},
			onSetAside: (count) => ctx.logger.warn(`${NAME}: ${count} record(s) that could not be read were set aside (event.offline.error).`),
		});
		return await runLiveTrigger(this, portal, { source, state, idleSeconds: selection.options.idleSeconds, name: NAME });
	}
}
