import type { BitrixFailure } from './failure';
import type { Portal } from './types';

/** Why a credential cannot call a method: the Bitrix24 code the portal would answer, and what to do. */
export interface AuthProblem {
	code: 'WRONG_AUTH_TYPE' | 'CHATBOT_CLIENT_ID_MISSING';
	message: string;
}

/** Methods Bitrix24 refuses over an incoming webhook (403 WRONG_AUTH_TYPE: application context required). */
export function needsApplicationContext(method: string): boolean {
	return method.startsWith('imconnector.') || method === 'event.bind' || method === 'event.unbind' || method === 'event.get' || method === 'app.info';
}

/** imbot v1 under a webhook must carry the CLIENT_ID the bot was registered with. */
export function needsChatbotClientId(method: string): boolean {
	return method.startsWith('imbot.');
}

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
	return undefined;
}

/** The one place that turns an auth problem into a call failure (nothing is sent). */
export function authFailure(portal: Portal, method: string): BitrixFailure | undefined {
	const problem = authProblem(portal, method);
	return problem ? { method, code: problem.code, description: problem.message } : undefined;
}

/** Adds what the credential kind requires to a call's parameters (CLIENT_ID for imbot.* under a webhook). */
export function withAuthParams(portal: Portal, method: string, params: Record<string, unknown>): Record<string, unknown> {
	if (portal.auth === 'webhook' && needsChatbotClientId(method) && portal.chatbotClientId && params.CLIENT_ID === undefined) {
		return { ...params, CLIENT_ID: portal.chatbotClientId };
	}
	return params;
}
