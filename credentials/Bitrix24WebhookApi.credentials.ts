import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { parseWebhookUrl } from '../nodes/Bitrix24/transport/webhookUrl';
import { rateLimitProperties } from './rateLimitProperties';

/**
 * An incoming webhook of a Bitrix24 portal (Developer resources → Other → Incoming webhook).
 * The secret lives in the URL path, so `authenticate` joins the method onto it: nodes never build the URL.
 */
export class Bitrix24WebhookApi implements ICredentialType {
	name = 'bitrix24WebhookApi';

	displayName = 'Bitrix24 Webhook API';

	icon: Icon = { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' };

	documentationUrl =
		'https://apidocs.bitrix24.com/local-integrations/local-webhooks.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook URL',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'https://your-portal.bitrix24.com/rest/1/abc123xyz/',
			description:
				'The incoming webhook URL exactly as Bitrix24 shows it (a trailing method name such as profile.json is accepted and ignored).',
		},
		{
			displayName: 'Chatbot Client ID',
			name: 'chatbotClientId',
			type: 'string',
			default: '',
			description:
				'The CLIENT_ID that imbot.* methods need under a webhook: any unique string you choose, sent with every chatbot call. Bots registered with one value can only be managed with the same value. Leave empty if you do not use the Chatbot node.',
		},
		{
			displayName: 'Bot Token',
			name: 'botToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Leave empty: chatbot API v2 bots then use a token made from this webhook URL (it changes if you replace the webhook). Fill in only to manage a v2 bot registered elsewhere with its own token (at most 40 characters).',
		},
		{
			displayName: 'Application Token',
			name: 'applicationToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The application_token Bitrix24 sends with every event, used by the trigger nodes to verify events. Required for triggers with this credential: a webhook has no app to check an unknown token against, so without it every event is refused (401).',
		},
		...rateLimitProperties,
	];

	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const webhook = parseWebhookUrl(String(credentials.webhookSecret ?? ''));
		const url = String(requestOptions.url ?? '');
		// n8n authenticates again when it resends after a 401: a URL that already is the webhook's stays as it is.
		if (url.startsWith(webhook.baseUrl)) return requestOptions;
		return { ...requestOptions, baseURL: undefined, url: `${webhook.baseUrl}${url.replace(/^\/+/, '')}` };
	};

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: 'profile.json',
		},
		// Bitrix24 answers a wrong or deleted webhook code with HTTP 401 NO_AUTH_FOUND, never inside a 200 (n8n >= 2.4x
		// reads responseCode rules; older versions show their generic "Authorization failed").
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: 'The webhook code is not valid on this portal (HTTP 401 NO_AUTH_FOUND): copy the incoming webhook URL again from Bitrix24.',
				},
			},
		],
	};
}
