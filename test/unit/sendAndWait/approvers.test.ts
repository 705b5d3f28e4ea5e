/* Issue 26: Send and Wait answered in the chat by named people only. An approver list by Bitrix24 user ID: a verified
 * in-chat answer from a listed user resumes the execution (who answered is in the output); anyone else is told in the
 * chat that they may not answer and the execution keeps waiting (no workflow data); a link click is refused. */
import type { IDataObject } from 'n8n-workflow';

import type { ChatAnswer } from '../../../nodes/Bitrix24/events/sendAndWaitAnswer';
import { answerSigningKey, chatAnswerMac } from '../../../nodes/Bitrix24/events/sendAndWaitAnswer';
import { CHAT_API_V1, CHAT_API_V2, sendAndWaitWebhook } from '../../../nodes/Bitrix24Chatbot/sendAndWait';
import { parseApprovers } from '../../../nodes/Bitrix24Chatbot/sendAndWait/approvers';
import { readConfig } from '../../../nodes/Bitrix24Chatbot/sendAndWait/config';
import { WEBHOOK_CREDENTIAL, waitingWebhook } from './waitingWebhook';

const SIGNATURE = 'c'.repeat(64);
const WEBHOOK = { ...WEBHOOK_CREDENTIAL, botToken: 'bt' };

const waiting = (options: { method: 'GET' | 'POST'; body?: IDataObject; approvers: string }) =>
	waitingWebhook({
		method: options.method,
		body: options.body,
		query: { approved: 'true', botId: '7', messageId: '99', signature: SIGNATURE },
		parameters: { message: 'Refund 25 EUR?', options: { chatCommand: 'answer', approvers: options.approvers } },
		credentials: WEBHOOK,
	});

async function signedBody(answer: ChatAnswer): Promise<IDataObject> {
	const key = (await answerSigningKey({ getNodeParameter: () => 'webhook', getCredentials: async () => WEBHOOK } as never))!;
	return { bitrix24ChatAnswer: answer as IDataObject, bitrix24ChatAnswerMac: chatAnswerMac(key, SIGNATURE, answer) };
}

describe('the approver list', () => {
	test('reads user IDs separated by commas or spaces; anything else is refused naming the field', () => {
		expect(parseApprovers('1, 7 12;7')).toEqual([1, 7, 12]);
		expect(parseApprovers('')).toEqual([]);
		expect(() => parseApprovers('1, boss')).toThrow(/Approvers \(User IDs\).*"boss"/);
		expect(() => parseApprovers('0')).toThrow(/Approvers/);
	});

	test('needs the in-chat answer command (only an in-chat answer says who gave it): refused before anything is sent', () => {
		const read = (options: IDataObject) => (name: string, fallback: unknown) => ({ message: 'Refund?', responseType: 'approval', options })[name] ?? fallback;
		expect(() => readConfig(read({ approvers: '1' }))).toThrow(/Approvers.*needs.*Answer In Chat With Command/);
		expect(readConfig(read({ approvers: '1, 7', chatCommand: 'answer' })).approvers).toEqual([1, 7]);
	});

	test('a listed approver answering in the chat resumes the execution; the output says who', async () => {
		const { ctx, calls } = waiting({ method: 'POST', approvers: '1, 7', body: await signedBody({ botId: 7, dialogId: 'chat5', messageId: 99, userId: 7, userName: 'Mia Manager' }) });
		const response = (await sendAndWaitWebhook(ctx, CHAT_API_V1)) as IDataObject;
		const data = ((response.workflowData as IDataObject[][])[0][0] as { json: { data: IDataObject } }).json.data;
		expect(data).toMatchObject({ approved: true, responder: { id: 7, name: 'Mia Manager', verified: true } });
		expect(calls.map((c) => c.url)).toEqual(['imbot.message.update']);
	});

	test('someone not listed is told in the chat and the execution keeps waiting (no workflow data, message unchanged)', async () => {
		const { ctx, calls } = waiting({ method: 'POST', approvers: '1, 7', body: await signedBody({ botId: 5, dialogId: 'chat5', messageId: 99, userId: 3, userName: 'Sam Sales' }) });
		const response = (await sendAndWaitWebhook(ctx, CHAT_API_V2)) as IDataObject;
		expect(response.workflowData).toBeUndefined();
		expect(calls).toHaveLength(1);
		expect(calls[0].url).toBe('imbot.v2.Chat.Message.send');
		expect(calls[0].body).toMatchObject({ botId: 5, dialogId: 'chat5', fields: { message: expect.stringMatching(/^Sam Sales, you may not answer this request/) } });
	});

	test('an answer whose sender is not verified, or a link click, does not count when approvers are set', async () => {
		const forged = { bitrix24ChatAnswer: { botId: 7, dialogId: 'chat5', messageId: 99, userId: 7, userName: 'Mia Manager' }, bitrix24ChatAnswerMac: 'f'.repeat(64) };
		const posted = waiting({ method: 'POST', approvers: '7', body: forged });
		expect(((await sendAndWaitWebhook(posted.ctx, CHAT_API_V1)) as IDataObject).workflowData).toBeUndefined();
		expect(posted.calls.map((c) => c.url)).toEqual(['imbot.message.add']);
		expect(posted.calls[0].body).toMatchObject({ MESSAGE: expect.stringMatching(/^You may not answer/) });
		const link = waiting({ method: 'GET', approvers: '7' });
		expect(((await sendAndWaitWebhook(link.ctx, CHAT_API_V1)) as IDataObject).workflowData).toBeUndefined();
		expect(link.calls).toEqual([]);
	});
});
