import type { BitrixFailure } from './failure';

/**
 * Advice for a failure in its situation: the code and what Bitrix24 said about the field (e.g. WRONG_REQUEST
 * "Dialog not found"). Checked before the code's general advice in the error catalog.
 */
const RULES: Array<{ codes: string[]; about?: RegExp; methods?: RegExp; cause?: string; action: string }> = [
	{
		codes: ['WRONG_CHAT', 'OPERATOR_WRONG'],
		methods: /^imopenlines\.bot\.session\./,
		cause: 'The dialog is not with this bot: this chat\'s Open Channel does not use this bot as its welcome bot, or an operator already has the dialog',
		action:
			'Make this bot the line\'s welcome bot with Open Channels → Line → Set Welcome Bot (the bot ID is in the Chatbot Trigger\'s output, botId); the next customer message then starts with the bot. A dialog an operator already has cannot be handed off again.',
	},
	{
		codes: ['WRONG_REQUEST', 'DIALOG_ID_EMPTY', 'ACCESS_ERROR', 'ACCESS_DENIED', 'CHAT_NOT_FOUND'],
		about: /dialog/i,
		action:
			'Use a user ID (e.g. 27) or "chat" plus the ID of a chat the bot is in (e.g. chat15). After a Bitrix24 Chatbot Trigger map {{ $json.dialogId }}, or choose Send To → Reply to Trigger Event.',
	},
	{
		codes: ['WRONG_REQUEST', 'CHAT_ID_EMPTY', 'ACCESS_ERROR', 'ACCESS_DENIED', 'CHAT_NOT_FOUND'],
		about: /\bchat\b/i,
		action: 'Use the ID of a chat the bot is a member of: Chat → Create returns it; after a Bitrix24 Chatbot Trigger map {{ $json.chat.id }}. The bot must not have left the chat.',
	},
	{
		codes: ['BOT_ID_ERROR', 'BOT_NOT_FOUND', 'BOT_ID_REQUIRED'],
		action: 'Pick the bot in the Bot dropdown (it lists the bots this credential owns) or use the ID Bot → Register returned; a bot belongs to the app, client ID or bot token that registered it.',
	},
	{
		codes: ['MESSAGE_ID_ERROR', 'MESSAGE_NOT_FOUND', 'MESSAGE_ID_EMPTY'],
		action: 'Use the ID of a message in a dialog of this bot: Message → Send returns messageId; after a trigger map {{ $json.message.id }}.',
	},
	{
		codes: ['COMMAND_ID_ERROR', 'COMMAND_NOT_FOUND'],
		action: 'Use a command ID of this bot: Command → Register returns commandId (version 2: pick it in the Command dropdown); after a trigger map {{ $json.command.id }}.',
	},
	{
		codes: ['NOT_ACTIVE_LINE', 'IMCONNECTOR_NO_CORRECT_PROVIDER'],
		action: 'Activate the connector on this line first (Connector → Activate), and check Connector → Get Status for the line.',
	},
];

function ruleFor(failure: BitrixFailure) {
	return RULES.find(
		(rule) =>
			rule.codes.includes(failure.code) &&
			(!rule.about || rule.about.test(failure.description)) &&
			(!rule.methods || rule.methods.test(failure.method)),
	);
}

export function situationalAction(failure: BitrixFailure): string | undefined {
	return ruleFor(failure)?.action;
}

/** The cause in the user's words, when the situation says more than Bitrix24's text (led with in the message). */
export function situationalCause(failure: BitrixFailure): string | undefined {
	return ruleFor(failure)?.cause;
}
