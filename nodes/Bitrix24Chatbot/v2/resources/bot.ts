import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { encoders, FieldError } from '../../../Bitrix24/operations';
import type { FieldSpec, ResourceSpec } from '../../../Bitrix24/operations';
import { limit, returnAll } from '../../../Bitrix24/fields/listing';
import { imageField } from '../../fields/image';
import { BOT_V2_TYPES as BOT_TYPES, botV2Field, flagV2, v2ColorOptions } from '../fields/common';
import { GENDER_OPTIONS } from '../../fields/profile';

/** Bots: imbot.v2.Bot.register / update / get / list / unregister (bitrix24-api.md §5). */

const EVENT_MODES: INodePropertyOptions[] = [
	{ name: 'Fetch (No Public URL)', value: 'fetch', description: 'Events wait in a queue read with imbot.v2.Event.get (the trigger in Fetch mode)' },
	{ name: 'Webhook', value: 'webhook', description: 'Bitrix24 POSTs every event to the webhook URL' },
];

const BACKGROUNDS = ['azure', 'cornflower', 'frost', 'mint', 'peach', 'sky', 'slate', 'steel', 'teal'];

/** fields.properties (name, last name, position, colour, gender) and the other bot settings, under `prefix`. */
function botSettings(prefix: string): FieldSpec[] {
	const text = (displayName: string, name: string, param: string, description: string): FieldSpec => ({
		property: { displayName, name, type: 'string', default: '', description },
		param: `${prefix}${param}`,
		encode: encoders.trimmed,
	});
	return [
		text('Last Name', 'lastName', 'properties.lastName', 'The bot\'s last name'),
		text('Work Position', 'workPosition', 'properties.workPosition', 'Shown under the bot\'s name'),
		{
			property: { displayName: 'Color', name: 'color', type: 'options', options: v2ColorOptions, default: 'azure', description: 'The avatar colour' },
			param: `${prefix}properties.color`,
		},
		{
			property: {
				displayName: 'Gender',
				name: 'gender',
				type: 'options',
				options: GENDER_OPTIONS,
				default: 'M',
			},
			param: `${prefix}properties.gender`,
		},
		{
			property: {
				displayName: 'Chat Background',
				name: 'backgroundId',
				type: 'options',
				options: BACKGROUNDS.map((id) => ({ name: id.charAt(0).toUpperCase() + id.slice(1), value: id })),
				default: 'azure',
				description: 'The background of the bot\'s chat (backgroundId)',
			},
			param: `${prefix}backgroundId`,
		},
		flagV2('Hidden', 'isHidden', `${prefix}isHidden`, 'the bot is left out of the contact list'),
		flagV2('Open Channels Support', 'isSupportOpenline', `${prefix}isSupportOpenline`, 'the bot works in Open Channels'),
		{
			property: { displayName: 'Reactions Enabled', name: 'isReactionsEnabled', type: 'boolean', default: true, description: 'Whether users can react to the bot\'s messages' },
			param: `${prefix}isReactionsEnabled`,
		},
	];
}

/** Event delivery: fetch (queue) or webhook (a URL) — the URL only for webhook. */
function eventModeField(prefix: string, required: boolean): FieldSpec {
	const field = eventModeChoice(prefix, required);
	if (required) field.property.default = 'fetch';
	return field;
}

function eventModeChoice(prefix: string, required: boolean): FieldSpec {
	return {
		property: {
			displayName: 'Event Mode',
			name: 'eventMode',
			type: 'options',
			options: required ? EVENT_MODES : [...EVENT_MODES, { name: 'Keep Current', value: 'keep' }],
			default: 'keep',
			description: 'How the bot receives its events. The Bitrix24 Chatbot Trigger (version 2) sets this for you when activated.',
		},
		cases: {
			fetch: [],
			keep: [],
			webhook: [
				{
					property: {
						displayName: 'Webhook URL',
						name: 'webhookUrl',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'https://example.com/bitrix24/bot',
						description: 'Where Bitrix24 POSTs the bot\'s events (webhookUrl)',
					},
					param: `${prefix}webhookUrl`,
					encode: encoders.httpUrl,
				},
			],
		},
		param: `${prefix}eventMode`,
		combine: (mode) => (mode === 'keep' ? undefined : mode),
	};
}

const botOutput = (result: unknown): IDataObject => {
	const bot = ((result as IDataObject)?.bot ?? {}) as IDataObject;
	return { botId: bot.id as number, ...bot, users: (result as IDataObject)?.users as IDataObject[] };
};

export const botV2Resource: ResourceSpec = {
	value: 'bot',
	name: 'Bot',
	description: 'Register, change, look up and remove chatbots',
	operations: [
		{
			value: 'register',
			name: 'Register',
			action: 'Register a bot',
			description: 'Register a new chatbot, or get the existing one with this code (imbot.v2.Bot.register)',
			method: 'imbot.v2.Bot.register',
			notice:
				'The bot belongs to this credential (a webhook credential gives it a token made from the webhook URL unless you fill in Bot Token). Registering the same code again returns the existing bot. A Chatbot Trigger can also create its bot: Bot → Create on Activation.',
			fields: [
				{
					property: { displayName: 'Code', name: 'code', type: 'string', default: '', required: true, placeholder: 'e.g. support_bot', description: 'A code unique on the portal (fields.code)' },
					param: 'fields.code',
					encode: encoders.trimmed,
				},
				{
					property: { displayName: 'Name', name: 'name', type: 'string', default: '', required: true, description: 'The bot\'s name (fields.properties.name)' },
					param: 'fields.properties.name',
					encode: encoders.trimmed,
				},
				{ property: { displayName: 'Type', name: 'type', type: 'options', options: BOT_TYPES, default: 'bot' }, param: 'fields.type' },
				eventModeField('fields.', true),
				imageField({ name: 'avatar', label: 'Avatar', param: 'fields.properties.avatar', required: false }),
				{
					property: { displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {} },
					children: botSettings('fields.'),
				},
			],
			output: botOutput,
		},
		{
			value: 'update',
			name: 'Update',
			action: 'Update a bot',
			description: 'Change a bot\'s profile, event mode or token (imbot.v2.Bot.update)',
			method: 'imbot.v2.Bot.update',
			fields: [
				botV2Field,
				eventModeField('fields.', false),
				imageField({ name: 'avatar', label: 'Avatar', param: 'fields.properties.avatar', required: false, noneLabel: 'Keep Current Avatar' }),
				{
					property: { displayName: 'Update Fields', name: 'updateFields', type: 'collection', placeholder: 'Add Field', default: {} },
					children: [
						{
							property: { displayName: 'Name', name: 'name', type: 'string', default: '', description: 'The bot\'s name' },
							param: 'fields.properties.name',
							encode: encoders.trimmed,
						},
						...botSettings('fields.'),
						{
							property: {
								displayName: 'New Bot Token',
								name: 'newBotToken',
								type: 'string',
								typeOptions: { password: true },
								default: '',
								description:
									'Rotate the bot\'s token (at most 40 characters): the call is authorised with the current token, afterwards only the new one works — put it into the credential',
							},
							param: 'fields.botToken',
						},
					],
				},
			],
			build: (params) => {
				const fields = params.fields as IDataObject | undefined;
				if (!fields || Object.keys(fields).length === 0) throw new FieldError('Nothing to update: change the event mode, avatar or an Update Field');
				const token = fields.botToken;
				if (typeof token === 'string' && token.length > 40) {
					throw new FieldError('"Update Fields → New Bot Token" is longer than 40 characters: Bitrix24 refuses it (BOT_TOKEN_INVALID_LENGTH)');
				}
				return params;
			},
			output: (result) => {
				const out = botOutput(result);
				return { ...out, updated: true };
			},
		},
		{
			value: 'get',
			name: 'Get',
			action: 'Get a bot',
			description: 'Get a bot by ID (imbot.v2.Bot.get)',
			method: 'imbot.v2.Bot.get',
			write: false,
			fields: [botV2Field],
			output: botOutput,
		},
		{
			value: 'getAll',
			name: 'Get Many',
			action: 'Get many bots',
			description: 'List the bots this application or bot token owns (imbot.v2.Bot.list)',
			method: 'imbot.v2.Bot.list',
			write: false,
			fields: [
				returnAll,
				limit,
				{ property: { displayName: 'Type', name: 'filterType', type: 'options', options: [{ name: 'Any', value: '' }, ...BOT_TYPES], default: '' }, param: 'filter.type' },
			],
			list: { style: 'single', rows: (result) => (((result as IDataObject)?.bots ?? []) as IDataObject[]).map((bot) => ({ botId: bot.id as number, ...bot })) },
		},
		{
			value: 'unregister',
			name: 'Unregister',
			action: 'Unregister a bot',
			description: 'Remove a bot (imbot.v2.Bot.unregister)',
			method: 'imbot.v2.Bot.unregister',
			fields: [botV2Field],
			output: (_result, params) => ({ botId: params.botId as number, deleted: true }),
		},
	],
};
