import type { BitrixFailure } from './failure';
import type { Portal } from './types';

/** Why a credential cannot call a method: the Bitrix24 code the portal would answer, and what to do. */
export interface AuthProblem {
	code: 'WRONG_AUTH_TYPE' | 'CHATBOT_CLIENT_ID_MISSING' | 'BOT_TOKEN_NOT_SPECIFIED' | 'BOT_TOKEN_INVALID_LENGTH';
	message: string;
}

/** Methods Bitrix24 refuses over an incoming webhook (403 WRONG_AUTH_TYPE: application context required). */
export function needsApplicationContext(method: string): boolean {
	return method.startsWith('imconnector.') || method === 'event.bind' || method === 'event.unbind' || method === 'event.get' || method === 'app.info';
}

/** imbot v1 under a webhook must carry the CLIENT_ID the bot was registered with. */
export function needsChatbotClientId(method: string): boolean {
	return method.startsWith('imbot.') && !method.startsWith('imbot.v2.');
}

/** imbot.v2 under a webhook must carry the bot's botToken (all but Revision.get; at Bot.register inside `fields`). */
export function needsBotToken(method: string): boolean {
	return method.startsWith('imbot.v2.') && method !== 'imbot.v2.Revision.get';
}

/** The longest botToken Bitrix24 accepts (BOT_TOKEN_INVALID_LENGTH above it, since 2026-08-06). */
export const BOT_TOKEN_MAX_LENGTH = 40;

/**
 * Why this credential cannot call this method, said before anything is sent; undefined when it can.
 */
export function authProblem(portal: Portal, method: string): AuthProblem | undefined {
	if (portal.auth !== 'webhook') return undefined;
	if (needsApplicationContext(method)) {
		return {
			code: 'WRONG_AUTH_TYPE',
			message: `${method} works only in application context: Bitrix24 refuses it over an incoming webhook (WRONG_AUTH_TYPE). Select the "Bitrix24 OAuth2 API" credential (a local or Marketplace app with the imopenlines, imconnector and im scopes).`,
		};
	}
	if (needsChatbotClientId(method) && !portal.chatbotClientId) {
		return {
			code: 'CHATBOT_CLIENT_ID_MISSING',
			message: `${method} under a webhook needs a chatbot client ID (Bitrix24 answers "Client ID not specified" otherwise). Set "Chatbot Client ID" in the Bitrix24 Webhook API credential — any unique string, the same for every call to the same bot.`,
		};
	}
	if (needsBotToken(method) && !portal.botToken) {
		return {
			code: 'BOT_TOKEN_NOT_SPECIFIED',
			message: `${method} under a webhook needs a bot token (Bitrix24 answers BOT_TOKEN_NOT_SPECIFIED otherwise). Leave "Bot Token" empty in the Bitrix24 Webhook API credential to use one made from the webhook URL, or enter the token of a bot registered elsewhere (at most ${BOT_TOKEN_MAX_LENGTH} characters); or use the OAuth2 credential.`,
		};
	}
	if (needsBotToken(method) && portal.botToken && portal.botToken.length > BOT_TOKEN_MAX_LENGTH) {
		return {
			code: 'BOT_TOKEN_INVALID_LENGTH',
			message: `The "Bot Token" of the Bitrix24 Webhook API credential is ${portal.botToken.length} characters long; Bitrix24 accepts at most ${BOT_TOKEN_MAX_LENGTH} (BOT_TOKEN_INVALID_LENGTH). Leave the field empty (the nodes then use a token made from the webhook URL), or enter the shorter token a bot registered elsewhere uses.`,
		};
	}
	return undefined;
}

/** The one place that turns an auth problem into a call failure (nothing is sent). */
export function authFailure(portal: Portal, method: string): BitrixFailure | undefined {
	const problem = authProblem(portal, method);
	return problem ? { method, code: problem.code, description: problem.message } : undefined;
}

/** Adds what the credential kind requires to a call's parameters (CLIENT_ID for imbot.* under a webhook). */
export function withAuthParams(portal: Portal, method: string, params: Record<string, unknown>): Record<string, unknown> {
	if (portal.auth !== 'webhook') return params;
	if (needsChatbotClientId(method) && portal.chatbotClientId && params.CLIENT_ID === undefined) {
		return { ...params, CLIENT_ID: portal.chatbotClientId };
	}
	if (needsBotToken(method) && portal.botToken) {
		if (method === 'imbot.v2.Bot.register') {
			const fields = (params.fields ?? {}) as Record<string, unknown>;
			return fields.botToken === undefined ? { ...params, fields: { ...fields, botToken: portal.botToken } } : params;
		}
		if (params.botToken === undefined) return { ...params, botToken: portal.botToken };
	}
	return params;
}
