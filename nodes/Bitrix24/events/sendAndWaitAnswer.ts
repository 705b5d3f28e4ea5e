import type { IDataObject, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';

/**
 * In-chat answers to Send and Wait for Response. The Chatbot node puts `n8n-answer <signed resume URL>` into the
 * COMMAND_PARAMS of its command buttons. When a person presses one, Bitrix24 sends the command event to the Chatbot
 * Trigger (v1 push: ONIMCOMMANDADD; v2 push or fetch: ONIMBOTV2COMMANDADD); the trigger has already verified the
 * event (application token, v2 URL secret), recognises the answer here and hands it to the waiting execution over
 * HTTP — through n8n's waiting-webhook endpoint, so it works in queue mode and after restarts — instead of starting
 * its own workflow. n8n checks the URL's signature (its HMAC over the URL) and refuses a changed or guessed one; the
 * trigger only ever calls a URL of its own n8n (same origin as its webhook URL, or the instance base URL when polling).
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
function ownOriginOf(ctx: IWebhookFunctions | IPollFunctions): string | undefined {
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
export async function forwardChatAnswer(ctx: IWebhookFunctions | IPollFunctions, item: IDataObject): Promise<boolean> {
	const command = obj(item.command);
	if (typeof command.params !== 'string' || !command.params.startsWith(CHAT_ANSWER_PREFIX)) return false;
	const origin = ownOriginOf(ctx);
	const url = origin ? answerUrlOf(command.params, origin) : undefined;
	if (!url) {
		ctx.logger.warn('Bitrix24 Chatbot Trigger: a Send and Wait answer whose URL is not one of this n8n was dropped.');
		return true;
	}
	try {
		await ctx.helpers.httpRequest({ method: 'POST', url: url.toString(), body: { [CHAT_ANSWER_FIELD]: answerOf(item) }, json: true });
	} catch (error) {
		const status = (error as { httpCode?: string; response?: { status?: number } }).httpCode ?? (error as { response?: { status?: number } }).response?.status;
		ctx.logger.warn(`Bitrix24 Chatbot Trigger: n8n refused a Send and Wait answer (HTTP ${String(status ?? 'error')}); the execution keeps waiting.`);
	}
	return true;
}
