import type { IDataObject } from 'n8n-workflow';

import { BOT_TYPE_OPTIONS, botField } from '../../Bitrix24/fields/bots';
import { REQUIRED_HANDLER_FIELDS } from '../../Bitrix24/events';
import { limit, returnAll } from '../../Bitrix24/fields/listing';
import { chatColorOption } from '../fields/colors';
import { imageField } from '../fields/image';
import { botsFromList } from '../../Bitrix24/lookups/bots';
import { encoders, FieldError } from '../../Bitrix24/operations';
import type { Encoder, FieldSpec, ResourceSpec } from '../../Bitrix24/operations';
import { GENDER_OPTIONS } from '../fields/profile';

/** Bots: imbot.register / update / unregister / bot.list (bitrix24-api.md §4.1). */

const birthday: Encoder = (value) => {
	const text = String(value ?? '').trim();
	const match = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(text);
	if (!match || Number.isNaN(Date.parse(match[1]))) throw new FieldError(`must be a date in the form YYYY-MM-DD (got ${JSON.stringify(value)})`);
	return match[1];
};

const email: Encoder = (value) => {
	const text = String(value ?? '').trim();
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) throw new FieldError(`must be an email address (got ${JSON.stringify(value)})`);
	return text;
};

/** The EVENT_* handler URLs of a bot (§4.1), as collection options writing under `prefix`. */
function handlerOptions(prefix: string): FieldSpec[] {
	const url = (displayName: string, name: string, param: string, description: string): FieldSpec => ({
		property: { displayName, name, type: 'string', default: '', placeholder: 'https://example.com/bitrix24/bot', description },
		param: `${prefix}${param}`,
		encode: encoders.httpUrl,
	});
	return [
		url('Bot Deleted URL', 'eventBotDelete', 'EVENT_BOT_DELETE', 'EVENT_BOT_DELETE: receives ONIMBOTDELETE.'),
		url('Message Added URL', 'eventMessageAdd', 'EVENT_MESSAGE_ADD', 'EVENT_MESSAGE_ADD: receives ONIMBOTMESSAGEADD.'),
		url(
			'Message Deleted URL',
			'eventMessageDelete',
			'EVENT_MESSAGE_DELETE',
			'EVENT_MESSAGE_DELETE: receives ONIMBOTMESSAGEDELETE. Ignored at registration for types Bot and Human without Open Channels support; set it with Update.',
		),
		url(
			'Message Updated URL',
			'eventMessageUpdate',
			'EVENT_MESSAGE_UPDATE',
			'EVENT_MESSAGE_UPDATE: receives ONIMBOTMESSAGEUPDATE. Ignored at registration for types Bot and Human without Open Channels support; set it with Update.',
		),
		url('Welcome (Join Chat) URL', 'eventWelcomeMessage', 'EVENT_WELCOME_MESSAGE', 'EVENT_WELCOME_MESSAGE: receives ONIMBOTJOINCHAT.'),
	];
}

/** PROPERTIES other than NAME / LAST_NAME / PERSONAL_PHOTO, as collection options writing under `prefix`. */
function profileOptions(prefix: string): FieldSpec[] {
	return [
		{ property: { displayName: 'Birthday', name: 'birthday', type: 'dateTime', default: '', description: 'PERSONAL_BIRTHDAY (sent as YYYY-MM-DD)' }, param: `${prefix}PERSONAL_BIRTHDAY`, encode: birthday },
		chatColorOption(`${prefix}COLOR`, 'The colour of the bot (COLOR).'),
		{
			property: { displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', description: "EMAIL. Must not match a real user's email." },
			param: `${prefix}EMAIL`,
			encode: email,
		},
		{
			property: {
				displayName: 'Gender',
				name: 'gender',
				type: 'options',
				options: GENDER_OPTIONS,
				default: 'M',
				description: 'PERSONAL_GENDER',
			},
			param: `${prefix}PERSONAL_GENDER`,
		},
		{ property: { displayName: 'Website', name: 'website', type: 'string', default: '', description: 'PERSONAL_WWW' }, param: `${prefix}PERSONAL_WWW`, encode: encoders.trimmed },
		{ property: { displayName: 'Work Position', name: 'workPosition', type: 'string', default: '', description: 'WORK_POSITION' }, param: `${prefix}WORK_POSITION`, encode: encoders.trimmed },
	];
}

function checkRegister(params: IDataObject): IDataObject {
	const properties = (params.PROPERTIES ?? {}) as IDataObject;
	if (!properties.NAME && !properties.LAST_NAME) throw new FieldError('"Name" or "Last Name" is required: Bitrix24 needs one of them (NAME_ERROR)');
	if (!params.EVENT_HANDLER) {
		const missing = REQUIRED_HANDLER_FIELDS.filter((name) => !params[name]);
		if (missing.length) {
			throw new FieldError(
				`"Event Handler URL" is required, or else "Separate Handler URLs" must give ${missing.join(', ')} (Bitrix24 needs handlers for messages, joins and deletion)`,
			);
		}
	}
	return params;
}

function checkUpdate(params: IDataObject): IDataObject {
	const fields = params.FIELDS as IDataObject | undefined;
	if (!fields || Object.keys(fields).length === 0) {
		throw new FieldError('"Update Fields" is empty: add at least one field to change (Bitrix24 refuses an empty update)');
	}
	const properties = fields.PROPERTIES as IDataObject | undefined;
	if (properties && ('NAME' in properties || 'LAST_NAME' in properties) && !properties.NAME && !properties.LAST_NAME) {
		throw new FieldError('"Name" and "Last Name" cannot both be empty');
	}
	return params;
}

const botId = (params: IDataObject) => (params.BOT_ID as number | undefined) ?? null;

export const botResource: ResourceSpec = {
	value: 'bot',
	name: 'Bot',
	description: 'Register, change and remove chatbots',
	operations: [
		{
			value: 'register',
			name: 'Register',
			action: 'Register a bot',
			description: 'Register a new chatbot (imbot.register)',
			method: 'imbot.register',
			notice: 'Bitrix24 sends the bot\'s events to the handler URLs given here. The Bitrix24 Chatbot Trigger sets them for you when its workflow is activated.',
			fields: [
				{
					property: { displayName: 'Code', name: 'code', type: 'string', default: '', required: true, placeholder: 'e.g. support_bot', description: 'A code unique on the portal (CODE)' },
					param: 'CODE',
					encode: encoders.trimmed,
				},
				{ property: { displayName: 'Name', name: 'name', type: 'string', default: '', description: 'The bot\'s name (PROPERTIES.NAME). Name or Last Name is required.' }, param: 'PROPERTIES.NAME', encode: encoders.trimmed },
				{ property: { displayName: 'Last Name', name: 'lastName', type: 'string', default: '', description: 'PROPERTIES.LAST_NAME. Name or Last Name is required.' }, param: 'PROPERTIES.LAST_NAME', encode: encoders.trimmed },
				{
					property: {
						displayName: 'Type',
						name: 'type',
						type: 'options',
						options: BOT_TYPE_OPTIONS,
						default: 'B',
					},
					param: 'TYPE',
				},
				{
					property: {
						displayName: 'Open Channels Support',
						name: 'openLine',
						type: 'boolean',
						default: false,
						description: 'Whether the bot works in Open Channels (OPENLINE; always on for the Open Channels type)',
					},
					param: 'OPENLINE',
					encode: encoders.yesNo,
				},
				{
					property: {
						displayName: 'Event Handler URL',
						name: 'eventHandler',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/bitrix24/bot',
						description: 'One URL for all five bot events (EVENT_HANDLER). Leave empty to give separate URLs below.',
					},
					param: 'EVENT_HANDLER',
					encode: encoders.httpUrl,
				},
				{
					property: {
						displayName: 'Separate Handler URLs',
						name: 'eventHandlers',
						type: 'collection',
						placeholder: 'Add Handler URL',
						default: {},
						description: 'Per-event URLs (EVENT_*); Message Added, Welcome and Bot Deleted are required when no Event Handler URL is given',
					},
					children: handlerOptions(''),
				},
				imageField({ name: 'photo', label: 'Photo', param: 'PROPERTIES.PERSONAL_PHOTO', required: false }),
				{
					property: { displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {} },
					children: profileOptions('PROPERTIES.'),
				},
			],
			build: checkRegister,
			output: (result, params) => ({ botId: result as number, code: params.CODE as string }),
		},
		{
			value: 'update',
			name: 'Update',
			action: 'Update a bot',
			description: 'Change a bot\'s code, handler URLs or profile (imbot.update)',
			method: 'imbot.update',
			fields: [
				botField({ required: true }),
				{
					property: { displayName: 'Update Fields', name: 'updateFields', type: 'collection', placeholder: 'Add Field', default: {} },
					children: [
						{ property: { displayName: 'Code', name: 'code', type: 'string', default: '', description: 'A new CODE' }, param: 'FIELDS.CODE', encode: encoders.trimmed },
						{
							property: { displayName: 'Event Handler URL', name: 'eventHandler', type: 'string', default: '', description: 'One URL for all five bot events (EVENT_HANDLER)' },
							param: 'FIELDS.EVENT_HANDLER',
							encode: encoders.httpUrl,
						},
						...handlerOptions('FIELDS.'),
						{ property: { displayName: 'Name', name: 'name', type: 'string', default: '', description: 'PROPERTIES.NAME' }, param: 'FIELDS.PROPERTIES.NAME', encode: encoders.trimmed },
						{ property: { displayName: 'Last Name', name: 'lastName', type: 'string', default: '', description: 'PROPERTIES.LAST_NAME' }, param: 'FIELDS.PROPERTIES.LAST_NAME', encode: encoders.trimmed },
						...profileOptions('FIELDS.PROPERTIES.'),
					],
				},
				imageField({ name: 'photo', label: 'Photo', param: 'FIELDS.PROPERTIES.PERSONAL_PHOTO', required: false, noneLabel: 'Keep Current Photo' }),
			],
			build: checkUpdate,
			output: (_result, params) => ({ botId: botId(params), updated: true }),
		},
		{
			value: 'unregister',
			name: 'Unregister',
			action: 'Unregister a bot',
			description: 'Remove a bot and its personal chats (imbot.unregister)',
			method: 'imbot.unregister',
			fields: [botField({ required: true })],
			output: (_result, params) => ({ botId: botId(params), deleted: true }),
		},
		{
			value: 'getAll',
			name: 'Get Many',
			action: 'Get many bots',
			description: 'List the registered bots (imbot.bot.list)',
			method: 'imbot.bot.list',
			write: false,
			fields: [returnAll, limit],
			list: { style: 'single', rows: (result) => botsFromList(result).map((bot) => ({ ...bot })) },
		},
	],
};
