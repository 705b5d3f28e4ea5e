/* The OAuth2 credential as n8n reads it (credentials-helper: NodeHelpers.getNodeParameters with defaults, then the
 * expressions resolved with the credential's own data as $self): Bitrix24's token server by default, and a saved
 * credential keeps what it stored. */
import type { ICredentialDataDecryptedObject, INode, INodeParameters, INodeProperties, INodeTypes } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { Bitrix24OAuth2Api } from '../../../credentials/Bitrix24OAuth2Api.credentials';

const credential = new Bitrix24OAuth2Api();

/** The parent oAuth2Api fields ours depend on (n8n 2.0.3 and 2.41 both have them), merged as n8n merges `extends`. */
const PARENT: INodeProperties[] = [
	{ displayName: 'Use Dynamic Client Registration', name: 'useDynamicClientRegistration', type: 'boolean', default: false },
	{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
	{ displayName: 'Client Secret', name: 'clientSecret', type: 'string', default: '' },
];
const merged: INodeProperties[] = [];
NodeHelpers.mergeNodeProperties(merged, PARENT);
NodeHelpers.mergeNodeProperties(merged, credential.properties);

/** What n8n hands the OAuth2 flow for stored `data` (only our own properties; the parent's are merged around them). */
function resolved(data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
	const withDefaults = NodeHelpers.getNodeParameters(merged, data as INodeParameters, true, false, null, null) as INodeParameters;
	const node = { id: 'm', name: 'mock', type: 'mock', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
	const mockType = { description: { properties: [] } };
	const nodeTypes = { getByName: () => mockType, getByNameAndVersion: () => mockType, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getComplexParameterValue(node, withDefaults, 'internal', {}, undefined, undefined, withDefaults as ICredentialDataDecryptedObject) as unknown as ICredentialDataDecryptedObject;
}

const base = { portalUrl: 'https://acme.bitrix24.com/', clientId: 'local.abc.123', clientSecret: 's3cret' };

test('a new credential gets tokens from oauth.bitrix.info; the authorize URL is the portal\'s', () => {
	const out = resolved(base);
	expect(out.accessTokenUrl).toBe('https://oauth.bitrix.info/oauth/token/');
	expect(out.authUrl).toBe('https://acme.bitrix24.com/oauth/authorize/');
});

test('a saved credential keeps its stored Token Server URL, Client ID and Client Secret (the fields keep their names)', () => {
	const out = resolved({ ...base, accessTokenUrl: 'http://127.0.0.1:8931/oauth/token/' });
	expect(out).toMatchObject({ accessTokenUrl: 'http://127.0.0.1:8931/oauth/token/', clientId: 'local.abc.123', clientSecret: 's3cret' });
});

test('the hints say where Bitrix24 shows Client ID and Client Secret; the token server field is not a hidden (pinned) one', () => {
	const field = (name: string) => credential.properties.find((p) => p.name === name)!;
	expect(field('clientId').description).toMatch(/application code.*local\./);
	expect(field('clientId').displayOptions).toEqual({ show: { useDynamicClientRegistration: [false] } });
	expect(field('clientSecret').description).toMatch(/application key/);
	// n8n 2.41 drops the stored value of a hidden OAuth endpoint field (OAUTH_PINNED_FIELDS): it must stay a visible string
	expect(field('accessTokenUrl')).toMatchObject({ type: 'string', default: 'https://oauth.bitrix.info/oauth/token/' });
	expect(field('accessTokenUrl').displayOptions).toBeUndefined();
});
