/* Drives a trigger node's webhookMethods and webhook() through n8n-core's real HookContext and WebhookContext, so
 * getNodeParameter (resource locators, collections), static data, getNodeWebhookUrl and httpRequestWithAuthentication
 * (webhook URL signing, OAuth2 Bearer) behave as in n8n. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import 'reflect-metadata';
import { HookContext, WebhookContext } from 'n8n-core';
import type { IDataObject, INodeType, IWebhookResponseData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { parse } from 'querystring';

import { credentialsHelper, oauthCredentials, webhookCredentials } from '../../helpers/runNode';

export const WEBHOOK_BASE_URL = 'https://n8n.example.com/webhook';

export interface TriggerHarness {
	node: any;
	workflow: Workflow;
	staticData: () => IDataObject;
	webhookUrl: string;
	checkExists: () => Promise<boolean>;
	create: () => Promise<boolean>;
	remove: () => Promise<boolean>;
	/**
	 * Sends a body to webhook(): `body` is what n8n's parser hands over (flat keys), `rawBody` the raw text,
	 * `contentType` the request's content type (default application/x-www-form-urlencoded; null: no header).
	 */
	receive: (request: { body?: unknown; rawBody?: string | Buffer; contentType?: string | null; query?: IDataObject }) => Promise<{ result: IWebhookResponseData; status?: number; json?: unknown }>;
	logs: Array<{ level: string; message: string }>;
}

export interface HarnessOptions {
	parameters: IDataObject;
	credentials?: Record<string, IDataObject>;
	webhookBaseUrl?: string;
	/** Default: a new id per harness, so in-process state keyed by workflow (pins) never leaks between tests. */
	workflowId?: string;
	/** Static data to start from (e.g. what a previous run of n8n saved). */
	staticData?: IDataObject;
	/**
	 * "Test this trigger", as n8n runs it: the test URL (…/webhook-test/…), checkExists/create with activation mode
	 * 'manual', delete with mode 'internal' / activation 'update'.
	 */
	testRun?: boolean;
	/** The trigger node's webhookId (default: one fixed id): another id is another workflow's trigger. */
	webhookId?: string;
}

let harnessCount = 0;

export function triggerHarness(nodeType: INodeType, options: HarnessOptions): TriggerHarness {
	const authentication = (options.parameters.authentication as string) ?? 'oAuth2';
	const credentialName = authentication === 'webhook' ? 'bitrix24WebhookApi' : 'bitrix24OAuth2Api';
	const credentials = options.credentials ?? { bitrix24WebhookApi: webhookCredentials(), bitrix24OAuth2Api: oauthCredentials() };
	const node: any = {
		id: 'n1',
		name: 'Trigger',
		type: `test.${nodeType.description.name}`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: options.webhookId ?? 'a0c3e4f5-1111-4222-8333-944455556666',
		parameters: options.parameters,
		credentials: { [credentialName]: { id: '1', name: 'cred' } },
	};
	const nodeTypes: any = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };
	const workflowId = options.workflowId ?? `w${++harnessCount}`;
	const workflow = new Workflow({ id: workflowId, nodes: [node], connections: {}, active: true, nodeTypes, staticData: options.staticData ?? {} });
	const logs: Array<{ level: string; message: string }> = [];
	const logger: any = {};
	for (const level of ['error', 'warn', 'info', 'debug']) logger[level] = (message: string) => logs.push({ level, message });
	const productionBaseUrl = options.webhookBaseUrl ?? WEBHOOK_BASE_URL;
	const testBaseUrl = productionBaseUrl.replace(/\/webhook$/, '/webhook-test');
	const baseUrl = options.testRun ? testBaseUrl : productionBaseUrl;
	const additionalData: any = {
		credentialsHelper: credentialsHelper(credentials),
		variables: {},
		restApiUrl: '',
		instanceBaseUrl: '',
		webhookBaseUrl: productionBaseUrl,
		webhookTestBaseUrl: testBaseUrl,
		webhookWaitingBaseUrl: baseUrl,
		formWaitingBaseUrl: '',
		userId: 'u',
	};
	const webhookDescription = nodeType.description.webhooks![0];
	const webhookData: any = {
		httpMethod: 'POST',
		node: node.name,
		path: `${node.webhookId}/webhook`,
		webhookDescription,
		workflowId,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
		isTest: options.testRun === true,
	};
	const hook = (step: 'add' | 'remove' = 'add') => {
		const [mode, activation] = !options.testRun ? ['trigger', 'activate'] : step === 'add' ? ['manual', 'manual'] : ['internal', 'update'];
		const ctx: any = new HookContext(workflow, node, additionalData, mode as any, activation as any, webhookData);
		Object.defineProperty(ctx, "logger", { value: logger });
		return ctx;
	};
	const methods = nodeType.webhookMethods!.default as any;
	return {
		node,
		workflow,
		logs,
		staticData: () => workflow.getStaticData('node', node) as IDataObject,
		webhookUrl: `${baseUrl}/${node.webhookId}/webhook`,
		checkExists: async () => await methods.checkExists.call(hook()),
		create: async () => await methods.create.call(hook()),
		remove: async () => await methods.delete.call(hook('remove')),
		receive: async ({ body, rawBody, contentType = 'application/x-www-form-urlencoded', query }) => {
			let status: number | undefined;
			let json: unknown;
			const res: any = {
				status(code: number) {
					status = code;
					return res;
				},
				json(value: unknown) {
					json = value;
					return res;
				},
				end: () => res,
			};
			const req: any = {
				body: body ?? {},
				rawBody: rawBody === undefined ? undefined : Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody),
				headers: contentType === null ? {} : { 'content-type': contentType },
				query: query ?? {},
				params: {},
			};
			const data = { ...additionalData, httpRequest: req, httpResponse: res };
			const ctx: any = new WebhookContext(workflow, node, data, 'webhook', { ...webhookData, workflowExecuteAdditionalData: data }, [], null);
			Object.defineProperty(ctx, "logger", { value: logger });
			const result = await nodeType.webhook!.call(ctx);
			return { result, status, json };
		},
	};
}

/** The flat object n8n's urlencoded parser hands over for a raw body (`data[PARAMS][MESSAGE]` as one key). */
export function flatBody(raw: string): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of new URLSearchParams(raw.trim())) {
		if (out[key] === undefined) out[key] = value;
		else out[key] = ([] as string[]).concat(out[key] as string, value);
	}
	return out;
}

/**
 * What n8n 2.0.3 hands a webhook for a form body: querystring.parse with maxKeys 1000 (later pairs dropped silently),
 * plus the raw body it read.
 */
export function n8nFormRequest(raw: string): { body: IDataObject; rawBody: string } {
	return { body: { ...parse(raw, undefined, undefined, { maxKeys: 1000 }) } as IDataObject, rawBody: raw };
}

