import { createHmac, timingSafeEqual } from 'crypto';
import type { IDataObject, IHttpRequestOptions, IPollFunctions, ITriggerFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { AuthKind } from '../transport';
import { credentialTypeOf } from '../transport';

/**
 * In-chat answers to Send and Wait for Response. The Chatbot node puts `n8n-answer <signed resume URL>` into the
 * COMMAND_PARAMS of its command buttons. When a person presses one, Bitrix24 sends the command event to the Chatbot
 * Trigger (v1 push: ONIMCOMMANDADD; v2 push or fetch: ONIMBOTV2COMMANDADD); the trigger has already verified the
 * event (application token, v2 URL secret), recognises the answer here and hands it to the waiting execution over
 * HTTP — through n8n's waiting-webhook endpoint, so it works in queue mode and after restarts — instead of starting
 * its own workflow. n8n checks the URL's signature (its HMAC over the URL) and refuses a changed or guessed one; the
 * trigger only ever calls one of its own n8n's waiting webhooks (the resume URLs n8n builds) and follows no redirect.
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

/** The default name of n8n's waiting-webhook endpoint (N8N_ENDPOINT_WEBHOOK_WAIT), where resume URLs point. */
export const WAITING_ENDPOINT = 'webhook-waiting';

/**
 * Where this n8n takes answers: its waiting-webhook base URL's origin and path (`/webhook-waiting`, or the custom
 * endpoint and base path n8n reports). No path: n8n did not say, so the default endpoint name under any base path.
 */
export interface WaitingBase {
	origin: string;
	path?: string;
}

/** A resume URL's tail, as n8n's getSignedResumeUrl builds it: /<execution id>/<node id>. */
const RESUME_TAIL = '/[0-9A-Za-z_-]{1,64}/[0-9A-Za-z_-]{1,64}';
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export type AnswerUrl = { url: URL } | { dropped: string };

/**
 * The resume URL of an in-chat answer, or why it is dropped; undefined when the params are not an answer at all.
 * Only the shape n8n's own send-and-wait produces: http(s) on this n8n's waiting-webhook base, then /<execution
 * id>/<node id> and a signature. Anything else of this n8n (a production webhook that redirects, the REST API) is not.
 */
export function answerUrlOf(params: unknown, waiting: WaitingBase): AnswerUrl | undefined {
	if (typeof params !== 'string' || !params.startsWith(CHAT_ANSWER_PREFIX)) return undefined;
	const dropped = { dropped: 'its URL is not a waiting webhook of this n8n' };
	let url: URL;
	try {
		url = new URL(params.slice(CHAT_ANSWER_PREFIX.length).trim());
	} catch {
		return dropped;
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return dropped;
	if (url.origin !== waiting.origin || url.username || url.password) return dropped;
	const base = waiting.path === undefined ? `(?:/[^/?#]+)*/${WAITING_ENDPOINT}` : escapeRegExp(waiting.path.replace(/\/+$/, ''));
	if (!new RegExp(`^${base}${RESUME_TAIL}$`).test(url.pathname)) return dropped;
	if (!url.searchParams.get('signature')) return { dropped: 'its URL carries no signature' };
	return { url };
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
 * This n8n's waiting-webhook base, as n8n itself builds resume URLs ($execution.resumeUrl without the execution id:
 * its webhook URL, base path and N8N_ENDPOINT_WEBHOOK_WAIT). When n8n does not say, the trigger's own origin and the
 * default endpoint name.
 */
function waitingBaseOf(ctx: IWebhookFunctions | IPollFunctions | ITriggerFunctions): WaitingBase | undefined {
	try {
		const evaluate = (ctx as { evaluateExpression?: (expression: string) => unknown }).evaluateExpression;
		const resumeUrl = typeof evaluate === 'function' ? evaluate.call(ctx, '{{ $execution.resumeUrl }}') : undefined;
		if (typeof resumeUrl === 'string' && /^https?:\/\//i.test(resumeUrl)) {
			const url = new URL(resumeUrl);
			return { origin: url.origin, path: url.pathname.replace(/\/[^/]*$/, '') };
		}
	} catch {
		// n8n could not say: fall back to the default endpoint name below
	}
	const origin = ownOriginOf(ctx);
	return origin ? { origin } : undefined;
}

/** What became of an in-chat answer: handed to the waiting execution, or dropped (and why, as logged). */
export interface ChatAnswerOutcome {
	forwarded: boolean;
	why?: string;
}

function dropped(ctx: IWebhookFunctions | IPollFunctions | ITriggerFunctions, why: string): ChatAnswerOutcome {
	ctx.logger.warn(`Bitrix24 Chatbot Trigger: a Send and Wait answer was dropped: ${why}.`);
	return { forwarded: false, why };
}

/**
 * POSTs the answer to the resume URL, following no redirect: a redirect (even from a URL of this n8n) would carry the
 * answer and its MAC to another host. A refusal by n8n (wrong signature, execution no longer waiting) is logged.
 */
async function postAnswer(ctx: IWebhookFunctions | IPollFunctions | ITriggerFunctions, url: URL, body: IDataObject): Promise<ChatAnswerOutcome> {
	let status: number | undefined;
	try {
		const options: IHttpRequestOptions = { method: 'POST', url: url.toString(), body, json: true, disableFollowRedirect: true, ignoreHttpStatusErrors: true, returnFullResponse: true };
		const response = (await ctx.helpers.httpRequest(options)) as { statusCode?: number } | undefined;
		status = Number(response?.statusCode ?? 200);
	} catch (error) {
		const code = (error as { code?: unknown }).code;
		ctx.logger.warn(`Bitrix24 Chatbot Trigger: a Send and Wait answer could not be delivered to n8n (${typeof code === 'string' ? code : 'no answer'}); the execution keeps waiting.`);
		return { forwarded: false, why: 'n8n did not answer' };
	}
	if (status >= 300 && status < 400) return dropped(ctx, `its URL answered with a redirect (HTTP ${status}), which is not followed`);
	if (status >= 400) {
		ctx.logger.warn(`Bitrix24 Chatbot Trigger: n8n refused a Send and Wait answer (HTTP ${status}); the execution keeps waiting.`);
		return { forwarded: false, why: `n8n refused it (HTTP ${status})` };
	}
	return { forwarded: true };
}

/**
 * Whether `item` (a verified command event) is an answer to a waiting Send and Wait: false when it is not; else what
 * became of it (forwarded to the execution, or dropped) — either way the trigger emits no item for it: an answer must
 * not start the workflow as an ordinary command.
 */
export async function forwardChatAnswer(ctx: IWebhookFunctions | IPollFunctions | ITriggerFunctions, item: IDataObject): Promise<false | ChatAnswerOutcome> {
	const command = obj(item.command);
	if (typeof command.params !== 'string' || !command.params.startsWith(CHAT_ANSWER_PREFIX)) return false;
	const waiting = waitingBaseOf(ctx);
	const checked = waiting ? answerUrlOf(command.params, waiting) : { dropped: 'this n8n\'s own address is unknown' };
	if (!checked || 'dropped' in checked) return dropped(ctx, checked?.dropped ?? 'its URL is not a waiting webhook of this n8n');
	const answer = answerOf(item);
	const body: IDataObject = { [CHAT_ANSWER_FIELD]: answer };
	const key = await answerSigningKey(ctx);
	if (key) body[CHAT_ANSWER_MAC_FIELD] = chatAnswerMac(key, checked.url.searchParams.get('signature') ?? '', answer);
	return await postAnswer(ctx, checked.url, body);
}
