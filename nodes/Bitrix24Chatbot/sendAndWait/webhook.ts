import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { ChatAnswer } from '../../Bitrix24/events/sendAndWaitAnswer';
import { CHAT_ANSWER_FIELD } from '../../Bitrix24/events/sendAndWaitAnswer';
import type { AuthKind } from '../../Bitrix24/transport';
import { callMethod, resolvePortal } from '../../Bitrix24/transport';
import type { ChatApi } from './api';
import { formTextsOf, readConfig, responseTypeOf, webhookParameters } from './config';
import type { FormField } from './formFields';
import { FREE_TEXT_FIELD, readFormAnswer } from './formFields';
import { formPage, PAGE_CSP, recordedPage } from './formPage';

/** Link checkers and chat previews fetch URLs on their own; an approval link must not be answered by one. */
const AUTOMATED_AGENT = /bot|crawl|spider|slurp|preview|facebookexternalhit|embedly|whatsapp|telegram|skype|discord|slack/i;

function sendPage(ctx: IWebhookFunctions, status: number, html: string): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.status(status);
	res.setHeader('Content-Type', 'text/html; charset=utf-8');
	res.setHeader('Content-Security-Policy', PAGE_CSP);
	res.setHeader('Cache-Control', 'no-store');
	res.send(html);
	return { noWebhookResponse: true };
}

/** The execution goes on with this answer (`data`, shaped as n8n's own send-and-wait nodes give it). */
function resume(ctx: IWebhookFunctions, data: IDataObject, response?: string): IWebhookResponseData {
	const item: INodeExecutionData = { json: { data: { ...data, respondedAt: new Date().toISOString() } } };
	if (response === undefined) return { webhookResponse: { result: 'recorded' }, workflowData: [[item]] };
	const res = ctx.getResponseObject();
	res.setHeader('Content-Security-Policy', PAGE_CSP);
	res.setHeader('Content-Type', 'text/html; charset=utf-8');
	return { webhookResponse: response, workflowData: [[item]] };
}

function chatAnswerOf(body: unknown): ChatAnswer | undefined {
	const answer = body && typeof body === 'object' ? (body as IDataObject)[CHAT_ANSWER_FIELD] : undefined;
	return answer && typeof answer === 'object' && !Array.isArray(answer) ? (answer as ChatAnswer) : undefined;
}

/** After an in-chat answer: the message shows the decision and loses its buttons. Best effort: the answer counts anyway. */
async function showDecision(ctx: IWebhookFunctions, api: ChatApi, answer: ChatAnswer, approved: boolean): Promise<void> {
	if (!answer.botId || !answer.messageId) return;
	const message = String(ctx.getNodeParameter('message', '') ?? '').trim();
	const who = answer.userName || (answer.userId ? `user ${answer.userId}` : 'someone');
	const text = `${message}[br][br]${approved ? '✅ Approved' : '❌ Declined'} by ${who}`;
	try {
		const portal = await resolvePortal(ctx, ctx.getNodeParameter('authentication', 'oAuth2') as AuthKind);
		await callMethod(ctx, portal, { method: api.update, params: api.updateParams(answer.botId, answer.messageId, text) as IDataObject, write: true });
	} catch (error) {
		ctx.logger.warn(`Bitrix24 Chatbot: the answer was recorded, but the message could not be updated (${(error as Error).message}).`);
	}
}

/**
 * The node's webhook while its execution waits. n8n has already checked the URL's signature (a changed or guessed
 * link never gets here). Approval: the link's `approved` value, or an in-chat answer forwarded by the Chatbot Trigger.
 * Free text / custom form: GET shows the form page, POST takes the answer (a refused one shows the form again and the
 * execution keeps waiting).
 */
export async function sendAndWaitWebhook(ctx: IWebhookFunctions, api: ChatApi): Promise<IWebhookResponseData> {
	const req = ctx.getRequestObject();
	const read = webhookParameters(ctx);
	const responseType = responseTypeOf(read);
	const approved = (ctx.getQueryData() as IDataObject).approved === 'true';
	const chatAnswer = req.method === 'POST' ? chatAnswerOf(ctx.getBodyData()) : undefined;

	if (chatAnswer) {
		await showDecision(ctx, api, chatAnswer, approved);
		const responder = { id: chatAnswer.userId, name: chatAnswer.userName, source: 'bitrix24' };
		return resume(ctx, { approved, responder, dialogId: chatAnswer.dialogId, messageId: chatAnswer.messageId });
	}
	if (responseType === 'approval') {
		if (AUTOMATED_AGENT.test(String(req.headers['user-agent'] ?? ''))) return sendPage(ctx, 200, '');
		return resume(ctx, { approved }, recordedPage());
	}
	const fields: FormField[] = responseType === 'freeText' ? [FREE_TEXT_FIELD] : readConfig(read).formFields;
	const texts = formTextsOf(read);
	if (req.method !== 'POST') return sendPage(ctx, 200, formPage(texts, fields));
	const answer = readFormAnswer(fields, ctx.getBodyData());
	if (!answer.ok) return sendPage(ctx, 400, formPage(texts, fields, answer.problem));
	const data = responseType === 'freeText' ? { text: answer.values[FREE_TEXT_FIELD.label] } : answer.values;
	return resume(ctx, data, recordedPage());
}
