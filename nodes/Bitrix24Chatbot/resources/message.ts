import type { IDataObject } from 'n8n-workflow';

import { botField } from '../../Bitrix24/fields/bots';
import { encoders, FieldError } from '../../Bitrix24/operations';
import type { FieldSpec, ResourceSpec } from '../../Bitrix24/operations';
import { attachmentField } from '../fields/attachment';
import { messageIdField } from '../fields/ids';
import { keyboardField } from '../fields/keyboard';
import { menuField } from '../fields/menu';
import { finishMessage, finishRichContent } from '../fields/richContent';
import { sendToField } from '../fields/sendTo';
import { messageTextProperty } from '../../Bitrix24/fields/messageText';
import { CHAT_API_V1, sendAndWaitOperation } from '../sendAndWait';

/** Messages: imbot.message.add / update / delete / like (bitrix24-api.md §4.2, §6). */

const textField: FieldSpec = {
	property: messageTextProperty(
		'The message (MESSAGE). BB-codes such as [b]bold[/b], [URL=…]link[/URL], [user=27]name[/user] and [br] work; Markdown does not.',
	),
	param: 'MESSAGE',
	encode: encoders.trimmed,
};

const systemOption: FieldSpec = {
	property: { displayName: 'System Message', name: 'system', type: 'boolean', default: false, description: 'Whether the message is shown as a system message (SYSTEM)' },
	param: 'SYSTEM',
	encode: encoders.yesNo,
};
const urlPreviewOption: FieldSpec = {
	property: { displayName: 'URL Preview', name: 'urlPreview', type: 'boolean', default: true, description: 'Whether links become rich preview cards (URL_PREVIEW)' },
	param: 'URL_PREVIEW',
	encode: encoders.yesNo,
};
const skipConnectorOption: FieldSpec = {
	property: {
		displayName: 'Skip Connector',
		name: 'skipConnector',
		type: 'boolean',
		default: false,
		description: 'Whether to keep the message inside Bitrix24: not passed on to an external Open Channel connector (SKIP_CONNECTOR)',
	},
	param: 'SKIP_CONNECTOR',
	encode: encoders.yesNo,
};

const userIdOf = (displayName: string, name: string, param: string, description: string): FieldSpec => ({
	property: { displayName, name, type: 'string', default: '', required: true, placeholder: 'e.g. 27', description },
	param,
	encode: encoders.positiveInteger,
});

/** Send To: DIALOG_ID, the trigger event's dialog, or FROM_USER_ID + TO_USER_ID (a private dialog; SYSTEM forced to Y). */
const targetField = sendToField({ dialog: 'DIALOG_ID', bot: 'BOT_ID' }, [
	{
		option: { name: 'Private Dialog Between Two Users', value: 'users', description: 'FROM_USER_ID + TO_USER_ID: posted as a system message' },
		fields: [
			userIdOf('From User ID', 'fromUserId', 'FROM_USER_ID', 'FROM_USER_ID: one side of the private dialog'),
			userIdOf('To User ID', 'toUserId', 'TO_USER_ID', 'TO_USER_ID: the other side of the private dialog'),
		],
	},
]);

/** Update: keep, replace or empty the text. An empty MESSAGE makes Bitrix24 delete the message (§4.2). */
const textModeField: FieldSpec = {
	property: {
		displayName: 'Text Change',
		name: 'textMode',
		type: 'options',
		options: [
			{
				name: 'Delete Message (Send Empty Text)',
				value: 'delete',
				description: 'Bitrix24 deletes a message whose text is set to empty',
			},
			{ name: 'Keep Current Text', value: 'keep', description: 'Change only the keyboard, attachment, menu or options' },
			{ name: 'Replace Text', value: 'replace' },
		],
		default: 'replace',
	},
	param: 'MESSAGE',
	cases: {
		replace: [{ property: { ...textField.property, description: 'The new text (MESSAGE). BB-codes work.' }, encode: encoders.trimmed }],
		keep: [],
		delete: [],
	},
	combine: (mode, values) => {
		if (mode === 'keep') return undefined;
		if (mode === 'delete') return '';
		const text = values.text as string | undefined;
		if (!text) {
			throw new FieldError(
				'"Text" is empty: Bitrix24 would delete the message. Enter the new text, choose "Keep Current Text" to change only the rest, or choose "Delete Message (Send Empty Text)" to delete it',
			);
		}
		return text;
	},
};

function buildUpdate(params: IDataObject): IDataObject {
	const changes = ['MESSAGE', 'ATTACH', 'KEYBOARD', 'MENU', 'URL_PREVIEW'].filter((key) => params[key] !== undefined);
	if (changes.length === 0) {
		throw new FieldError('Nothing to update: change the text, keyboard, attachment, menu or URL preview');
	}
	return finishRichContent(params);
}

/** Send and Wait: a dialog or the trigger event's dialog (a private dialog between two users has no one to answer). */
const sendAndWaitTarget = sendToField({ dialog: 'DIALOG_ID', bot: 'BOT_ID' });

const botId = (params: IDataObject) => (params.BOT_ID as number | undefined) ?? null;

export const messageResource: ResourceSpec = {
	value: 'message',
	name: 'Message',
	description: 'Send, edit, delete and like messages as the bot',
	operations: [
		{
			value: 'send',
			name: 'Send',
			action: 'Send a message',
			description: 'Send a message as the bot, with keyboard, attachment and menu (imbot.message.add)',
			method: 'imbot.message.add',
			fields: [
				botField(),
				targetField,
				textField,
				keyboardField('send'),
				attachmentField('send'),
				menuField('send'),
				{
					property: { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {} },
					children: [systemOption, urlPreviewOption, skipConnectorOption],
				},
			],
			build: (params) => finishMessage(params),
			output: (result, params) => {
				const out: IDataObject = { messageId: result as number, botId: botId(params) };
				if (params.DIALOG_ID !== undefined) out.dialogId = params.DIALOG_ID;
				else {
					out.fromUserId = params.FROM_USER_ID;
					out.toUserId = params.TO_USER_ID;
				}
				return out;
			},
		},
		{
			value: 'update',
			name: 'Update',
			action: 'Update a message',
			description: 'Edit a message of the bot: text, keyboard, attachment, menu (imbot.message.update)',
			method: 'imbot.message.update',
			notice: 'Bitrix24 lets a bot edit its messages for 3 days (CANT_EDIT_MESSAGE after that).',
			fields: [
				botField(),
				messageIdField('The ID of the bot\'s message to edit.'),
				textModeField,
				keyboardField('update'),
				attachmentField('update'),
				menuField('update'),
				{
					property: { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {} },
					children: [urlPreviewOption, skipConnectorOption],
				},
			],
			build: buildUpdate,
			output: (_result, params) =>
				params.MESSAGE === '' ? { messageId: params.MESSAGE_ID as number, deleted: true } : { messageId: params.MESSAGE_ID as number, updated: true },
		},
		{
			value: 'delete',
			name: 'Delete',
			action: 'Delete a message',
			description: 'Delete a message of the bot (imbot.message.delete)',
			method: 'imbot.message.delete',
			fields: [
				botField(),
				messageIdField('The ID of the bot\'s message to delete.'),
				{
					property: {
						displayName: 'Complete',
						name: 'complete',
						type: 'boolean',
						default: false,
						description: 'Whether to delete without a trace (COMPLETE=Y); otherwise a "message deleted" note stays',
					},
					param: 'COMPLETE',
					encode: encoders.yesNo,
				},
			],
			output: (_result, params) => ({ messageId: params.MESSAGE_ID as number, deleted: true, complete: params.COMPLETE === 'Y' }),
		},
		{
			value: 'like',
			name: 'Like',
			action: 'Like a message',
			description: 'Like or unlike a message as the bot (imbot.message.like)',
			method: 'imbot.message.like',
			fields: [
				botField(),
				messageIdField(),
				{
					property: {
						displayName: 'Action',
						name: 'likeAction',
						type: 'options',
						options: [
							{ name: 'Like', value: 'plus' },
							{ name: 'Toggle', value: 'auto', description: 'Like if not liked yet, else remove the like' },
							{ name: 'Unlike', value: 'minus' },
						],
						default: 'auto',
					},
					param: 'ACTION',
				},
			],
			output: (_result, params) => ({ messageId: params.MESSAGE_ID as number, action: params.ACTION as string, success: true }),
		},
		sendAndWaitOperation(CHAT_API_V1, { bot: botField(), target: sendAndWaitTarget, encodeMessage: encoders.trimmed }),
	],
};
