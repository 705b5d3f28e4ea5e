import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { ChatAnswer } from '../../Bitrix24/events/sendAndWaitAnswer';
import { answerSigningKey, CHAT_ANSWER_FIELD, CHAT_ANSWER_MAC_FIELD, verifyChatAnswer } from '../../Bitrix24/events/sendAndWaitAnswer';
import type { AuthKind } from '../../Bitrix24/transport';
import { resolvePortal } from '../../Bitrix24/transport';
import type { ChatApi } from './api';
import { approversOf, mayAnswer, tellNotAllowed } from './approvers';
import { asId } from './api';
import { formTextsOf, readConfig, responseTypeOf, webhookParameters } from './config';
import type { FormField } from './formFields';
import { FREE_TEXT_FIELD, readFormAnswer } from './formFields';
import { formPage, PAGE_CSP, recordedPage, refusedPage } from './formPage';
import type { MessageRef } from './message';
import { messageRefOf, showDecision } from './message';
import type { ResponseType } from './properties';

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

function chatAnswerOf(body: unknown): { answer: ChatAnswer; mac: unknown } | undefined {
	const whole = body && typeof body === 'object' ? (body as IDataObject) : {};
	const answer = whole[CHAT_ANSWER_FIELD];
	return answer && typeof answer === 'object' && !Array.isArray(answer) ? { answer: answer as ChatAnswer, mac: whole[CHAT_ANSWER_MAC_FIELD] } : undefined;
}

/** The decision as the message shows it afterwards. */
function decisionText(responseType: ResponseType, approved: boolean, who?: string): string {
	const by = who ? ` by ${who}` : '';
	if (responseType !== 'approval') return `✅ Answered${by}`;
	return `${approved ? '✅ Approved' : '❌ Declined'}${by}`;
}

/** Edits the request message, best effort: the answer counts anyway (message.ts logs a failure). */
async function updateRequestMessage(ctx: IWebhookFunctions, api: ChatApi, ref: MessageRef | undefined, decision: string): Promise<void> {
	if (!ref) return;
	try {
		const portal = await resolvePortal(ctx, ctx.getNodeParameter('authentication', 'oAuth2') as AuthKind);
		await showDecision(ctx, portal, api, ref, decision);
	} catch {
		// only the credential can fail here (resolvePortal); its message is not logged, it may quote the credential
		ctx.logger.warn('Bitrix24 Chatbot (Send and Wait): the answer was recorded, but the message could not be updated (the credential could not be read).');
	}
}

/**
 * An in-chat answer forwarded by a Chatbot Trigger. The decision is n8n's (the signed URL); who answered is taken
 * only when the trigger's MAC over it verifies with this node's credential — otherwise the answer still counts but
 * carries no responder (anyone holding the URL could have posted it).
 */
async function chatAnswerData(
	ctx: IWebhookFunctions,
	posted: { answer: ChatAnswer; mac: unknown },
	signed: MessageRef | undefined,
): Promise<{ data: IDataObject; ref?: MessageRef; who?: string; userId?: number }> {
	const { answer } = posted;
	const signature = String((ctx.getQueryData() as IDataObject).signature ?? '');
	const verified = verifyChatAnswer(await answerSigningKey(ctx), signature, answer, posted.mac);
	if (!verified) {
		ctx.logger.warn('Bitrix24 Chatbot (Send and Wait): an in-chat answer came without a valid signature of a Chatbot Trigger with this credential; it counts, without the responder.');
		return { data: signed ? { messageId: signed.messageId } : {}, ref: signed };
	}
	const eventRef = asId(answer.messageId) ? { botId: asId(answer.botId), messageId: asId(answer.messageId) as number } : undefined;
	const ref = signed ?? eventRef;
	const responder = { id: answer.userId, name: answer.userName, source: 'bitrix24', verified: true };
	const who = answer.userName || (answer.userId ? `user ${String(answer.userId)}` : undefined);
	return { data: { responder, dialogId: answer.dialogId, messageId: ref?.messageId }, ref, who, userId: asId(answer.userId) };
}

const NOT_IN_CHAT = 'This request is answered in the Bitrix24 chat, by the people named in the workflow. Nothing was recorded.';

/**
 * An answer from someone not on the approver list (or whose sender is not verified): the chat is told, the webhook
 * answers without workflow data, so n8n keeps the execution waiting.
 */
async function refuseAnswer(ctx: IWebhookFunctions, api: ChatApi, answer: ChatAnswer, userId: number | undefined): Promise<IWebhookResponseData> {
	ctx.logger.info(`Bitrix24 Chatbot (Send and Wait): an in-chat answer from ${userId ? `user ${userId}` : 'an unverified sender'} was refused: not an approver.`);
	try {
		const portal = await resolvePortal(ctx, ctx.getNodeParameter('authentication', 'oAuth2') as AuthKind);
		await tellNotAllowed(ctx, portal, api, { botId: asId(answer.botId), dialogId: answer.dialogId, userName: userId ? answer.userName : undefined });
	} catch {
		ctx.logger.warn('Bitrix24 Chatbot (Send and Wait): an answer from someone not listed as approver was refused; the chat could not be told (the credential could not be read).');
	}
	return { webhookResponse: { result: 'refused', reason: 'not an approver' } };
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
	const query = ctx.getQueryData() as IDataObject;
	const approved = query.approved === 'true';
	const signed = messageRefOf(query);
	// in-chat answers exist only for approvals: a form's URL never takes one (its answer is the form)
	const chatAnswer = req.method === 'POST' && responseType === 'approval' ? chatAnswerOf(ctx.getBodyData()) : undefined;

	const approvers = responseType === 'approval' ? approversOf(read) : [];
	if (chatAnswer) {
		const { data, ref, who, userId } = await chatAnswerData(ctx, chatAnswer, signed);
		if (!mayAnswer(approvers, userId)) return await refuseAnswer(ctx, api, chatAnswer.answer, userId);
		await updateRequestMessage(ctx, api, ref, decisionText(responseType, approved, who));
		return resume(ctx, { approved, ...data });
	}
	if (responseType === 'approval') {
		if (approvers.length) return sendPage(ctx, 403, refusedPage(NOT_IN_CHAT));
		if (AUTOMATED_AGENT.test(String(req.headers['user-agent'] ?? ''))) return sendPage(ctx, 200, '');
		await updateRequestMessage(ctx, api, signed, decisionText(responseType, approved));
		return resume(ctx, { approved }, recordedPage());
	}
	const fields: FormField[] = responseType === 'freeText' ? [FREE_TEXT_FIELD] : readConfig(read).formFields;
	const texts = formTextsOf(read);
	if (req.method !== 'POST') return sendPage(ctx, 200, formPage(texts, fields));
	const answer = readFormAnswer(fields, ctx.getBodyData());
	if (!answer.ok) return sendPage(ctx, 400, formPage(texts, fields, answer.problem));
	const data = responseType === 'freeText' ? { text: answer.values[FREE_TEXT_FIELD.label] } : answer.values;
	await updateRequestMessage(ctx, api, signed, decisionText(responseType, true));
	return resume(ctx, data, recordedPage());
}
