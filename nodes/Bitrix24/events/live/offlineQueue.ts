import type { IDataObject } from 'n8n-workflow';

import type { Portal } from '../../transport';
import { callMethod } from '../../transport';
import type { BitrixContext } from '../../transport/types';
import type { FormValue } from '../phpForm';
import type { ReceivedEvent } from '../receive';
import { idOf, obj, withinLimits } from './checks';
import { deliveredSet, startSource } from './delivered';
import type { LiveBatch, LiveEvent, LiveSource, LiveState } from './source';

/**
 * The application's offline event queue (event.offline.*): event.offline.get with clear=0 reserves a batch under a
 * process id, event.offline.clear deletes records of that process, event.offline.error sets a record aside.
 */
export interface OfflineRecord {
	id: number;
	messageId: string;
	received: ReceivedEvent;
}

export interface OfflineRows {
	/** Readable records not delivered before, each ID once, in queue order. */
	records: OfflineRecord[];
	/** MESSAGE_IDs of unreadable records (to mark with event.offline.error). */
	broken: string[];
	/** IDs of unreadable records that have no MESSAGE_ID (to clear: they cannot be marked). */
	brokenIds: number[];
	/** IDs of every readable record (delivered before or not): cleared once n8n took the batch. */
	readable: number[];
	read: number;
}

export class OfflinePageError extends Error {}

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

function timestampOf(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const ms = Date.parse(value);
	return Number.isFinite(ms) ? String(Math.floor(ms / 1000)) : undefined;
}

/** One offline record, or undefined when it cannot be read (no name, no data, an id that is no row id, nested too deep). */
export function toRecord(row: IDataObject): OfflineRecord | undefined {
	const event = typeof row.EVENT_NAME === 'string' ? row.EVENT_NAME.toUpperCase() : '';
	const data = row.EVENT_DATA;
	const id = idOf(row.ID);
	if (!/^[A-Z0-9_]{1,100}$/.test(event) || data === undefined || data === false || data === null || id === undefined) return undefined;
	if (!withinLimits(data)) return undefined;
	return { id, messageId: String(row.MESSAGE_ID ?? ''), received: { event, data: jsonToFormValue(data), ts: timestampOf(row.TIMESTAMP_X) } };
}

/**
 * Checks one event.offline.get page: a page without an events list is refused; unreadable records are set aside
 * (never retried, never blocking); a record repeated in the page counts once.
 */
export function checkOfflineRows(events: unknown, delivered: Set<string>): OfflineRows {
	if (!Array.isArray(events)) throw new OfflinePageError('the portal answered event.offline.get without an events list; nothing was taken');
	const out: OfflineRows = { records: [], broken: [], brokenIds: [], readable: [], read: events.length };
	const seen = new Set<number>();
	for (const raw of events) {
		const row = obj(raw);
		const record = toRecord(row);
		if (!record) {
			const messageId = typeof row.MESSAGE_ID === 'string' || typeof row.MESSAGE_ID === 'number' ? String(row.MESSAGE_ID) : '';
			const id = idOf(row.ID);
			if (messageId) out.broken.push(messageId);
			else if (id !== undefined) out.brokenIds.push(id);
			continue;
		}
		if (seen.has(record.id)) continue;
		seen.add(record.id);
		out.readable.push(record.id);
		if (!delivered.has(String(record.id))) out.records.push(record);
	}
	return out;
}

export interface OfflineQueueOptions {
	events: string[];
	/** event.bind / event.offline.* auth_connector: a queue of its own. */
	authConnector: string;
	/** Records per read (event.offline.get limit). */
	limit: number;
}

export interface OfflineQueueState extends LiveState {
	/** The process id of the batch handed to n8n and not cleared yet. */
	processId?: string;
	/** The record ids of that batch. */
	processIds?: Array<number | string>;
	/** The events bound with event_type=offline, as `EVENT` names. */
	boundOffline?: string[];
}

export function withConnector(params: IDataObject, authConnector: string): IDataObject {
	return authConnector ? { ...params, auth_connector: authConnector } : params;
}

function offlineBindings(result: unknown): Array<{ event: string; offline: boolean }> {
	const rows = Array.isArray(result) ? result : result && typeof result === 'object' ? Object.values(result) : [];
	return rows
		.map((row) => obj(row))
		.filter((row) => typeof row.event === 'string')
		.map((row) => ({ event: String(row.event).toUpperCase(), offline: row.offline === 1 || row.offline === '1' || row.offline === true }));
}

/** Binds the chosen events with event_type=offline (and unbinds offline bindings of events no longer chosen). */
export async function ensureOfflineBindings(ctx: BitrixContext, portal: Portal, state: OfflineQueueState, options: OfflineQueueOptions): Promise<void> {
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

/** A process this trigger does not know that still holds records (its id was lost in a crash), to be taken over. */
export async function orphanProcess(ctx: BitrixContext, portal: Portal, options: OfflineQueueOptions): Promise<string | undefined> {
	const envelope = await callMethod(ctx, portal, {
		method: 'event.offline.list',
		params: withConnector({ filter: { '!PROCESS_ID': '', '=ERROR': 0, '=EVENT_NAME': options.events }, order: { ID: 'ASC' } }, options.authConnector),
		write: false,
	});
	const rows = Array.isArray(envelope.result) ? envelope.result : [];
	const first = rows.map((row) => obj(row)).find((row) => typeof row.PROCESS_ID === 'string' && row.PROCESS_ID !== '');
	return first ? String(first.PROCESS_ID) : undefined;
}

/** event.offline.clear of exactly these records of the process (never the ones marked with event.offline.error). */
export async function clearRecords(ctx: BitrixContext, portal: Portal, authConnector: string, processId: string, ids: Array<number | string>): Promise<void> {
	if (ids.length === 0) return;
	await callMethod(ctx, portal, { method: 'event.offline.clear', params: withConnector({ process_id: processId, id: ids }, authConnector), write: true });
}

/** Sets unreadable records aside: event.offline.error by MESSAGE_ID, or cleared by ID when they have none. */
export async function setAside(ctx: BitrixContext, portal: Portal, authConnector: string, processId: string, rows: OfflineRows): Promise<void> {
	if (rows.broken.length) {
		await callMethod(ctx, portal, { method: 'event.offline.error', params: withConnector({ process_id: processId, message_id: rows.broken }, authConnector), write: true });
	}
	await clearRecords(ctx, portal, authConnector, processId, rows.brokenIds);
}

/** Reads the queue without changing it (a test run): event.offline.list. */
export async function listOffline(ctx: BitrixContext, portal: Portal, options: OfflineQueueOptions): Promise<OfflineRecord[]> {
	const envelope = await callMethod(ctx, portal, {
		method: 'event.offline.list',
		params: withConnector({ filter: { '=ERROR': 0, '=EVENT_NAME': options.events }, order: { ID: 'ASC' } }, options.authConnector),
		write: false,
	});
	const rows = Array.isArray(envelope.result) ? envelope.result : [];
	return checkOfflineRows(rows, new Set()).records;
}

export interface OfflineSourceOptions extends OfflineQueueOptions {
	/** A record as n8n items ([] or undefined: not wanted, cleared without a run). */
	toItems: (record: OfflineRecord) => IDataObject[] | undefined;
	/** The chat a record's items belong to (LiveEvent.orderKey: its runs keep their order); undefined: not held back. */
	orderKeyOf?: (items: IDataObject[]) => string | undefined;
	/** After a read, before the hand-over (e.g. delivery confirmations of operator messages). */
	afterRead?: (records: OfflineRecord[]) => Promise<void>;
	onSetAside?: (count: number) => void;
}

/** The offline queue as a live source: a batch is reserved on read and cleared by acknowledge(). */
export function offlineQueueSource(ctx: BitrixContext, portal: Portal, state: OfflineQueueState, options: OfflineSourceOptions): LiveSource {
	const key = `offline:${options.authConnector}`;
	const limit = Math.max(1, Math.floor(options.limit) || 50);
	let checkOrphans = true;
	async function clearTaken(): Promise<void> {
		if (!state.processId) return;
		await clearRecords(ctx, portal, options.authConnector, state.processId, state.processIds ?? []);
		delete state.processId;
		delete state.processIds;
	}
	function toLive(records: OfflineRecord[]): LiveEvent[] {
		return records.map((record) => {
			const items = options.toItems(record) ?? [];
			return { id: String(record.id), items, orderKey: options.orderKeyOf?.(items) };
		});
	}
	return {
		key,
		async prepare() {
			startSource(state, key);
			await ensureOfflineBindings(ctx, portal, state, options);
		},
		async read(): Promise<LiveBatch> {
			startSource(state, key);
			await clearTaken(); // a batch taken before a restart or a failed acknowledgement
			const lookForOrphans = checkOrphans;
			const params: IDataObject = { clear: 0, limit, filter: { '=EVENT_NAME': options.events }, order: { ID: 'ASC' } };
			if (lookForOrphans) {
				const orphan = await orphanProcess(ctx, portal, options);
				if (orphan) params.process_id = orphan;
			}
			// until the answer arrives, a batch may be reserved under a process id we never see: look for it next time
			checkOrphans = true;
			const result = obj((await callMethod(ctx, portal, { method: 'event.offline.get', params: withConnector(params, options.authConnector), write: true })).result);
			checkOrphans = false;
			const processId = typeof result.process_id === 'string' && result.process_id ? result.process_id : undefined;
			const rows = checkOfflineRows(result.events, deliveredSet(state));
			if (processId && (rows.broken.length || rows.brokenIds.length)) {
				await setAside(ctx, portal, options.authConnector, processId, rows);
				options.onSetAside?.(rows.broken.length + rows.brokenIds.length);
			}
			if (processId && rows.readable.length) {
				state.processId = processId;
				state.processIds = rows.readable;
			}
			if (rows.records.length) await options.afterRead?.(rows.records);
			return { events: toLive(rows.records), read: rows.read, hasMore: rows.read >= limit };
		},
		async acknowledge() {
			await clearTaken();
		},
		async peek() {
			return toLive(await listOffline(ctx, portal, options));
		},
	};
}
