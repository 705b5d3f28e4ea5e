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
	CHATBOT_V2_EVENTS,
	chatbotV2Item,
	eventsSubtitle,
	forgetPin,
	hookError,
	hookPortal,
	idList,
	isBitrixError,
	isTestActivation,
	oneTriggerPerBotNotice,
	receiveEvent,
	TEST_RUN_ALTERNATIVES,
	testRunOption,
	testRunTakesBot,
	tokenHash,
	tokenMatchesHash,
	triggerState,
} from '../../Bitrix24/events';
import { forwardChatAnswer } from '../../Bitrix24/events/sendAndWaitAnswer';
import { authenticationProperty, bitrixCredentials } from '../../Bitrix24/fields/authentication';
import { botV2Field } from '../../Bitrix24Chatbot/v2/fields/common';
import { searchBotsV2 } from '../../Bitrix24Chatbot/v2/lookups';

/** Query parameter of the registered webhookUrl that carries the per-activation secret. */
const SECRET_PARAM = 's';

function chosenBotId(ctx: IHookFunctions): number {
	const botId = Number(ctx.getNodeParameter('botId', '', { extractValue: true }));
	if (!Number.isInteger(botId) || botId < 1) throw new NodeOperationError(ctx.getNode(), 'Bot must be a bot ID (a whole number above 0).');
	return botId;
}

async function botOf(ctx: IHookFunctions, portal: Portal, botId: number): Promise<IDataObject> {
	const envelope = await callMethod(ctx, portal, { method: 'imbot.v2.Bot.get', params: { botId }, write: false });
	const result = envelope.result as IDataObject | undefined;
	return ((result?.bot as IDataObject | undefined) ?? {}) as IDataObject;
}

/**
 * A test run ("Test this trigger") takes a bot only when nothing can be losing its events: a bot in webhook mode POSTs
 * to a URL Bitrix24 does not show (a published workflow, or another handler) and is never taken; a bot in fetch mode
 * may be read by a Fetch Trigger, which Bitrix24 cannot show either, so it is taken only when the user allows it.
 */
function refuseTestRun(ctx: IHookFunctions, botId: number, eventMode: string): NodeOperationError {
	if (eventMode === 'webhook') {
		return new NodeOperationError(
			ctx.getNode(),
			`Test run refused: bot ${botId} is in eventMode "webhook", so it sends its events to a URL — a published workflow's production URL (…/webhook/…) or another handler; Bitrix24 does not show which. A test run would take them away.`,
			{ description: `${TEST_RUN_ALTERNATIVES}. To test with this bot anyway, first deactivate the workflow that uses it (or set the bot to fetch mode).` },
		);
	}
	return new NodeOperationError(
		ctx.getNode(),
		`Test run refused: bot ${botId} is in eventMode "fetch", and a published workflow's Bitrix24 Chatbot Fetch Trigger may be reading its queue (Bitrix24 does not show whether one is). A test run would take its events for the length of the test.`,
		{ description: `${TEST_RUN_ALTERNATIVES}. If no Fetch Trigger reads this bot, switch on Options → Let Test Runs Take the Bot; the bot goes back to fetch mode when the test ends.` },
	);
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
		description: 'Starts the workflow on Bitrix24 chatbot events (API v2: messages, commands, joins, reactions)',
		defaults: { name: 'Bitrix24 Chatbot Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrixCredentials,
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			authenticationProperty('oAuth2'),
			{
				displayName:
					'Activation sets the bot to eventMode "webhook" with this workflow\'s production URL, which Bitrix24 must reach over public HTTPS; deactivation sets it back to "fetch". Each event must carry the secret of the registered URL and the application token (the credential\'s Application Token, else the first event\'s token is pinned). No public URL, or events must not be lost while n8n is down? Use the Bitrix24 Chatbot Fetch Trigger.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			oneTriggerPerBotNotice(
				'"Test this trigger" never takes a bot in webhook mode (it is in use), and takes a bot in fetch mode only when Options → Let Test Runs Take the Bot is on.',
			),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['ONIMBOTV2MESSAGEADD'],
				options: CHATBOT_V2_EVENTS,
				description: 'The bot events that start the workflow; the others are answered and dropped',
			},
			{ ...botV2Field.property, description: 'The chatbot (API v2) whose events start this workflow' },
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
						'Whether "Test this trigger" may take a bot in fetch mode (webhook mode during the test, fetch mode again when it ends). Off: refused, since a Fetch Trigger of a published workflow may be reading the bot\'s queue and Bitrix24 does not show it. A bot in webhook mode is never taken by a test run.',
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
				if (saved.handlerUrl !== handlerUrl || saved.botId !== chosenBotId(this)) return false;
				const portal = await hookPortal(this, 'imbot.v2.Bot.get');
				try {
					return (await botOf(this, portal, saved.botId)).eventMode === 'webhook';
				} catch (error) {
					if (isBitrixError(error, 'BOT_NOT_FOUND')) return false;
					throw hookError(this, error, portal);
				}
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const botId = chosenBotId(this);
				const handlerUrl = this.getNodeWebhookUrl('default') as string;
				const portal = await hookPortal(this, 'imbot.v2.Bot.update');
				const secret = randomString(32);
				const separator = handlerUrl.includes('?') ? '&' : '?';
				const testRun = isTestActivation(this);
				try {
					if (testRun) {
						const eventMode = String((await botOf(this, portal, botId)).eventMode ?? '');
						if (eventMode === 'webhook' || !testRunTakesBot(this)) throw refuseTestRun(this, botId, eventMode);
					}
					await callMethod(this, portal, {
						method: 'imbot.v2.Bot.update',
						params: { botId, fields: { eventMode: 'webhook', webhookUrl: `${handlerUrl}${separator}${SECRET_PARAM}=${secret}` } },
						write: true,
					});
				} catch (error) {
					throw hookError(this, error, portal);
				}
				triggerState(this).v2Webhook = { botId, secretHash: tokenHash(secret), handlerUrl, ...(testRun ? { testRun } : {}) };
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
		const reception = await receiveEvent(this, this.getNodeParameter('events', []) as string[], { trustedSender: true });
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
		if (await forwardChatAnswer(this, item)) return answer(this, 200, { result: 'answer forwarded to a waiting execution' });
		return { workflowData: [this.helpers.returnJsonArray([item])] };
	}
}
