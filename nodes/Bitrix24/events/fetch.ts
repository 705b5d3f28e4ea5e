import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { Portal } from '../transport';
import { callMethod } from '../transport';
import type { BitrixContext } from '../transport/types';
import type { V2Event } from './chatbotV2Events';
import { obj } from './live/checks';
import { deliveredSet, rememberDelivered, startSource } from './live/delivered';
import { checkEventPage } from './live/eventQueue';
import type { OfflineQueueOptions, OfflineRecord } from './live/offlineQueue';
import { checkOfflineRows, clearRecords, ensureOfflineBindings, listOffline, orphanProcess, setAside, withConnector } from './live/offlineQueue';

/**
 * Scheduled fetch (n8n's poller, version 1 of the fetch triggers); the live mode is ./live.
 *
 * n8n takes the items a poll returns: it saves the workflow's static data and starts (or, in queue mode, enqueues)
 * the execution, without waiting for its result. So an event is acknowledged to Bitrix24 only on the NEXT poll:
 * imbot.v2.Event.get with the offset stored last time, or event.offline.clear with the process id stored last time.
 * The offset / process id and the ids already handed to n8n live in the node's static data, so a restart resumes
 * where it stopped and nothing is handed over twice. What the portal returns is checked as in live mode
 * (live/eventQueue.ts, live/offlineQueue.ts).
 */
export { DELIVERED_IDS_KEPT } from './live/delivered';
export { ensureOfflineBindings, jsonToFormValue } from './live/offlineQueue';
export type { OfflineRecord } from './live/offlineQueue';

export interface FetchState extends IDataObject {
	/** What the state belongs to: `bot:ID` or `offline:<auth_connector>`; another source starts afresh. */
	source?: string;
	/** imbot.v2: the offset the next Event.get passes (acknowledging what was handed to n8n). */
	offset?: number;
	/** Offline events: the process id of the last batch handed to n8n, cleared on the next poll. */
	processId?: string;
	/** Offline events: the record ids of that batch (records marked with event.offline.error are not among them). */
	processIds?: Array<number | string>;
	/** Offline events: the events bound with event_type=offline, as `EVENT` names. */
	boundOffline?: string[];
	/** imbot.v2: the bot whose eventMode was checked / set to fetch. */
	fetchModeBot?: number;
	/** Ids handed to n8n (newest last). */
	delivered?: Array<number | string>;
}

export function fetchState(ctx: IPollFunctions): FetchState {
	return ctx.getWorkflowStaticData('node') as FetchState;
}

// ---------------------------------------------------------------- imbot.v2 (Event.get)

export interface BotQueueOptions {
	botId: number;
	/** Event types to hand over; the others are acknowledged without an execution. */
	events: string[];
	/** Events per poll (Event.get limit, 1–1000). */
	limit: number;
}

/** Makes sure the bot queues its events (eventMode fetch), once per bot; a webhook-mode bot is switched to fetch. */
export async function ensureFetchMode(ctx: BitrixContext, portal: Portal, state: FetchState, botId: number): Promise<void> {
	if (state.fetchModeBot === botId) return;
	const envelope = await callMethod(ctx, portal, { method: 'imbot.v2.Bot.get', params: { botId }, write: false });
	const bot = obj(obj(envelope.result).bot);
	if (bot.eventMode !== 'fetch') {
		await callMethod(ctx, portal, { method: 'imbot.v2.Bot.update', params: { botId, fields: { eventMode: 'fetch' } }, write: true });
	}
	state.fetchModeBot = botId;
}

export interface BotQueueBatch {
	/** The events to hand to n8n (new, of the chosen types). */
	events: V2Event[];
	/** Events read this time (all types, new ones only). */
	read: number;
	hasMore: boolean;
}

/**
 * One poll of a fetch-mode bot: acknowledges the last batch (offset), reads the next one, remembers its offset.
 * In a manual (test) run nothing is acknowledged, nothing stored and the bot is left as it is: the queue is peeked.
 */
export async function pollBotQueue(ctx: IPollFunctions, portal: Portal, options: BotQueueOptions): Promise<BotQueueBatch> {
	const manual = ctx.getMode() === 'manual';
	const state: FetchState = manual ? {} : fetchState(ctx);
	if (!manual) {
		startSource(state, `bot:${options.botId}`);
		await ensureFetchMode(ctx, portal, state, options.botId);
	}
	const params: IDataObject = { botId: options.botId, limit: Math.min(1000, Math.max(1, Math.floor(options.limit))) };
	const floor = !manual && typeof state.offset === 'number' && state.offset > 0 ? state.offset : 0;
	if (floor > 0) params.offset = floor;
	const envelope = await callMethod(ctx, portal, { method: 'imbot.v2.Event.get', params, write: true });
	const page = checkEventPage(envelope.result, floor, deliveredSet(state));
	if (page.setAside) ctx.logger.warn(`Bitrix24 Chatbot Fetch Trigger: ${page.setAside} event(s) that could not be read were skipped.`);
	const wanted = page.fresh.filter((e) => options.events.includes(e.type));
	if (!manual) {
		if (page.next !== undefined && page.next > floor) state.offset = page.next;
		rememberDelivered(state, wanted.map((e) => e.eventId as number));
	}
	return { events: wanted, read: page.fresh.length, hasMore: page.hasMore };
}

// ---------------------------------------------------------------- offline events (event.offline.*)

export type OfflineOptions = OfflineQueueOptions;

export interface OfflineBatch {
	processId?: string;
	records: OfflineRecord[];
	/** MESSAGE_IDs of records that could not be read (marked with event.offline.error). */
	broken: string[];
}

/**
 * One poll of the app's offline queue: clears the batch handed to n8n last time (its process id), takes over records a
 * lost process still holds, reserves the next batch (clear=0) and remembers its process id. Records already handed
 * over are left out; records without readable data are marked with event.offline.error (kept by Bitrix24, never
 * retried by this trigger). In a manual (test) run the queue is read with event.offline.list and left unchanged.
 */
export async function pollOffline(ctx: IPollFunctions, portal: Portal, options: OfflineOptions): Promise<OfflineBatch> {
	if (ctx.getMode() === 'manual') return { records: await listOffline(ctx, portal, options), broken: [] };
	const state = fetchState(ctx);
	startSource(state, `offline:${options.authConnector}`);
	await ensureOfflineBindings(ctx, portal, state, options);
	if (state.processId) {
		await clearRecords(ctx, portal, options.authConnector, state.processId, state.processIds ?? []);
		delete state.processId;
		delete state.processIds;
	}
	const orphan = await orphanProcess(ctx, portal, options);
	const params: IDataObject = { clear: 0, limit: Math.max(1, Math.floor(options.limit)), filter: { '=EVENT_NAME': options.events }, order: { ID: 'ASC' } };
	if (orphan) params.process_id = orphan;
	const envelope = await callMethod(ctx, portal, { method: 'event.offline.get', params: withConnector(params, options.authConnector), write: true });
	const result = obj(envelope.result);
	const processId = typeof result.process_id === 'string' && result.process_id ? result.process_id : undefined;
	const rows = checkOfflineRows(result.events, deliveredSet(state));
	if (processId && (rows.broken.length || rows.brokenIds.length)) await setAside(ctx, portal, options.authConnector, processId, rows);
	if (processId && rows.readable.length) {
		if (rows.records.length) {
			state.processId = processId;
			state.processIds = rows.readable;
			rememberDelivered(state, rows.records.map((r) => r.id));
		} else {
			// nothing to hand over (only repeats): acknowledge now, nothing depends on n8n taking it
			await clearRecords(ctx, portal, options.authConnector, processId, rows.readable);
		}
	}
	return { processId, records: rows.records, broken: rows.broken };
}
