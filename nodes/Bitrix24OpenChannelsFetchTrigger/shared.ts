import type { IDataObject, INodeProperties, IPollFunctions, ITriggerFunctions } from 'n8n-workflow';

import type { OfflineRecord } from '../Bitrix24/events';
import { deliveryConfirmation, hookError, matchesConnectorFilter, OPEN_CHANNELS_EVENTS, openChannelsItems } from '../Bitrix24/events';
import { connectorLocatorProperty, lineLocatorProperty } from '../Bitrix24/fields/openChannels';
import type { Portal } from '../Bitrix24/transport';
import { callMethod } from '../Bitrix24/transport';

/** The parts both versions of the Open Channels Fetch Trigger share (v1: n8n's poller, v2: live). */
export const NAME = 'Bitrix24 Open Channels Fetch Trigger';

export const eventsProperty: INodeProperties = {
	displayName: 'Events',
	name: 'events',
	type: 'multiOptions',
	required: true,
	default: ['ONIMCONNECTORMESSAGEADD'],
	options: OPEN_CHANNELS_EVENTS,
	description: 'The events to bind as offline events and fetch. All of them need an app (OAuth2); the open-line events (sessions, open-line messages) are recorded only for its own connector.',
};

/** The Options collection's entries; `batchLabel` names a read ("Poll" or "Read"). */
export function commonOptions(batchLabel: string): INodeProperties[] {
	return [
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
			displayName: `Max Events per ${batchLabel}`,
			name: 'batchSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 1000 },
			default: 50,
			description: `Offline records read per ${batchLabel.toLowerCase()} (event.offline.get limit). A longer backlog is read in several goes.`,
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
	];
}

export interface Selection {
	events: string[];
	connector: string;
	line: string;
	authConnector: string;
	confirmDelivery: boolean;
	batchSize: number;
	options: IDataObject;
}

/** The node's parameters as the trigger uses them. */
export function selectionOf(ctx: IPollFunctions | ITriggerFunctions): Selection {
	const events = ctx.getNodeParameter('events', []) as string[];
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const connector = options.connector ? String(ctx.getNodeParameter('options.connector', '', { extractValue: true }) ?? '').trim() : '';
	const line = options.line ? String(ctx.getNodeParameter('options.line', '', { extractValue: true }) ?? '').trim() : '';
	return {
		events,
		connector,
		line,
		authConnector: String(options.authConnector ?? '').trim(),
		confirmDelivery: options.confirmDelivery !== false,
		batchSize: Number(options.batchSize ?? 50) || 50,
		options,
	};
}

/** A record's items when it passes the chosen events, connector and line; [] otherwise. */
export function recordItems(record: OfflineRecord, selection: Selection): IDataObject[] {
	if (!selection.events.includes(record.received.event) || !matchesConnectorFilter(record.received, selection.connector, selection.line)) return [];
	return openChannelsItems(record.received).map((item) => ({ ...item, offlineEventId: record.id }));
}

/**
 * The chat an Open Channels record belongs to, from its first item: the Bitrix24 chat, else the outside chat of its
 * connector and line. Records of one chat run in queue order; a record without a chat (a line or connector event) is
 * not held back.
 */
export function chatOfRecord(items: IDataObject[]): string | undefined {
	const item = items[0];
	const chat = item?.chat;
	if (!chat || typeof chat !== 'object' || Array.isArray(chat)) return undefined;
	const { id, externalId } = chat as IDataObject;
	const given = (value: unknown) => value !== undefined && value !== null && value !== '';
	if (given(id)) return `chat:${String(id)}`;
	return given(externalId) ? `external:${String(item.connector ?? '')}:${String(item.line ?? '')}:${String(externalId)}` : undefined;
}

/** Confirms the fetched operator messages; a failure is logged, the events are delivered anyway. */
export async function confirmAll(ctx: IPollFunctions | ITriggerFunctions, portal: Portal, records: OfflineRecord[]): Promise<void> {
	for (const record of records) {
		const call = deliveryConfirmation(record.received);
		if (!call) continue;
		try {
			await callMethod(ctx, portal, call);
		} catch (error) {
			ctx.logger.warn(`${NAME}: ${call.method} failed: ${hookError(ctx, error, portal).message}`);
		}
	}
}
