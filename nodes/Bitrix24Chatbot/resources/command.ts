import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { attachmentFields } from '../../Bitrix24/fields/attachment';
import { botField, checkCommandName, checkPositiveInteger, commandNameEncoder, finishRichContent, messageIdField, siblingValue } from '../../Bitrix24/fields/chatbot';
import { keyboardFields, menuFields } from '../../Bitrix24/fields/keyboard';
import { encoders, FieldError } from '../../Bitrix24/operations';
import type { Encoder, FieldSpec, ItemContext, ResourceSpec } from '../../Bitrix24/operations';

/** Commands: imbot.command.register / update / unregister / answer (bitrix24-api.md §4.4). */

const commandIdField: FieldSpec = {
	property: { displayName: 'Command ID', name: 'commandId', type: 'string', default: '', required: true, placeholder: 'e.g. 12', description: 'COMMAND_ID, as returned by Register' },
	param: 'COMMAND_ID',
	encode: encoders.positiveInteger,
};

const commandNameProperty: INodeProperties = {
	displayName: 'Command',
	name: 'command',
	type: 'string',
	default: '',
	placeholder: 'e.g. help',
	description: 'The command users type after "/" (COMMAND): Latin letters and digits only',
};

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

const flag = (displayName: string, name: string, param: string, description: string): FieldSpec => ({
	property: { displayName, name, type: 'boolean', default: false, description },
	param,
	encode: encoders.yesNo,
});

const hiddenOption = flag('Hidden', 'hidden', 'HIDDEN', 'Whether the command is left out of the command list (HIDDEN)');
const extranetOption = flag('Extranet Support', 'extranetSupport', 'EXTRANET_SUPPORT', 'Whether extranet users may run the command (EXTRANET_SUPPORT)');

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

function buildAnswer(params: IDataObject, item: ItemContext): IDataObject {
	const by = siblingValue(item, 'commandBy', 'id');
	const value = String(siblingValue(item, by === 'name' ? 'command' : 'commandId', '') ?? '').trim();
	if (by === 'name') {
		if (!value) throw new FieldError('"Command" is required');
		params.COMMAND = checkCommandName(value, 'Command');
	} else {
		if (!value) throw new FieldError('"Command ID" is required');
		params.COMMAND_ID = checkPositiveInteger(value, 'Command ID');
	}
	if (!params.MESSAGE && params.ATTACH === undefined) {
		throw new FieldError('"Text" is required (Bitrix24 answers MESSAGE_EMPTY), unless an attachment is sent');
	}
	return finishRichContent(params);
}

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
						flag('Common', 'common', 'COMMON', 'Whether the command works in every chat (COMMON=Y), not only where the bot is a member'),
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
				{
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
				},
				// Both read by buildAnswer: fields hidden by a switch cannot carry their own param (see siblingValue).
				{ property: { ...commandIdField.property, required: false, displayOptions: { show: { commandBy: ['id'] } } } },
				{ property: { ...commandNameProperty, displayOptions: { show: { commandBy: ['name'] } } } },
				messageIdField('MESSAGE_ID of the ONIMCOMMANDADD event: the message that ran the command.'),
				{
					property: {
						displayName: 'Text',
						name: 'text',
						type: 'string',
						typeOptions: { rows: 3 },
						default: '',
						description: 'The answer (MESSAGE). BB-codes work.',
					},
					param: 'MESSAGE',
					encode: encoders.trimmed,
				},
				...keyboardFields('send'),
				...attachmentFields('send'),
				...menuFields('send'),
				{
					property: { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {} },
					children: [
						flag('System Message', 'system', 'SYSTEM', 'Whether the answer is shown as a system message (SYSTEM)'),
						{
							property: { displayName: 'URL Preview', name: 'urlPreview', type: 'boolean', default: true, description: 'Whether links become rich preview cards (URL_PREVIEW)' },
							param: 'URL_PREVIEW',
							encode: encoders.yesNo,
						},
					],
				},
			],
			build: buildAnswer,
			output: (result, params) => ({ messageId: result as number, commandId: (params.COMMAND_ID as number | undefined) ?? null, command: (params.COMMAND as string | undefined) ?? null }),
		},
	],
};
