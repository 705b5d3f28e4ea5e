import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

/** Any n8n context that can call Bitrix24 with the node's credential. */
export type BitrixContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions | IWebhookFunctions | IPollFunctions | ITriggerFunctions;

export type AuthKind = 'webhook' | 'oAuth2';

/** The credential type name for each way of connecting. */
export function credentialTypeOf(auth: AuthKind): string {
	return auth === 'webhook' ? 'bitrix24WebhookApi' : 'bitrix24OAuth2Api';
}

/** Everything the transport knows about the portal behind a credential. */
export interface Portal {
	auth: AuthKind;
	credentialType: string;
	/** OAuth2: the REST base (`client_endpoint`). Webhook: empty — the credential prefixes its own URL. */
	restBase: string;
	/** Rate-limit bucket key: the portal's origin. */
	bucketKey: string;
	rate: number;
	burst: number;
	/** CLIENT_ID sent with imbot.* (v1) calls under a webhook. */
	chatbotClientId?: string;
	/** botToken sent with imbot.v2.* calls under a webhook. */
	botToken?: string;
	applicationToken?: string;
	/** Values to scrub from any text that leaves the transport (grows when a rotated token is read). */
	secrets: string[];
	/**
	 * OAuth2: the tokens this run last read from the credential, to tell a refresh lost to another execution (the
	 * stored tokens changed: reload and resend) from a refused one (unchanged: reconnect). `refused` once confirmed.
	 */
	oauthTokens?: { access?: string; refresh?: string; refused?: boolean };
}

/** One Bitrix24 method call. */
export interface BitrixCall {
	method: string;
	params: IDataObject;
	/** True when the call changes state: an unknown outcome is then never retried. */
	write: boolean;
}

/** The Bitrix24 response envelope. */
export interface BitrixEnvelope {
	result: unknown;
	total?: number;
	next?: number;
	time?: IDataObject;
}
