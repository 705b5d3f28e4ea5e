import { createHmac } from 'crypto';

import type { WebhookUrl } from './webhookUrl';

/**
 * The chatbot API v2 botToken of a webhook credential whose "Bot Token" is empty: an HMAC-SHA256 of the portal and user
 * keyed by the webhook's secret code, 35 characters (Bitrix24 accepts at most 40). Stable for as long as the webhook
 * URL stays the same, so the bots registered with it stay manageable; unknown to anyone without the webhook's code.
 * A new webhook URL (the old one deleted or regenerated) gives another token: bots registered with the old one answer
 * BOT_OWNERSHIP_ERROR until their token is rotated (Bot → Update → New Bot Token, while the old webhook still works) or
 * the old token is entered in "Bot Token" (docs/chatbot-v2.md#bot-token).
 */
export function derivedBotToken(webhook: WebhookUrl): string {
	const mac = createHmac('sha256', webhook.code).update(`n8n-bitrix24-bot-token|${webhook.origin}|${webhook.userId}`).digest('base64url');
	return `n8n${mac.slice(0, 32)}`;
}
