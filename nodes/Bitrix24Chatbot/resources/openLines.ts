import type { FieldSpec, ResourceSpec } from '../../Bitrix24/operations';
import { encoders, FieldError } from '../../Bitrix24/operations';
import type { BotClientIdSource } from '../../Bitrix24OpenChannels/resources/openLinesFields';
import { BOT_CLIENT_ID_LABEL, chatIdField, mustBeTrue, transferTarget, transferTargetField, withBotClientId } from '../../Bitrix24OpenChannels/resources/openLinesFields';
import { messageTextProperty } from '../../Bitrix24/fields/messageText';

/**
 * The bot in an Open Channel dialog — the hand-off (bitrix24-api.md §3.2): imopenlines.bot.session.*. For bots of
 * type Open Channels that a line uses as its welcome bot; the app's (or CLIENT_ID's) bot is the one acting.
 */

const chatId = chatIdField('The Open Channel chat the bot is in (CHAT_ID), e.g. from the bot trigger\'s message event.');

const autoMessageField: FieldSpec = {
	property: {
		displayName: 'Message',
		name: 'autoMessage',
		type: 'options',
		options: [
			{ name: 'Custom Text', value: 'DEFAULT', description: 'Send the text below (NAME=DEFAULT)' },
			{ name: 'Line Welcome Message', value: 'WELCOME', description: 'Send the greeting from the line settings (NAME=WELCOME)' },
		],
		default: 'DEFAULT',
	},
	param: 'NAME',
	cases: {
		DEFAULT: [
			{
				property: { ...messageTextProperty('The message (MESSAGE); BB-codes work'), required: true },
				param: 'MESSAGE',
				encode: encoders.trimmed,
			},
		],
		WELCOME: [],
	},
	combine: (choice) => choice,
};

/**
 * The resource for a node version: v1 bots (imbot.*) send the credential's "Chatbot Client ID" as CLIENT_ID under a
 * webhook, v2 bots (imbot.v2.*) its "Bot Token".
 */
export function openLinesResourceFor(source: BotClientIdSource): ResourceSpec {
	const webhookPart = source === 'chatbotClientId' ? ` Under a webhook, fill in "${BOT_CLIENT_ID_LABEL[source]}" in the credential.` : '';
	const NOTICE = `The chat's Open Channel must use this bot as its welcome bot: set it once with Open Channels → Line → Set Welcome Bot.${webhookPart}`;
	return {
		value: 'lineSession',
		name: 'Open Line Session',
		description: 'The bot in an Open Channel dialog: automatic message, hand-off to an operator, transfer, finish',
		operations: [
			{
				value: 'sendAutoMessage',
				name: 'Send Automatic Message',
				action: 'Send an automatic message in an open line dialog',
				description: 'Send an automatic message of the bot into the Open Channel dialog: custom text or the line greeting (imopenlines.bot.session.message.send)',
				method: 'imopenlines.bot.session.message.send',
				notice: NOTICE,
				fields: [chatId, autoMessageField],
				output: (result, params) => {
					mustBeTrue('imopenlines.bot.session.message.send', `Chat ${String(params.CHAT_ID)}: the message was not sent`)(result);
					return { chatId: params.CHAT_ID as number, message: params.NAME === 'WELCOME' ? 'welcome' : 'custom', sent: true };
				},
			},
			{
				value: 'handOff',
				name: 'Hand Off to Operator',
				action: 'Hand a dialog from the bot to a free operator',
				description: "The bot in the chat (the line's welcome bot) passes the dialog to the next free operator of the line queue (imopenlines.bot.session.operator)",
				method: 'imopenlines.bot.session.operator',
				notice: NOTICE,
				fields: [chatId],
				output: (result, params) => {
					mustBeTrue('imopenlines.bot.session.operator', `Chat ${String(params.CHAT_ID)} was not handed off`, 'WRONG_CHAT')(result);
					return { chatId: params.CHAT_ID as number, handedOff: true };
				},
			},
			{
				value: 'transfer',
				name: 'Transfer',
				action: 'Transfer a dialog from the bot to an operator or line',
				description: 'Transfer the dialog from the bot to a given operator or to the queue of a line (imopenlines.bot.session.transfer)',
				method: 'imopenlines.bot.session.transfer',
				notice: NOTICE,
				fields: [
					chatId,
					transferTargetField,
					{
						property: {
							displayName: 'Bot Leaves at Once',
							name: 'leave',
							type: 'boolean',
							default: false,
							description: 'Whether the bot leaves the chat at once (LEAVE=Y) or stays until the operator takes the dialog (LEAVE=N)',
						},
						param: 'LEAVE',
						encode: encoders.yesNo,
					},
				],
				build: (params, item) => {
					if (params.USER_ID === undefined && params.QUEUE_ID === undefined) throw new FieldError('Choose whom to transfer to');
					return withBotClientId('imopenlines.bot.session.transfer', source)(params, item);
				},
				output: (result, params) => {
					mustBeTrue('imopenlines.bot.session.transfer', `Chat ${String(params.CHAT_ID)} was not transferred`)(result);
					return { chatId: params.CHAT_ID as number, ...transferTarget(params), botLeft: params.LEAVE === 'Y', success: true };
				},
			},
			{
				value: 'finish',
				name: 'Finish',
				action: 'Finish an open line dialog as the bot',
				description: 'End the Open Channel dialog as the bot (imopenlines.bot.session.finish)',
				method: 'imopenlines.bot.session.finish',
				notice: NOTICE,
				fields: [chatId],
				build: withBotClientId('imopenlines.bot.session.finish', source),
				output: (result, params) => {
					mustBeTrue('imopenlines.bot.session.finish', `Chat ${String(params.CHAT_ID)}: the dialog was not finished`)(result);
					return { chatId: params.CHAT_ID as number, finished: true };
				},
			},
		],
	};
}

/** Version 1 (imbot v1 bots). */
export const openLinesResource = openLinesResourceFor('chatbotClientId');

/** Version 2 (imbot.v2 bots: CLIENT_ID is the bot's botToken). */
export const openLinesV2Resource = openLinesResourceFor('botToken');
