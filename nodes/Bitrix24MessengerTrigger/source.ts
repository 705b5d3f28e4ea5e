import type { IDataObject } from 'n8n-workflow';

import type { V2Event } from '../Bitrix24/events/chatbotV2Events';
import { chatbotV2Item } from '../Bitrix24/events/chatbotV2Events';
import { eventQueueSource } from '../Bitrix24/events/live';
import type { LiveSource, QueueOffsetState } from '../Bitrix24/events/live';
import type { Portal } from '../Bitrix24/transport';
import { callMethod } from '../Bitrix24/transport';
import type { BitrixContext } from '../Bitrix24/transport/types';
import { MESSAGE_EVENTS } from './events';

/**
 * The Messenger Trigger's queue: the credential user's im.v2 events (im.v2.Event.get), read by the live engine's v2
 * event-queue source (offset acknowledgement, id checks, remembered ids). This file only says which events start a
 * run and how an event becomes an item.
 */

/** What the trigger keeps in the node's static data (saved by n8n after activation and with every emit). */
export interface MessengerState extends QueueOffsetState {
	/** The trigger that made the im.v2 subscription (workflow:node), for "Stop Recording When Deactivated". */
	subscribedBy?: string;
}

export interface MessengerOptions {
	/** The credential's user (profile.ID); undefined when the portal did not say. */
	userId?: number;
	/** Event types that start the workflow. */
	events: string[];
	/** Skip message events whose author is the credential's user. */
	ignoreOwn: boolean;
	/** Events per read (1–1000). */
	limit: number;
	/** im.v2.Event.subscribe, once on activation. */
	subscribe?: () => Promise<void>;
	onSetAside?: (count: number) => void;
}

function obj(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

/** Whether the event starts a run: a chosen type, and (option) not a message of my own. */
export function isWanted(event: V2Event, options: Pick<MessengerOptions, 'events' | 'ignoreOwn' | 'userId'>): boolean {
	if (!options.events.includes(event.type)) return false;
	if (!options.ignoreOwn || options.userId === undefined || !MESSAGE_EVENTS.includes(event.type)) return true;
	return Number(obj(obj(event.data).user).id) !== options.userId;
}

export function messengerSource(ctx: BitrixContext, portal: Portal, state: MessengerState, options: MessengerOptions): LiveSource {
	return eventQueueSource(ctx, portal, state, {
		key: `user:${portal.bucketKey}|${options.userId ?? 'credential'}`,
		method: 'im.v2.Event.get',
		params: {},
		limit: options.limit,
		prepare: options.subscribe,
		toEvent: async (event) => (isWanted(event, options) ? [chatbotV2Item(event)] : undefined),
		orderKeyOf: (event) => {
			const dialogId = chatbotV2Item(event).dialogId;
			return dialogId === undefined ? undefined : String(dialogId);
		},
		onSetAside: options.onSetAside,
	});
}

/** The credential's user id (profile: scope basic, open to every credential); undefined when not given. */
export async function userIdOf(ctx: BitrixContext, portal: Portal): Promise<number | undefined> {
	const envelope = await callMethod(ctx, portal, { method: 'profile', params: {}, write: false });
	const id = Number(obj(envelope.result).ID);
	return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
