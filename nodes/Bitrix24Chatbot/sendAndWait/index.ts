import type { IExecuteFunctions, INodeExecutionData, IWebhookDescription } from 'n8n-workflow';
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import type { ResourceSpec } from '../../Bitrix24/operations';
import type { ChatApi } from './api';
import { executeSendAndWait } from './execute';

export { CHAT_API_V1, CHAT_API_V2 } from './api';
export { sendAndWaitOperation } from './operation';
export { sendAndWaitWebhook } from './webhook';

/**
 * The webhook a waiting execution resumes through, as n8n's own send-and-wait nodes declare it: GET (links, form
 * page) and POST (form, in-chat answer) on the node's id, `restartWebhook` (the execution's resume URL, never an
 * activation-time webhook).
 */
export const SEND_AND_WAIT_WEBHOOKS: IWebhookDescription[] = ['GET', 'POST'].map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	responseData: '',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	isFullPath: true,
}));

/** The tooltip n8n shows on the node while its execution waits. */
export const SEND_AND_WAIT_TOOLTIP = '={{ $parameter["operation"] === "sendAndWait" ? "Execution will continue after the person answers in Bitrix24" : "" }}';

/** Runs Send and Wait for Response when it is the chosen operation; undefined otherwise (the shared executor runs). */
export async function executeIfSendAndWait(ctx: IExecuteFunctions, resources: ResourceSpec[], api: ChatApi): Promise<INodeExecutionData[][] | undefined> {
	if (ctx.getNodeParameter('operation', 0) !== SEND_AND_WAIT_OPERATION) return undefined;
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const spec = resources.find((r) => r.value === resource)?.operations.find((o) => o.value === SEND_AND_WAIT_OPERATION);
	if (!spec) return undefined;
	return await executeSendAndWait(ctx, spec, api);
}
