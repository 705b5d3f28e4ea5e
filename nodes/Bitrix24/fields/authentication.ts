import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import type { AuthKind } from '../transport';

/** The credential choice every Bitrix24 node offers. */
export function authenticationProperty(defaultAuth: AuthKind, hint?: string): INodeProperties {
	return {
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'OAuth2 (Application)', value: 'oAuth2', description: 'A local or Marketplace app: needed for imconnector and events' },
			{ name: 'Incoming Webhook', value: 'webhook', description: 'An incoming webhook URL of the portal' },
		],
		default: defaultAuth,
		description: hint ?? 'How to connect to the portal',
	};
}

export const bitrixCredentials: INodeCredentialDescription[] = [
	{ name: 'bitrix24OAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
	{ name: 'bitrix24WebhookApi', required: true, displayOptions: { show: { authentication: ['webhook'] } } },
];
