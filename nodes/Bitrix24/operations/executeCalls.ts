import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { BitrixCall, BitrixFailure, CallOutcome } from '../transport';
import { runCalls, toNodeApiError } from '../transport';
import { defaultOutput, errorItem } from './executeShared';
import type { Prepared, RunContext } from './executeShared';
import { getParam } from './paramPath';
import { stoppedRunError } from './stopReport';
import type { OperationSpec } from './types';
import { ResultError } from './types';

/** Where each item's answer comes from once the calls are planned. */
export interface Slot {
	call: number;
	/** Position in a packed array (imconnector MESSAGES), or -1 for a call of its own. */
	position: number;
}

export type Answer = { json: IDataObject } | { failure: BitrixFailure };

/**
 * Every operation but Get Many: plans the calls (one per item, or packed), sends them through the transport (batched,
 * paced) and gives one output or error item per input item. With Continue On Fail off nothing is sent after the first
 * failure, and the one error names that item and what became of the others (delivered, failed, not sent).
 */
export async function executeCalls(run: RunContext): Promise<INodeExecutionData[]> {
	const { ctx, node, portal, spec, prepared, continueOnFail } = run;
	const { calls, slots } = planCalls(spec, prepared);
	const itemsOfCall: number[][] = calls.map(() => []);
	slots.forEach((slot, i) => slot && itemsOfCall[slot.call].push(i));
	const answer = (i: number, outcome: CallOutcome): Answer => answerFor(spec, outcome, slots[i]!, (prepared[i] as { params: IDataObject }).params);
	const outcomes = await runCalls(ctx, portal, calls, {
		stopAtFirstFailure: !continueOnFail,
		isFailure: (outcome, callIndex) => !outcome.ok || itemsOfCall[callIndex].some((i) => 'failure' in answer(i, outcome)),
	});
	const answers: Array<Answer | undefined> = prepared.map((item, i) => (item.ok ? answer(i, outcomes[slots[i]!.call]) : undefined));
	if (!continueOnFail) {
		const first = answers.findIndex((a) => a !== undefined && 'failure' in a);
		if (first >= 0) throw stoppedRunError(node, answers, first, portal.secrets);
	}
	return answers.map((a, i): INodeExecutionData => {
		if (a === undefined) return errorItem(i, (prepared[i] as { error: Error }).error.message);
		if ('json' in a) return { json: a.json, pairedItem: { item: i } };
		return errorItem(i, toNodeApiError(node, a.failure, i, portal.secrets).message, a.failure.code);
	});
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

export function answerFor(spec: OperationSpec, outcome: CallOutcome, slot: Slot, params: IDataObject): Answer {
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
