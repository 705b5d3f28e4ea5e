import { createHmac, timingSafeEqual } from 'crypto';
import type { IDataObject, IPollFunctions, ITriggerFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { AuthKind } from '../transport';
import { credentialTypeOf } from '../transport';

/**
 * In-chat answers to Send and Wait for Response. The Chatbot node puts `n8n-answer <signed resume URL>` into the
 * COMMAND_PARAMS of its command buttons. When a person presses one, Bitrix24 sends the command event to the Chatbot
 * Trigger (v1 push: ONIMCOMMANDADD; v2 push or fetch: ONIMBOTV2COMMANDADD); the trigger has already verified the
 * event (application token, v2 URL secret), recognises the answer here and hands it to the waiting execution over
 * HTTP — through n8n's waiting-webhook endpoint, so it works in queue mode and after restarts — instead of starting
 * its own workflow. n8n checks the URL's signature (its HMAC over the URL) and refuses a changed or guessed one; the
 * trigger only ever calls a URL of its own n8n (same origin as its webhook URL, or the instance base URL when polling).
 *
 * Who answered travels in the POST body, which n8n's URL signature does not cover: anyone holding the button's URL
 * (it is in the keyboard every chat member's client receives) could post a forged one. So the trigger adds an
 * HMAC-SHA256 of the answer, bound to the URL's signature, keyed by a key derived from its credential's secrets
 * (answerSigningKey); the Chatbot node derives the same key from its own credential and trusts the responder only
 * when the MAC matches (verifyChatAnswer). The key never leaves the process: no URL, output or log holds it.
 */

export const CHAT_ANSWER_PREFIX = 'n8n-answer ';

/** The body the trigger POSTs to the resume URL: who answered where (from the verified event). */
export interface ChatAnswer {
	botId?: number;
	dialogId?: string;
	messageId?: number;
	userId?: number;
	userName?: string;
}

export const CHAT_ANSWER_FIELD = 'bitrix24ChatAnswer';
/** The MAC of the answer in the same body (hex HMAC-SHA256), present when the trigger's credential has a secret. */
export const CHAT_ANSWER_MAC_FIELD = 'bitrix24ChatAnswerMac';

/** What a trigger or the Chatbot node can be asked: its node parameters and its credential. */
type CredentialHolder = Pick<IWebhookFunctions | IPollFunctions | ITriggerFunctions, 'getCredentials' | 'getNodeParameter'>;

const DERIVATION_PURPOSE = 'n8n-nodes-bitrix24-chat/send-and-wait-answer/v1';

/**
 * The key that signs in-chat answers, derived from the node's credential: its secrets (OAuth2 client secret, the
 * webhook URL with its secret code, the application token, the v2 bot token) in a fixed order, through HMAC-SHA256
 * with a label (so the key is none of the secrets and is used for nothing else). A trigger and a Chatbot node that
 * use the same credential derive the same key; undefined when the credential holds no secret at all.
 */
export async function answerSigningKey(ctx: CredentialHolder): Promise<Buffer | undefined> {
	let credentials: IDataObject;
	try {
		const auth = ctx.getNodeParameter('authentication', 'oAuth2') as AuthKind;
		credentials = (await ctx.getCredentials(credentialTypeOf(auth))) as IDataObject;
	} catch {
		return undefined;
	}
	const secrets = ['clientSecret', 'webhookSecret', 'applicationToken', 'botToken'].map((name) => (typeof credentials[name] === 'string' ? (credentials[name] as string).trim() : ''));
	if (secrets.every((secret) => secret === '')) return undefined;
	return createHmac('sha256', JSON.stringify(secrets)).update(DERIVATION_PURPOSE).digest();
}

/**
 * The MAC of an answer: over every field of it and the resume URL's signature, which n8n has bound to the execution,
 * the node, the decision and the message, so a MAC cannot be moved to another answer, button or execution.
 */
export function chatAnswerMac(key: Buffer, urlSignature: string, answer: ChatAnswer): string {
	const fields = [urlSignature, answer.botId ?? null, answer.dialogId ?? null, answer.messageId ?? null, answer.userId ?? null, answer.userName ?? null];
	return createHmac('sha256', key).update(JSON.stringify(fields)).digest('hex');
}

/** Whether `mac` is the MAC of this answer under `key` (constant-time compare). */
export function verifyChatAnswer(key: Buffer | undefined, urlSignature: string, answer: ChatAnswer, mac: unknown): boolean {
	if (!key || typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) return false;
	return timingSafeEqual(Buffer.from(chatAnswerMac(key, urlSignature, answer), 'hex'), Buffer.from(mac, 'hex'));
}

/** The COMMAND_PARAMS of an answer button. */
export function chatAnswerParams(resumeUrl: string): string {
	return `${CHAT_ANSWER_PREFIX}${resumeUrl}`;
}

const RESUME_PATH = /^\/(?:[^/?#]+\/)*[^/?#]+\/[0-9A-Za-z_-]{1,64}\/[0-9A-Za-z_-]{1,64}$/;

/**
 * The resume URL of an answer, or undefined when the params are not an answer or the URL is not one this n8n
 * serves: http(s), the same origin as `ownOrigin`, a path ending in /<execution id>/<node id> and a signature.
 */
export function answerUrlOf(params: unknown, ownOrigin: string): URL | undefined {
	if (typeof params !== 'string' || !params.startsWith(CHAT_ANSWER_PREFIX)) return undefined;
	let url: URL;
	try {
		url = new URL(params.slice(CHAT_ANSWER_PREFIX.length).trim());
	} catch {
		return undefined;
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
	if (url.origin !== ownOrigin || url.username || url.password) return undefined;
	if (!RESUME_PATH.test(url.pathname) || !url.searchParams.get('signature')) return undefined;
	return url;
}

const num = (value: unknown): number | undefined => {
	const n = Number(value);
	return Number.isInteger(n) && n > 0 ? n : undefined;
};
const obj = (value: unknown): IDataObject => (value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {});

/** Who answered where, from a Chatbot Trigger item (v1 chatbotItem or v2 chatbotV2Item). */
function answerOf(item: IDataObject): ChatAnswer {
	const command = obj(item.command);
	const user = obj(item.user);
	const message = obj(item.message);
	const userName = typeof user.name === 'string' ? user.name : undefined;
	return {
		botId: num(item.botId),
		dialogId: item.dialogId === undefined ? undefined : String(item.dialogId),
		messageId: num(command.messageId ?? message.id ?? item.messageId),
		userId: num(user.id ?? item.userId),
		userName,
	};
}

/** The origin of this n8n's own URLs: the trigger's webhook URL, or (polling, no webhook) the instance base URL. */
function ownOriginOf(ctx: IWebhookFunctions | IPollFunctions | ITriggerFunctions): string | undefined {
	try {
		const own = 'getNodeWebhookUrl' in ctx ? ctx.getNodeWebhookUrl('default') : ctx.getInstanceBaseUrl();
		return own ? new URL(own).origin : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Whether `item` (a verified command event) is an answer to a waiting Send and Wait; if so it is forwarded to the
 * execution and true is returned (the trigger then emits no item). A refused answer (n8n: wrong signature, execution
 * no longer waiting) is logged and still consumed: it must not start the workflow as an ordinary command.
 */
export async function forwardChatAnswer(ctx: IWebhookFunctions | IPollFunctions | ITriggerFunctions, item: IDataObject): Promise<boolean> {
	const command = obj(item.command);
	if (typeof command.params !== 'string' || !command.params.startsWith(CHAT_ANSWER_PREFIX)) return false;
	const origin = ownOriginOf(ctx);
	const url = origin ? answerUrlOf(command.params, origin) : undefined;
	if (!url) {
		ctx.logger.warn('Bitrix24 Chatbot Trigger: a Send and Wait answer whose URL is not one of this n8n was dropped.');
		return true;
	}
	const answer = answerOf(item);
	const body: IDataObject = { [CHAT_ANSWER_FIELD]: answer };
	const key = await answerSigningKey(ctx);
	if (key) body[CHAT_ANSWER_MAC_FIELD] = chatAnswerMac(key, url.searchParams.get('signature') ?? '', answer);
	try {
		await ctx.helpers.httpRequest({ method: 'POST', url: url.toString(), body, json: true });
	} catch (error) {
		const status = (error as { httpCode?: string; response?: { status?: number } }).httpCode ?? (error as { response?: { status?: number } }).response?.status;
		ctx.logger.warn(`Bitrix24 Chatbot Trigger: n8n refused a Send and Wait answer (HTTP ${String(status ?? 'error')}); the execution keeps waiting.`);
	}
	return true;
}
