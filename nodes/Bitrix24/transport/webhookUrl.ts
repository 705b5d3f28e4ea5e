/** An incoming webhook URL, split into what the transport needs. The code is a secret. */
export interface WebhookUrl {
	/** `https://portal/rest/{user}/{code}/`, ready for a method name to be appended. */
	baseUrl: string;
	/** Scheme, host and port: the portal, used as the rate-limit key. */
	origin: string;
	userId: string;
	code: string;
}

export const WEBHOOK_URL_SHAPE = 'https://your-portal.bitrix24.com/rest/1/abc123xyz/';

const WEBHOOK_PATTERN =
	/^(https?:\/\/[^/?#\s]+(?:\/[^?#\s]*?)?)\/rest\/(\d+)\/([A-Za-z0-9_-]+)(?:\/(?:[A-Za-z][A-Za-z0-9_.]*?)?(?:\.json)?)?\/?$/;

/**
 * Accepts the URL as Bitrix24 shows it, with or without a trailing method (`profile`, `profile.json`) and slash.
 * Anything else is refused with a message that shows the expected shape and never repeats the input (it holds a secret).
 */
export function parseWebhookUrl(input: string): WebhookUrl {
	const url = input.trim();
	const match = WEBHOOK_PATTERN.exec(url);
	if (!match) {
		throw new Error(
			`The webhook URL does not look like a Bitrix24 incoming webhook. Expected ${WEBHOOK_URL_SHAPE} (portal address, /rest/, your user ID, the webhook code).`,
		);
	}
	const [, prefix, userId, code] = match;
	const origin = /^https?:\/\/[^/]+/.exec(prefix)![0].toLowerCase();
	return { baseUrl: `${prefix}/rest/${userId}/${code}/`, origin, userId, code };
}
