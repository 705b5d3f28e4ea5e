import type { MessageKeys } from '../fields/richContent';
import { V1_KEYS } from '../fields/richContent';
import { V2_KEYS } from '../v2/fields/common';

/** What differs between imbot v1 and imbot.v2 for Send and Wait: the methods and where each value goes. */
export interface ChatApi {
	version: 1 | 2;
	send: string;
	update: string;
	keys: MessageKeys;
	/** Params of the call that sets a message's text and removes its keyboard. */
	updateParams: (botId: number | undefined, messageId: number, text: string) => Record<string, unknown>;
	/** Params of a plain text message from the bot to a dialog. */
	sendParams: (botId: number | undefined, dialogId: string, text: string) => Record<string, unknown>;
	/** Params of the call that replaces a message's keyboard (text unchanged). */
	keyboardParams: (botId: number | undefined, messageId: number, keyboard: unknown) => Record<string, unknown>;
	/** The message ID in the send method's result. */
	messageIdOf: (result: unknown) => number | undefined;
}

export const asId = (value: unknown): number | undefined => {
	const n = Number(value);
	return Number.isInteger(n) && n > 0 ? n : undefined;
};

export const CHAT_API_V1: ChatApi = {
	version: 1,
	send: 'imbot.message.add',
	update: 'imbot.message.update',
	keys: V1_KEYS,
	updateParams: (botId, messageId, text) => ({ ...(botId ? { BOT_ID: botId } : {}), MESSAGE_ID: messageId, MESSAGE: text, KEYBOARD: 'N' }),
	sendParams: (botId, dialogId, text) => ({ ...(botId ? { BOT_ID: botId } : {}), DIALOG_ID: dialogId, MESSAGE: text }),
	keyboardParams: (botId, messageId, keyboard) => ({ ...(botId ? { BOT_ID: botId } : {}), MESSAGE_ID: messageId, KEYBOARD: keyboard }),
	messageIdOf: (result) => asId(result),
};

export const CHAT_API_V2: ChatApi = {
	version: 2,
	send: 'imbot.v2.Chat.Message.send',
	update: 'imbot.v2.Chat.Message.update',
	keys: V2_KEYS,
	updateParams: (botId, messageId, text) => ({ botId, messageId, fields: { message: text, keyboard: 'N' } }),
	sendParams: (botId, dialogId, text) => ({ botId, dialogId, fields: { message: text } }),
	keyboardParams: (botId, messageId, keyboard) => ({ botId, messageId, fields: { keyboard } }),
	messageIdOf: (result) => asId((result as { id?: unknown } | null)?.id ?? result),
};
