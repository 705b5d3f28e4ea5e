/**
 * What test runs of a v2 event queue (imbot.v2.Event.get, im.v2.Event.get) showed, per queue, in this n8n process.
 *
 * A test run only peeks: it acknowledges nothing, because a published workflow may be reading the same queue. But
 * what it showed counts as taken, as with n8n's test webhooks: the next test run shows what came after it, and a
 * workflow published afterwards starts past it instead of answering the tested message a second time. Only a
 * published workflow's first read uses it (one that has no offset of its own yet), so a running workflow never
 * skips anything. Memory only: a hint between a test and the publish that follows; after a restart nothing is skipped.
 */

/** Queues remembered at most (the oldest is forgotten first). */
const MAX_QUEUES = 500;

const shown = new Map<string, number>();

/** The queue's identity: the portal and the source key (`bot:12`, `user:5`). */
export function queueKey(portalOrigin: string, sourceKey: string): string {
	return `${portalOrigin}|${sourceKey}`;
}

/** A test run showed events below `offset` (the offset that would acknowledge them). */
export function rememberShown(key: string, offset: number | undefined): void {
	if (offset === undefined || !Number.isSafeInteger(offset) || offset <= 0) return;
	if (offset <= (shown.get(key) ?? 0)) return;
	shown.delete(key);
	shown.set(key, offset);
	if (shown.size > MAX_QUEUES) shown.delete(shown.keys().next().value as string);
}

/** The offset past what test runs showed; 0 when none did. */
export function shownOffset(key: string): number {
	return shown.get(key) ?? 0;
}

/** A published workflow took over the queue from its first read: the test runs' mark is spent. */
export function forgetShown(key: string): void {
	shown.delete(key);
}
