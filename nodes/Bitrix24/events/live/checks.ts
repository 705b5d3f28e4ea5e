import type { IDataObject } from 'n8n-workflow';

/**
 * What a fetch trigger accepts from the portal before it believes it (design: "trust no id or offset the portal
 * hands back without checking it; a record that cannot be read is set aside, never blocks the queue").
 */
export const EVENT_CHECKS = {
	/** Deepest nesting of an event's data that is read (deeper: set aside; a 20,000-deep record overflowed the stack). */
	maxDepth: 64,
	/** Most values in one event's data. */
	maxValues: 200_000,
	/** Ids above this are not Bitrix24 row ids (auto-increment integers). */
	maxId: 2 ** 50,
	/** An event id this far beyond the previous one (or the acknowledged offset) is not believed. */
	maxIdJump: 1_000_000_000,
};

export function obj(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

export function isPlainObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A positive whole-number id (number or digit string) within EVENT_CHECKS.maxId, else undefined. */
export function idOf(value: unknown): number | undefined {
	const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN;
	return Number.isSafeInteger(n) && n >= 1 && n <= EVENT_CHECKS.maxId ? n : undefined;
}

/** Whether `value` nests at most `maxDepth` objects/arrays deep and holds at most `maxValues` values (iterative). */
export function withinLimits(value: unknown, maxDepth = EVENT_CHECKS.maxDepth, maxValues = EVENT_CHECKS.maxValues): boolean {
	const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
	let count = 0;
	while (stack.length) {
		const next = stack.pop() as { value: unknown; depth: number };
		if (++count > maxValues) return false;
		if (next.value === null || typeof next.value !== 'object') continue;
		if (next.depth >= maxDepth) return false;
		for (const child of Object.values(next.value as object)) stack.push({ value: child, depth: next.depth + 1 });
	}
	return true;
}
