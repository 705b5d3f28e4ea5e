import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { FieldError } from '../../Bitrix24/operations';
import type { Portal } from '../../Bitrix24/transport';
import { callMethod, failureMessage, failureOf } from '../../Bitrix24/transport';
import type { ChatApi } from './api';
import type { ReadParameter } from './config';

/**
 * Approvals answered in the chat by named people only: the Bitrix24 user IDs in Options → Approvers. An answer from
 * anyone else — or one whose sender is unknown (no verified responder, a plain link) — does not count: the person is
 * told in the chat and the execution keeps waiting.
 */

const FIELD = 'Options → Approvers (User IDs)';

/** The approver IDs from the field ("1, 7 12"); empty: anyone who sees the buttons may answer. */
export function parseApprovers(value: unknown): number[] {
	if (value === undefined || value === null || value === '') return [];
	const parts = Array.isArray(value) ? value.map(String) : String(value).split(/[\s,;]+/);
	const ids: number[] = [];
	for (const part of parts.map((p) => p.trim()).filter(Boolean)) {
		const id = Number(part);
		if (!Number.isInteger(id) || id <= 0) throw new FieldError(`"${FIELD}" must list Bitrix24 user IDs (whole numbers, separated by commas); "${part}" is not one`);
		if (!ids.includes(id)) ids.push(id);
	}
	return ids;
}

export function approversOf(read: ReadParameter): number[] {
	const options = (read('options', {}) ?? {}) as IDataObject;
	return parseApprovers(options.approvers);
}

export function approversField(): string {
	return FIELD;
}

/** Whether this answer may decide: no list, or a verified responder on it. */
export function mayAnswer(approvers: number[], userId: number | undefined): boolean {
	return approvers.length === 0 || (userId !== undefined && approvers.includes(userId));
}

/** Tells the person in the chat that they may not answer; best effort (the refusal stands either way). */
export async function tellNotAllowed(ctx: IWebhookFunctions, portal: Portal, api: ChatApi, to: { botId?: number; dialogId?: string; userName?: string }): Promise<void> {
	if (!to.dialogId) return;
	const who = to.userName ? `${to.userName}, you` : 'You';
	const text = `${who} may not answer this request: only the approvers named in the workflow can. It is still waiting for them.`;
	try {
		await callMethod(ctx, portal, { method: api.send, params: api.sendParams(to.botId, to.dialogId, text) as IDataObject, write: true });
	} catch (error) {
		ctx.logger.warn(`Bitrix24 Chatbot (Send and Wait): an answer from someone not listed as approver was refused, but the chat could not be told: ${failureMessage(failureOf(api.send, error, portal.secrets), portal.secrets)}`);
	}
}
