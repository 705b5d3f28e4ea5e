import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { OfflineRecord } from '../../Bitrix24/events';
import { eventsSubtitle, hookError, hookPortal, OPEN_CHANNELS_EVENTS, pollOffline } from '../../Bitrix24/events';
import { authenticationProperty, bitrixCredentials } from '../../Bitrix24/fields/authentication';
import { searchConnectors, searchLines } from '../../Bitrix24/lookups';
import { commonOptions, confirmAll, eventsProperty, NAME, recordItems, selectionOf } from '../shared';

/**
 * Connector events without a public URL, on n8n's poll schedule: the events are bound as offline events (event.bind
 * event_type=offline) and read with event.offline.get; a batch is cleared on the poll after n8n took it.
 */
export class Bitrix24OpenChannelsFetchTriggerV1 implements INodeType {
	description: INodeTypeDescription = {
		displayName: NAME,
		name: 'bitrix24OpenChannelsFetchTrigger',
		icon: { light: 'file:bitrix24OpenChannelsFetchTrigger.svg', dark: 'file:bitrix24OpenChannelsFetchTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(OPEN_CHANNELS_EVENTS),
		description: 'Fetches Bitrix24 Open Channels events (connector, open-line sessions and messages) as offline events: no public URL needed, no event lost while n8n is down',
		defaults: { name: NAME },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrixCredentials,
		properties: [
			authenticationProperty('oAuth2', 'Offline events can be used only by an application, as an administrator: use the OAuth2 credential of an admin'),
			{
				displayName:
					'The first poll binds the chosen events as offline events (event.bind event_type=offline, administrator only) and every poll reads them with event.offline.get: n8n needs no public URL, and events that happen while n8n is stopped wait in Bitrix24\'s queue. The bindings stay when the workflow is deactivated (remove them with event.unbind). For instant delivery to a public URL use the Bitrix24 Open Channels Trigger instead.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			eventsProperty,
			{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, options: commonOptions('Poll') },
		],
	};

	methods = {
		listSearch: { searchConnectors, searchLines },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const selection = selectionOf(this);
		const portal = await hookPortal(this, 'event.offline.get');
		let records: OfflineRecord[];
		try {
			records = (await pollOffline(this, portal, { events: selection.events, authConnector: selection.authConnector, limit: selection.batchSize })).records;
		} catch (error) {
			throw hookError(this, error, portal);
		}
		const taken = records.filter((r) => recordItems(r, selection).length > 0);
		const items = taken.flatMap((r) => recordItems(r, selection));
		if (items.length === 0) return null;
		if (selection.confirmDelivery && this.getMode() !== 'manual') await confirmAll(this, portal, taken);
		return [this.helpers.returnJsonArray(items)];
	}
}
