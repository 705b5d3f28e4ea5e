import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { Portal } from '../Bitrix24/transport';
import { callMethod } from '../Bitrix24/transport';
import type { OfflineRecord } from '../Bitrix24/events';
import {
	deliveryConfirmation,
	eventsSubtitle,
	hookError,
	hookPortal,
	matchesConnectorFilter,
	OPEN_CHANNELS_EVENTS,
	openChannelsItems,
	pollOffline,
} from '../Bitrix24/events';
import { authenticationProperty, bitrixCredentials } from '../Bitrix24/fields/authentication';
import { shortNotice } from '../Bitrix24/fields/notice';
import { connectorLocatorProperty, lineLocatorProperty } from '../Bitrix24/fields/openChannels';
import { searchConnectors, searchLines } from '../Bitrix24/lookups';

/**
 * Connector events without a public URL: the events are bound as offline events (event.bind event_type=offline) and
 * this trigger reads them with event.offline.get on n8n's poll schedule; a batch is cleared on the poll after n8n took it.
 */
export class Bitrix24OpenChannelsFetchTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Open Channels Fetch Trigger',
		name: 'bitrix24OpenChannelsFetchTrigger',
		icon: { light: 'file:bitrix24OpenChannelsFetchTrigger.svg', dark: 'file:bitrix24OpenChannelsFetchTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(OPEN_CHANNELS_EVENTS),
		description: 'Starts the workflow on Open Channels (open line, live chat, support) events like the Open Channels Trigger, but without a public n8n address: it checks for events on a schedule',
		defaults: { name: 'Bitrix24 Open Channels Fetch Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrixCredentials,
		properties: [
			authenticationProperty('oAuth2', 'Offline events can be used only by an application, as an administrator: use the OAuth2 credential of an admin'),
			shortNotice('notice', 'Works without a public address: checks for new events on the schedule below, and events that happen while n8n is off arrive later.', 'triggers.md', { authentication: ['oAuth2'] }),
			shortNotice('webhookNotice', 'This trigger cannot run with an Incoming Webhook credential: Bitrix24 gives events only to an application. Choose OAuth2 (Application) above.', 'triggers.md', { authentication: ['webhook'] }),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['ONIMCONNECTORMESSAGEADD'],
				options: OPEN_CHANNELS_EVENTS,
				description: 'The events to bind as offline events and fetch. All of them need an app (OAuth2); the open-line events (sessions, open-line messages) are recorded only for its own connector.',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Confirm Delivery',
						name: 'confirmDelivery',
						type: 'boolean',
						default: true,
						description:
							'Whether to confirm fetched operator messages with imconnector.send.status.delivery (one call per event). Without it the operator sees them as not delivered until you confirm them yourself.',
					},
					{
						...connectorLocatorProperty,
						required: false,
						description: 'Only events of this connector. Events without a connector (Line Deleted) are not filtered by it. Other events are acknowledged without an execution.',
					},
					{
						...lineLocatorProperty,
						required: false,
						description: 'Only events of this Open Channel (line)',
					},
					{
						displayName: 'Max Events per Poll',
						name: 'batchSize',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 1000 },
						default: 50,
						description: 'Offline records read per poll (event.offline.get limit). A longer backlog is read over the next polls.',
					},
					{
						displayName: 'Queue Key (Auth Connector)',
						name: 'authConnector',
						type: 'string',
						default: '',
						placeholder: 'e.g. n8n_support',
						description:
							'The auth_connector of event.bind and event.offline.*: a queue of its own. Give each fetch trigger that uses the same application a different key, or they take each other\'s events.',
					},
				],
			},
		],
	};

	methods = {
		listSearch: { searchConnectors, searchLines },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const events = this.getNodeParameter('events', []) as string[];
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const connector = options.connector ? String(this.getNodeParameter('options.connector', '', { extractValue: true }) ?? '').trim() : '';
		const line = options.line ? String(this.getNodeParameter('options.line', '', { extractValue: true }) ?? '').trim() : '';
		const portal = await hookPortal(this, 'event.offline.get');
		let records: OfflineRecord[];
		try {
			records = (
				await pollOffline(this, portal, {
					events,
					authConnector: String(options.authConnector ?? '').trim(),
					limit: Number(options.batchSize ?? 50) || 50,
				})
			).records;
		} catch (error) {
			throw hookError(this, error, portal);
		}
		const taken = records.filter((r) => events.includes(r.received.event) && matchesConnectorFilter(r.received, connector, line));
		const items = taken.flatMap((r) => openChannelsItems(r.received).map((item) => ({ ...item, offlineEventId: r.id })));
		if (items.length === 0) return null;
		if (options.confirmDelivery !== false && this.getMode() !== 'manual') await confirmAll(this, portal, taken);
		return [this.helpers.returnJsonArray(items)];
	}
}

/** Confirms the fetched operator messages; a failure is logged, the events are delivered anyway. */
async function confirmAll(ctx: IPollFunctions, portal: Portal, records: OfflineRecord[]): Promise<void> {
	for (const record of records) {
		const call = deliveryConfirmation(record.received);
		if (!call) continue;
		try {
			await callMethod(ctx, portal, call);
		} catch (error) {
			ctx.logger.warn(`Bitrix24 Open Channels Fetch Trigger: ${call.method} failed: ${hookError(ctx, error, portal).message}`);
		}
	}
}
