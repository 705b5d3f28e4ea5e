import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { OperationSpec } from '../../Bitrix24/operations';
import { FieldError, getParam, paramsFromFields, setParam, validators } from '../../Bitrix24/operations';
import type { AuthKind, BitrixEnvelope } from '../../Bitrix24/transport';
import { authFailure, callMethod, failureOf, resolvePortal, toNodeApiError } from '../../Bitrix24/transport';
import { finishMessage, RICH_CONTENT_MAX_BYTES } from '../fields/richContent';
import type { ChatApi } from './api';
import { asId } from './api';
import type { SendAndWaitConfig } from './config';
import { executeParameters, readConfig } from './config';
import { answerKeyboard } from './keyboard';
import type { MessageRef } from './message';
import { linkButtonsToMessage, resumeQuery } from './message';
import { waitTillOf } from './waitTill';

/** n8n 2.0.x checks resume-URL signatures only when the node asks for it; 2.41 always does and has no such method. */
function requireSignedResume(ctx: IExecuteFunctions): void {
	const require = (ctx as unknown as { setSignatureValidationRequired?: () => void }).setSignatureValidationRequired;
	if (typeof require === 'function') require.call(ctx);
}

/** The answer buttons, each with its signed resume URL (naming the message once it is known). */
function keyboardFor(ctx: IExecuteFunctions, config: SendAndWaitConfig, ref?: MessageRef): IDataObject {
	return answerKeyboard(config.buttons, (approved) => ctx.getSignedResumeUrl(resumeQuery(approved, ref)), config.chatCommand, !config.approvers?.length);
}

/** The longest IDs a linked keyboard can carry (to size it before the real ones are known). */
const LONGEST_REF: MessageRef = { botId: Number.MAX_SAFE_INTEGER, messageId: Number.MAX_SAFE_INTEGER };

/**
 * Bitrix24 documents one limit for a keyboard: 30 KB as JSON (KEYBOARD_OVERSIZE); none for a LINK or COMMAND_PARAMS
 * alone. The buttons' signed URLs grow when they name the message, so the longest form is checked before sending.
 */
export function checkLinkedKeyboardSize(ctx: IExecuteFunctions, config: SendAndWaitConfig): void {
	const bytes = validators.utf8Bytes(JSON.stringify({ BOT_ID: LONGEST_REF.botId, ...keyboardFor(ctx, config, LONGEST_REF) }));
	if (bytes > RICH_CONTENT_MAX_BYTES) {
		throw new FieldError(
			`The answer buttons with their signed links would be ${bytes} bytes as JSON; Bitrix24 accepts a keyboard of at most ${RICH_CONTENT_MAX_BYTES} bytes (30 KB, KEYBOARD_OVERSIZE). Shorten the button labels`,
		);
	}
}

function errorItems(items: INodeExecutionData[], message: string): INodeExecutionData[][] {
	return [items.map((_, item) => ({ json: { error: message } as IDataObject, pairedItem: { item } }))];
}

/**
 * Send and Wait for Response: checks everything first, sends ONE message (from the first item, as n8n's own
 * send-and-wait nodes) whose buttons carry n8n's signed resume URLs, then names the message in those URLs (a second
 * call, best effort: message.ts) and puts the execution to wait until the answer reaches the node's webhook
 * (webhook.ts) or the wait limit ends. The input items are the output until then (n8n passes them on unchanged when
 * the limit ends).
 */
export async function executeSendAndWait(ctx: IExecuteFunctions, spec: OperationSpec, api: ChatApi): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const node = ctx.getNode();
	const auth = ctx.getNodeParameter('authentication', 0) as AuthKind;
	const portal = await resolvePortal(ctx, auth);
	let params: IDataObject;
	let waitTill: Date;
	let config: SendAndWaitConfig;
	try {
		const refused = authFailure(portal, api.send);
		if (refused) throw new NodeOperationError(node, refused.description, { itemIndex: 0 });
		config = readConfig(executeParameters(ctx));
		waitTill = waitTillOf(config.limit);
		params = await paramsFromFields(spec.fields, { ctx, itemIndex: 0, auth, portal });
		requireSignedResume(ctx);
		setParam(params, api.keys.keyboard, keyboardFor(ctx, config));
		params = finishMessage(params, api.keys);
		checkLinkedKeyboardSize(ctx, config);
	} catch (error) {
		if (!(error instanceof FieldError || error instanceof NodeOperationError)) throw new NodeOperationError(node, error as Error, { itemIndex: 0 });
		const message = error instanceof FieldError ? `${error.message}.`.replace(/\.\.$/, '.') : error.message;
		if (ctx.continueOnFail()) return errorItems(items, message);
		throw error instanceof NodeOperationError ? error : new NodeOperationError(node, message, { itemIndex: 0 });
	}
	let sent: BitrixEnvelope;
	try {
		sent = await callMethod(ctx, portal, { method: api.send, params, write: true });
	} catch (error) {
		const failed = toNodeApiError(node, failureOf(api.send, error, portal.secrets), 0, portal.secrets);
		if (ctx.continueOnFail()) return errorItems(items, failed.message);
		throw failed;
	}
	const messageId = api.messageIdOf(sent.result);
	const ref: MessageRef | undefined = messageId ? { botId: asId(getParam(params, api.keys.botId)), messageId } : undefined;
	await linkButtonsToMessage(ctx, portal, api, ref, (named) => keyboardFor(ctx, config, named));
	await ctx.putExecutionToWait(waitTill);
	return [items.map((item, index) => ({ ...item, pairedItem: { item: index } }))];
}
