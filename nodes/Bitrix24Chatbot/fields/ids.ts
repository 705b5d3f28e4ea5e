import type { INodeProperties } from 'n8n-workflow';

import { encoders, FieldError, validators } from '../../Bitrix24/operations';
import type { Encoder, FieldSpec } from '../../Bitrix24/operations';

/** Dialog, chat, user, message and command identifiers of the chatbot API (bitrix24-api.md §4). */

/** `27` (a user: 1:1 dialog) or `chat15` (a group chat). */
export function checkDialogId(value: unknown, label?: string): string {
	const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (/^[1-9]\d*$/.test(text)) return text;
	const chat = /^chat([1-9]\d*)$/i.exec(text);
	if (chat) return `chat${chat[1]}`;
	throw validators.invalid(
		label,
		`must be a user ID (e.g. 27) or "chat" followed by a chat ID (e.g. chat15) (got ${validators.describeValue(value)})`,
	);
}

export const dialogIdEncoder: Encoder = (value) => checkDialogId(value);

/** A chat ID as a number; `chat15` is accepted and sent as 15. */
export const chatIdEncoder: Encoder = (value) => {
	const text = (typeof value === 'string' || typeof value === 'number' ? String(value) : '').trim().replace(/^chat/i, '');
	if (!/^[1-9]\d*$/.test(text)) {
		throw new FieldError(`must be a chat ID, a positive whole number such as 15 (or chat15) (got ${validators.describeValue(value)})`);
	}
	return Number(text);
};

/** Command names: Latin letters and digits only (imbot.command.register). A leading slash is dropped. */
export function checkCommandName(value: unknown, label?: string): string {
	const text = (typeof value === 'string' ? value : '').trim().replace(/^\//, '');
	if (!/^[A-Za-z0-9]+$/.test(text)) {
		throw validators.invalid(label, `must contain only Latin letters and digits, no spaces or other characters (got ${validators.describeValue(value)})`);
	}
	return text;
}

export const commandNameEncoder: Encoder = (value) => checkCommandName(value);

export function dialogIdField(options: { required?: boolean; description?: string; param?: string } = {}): FieldSpec {
	return {
		property: {
			displayName: 'Dialog ID',
			name: 'dialogId',
			type: 'string',
			default: '',
			required: options.required ?? true,
			placeholder: 'e.g. chat15 or 27',
			hint: 'After a Bitrix24 Chatbot Trigger: {{ $json.dialogId }}',
			description:
				options.description ?? 'A user ID for a one-to-one dialog with the bot (e.g. 27), or "chat" plus the chat ID for a group chat (e.g. chat15).',
		},
		param: options.param ?? 'DIALOG_ID',
		encode: dialogIdEncoder,
	};
}

export function chatIdField(description = 'The group chat (CHAT_ID), e.g. 15. "chat15" is accepted too.'): FieldSpec {
	return {
		property: { displayName: 'Chat ID', name: 'chatId', type: 'string', default: '', required: true, placeholder: 'e.g. 15', description },
		param: 'CHAT_ID',
		encode: chatIdEncoder,
	};
}

/** A positive whole-number ID field (user, message, command) writing `param`. */
function idField(property: Omit<INodeProperties, 'type' | 'default'>, param: string): FieldSpec {
	return { property: { ...property, type: 'string', default: '' }, param, encode: encoders.positiveInteger };
}

export function userIdField(description: string, param = 'USER_ID'): FieldSpec {
	return idField({ displayName: 'User ID', name: 'userId', required: true, placeholder: 'e.g. 27', description }, param);
}

export function userIdsField(options: { required: boolean; description: string; param?: string }): FieldSpec {
	return {
		property: {
			displayName: 'User IDs',
			name: 'userIds',
			type: 'string',
			default: '',
			required: options.required,
			placeholder: 'e.g. 2, 3, 5',
			description: options.description,
		},
		param: options.param ?? 'USERS',
		encode: encoders.integerList,
		structured: true,
	};
}

export function messageIdField(description = 'The ID of the message.', hint?: string, param = 'MESSAGE_ID'): FieldSpec {
	return idField({ displayName: 'Message ID', name: 'messageId', required: true, placeholder: 'e.g. 1234', description, hint }, param);
}

export const commandIdField: FieldSpec = idField(
	{
		displayName: 'Command ID',
		name: 'commandId',
		required: true,
		placeholder: 'e.g. 12',
		description: 'COMMAND_ID, as returned by Register',
		hint: 'After a Bitrix24 Chatbot Trigger command event: {{ $json.command.id }}',
	},
	'COMMAND_ID',
);

export const commandNameProperty: INodeProperties = {
	displayName: 'Command',
	name: 'command',
	type: 'string',
	default: '',
	placeholder: 'e.g. help',
	description: 'The command users type after "/" (COMMAND): Latin letters and digits only',
};
