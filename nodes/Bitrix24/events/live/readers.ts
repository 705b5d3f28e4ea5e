/**
 * Exactly one reader per workflow trigger in this process. n8n runs trigger() only on the main process (the leader
 * in multi-main; in queue mode the runs go to the workers), once per active workflow; a quick deactivate/activate
 * can still overlap an old loop that has not seen its stop yet. A new reader stops the old one and waits for it.
 */
interface Reader {
	stop: () => void;
	ended: Promise<void>;
}

const readers = new Map<string, Reader>();

export async function claimReader(key: string, reader: Reader): Promise<void> {
	const previous = readers.get(key);
	readers.set(key, reader);
	if (previous) {
		previous.stop();
		await previous.ended;
	}
}

export function releaseReader(key: string, reader: Reader): void {
	if (readers.get(key) === reader) readers.delete(key);
}

/** Readers running in this process (for tests). */
export function activeReaders(): number {
	return readers.size;
}
