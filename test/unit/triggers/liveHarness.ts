/* Drives a long-running trigger's trigger() through n8n-core's real TriggerContext, the way n8n 2.x does for an
 * active workflow: static data is "saved" after activation and at each emit (the only times n8n saves a trigger's
 * static data), so restart() starts a new harness from what n8n would have in its database. Each emit is an
 * execution; its donePromise is settled by the harness (at once by default, or by the test with hold()). */
/* eslint-disable @typescript-eslint/no-explicit-any */
import 'reflect-metadata';
import { TriggerContext } from 'n8n-core';
import type { IDataObject, IDeferredPromise, INodeExecutionData, INodeType, IRun, ITriggerResponse, WorkflowExecuteMode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { credentialsHelper, oauthCredentials, webhookCredentials } from '../../helpers/runNode';

export interface Execution {
	items: IDataObject[];
	done?: IDeferredPromise<IRun>;
}

export interface TriggerHarness {
	workflow: Workflow;
	/** Activates (trigger()); the response's closeFunction stops it. */
	start: (mode?: WorkflowExecuteMode) => Promise<ITriggerResponse>;
	close: () => Promise<void>;
	executions: Execution[];
	/** Resolves when `count` executions have been emitted (bounded by `timeoutMs`). */
	waitForExecutions: (count: number, timeoutMs?: number) => Promise<void>;
	/** From now on executions are not finished until release(). */
	hold: () => void;
	release: () => void;
	saved: () => IDataObject;
	staticData: () => IDataObject;
	restart: () => TriggerHarness;
	logs: Array<{ level: string; message: string }>;
}

export interface TriggerHarnessOptions {
	parameters: IDataObject;
	credentials?: Record<string, IDataObject>;
	staticData?: IDataObject;
	workflowId?: string;
	typeVersion?: number;
}

let count = 0;

export function triggerHarness(nodeType: INodeType, options: TriggerHarnessOptions): TriggerHarness {
	const authentication = (options.parameters.authentication as string) ?? 'oAuth2';
	const credentialName = authentication === 'webhook' ? 'bitrix24WebhookApi' : 'bitrix24OAuth2Api';
	const credentials = options.credentials ?? { bitrix24WebhookApi: webhookCredentials(), bitrix24OAuth2Api: oauthCredentials() };
	const node: any = {
		id: 't1',
		name: 'Live Trigger',
		type: `test.${nodeType.description.name}`,
		typeVersion: options.typeVersion ?? 2,
		position: [0, 0],
		parameters: { ...options.parameters },
		credentials: { [credentialName]: { id: '1', name: 'cred' } },
	};
	const nodeTypes: any = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };
	const workflowId = options.workflowId ?? `live${++count}`;
	const initial = JSON.parse(JSON.stringify(options.staticData ?? {}));
	const workflow = new Workflow({ id: workflowId, nodes: [node], connections: {}, active: true, nodeTypes, staticData: initial });
	let saved: IDataObject = JSON.parse(JSON.stringify(initial));
	const save = () => (saved = JSON.parse(JSON.stringify(workflow.staticData)));
	const logs: Array<{ level: string; message: string }> = [];
	const logger: any = {};
	for (const level of ['error', 'warn', 'info', 'debug']) logger[level] = (message: string) => logs.push({ level, message });
	const additionalData: any = { credentialsHelper: credentialsHelper(credentials), variables: {}, restApiUrl: '', instanceBaseUrl: '', userId: 'u' };
	const executions: Execution[] = [];
	let holding = false;
	const held: Array<IDeferredPromise<IRun>> = [];
	let response: ITriggerResponse | undefined;
	const emit = (data: INodeExecutionData[][], _response?: unknown, done?: IDeferredPromise<IRun>) => {
		save();
		executions.push({ items: data[0].map((i) => i.json), done });
		if (!done) return;
		if (holding) held.push(done);
		else void Promise.resolve().then(() => done.resolve({} as IRun));
	};
	const harness: TriggerHarness = {
		workflow,
		logs,
		executions,
		saved: () => saved,
		staticData: () => workflow.getStaticData('node', node) as IDataObject,
		start: async (mode: WorkflowExecuteMode = 'trigger') => {
			const ctx: any = new TriggerContext(workflow, node, additionalData, mode, 'activate', emit as any, () => undefined);
			Object.defineProperty(ctx, 'logger', { value: logger });
			const started = (await nodeType.trigger!.call(ctx)) ?? {};
			response = started;
			if (mode !== 'manual') save();
			return started;
		},
		close: async () => {
			await response?.closeFunction?.();
		},
		waitForExecutions: async (n: number, timeoutMs = 10_000) => {
			const until = Date.now() + timeoutMs;
			while (executions.length < n) {
				if (Date.now() > until) throw new Error(`expected ${n} executions, got ${executions.length}`);
				await new Promise((r) => setTimeout(r, 10));
			}
		},
		hold: () => {
			holding = true;
		},
		release: () => {
			holding = false;
			for (const done of held.splice(0)) done.resolve({} as IRun);
		},
		restart: () => triggerHarness(nodeType, { ...options, credentials, workflowId, staticData: saved }),
	};
	return harness;
}
