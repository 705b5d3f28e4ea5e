import type { IHookFunctions, INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Portal } from '../Bitrix24/transport';
import { hookPortal } from '../Bitrix24/events';

/**
 * Bitrix24 lets only applications subscribe to events (event.bind answers WRONG_AUTH_TYPE to an incoming webhook),
 * so this trigger offers the OAuth2 credential only. A workflow saved with the webhook credential (authentication
 * "webhook") still loads: the notice below says what to change, and activation refuses with the same words.
 */
export const oauth2OnlyAuthentication: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	options: [{ name: 'OAuth2 (Application)', value: 'oAuth2', description: 'A local or Marketplace app with the imopenlines, imconnector and im scopes' }],
	default: 'oAuth2',
	description: 'Bitrix24 lets only applications subscribe to events, so this trigger needs the OAuth2 credential',
};

const WEBHOOK_SAVED =
	'This trigger was saved with the Incoming Webhook credential, which cannot subscribe to events (Bitrix24 allows event.bind only for applications). Choose "OAuth2 (Application)" under Authentication and a Bitrix24 OAuth2 API credential.';

export const webhookSavedNotice: INodeProperties = {
	displayName: WEBHOOK_SAVED,
	name: 'webhookSavedNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { authentication: ['webhook'] } },
};

export const oauth2Credentials: INodeCredentialDescription[] = [{ name: 'bitrix24OAuth2Api', required: true }];

/** The OAuth2 portal for a subscription call; a node saved with the webhook credential is refused first. */
export async function oauth2Portal(ctx: IHookFunctions, method: string): Promise<Portal> {
	if (ctx.getNodeParameter('authentication', 'oAuth2') !== 'oAuth2') throw new NodeOperationError(ctx.getNode(), WEBHOOK_SAVED);
	return await hookPortal(ctx, method);
}
