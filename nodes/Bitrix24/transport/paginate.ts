import type { IDataObject } from 'n8n-workflow';

import { callMethod } from './request';
import type { BitrixContext, Portal } from './types';

/**
 * How a list method pages (only what an operation uses; classic `start={next}` paging has no user here):
 * - `paramsOffset`: `PARAMS.limit` / `PARAMS.offset` (imopenlines.config.list.get, up to 200 per page);
 * - `single`: the method returns everything at once (imbot.bot.list, imconnector.list).
 */
export type PagingStyle = 'paramsOffset' | 'single';

export interface ListRequest {
	method: string;
	params: IDataObject;
	style: PagingStyle;
	/** Turns one page's `result` into rows. */
	rows: (result: unknown) => IDataObject[];
	/** Undefined = return all. */
	limit?: number;
	pageSize?: number;
}

export async function fetchList(ctx: BitrixContext, portal: Portal, request: ListRequest): Promise<IDataObject[]> {
	const collected: IDataObject[] = [];
	const wanted = request.limit ?? Number.POSITIVE_INFINITY;
	if (request.style === 'single') {
		const envelope = await callMethod(ctx, portal, { method: request.method, params: request.params, write: false });
		return request.rows(envelope.result).slice(0, wanted);
	}
	const pageSize = request.pageSize ?? 200;
	let offset = 0;
	for (;;) {
		const limit = Math.min(pageSize, wanted - collected.length);
		const inner = { ...((request.params.PARAMS as IDataObject) ?? {}), limit, offset };
		const envelope = await callMethod(ctx, portal, {
			method: request.method,
			params: { ...request.params, PARAMS: inner },
			write: false,
		});
		const rows = request.rows(envelope.result);
		collected.push(...rows);
		offset += rows.length;
		const total = typeof envelope.total === 'number' ? envelope.total : undefined;
		if (rows.length < limit || collected.length >= wanted || (total !== undefined && offset >= total)) break;
	}
	return collected.slice(0, wanted);
}
