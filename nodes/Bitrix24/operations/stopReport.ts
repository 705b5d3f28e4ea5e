import type { IDataObject, INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { BitrixFailure } from '../transport';
import { NOT_SENT, toNodeApiError } from '../transport';

type Answer = { json: IDataObject } | { failure: BitrixFailure } | undefined;

/** 1234 → "1,234" (item numbers as a user counts them). */
function count(n: number): string {
	return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Item indexes (0-based, ascending) as 1-based ranges: "1–62, 64 and 66–100". */
export function itemRanges(indexes: number[]): string {
	const ranges: string[] = [];
	for (let k = 0; k < indexes.length; k++) {
		const from = indexes[k];
		while (k + 1 < indexes.length && indexes[k + 1] === indexes[k] + 1) k++;
		ranges.push(from === indexes[k] ? count(from + 1) : `${count(from + 1)}–${count(indexes[k] + 1)}`);
	}
	if (ranges.length <= 1) return ranges.join('');
	return `${ranges.slice(0, -1).join(', ')} and ${ranges[ranges.length - 1]}`;
}

/**
 * The one error of a run stopped at its first failure (Continue On Fail off): that item's error, then what became of
 * every other item — delivered, failed too, outcome unknown, not sent — so the user can resume without duplicates.
 * A single-item run keeps the item's own message.
 */
export function stoppedRunError(node: INode, answers: Answer[], first: number, secrets: string[]): NodeApiError {
	const failure = (answers[first] as { failure: BitrixFailure }).failure;
	const error = toNodeApiError(node, failure, first, secrets);
	if (answers.length === 1) return error;
	const delivered: number[] = [];
	const failed: number[] = [];
	const unknown: number[] = [];
	const notSent: number[] = [];
	answers.forEach((answer, i) => {
		if (i === first || answer === undefined) return;
		if ('json' in answer) delivered.push(i);
		else if (answer.failure.code === NOT_SENT) notSent.push(i);
		else if (answer.failure.outcomeUnknown) unknown.push(i);
		else failed.push(i);
	});
	const items = (indexes: number[]) => `${indexes.length === 1 ? 'item' : 'items'} ${itemRanges(indexes)}`;
	const were = (indexes: number[]) => (indexes.length === 1 ? 'was' : 'were');
	const parts: string[] = [];
	if (delivered.length) parts.push(`${items(delivered)} ${were(delivered)} delivered`);
	if (failed.length) parts.push(`${items(failed)} also failed`);
	if (unknown.length) parts.push(`the outcome of ${items(unknown)} is unknown too (check the portal before sending them again)`);
	if (notSent.length) parts.push(`${items(notSent)} ${were(notSent)} not sent`);
	let summary = parts.join('; ');
	summary = summary ? `${summary.charAt(0).toUpperCase()}${summary.slice(1)}.` : '';
	if (!failure.outcomeUnknown) {
		const resend = [first, ...failed, ...notSent].sort((a, b) => a - b);
		summary += delivered.some((i) => i > first) ? ` To finish, send ${items(resend)} again.` : ` Resume from item ${count(first + 1)}.`;
	}
	error.message = `Item ${count(first + 1)} of ${count(answers.length)} failed: ${error.message}. ${summary}`.replace('.. ', '. ');
	return error;
}
