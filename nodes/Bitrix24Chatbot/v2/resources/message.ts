import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { encoders, FieldError } from '../../../Bitrix24/operations';
import type { Encoder, FieldSpec, ResourceSpec } from '../../../Bitrix24/operations';
import { attachmentField } from '../../fields/attachment';
import { keyboardField } from '../../fields/keyboard';
import { finishMessage, finishRichContent } from '../../fields/richContent';
import { sendToField } from '../../fields/sendTo';
import { botV2Field, dialogIdV2, messageIdV2, V2_KEYS, V2_MESSAGE_MAX_CHARS } from '../fields/common';
import { checkRegisteredCommands } from '../fields/registeredCommands';
import { REACTIONS } from './reactions';
import { messageTextProperty } from '../../../Bitrix24/fields/messageText';
import { CHAT_API_V2, sendAndWaitOperation } from '../../sendAndWait';

/** Messages: imbot.v2.Chat.Message.* and its reactions (bitrix24-api.md §5, §6). */

/** The text, checked against v2's 20,000-character limit (longer text would be cut by Bitrix24). */
const textV2: FieldSpec = {
	property: messageTextProperty(
		'The message (fields.message, at most 20,000 characters). BB-codes such as [b]bold[/b] and [br] work; Markdown does not.',
	),
	param: 'fields.message',
	maxLength: { chars: V2_MESSAGE_MAX_CHARS, documented: true },
	encode: encoders.trimmed,
};

const urlPreview: FieldSpec = {
	property: { displayName: 'URL Preview', name: 'urlPreview', type: 'boolean', default: true, description: 'Whether links become rich preview cards' },
	param: 'fields.urlPreview',
};

const sendOptions: FieldSpec = {
	property: { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {} },
	children: [
		{ property: { displayName: 'System Message', name: 'system', type: 'boolean', default: false, description: 'Whether the message is shown as a system message' }, param: 'fields.system' },
		urlPreview,
		{
			property: { displayName: 'Reply to Message ID', name: 'replyId', type: 'string', default: '', description: 'The message this one answers (shown as a quote)' },
			param: 'fields.replyId',
			encode: encoders.positiveInteger,
		},
	],
};

const reactionField: FieldSpec = {
	property: { displayName: 'Reaction', name: 'reaction', type: 'options', options: REACTIONS as INodePropertyOptions[], default: 'like', required: true },
	param: 'reaction',
};

const messageOut = (params: IDataObject, extra: IDataObject): IDataObject => ({ messageId: params.messageId as number, ...extra });

export const messageV2Resource: ResourceSpec = {
	value: 'message',
	name: 'Message',
	description: 'Send, edit, delete, read and react to messages as the bot',
	operations: [
		{
			value: 'send',
			name: 'Send',
			action: 'Send a message',
			description: 'Send a message as the bot, with keyboard and attachment (imbot.v2.Chat.Message.send)',
			method: 'imbot.v2.Chat.Message.send',
			fields: [botV2Field, sendToField({ dialog: 'dialogId', bot: 'botId' }), textV2, keyboardField('send', 'fields.keyboard'), attachmentField('send', 'fields.attach'), sendOptions],
			build: async (params, item) => await checkRegisteredCommands(finishMessage(params, V2_KEYS), item),
			output: (result, params) => ({ messageId: ((result as IDataObject)?.id ?? result) as number, botId: params.botId as number, dialogId: params.dialogId as string }),
		},
		{
			value: 'update',
			name: 'Update',
			action: 'Update a message',
			description: 'Edit a message of the bot: text, keyboard, attachment (imbot.v2.Chat.Message.update)',
			method: 'imbot.v2.Chat.Message.update',
			fields: [
				botV2Field,
				messageIdV2('The ID of the bot\'s message to edit.'),
				{ ...textV2, property: { ...textV2.property, description: 'The new text; empty keeps the current text' } },
				keyboardField('update', 'fields.keyboard'),
				attachmentField('update', 'fields.attach'),
				{ property: { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {} }, children: [urlPreview] },
			],
			build: async (params, item) => {
				if (!params.fields || Object.keys(params.fields as IDataObject).length === 0) {
					throw new FieldError('Nothing to update: change the text, keyboard, attachment or URL preview');
				}
				return await checkRegisteredCommands(finishRichContent(params, { keys: V2_KEYS }), item);
			},
			output: (_result, params) => messageOut(params, { updated: true }),
		},
		{
			value: 'delete',
			name: 'Delete',
			action: 'Delete a message',
			description: 'Delete a message of the bot (imbot.v2.Chat.Message.delete)',
			method: 'imbot.v2.Chat.Message.delete',
			fields: [
				botV2Field,
				messageIdV2('The ID of the bot\'s message to delete.'),
				{
					property: { displayName: 'Complete', name: 'complete', type: 'boolean', default: false, description: 'Whether to delete without a trace; otherwise a "message deleted" note stays' },
					param: 'complete',
				},
			],
			output: (_result, params) => messageOut(params, { deleted: true, complete: params.complete === true }),
		},
		{
			value: 'markRead',
			name: 'Mark Read',
			action: 'Mark messages as read',
			description: 'Mark a dialog read up to and including a message, or all of it (imbot.v2.Chat.Message.read)',
			method: 'imbot.v2.Chat.Message.read',
			fields: [
				botV2Field,
				dialogIdV2,
				{
					property: { displayName: 'Up to Message ID', name: 'messageId', type: 'string', default: '', description: 'Read up to and including this message; empty reads everything' },
					param: 'messageId',
					encode: encoders.positiveInteger,
				},
			],
		},
		{
			value: 'get',
			name: 'Get',
			action: 'Get a message',
			description: 'Get one message and its author (imbot.v2.Chat.Message.get; supervisor and personal bots only)',
			method: 'imbot.v2.Chat.Message.get',
			write: false,
			fields: [botV2Field, messageIdV2('The ID of the message.')],
		},
		{
			value: 'getContext',
			name: 'Get Context',
			action: 'Get the messages around a message',
			description: 'Get the messages before and after a message (imbot.v2.Chat.Message.getContext; supervisor and personal bots only)',
			method: 'imbot.v2.Chat.Message.getContext',
			write: false,
			fields: [
				botV2Field,
				messageIdV2('The message in the middle.'),
				{
					property: { displayName: 'Range', name: 'range', type: 'number', typeOptions: { minValue: 1, maxValue: 50 }, default: 50, description: 'How many messages on each side (1–50)' },
					param: 'range',
				},
			],
		},
		{
			value: 'addReaction',
			name: 'Add Reaction',
			action: 'Add a reaction to a message',
			description: 'React to a message as the bot (imbot.v2.Chat.Message.Reaction.add)',
			method: 'imbot.v2.Chat.Message.Reaction.add',
			fields: [botV2Field, messageIdV2('The message to react to.'), reactionField],
			output: (_result, params) => messageOut(params, { reaction: params.reaction as string, added: true }),
		},
		{
			value: 'removeReaction',
			name: 'Remove Reaction',
			action: 'Remove a reaction from a message',
			description: 'Take the bot\'s reaction back (imbot.v2.Chat.Message.Reaction.delete)',
			method: 'imbot.v2.Chat.Message.Reaction.delete',
			fields: [botV2Field, messageIdV2('The message.'), reactionField],
			output: (_result, params) => messageOut(params, { reaction: params.reaction as string, removed: true }),
		},
		sendAndWaitOperation(CHAT_API_V2, { bot: botV2Field, target: sendToField({ dialog: 'dialogId', bot: 'botId' }), encodeMessage: textV2.encode as Encoder }),
	],
};

