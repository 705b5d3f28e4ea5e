/**
 * Exactly one reader per workflow trigger in this process. n8n runs trigger() only on the main process (the leader
 * in multi-main; in queue mode the runs go to the workers), once per active workflow; a quick deactivate/activate
 * can still overlap an old loop that has not seen its stop yet. A new reader stops the old one and waits for it;
 * the old loop's runs that n8n has not taken yet are returned, so the new loop emits nothing before they are taken
 * (order per chat across the switch).
 */
export interface Reader {
	stop: () => void;
	ended: Promise<void>;
	/** Settles when every run this reader emitted has been taken. */
	pending: () => Promise<unknown>;
}

const readers = new Map<string, Reader>();

/** Makes `reader` the one of `key`; returns the previous reader (stopped and ended), if there was one. */
export async function claimReader(key: string, reader: Reader): Promise<Reader | undefined> {
	const previous = readers.get(key);
	readers.set(key, reader);
	if (!previous) return undefined;
	previous.stop();
	await previous.ended;
	return previous;
}

export function releaseReader(key: string, reader: Reader): void {
	if (readers.get(key) === reader) readers.delete(key);
}

/** Readers running in this process (for tests). */
export function activeReaders(): number {
	return readers.size;
}
