/* Runs one of our nodes in-process through n8n-core's real WorkflowExecute, so nock sees the exact HTTP requests and
 * n8n's own OAuth2 signing and 401 → refresh → retry path runs. (recipe: n8n-conventions, "Running a node inside tests"). */
/* eslint-disable @typescript-eslint/no-explicit-any */
import 'reflect-metadata';
import { ErrorReporter, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type { ICredentialType, IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';
import { createDeferredPromise, Workflow } from 'n8n-workflow';

import { Bitrix24OAuth2Api } from '../../credentials/Bitrix24OAuth2Api.credentials';
import { Bitrix24WebhookApi } from '../../credentials/Bitrix24WebhookApi.credentials';

(ErrorReporter.prototype as any).error = () => undefined;
const fromCore = (m: string) => require(require.resolve(m, { paths: [require.resolve('n8n-core')] }));
const { Container } = fromCore('@n8n/di');
const { Logger } = fromCore('@n8n/backend-common');
const quiet: any = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };
quiet.scoped = () => quiet;
Container.set(Logger, quiet);

export const credentialTypes: Record<string, ICredentialType> = {
	bitrix24WebhookApi: new Bitrix24WebhookApi(),
	bitrix24OAuth2Api: new Bitrix24OAuth2Api(),
};

export const WEBHOOK_BASE = 'https://acme.bitrix24.com';
export const WEBHOOK_PATH = '/rest/1/s3cr3tc0de99/';
export const OAUTH_BASE = 'https://acme.bitrix24.com';

export function webhookCredentials(extra: IDataObject = {}): IDataObject {
	return { webhookSecret: `${WEBHOOK_BASE}${WEBHOOK_PATH}`, chatbotClientId: 'n8n-bot-client', rateLimit: 1000, rateBurst: 10000, ...extra };
}

export function oauthCredentials(extra: IDataObject = {}): IDataObject {
	return {
		portalUrl: OAUTH_BASE,
		clientId: 'local.app.1',
		clientSecret: 'app-secret-xyz',
		grantType: 'authorizationCode',
		authentication: 'body',
		accessTokenUrl: 'https://oauth.bitrix.info/oauth/token/',
		authUrl: `${OAUTH_BASE}/oauth/authorize/`,
		scope: '',
		rateLimit: 1000,
		rateBurst: 10000,
		oauthTokenData: { access_token: 'acc-token-1', refresh_token: 'ref-token-1', expires_in: 3600, client_endpoint: `${OAUTH_BASE}/rest/` },
		...extra,
	};
}

export interface RunOptions {
	parameters: IDataObject;
	items?: INodeExecutionData[];
	credentials?: Record<string, IDataObject>;
	continueOnFail?: boolean;
	/** The node's type in the workflow (default test.<name>); e.g. "…Tool" as when it is connected to an AI Agent. */
	type?: string;
	/** Receives every saved OAuth token update. */
	onTokenSaved?: (data: IDataObject) => void;
}

export interface RunResult {
	items: INodeExecutionData[];
	error?: any;
}

/** n8n's credentials helper, reduced to what our nodes use: decrypted data, OAuth2 parent type, token saving, authenticate. */
export function credentialsHelper(data: Record<string, IDataObject>, onTokenSaved?: (data: IDataObject) => void) {
	return {
		getParentTypes: (type: string) => (type === 'bitrix24OAuth2Api' ? ['oAuth2Api'] : []),
		// A fresh copy on every read, as n8n decrypts from its database: a refresh by one execution is seen by another
		// only once it has been saved.
		getDecrypted: async (_a: unknown, _n: unknown, type: string) => structuredClone(data[type]),
		preAuthentication: async () => undefined,
		runPreAuthentication: async () => undefined,
		updateCredentialsOauthTokenData: async (_nc: unknown, type: string, creds: IDataObject) => {
			data[type] = { ...data[type], oauthTokenData: creds.oauthTokenData };
			onTokenSaved?.(creds.oauthTokenData as IDataObject);
		},
		updateCredentials: async () => undefined,
		getCredentialsProperties: () => [],
		authenticate: async (creds: IDataObject, type: string, opts: any, workflow: any, node: any) => {
			const auth = credentialTypes[type].authenticate as any;
			if (typeof auth === 'function') return await auth(creds, opts);
			for (const [outer, inner] of Object.entries(auth?.properties ?? {})) {
				opts[outer] = opts[outer] || {};
				for (const [k, v] of Object.entries(inner as IDataObject)) {
					opts[outer][k] = workflow.expression.getSimpleParameterValue(node, v, 'internal', { $credentials: creds }, undefined, '');
				}
			}
			return opts;
		},
	};
}

/** Runs `nodeType` once with the given parameters and input items; returns its output items or its error. */
export async function runNode(nodeType: INodeType, options: RunOptions): Promise<RunResult> {
	const authentication = (options.parameters.authentication as string) ?? 'oAuth2';
	const credentialName = authentication === 'webhook' ? 'bitrix24WebhookApi' : 'bitrix24OAuth2Api';
	const credentials = options.credentials ?? { bitrix24WebhookApi: webhookCredentials(), bitrix24OAuth2Api: oauthCredentials() };
	const node: any = {
		id: '1',
		name: 'Bitrix',
		type: options.type ?? `test.${nodeType.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials: { [credentialName]: { id: '1', name: 'cred' } },
		continueOnFail: options.continueOnFail ?? false,
		onError: options.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow',
	};
	const nodeTypes: any = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ id: 'w1', nodes: [node], connections: {}, active: false, nodeTypes });
	const hooks = new ExecutionLifecycleHooks('manual', 'e1', { id: 'w1', nodes: [node], connections: {} } as any);
	const done = createDeferredPromise<any>();
	hooks.addHandler('workflowExecuteAfter', (run: any) => done.resolve(run));
	const additionalData: any = {
		hooks,
		credentialsHelper: credentialsHelper(credentials, options.onTokenSaved),
		variables: {},
		restApiUrl: '',
		instanceBaseUrl: '',
		webhookBaseUrl: '',
		webhookTestBaseUrl: '',
		webhookWaitingBaseUrl: '',
		formWaitingBaseUrl: '',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		userId: 'u',
	};
	const runData: any = {
		resultData: { runData: {} },
		executionData: {
			contextData: {},
			metadata: {},
			waitingExecution: {},
			waitingExecutionSource: null,
			nodeExecutionStack: [{ node, data: { main: [options.items ?? [{ json: {} }]] }, source: null }],
		},
	};
	await new WorkflowExecute(additionalData, 'manual', runData).processRunExecutionData(workflow);
	const run = await done.promise;
	const error = run.data.resultData.error;
	const nodeRun = run.data.resultData.runData.Bitrix?.[0];
	return { items: nodeRun?.data?.main?.[0] ?? [], error };
}

/** n items with the given json built from the index. */
export function makeItems(count: number, build: (i: number) => IDataObject = (i) => ({ i })): INodeExecutionData[] {
	return Array.from({ length: count }, (_, i) => ({ json: build(i) }));
}
