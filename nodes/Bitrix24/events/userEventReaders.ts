/**
 * Which active triggers of this n8n process read a Bitrix24 user's im.v2 events (im.v2.Event.get, or
 * imbot.v2.Event.get with withUserEvents). Bitrix24 keeps ONE queue per user: an offset acknowledges for every reader
 * (im.v2/events/index.md#limits), so two readers of one user would split the events between them, and an
 * im.v2.Event.unsubscribe by one stops recording for the other. Keys: `<portal origin>|<user id>`.
 */
const readers = new Map<string, Set<string>>();

export function userEventsKey(portalKey: string, userId: number | string): string {
	return `${portalKey}|${String(userId)}`;
}

/** Registers `reader` for the user's events; returns the readers that already hold them (empty: none). */
export function claimUserEvents(userKey: string, reader: string): string[] {
	const set = readers.get(userKey) ?? new Set<string>();
	const others = [...set].filter((r) => r !== reader);
	set.add(reader);
	readers.set(userKey, set);
	return others;
}

/** Unregisters `reader`; returns true when no reader of the user's events is left in this process. */
export function releaseUserEvents(userKey: string, reader: string): boolean {
	const set = readers.get(userKey);
	if (!set) return true;
	set.delete(reader);
	if (set.size === 0) readers.delete(userKey);
	return set.size === 0;
}
