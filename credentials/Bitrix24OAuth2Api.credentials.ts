import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { rateLimitProperties } from './rateLimitProperties';

/** Bitrix24's OAuth server: issues and refreshes the tokens of cloud portals and most self-hosted ones. */
const BITRIX_TOKEN_SERVER = 'https://oauth.bitrix.info/oauth/token/';

/**
 * A Bitrix24 application (a local app of the portal, or a Marketplace app) authorised with OAuth 2.0.
 * n8n runs the flow and refreshes the token on HTTP 401 (`expired_token`), saving the rotated refresh token.
 */
export class Bitrix24OAuth2Api implements ICredentialType {
	name = 'bitrix24OAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Bitrix24 OAuth2 API';

	icon: Icon = { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' };

	documentationUrl = 'https://apidocs.bitrix24.com/settings/oauth/index.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Portal URL',
			name: 'portalUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://your-portal.bitrix24.com',
			description: 'The address of your Bitrix24 portal, cloud or self-hosted',
		},
		{
			displayName:
				'This address is not HTTPS: messages, files and keys travel unencrypted and can be read or changed on the way. Use https:// unless the portal runs on this machine.',
			name: 'plainHttpNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { portalUrl: [{ _cnd: { startsWith: 'http://' } }] } },
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: '={{$self["portalUrl"].replace(/\\/+$/, "")}}/oauth/authorize/',
		},
		{
			// Not behind a switch: n8n 2.41 discards the stored value of an OAuth endpoint field declared hidden
			// (OAUTH_PINNED_FIELDS), and a field hidden by displayOptions is left out of the credential data on both
			// versions — either would break credentials saved with their own token server.
			displayName: 'Token Server URL',
			name: 'accessTokenUrl',
			type: 'string',
			default: BITRIX_TOKEN_SERVER,
			description: `Where tokens are issued and refreshed. Keep ${BITRIX_TOKEN_SERVER} (Bitrix24's OAuth server) for Bitrix24 cloud and most self-hosted portals; change it only for your own auth server or the sandbox portal.`,
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			displayOptions: { show: { useDynamicClientRegistration: [false] } },
			required: true,
			default: '',
			placeholder: 'local.65a1b2c3d4e5f6.12345678',
			description:
				'The application code (client_id). Bitrix24 shows it when you save a local application (Developer resources → Other → Local application); it starts with "local.". For a Marketplace app: its client_id.',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			displayOptions: { show: { useDynamicClientRegistration: [false] } },
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'The application key (client_secret), shown next to the application code',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		{
			displayName: 'Application Token',
			name: 'applicationToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Recommended. The application_token of your app (sent with every event and on install), used by the trigger nodes to verify events. If empty, a trigger checks the first event of a chosen type with the portal (its access token must belong to this app) and only then trusts its token.',
		},
		...rateLimitProperties,
	];

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			baseURL: '={{$credentials.oauthTokenData?.client_endpoint || ($credentials.portalUrl.replace(/\\/+$/, "") + "/rest/")}}',
			url: 'app.info.json',
		},
	};
}
