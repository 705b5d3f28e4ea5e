import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { AuthKind, BitrixCall, BitrixFailure, CallOutcome, Portal } from '../transport';
import { authFailure, failureOf, fetchList, resolvePortal, runCalls, toNodeApiError } from '../transport';
import { paramsFromFields } from './fieldValues';
import { getParam } from './paramPath';
import type { ItemContext, OperationSpec, ResourceSpec } from './types';
import { FieldError, ResultError } from './types';

type Prepared = { ok: true; params: IDataObject } | { ok: false; error: Error };

/** Where each item's answer comes from once the calls are planned. */
interface Slot {
	call: number;
	/** Position in a packed array (imconnector MESSAGES), or -1 for a call of its own. */
	position: number;
}

function findOperation(resources: ResourceSpec[], resource: string, operation: string): OperationSpec | undefined {
	return resources.find((r) => r.value === resource)?.operations.find((o) => o.value === operation);
}

export function defaultOutput(result: unknown): IDataObject {
	if (result && typeof result === 'object' && !Array.isArray(result)) return result as IDataObject;
	return { result: result as IDataObject[keyof IDataObject] };
}

/**
 * The one executor of both action nodes. For the current resource/operation it reads and checks every item's fields
 * before sending anything, plans the calls (one per item, or packed), sends them through the transport (batched,
 * paced), and returns exactly one output or error item per input item, with pairedItem — Get Many returns its rows.
 */
export async function executeOperation(this: IExecuteFunctions, resources: ResourceSpec[]): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const spec = findOperation(resources, resource, operation);
	if (!spec) {
		throw new NodeOperationError(node, `The operation "${operation}" of resource "${resource}" is not supported by this node.`);
	}
	const auth = this.getNodeParameter('authentication', 0) as AuthKind;
	const portal = await resolvePortal(this, auth);
	const continueOnFail = this.continueOnFail();

	const refused = authFailure(portal, spec.method);
	if (refused) {
		const error = new NodeOperationError(node, refused.description, { itemIndex: 0 });
		if (!continueOnFail) throw error;
		return [items.map((_, i) => errorItem(i, error.message, refused.code))];
	}

	// 1. Every item's params, checked before any request is sent.
	const prepared: Prepared[] = [];
	for (let i = 0; i < items.length; i++) {
		prepared.push(await prepareItem(this, spec, { ctx: this, itemIndex: i, auth, portal }));
	}
	const firstBad = prepared.findIndex((p) => !p.ok);
	if (firstBad >= 0 && !continueOnFail) throw (prepared[firstBad] as { error: Error }).error;

	const results: INodeExecutionData[] = [];
	if (spec.list) {
		for (let i = 0; i < items.length; i++) {
			const item = prepared[i];
			if (!item.ok) {
				results.push(errorItem(i, item.error.message));
				continue;
			}
			try {
				const rows = await listRows(this, portal, spec, item.params, i);
				for (const row of rows) results.push({ json: row, pairedItem: { item: i } });
			} catch (error) {
				const failure = failureOf(spec.method, error, portal.secrets);
				if (!continueOnFail) throw toNodeApiError(node, failure, i, portal.secrets);
				results.push(errorItem(i, toNodeApiError(node, failure, i, portal.secrets).message, failure.code));
			}
		}
		return [results];
	}

	// 2. Plan calls: one per item, or packed arrays for pack operations.
	const { calls, slots } = planCalls(spec, prepared);
	// 3. Send: batched 50 per request.
	const outcomes = await runCalls(this, portal, calls);
	// 4. One output or error item per input item.
	for (let i = 0; i < items.length; i++) {
		const item = prepared[i];
		if (!item.ok) {
			results.push(errorItem(i, item.error.message));
			continue;
		}
		const slot = slots[i]!;
		const answer = answerFor(spec, outcomes[slot.call], slot, item.params);
		if ('json' in answer) {
			results.push({ json: answer.json, pairedItem: { item: i } });
			continue;
		}
		const error = toNodeApiError(node, answer.failure, i, portal.secrets);
		if (!continueOnFail) throw error;
		results.push(errorItem(i, error.message, answer.failure.code));
	}
	return [results];
}

async function prepareItem(ctx: IExecuteFunctions, spec: OperationSpec, item: ItemContext): Promise<Prepared> {
	try {
		let params = await paramsFromFields(spec.fields, item);
		if (spec.constants) params = { ...params, ...spec.constants };
		if (spec.build) params = await spec.build(params, item);
		return { ok: true, params };
	} catch (error) {
		if (error instanceof FieldError || error instanceof NodeOperationError) {
			const message = error instanceof FieldError ? `${error.message}.`.replace(/\.\.$/, '.') : error.message;
			return { ok: false, error: new NodeOperationError(ctx.getNode(), message, { itemIndex: item.itemIndex }) };
		}
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: item.itemIndex });
	}
}

function planCalls(spec: OperationSpec, prepared: Prepared[]): { calls: BitrixCall[]; slots: Array<Slot | undefined> } {
	const calls: BitrixCall[] = [];
	const slots: Array<Slot | undefined> = new Array(prepared.length);
	const write = spec.write !== false;
	if (!spec.pack) {
		prepared.forEach((item, i) => {
			if (!item.ok) return;
			slots[i] = { call: calls.length, position: -1 };
			calls.push({ method: spec.method, params: item.params, write });
		});
		return { calls, slots };
	}
	const pack = spec.pack;
	const open = new Map<string, number>();
	prepared.forEach((item, i) => {
		if (!item.ok) return;
		const key = pack.groupKey(item.params);
		const entries = (getParam(item.params, pack.arrayParam) as unknown[]) ?? [];
		let callIndex = open.get(key);
		if (callIndex === undefined || (calls[callIndex].params[pack.arrayParam] as unknown[]).length + entries.length > pack.max) {
			callIndex = calls.length;
			calls.push({ method: spec.method, params: { ...item.params, [pack.arrayParam]: [] }, write });
			open.set(key, callIndex);
		}
		const array = calls[callIndex].params[pack.arrayParam] as unknown[];
		slots[i] = { call: callIndex, position: array.length };
		array.push(...entries);
	});
	return { calls, slots };
}

function answerFor(
	spec: OperationSpec,
	outcome: CallOutcome,
	slot: Slot,
	params: IDataObject,
): { json: IDataObject } | { failure: BitrixFailure } {
	if (!outcome.ok) return { failure: outcome.failure };
	if (spec.pack && slot.position >= 0) {
		const unpacked = spec.pack.unpack(outcome.result, slot.position, params);
		if ('json' in unpacked) return unpacked;
		return { failure: { method: spec.method, code: unpacked.code ?? 'MESSAGE_FAILED', description: unpacked.error } };
	}
	try {
		return { json: spec.output ? spec.output(outcome.result, params) : defaultOutput(outcome.result) };
	} catch (error) {
		if (error instanceof ResultError) return { failure: { method: spec.method, code: error.code, description: error.message } };
		return { failure: { method: spec.method, code: 'UNEXPECTED_RESULT', description: `The answer could not be read: ${(error as Error).message}` } };
	}
}

async function listRows(ctx: IExecuteFunctions, portal: Portal, spec: OperationSpec, params: IDataObject, i: number): Promise<IDataObject[]> {
	const list = spec.list!;
	const returnAll = ctx.getNodeParameter('returnAll', i, false) as boolean;
	const limit = returnAll ? undefined : (ctx.getNodeParameter('limit', i, 50) as number);
	const rows = await fetchList(ctx, portal, { method: spec.method, params, style: list.style, rows: list.rows, limit, pageSize: list.pageSize });
	return spec.output ? rows.map((row) => spec.output!(row, params)) : rows;
}

function errorItem(itemIndex: number, message: string, code?: string): INodeExecutionData {
	const json: IDataObject = { error: message };
	if (code) json.code = code;
	return { json, pairedItem: { item: itemIndex } };
}
