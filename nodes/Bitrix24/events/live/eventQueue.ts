import type { IDataObject } from 'n8n-workflow';

import type { Portal } from '../../transport';
import { callMethod } from '../../transport';
import type { BitrixContext } from '../../transport/types';
import type { V2Event } from '../chatbotV2Events';
import { EVENT_CHECKS, idOf, isPlainObject, obj, withinLimits } from './checks';
import { deliveredSet, startSource } from './delivered';
import { forgetShown, queueKey, rememberShown, shownOffset } from './shownInTests';
import type { LiveBatch, LiveEvent, LiveSource, LiveState } from './source';

/**
 * The v2 event queues (imbot.v2.Event.get, im.v2.Event.get): `{events:[{eventId,type,date,data}], nextOffset,
 * hasMore}`; passing `offset` acknowledges every event with a lower id.
 */
export interface EventPage {
	/** Readable events not delivered before, oldest first, each id once. */
	fresh: V2Event[];
	/** Events the page held. */
	read: number;
	/** Events set aside: unreadable, or an id that cannot be a queue id. */
	setAside: number;
	/** The offset that acknowledges this page (past its highest believable id); undefined: nothing to acknowledge. */
	next?: number;
	hasMore: boolean;
}

export class EventPageError extends Error {}

/**
 * Checks one Event.get result before anything is believed. A page without an `events` list is refused (it moves no
 * offset). Each id must be a whole number no further than EVENT_CHECKS.maxIdJump beyond the one before it (or the
 * acknowledged offset): an id like 9e15 would otherwise acknowledge, and so lose, every real event below it. An
 * unreadable copy (no type, data not an object, nested too deep) is set aside and does not claim its id, so a
 * readable copy of the same id is still delivered. The offset never moves past what was seen.
 */
export function checkEventPage(result: unknown, floor: number, delivered: Set<string>): EventPage {
	const page = obj(result);
	if (!Array.isArray(page.events)) throw new EventPageError('the portal answered Event.get without an events list; nothing was acknowledged');
	let reference = floor > 0 ? floor - 1 : undefined;
	let highest: number | undefined;
	let setAside = 0;
	const taken = new Set<string>();
	const fresh: V2Event[] = [];
	for (const raw of page.events) {
		const row = obj(raw);
		const id = idOf(row.eventId);
		if (id === undefined || (reference !== undefined && id - reference > EVENT_CHECKS.maxIdJump)) {
			setAside++;
			continue;
		}
		reference = Math.max(reference ?? id, id);
		highest = Math.max(highest ?? id, id);
		const type = typeof row.type === 'string' ? row.type.toUpperCase() : '';
		if (!/^[A-Z0-9_]{1,100}$/.test(type) || !isPlainObject(row.data) || !withinLimits(row.data)) {
			setAside++;
			continue;
		}
		const key = String(id);
		if (taken.has(key) || delivered.has(key)) continue;
		taken.add(key);
		fresh.push({ type, eventId: id, date: typeof row.date === 'string' ? row.date : undefined, data: row.data });
	}
	const next = highest !== undefined && highest + 1 > floor ? highest + 1 : undefined;
	return { fresh, read: page.events.length, setAside, next, hasMore: page.hasMore === true };
}

export interface EventQueueOptions {
	/** The state's source key: `bot:12`, `user:5`. */
	key: string;
	/** imbot.v2.Event.get or im.v2.Event.get. */
	method: string;
	/** The method's own parameters (botId, withUserEvents). */
	params: IDataObject;
	/** Events per read (1–1000). */
	limit: number;
	/** Once on activation (switch the bot to fetch mode, subscribe the user). */
	prepare?: () => Promise<void>;
	/** The event as n8n items; undefined: not wanted (acknowledged without a run). */
	toEvent: (event: V2Event) => Promise<IDataObject[] | undefined>;
	/** Told how many events of a read were set aside. */
	onSetAside?: (count: number) => void;
	/** What each event is ordered by (the dialog). */
	orderKeyOf?: (event: V2Event) => string | undefined;
}

export interface QueueOffsetState extends LiveState {
	/** The offset the next read passes (acknowledging everything below it). */
	offset?: number;
}

/** A v2 event queue as a live source: the offset accepted by acknowledge() goes out with the next read. */
export function eventQueueSource(ctx: BitrixContext, portal: Portal, state: QueueOffsetState, options: EventQueueOptions): LiveSource {
	let pending: number | undefined;
	const shownKey = queueKey(portal.origin, options.key);
	const limit = Math.min(1000, Math.max(1, Math.floor(options.limit) || 100));
	async function get(offset: number | undefined): Promise<IDataObject> {
		const params: IDataObject = { ...options.params, limit };
		if (offset !== undefined && offset > 0) params.offset = offset;
		// Event.get at one offset returns the same page again: safe to resend
		return (await callMethod(ctx, portal, { method: options.method, params, write: false })).result as IDataObject;
	}
	async function toLive(events: V2Event[]): Promise<LiveEvent[]> {
		const out: LiveEvent[] = [];
		for (const event of events) {
			const items = await options.toEvent(event);
			if (items) out.push({ id: String(event.eventId), items, orderKey: options.orderKeyOf?.(event) });
		}
		return out;
	}
	return {
		key: options.key,
		async prepare() {
			startSource(state, options.key);
			await options.prepare?.();
		},
		async read(): Promise<LiveBatch> {
			startSource(state, options.key);
			if (!(typeof state.offset === 'number' && state.offset > 0)) {
				// the first read of a workflow without an offset of its own starts past what test runs showed
				const tested = shownOffset(shownKey);
				if (tested > 0) state.offset = tested;
			}
			forgetShown(shownKey);
			const floor = typeof state.offset === 'number' && state.offset > 0 ? state.offset : 0;
			const page = checkEventPage(await get(floor), floor, deliveredSet(state));
			if (page.setAside) options.onSetAside?.(page.setAside);
			pending = page.next;
			return { events: await toLive(page.fresh), read: page.read, hasMore: page.hasMore };
		},
		async acknowledge() {
			const floor = typeof state.offset === 'number' ? state.offset : 0;
			if (pending !== undefined && pending > floor) state.offset = pending;
			pending = undefined;
		},
		async peek() {
			// never an offset here: on the portal it would acknowledge, and so take from a published workflow reading
			// the same queue, what it may not have read yet. What earlier test runs showed is skipped in here instead.
			const floor = shownOffset(shownKey);
			const page = checkEventPage(await get(undefined), 0, new Set());
			const events = await toLive(page.fresh.filter((event) => (event.eventId ?? 0) >= floor));
			if (events.length) rememberShown(shownKey, page.next);
			return events;
		},
	};
}
