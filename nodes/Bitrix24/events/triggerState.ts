import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

/** What a trigger keeps in the workflow's static data (per node). Holds no secret: the token is stored as a hash. */
export interface TriggerState extends IDataObject {
	/** SHA-256 of the first application token seen, when the credential has none. */
	applicationTokenHash?: string;
	/** Open Channels trigger: the event.bind subscriptions it made. */
	boundEvents?: Array<{ event: string; handler: string }>;
	/** Open Channels trigger: the bindings are a test run's (its own test URL, next to any production binding). */
	boundInTest?: boolean;
	/** Chatbot trigger: the bot handlers it set. */
	botHandlers?: BotHandlersState;
	/** Chatbot trigger v2 (webhook): the bot it put in webhook mode and what to restore on deactivation. */
	v2Webhook?: V2WebhookState;
}

export interface V2WebhookState extends IDataObject {
	botId: number;
	/** The Bot Code of "Create on Activation", when the bot came from it. */
	botCode?: string;
	/** SHA-256 of the secret in the registered webhookUrl (`?s=`), never the secret itself. */
	secretHash: string;
	/** The n8n URL the bot's webhookUrl points at (without the secret). */
	handlerUrl: string;
	/** Set by a test run ("Test this trigger"): the bot was in fetch mode and goes back to it when the test ends. */
	testRun?: boolean;
}

export interface BotHandlersState extends IDataObject {
	botId: number;
	botCode?: string;
	/** True when the trigger registered the bot itself. */
	registered?: boolean;
	handlerUrl: string;
	/** EVENT_* fields of the bot pointed at the handler URL. */
	fields: string[];
	/** Commands whose EVENT_COMMAND_ADD points at the handler URL. */
	commandIds: number[];
	/** Set by a test run ("Test this trigger"): when it ends the handlers point at this node's production URL. */
	testRun?: boolean;
}

export function triggerState(ctx: IHookFunctions | IWebhookFunctions): TriggerState {
	return ctx.getWorkflowStaticData('node') as TriggerState;
}
