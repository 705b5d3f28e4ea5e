import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { botField } from '../../Bitrix24/fields/bots';
import { encoders, FieldError } from '../../Bitrix24/operations';
import type { Encoder, FieldSpec, ResourceSpec } from '../../Bitrix24/operations';
import { attachmentField } from '../fields/attachment';
import { commandIdField, commandNameEncoder, commandNameProperty, messageIdField } from '../fields/ids';
import { keyboardField } from '../fields/keyboard';
import { menuField } from '../fields/menu';
import { finishCommandAnswer } from '../fields/richContent';
import { messageTextProperty } from '../../Bitrix24/fields/messageText';

/** Commands: imbot.command.register / update / unregister / answer (bitrix24-api.md §4.4). */

/** LANG: [{LANGUAGE_ID, TITLE, PARAMS}] from a fixedCollection. */
const langProperty: INodeProperties = {
	displayName: 'Languages',
	name: 'languages',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true },
	placeholder: 'Add Language',
	default: {},
	description: 'How the command is described in each interface language (LANG)',
	options: [
		{
			displayName: 'Language',
			name: 'language',
			values: [
				{ displayName: 'Language ID', name: 'languageId', type: 'string', default: 'en', placeholder: 'e.g. en', description: 'LANGUAGE_ID, e.g. en, de, ru' },
				{ displayName: 'Title', name: 'title', type: 'string', default: '', description: 'What the command does (TITLE)' },
				{ displayName: 'Params', name: 'params', type: 'string', default: '', description: 'A hint for the command parameters (PARAMS), e.g. "order number"' },
			],
		},
	],
};

const langEncoder: Encoder = (value) => {
	const entries = (((value ?? {}) as IDataObject).language as IDataObject[] | undefined) ?? [];
	if (entries.length === 0) throw new FieldError('needs at least one language with a title');
	return entries.map((entry, index) => {
		const languageId = String(entry.languageId ?? '').trim();
		const title = String(entry.title ?? '').trim();
		if (!/^[a-z]{2}$/i.test(languageId)) throw new FieldError(`→ Language ${index + 1} → Language ID must be a two-letter code such as en (got ${JSON.stringify(entry.languageId)})`);
		if (!title) throw new FieldError(`→ Language ${index + 1} → Title is required`);
		const lang: IDataObject = { LANGUAGE_ID: languageId.toLowerCase(), TITLE: title };
		const params = String(entry.params ?? '').trim();
		if (params) lang.PARAMS = params;
		return lang;
	});
};

/** A Y/N switch of a command. */
const yesNoField = (displayName: string, name: string, param: string, description: string): FieldSpec => ({
	property: { displayName, name, type: 'boolean', default: false, description },
	param,
	encode: encoders.yesNo,
});

const hiddenOption = yesNoField('Hidden', 'hidden', 'HIDDEN', 'Whether the command is left out of the command list (HIDDEN)');
const extranetOption = yesNoField('Extranet Support', 'extranetSupport', 'EXTRANET_SUPPORT', 'Whether extranet users may run the command (EXTRANET_SUPPORT)');

const handlerUrl = (param: string, required: boolean): FieldSpec => ({
	property: {
		displayName: 'Handler URL',
		name: 'eventCommandAdd',
		type: 'string',
		default: '',
		required,
		placeholder: 'https://example.com/bitrix24/command',
		description: 'The URL receiving ONIMCOMMANDADD when the command runs (EVENT_COMMAND_ADD). One URL for all commands is fine: route on COMMAND.',
	},
	param,
	encode: encoders.httpUrl,
});

function checkCommandUpdate(params: IDataObject): IDataObject {
	const fields = params.FIELDS as IDataObject | undefined;
	if (!fields || Object.keys(fields).length === 0) {
		throw new FieldError('"Update Fields" is empty: add at least one of Command, Handler URL, Hidden, Extranet Support, Languages');
	}
	return params;
}

/** Command Answer: the command by COMMAND_ID (from the event) or by its name. */
const commandByField: FieldSpec = {
	property: {
		displayName: 'Identify Command By',
		name: 'commandBy',
		type: 'options',
		options: [
			{ name: 'ID', value: 'id', description: 'COMMAND_ID from the ONIMCOMMANDADD event' },
			{ name: 'Name', value: 'name', description: 'The command text (COMMAND)' },
		],
		default: 'id',
	},
	cases: {
		id: [commandIdField],
		name: [{ property: { ...commandNameProperty, required: true }, param: 'COMMAND', encode: commandNameEncoder }],
	},
};

export const commandResource: ResourceSpec = {
	value: 'command',
	name: 'Command',
	description: 'Slash commands of a bot',
	operations: [
		{
			value: 'register',
			name: 'Register',
			action: 'Register a command',
			description: 'Register a slash command for a bot (imbot.command.register)',
			method: 'imbot.command.register',
			fields: [
				botField({ required: true }),
				{ property: { ...commandNameProperty, required: true }, param: 'COMMAND', encode: commandNameEncoder },
				handlerUrl('EVENT_COMMAND_ADD', true),
				{ property: { ...langProperty }, param: 'LANG', encode: langEncoder },
				{
					property: { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {} },
					children: [
						yesNoField('Common', 'common', 'COMMON', 'Whether the command works in every chat (COMMON=Y), not only where the bot is a member'),
						extranetOption,
						hiddenOption,
					],
				},
			],
			output: (result, params) => ({ commandId: result as number, command: params.COMMAND as string, botId: params.BOT_ID as number }),
		},
		{
			value: 'update',
			name: 'Update',
			action: 'Update a command',
			description: 'Change a command (imbot.command.update)',
			method: 'imbot.command.update',
			fields: [
				commandIdField,
				{
					property: { displayName: 'Update Fields', name: 'updateFields', type: 'collection', placeholder: 'Add Field', default: {} },
					children: [
						{ property: { ...commandNameProperty }, param: 'FIELDS.COMMAND', encode: commandNameEncoder },
						handlerUrl('FIELDS.EVENT_COMMAND_ADD', false),
						{ ...extranetOption, param: 'FIELDS.EXTRANET_SUPPORT' },
						{ ...hiddenOption, param: 'FIELDS.HIDDEN' },
						{ property: { ...langProperty }, param: 'FIELDS.LANG', encode: langEncoder },
					],
				},
			],
			build: checkCommandUpdate,
			output: (_result, params) => ({ commandId: params.COMMAND_ID as number, updated: true }),
		},
		{
			value: 'unregister',
			name: 'Unregister',
			action: 'Unregister a command',
			description: 'Remove a command (imbot.command.unregister)',
			method: 'imbot.command.unregister',
			fields: [commandIdField],
			output: (_result, params) => ({ commandId: params.COMMAND_ID as number, deleted: true }),
		},
		{
			value: 'answer',
			name: 'Answer',
			action: 'Answer a command',
			description: 'Reply to a command a user ran (imbot.command.answer)',
			method: 'imbot.command.answer',
			fields: [
				commandByField,
				messageIdField('MESSAGE_ID of the ONIMCOMMANDADD event: the message that ran the command.', 'After a Bitrix24 Chatbot Trigger command event: {{ $json.command.messageId }}'),
				{
					property: messageTextProperty('The answer (MESSAGE). BB-codes work.'),
					param: 'MESSAGE',
					encode: encoders.trimmed,
				},
				keyboardField('send'),
				attachmentField('send'),
				menuField('send'),
				{
					property: { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {} },
					children: [
						yesNoField('System Message', 'system', 'SYSTEM', 'Whether the answer is shown as a system message (SYSTEM)'),
						{
							property: { displayName: 'URL Preview', name: 'urlPreview', type: 'boolean', default: true, description: 'Whether links become rich preview cards (URL_PREVIEW)' },
							param: 'URL_PREVIEW',
							encode: encoders.yesNo,
						},
					],
				},
			],
			build: finishCommandAnswer,
			output: (result, params) => ({ messageId: result as number, commandId: (params.COMMAND_ID as number | undefined) ?? null, command: (params.COMMAND as string | undefined) ?? null }),
		},
	],
};
