import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';

import type { Portal } from '../transport';
import type { OperationSpec } from './types';

/** One item's params, or why they could not be built (already an n8n error naming the field). */
export type Prepared = { ok: true; params: IDataObject } | { ok: false; error: Error };

/** What both executors get: the run, its operation, and every item's checked params. */
export interface RunContext {
	ctx: IExecuteFunctions;
	node: INode;
	portal: Portal;
	spec: OperationSpec;
	prepared: Prepared[];
	continueOnFail: boolean;
}

export function defaultOutput(result: unknown): IDataObject {
	if (result && typeof result === 'object' && !Array.isArray(result)) return result as IDataObject;
	return { result: result as IDataObject[keyof IDataObject] };
}

export function errorItem(itemIndex: number, message: string, code?: string): INodeExecutionData {
	const json: IDataObject = { error: message };
	if (code) json.code = code;
	return { json, pairedItem: { item: itemIndex } };
}
