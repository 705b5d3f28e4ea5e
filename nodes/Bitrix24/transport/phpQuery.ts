/**
 * PHP `http_build_query`: nested objects and arrays become `a[b][0]=v`. Bitrix24's `batch` takes each command as
 * `method?query` in this encoding. `null`/`undefined` are left out; booleans become 1 and 0, as in PHP.
 */
export function buildPhpQuery(params: Record<string, unknown>): string {
	const pairs: string[] = [];
	const add = (key: string, value: unknown): void => {
		if (value === null || value === undefined) return;
		if (Array.isArray(value)) {
			value.forEach((entry, index) => add(`${key}[${index}]`, entry));
			return;
		}
		if (typeof value === 'object') {
			for (const [childKey, child] of Object.entries(value as Record<string, unknown>)) add(`${key}[${childKey}]`, child);
			return;
		}
		const scalar = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
		pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(scalar)}`);
	};
	for (const [key, value] of Object.entries(params)) add(key, value);
	return pairs.join('&');
}
