import type { ITriggerFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { claimUserEvents, releaseUserEvents, userEventsKey } from '../Bitrix24/events/userEventReaders';
import type { Portal } from '../Bitrix24/transport';
import { callMethod, redact } from '../Bitrix24/transport';
import type { MessengerState } from './source';

/**
 * The im.v2 subscription of one active Messenger Trigger.
 * - Activation claims the user's events in this n8n (../Bitrix24/events/userEventReaders): a second reader of the same
 *   user would split the events with the first (an offset acknowledges for every reader), so it is refused.
 * - subscribe(): im.v2.Event.subscribe (idempotent), remembered as made by this trigger.
 * - end(): on close; im.v2.Event.unsubscribe only when asked to, when this trigger made the subscription and no
 *   other reader of the user is left here. n8n calls the same close on deactivation and on shutdown, and an
 *   unsubscribed user's messages are not recorded, so unsubscribing is the user's choice (off by default).
 */
export interface SubscriptionHold {
	subscribe(): Promise<void>;
	/** Gives the claim back without unsubscribing (activation failed). */
	release(): void;
	end(unsubscribe: boolean): Promise<void>;
}

/** im.v2.Event.subscribe: idempotent (im.v2/events/event-subscribe.md). */
export async function subscribeUser(ctx: ITriggerFunctions, portal: Portal): Promise<void> {
	await callMethod(ctx, portal, { method: 'im.v2.Event.subscribe', params: {}, write: true });
}

export function readerOf(ctx: ITriggerFunctions): string {
	return `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id ?? ctx.getNode().name}`;
}

export function holdSubscription(ctx: ITriggerFunctions, portal: Portal, state: MessengerState, userId: number | undefined): SubscriptionHold {
	const userKey = userEventsKey(portal.bucketKey, userId ?? 'credential');
	const reader = readerOf(ctx);
	const others = claimUserEvents(userKey, reader);
	if (others.length) {
		releaseUserEvents(userKey, reader);
		const workflows = others.map((r) => r.split(':')[0]).join(', ');
		throw new NodeOperationError(
			ctx.getNode(),
			`Another active workflow (ID ${workflows}) already reads the messenger events of this Bitrix24 user. Bitrix24 gives one user's events to one reader only: deactivate that workflow, or use the credential of another user.`,
		);
	}
	return {
		async subscribe() {
			await subscribeUser(ctx, portal);
			state.subscribedBy = reader;
		},
		release() {
			releaseUserEvents(userKey, reader);
		},
		async end(unsubscribe: boolean) {
			const last = releaseUserEvents(userKey, reader);
			if (!unsubscribe || !last || state.subscribedBy !== reader) return;
			try {
				await callMethod(ctx, portal, { method: 'im.v2.Event.unsubscribe', params: {}, write: true });
				delete state.subscribedBy;
			} catch (error) {
				const reason = redact(error instanceof Error ? error.message : String(error), portal.secrets);
				ctx.logger.warn(`Bitrix24 Messenger Trigger: stopping the recording failed (${reason}); Bitrix24 goes on recording this user's events (each kept 24 hours).`);
			}
		},
	};
}
