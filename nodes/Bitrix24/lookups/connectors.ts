import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { lookupCall, lookupPortal, matchesFilter } from './portal';

/**
 * listSearch for the Connector field: every connector of the portal (imconnector.list → {id: name}), built-in ones
 * included, filtered by name or ID. imconnector.list needs the OAuth2 credential and the right to modify connectors.
 */
export async function searchConnectors(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const portal = await lookupPortal(this);
	const result = await lookupCall(this, portal, { method: 'imconnector.list', params: {} });
	const map = result && typeof result === 'object' && !Array.isArray(result) ? (result as Record<string, unknown>) : {};
	const results = Object.entries(map)
		.map(([id, name]) => ({ id, name: String(name ?? id) }))
		.filter((row) => matchesFilter(filter, row.name, row.id))
		.sort((a, b) => a.name.localeCompare(b.name))
		.map((row) => ({ name: `${row.name} (${row.id})`, value: row.id }));
	return { results };
}
