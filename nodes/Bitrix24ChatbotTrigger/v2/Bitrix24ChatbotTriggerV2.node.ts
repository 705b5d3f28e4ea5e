import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError, randomString } from 'n8n-workflow';

import type { Portal } from '../../Bitrix24/transport';
import { callMethod } from '../../Bitrix24/transport';
import { answerRepeat, claimNewDeliveries } from '../../Bitrix24/events/replays';
import {
	answer,
	BOT_SOURCE_CREATE,
	botV2SourceProperties,
	CHATBOT_V2_EVENTS,
	chatbotV2Item,
	eventsSubtitle,
	forgetPin,
	hookError,
	hookPortal,
	idList,
	isBitrixError,
	isTestActivation,
	receiveEvent,
	startRun,
	resolveBotV2,
	TEST_RUN_ALTERNATIVES,
	testRunOption,
	testRunTakesBot,
	tokenHash,
	tokenMatchesHash,
	triggerState,
} from '../../Bitrix24/events';
import type { BotV2Choice, V2WebhookState } from '../../Bitrix24/events';
import { forwardChatAnswer } from '../../Bitrix24/events/sendAndWaitAnswer';
import { authenticationProperty, bitrixCredentials } from '../../Bitrix24/fields/authentication';
import { shortNotice } from '../../Bitrix24/fields/notice';
import { BOT_V2_TYPES, botV2Field } from '../../Bitrix24Chatbot/v2/fields/common';
import { searchBotsV2 } from '../../Bitrix24Chatbot/v2/lookups';

/** The event of a pressed command button (an in-chat answer to Send and Wait for Response). */
const ANSWER_EVENT = 'ONIMBOTV2COMMANDADD';

/** Query parameter of the registered webhookUrl that carries the per-activation secret. */
const SECRET_PARAM = 's';

/** The bot of this node's settings as saved at activation: the chosen ID, or the Bot Code of "Create on Activation". */
function sameBotAsSaved(ctx: IHookFunctions, saved: V2WebhookState): boolean {
	if (ctx.getNodeParameter('botSource', 'existing') === BOT_SOURCE_CREATE) return saved.botCode === String(ctx.getNodeParameter('botCode', '')).trim();
	return String(ctx.getNodeParameter('botId', '', { extractValue: true })) === String(saved.botId);
}

async function eventModeOf(ctx: IHookFunctions, portal: Portal, botId: number): Promise<string> {
	const envelope = await callMethod(ctx, portal, { method: 'imbot.v2.Bot.get', params: { botId }, write: false });
	return String((((envelope.result as IDataObject | undefined)?.bot ?? {}) as IDataObject).eventMode ?? '');
}

/**
 * A test run ("Test this trigger") takes a bot only when nothing can be losing its messages: a bot this trigger created
 * or whose code it names (in fetch mode: its own bot, idle); never a bot that sends its messages to a URL (a published
 * workflow or another app, which Bitrix24 does not show); a bot picked from the list in fetch mode only when the user
 * says no Fetch Trigger reads it. Every refusal says what to do.
 */
function refuseTestRun(ctx: IHookFunctions, bot: BotV2Choice, fromCode: boolean): NodeOperationError | undefined {
	if (bot.created) return undefined;
	if (bot.eventMode === 'webhook') {
		return new NodeOperationError(ctx.getNode(), `Test refused: bot "${bot.name}" already sends its messages to a published workflow (or another app), which would stop getting them. Unpublish that workflow and test again, or test with another bot.`, {
			description: `${TEST_RUN_ALTERNATIVES}.`,
		});
	}
	if (fromCode || testRunTakesBot(ctx)) return undefined;
	return new NodeOperationError(ctx.getNode(), `Test refused: a published workflow's Chatbot Fetch Trigger may be reading bot "${bot.name}"'s messages. If none is, open Options → Let Test Runs Take the Bot, switch it on and test again.`, {
		description: `${TEST_RUN_ALTERNATIVES}.`,
	});
}

/**
 * Bitrix24 Chatbot Trigger, version 2: Chatbots 2.0 (imbot.v2) events pushed to n8n. Activation puts the bot in
 * eventMode "webhook" with webhookUrl = this workflow's production URL plus a secret of this activation; an event must
 * carry that secret and the application token. Deactivation puts the bot back in "fetch" mode (events queue up in
 * Bitrix24) or points it at the URL the user names.
 */
export class Bitrix24ChatbotV2Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Chatbot Trigger',
		name: 'bitrix24ChatbotTrigger',
		icon: { light: 'file:bitrix24ChatbotTrigger.svg', dark: 'file:bitrix24ChatbotTrigger.dark.svg' },
		group: ['trigger'],
		version: 2,
		subtitle: eventsSubtitle(CHATBOT_V2_EVENTS),
		// n8n shows this text above the Chatbot node's actions too (it merges a node and its trigger): it covers both
		description: 'A Bitrix24 chatbot that answers, hands customers to an operator and asks for approvals. The trigger starts the workflow the moment someone writes to the bot: choose it when n8n has a public address, otherwise the Chatbot Fetch Trigger.',
		defaults: { name: 'Bitrix24 Chatbot Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrixCredentials,
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			authenticationProperty('oAuth2'),
			shortNotice('notice', 'Answers at once; Bitrix24 must reach n8n at a public address. No public address? Use the Bitrix24 Chatbot Fetch Trigger.', 'chatbot-v2.md#which-trigger'),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['ONIMBOTV2MESSAGEADD'],
				options: CHATBOT_V2_EVENTS,
				description: 'The bot events that start the workflow; the others are answered and dropped',
			},
			...botV2SourceProperties({ ...botV2Field.property, description: 'The chatbot (API v2) whose events start this workflow' }, BOT_V2_TYPES),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Dialog IDs',
						name: 'dialogIds',
						type: 'string',
						default: '',
						placeholder: 'e.g. 27, chat15',
						description: 'Only events from these dialogs (a user ID for a private chat, chatN for a group), comma-separated',
					},
					{
						displayName: 'Ignore Messages From Bots',
						name: 'ignoreBots',
						type: 'boolean',
						default: true,
						description: 'Whether to drop events whose user is a bot (user.bot), so bots answering each other cannot loop',
					},
					testRunOption(
						'Whether a test may use a bot picked from the list that waits for a Fetch Trigger (Bitrix24 cannot show whether a published workflow reads it). A bot this trigger creates is always used by tests.',
					),
					{
						displayName: 'User IDs',
						name: 'userIds',
						type: 'string',
						default: '',
						placeholder: 'e.g. 1, 27',
						description: 'Only events caused by these users, comma-separated',
					},
					{
						displayName: 'Webhook URL After Deactivation',
						name: 'restoreUrl',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/bitrix-bot-handler',
						description: 'Where the bot\'s events go when the workflow is deactivated. Empty: the bot is set to "fetch" mode and its events wait in its queue.',
					},
				],
			},
		],
	};

	methods = {
		listSearch: { searchBotsV2 },
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const saved = triggerState(this).v2Webhook;
				if (!saved) return false;
				const handlerUrl = this.getNodeWebhookUrl('default') as string;
				if (saved.handlerUrl !== handlerUrl || !sameBotAsSaved(this, saved)) return false;
				const portal = await hookPortal(this, 'imbot.v2.Bot.get');
				try {
					return (await eventModeOf(this, portal, saved.botId)) === 'webhook';
				} catch (error) {
					if (isBitrixError(error, 'BOT_NOT_FOUND')) return false;
					throw hookError(this, error, portal);
				}
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const handlerUrl = this.getNodeWebhookUrl('default') as string;
				const portal = await hookPortal(this, 'imbot.v2.Bot.update');
				const secret = randomString(32);
				const separator = handlerUrl.includes('?') ? '&' : '?';
				const testRun = isTestActivation(this);
				const fromCode = this.getNodeParameter('botSource', 'existing') === BOT_SOURCE_CREATE;
				let botId: number;
				try {
					const bot = await resolveBotV2(this, portal);
					botId = bot.botId;
					const refusal = testRun ? refuseTestRun(this, bot, fromCode) : undefined;
					if (refusal) throw refusal;
					await callMethod(this, portal, {
						method: 'imbot.v2.Bot.update',
						params: { botId, fields: { eventMode: 'webhook', webhookUrl: `${handlerUrl}${separator}${SECRET_PARAM}=${secret}` } },
						write: true,
					});
				} catch (error) {
					throw hookError(this, error, portal);
				}
				const botCode = fromCode ? String(this.getNodeParameter('botCode', '')).trim() : undefined;
				triggerState(this).v2Webhook = { botId, secretHash: tokenHash(secret), handlerUrl, ...(botCode ? { botCode } : {}), ...(testRun ? { testRun } : {}) };
				if (!testRun) forgetPin(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const state = triggerState(this);
				const saved = state.v2Webhook;
				if (saved) {
					const portal = await hookPortal(this, 'imbot.v2.Bot.update');
					const restoreUrl = saved.testRun ? '' : String((this.getNodeParameter('options', {}) as IDataObject).restoreUrl ?? '').trim();
					const fields: IDataObject = restoreUrl ? { eventMode: 'webhook', webhookUrl: restoreUrl } : { eventMode: 'fetch' };
					try {
						await callMethod(this, portal, { method: 'imbot.v2.Bot.update', params: { botId: saved.botId, fields }, write: true });
					} catch (error) {
						if (!isBitrixError(error, 'BOT_NOT_FOUND')) throw hookError(this, error, portal);
						this.logger.info(`Bitrix24 Chatbot Trigger: bot ${saved.botId} no longer exists; nothing to detach.`);
					}
				}
				delete state.v2Webhook;
				if (!saved?.testRun) forgetPin(this);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const saved = triggerState(this).v2Webhook;
		const query = this.getQueryData() as IDataObject;
		const secret = typeof query[SECRET_PARAM] === 'string' ? (query[SECRET_PARAM] as string) : '';
		if (!saved || !tokenMatchesHash(secret, saved.secretHash)) {
			return answer(this, 401, { error: 'INVALID_WEBHOOK_SECRET', error_description: 'This URL is not the one registered for the bot.' });
		}
		const selected = this.getNodeParameter('events', []) as string[];
		// an in-chat answer to Send and Wait for Response (a command button) reaches its waiting run even when
		// "Command Received" is not one of the events that start this workflow
		const reception = await receiveEvent(this, [...selected, ANSWER_EVENT], { trustedSender: true });
		if (reception.kind === 'answered') return reception.response;
		const { received } = reception;
		const item = chatbotV2Item({ type: received.event, data: received.data, ts: received.ts });
		if (item.botId !== undefined && String(item.botId) !== String(saved.botId)) {
			return answer(this, 200, { result: 'ignored', reason: 'The event is for another bot.' });
		}
		if (claimNewDeliveries(this, received, [item]).length === 0) return answerRepeat(this, received.event);
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const user = (item.user ?? {}) as IDataObject;
		const dialogIds = idList(options.dialogIds);
		const userIds = idList(options.userIds);
		if (options.ignoreBots !== false && (user.bot === true || user.bot === '1')) return answer(this, 200, { result: 'ignored', reason: 'Filtered out: the user is a bot.' });
		if (dialogIds.length && !dialogIds.includes(String(item.dialogId ?? ''))) return answer(this, 200, { result: 'ignored', reason: 'Filtered out: another dialog.' });
		if (userIds.length && !userIds.includes(String(user.id ?? ''))) return answer(this, 200, { result: 'ignored', reason: 'Filtered out: another user.' });
		const sent = await forwardChatAnswer(this, item);
		if (sent) return answer(this, 200, { result: sent.forwarded ? 'answer forwarded to a waiting execution' : `answer dropped: ${sent.why}` });
		if (!selected.includes(received.event)) return answer(this, 200, { result: 'ignored', reason: `${received.event} is not selected in this trigger.` });
		return startRun(this, [item]);
	}
}
