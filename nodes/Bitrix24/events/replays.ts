import { createHash } from 'crypto';
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { triggerKey } from './firstToken';
import type { ReceivedEvent } from './receive';
import { answer } from './receive';
import { triggerState } from './triggerState';

/**
 * Replays of push events. Bitrix24 sends each event once (it never retries), so an event that arrives a second time is
 * a captured request sent again or a duplicate: it is answered 200 (nothing to retry) without running the workflow.
 *
 * What identifies an event:
 * - events that happen once per message — a message to the bot, its deletion, an operator's reply or its deletion in
 *   Open Channels — their kind and ids (message id; connector, line, chat and message id), so a copy with another send
 *   time is still the same event;
 * - every other kind (commands, edits, reactions, joins, context, session and line events), whose ids repeat
 *   legitimately — a keyboard button pressed by two people or twice (same command, same message), a message edited
 *   twice, two reactions on one message, the bot added to a chat again — the digest of the whole event
 *   as the workflow would see it (its item, send time included): only an identical copy is dropped.
 *
 * The window: the DELIVERED_EVENTS_KEPT newest identities per trigger, kept as SHA-256 digests (never content) in the
 * trigger's static data, which n8n saves after each webhook call and loads on restart; and in this process, because n8n
 * gives each webhook request its own copy of the static data (concurrent copies would not see each other there). Ids
 * are never reused by Bitrix24, so no time limit is needed: the count only bounds the stored list (about 34 KB).
 */
export const DELIVERED_EVENTS_KEPT = 1000;

type Ids = (item: IDataObject) => unknown[];

const messageId = (item: IDataObject): unknown => (item.message as IDataObject | undefined)?.id;
const operatorMessage: Ids = (item) => [item.connector, item.line, (item.chat as IDataObject | undefined)?.id, messageId(item)];

/** Kinds that happen once per id, and the ids that identify them in the workflow item. */
const ONCE_PER_ID: Record<string, Ids> = {
	ONIMBOTMESSAGEADD: (item) => [messageId(item)],
	ONIMBOTMESSAGEDELETE: (item) => [messageId(item)],
	ONIMBOTV2MESSAGEADD: (item) => [messageId(item)],
	ONIMBOTV2MESSAGEDELETE: (item) => [messageId(item)],
	ONIMCONNECTORMESSAGEADD: operatorMessage,
	ONIMCONNECTORMESSAGEDELETE: operatorMessage,
};

function digest(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 32);
}

/**
 * The identity of the event behind one workflow item (see above), on its portal (`domain` from the event's auth block:
 * message ids are a portal's own, so after a switch to another portal its ids are new events).
 */
export function deliveryKey(received: Pick<ReceivedEvent, 'event' | 'domain'>, item: IDataObject): string {
	const { event } = received;
	const where = `${received.domain ?? ''}\u0000${event}`;
	const ids = ONCE_PER_ID[event]?.(item);
	if (ids && ids.every((id) => typeof id === 'number' || (typeof id === 'string' && id !== ''))) {
		return digest(`${where}\u0000${ids.join('\u0000')}`);
	}
	return digest(`${where}\u0000#${JSON.stringify(item)}`);
}

/** This process's delivered identities per trigger (insertion order = age). */
const delivered = new Map<string, Set<string>>();

function remember(set: Set<string>, key: string): void {
	set.delete(key);
	set.add(key);
	if (set.size > DELIVERED_EVENTS_KEPT) set.delete(set.values().next().value as string);
}

/**
 * The items not delivered before (nor earlier in this same event), each claimed at once — in memory and in the static
 * data — so that a concurrent copy of the event finds it. Checking and claiming run without a pause in between.
 */
export function claimNewDeliveries(ctx: IWebhookFunctions, received: ReceivedEvent, items: IDataObject[]): IDataObject[] {
	const id = triggerKey(ctx);
	const memory = delivered.get(id) ?? new Set<string>();
	delivered.set(id, memory);
	const state = triggerState(ctx);
	const saved = Array.isArray(state.deliveredEvents) ? (state.deliveredEvents as unknown[]).filter((k): k is string => typeof k === 'string') : [];
	const seen = new Set(saved);
	const fresh: IDataObject[] = [];
	const claimed: string[] = [];
	for (const item of items) {
		const key = deliveryKey(received, item);
		if (memory.has(key) || seen.has(key)) continue;
		seen.add(key);
		remember(memory, key);
		claimed.push(key);
		fresh.push(item);
	}
	if (claimed.length) {
		const all = [...saved, ...claimed];
		state.deliveredEvents = all.length > DELIVERED_EVENTS_KEPT ? all.slice(all.length - DELIVERED_EVENTS_KEPT) : all;
	}
	return fresh;
}

/** The answer to an event whose every item was delivered before: 200, no run, a debug line. */
export function answerRepeat(ctx: IWebhookFunctions, event: string): IWebhookResponseData {
	ctx.logger.debug(`Bitrix24 trigger: dropped a ${event} event that was already delivered (a repeat or replay).`);
	return answer(ctx, 200, { result: 'ignored', reason: 'Already delivered: this event was received before.' });
}
