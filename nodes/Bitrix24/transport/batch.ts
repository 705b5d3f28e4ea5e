import type { IDataObject } from 'n8n-workflow';

import { authFailure, withAuthParams } from './authRules';
import { failureInResult } from './classify';
import type { BitrixFailure } from './failure';
import { failureOf } from './failure';
import { buildPhpQuery } from './phpQuery';
import { callMethod } from './request';
import type { BitrixCall, BitrixContext, Portal } from './types';

export const MAX_BATCH_COMMANDS = 50;

/** What became of one call: its envelope fields, or its failure. */
export type CallOutcome =
	| { ok: true; result: unknown; total?: number; next?: number }
	| { ok: false; failure: BitrixFailure };

async function runSingle(ctx: BitrixContext, portal: Portal, call: BitrixCall): Promise<CallOutcome> {
	try {
		const envelope = await callMethod(ctx, portal, call);
		return { ok: true, result: envelope.result, total: envelope.total, next: envelope.next };
	} catch (error) {
		return { ok: false, failure: failureOf(call.method, error) };
	}
}

function section(value: unknown): Record<string, unknown> {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

async function runChunk(ctx: BitrixContext, portal: Portal, calls: BitrixCall[]): Promise<CallOutcome[]> {
	const cmd: Record<string, string> = {};
	calls.forEach((call, index) => {
		const params = withAuthParams(portal, call.method, call.params);
		cmd[`c${index}`] = `${call.method}?${buildPhpQuery(params)}`;
	});
	const batchCall: BitrixCall = { method: 'batch', params: { halt: 0, cmd } as IDataObject, write: calls.some((c) => c.write) };
	let envelope;
	try {
		envelope = await callMethod(ctx, portal, batchCall);
	} catch (error) {
		const failure = failureOf('batch', error);
		return calls.map((call) => ({ ok: false, failure: { ...failure, method: `${call.method} (in batch)` } }));
	}
	const body = section(envelope.result);
	const results = section(body.result);
	const errors = section(body.result_error);
	const totals = section(body.result_total);
	const nexts = section(body.result_next);
	return calls.map((call, index): CallOutcome => {
		const key = `c${index}`;
		const error = errors[key] as { error?: string; error_description?: string } | undefined;
		if (error) {
			return {
				ok: false,
				failure: { method: call.method, code: String(error.error ?? 'UNKNOWN'), description: String(error.error_description ?? '') },
			};
		}
		if (!(key in results)) {
			return {
				ok: false,
				failure: {
					method: call.method,
					code: 'ERROR_UNEXPECTED_ANSWER',
					description: 'The batch answer holds neither a result nor an error for this command.',
					outcomeUnknown: true,
				},
			};
		}
		const inResult = failureInResult(call.method, results[key]);
		if (inResult) return { ok: false, failure: inResult };
		return { ok: true, result: results[key], total: totals[key] as number | undefined, next: nexts[key] as number | undefined };
	});
}

export interface RunCallsOptions {
	/**
	 * Stop at the first failure (n8n's Continue On Fail is off): once a chunk holds a failed call, later chunks are not
	 * sent and their calls come back as NOT_SENT. Calls of the same chunk went in the same request and keep their outcome.
	 */
	stopAtFirstFailure?: boolean;
	/** Whether an outcome is a failure for stopping (default: not ok) — e.g. a packed call whose messages failed in a 200. */
	isFailure?: (outcome: CallOutcome, callIndex: number) => boolean;
}

/** The outcome of a call that was not sent because an earlier one failed. */
export const NOT_SENT = 'NOT_SENT';

function notSent(call: BitrixCall): CallOutcome {
	return {
		ok: false,
		failure: {
			method: call.method,
			code: NOT_SENT,
			description: 'Not sent: an earlier call of this run failed and "Continue On Fail" is off.',
			notSent: true,
		},
	};
}

/** Whether a null is anywhere in the params (bounded: params are built by the node, a few levels deep). */
function holdsNull(value: unknown, depth = 0): boolean {
	if (value === null) return true;
	if (typeof value !== 'object' || depth > 8) return false;
	return Object.values(value as object).some((child) => holdsNull(child, depth + 1));
}

/**
 * Sends `indexes` (in chunks of at most 50 commands; a chunk of one goes alone), then resends the batch commands that
 * are safe to resend, up to BATCH_RETRY_ROUNDS more rounds, merged into as few batches as possible. A call sent alone
 * went through callMethod's own retries already and gets no further round.
 */
async function runWithRetries(ctx: BitrixContext, portal: Portal, calls: BitrixCall[], indexes: number[], outcomes: CallOutcome[]): Promise<void> {
	let round = indexes;
	for (let attempt = 0; round.length > 0; attempt++) {
		const alone = new Set<number>();
		// a batch command is a PHP query string, which drops null (Command.update's "remove this language"): such a call goes alone
		const batchable = round.filter((index) => !holdsNull(calls[index].params));
		const chunks = round.filter((index) => holdsNull(calls[index].params)).map((index) => [index]);
		for (let start = 0; start < batchable.length; start += MAX_BATCH_COMMANDS) chunks.push(batchable.slice(start, start + MAX_BATCH_COMMANDS));
		for (const chunk of chunks) {
			if (chunk.length === 1) alone.add(chunk[0]);
			const chunkOutcomes =
				chunk.length === 1 ? [await runSingle(ctx, portal, calls[chunk[0]])] : await runChunk(ctx, portal, chunk.map((i) => calls[i]));
			chunk.forEach((callIndex, position) => {
				outcomes[callIndex] = chunkOutcomes[position];
			});
		}
		if (attempt >= BATCH_RETRY_ROUNDS) return;
		round = round.filter((index) => {
			const outcome = outcomes[index];
			return !alone.has(index) && !outcome.ok && safeToResend(outcome.failure, calls[index]);
		});
	}
}

/**
 * Runs many calls with as few requests as Bitrix24 allows: one call goes alone, more go through `batch`
 * (at most 50 commands per request, halt=0), and each call's result or error comes back in its own slot.
 * With stopAtFirstFailure the chunks go one at a time, each with its resends, and the run stops after a chunk that
 * failed; otherwise every chunk goes first and the refused commands of all of them are resent together.
 */
export async function runCalls(ctx: BitrixContext, portal: Portal, calls: BitrixCall[], options: RunCallsOptions = {}): Promise<CallOutcome[]> {
	const outcomes: CallOutcome[] = new Array(calls.length);
	const pending: number[] = [];
	calls.forEach((call, index) => {
		const failure = authFailure(portal, call.method);
		if (failure) outcomes[index] = { ok: false, failure };
		else pending.push(index);
	});
	if (!options.stopAtFirstFailure) {
		await runWithRetries(ctx, portal, calls, pending, outcomes);
		return outcomes;
	}
	const isFailure = options.isFailure ?? ((outcome: CallOutcome) => !outcome.ok);
	let stopped = outcomes.some((outcome, index) => outcome && isFailure(outcome, index));
	for (let start = 0; start < pending.length; start += MAX_BATCH_COMMANDS) {
		const chunk = pending.slice(start, start + MAX_BATCH_COMMANDS);
		if (stopped) {
			for (const index of chunk) outcomes[index] = notSent(calls[index]);
			continue;
		}
		await runWithRetries(ctx, portal, calls, chunk, outcomes);
		stopped = chunk.some((index) => isFailure(outcomes[index], index));
	}
	return outcomes;
}

/** Extra rounds for commands a batch reported as not run (rate limit) or, for reads, as failed on the server. */
export const BATCH_RETRY_ROUNDS = 3;

function safeToResend(failure: BitrixFailure, call: BitrixCall): boolean {
	if (failure.method.endsWith('(in batch)')) return false;
	if (failure.code === 'QUERY_LIMIT_EXCEEDED') return true;
	const serverSide = failure.code === 'INTERNAL_SERVER_ERROR' || failure.code === 'ERROR_UNEXPECTED_ANSWER';
	return !call.write && serverSide;
}

export { runSingle };
