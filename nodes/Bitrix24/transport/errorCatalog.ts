/** What each Bitrix24 error code means and what the user can do about it (bitrix24-api.md §1.5, §1.2, §2–4). */
export interface ErrorAdvice {
	meaning: string;
	action: string;
}

export const ERROR_CATALOG: Record<string, ErrorAdvice> = {
	INTERNAL_SERVER_ERROR: {
		meaning: 'the portal had an internal error',
		action: 'Try again later; if it persists, check the portal status.',
	},
	ERROR_UNEXPECTED_ANSWER: {
		meaning: 'the portal returned an unexpected answer',
		action: 'Try again later; if it persists, contact Bitrix24 support.',
	},
	QUERY_LIMIT_EXCEEDED: {
		meaning: 'the portal request-rate limit (leaky bucket) was exceeded and retries ran out',
		action: 'Lower "Requests per Second" / "Burst" in the credential to match your plan, or spread the work over time.',
	},
	OPERATION_TIME_LIMIT: {
		meaning: 'the method used up its operating-time allowance for the last 10 minutes',
		action: 'Wait until the limit resets (see operating_reset_at) and run again; other methods still work.',
	},
	ERROR_BATCH_METHOD_NOT_ALLOWED: {
		meaning: 'this method cannot run inside batch',
		action: 'Report this to the node maintainers: the method should be sent on its own.',
	},
	ERROR_BATCH_LENGTH_EXCEEDED: {
		meaning: 'more than 50 commands were sent in one batch',
		action: 'Report this to the node maintainers: the node sends at most 50 commands per batch.',
	},
	CHATBOT_CLIENT_ID_MISSING: {
		meaning: 'imbot methods over an incoming webhook need the CLIENT_ID the bot was registered with',
		action: 'Set "Chatbot Client ID" in the Bitrix24 Webhook API credential (any unique string, the same for every call to the same bot).',
	},
	BOT_TOKEN_NOT_SPECIFIED: {
		meaning: 'chatbot API v2 methods over an incoming webhook need the bot\'s botToken',
		action: 'Leave "Bot Token" empty in the Bitrix24 Webhook API credential (the nodes then use a token made from the webhook URL), or enter the token a bot registered elsewhere uses; or use the OAuth2 credential.',
	},
	BOT_TOKEN_INVALID_LENGTH: {
		meaning: 'the botToken is longer than 40 characters',
		action: 'Use a token of at most 40 characters: register the bot with it, or rotate it with Bot → Update.',
	},
	BOT_OWNERSHIP_ERROR: {
		meaning: 'the bot belongs to another application or was registered with another botToken',
		action: 'Use the credential (OAuth2 app, or webhook + Bot Token) that registered the bot.',
	},
	NO_AUTH_FOUND: {
		meaning: 'the webhook code or access token is not valid on this portal',
		action: 'Check the credential: copy the webhook URL again, or reconnect the OAuth2 credential.',
	},
	INVALID_REQUEST: {
		meaning: 'the portal refused the request (webhooks require HTTPS)',
		action: 'Use the https:// address of the portal in the credential.',
	},
	OVERLOAD_LIMIT: {
		meaning: 'REST access was blocked for this portal because of overload',
		action: 'Contact Bitrix24 support to lift the block.',
	},
	ACCESS_DENIED: {
		meaning: 'access was denied (the bot or user is not in that chat or dialog, the user lacks rights, a chatbot call under a webhook lacks its client ID, or the plan has no REST)',
		action: 'Check the plan and the user rights; for the Chatbot node with a webhook, set "Chatbot Client ID" in the credential.',
	},
	INVALID_CREDENTIALS: {
		meaning: 'the user behind the token or webhook lacks permission for this method',
		action: 'Use a webhook or app installed by a user with the needed rights.',
	},
	ERROR_MANIFEST_IS_NOT_AVAILABLE: {
		meaning: 'the manifest is not available',
		action: 'Check the app configuration on the portal.',
	},
	insufficient_scope: {
		meaning: 'the token or webhook lacks the scope this method needs',
		action: 'Add the scopes imopenlines, imconnector, imbot and im to the webhook or app, then reconnect.',
	},
	expired_token: {
		meaning: 'the access token expired and could not be refreshed',
		action: 'Reconnect the Bitrix24 OAuth2 credential.',
	},
	invalid_grant: {
		meaning: 'the OAuth2 refresh token was refused (revoked, expired, or the app was reinstalled), so the expired access token could not be renewed',
		action: 'Reconnect the Bitrix24 OAuth2 credential (open it and click "Reconnect"), then run again: nothing was sent.',
	},
	invalid_client: {
		meaning: 'the token server refused the client ID or client secret (or the app is not installed on the portal)',
		action: 'Check the client secret and client ID in the Bitrix24 OAuth2 credential against the app on the portal, then reconnect: nothing was sent.',
	},
	OAUTH_REFRESH_FAILED: {
		meaning: 'the token server refused to renew the expired access token',
		action: 'Reconnect the Bitrix24 OAuth2 credential, then run again: nothing was sent.',
	},
	PORTAL_UNREACHABLE: {
		meaning: 'the portal could not be reached',
		action: 'Check the portal address in the credential and the network between n8n and the portal (DNS, firewall, proxy), then run again: nothing was sent, so running again duplicates nothing.',
	},
	PORTAL_REDIRECT: {
		meaning: 'calls are never sent on to another address',
		action: 'If your portal moved (a new domain, or http → https), put its new address in the credential; then run again.',
	},
	TLS_FAILED: {
		meaning: 'the secure connection to the portal failed',
		action: "Check the portal's https address and certificate, or the proxy between n8n and the portal: nothing was sent.",
	},
	user_access_error: {
		meaning: 'the administrator restricted the app to certain users',
		action: 'Ask the portal administrator to grant this user access to the app.',
	},
	PORTAL_DELETED: {
		meaning: 'the public part of the portal is closed',
		action: 'Check the portal settings (on-premise) or its subscription.',
	},
	WRONG_AUTH_TYPE: {
		meaning: 'this method needs application (OAuth2) context',
		action: 'Use the "Bitrix24 OAuth2 API" credential (a local or Marketplace app); incoming webhooks cannot call imconnector.* or event.bind.',
	},
	NOT_ACTIVE_LINE: {
		meaning: 'the connector is not active on that Open Channel, or the line does not exist',
		action: 'Activate the connector on the line first (Connector → Activate) and check the line ID.',
	},
	ERROR_ARGUMENT: {
		meaning: 'a required argument is missing or malformed',
		action: 'Check the fields named in the description.',
	},
	BOT_ID_ERROR: {
		meaning: 'the bot was not found',
		action: 'Pick an existing bot (Bot → Get Many lists them).',
	},
	APP_ID_ERROR: {
		meaning: 'the bot or command belongs to another application or client ID',
		action: 'Use the credential (or Chatbot Client ID) that registered the bot.',
	},
	WRONG_COLOR: {
		meaning: 'the colour is not one of the 16 Bitrix24 chat colours',
		action: 'Pick a colour from the list.',
	},
	CANT_EDIT_MESSAGE: {
		meaning: 'the message cannot be edited (no access, or older than 3 days)',
		action: 'Only recent messages sent by this bot can be changed.',
	},
};

export function adviceFor(code: string): ErrorAdvice | undefined {
	return ERROR_CATALOG[code];
}
