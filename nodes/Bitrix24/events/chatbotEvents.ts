import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import type { FormObject, FormValue } from './phpForm';
import type { ReceivedEvent } from './receive';
import { compact, flagAt, idAt, isFormObject, objectAt, textAt } from './values';
import { plainText } from './bbCode';

/** imbot v1 events (§4.6). Sorted by name for the UI. */
export const CHATBOT_EVENTS: INodePropertyOptions[] = [
	{ name: 'Bot Added to Chat', value: 'ONIMBOTJOINCHAT', description: 'ONIMBOTJOINCHAT: the bot joined a chat or a private chat was opened' },
	{ name: 'Bot Deleted', value: 'ONIMBOTDELETE', description: 'ONIMBOTDELETE' },
	{ name: 'Command Run', value: 'ONIMCOMMANDADD', description: 'ONIMCOMMANDADD: a user ran one of the chosen commands' },
	{ name: 'Message Deleted', value: 'ONIMBOTMESSAGEDELETE', description: 'ONIMBOTMESSAGEDELETE' },
	{ name: 'Message Edited', value: 'ONIMBOTMESSAGEUPDATE', description: 'ONIMBOTMESSAGEUPDATE' },
	{ name: 'Message Received', value: 'ONIMBOTMESSAGEADD', description: 'ONIMBOTMESSAGEADD: a message to the bot' },
];

export const CHATBOT_EVENT_NAMES = CHATBOT_EVENTS.map((o) => String(o.value));

/** The bot's handler field (imbot.register / imbot.update FIELDS, §4.1) that receives each bot event. */
export const BOT_HANDLER_FIELD: Record<string, string> = {
	ONIMBOTMESSAGEADD: 'EVENT_MESSAGE_ADD',
	ONIMBOTMESSAGEUPDATE: 'EVENT_MESSAGE_UPDATE',
	ONIMBOTMESSAGEDELETE: 'EVENT_MESSAGE_DELETE',
	ONIMBOTJOINCHAT: 'EVENT_WELCOME_MESSAGE',
	ONIMBOTDELETE: 'EVENT_BOT_DELETE',
};

/**
 * The handler fields imbot.register requires (§4.1: EVENT_MESSAGE_ADD, EVENT_WELCOME_MESSAGE, EVENT_BOT_DELETE, each
 * covered by EVENT_HANDLER). The one definition: the trigger's registration and the Chatbot node's check use it.
 */
export const REQUIRED_HANDLER_FIELDS: readonly string[] = Object.freeze(['EVENT_MESSAGE_ADD', 'EVENT_WELCOME_MESSAGE', 'EVENT_BOT_DELETE']);

const MESSAGE_EVENTS = new Set(['ONIMBOTMESSAGEADD', 'ONIMBOTMESSAGEUPDATE', 'ONIMBOTMESSAGEDELETE', 'ONIMCOMMANDADD']);

function firstBlock(value: FormValue | undefined): { key?: string; block: FormObject } {
	if (!isFormObject(value)) return { block: {} };
	const key = Object.keys(value)[0];
	return key === undefined ? { block: {} } : { key, block: objectAt(value[key]) };
}

/** The message without BB-code, beside `text` (undefined when there is no text). */
function plainTextAt(value: FormValue | undefined): string | undefined {
	const text = textAt(value);
	return text === undefined ? undefined : plainText(text);
}

/** The bot the event is for: data[BOT][id], the command's BOT_ID, data[PARAMS][BOT_ID] (join) or data[BOT_ID] (delete). */
export function botOf(received: ReceivedEvent): { id?: number | string; code?: string } {
	const data = objectAt(received.data);
	const bot = firstBlock(data.BOT);
	const command = firstBlock(data.COMMAND).block;
	const params = objectAt(data.PARAMS);
	const id = idAt(bot.block.BOT_ID) ?? idAt(bot.key) ?? idAt(command.BOT_ID) ?? idAt(params.BOT_ID) ?? idAt(data.BOT_ID);
	const code = textAt(bot.block.BOT_CODE) ?? textAt(command.BOT_CODE) ?? textAt(data.BOT_CODE);
	return { id, code };
}

function userOf(data: FormObject): IDataObject | undefined {
	if (!isFormObject(data.USER)) return undefined;
	const u = data.USER;
	return compact({
		id: idAt(u.ID),
		name: textAt(u.NAME),
		firstName: textAt(u.FIRST_NAME),
		lastName: textAt(u.LAST_NAME),
		workPosition: textAt(u.WORK_POSITION),
		gender: textAt(u.GENDER),
		isBot: flagAt(u.IS_BOT),
		isConnector: flagAt(u.IS_CONNECTOR),
		isNetwork: flagAt(u.IS_NETWORK),
		isExtranet: flagAt(u.IS_EXTRANET),
	});
}

function chatOf(params: FormObject): IDataObject | undefined {
	const chat = compact({
		id: idAt(params.CHAT_ID) ?? idAt(params.TO_CHAT_ID),
		type: textAt(params.CHAT_TYPE),
		title: textAt(params.CHAT_TITLE),
		authorId: idAt(params.CHAT_AUTHOR_ID),
		entityType: textAt(params.CHAT_ENTITY_TYPE) || undefined,
		entityId: textAt(params.CHAT_ENTITY_ID) || undefined,
		userCount: idAt(params.CHAT_USER_COUNT),
	});
	return Object.keys(chat).length ? chat : undefined;
}

function commandOf(data: FormObject): IDataObject | undefined {
	const { block } = firstBlock(data.COMMAND);
	if (!Object.keys(block).length) return undefined;
	return compact({
		id: idAt(block.COMMAND_ID),
		name: textAt(block.COMMAND),
		params: textAt(block.COMMAND_PARAMS),
		context: textAt(block.COMMAND_CONTEXT),
		messageId: idAt(block.MESSAGE_ID),
	});
}

/**
 * One workflow item for a chatbot event: event, bot, message, dialog, user, chat, command and the raw PARAMS. The token
 * blocks (`auth`, data[BOT][id], data[COMMAND][id]) are never copied: only their BOT_ID/BOT_CODE/COMMAND* keys are read.
 */
export function chatbotItem(received: ReceivedEvent): IDataObject {
	const data = objectAt(received.data);
	const params = objectAt(data.PARAMS);
	const bot = botOf(received);
	const isMessage = MESSAGE_EVENTS.has(received.event);
	const message = isMessage
		? compact({
				id: idAt(params.MESSAGE_ID) ?? idAt(params.ID),
				text: textAt(params.MESSAGE),
				plainText: plainTextAt(params.MESSAGE),
				originalText: textAt(params.MESSAGE_ORIGINAL),
				type: textAt(params.MESSAGE_TYPE),
				authorId: idAt(params.AUTHOR_ID) ?? idAt(params.FROM_USER_ID),
				system: flagAt(params.SYSTEM),
			})
		: undefined;
	return compact({
		event: received.event,
		botId: bot.id,
		botCode: bot.code,
		dialogId: textAt(params.DIALOG_ID),
		message,
		user: userOf(data),
		chat: chatOf(params),
		command: commandOf(data),
		language: textAt(params.LANGUAGE),
		params: Object.keys(params).length ? (params as IDataObject) : undefined,
		domain: received.domain,
		ts: idAt(received.ts),
	});
}

export interface ChatbotFilters {
	ignoreOwnMessages: boolean;
	ignoreBots: boolean;
	dialogIds: string[];
	userIds: string[];
}

/** Why the event is dropped by the trigger's options, or undefined when it passes. */
export function chatbotFilterReason(received: ReceivedEvent, filters: ChatbotFilters): string | undefined {
	const data = objectAt(received.data);
	const params = objectAt(data.PARAMS);
	const user = objectAt(data.USER);
	const botId = botOf(received).id;
	if (MESSAGE_EVENTS.has(received.event)) {
		const author = textAt(params.FROM_USER_ID) ?? textAt(params.AUTHOR_ID) ?? textAt(user.ID);
		if (filters.ignoreOwnMessages && botId !== undefined && author !== undefined && author === String(botId)) return 'the bot\'s own message';
		if (filters.ignoreBots && flagAt(user.IS_BOT)) return 'a message from a bot';
	}
	const dialogId = textAt(params.DIALOG_ID);
	if (filters.dialogIds.length && dialogId !== undefined && !filters.dialogIds.includes(dialogId)) return `dialog ${dialogId} is not in the list`;
	const userId = textAt(user.ID) ?? textAt(params.FROM_USER_ID) ?? textAt(params.USER_ID);
	if (filters.userIds.length && userId !== undefined && !filters.userIds.includes(userId)) return `user ${userId} is not in the list`;
	return undefined;
}
