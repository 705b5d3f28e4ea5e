import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import type { Portal } from '../transport';
import { callMethod } from '../transport';
import type { V2Event } from './chatbotV2Events';
import type { FormValue } from './phpForm';
import type { ReceivedEvent } from './receive';

/**
 * Fetch (pull) delivery for the polling triggers.
 *
 * n8n takes the items a poll returns: it saves the workflow's static data and starts (or, in queue mode, enqueues)
 * the execution, without waiting for its result. So an event is acknowledged to Bitrix24 only on the NEXT poll:
 * imbot.v2.Event.get with the offset stored last time, or event.offline.clear with the process id stored last time.
 * The offset / process id and the ids already handed to n8n live in the node's static data, so a restart resumes
 * where it stopped and nothing is handed over twice.
 */

/** How many delivered event ids a trigger remembers (the newest), to drop repeats. */
export const DELIVERED_IDS_KEPT = 2000;

export interface FetchState extends IDataObject {
	/** What the state belongs to: `bot:ID` or `offline:<auth_connector>`; another source starts afresh. */
	source?: string;
	/** imbot.v2: the nextOffset of the last batch handed to n8n, passed to the next Event.get (which acknowledges it). */
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

function remember(state: FetchState, ids: Array<number | string>): void {
	const all = [...(state.delivered ?? []), ...ids];
	state.delivered = all.length > DELIVERED_IDS_KEPT ? all.slice(all.length - DELIVERED_IDS_KEPT) : all;
}

function startSource(state: FetchState, source: string): void {
	if (state.source === source) return;
	for (const key of Object.keys(state)) delete state[key];
	state.source = source;
}

function obj(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

/** PHP http_build_query's view of a JSON value (true → "1", false → "0", null → ""): what a pushed event would carry. */
export function jsonToFormValue(value: unknown): FormValue {
	if (value === null || value === undefined || value === false) return value === false ? '0' : '';
	if (value === true) return '1';
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	if (typeof value === 'string') return value;
	if (Array.isArray(value)) return value.map(jsonToFormValue);
	if (typeof value === 'object') {
		const out: { [key: string]: FormValue } = {};
		for (const [key, v] of Object.entries(value as IDataObject)) out[key] = jsonToFormValue(v);
		return out;
	}
	return String(value);
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
async function ensureFetchMode(ctx: IPollFunctions, portal: Portal, state: FetchState, botId: number): Promise<void> {
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
	if (!manual && typeof state.offset === 'number' && state.offset > 0) params.offset = state.offset;
	const envelope = await callMethod(ctx, portal, { method: 'imbot.v2.Event.get', params, write: true });
	const result = obj(envelope.result);
	const floor = typeof state.offset === 'number' ? state.offset : 0;
	const seen = new Set((state.delivered ?? []).map(String));
	const fresh: V2Event[] = [];
	for (const raw of Array.isArray(result.events) ? result.events : []) {
		const e = obj(raw);
		const eventId = Number(e.eventId);
		if (!Number.isFinite(eventId) || eventId < floor || seen.has(String(eventId))) continue;
		seen.add(String(eventId));
		fresh.push({ type: String(e.type ?? '').toUpperCase(), eventId, date: typeof e.date === 'string' ? e.date : undefined, data: e.data });
	}
	const wanted = fresh.filter((e) => options.events.includes(e.type));
	if (!manual) {
		const next = Number(result.nextOffset);
		const highest = fresh.reduce((max, e) => Math.max(max, (e.eventId ?? 0) + 1), 0);
		const offset = Math.max(Number.isFinite(next) ? next : 0, highest, floor);
		if (offset > floor) state.offset = offset;
		remember(state, wanted.map((e) => e.eventId as number));
	}
	return { events: wanted, read: fresh.length, hasMore: result.hasMore === true };
}

// ---------------------------------------------------------------- offline events (event.offline.*)

export interface OfflineOptions {
	events: string[];
	/** event.bind / event.offline.* auth_connector: a queue of its own (several fetch triggers on one app). */
	authConnector: string;
	/** Records per poll (event.offline.get limit). */
	limit: number;
}

export interface OfflineRecord {
	id: number | string;
	messageId: string;
	received: ReceivedEvent;
}

export interface OfflineBatch {
	processId?: string;
	records: OfflineRecord[];
	/** MESSAGE_IDs of records that could not be read (marked with event.offline.error). */
	broken: string[];
}

function withConnector(params: IDataObject, authConnector: string): IDataObject {
	return authConnector ? { ...params, auth_connector: authConnector } : params;
}

interface OfflineBinding {
	event: string;
	offline: boolean;
}

function offlineBindings(result: unknown): OfflineBinding[] {
	const rows = Array.isArray(result) ? result : result && typeof result === 'object' ? Object.values(result) : [];
	return rows
		.map((row) => obj(row))
		.filter((row) => typeof row.event === 'string')
		.map((row) => ({ event: String(row.event).toUpperCase(), offline: row.offline === 1 || row.offline === '1' || row.offline === true }));
}

/** Binds the chosen events with event_type=offline (and unbinds offline bindings of events no longer chosen). */
export async function ensureOfflineBindings(ctx: IPollFunctions, portal: Portal, state: FetchState, options: OfflineOptions): Promise<void> {
	const wanted = [...options.events].sort();
	if (state.boundOffline && state.boundOffline.join(',') === wanted.join(',')) return;
	const envelope = await callMethod(ctx, portal, { method: 'event.get', params: {}, write: false });
	const bound = new Set(offlineBindings(envelope.result).filter((b) => b.offline).map((b) => b.event));
	for (const event of state.boundOffline ?? []) {
		if (!wanted.includes(event) && bound.has(event)) {
			await callMethod(ctx, portal, { method: 'event.unbind', params: withConnector({ event, event_type: 'offline' }, options.authConnector), write: true });
		}
	}
	for (const event of wanted) {
		if (!bound.has(event)) {
			await callMethod(ctx, portal, { method: 'event.bind', params: withConnector({ event, event_type: 'offline' }, options.authConnector), write: true });
		}
	}
	state.boundOffline = wanted;
}

/** A record reserved by a process this trigger does not know (its id was lost in a crash), to be taken over. */
async function orphanProcess(ctx: IPollFunctions, portal: Portal, options: OfflineOptions): Promise<string | undefined> {
	const envelope = await callMethod(ctx, portal, {
		method: 'event.offline.list',
		params: withConnector({ filter: { '!PROCESS_ID': '', '=ERROR': 0, '=EVENT_NAME': options.events }, order: { ID: 'ASC' } }, options.authConnector),
		write: false,
	});
	const rows = Array.isArray(envelope.result) ? envelope.result : [];
	const first = rows.map((row) => obj(row)).find((row) => typeof row.PROCESS_ID === 'string' && row.PROCESS_ID !== '');
	return first ? String(first.PROCESS_ID) : undefined;
}

/**
 * One poll of the app's offline queue: clears the batch handed to n8n last time (its process id), takes over records a
 * lost process still holds, reserves the next batch (clear=0) and remembers its process id. Records already handed
 * over are left out; records without readable data are marked with event.offline.error (kept by Bitrix24, never
 * retried by this trigger). In a manual (test) run the queue is read with event.offline.list and left unchanged.
 */
export async function pollOffline(ctx: IPollFunctions, portal: Portal, options: OfflineOptions): Promise<OfflineBatch> {
	if (ctx.getMode() === 'manual') {
		const envelope = await callMethod(ctx, portal, {
			method: 'event.offline.list',
			params: withConnector({ filter: { '=ERROR': 0, '=EVENT_NAME': options.events }, order: { ID: 'ASC' } }, options.authConnector),
			write: false,
		});
		const rows = Array.isArray(envelope.result) ? envelope.result : [];
		return { records: rows.map((row) => toRecord(obj(row))).filter((r): r is OfflineRecord => r !== undefined), broken: [] };
	}
	const state = fetchState(ctx);
	startSource(state, `offline:${options.authConnector}`);
	await ensureOfflineBindings(ctx, portal, state, options);
	if (state.processId) {
		await clearRecords(ctx, portal, options, state.processId, state.processIds ?? []);
		delete state.processId;
		delete state.processIds;
	}
	const orphan = await orphanProcess(ctx, portal, options);
	const params: IDataObject = { clear: 0, limit: Math.max(1, Math.floor(options.limit)), filter: { '=EVENT_NAME': options.events }, order: { ID: 'ASC' } };
	if (orphan) params.process_id = orphan;
	const envelope = await callMethod(ctx, portal, { method: 'event.offline.get', params: withConnector(params, options.authConnector), write: true });
	const result = obj(envelope.result);
	const processId = typeof result.process_id === 'string' && result.process_id ? result.process_id : undefined;
	const rows = (Array.isArray(result.events) ? result.events : []).map((row) => obj(row));
	const seen = new Set((state.delivered ?? []).map(String));
	const records: OfflineRecord[] = [];
	const broken: string[] = [];
	const readable: Array<number | string> = [];
	for (const row of rows) {
		const record = toRecord(row);
		if (!record) {
			if (row.MESSAGE_ID !== undefined) broken.push(String(row.MESSAGE_ID));
			continue;
		}
		readable.push(record.id);
		if (!seen.has(String(record.id))) records.push(record);
	}
	if (processId && broken.length) {
		await callMethod(ctx, portal, { method: 'event.offline.error', params: withConnector({ process_id: processId, message_id: broken }, options.authConnector), write: true });
	}
	if (processId && readable.length) {
		if (records.length) {
			state.processId = processId;
			state.processIds = readable;
			remember(state, records.map((r) => r.id));
		} else {
			// nothing to hand over (only repeats): acknowledge now, nothing depends on n8n taking it
			await clearRecords(ctx, portal, options, processId, readable);
		}
	}
	return { processId, records, broken };
}

/** event.offline.clear of exactly these records of the process (never the ones marked with event.offline.error). */
async function clearRecords(ctx: IPollFunctions, portal: Portal, options: OfflineOptions, processId: string, ids: Array<number | string>): Promise<void> {
	if (ids.length === 0) return;
	await callMethod(ctx, portal, { method: 'event.offline.clear', params: withConnector({ process_id: processId, id: ids }, options.authConnector), write: true });
}

function toRecord(row: IDataObject): OfflineRecord | undefined {
	const event = typeof row.EVENT_NAME === 'string' ? row.EVENT_NAME.toUpperCase() : '';
	const data = row.EVENT_DATA;
	if (!event || data === undefined || data === false || data === null) return undefined;
	const id = typeof row.ID === 'number' ? row.ID : String(row.ID ?? '');
	if (id === '') return undefined;
	return {
		id: /^\d+$/.test(String(id)) ? Number(id) : id,
		messageId: String(row.MESSAGE_ID ?? ''),
		received: { event, data: jsonToFormValue(data), ts: timestampOf(row.TIMESTAMP_X) },
	};
}

function timestampOf(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const ms = Date.parse(value);
	return Number.isFinite(ms) ? String(Math.floor(ms / 1000)) : undefined;
}
