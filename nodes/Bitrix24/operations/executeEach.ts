import type { INodeExecutionData } from 'n8n-workflow';

import type { BitrixFailure } from '../transport';
import { failureOf, NOT_SENT, runCalls, toNodeApiError } from '../transport';
import type { Answer } from './executeCalls';
import { answerFor } from './executeCalls';
import { errorItem } from './executeShared';
import type { RunContext } from './executeShared';
import { stoppedRunError } from './stopReport';
import type { ItemContext } from './types';
import { FieldError, ResultError } from './types';

/**
 * A step of one item that failed: loading its content (before its call: nothing was sent for it) or completing its
 * output (after the call). Texts are redacted.
 */
function stepFailure(method: string, error: unknown, beforeCall: boolean, secrets: string[]): BitrixFailure {
	if (error instanceof FieldError) return { method, code: 'INVALID_INPUT', description: error.message, notSent: true };
	if (error instanceof ResultError) return { method, code: error.code, description: error.message };
	return { ...failureOf(method, error, secrets), notSent: beforeCall || undefined };
}

/**
 * Operations whose items carry heavy content (`load`: a file's bytes) or need a step after the answer (`complete`: a
 * download into a binary property): one item at a time, one call each, never batched — so only one item's content is
 * in memory. With Continue On Fail off the run stops at the first failure and says what became of the other items.
 */
export async function executeEach(run: RunContext): Promise<INodeExecutionData[]> {
	const { ctx, node, portal, spec, prepared, continueOnFail } = run;
	const answers: Array<Answer | undefined> = prepared.map(() => undefined);
	const output: INodeExecutionData[] = [];
	for (let i = 0; i < prepared.length; i++) {
		const item = prepared[i];
		if (!item.ok) {
			output.push(errorItem(i, item.error.message));
			continue;
		}
		const itemContext: ItemContext = { ctx, itemIndex: i, auth: portal.auth, portal };
		let answer: Answer | undefined;
		let result: INodeExecutionData | undefined;
		let called = false;
		try {
			const params = spec.load ? await spec.load(item.params, itemContext) : item.params;
			called = true;
			const [outcome] = await runCalls(ctx, portal, [{ method: spec.method, params, write: spec.write !== false }]);
			answer = answerFor(spec, outcome, { call: 0, position: -1 }, item.params);
			if ('json' in answer && spec.complete) result = await spec.complete(answer.json, itemContext);
		} catch (error) {
			answer = { failure: stepFailure(spec.method, error, !called, portal.secrets) };
		}
		answers[i] = answer;
		if ('failure' in answer) {
			if (!continueOnFail) {
				for (let later = i + 1; later < prepared.length; later++) {
					answers[later] = { failure: { method: spec.method, code: NOT_SENT, description: 'not sent' } };
				}
				throw stoppedRunError(node, answers, i, portal.secrets);
			}
			output.push(errorItem(i, toNodeApiError(node, answer.failure, i, portal.secrets).message, answer.failure.code));
			continue;
		}
		output.push(result ? { ...result, pairedItem: { item: i } } : { json: answer.json, pairedItem: { item: i } });
	}
	return output;
}
