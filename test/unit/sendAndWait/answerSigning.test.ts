/* Issue 18 follow-up: who answered in the chat is signed by the Chatbot Trigger (HMAC keyed from its credential) and
 * trusted by the Chatbot node's webhook only when the MAC verifies; the message is named in the signed resume URLs,
 * and after any answer (link, form, in-chat) the webhook edits that message: decision shown, buttons removed. */
import type { IDataObject } from 'n8n-workflow';

import type { ChatAnswer } from '../../../nodes/Bitrix24/events/sendAndWaitAnswer';
import { answerSigningKey, chatAnswerMac, chatAnswerParams, forwardChatAnswer, verifyChatAnswer } from '../../../nodes/Bitrix24/events/sendAndWaitAnswer';
import { CHAT_API_V1, CHAT_API_V2, sendAndWaitWebhook } from '../../../nodes/Bitrix24Chatbot/sendAndWait';
import { messageRefOf, resumeQuery } from '../../../nodes/Bitrix24Chatbot/sendAndWait/message';
import { waitingWebhook } from './waitingWebhook';

const ORIGIN = 'http://127.0.0.1:5678';
const SIGNATURE = 'a'.repeat(64);
const WEBHOOK = { webhookSecret: 'https://acme.bitrix24.com/rest/1/s3cr3tc0de99/', chatbotClientId: 'n8n-bot', rateLimit: 1000, rateBurst: 1000 };
const OAUTH = { clientSecret: 'app-secret-xyz', portalUrl: 'https://acme.bitrix24.com', applicationToken: '' };

const holder = (auth: string, credentials: IDataObject | Error) =>
	({
		getNodeParameter: (name: string, fallback: unknown) => (name === 'authentication' ? auth : fallback),
		getCredentials: async () => {
			if (credentials instanceof Error) throw credentials;
			return credentials;
		},
	}) as never;

describe('the answer signing key', () => {
	test('derived from the credential: same credential, same key; another secret, another key; no secret, no key', async () => {
		const key = await answerSigningKey(holder('webhook', WEBHOOK));
		expect(key).toHaveLength(32);
		expect(await answerSigningKey(holder('webhook', { ...WEBHOOK }))).toEqual(key);
		expect(await answerSigningKey(holder('webhook', { ...WEBHOOK, webhookSecret: 'https://acme.bitrix24.com/rest/1/other/' }))).not.toEqual(key);
		expect(await answerSigningKey(holder('webhook', { ...WEBHOOK, applicationToken: 'tok' }))).not.toEqual(key);
		expect(await answerSigningKey(holder('oAuth2', OAUTH))).not.toEqual(key);
		expect(await answerSigningKey(holder('oAuth2', { portalUrl: 'x' }))).toBeUndefined();
		expect(await answerSigningKey(holder('oAuth2', new Error('no credential')))).toBeUndefined();
		// the key is none of the secrets
		expect(key!.toString('hex')).not.toContain(Buffer.from('s3cr3tc0de99').toString('hex'));
	});

	test('a MAC verifies only for the same answer, URL signature and key', async () => {
		const key = (await answerSigningKey(holder('webhook', WEBHOOK)))!;
		const other = (await answerSigningKey(holder('oAuth2', OAUTH)))!;
		const answer: ChatAnswer = { botId: 7, dialogId: '2', messageId: 99, userId: 2, userName: 'Boris Becker' };
		const mac = chatAnswerMac(key, SIGNATURE, answer);
		expect(verifyChatAnswer(key, SIGNATURE, answer, mac)).toBe(true);
		expect(verifyChatAnswer(key, SIGNATURE, { ...answer, userId: 1, userName: 'Admin' }, mac)).toBe(false);
		expect(verifyChatAnswer(key, SIGNATURE, { ...answer, userName: 'Admin' }, mac)).toBe(false);
		expect(verifyChatAnswer(key, 'b'.repeat(64), answer, mac)).toBe(false);
		expect(verifyChatAnswer(other, SIGNATURE, answer, mac)).toBe(false);
		expect(verifyChatAnswer(undefined, SIGNATURE, answer, mac)).toBe(false);
		expect(verifyChatAnswer(key, SIGNATURE, answer, undefined)).toBe(false);
		expect(verifyChatAnswer(key, SIGNATURE, answer, 'zz')).toBe(false);
	});

	test('the trigger signs what it forwards, keyed by its own credential (the key itself is never sent)', async () => {
		const calls: IDataObject[] = [];
		const ctx = {
			...(holder('webhook', WEBHOOK) as object),
			getNodeWebhookUrl: () => `${ORIGIN}/webhook/abc/webhook`,
			logger: { warn: () => undefined },
			helpers: { httpRequest: async (options: IDataObject) => void calls.push(options) },
		} as never;
		const resume = `${ORIGIN}/webhook-waiting/42/node-1?approved=true&botId=7&messageId=99&signature=${SIGNATURE}`;
		const item = { botId: 7, dialogId: '2', user: { id: 2, name: 'Boris Becker' }, command: { params: chatAnswerParams(resume), messageId: 99 } };
		expect(await forwardChatAnswer(ctx, item)).toEqual({ forwarded: true });
		const body = calls[0].body as IDataObject;
		const answer = body.bitrix24ChatAnswer as ChatAnswer;
		expect(answer).toEqual({ botId: 7, dialogId: '2', messageId: 99, userId: 2, userName: 'Boris Becker' });
		const key = (await answerSigningKey(holder('webhook', WEBHOOK)))!;
		expect(body.bitrix24ChatAnswerMac).toBe(chatAnswerMac(key, SIGNATURE, answer));
		expect(JSON.stringify(calls)).not.toContain('s3cr3tc0de99');
	});
});

describe('the message named in the signed resume URLs', () => {
	test('the query carries the decision, then the bot and the message; only a positive message ID counts', () => {
		expect(resumeQuery(true)).toEqual({ approved: 'true' });
		expect(resumeQuery(false, { botId: 7, messageId: 99 })).toEqual({ approved: 'false', botId: '7', messageId: '99' });
		expect(resumeQuery(true, { messageId: 99 })).toEqual({ approved: 'true', messageId: '99' });
		expect(messageRefOf({ approved: 'true', botId: '7', messageId: '99' })).toEqual({ botId: 7, messageId: 99 });
		expect(messageRefOf({ approved: 'true' })).toBeUndefined();
		expect(messageRefOf({ messageId: '-3' })).toBeUndefined();
	});
});

const dataOf = (response: IDataObject) => ((response.workflowData as IDataObject[][])[0][0] as { json: { data: IDataObject } }).json.data;

describe('after the answer the webhook edits the message named in the URL', () => {
	test('approval link (v1): the message shows the decision, its keyboard is removed', async () => {
		const { ctx, calls } = waitingWebhook({ method: 'GET', query: { approved: 'false', botId: '7', messageId: '99', signature: SIGNATURE } });
		const response = (await sendAndWaitWebhook(ctx, CHAT_API_V1)) as IDataObject;
		expect(dataOf(response)).toEqual({ approved: false, respondedAt: expect.any(String) });
		expect(calls).toHaveLength(1);
		expect(calls[0].url).toBe('imbot.message.update');
		expect(calls[0].body).toMatchObject({ BOT_ID: 7, MESSAGE_ID: 99, MESSAGE: 'Pay invoice 17?[br][br]❌ Declined', KEYBOARD: 'N' });
	});

	test('form (v2): the submitted form resumes and the message says it was answered, without buttons', async () => {
		const { ctx, calls } = waitingWebhook({
			method: 'POST',
			query: { approved: 'true', botId: '5', messageId: '12', signature: SIGNATURE },
			body: { data: { 'field-0': 'Late courier' } },
			parameters: { responseType: 'freeText' },
			credentials: { ...WEBHOOK, botToken: 'bt' },
		});
		const response = (await sendAndWaitWebhook(ctx, CHAT_API_V2)) as IDataObject;
		expect(dataOf(response)).toMatchObject({ text: 'Late courier' });
		expect(calls.map((c) => [c.url, c.body])).toEqual([['imbot.v2.Chat.Message.update', expect.objectContaining({ botId: 5, messageId: 12, fields: { message: 'Pay invoice 17?[br][br]✅ Answered', keyboard: 'N' } })]]);
	});

	test('a URL that names no message (its buttons could not be linked) resumes without any edit', async () => {
		const { ctx, calls } = waitingWebhook({ method: 'GET', query: { approved: 'true', signature: SIGNATURE } });
		expect(dataOf((await sendAndWaitWebhook(ctx, CHAT_API_V1)) as IDataObject)).toMatchObject({ approved: true });
		expect(calls).toEqual([]);
	});

	test('a failed edit is logged without secrets and the answer still counts', async () => {
		const { ctx, warnings } = waitingWebhook({ method: 'GET', query: { approved: 'true', botId: '7', messageId: '99', signature: SIGNATURE } });
		(ctx as unknown as { helpers: IDataObject }).helpers.httpRequestWithAuthentication = async () => ({ error: 'MESSAGE_NOT_FOUND', error_description: 'Message not found' });
		expect(dataOf((await sendAndWaitWebhook(ctx, CHAT_API_V1)) as IDataObject)).toMatchObject({ approved: true });
		expect(warnings.join('\n')).toMatch(/answer was recorded, but the message could not be updated.*MESSAGE_NOT_FOUND/);
		expect(warnings.join('\n')).not.toContain('s3cr3tc0de99');
	});
});

describe('an in-chat answer: the responder only when the trigger signed it', () => {
	const answer: ChatAnswer = { botId: 7, dialogId: '2', messageId: 99, userId: 2, userName: 'Boris Becker' };
	const query = { approved: 'true', botId: '7', messageId: '99', signature: SIGNATURE };

	test('signed with the same credential: responder marked verified, the message names who answered', async () => {
		const key = (await answerSigningKey(holder('webhook', WEBHOOK)))!;
		const { ctx, calls } = waitingWebhook({ method: 'POST', query, body: { bitrix24ChatAnswer: answer, bitrix24ChatAnswerMac: chatAnswerMac(key, SIGNATURE, answer) } });
		const data = dataOf((await sendAndWaitWebhook(ctx, CHAT_API_V1)) as IDataObject);
		expect(data).toMatchObject({ approved: true, responder: { id: 2, name: 'Boris Becker', source: 'bitrix24', verified: true }, dialogId: '2', messageId: 99 });
		expect((calls[0].body as IDataObject).MESSAGE).toBe('Pay invoice 17?[br][br]✅ Approved by Boris Becker');
	});

	test('a forged responder (changed after signing, or no MAC, or another key) is dropped; the signed decision counts', async () => {
		const key = (await answerSigningKey(holder('webhook', WEBHOOK)))!;
		const otherKey = (await answerSigningKey(holder('oAuth2', OAUTH)))!;
		const forged = { ...answer, userId: 1, userName: 'The CEO' };
		for (const body of [
			{ bitrix24ChatAnswer: forged, bitrix24ChatAnswerMac: chatAnswerMac(key, SIGNATURE, answer) },
			{ bitrix24ChatAnswer: forged },
			{ bitrix24ChatAnswer: forged, bitrix24ChatAnswerMac: chatAnswerMac(otherKey, SIGNATURE, forged) },
			{ bitrix24ChatAnswer: forged, bitrix24ChatAnswerMac: chatAnswerMac(key, 'b'.repeat(64), forged) },
		]) {
			const { ctx, calls, warnings } = waitingWebhook({ method: 'POST', query, body });
			const data = dataOf((await sendAndWaitWebhook(ctx, CHAT_API_V1)) as IDataObject);
			expect(data).toEqual({ approved: true, messageId: 99, respondedAt: expect.any(String) });
			expect(JSON.stringify(data)).not.toContain('CEO');
			expect((calls[0].body as IDataObject).MESSAGE).toBe('Pay invoice 17?[br][br]✅ Approved');
			expect(warnings.join('\n')).toMatch(/without a valid signature.*without the responder/);
		}
	});
});

describe('right after sending: the buttons are re-signed with the message (one more call, never a resend)', () => {
	const keyboardFor = (ref: { botId?: number; messageId: number }) => ({ BUTTONS: [{ TEXT: 'Approve', LINK: `${ORIGIN}/webhook-waiting/1/n?${new URLSearchParams(resumeQuery(true, ref))}&signature=s` }] });
	function executeCtx(reply: () => Promise<unknown>) {
		const calls: IDataObject[] = [];
		const warnings: string[] = [];
		const ctx = {
			logger: { warn: (m: string) => warnings.push(m) },
			getNode: () => ({ name: 'Ask' }),
			helpers: {
				httpRequestWithAuthentication: async (_type: string, request: IDataObject) => {
					calls.push(request);
					return await reply();
				},
			},
		};
		return { ctx: ctx as never, calls, warnings };
	}
	const portal = { auth: 'webhook', credentialType: 'bitrix24WebhookApi', restBase: '', bucketKey: 'sign-test', rate: 1000, burst: 1000, chatbotClientId: 'n8n-bot', botToken: 'bt', secrets: ['s3cr3tc0de99'] } as never;

	test('v2: the keyboard is replaced by the same buttons whose URLs name the bot and the message', async () => {
		const { linkButtonsToMessage } = await import('../../../nodes/Bitrix24Chatbot/sendAndWait/message');
		const { ctx, calls, warnings } = executeCtx(async () => ({ result: true }));
		const done = await linkButtonsToMessage(ctx, portal, CHAT_API_V2, { botId: 5, messageId: 12 }, keyboardFor);
		expect(warnings).toEqual([]);
		expect(done).toBe(true);
		expect(calls).toHaveLength(1);
		expect(calls[0].url).toBe('imbot.v2.Chat.Message.update');
		const body = calls[0].body as { botId: number; messageId: number; fields: { keyboard: { BOT_ID: number; BUTTONS: IDataObject[] } } };
		expect([body.botId, body.messageId, body.fields.keyboard.BOT_ID]).toEqual([5, 12, 5]);
		expect(body.fields.keyboard.BUTTONS[0].LINK).toContain('approved=true&botId=5&messageId=12&signature=');
	});

	test('a refused update is logged (no secret) and nothing is sent again; without a message ID nothing is tried', async () => {
		const { linkButtonsToMessage } = await import('../../../nodes/Bitrix24Chatbot/sendAndWait/message');
		const { ctx, calls, warnings } = executeCtx(async () => ({ error: 'ACCESS_DENIED', error_description: 'denied for s3cr3tc0de99' }));
		expect(await linkButtonsToMessage(ctx, portal, CHAT_API_V1, { botId: 7, messageId: 99 }, keyboardFor)).toBe(false);
		expect(calls.map((c) => c.url)).toEqual(['imbot.message.update']);
		expect(warnings.join('\n')).toMatch(/buttons could not be linked to it \(they work as sent/);
		expect(warnings.join('\n')).not.toContain('s3cr3tc0de99');
		const none = executeCtx(async () => ({ result: true }));
		expect(await linkButtonsToMessage(none.ctx, portal, CHAT_API_V1, undefined, keyboardFor)).toBe(false);
		expect(none.calls).toEqual([]);
		expect(none.warnings.join('\n')).toMatch(/returned no message ID/);
	});
});

describe('the keyboard size limit (30 KB, the one Bitrix24 documents) is checked with the linked URLs before sending', () => {
	test('buttons that fit only without the message IDs are refused before anything is sent', async () => {
		const { checkLinkedKeyboardSize } = await import('../../../nodes/Bitrix24Chatbot/sendAndWait/execute');
		const { answerKeyboard } = await import('../../../nodes/Bitrix24Chatbot/sendAndWait/keyboard');
		// n8n's signed resume URL: the query given, then a 64-hex signature
		const signedUrl = (query: Record<string, string>) => `${ORIGIN}/webhook-waiting/123/node-1?${new URLSearchParams(query)}&signature=${SIGNATURE}`;
		const ctx = { getSignedResumeUrl: signedUrl } as never;
		const unlinkedSize = (label: string) => Buffer.byteLength(JSON.stringify({ BOT_ID: 7, ...answerKeyboard([{ label, approved: true }], (approved) => signedUrl(resumeQuery(approved)), 'answer') }));
		const label = 'x'.repeat(30 * 1024 - unlinkedSize('x') + 1 - 5); // the keyboard as first sent fits, 5 bytes to spare
		expect(unlinkedSize(label)).toBeLessThanOrEqual(30 * 1024);
		const config = (text: string) => ({ responseType: 'approval' as const, message: 'm', buttons: [{ label: text, approved: true }], chatCommand: 'answer', formFields: [] });
		expect(() => checkLinkedKeyboardSize(ctx, config(label))).toThrow(/answer buttons with their signed links would be \d+ bytes.*at most 30720 bytes.*Shorten the button labels/);
		expect(() => checkLinkedKeyboardSize(ctx, config('Approve'))).not.toThrow();
	});
});

test('a form URL takes no in-chat answer: a posted answer body is read as the (empty) form and refused', async () => {
	const { ctx, calls } = waitingWebhook({ method: 'POST', query: { approved: 'true', messageId: '12', signature: SIGNATURE }, body: { bitrix24ChatAnswer: { userId: 1 } }, parameters: { responseType: 'freeText' } });
	const response = (await sendAndWaitWebhook(ctx, CHAT_API_V1)) as IDataObject;
	expect(response).toEqual({ noWebhookResponse: true });
	expect(calls).toEqual([]);
});
