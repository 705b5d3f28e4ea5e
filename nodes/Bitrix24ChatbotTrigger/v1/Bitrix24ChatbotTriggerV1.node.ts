import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import {
	answer,
	answerRepeat,
	CHATBOT_EVENTS,
	chatbotFilterReason,
	chatbotItem,
	claimNewDeliveries,
	eventsSubtitle,
	forgetPin,
	hookError,
	hookPortal,
	idList,
	isBitrixError,
	isTestActivation,
	listBots,
	pointBotHandlers,
	pointCommandHandlers,
	receiveEvent,
	startRun,
	refuseWithoutApplicationToken,
	registerBot,
	REQUIRED_HANDLER_FIELDS,
	testRunOption,
	testRunTakesBot,
	triggerState,
} from '../../Bitrix24/events';
import { forwardChatAnswer } from '../../Bitrix24/events/sendAndWaitAnswer';
import { authenticationProperty, bitrixCredentials } from '../../Bitrix24/fields/authentication';
import { shortNotice } from '../../Bitrix24/fields/notice';
import { BOT_TYPE_OPTIONS, botField } from '../../Bitrix24/fields/bots';
import { searchBots } from '../../Bitrix24/lookups/bots';
import { afterTestUrl, chosenCommandIds, chosenHandlerFields, refuseTestRun, restoreUrlOf, sameHandlers } from '../botSetup';

export class Bitrix24ChatbotV1Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Chatbot Trigger',
		name: 'bitrix24ChatbotTrigger',
		icon: { light: 'file:bitrix24ChatbotTrigger.svg', dark: 'file:bitrix24ChatbotTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: eventsSubtitle(CHATBOT_EVENTS),
		description: 'Starts the workflow when someone writes to a Bitrix24 chatbot of the older API (v1); n8n needs a public address',
		defaults: { name: 'Bitrix24 Chatbot Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrixCredentials,
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			authenticationProperty('oAuth2'),
			shortNotice('notice', 'For bots of the older chatbot API (v1); Bitrix24 must reach n8n at a public address. One active trigger per bot.', 'chatbot-v2.md#which-trigger'),
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['ONIMBOTMESSAGEADD'],
				options: CHATBOT_EVENTS,
				description: 'The bot events to receive',
			},
			{
				displayName: 'Bot Source',
				name: 'botSource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Existing Bot', value: 'existing', description: 'Pick a bot registered by this application or client ID' },
					{ name: 'Bot Code', value: 'code', description: 'Find the bot by its code; register it on activation if it does not exist' },
				],
				default: 'existing',
			},
			{
				...botField({ required: true, description: 'The bot whose events start this workflow' }).property,
				displayOptions: { show: { botSource: ['existing'] } },
			},
			{
				displayName: 'Bot Code',
				name: 'botCode',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. n8n_helper_bot',
				description: 'The bot\'s CODE (unique on the portal)',
				displayOptions: { show: { botSource: ['code'] } },
			},
			{
				displayName: 'Bot Name',
				name: 'botName',
				type: 'string',
				required: true,
				default: '',
				placeholder: 'e.g. Helper',
				description: 'The name given to the bot if it has to be registered',
				displayOptions: { show: { botSource: ['code'] } },
			},
			{
				displayName: 'Bot Type',
				name: 'botType',
				type: 'options',
				options: BOT_TYPE_OPTIONS,
				default: 'B',
				description: 'The TYPE given to the bot if it has to be registered',
				displayOptions: { show: { botSource: ['code'] } },
			},
			{
				displayName: 'Command IDs',
				name: 'commandIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 12, 13',
				description:
					'The commands (COMMAND_ID, as returned by Register Command) whose EVENT_COMMAND_ADD is pointed at this trigger, comma-separated',
				displayOptions: { show: { events: ['ONIMCOMMANDADD'] } },
			},
			{
				displayName: 'Ignore Own Messages',
				name: 'ignoreOwnMessages',
				type: 'boolean',
				default: true,
				description: 'Whether to drop messages written by the bot itself, so a workflow that answers cannot loop',
			},
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
						description: 'Only events from these dialogs (DIALOG_ID: a user ID for a private chat, chatN for a group), comma-separated',
					},
					{
						displayName: 'Handler URL After Deactivation',
						name: 'restoreUrl',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/bitrix-bot-handler',
						description:
							'Where to point the bot\'s and commands\' handlers when the workflow is deactivated. Empty: the handlers are cleared.',
					},
					{
						displayName: 'Ignore Messages From Bots',
						name: 'ignoreBots',
						type: 'boolean',
						default: true,
						description: 'Whether to drop messages whose author is a bot (data[USER][IS_BOT])',
					},
					testRunOption(
						'Whether "Test this trigger" may point this bot\'s handlers at the test URL. Bitrix24 cannot show where they point now, so when off a test run of an existing bot is refused: it could silence a published workflow that answers with this bot. When on, the test run takes the bot\'s events and, when it ends, points the handlers at this workflow\'s production URL — right when this workflow is the published one; another workflow using the bot stops getting events until it is activated again.',
					),
					{
						displayName: 'User IDs',
						name: 'userIds',
						type: 'string',
						default: '',
						placeholder: 'e.g. 1, 27',
						description: 'Only events caused by these users, comma-separated',
					},
				],
			},
		],
	};

	methods = {
		listSearch: { searchBots },
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const saved = triggerState(this).botHandlers;
				if (!saved) return false;
				const portal = await hookPortal(this, 'imbot.bot.list');
				const handlerUrl = this.getNodeWebhookUrl('default') as string;
				const wanted = { handlerUrl, fields: chosenHandlerFields(this), commandIds: chosenCommandIds(this) };
				try {
					const bots = await listBots(this, portal);
					const bot = bots.find((b) => b.botId === saved.botId);
					if (!bot) return false;
					const source = this.getNodeParameter('botSource', 'existing') as string;
					const sameBot =
						source === 'code'
							? bot.code === String(this.getNodeParameter('botCode', '')).trim()
							: String(this.getNodeParameter('botId', '', { extractValue: true })) === String(saved.botId);
					return sameBot && sameHandlers(saved, wanted);
				} catch (error) {
					throw hookError(this, error, portal);
				}
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const portal = await hookPortal(this, 'imbot.update');
				refuseWithoutApplicationToken(this, portal);
				const handlerUrl = this.getNodeWebhookUrl('default') as string;
				const fields = chosenHandlerFields(this);
				const commandIds = chosenCommandIds(this);
				const source = this.getNodeParameter('botSource', 'existing') as string;
				const testRun = isTestActivation(this);
				const mayTakeBot = !testRun || testRunTakesBot(this);
				let botId: number;
				let botCode: string | undefined;
				let registered = false;
				try {
					const bots = await listBots(this, portal);
					if (source === 'code') {
						botCode = String(this.getNodeParameter('botCode', '')).trim();
						if (!botCode) throw new NodeOperationError(this.getNode(), 'Bot Code is empty: enter the CODE of the bot to use or register.');
						const found = bots.find((b) => b.code === botCode);
						if (found) {
							botId = found.botId;
							if (!mayTakeBot) throw refuseTestRun(this, botId);
						} else {
							const name = String(this.getNodeParameter('botName', '')).trim();
							if (!name) throw new NodeOperationError(this.getNode(), `No bot with code "${botCode}" exists and Bot Name is empty: enter a name to register it.`);
							botId = await registerBot(this, portal, { code: botCode, name, type: this.getNodeParameter('botType', 'B') as string, handlerUrl });
							registered = true;
						}
					} else {
						botId = Number(this.getNodeParameter('botId', '', { extractValue: true }));
						if (!Number.isInteger(botId) || botId <= 0) throw new NodeOperationError(this.getNode(), 'Bot must be a bot ID (a whole number above 0).');
						if (!bots.some((b) => b.botId === botId)) {
							throw new NodeOperationError(this.getNode(), `Bot ${botId} is not among the bots of this credential (imbot.bot.list).`);
						}
						if (!mayTakeBot) throw refuseTestRun(this, botId);
					}
					await pointBotHandlers(this, portal, botId, fields, handlerUrl);
					await pointCommandHandlers(this, portal, commandIds, handlerUrl);
				} catch (error) {
					throw hookError(this, error, portal);
				}
				const setFields = registered ? [...new Set([...REQUIRED_HANDLER_FIELDS, ...fields])] : fields;
				triggerState(this).botHandlers = { botId, botCode, registered, handlerUrl, fields: setFields, commandIds, ...(testRun ? { testRun } : {}) };
				if (!testRun) forgetPin(this);
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				const state = triggerState(this);
				const saved = state.botHandlers;
				if (saved) {
					const portal = await hookPortal(this, 'imbot.update');
					const restoreUrl = saved.testRun ? afterTestUrl(this, saved.handlerUrl) : restoreUrlOf(this);
					try {
						await pointBotHandlers(this, portal, saved.botId, saved.fields, restoreUrl);
					} catch (error) {
						if (!isBitrixError(error, 'BOT_ID_ERROR')) throw hookError(this, error, portal);
						this.logger.info(`Bitrix24 Chatbot Trigger: bot ${saved.botId} no longer exists; nothing to detach.`);
					}
					for (const commandId of saved.commandIds) {
						try {
							await pointCommandHandlers(this, portal, [commandId], restoreUrl);
						} catch (error) {
							if (!isBitrixError(error, 'COMMAND_ID_ERROR')) throw hookError(this, error, portal);
							this.logger.info(`Bitrix24 Chatbot Trigger: command ${commandId} no longer exists; nothing to detach.`);
						}
					}
				}
				delete state.botHandlers;
				if (!saved?.testRun) forgetPin(this);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const reception = await receiveEvent(this, this.getNodeParameter('events', []) as string[]);
		if (reception.kind === 'answered') return reception.response;
		const { received } = reception;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const reason = chatbotFilterReason(received, {
			ignoreOwnMessages: this.getNodeParameter('ignoreOwnMessages', true) as boolean,
			ignoreBots: options.ignoreBots === true,
			dialogIds: idList(options.dialogIds),
			userIds: idList(options.userIds),
		});
		if (reason) return answer(this, 200, { result: 'ignored', reason: `Filtered out: ${reason}.` });
		if (claimNewDeliveries(this, received, [chatbotItem(received)]).length === 0) return answerRepeat(this, received.event);
		const item = chatbotItem(received);
		const sent = await forwardChatAnswer(this, item);
		if (sent) return answer(this, 200, { result: sent.forwarded ? 'answer forwarded to a waiting execution' : `answer dropped: ${sent.why}` });
		return startRun(this, [item]);
	}
}

