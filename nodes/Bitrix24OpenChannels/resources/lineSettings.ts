import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { encoders, FieldError, validators } from '../../Bitrix24/operations';
import type { Encoder, FieldSpec } from '../../Bitrix24/operations';

/** The PARAMS of imopenlines.config.add / update (bitrix24-api.md §3.1): the common settings, then any others as JSON. */

const LINE_NAME: INodeProperties = { displayName: 'Line Name', name: 'lineName', type: 'string', default: '', description: 'The name of the Open Channel (LINE_NAME)' };

/** Create: the name is asked for at the top. */
export const lineNameField: FieldSpec = { property: { ...LINE_NAME, required: true }, param: 'PARAMS.LINE_NAME', encode: encoders.trimmed };

/** User IDs → `[{ENTITY_TYPE: 'user', ENTITY_ID: '2'}]`. */
const queueUsers: Encoder = (value, item) => (encoders.integerList(value, item) as number[]).map((id) => ({ ENTITY_TYPE: 'user', ENTITY_ID: String(id) }));

const hhmm: Encoder = (value) => {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!/^([01]?\d|2[0-3]):[0-5]\d$/.test(text)) throw new FieldError(`must be a time HH:MM such as 09:00 (got ${validators.describeValue(value)})`);
	return text;
};

const seconds = (displayName: string, name: string, param: string, description: string): FieldSpec => ({
	property: { displayName, name, type: 'number', typeOptions: { minValue: 0 }, default: 60, description },
	param: `PARAMS.${param}`,
	encode: (value) => validators.toInteger(value, 0),
});

const yesNo = (displayName: string, name: string, param: string, description: string): FieldSpec => ({
	property: { displayName, name, type: 'boolean', default: false, description },
	param: `PARAMS.${param}`,
	encode: encoders.yesNo,
});

/** An options setting; the first value is the default (what Bitrix24 uses for a new line). */
export function choice(displayName: string, name: string, param: string, values: Array<[string, string]>, description: string): FieldSpec {
	const options = values.map(([optionName, value]) => ({ name: optionName, value })).sort((a, b) => a.name.localeCompare(b.name));
	const property: INodeProperties = { displayName, name, type: 'options', options, default: '', description };
	property.default = values[0][1];
	return { property, param: `PARAMS.${param}` };
}

/** Other settings as a JSON object of documented PARAMS keys; merged under the fields above. */
const additionalJson: FieldSpec = {
	property: {
		displayName: 'Other Settings (JSON)',
		name: 'otherSettings',
		type: 'json',
		default: '{}',
		description: 'Any other PARAMS of imopenlines.config.add as a JSON object, e.g. {"VOTE_MESSAGE": "Y", "AUTO_CLOSE_TIME": 14400}',
	},
	param: 'PARAMS_EXTRA',
	encode: (value, item) => {
		const parsed = encoders.jsonValue(value, item);
		if (parsed === undefined) return undefined;
		if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new FieldError('must be a JSON object, e.g. {"VOTE_MESSAGE": "Y"}');
		const bad = Object.keys(parsed).filter((key) => !/^[A-Z0-9_]+$/.test(key));
		if (bad.length) throw new FieldError(`keys must be upper-case Bitrix24 setting names such as VOTE_MESSAGE (got ${validators.describeValue(bad)})`);
		return Object.keys(parsed).length ? parsed : undefined;
	},
};

const settingChildren = (withName: boolean): FieldSpec[] => [
	...(withName ? [{ property: LINE_NAME, param: 'PARAMS.LINE_NAME', encode: encoders.trimmed }] : []),
	yesNo('Active', 'active', 'ACTIVE', 'Whether the line accepts dialogs (ACTIVE)'),
	{
		property: {
			displayName: 'Queue User IDs',
			name: 'queueUserIds',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1, 5',
			description: 'The operators of the line, comma-separated user IDs (QUEUE). Departments: use Other Settings.',
		},
		param: 'PARAMS.QUEUE',
		encode: queueUsers,
		structured: true,
	},
	choice('Queue Type', 'queueType', 'QUEUE_TYPE', [['Evenly', 'evenly'], ['Strictly in Order', 'strictly'], ['All at Once', 'all']], 'How dialogs are given to the operators (QUEUE_TYPE)'),
	seconds('Queue Time (Seconds)', 'queueTime', 'QUEUE_TIME', 'Seconds before the dialog goes to the next operator (QUEUE_TIME)'),
	seconds('No Answer Time (Seconds)', 'noAnswerTime', 'NO_ANSWER_TIME', 'Seconds without an answer before the no-answer rule applies (NO_ANSWER_TIME)'),
	yesNo('Welcome Message', 'welcomeMessage', 'WELCOME_MESSAGE', 'Whether new customers get the welcome message (WELCOME_MESSAGE)'),
	{
		property: { displayName: 'Welcome Message Text', name: 'welcomeMessageText', type: 'string', typeOptions: { rows: 2 }, default: '', description: 'WELCOME_MESSAGE_TEXT' },
		param: 'PARAMS.WELCOME_MESSAGE_TEXT',
	},
	yesNo('Welcome Bot', 'welcomeBotEnable', 'WELCOME_BOT_ENABLE', 'Whether a chatbot answers new dialogs first (WELCOME_BOT_ENABLE)'),
	{
		property: { displayName: 'Welcome Bot ID', name: 'welcomeBotId', type: 'string', default: '', placeholder: 'e.g. 39', description: 'The chatbot that answers first (WELCOME_BOT_ID); an Open Channels bot' },
		param: 'PARAMS.WELCOME_BOT_ID',
		encode: encoders.positiveInteger,
	},
	choice('Welcome Bot Joins', 'welcomeBotJoin', 'WELCOME_BOT_JOIN', [['Every Dialog', 'always'], ['First Dialog Only', 'first']], 'When the bot joins (WELCOME_BOT_JOIN)'),
	choice('Welcome Bot Leaves To', 'welcomeBotLeft', 'WELCOME_BOT_LEFT', [['Queue', 'queue'], ['Close Dialog', 'close']], 'What happens when the bot time is over (WELCOME_BOT_LEFT)'),
	seconds('Welcome Bot Time (Seconds)', 'welcomeBotTime', 'WELCOME_BOT_TIME', 'Seconds the bot handles the dialog before it goes on (WELCOME_BOT_TIME)'),
	yesNo('CRM', 'crm', 'CRM', 'Whether dialogs are linked to the CRM (CRM)'),
	yesNo('Working Hours', 'worktimeEnable', 'WORKTIME_ENABLE', 'Whether the line has working hours (WORKTIME_ENABLE)'),
	{ property: { displayName: 'Working Hours From', name: 'worktimeFrom', type: 'string', default: '09:00', description: 'HH:MM (WORKTIME_FROM)' }, param: 'PARAMS.WORKTIME_FROM', encode: hhmm },
	{ property: { displayName: 'Working Hours To', name: 'worktimeTo', type: 'string', default: '18:00', description: 'HH:MM (WORKTIME_TO)' }, param: 'PARAMS.WORKTIME_TO', encode: hhmm },
	{
		property: { displayName: 'Working Hours Time Zone', name: 'worktimeTimezone', type: 'string', default: '', placeholder: 'e.g. Europe/Berlin', description: 'WORKTIME_TIMEZONE' },
		param: 'PARAMS.WORKTIME_TIMEZONE',
		encode: encoders.trimmed,
	},
	{
		property: {
			displayName: 'Days Off',
			name: 'worktimeDayoff',
			type: 'multiOptions',
			options: ['FR', 'MO', 'SA', 'SU', 'TH', 'TU', 'WE'].map((day) => ({ name: day, value: day })),
			default: [],
			description: 'WORKTIME_DAYOFF',
		},
		param: 'PARAMS.WORKTIME_DAYOFF',
	},
	{
		property: { displayName: 'Max Chats per Operator', name: 'maxChat', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'MAX_CHAT; 0 = no limit' },
		param: 'PARAMS.MAX_CHAT',
		encode: (value) => validators.toInteger(value, 0),
	},
	choice('Operator Shown As', 'operatorData', 'OPERATOR_DATA', [['Profile', 'profile'], ['Queue Settings', 'queue'], ['Hidden', 'hide']], 'What customers see of the operator (OPERATOR_DATA)'),
	{
		property: { displayName: 'Language', name: 'languageId', type: 'string', default: '', placeholder: 'e.g. de', description: 'LANGUAGE_ID' },
		param: 'PARAMS.LANGUAGE_ID',
		encode: (value) => {
			const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
			if (!/^[a-z]{2}$/.test(text)) throw new FieldError(`must be a two-letter language code such as de (got ${validators.describeValue(value)})`);
			return text;
		},
	},
	additionalJson,
];

export function lineSettingsField(forUpdate: boolean): FieldSpec {
	return {
		property: { displayName: forUpdate ? 'Update Fields' : 'Settings', name: 'lineSettings', type: 'collection', placeholder: forUpdate ? 'Add Field' : 'Add Setting', default: {} },
		children: settingChildren(forUpdate),
	};
}

/** PARAMS = Other Settings (JSON) under the named settings; Update needs at least one change. */
export function finishLineParams(forUpdate: boolean): (params: IDataObject) => IDataObject {
	return (params) => {
		const { PARAMS_EXTRA: extra, ...rest } = params;
		const inner = { ...((extra as IDataObject | undefined) ?? {}), ...((rest.PARAMS as IDataObject | undefined) ?? {}) };
		if (forUpdate && Object.keys(inner).length === 0) throw new FieldError('Nothing to update: add at least one field under "Update Fields"');
		return { ...rest, PARAMS: inner };
	};
}
