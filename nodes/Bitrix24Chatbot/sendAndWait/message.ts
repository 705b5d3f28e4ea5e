import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { Portal } from '../../Bitrix24/transport';
import { callMethod, failureMessage, failureOf } from '../../Bitrix24/transport';
import { finishRichContent } from '../fields/richContent';
import type { ChatApi } from './api';
import { asId } from './api';

/**
 * The request message after it is sent. Its bot and message IDs go into the query of the buttons' resume URLs, which
 * n8n's signature covers: the webhook then knows, from a URL nobody can change, which message to edit once the
 * answer is in (a link click, a form, an in-chat answer alike).
 */
export interface MessageRef {
	botId?: number;
	messageId: number;
}

const BOT_QUERY = 'botId';
const MESSAGE_QUERY = 'messageId';

/** The query of one answer's resume URL: the decision and, once the message is known, the message. */
export function resumeQuery(approved: boolean, ref?: MessageRef): Record<string, string> {
	const query: Record<string, string> = { approved: String(approved) };
	if (ref?.botId) query[BOT_QUERY] = String(ref.botId);
	if (ref) query[MESSAGE_QUERY] = String(ref.messageId);
	return query;
}

/** The message named by a (signed) resume URL's query, if any. */
export function messageRefOf(query: IDataObject): MessageRef | undefined {
	const messageId = asId(query[MESSAGE_QUERY]);
	return messageId ? { botId: asId(query[BOT_QUERY]), messageId } : undefined;
}

/** One edit of the request message, best effort: a failure is logged (without secrets) and false returned. */
async function editMessage(ctx: IExecuteFunctions | IWebhookFunctions, portal: Portal, api: ChatApi, params: IDataObject, why: string): Promise<boolean> {
	try {
		await callMethod(ctx, portal, { method: api.update, params, write: true });
		return true;
	} catch (error) {
		ctx.logger.warn(`Bitrix24 Chatbot (Send and Wait): ${why}: ${failureMessage(failureOf(api.update, error, portal.secrets), portal.secrets)}`);
		return false;
	}
}

/**
 * Right after sending: the buttons are replaced by the same buttons whose URLs also name the message. If this fails
 * the message keeps its first buttons, which work as well (signed, without the message): the person can answer,
 * only the message will not show the decision afterwards. Nothing is sent again.
 */
export async function linkButtonsToMessage(
	ctx: IExecuteFunctions,
	portal: Portal,
	api: ChatApi,
	ref: MessageRef | undefined,
	keyboardFor: (ref: MessageRef) => IDataObject,
): Promise<boolean> {
	if (!ref) {
		ctx.logger.warn(`Bitrix24 Chatbot (Send and Wait): ${api.send} returned no message ID; the buttons work, but the message will not show the decision after the answer.`);
		return false;
	}
	let params: IDataObject;
	try {
		params = finishRichContent(api.keyboardParams(ref.botId, ref.messageId, keyboardFor(ref)) as IDataObject, { keys: api.keys });
	} catch (error) {
		ctx.logger.warn(`Bitrix24 Chatbot (Send and Wait): the buttons could not name the message (${(error as Error).message}); they work as sent.`);
		return false;
	}
	return await editMessage(ctx, portal, api, params, 'the message was sent, but its buttons could not be linked to it (they work as sent; the message will not show the decision after the answer)');
}

/** After the answer: the message shows the decision (and who gave it, when known) and loses its buttons. */
export async function showDecision(ctx: IWebhookFunctions, portal: Portal, api: ChatApi, ref: MessageRef, decision: string): Promise<boolean> {
	const message = String(ctx.getNodeParameter('message', '') ?? '').trim();
	return await editMessage(ctx, portal, api, api.updateParams(ref.botId, ref.messageId, `${message}[br][br]${decision}`) as IDataObject, 'the answer was recorded, but the message could not be updated');
}
