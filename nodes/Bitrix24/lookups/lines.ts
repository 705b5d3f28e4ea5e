import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { lookupCall, lookupPortal, matchesFilter } from './portal';

/** Lines per imopenlines.config.list.get page (the documented maximum). */
const PAGE = 200;

/**
 * listSearch for the Line field: the portal's Open Channels (imopenlines.config.list.get), 200 per page,
 * filtered by name or ID. Works with both credentials.
 */
export async function searchLines(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const portal = await lookupPortal(this);
	const offset = Number(paginationToken) > 0 ? Number(paginationToken) : 0;
	const result = await lookupCall(this, portal, {
		method: 'imopenlines.config.list.get',
		params: { PARAMS: { select: ['ID', 'LINE_NAME', 'ACTIVE'], order: { ID: 'ASC' }, limit: PAGE, offset } },
	});
	const rows = (Array.isArray(result) ? result : []) as IDataObject[];
	const results = rows
		.map((row) => {
			const id = String(row.ID ?? '');
			const name = String(row.LINE_NAME ?? '') || `Line ${id}`;
			const inactive = row.ACTIVE === 'N' ? ', inactive' : '';
			return { id, name: `${name} (#${id}${inactive})` };
		})
		.filter((row) => row.id !== '' && matchesFilter(filter, row.name, row.id))
		.map((row) => ({ name: row.name, value: row.id }));
	return { results, paginationToken: rows.length === PAGE ? String(offset + PAGE) : undefined };
}
