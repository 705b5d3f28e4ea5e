import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { AuthKind, BitrixContext, Portal } from './types';
import { credentialTypeOf } from './types';
import { derivedBotToken } from './botToken';
import { parseWebhookUrl } from './webhookUrl';

function originOf(url: string): string {
	const match = /^https?:\/\/[^/]+/i.exec(url);
	return match ? match[0].toLowerCase() : url;
}

function numberOr(value: unknown, fallback: number): number {
	const n = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** The access and refresh token of a credential's oauthTokenData. */
export function tokensOf(tokenData: IDataObject | undefined): { access?: string; refresh?: string } {
	const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
	return { access: text(tokenData?.access_token), refresh: text(tokenData?.refresh_token) };
}

/** Reads the node's credential and describes the portal behind it. */
export async function resolvePortal(ctx: BitrixContext, auth: AuthKind): Promise<Portal> {
	const credentialType = credentialTypeOf(auth);
	const credentials = (await ctx.getCredentials(credentialType)) as IDataObject;
	const rate = numberOr(credentials.rateLimit, 2);
	const burst = numberOr(credentials.rateBurst, 50);
	const applicationToken = (credentials.applicationToken as string) || undefined;
	if (auth === 'webhook') {
		let webhook;
		try {
			webhook = parseWebhookUrl(String(credentials.webhookSecret ?? ''));
		} catch (error) {
			throw new NodeOperationError(ctx.getNode(), (error as Error).message);
		}
		const chatbotClientId = (credentials.chatbotClientId as string) || undefined;
		// Empty "Bot Token": a token made from the webhook URL, so chatbot API v2 works without the user inventing one.
		const botToken = (credentials.botToken as string) || derivedBotToken(webhook);
		return {
			auth,
			credentialType,
			restBase: '',
			bucketKey: webhook.origin,
			rate,
			burst,
			chatbotClientId,
			botToken,
			applicationToken,
			secrets: [webhook.code, chatbotClientId ?? '', botToken ?? '', applicationToken ?? ''].filter(Boolean),
		};
	}
	const tokenData = (credentials.oauthTokenData ?? {}) as IDataObject;
	const portalUrl = String(credentials.portalUrl ?? '').replace(/\/+$/, '');
	const endpoint = typeof tokenData.client_endpoint === 'string' && tokenData.client_endpoint ? tokenData.client_endpoint : `${portalUrl}/rest/`;
	const restBase = endpoint.endsWith('/') ? endpoint : `${endpoint}/`;
	return {
		auth,
		credentialType,
		restBase,
		bucketKey: originOf(restBase),
		rate,
		burst,
		applicationToken,
		oauthTokens: tokensOf(tokenData),
		secrets: [
			tokenData.access_token as string,
			tokenData.refresh_token as string,
			credentials.clientSecret as string,
			applicationToken ?? '',
		].filter((s): s is string => typeof s === 'string' && s.length > 0),
	};
}
