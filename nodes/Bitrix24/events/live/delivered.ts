import type { LiveState } from './source';

/** How many delivered ids a live or scheduled fetch trigger remembers (the newest), to drop repeats. */
export const DELIVERED_IDS_KEPT = 2000;

/** Adds ids to the remembered ring (newest last, at most DELIVERED_IDS_KEPT). */
export function rememberDelivered(state: LiveState, ids: Array<number | string>): void {
	const all = [...(state.delivered ?? []), ...ids];
	state.delivered = all.length > DELIVERED_IDS_KEPT ? all.slice(all.length - DELIVERED_IDS_KEPT) : all;
}

export function deliveredSet(state: LiveState): Set<string> {
	return new Set((state.delivered ?? []).map(String));
}

/** Clears the state when it belongs to another source (another bot, another queue key). */
export function startSource(state: LiveState, source: string): void {
	if (state.source === source) return;
	for (const key of Object.keys(state)) delete state[key];
	state.source = source;
}
