import type { IDataObject } from 'n8n-workflow';

import { chatbotV2Item } from '../Bitrix24/events/chatbotV2Events';
import { MESSAGE_EVENTS } from './events';

/**
 * The Messenger Trigger's event queue for the live engine: the calling user's im.v2 events.
 * - read: im.v2.Event.get with the offset of the last batch n8n has taken (that offset acknowledges it: Bitrix24
 *   drops every event below it), then the next `limit` events, oldest first;
 * - acknowledge: remembers the batch's nextOffset, sent with the next read (never anything newer);
 * - an event id below the acknowledged offset, a repeat within a batch, an event of an unchosen type or (option) one
 *   of my own messages is read and acknowledged without an execution.
 * Calls go through `call` (the node passes the shared transport: pacer, retries, redaction).
 */

/** One Bitrix24 call: the method's `result`. `write` = not safe to repeat blindly (it changes the queue). */
export type MessengerCall = (method: string, params: IDataObject, write: boolean) => Promise<unknown>;

export interface MessengerOptions {
	/** Event types that start the workflow. */
	events: string[];
	/** Drop message events whose author is the credential's user. */
	ignoreOwn: boolean;
	/** Events per read (1–1000). */
	limit: number;
}

/** What the source keeps in the node's static data (saved by n8n with every emit). */
export interface MessengerState extends IDataObject {
	/** The nextOffset of the last batch n8n has taken: the next read acknowledges it. */
	offset?: number;
	/** The credential's user (profile.ID): whose own messages to drop. */
	userId?: number;
}

export interface MessengerEvent {
	id: string;
	items: IDataObject[];
	orderKey?: string;
}

export interface MessengerBatch {
	events: MessengerEvent[];
	read: number;
	hasMore: boolean;
	/** The offset that acknowledges this batch (internal to the source). */
	nextOffset?: number;
}

function obj(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

export function clampLimit(limit: number): number {
	return Math.min(1000, Math.max(1, Math.floor(Number.isFinite(limit) ? limit : 100)));
}

/** The parsed events of one Event.get result: id, type and the workflow item; malformed entries are skipped. */
export function parseEvents(result: unknown): Array<{ eventId: number; type: string; item: IDataObject; authorId?: number }> {
	const out = [];
	for (const raw of Array.isArray(obj(result).events) ? (obj(result).events as unknown[]) : []) {
		const e = obj(raw);
		const eventId = Number(e.eventId);
		const type = String(e.type ?? '').toUpperCase();
		if (!Number.isSafeInteger(eventId) || eventId < 0 || !type) continue;
		const item = chatbotV2Item({ type, eventId, date: typeof e.date === 'string' ? e.date : undefined, data: e.data });
		const author = Number(obj(obj(e.data).user).id);
		out.push({ eventId, type, item, authorId: Number.isFinite(author) ? author : undefined });
	}
	return out;
}

export class MessengerSource {
	readonly key = 'im.v2:user';

	constructor(
		private readonly call: MessengerCall,
		private readonly state: MessengerState,
		private readonly options: MessengerOptions,
	) {}

	/** Subscribes the user (idempotent) and learns their id for "Ignore My Own Messages". */
	async prepare(): Promise<void> {
		await this.call('im.v2.Event.subscribe', {}, true);
		if (this.options.ignoreOwn && this.state.userId === undefined) this.state.userId = await userIdOf(this.call);
	}

	async read(): Promise<MessengerBatch> {
		const floor = typeof this.state.offset === 'number' && this.state.offset > 0 ? this.state.offset : 0;
		const params: IDataObject = { limit: clampLimit(this.options.limit) };
		if (floor > 0) params.offset = floor;
		const result = await this.call('im.v2.Event.get', params, true);
		const parsed = parseEvents(result);
		const seen = new Set<number>();
		const events: MessengerEvent[] = [];
		let highest = floor;
		for (const e of parsed) {
			highest = Math.max(highest, e.eventId + 1);
			if (e.eventId < floor || seen.has(e.eventId)) continue;
			seen.add(e.eventId);
			if (!this.wanted(e)) continue;
			events.push({ id: String(e.eventId), items: [e.item], orderKey: typeof e.item.dialogId === 'string' ? e.item.dialogId : undefined });
		}
		const next = Number(obj(result).nextOffset);
		return { events, read: parsed.length, hasMore: obj(result).hasMore === true, nextOffset: Math.max(Number.isSafeInteger(next) ? next : 0, highest) };
	}

	/** n8n has taken the batch: its offset goes with the next read. */
	async acknowledge(batch: MessengerBatch): Promise<void> {
		if (typeof batch.nextOffset === 'number' && batch.nextOffset > (this.state.offset ?? 0)) this.state.offset = batch.nextOffset;
	}

	/** A test run: the waiting events (no offset sent, nothing acknowledged). */
	async peek(): Promise<MessengerEvent[]> {
		const result = await this.call('im.v2.Event.get', { limit: clampLimit(this.options.limit) }, false);
		return parseEvents(result)
			.filter((e) => this.wanted(e))
			.map((e) => ({ id: String(e.eventId), items: [e.item] }));
	}

	private wanted(e: { type: string; authorId?: number }): boolean {
		if (!this.options.events.includes(e.type)) return false;
		return !(this.options.ignoreOwn && MESSAGE_EVENTS.includes(e.type) && e.authorId !== undefined && e.authorId === this.state.userId);
	}
}

/** The credential's user id (profile: scope basic, available to every credential). */
export async function userIdOf(call: MessengerCall): Promise<number | undefined> {
	const id = Number(obj(await call('profile', {}, false)).ID);
	return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
