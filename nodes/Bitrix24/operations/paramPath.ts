import type { IDataObject } from 'n8n-workflow';

/** Sets `value` at a dotted path (`PROPERTIES.NAME`), creating objects on the way. */
export function setParam(target: IDataObject, path: string, value: unknown): void {
	const parts = path.split('.');
	let node: IDataObject = target;
	for (const part of parts.slice(0, -1)) {
		const next = node[part];
		if (!next || typeof next !== 'object' || Array.isArray(next)) node[part] = {};
		node = node[part] as IDataObject;
	}
	node[parts[parts.length - 1]] = value as IDataObject[keyof IDataObject];
}

export function getParam(source: IDataObject, path: string): unknown {
	let node: unknown = source;
	for (const part of path.split('.')) {
		if (!node || typeof node !== 'object') return undefined;
		node = (node as IDataObject)[part];
	}
	return node;
}
