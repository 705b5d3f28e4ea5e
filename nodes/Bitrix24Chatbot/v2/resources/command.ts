import type { IDataObject } from 'n8n-workflow';

import { encoders, FieldError } from '../../../Bitrix24/operations';
import type { Encoder, FieldSpec, ResourceSpec } from '../../../Bitrix24/operations';
import { limit, returnAll } from '../../../Bitrix24/fields/listing';
import { attachmentField } from '../../fields/attachment';
import { commandNameEncoder, commandNameProperty } from '../../fields/ids';
import { keyboardField } from '../../fields/keyboard';
import { checkRegisteredCommands } from '../fields/registeredCommands';
import { finishRichContent } from '../../fields/richContent';
import { botV2Field, dialogIdV2, flagV2, messageIdV2, V2_KEYS } from '../fields/common';
import { messageTextProperty } from '../../../Bitrix24/fields/messageText';

/** Commands: imbot.v2.Command.register / update / list / unregister / answer (bitrix24-api.md §5). */

/** The command: a dropdown from imbot.v2.Command.list for the chosen bot, or an ID (e.g. from a trigger event). */
const commandIdV2: FieldSpec = {
	property: {
		displayName: 'Command',
		name: 'commandId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The command (commandId)',
		hint: 'After a Bitrix24 Chatbot Trigger command event: {{ $json.command.id }}',
		modes: [
			{ displayName: 'From List', name: 'list', type: 'list', placeholder: 'Select a command...', typeOptions: { searchListMethod: 'searchCommandsV2', searchable: true } },
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 12',
			},
		],
	},
	param: 'commandId',
	encode: encoders.positiveInteger,
};

/** Languages → {en: "…", de: "…"} for title and params. */
const languagesProperty = {
	displayName: 'Languages',
	name: 'languages',
	type: 'fixedCollection' as const,
	typeOptions: { multipleValues: true },
	placeholder: 'Add Language',
	default: {},
	description: 'The command\'s title and parameter hint per interface language',
	options: [
		{
			displayName: 'Language',
			name: 'language',
			values: [
				{ displayName: 'Language ID', name: 'languageId', type: 'string' as const, default: 'en', placeholder: 'e.g. en', description: 'Two-letter code, e.g. en, de' },
				{ displayName: 'Title', name: 'title', type: 'string' as const, default: '', description: 'What the command does' },
				{ displayName: 'Params', name: 'params', type: 'string' as const, default: '', description: 'A hint for the command parameters, e.g. "order number"' },
			],
		},
	],
};

const titlesAndParams: Encoder = (value) => {
	const entries = (((value ?? {}) as IDataObject).language as IDataObject[] | undefined) ?? [];
	const title: IDataObject = {};
	const params: IDataObject = {};
	entries.forEach((entry, index) => {
		const language = String(entry.languageId ?? '').trim().toLowerCase();
		if (!/^[a-z]{2}$/.test(language)) throw new FieldError(`→ Language ${index + 1} → Language ID must be a two-letter code such as en`);
		const text = String(entry.title ?? '').trim();
		if (!text) throw new FieldError(`→ Language ${index + 1} → Title is required`);
		title[language] = text;
		if (String(entry.params ?? '').trim()) params[language] = String(entry.params).trim();
	});
	return entries.length ? { title, ...(Object.keys(params).length ? { params } : {}) } : undefined;
};

/** fields.title / fields.params from the Languages collection. */
function languagesField(prefix: string): FieldSpec {
	return {
		property: languagesProperty,
		param: `${prefix}languages`,
		encode: titlesAndParams,
	};
}

/** Spreads fields.languages ({title, params}) into fields; a visible command needs a title. */
function spreadLanguages(params: IDataObject, requireTitle: boolean): IDataObject {
	const fields = (params.fields ?? {}) as IDataObject;
	const languages = fields.languages as IDataObject | undefined;
	delete fields.languages;
	if (languages) Object.assign(fields, languages);
	if (requireTitle && fields.hidden !== true && !fields.title) {
		throw new FieldError('"Languages" needs at least one title: Bitrix24 requires a title for a visible command (COMMAND_TITLE_REQUIRED); or make the command hidden');
	}
	return params;
}

/** Languages whose title (and parameter hint) Command.update removes: `null` per language (command-update.md). */
const removeLanguagesField: FieldSpec = {
	property: {
		displayName: 'Remove Languages',
		name: 'removeLanguages',
		type: 'string',
		default: '',
		placeholder: 'e.g. en, de',
		description: 'Languages whose title and parameter hint are removed, comma-separated two-letter codes',
	},
	param: 'fields.removeLanguages',
	encode: (value) => {
		const codes = String(value ?? '')
			.split(/[\s,;]+/)
			.filter((code) => code !== '')
			.map((code) => code.toLowerCase());
		const wrong = codes.find((code) => !/^[a-z]{2}$/.test(code));
		if (wrong !== undefined) throw new FieldError(`must list two-letter language codes such as en, de (got "${wrong.slice(0, 20)}")`);
		return codes.length ? [...new Set(codes)] : undefined;
	},
};

/** fields.removeLanguages → `null` for each of those languages in fields.title and fields.params. */
function removeLanguages(params: IDataObject): void {
	const fields = (params.fields ?? {}) as IDataObject;
	const codes = fields.removeLanguages as string[] | undefined;
	delete fields.removeLanguages;
	if (!codes) return;
	const title = (fields.title ?? {}) as IDataObject;
	const hints = (fields.params ?? {}) as IDataObject;
	for (const code of codes) {
		if (title[code] !== undefined) throw new FieldError(`"Remove Languages" lists "${code}", which "Languages" sets: keep it in one of them`);
		title[code] = null;
		hints[code] = null;
	}
	fields.title = title;
	fields.params = hints;
}

const commandFlags = (prefix: string): FieldSpec[] => [
	flagV2('Common', 'common', `${prefix}common`, 'the command works in every chat, not only where the bot is a member'),
	flagV2('Extranet Support', 'extranetSupport', `${prefix}extranetSupport`, 'extranet users may run the command'),
	flagV2('Hidden', 'hidden', `${prefix}hidden`, 'the command is left out of the command list'),
];

const commandOutput = (result: unknown): IDataObject => {
	const command = ((result as IDataObject)?.command ?? {}) as IDataObject;
	return { commandId: command.id as number, ...command };
};

export const commandV2Resource: ResourceSpec = {
	value: 'command',
	name: 'Command',
	description: 'Slash commands of a bot',
	operations: [
		{
			value: 'register',
			name: 'Register',
			action: 'Register a command',
			description: 'Register a slash command for a bot (imbot.v2.Command.register)',
			method: 'imbot.v2.Command.register',
			fields: [
				botV2Field,
				{ property: { ...commandNameProperty, required: true }, param: 'fields.command', encode: commandNameEncoder },
				languagesField('fields.'),
				{ property: { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {} }, children: commandFlags('fields.') },
			],
			build: (params) => spreadLanguages(params, true),
			output: commandOutput,
		},
		{
			value: 'update',
			name: 'Update',
			action: 'Update a command',
			description: 'Change a command (imbot.v2.Command.update)',
			method: 'imbot.v2.Command.update',
			fields: [
				botV2Field,
				commandIdV2,
				{
					property: { displayName: 'Update Fields', name: 'updateFields', type: 'collection', placeholder: 'Add Field', default: {} },
					children: [{ property: { ...commandNameProperty }, param: 'fields.command', encode: commandNameEncoder }, ...commandFlags('fields.')],
				},
				{ ...languagesField('fields.'), property: { ...languagesProperty, description: 'New titles and parameter hints; empty keeps the current ones' } },
				removeLanguagesField,
			],
			build: (params) => {
				spreadLanguages(params, false);
				removeLanguages(params);
				if (!params.fields || Object.keys(params.fields as IDataObject).length === 0) throw new FieldError('Nothing to update: add an Update Field or a language');
				return params;
			},
			output: commandOutput,
		},
		{
			value: 'getAll',
			name: 'Get Many',
			action: 'Get many commands',
			description: 'List the commands of a bot (imbot.v2.Command.list)',
			method: 'imbot.v2.Command.list',
			write: false,
			fields: [botV2Field, returnAll, limit],
			list: { style: 'single', rows: (result) => (((result as IDataObject)?.commands ?? []) as IDataObject[]).map((c) => ({ commandId: c.id as number, ...c })) },
		},
		{
			value: 'unregister',
			name: 'Unregister',
			action: 'Unregister a command',
			description: 'Remove a command (imbot.v2.Command.unregister)',
			method: 'imbot.v2.Command.unregister',
			fields: [botV2Field, commandIdV2],
			output: (_result, params) => ({ commandId: params.commandId as number, deleted: true }),
		},
		{
			value: 'answer',
			name: 'Answer',
			action: 'Answer a command',
			description: 'Reply to a command a user ran (imbot.v2.Command.answer)',
			method: 'imbot.v2.Command.answer',
			fields: [
				botV2Field,
				commandIdV2,
				messageIdV2('The message that ran the command (from the command event).', 'After a Bitrix24 Chatbot Trigger command event: {{ $json.message.id }}'),
				dialogIdV2,
				{ property: messageTextProperty('The answer. BB-codes work.'), param: 'fields.message', encode: encoders.trimmed },
				keyboardField('send', 'fields.keyboard'),
				attachmentField('send', 'fields.attach'),
				{
					property: { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {} },
					children: [
						flagV2('System Message', 'system', 'fields.system', 'the answer is shown as a system message'),
						{ property: { displayName: 'URL Preview', name: 'urlPreview', type: 'boolean', default: true, description: 'Whether links become rich preview cards' }, param: 'fields.urlPreview' },
					],
				},
			],
			build: async (params, item) => {
				const fields = (params.fields ?? {}) as IDataObject;
				if (!fields.message && fields.attach === undefined) throw new FieldError('"Text" is required (Bitrix24 answers EMPTY_MESSAGE), unless an attachment is sent');
				return await checkRegisteredCommands(finishRichContent(params, { keys: V2_KEYS }), item);
			},
			output: (_result, params) => ({ commandId: params.commandId as number, messageId: params.messageId as number, answered: true }),
		},
	],
};
