import type { IDataObject } from 'n8n-workflow';

import { callMethod } from './request';
import type { BitrixContext, Portal } from './types';

/**
 * How a list method pages (only what an operation uses; classic `start={next}` paging has no user here):
 * - `paramsOffset`: `PARAMS.limit` / `PARAMS.offset` (imopenlines.config.list.get, up to 200 per page);
 * - `offset`: top-level `limit` / `offset`, until `hasNextPage` is false (imbot.v2.Bot.list, `pageSize` per page);
 * - `limit`: one call with a top-level `limit` of at most `pageSize` and no paging (imbot.v2.Chat.User.list, 1–200);
 * - `single`: the method returns everything at once (imbot.bot.list, imconnector.list).
 */
export type PagingStyle = 'paramsOffset' | 'offset' | 'limit' | 'single';

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
	if (request.style === 'limit') {
		const params = { ...request.params, limit: Math.min(pageSize, wanted) };
		const envelope = await callMethod(ctx, portal, { method: request.method, params, write: false });
		return request.rows(envelope.result).slice(0, wanted);
	}
	let offset = 0;
	for (;;) {
		const limit = Math.min(pageSize, wanted - collected.length);
		const params =
			request.style === 'offset'
				? { ...request.params, limit, offset }
				: { ...request.params, PARAMS: { ...((request.params.PARAMS as IDataObject) ?? {}), limit, offset } };
		const envelope = await callMethod(ctx, portal, { method: request.method, params, write: false });
		const rows = request.rows(envelope.result);
		collected.push(...rows);
		offset += rows.length;
		const total = typeof envelope.total === 'number' ? envelope.total : undefined;
		const lastPage = request.style === 'offset' && (envelope.result as IDataObject | undefined)?.hasNextPage === false;
		if (lastPage || rows.length < limit || collected.length >= wanted || (total !== undefined && offset >= total)) break;
	}
	return collected.slice(0, wanted);
}
