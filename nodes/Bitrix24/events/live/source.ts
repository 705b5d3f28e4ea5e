import type { IDataObject } from 'n8n-workflow';

/**
 * The contract between the live engine (loop.ts) and a Bitrix24 event queue. A source knows how to read one batch,
 * how to tell the portal that a batch was taken, and how to name each event; the engine owns the timing, the
 * hand-over to n8n (one execution per event, in order), the remembered ids and the stop.
 *
 * Stable interface: the Chatbot Fetch Trigger (imbot.v2.Event.get), the Open Channels Fetch Trigger
 * (event.offline.*) and the Messenger Trigger (im.v2.Event.get) are sources.
 */
export interface LiveEvent {
	/**
	 * The event's id in its queue, as the source checked it (eventId, offline record ID). The engine hands an id to
	 * n8n at most once (it remembers the newest DELIVERED_IDS_KEPT ids across restarts).
	 */
	id: string;
	/** The items of its execution (usually one). An event whose items are empty is acknowledged without a run. */
	items: IDataObject[];
	/**
	 * The chat (dialog) the event belongs to: events with the same key run one after the other, in queue order (the
	 * engine emits the next one when the previous run has ended). Undefined or '': not held back by any other event.
	 */
	orderKey?: string;
}

export interface LiveBatch {
	/** The events to hand to n8n, oldest first (the source has already dropped repeats within the batch). */
	events: LiveEvent[];
	/** Records the portal returned (including those filtered out or set aside): any > 0 counts as activity. */
	read: number;
	/** The portal has more waiting right now (Event.get hasMore, or a full batch). */
	hasMore: boolean;
}

export interface LiveSource {
	/** What the remembered state belongs to (`bot:12`, `offline:key`, `user:5`): another key starts afresh. */
	readonly key: string;
	/** Once, when the workflow is activated, before the first read (switch the bot to fetch mode, bind offline events). */
	prepare?(): Promise<void>;
	/**
	 * Reads the next batch. It may acknowledge what the last acknowledge() call accepted (Event.get's offset), never
	 * anything newer. Throws on a response it cannot trust (the engine backs off and reads again).
	 */
	read(): Promise<LiveBatch>;
	/**
	 * n8n has taken every event of `batch` (each run finished, or failed): record it and tell the portal now or on
	 * the next read. Called for every batch, also for one without events (what was filtered out is acknowledged too).
	 */
	acknowledge(batch: LiveBatch): Promise<void>;
	/** A test run in the editor: the events waiting now, without acknowledging or changing anything. */
	peek(): Promise<LiveEvent[]>;
}

/** What a source and the engine keep in the node's static data (saved by n8n with every emit and after activation). */
export interface LiveState extends IDataObject {
	/** The source key the state belongs to. */
	source?: string;
	/** Ids handed to n8n (newest last), at most DELIVERED_IDS_KEPT. */
	delivered?: Array<number | string>;
}
