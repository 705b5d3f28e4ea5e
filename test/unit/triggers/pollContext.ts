/* Drives a polling trigger's poll() through n8n-core's real PollContext (getNodeParameter with resource locators and
 * collections, static data, httpRequestWithAuthentication). Static data is "saved" the way n8n 2.x saves it for a
 * poller: when poll() returns items (the emit saves the workflow's static data) — so restart() starts a new harness
 * from what n8n would have in its database, not from the in-memory object. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import 'reflect-metadata';
import { PollContext } from 'n8n-core';
import type { IDataObject, INodeType, WorkflowExecuteMode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { credentialsHelper, oauthCredentials, webhookCredentials } from '../../helpers/runNode';

export interface PollHarness {
	workflow: Workflow;
	/** One poll in trigger mode: the items' json, or null when the poll returned null. */
	poll: (mode?: WorkflowExecuteMode) => Promise<IDataObject[] | null>;
	/** The node's static data in memory. */
	staticData: () => IDataObject;
	/** What n8n would have saved (a deep copy taken at each emit). */
	saved: () => IDataObject;
	/** A new harness (a restarted n8n) from the saved static data. */
	restart: () => PollHarness;
	logs: Array<{ level: string; message: string }>;
}

export interface PollHarnessOptions {
	parameters: IDataObject;
	credentials?: Record<string, IDataObject>;
	staticData?: IDataObject;
	workflowId?: string;
	/** n8n's base URL as the PollContext reports it (getInstanceBaseUrl). */
	instanceBaseUrl?: string;
}

let count = 0;

export function pollHarness(nodeType: INodeType, options: PollHarnessOptions): PollHarness {
	const authentication = (options.parameters.authentication as string) ?? 'oAuth2';
	const credentialName = authentication === 'webhook' ? 'bitrix24WebhookApi' : 'bitrix24OAuth2Api';
	const credentials = options.credentials ?? { bitrix24WebhookApi: webhookCredentials(), bitrix24OAuth2Api: oauthCredentials() };
	const node: any = {
		id: 'p1',
		name: 'Fetch Trigger',
		type: `test.${nodeType.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...options.parameters },
		credentials: { [credentialName]: { id: '1', name: 'cred' } },
	};
	const nodeTypes: any = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };
	const workflowId = options.workflowId ?? `poll${++count}`;
	const initial = JSON.parse(JSON.stringify(options.staticData ?? {}));
	const workflow = new Workflow({ id: workflowId, nodes: [node], connections: {}, active: true, nodeTypes, staticData: initial });
	let saved: IDataObject = JSON.parse(JSON.stringify(initial));
	const logs: Array<{ level: string; message: string }> = [];
	const logger: any = {};
	for (const level of ['error', 'warn', 'info', 'debug']) logger[level] = (message: string) => logs.push({ level, message });
	const additionalData: any = { credentialsHelper: credentialsHelper(credentials), variables: {}, restApiUrl: '', instanceBaseUrl: options.instanceBaseUrl ?? '', userId: 'u' };
	const harness: PollHarness = {
		workflow,
		logs,
		staticData: () => workflow.getStaticData('node', node) as IDataObject,
		saved: () => saved,
		poll: async (mode: WorkflowExecuteMode = 'trigger') => {
			const ctx: any = new PollContext(workflow, node, additionalData, mode, 'activate');
			Object.defineProperty(ctx, 'logger', { value: logger });
			const out = await nodeType.poll!.call(ctx);
			if (out === null) return null;
			if (mode !== 'manual') saved = JSON.parse(JSON.stringify(workflow.staticData));
			return out[0].map((i) => i.json);
		},
		restart: () => pollHarness(nodeType, { ...options, credentials, workflowId, staticData: saved }),
	};
	return harness;
}
