import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { plainText } from './bbCode';

/** Chatbots 2.0 events (§5; b24restdocs chat-bots-v2/imbot.v2/events/*.md), the same in webhook and fetch mode. */
export const CHATBOT_V2_EVENTS: INodePropertyOptions[] = [
	{ name: 'Bot Deleted', value: 'ONIMBOTV2DELETE', description: 'ONIMBOTV2DELETE: the bot was unregistered (webhook mode only: a deleted bot cannot be fetched)' },
	{ name: 'Bot Joined a Chat', value: 'ONIMBOTV2JOINCHAT', description: 'ONIMBOTV2JOINCHAT: the bot was added to a chat or a user opened a dialog with it' },
	{ name: 'Command Received', value: 'ONIMBOTV2COMMANDADD', description: 'ONIMBOTV2COMMANDADD: a user sent one of the bot\'s commands' },
	{ name: 'Context Requested', value: 'ONIMBOTV2CONTEXTGET', description: 'ONIMBOTV2CONTEXTGET: a Bot Context deep link was opened' },
	{ name: 'Message Deleted', value: 'ONIMBOTV2MESSAGEDELETE', description: 'ONIMBOTV2MESSAGEDELETE' },
	{ name: 'Message Edited', value: 'ONIMBOTV2MESSAGEUPDATE', description: 'ONIMBOTV2MESSAGEUPDATE' },
	{ name: 'Message Received', value: 'ONIMBOTV2MESSAGEADD', description: 'ONIMBOTV2MESSAGEADD: a message to the bot' },
	{ name: 'Reaction Changed', value: 'ONIMBOTV2REACTIONCHANGE', description: 'ONIMBOTV2REACTIONCHANGE: a reaction on one of the bot\'s messages was set or removed' },
];

export const CHATBOT_V2_EVENT_NAMES = CHATBOT_V2_EVENTS.map((o) => String(o.value));

/** One v2 event, from imbot.v2.Event.get (`eventId`, `date`) or from a webhook-mode POST (`ts`). */
export interface V2Event {
	type: string;
	data: unknown;
	eventId?: number;
	date?: string;
	ts?: string;
}

function obj(value: unknown): IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
}

/** A number for a plain integer (webhook mode sends every scalar as text), the value itself otherwise. */
function num(value: unknown): number | string | undefined {
	if (typeof value === 'number') return value;
	if (typeof value !== 'string' || value === '') return undefined;
	return /^-?(0|[1-9]\d{0,15})$/.test(value) ? Number(value) : value;
}

function bool(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === '1' || value === 'Y' || value === 'true') return true;
	if (value === 0 || value === '0' || value === 'N' || value === 'false' || value === '') return false;
	return undefined;
}

function str(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	return undefined;
}

function compact(object: IDataObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, value] of Object.entries(object)) if (value !== undefined) out[key] = value;
	return out;
}

/**
 * The workflow item of a v2 event. `botId` and `dialogId` stay top-level (the Chatbot node's "Reply to Trigger Event"
 * reads them); `text` is the message without BB-code beside `message.text`. The bot's auth block (webhook mode) never
 * reaches the item.
 */
export function chatbotV2Item(event: V2Event): IDataObject {
	const data = obj(event.data);
	const bot = obj(data.bot);
	const chat = obj(data.chat);
	const rawMessage = obj(data.message);
	const user = data.user === null || data.user === undefined ? undefined : obj(data.user);
	const commandBlock = data.command === undefined ? undefined : obj(data.command);
	const messageId = num(rawMessage.id ?? data.messageId);
	const bbText = str(rawMessage.text);
	const message =
		messageId === undefined && bbText === undefined
			? undefined
			: compact({
					id: messageId,
					chatId: num(rawMessage.chatId),
					authorId: num(rawMessage.authorId),
					date: str(rawMessage.date),
					text: bbText,
					isSystem: bool(rawMessage.isSystem),
					uuid: str(rawMessage.uuid) || undefined,
					forward: rawMessage.forward === null || rawMessage.forward === '' ? undefined : (rawMessage.forward as IDataObject | undefined),
					params: rawMessage.params as IDataObject | undefined,
				});
	const dialogId = str(data.dialogId) ?? str(chat.dialogId);
	return compact({
		event: event.type,
		eventId: event.eventId,
		date: event.date,
		ts: num(event.ts),
		botId: num(bot.id),
		botCode: str(bot.code),
		dialogId,
		text: bbText === undefined ? undefined : plainText(bbText),
		message,
		command: commandBlock
			? compact({ id: num(commandBlock.id), command: str(commandBlock.command), params: str(commandBlock.params) ?? '', context: str(commandBlock.context) })
			: undefined,
		reaction: data.reaction === undefined ? undefined : compact({ reaction: str(data.reaction), action: str(data.action) }),
		context: data.context === undefined ? undefined : data.context,
		user,
		chat: Object.keys(chat).length ? chat : undefined,
		language: str(data.language),
	});
}
