/* Issue 23, point 2: a portal address that is not HTTPS is accepted (the sandbox and self-hosted portals on the same
 * machine use http://127.0.0.1) but each credential says so, in one notice shown only for such an address. */
import type { ICredentialType, INode, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { Bitrix24OAuth2Api } from '../../../credentials/Bitrix24OAuth2Api.credentials';
import { Bitrix24WebhookApi } from '../../../credentials/Bitrix24WebhookApi.credentials';

const node = { parameters: {} } as INode;
const shown = (credential: ICredentialType, values: Record<string, string>) =>
	credential.properties.filter((p: INodeProperties) => p.type === 'notice' && NodeHelpers.displayParameter(values, p, node, null)).map((p) => p.displayName);

test.each([
	['Webhook', new Bitrix24WebhookApi(), 'webhookSecret', '/rest/1/abc123/'],
	['OAuth2', new Bitrix24OAuth2Api(), 'portalUrl', ''],
])('%s credential: one notice for a plain-HTTP portal address, none for HTTPS', (_name, credential, field, path) => {
	const plain = shown(credential, { [field]: `http://portal.example.com${path}` });
	expect(plain).toHaveLength(1);
	expect(plain[0]).toMatch(/^This address is not HTTPS: .*unencrypted.* Use https:\/\//);
	expect(shown(credential, { [field]: `https://portal.example.com${path}` })).toEqual([]);
	expect(shown(credential, { [field]: '' })).toEqual([]);
});
