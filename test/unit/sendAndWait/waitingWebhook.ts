/* The Chatbot node's Send and Wait webhook while the execution waits, as n8n calls it after it has checked the URL's
 * signature: a context with the node's parameters, the request and a recording Bitrix24 transport. */
import type { IDataObject } from 'n8n-workflow';

export const WEBHOOK_CREDENTIAL = { webhookSecret: 'https://acme.bitrix24.com/rest/1/s3cr3tc0de99/', chatbotClientId: 'n8n-bot', rateLimit: 1000, rateBurst: 1000 };

/** The node's webhook while the execution waits, as n8n calls it after it has checked the URL's signature. */
export function waitingWebhook(options: { method: 'GET' | 'POST'; query: IDataObject; body?: IDataObject; parameters?: IDataObject; credentials?: IDataObject }) {
	const calls: IDataObject[] = [];
	const warnings: string[] = [];
	const parameters: IDataObject = { authentication: 'webhook', message: 'Pay invoice 17?', responseType: 'approval', ...options.parameters };
	const res = { status: () => res, setHeader: () => res, send: () => res };
	const ctx = {
		getNodeParameter: (name: string, fallback: unknown) => {
			let value: unknown = parameters;
			for (const key of name.split('.')) value = value && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
			return value === undefined ? fallback : value;
		},
		getCredentials: async () => options.credentials ?? WEBHOOK_CREDENTIAL,
		getQueryData: () => options.query,
		getBodyData: () => options.body ?? {},
		getRequestObject: () => ({ method: options.method, headers: { 'user-agent': 'Mozilla/5.0' } }),
		getResponseObject: () => res,
		getNode: () => ({ name: 'Ask', type: 'bitrix24Chatbot', typeVersion: 1, id: 'node-1', parameters }),
		logger: { warn: (m: string) => warnings.push(m), info: () => undefined, debug: () => undefined },
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IDataObject) => {
				calls.push(request);
				return { result: true };
			},
		},
	};
	return { ctx: ctx as never, calls, warnings };
}

