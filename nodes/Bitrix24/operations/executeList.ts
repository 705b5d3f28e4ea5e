import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { failureOf, fetchList, toNodeApiError } from '../transport';
import { errorItem } from './executeShared';
import { checkListLimit } from './validators';
import type { RunContext } from './executeShared';

/** Get Many: each item's list (paged as its spec says, Return All / Limit), one output item per row, paired to the item. */
export async function executeList(run: RunContext): Promise<INodeExecutionData[]> {
	const { ctx, node, portal, spec, prepared, continueOnFail } = run;
	const list = spec.list!;
	const results: INodeExecutionData[] = [];
	for (let i = 0; i < prepared.length; i++) {
		const item = prepared[i];
		if (!item.ok) {
			results.push(errorItem(i, item.error.message));
			continue;
		}
		try {
			const returnAll = ctx.getNodeParameter('returnAll', i, false) as boolean;
			const limit = returnAll ? undefined : checkListLimit(ctx.getNodeParameter('limit', i, 50), 'Limit');
			const rows = await fetchList(ctx, portal, { method: spec.method, params: item.params, style: list.style, rows: list.rows, limit, pageSize: list.pageSize });
			for (const row of rows) {
				const json: IDataObject = spec.output ? spec.output(row, item.params) : row;
				results.push({ json, pairedItem: { item: i } });
			}
		} catch (error) {
			const failure = failureOf(spec.method, error, portal.secrets);
			const apiError = toNodeApiError(node, failure, i, portal.secrets);
			if (!continueOnFail) throw apiError;
			results.push(errorItem(i, apiError.message, failure.code));
		}
	}
	return results;
}
