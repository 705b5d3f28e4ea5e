import type { IDataObject } from 'n8n-workflow';

import { botLocatorModes } from '../../Bitrix24/fields/bots';
import { lineField } from '../../Bitrix24/fields/openChannels';
import { limit, returnAll } from '../../Bitrix24/fields/listing';
import type { Encoder, FieldSpec, ResourceSpec } from '../../Bitrix24/operations';
import { encoders, FieldError, ResultError } from '../../Bitrix24/operations';
import { choice, finishLineParams, lineNameField, lineSettingsField } from './lineSettings';

/** imopenlines.config.* and imopenlines.revision.get (bitrix24-api.md §3.1). Both credentials work. */

function lineNotFound(method: string, params: IDataObject): ResultError {
	return new ResultError(`Line ${String(params.CONFIG_ID)} was not found on the portal (${method} returned false). Pick a line from the list.`, 'LINE_NOT_FOUND');
}

const fieldNames: Encoder = (value) => {
	const list = String(value ?? '')
		.split(/[\s,;]+/)
		.map((name) => name.trim())
		.filter(Boolean);
	if (list.some((name) => !/^[A-Za-z0-9_]+$/.test(name))) throw new FieldError(`must be field names such as ID, LINE_NAME, ACTIVE (got ${JSON.stringify(value)})`);
	if (list.some((name) => ['QUEUE', 'QUEUE_USERS_FIELDS', 'CONFIG_QUEUE'].includes(name.toUpperCase()))) {
		throw new FieldError('cannot name QUEUE, QUEUE_USERS_FIELDS or CONFIG_QUEUE: use "Include Queue" / "Include Queue Config" instead');
	}
	return list.length ? list : undefined;
};

const jsonObject: Encoder = (value, item) => {
	const parsed = encoders.jsonValue(value, item);
	if (parsed === undefined) return undefined;
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new FieldError('must be a JSON object, e.g. {"ACTIVE": "Y"}');
	return parsed;
};

/**
 * The welcome bot: picked from the chatbots (API v2) this credential sees, the way the Chatbot node lists them, or
 * given by ID (any bot, e.g. a v1 bot, or the botId in a Chatbot Trigger's output). A plain ID saved before the list
 * existed still works.
 */
const welcomeBotField: FieldSpec = {
	property: {
		displayName: 'Bot',
		name: 'welcomeBotId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The chatbot that answers first; it should be of type Open Channels',
		modes: botLocatorModes('searchBotsV2'),
	},
	param: 'PARAMS.WELCOME_BOT_ID',
	encode: encoders.positiveInteger,
};

function lineRows(result: unknown): IDataObject[] {
	return Array.isArray(result) ? (result as IDataObject[]) : [];
}

export const lineResource: ResourceSpec = {
	value: 'line',
	name: 'Line',
	description: 'An Open Channel of the Contact Center',
	operations: [
		{
			value: 'get',
			name: 'Get',
			action: 'Get a line',
			description: 'Get the settings of one Open Channel',
			method: 'imopenlines.config.get',
			write: false,
			fields: [
				lineField('CONFIG_ID'),
				{
					property: { displayName: 'Options', name: 'lineOptions', type: 'collection', placeholder: 'Add Option', default: {} },
					children: [
						{
							property: { displayName: 'Include Queue', name: 'withQueue', type: 'boolean', default: true, description: 'Whether to return the operator queue' },
							param: 'WITH_QUEUE',
							encode: encoders.yesNo,
						},
						{
							property: {
								displayName: 'Include Offline Operators',
								name: 'showOffline',
								type: 'boolean',
								default: true,
								description: 'Whether the queue includes operators who are offline',
							},
							param: 'SHOW_OFFLINE',
							encode: encoders.yesNo,
						},
					],
				},
			],
			output: (result, params) => {
				if (result === false || result === null || result === undefined) throw lineNotFound('imopenlines.config.get', params);
				return result as IDataObject;
			},
		},
		{
			value: 'getAll',
			name: 'Get Many',
			action: 'Get many lines',
			description: 'List the Open Channels of the portal',
			method: 'imopenlines.config.list.get',
			write: false,
			fields: [
				returnAll,
				limit,
				{
					property: { displayName: 'Options', name: 'listOptions', type: 'collection', placeholder: 'Add Option', default: {} },
					children: [
						{
							property: {
								displayName: 'Fields',
								name: 'select',
								type: 'string',
								default: '',
								placeholder: 'ID, LINE_NAME, ACTIVE',
								description: 'Comma-separated fields to return (PARAMS.select); empty returns all',
							},
							param: 'PARAMS.select',
							encode: fieldNames,
						},
						{
							property: {
								displayName: 'Filter (JSON)',
								name: 'filter',
								type: 'json',
								default: '{}',
								description: 'PARAMS.filter as a JSON object, e.g. {"ACTIVE": "Y"}',
							},
							param: 'PARAMS.filter',
							encode: jsonObject,
						},
						{
							property: {
								displayName: 'Sort (JSON)',
								name: 'order',
								type: 'json',
								default: '{"ID": "ASC"}',
								description: 'PARAMS.order as a JSON object of field to ASC or DESC',
							},
							param: 'PARAMS.order',
							encode: jsonObject,
						},
						{
							property: {
								displayName: 'Include Queue',
								name: 'queue',
								type: 'boolean',
								default: true,
								description: 'Whether to return QUEUE and QUEUE_USERS_FIELDS (OPTIONS.QUEUE)',
							},
							param: 'OPTIONS.QUEUE',
							encode: encoders.yesOnly,
						},
						{
							property: {
								displayName: 'Include Queue Config',
								name: 'configQueue',
								type: 'boolean',
								default: true,
								description: 'Whether to return CONFIG_QUEUE (users and departments of the queue; OPTIONS.CONFIG_QUEUE)',
							},
							param: 'OPTIONS.CONFIG_QUEUE',
							encode: encoders.yesOnly,
						},
					],
				},
			],
			build: (params) => {
				const inner = params.PARAMS as IDataObject | undefined;
				if (inner?.filter && Object.keys(inner.filter as IDataObject).length === 0) delete inner.filter;
				return params;
			},
			list: { style: 'paramsOffset', rows: lineRows, pageSize: 200 },
		},
		{
			value: 'create',
			name: 'Create',
			action: 'Create a line',
			description: 'Create an Open Channel with its queue, welcome bot and working hours (imopenlines.config.add)',
			method: 'imopenlines.config.add',
			notice: 'Customers can write to the new line once a connector is activated on it (Connector → Activate).',
			fields: [lineNameField, lineSettingsField(false)],
			build: finishLineParams(false),
			output: (result, params) => ({ lineId: Number(result), lineName: (params.PARAMS as IDataObject).LINE_NAME as string }),
		},
		{
			value: 'update',
			name: 'Update',
			action: 'Update a line',
			description: 'Change settings of an Open Channel; settings not given stay as they are (imopenlines.config.update)',
			method: 'imopenlines.config.update',
			fields: [lineField('CONFIG_ID'), lineSettingsField(true)],
			build: finishLineParams(true),
			output: (result, params) => {
				if (result === false || result === null || result === undefined) throw lineNotFound('imopenlines.config.update', params);
				return { lineId: params.CONFIG_ID as number, updated: true, changed: Object.keys(params.PARAMS as IDataObject) };
			},
		},
		{
			value: 'setWelcomeBot',
			name: 'Set Welcome Bot',
			action: 'Set the welcome bot of a line',
			description: 'Make a chatbot answer every new dialog of this Open Channel first, until it hands the customer to an operator (imopenlines.config.update: WELCOME_BOT_ENABLE, WELCOME_BOT_ID)',
			method: 'imopenlines.config.update',
			fields: [
				lineField('CONFIG_ID'),
				welcomeBotField,
				choice('When the Bot Time Is Over', 'welcomeBotLeft', 'WELCOME_BOT_LEFT', [['Pass to the Operator Queue', 'queue'], ['Close the Dialog', 'close']], 'What happens when the bot has not handed the dialog on in time (WELCOME_BOT_LEFT)'),
			],
			build: (params) => ({ ...params, PARAMS: { ...(params.PARAMS as IDataObject), WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_JOIN: 'always' } }),
			output: (result, params) => {
				if (result === false || result === null || result === undefined) throw lineNotFound('imopenlines.config.update', params);
				return { lineId: params.CONFIG_ID as number, welcomeBotId: (params.PARAMS as IDataObject).WELCOME_BOT_ID as number, welcomeBotEnabled: true };
			},
		},
		{
			value: 'delete',
			name: 'Delete',
			action: 'Delete a line',
			description: 'Delete an Open Channel; its connectors are unlinked from it (imopenlines.config.delete)',
			method: 'imopenlines.config.delete',
			fields: [lineField('CONFIG_ID')],
			output: (result, params) => {
				if (result === false || result === null || result === undefined) throw lineNotFound('imopenlines.config.delete', params);
				return { lineId: params.CONFIG_ID as number, deleted: true };
			},
		},
		{
			value: 'getPath',
			name: 'Get Contact Center Address',
			action: 'Get the contact center address',
			description: 'Get the portal address and the public path of the Contact Center (imopenlines.config.path.get)',
			method: 'imopenlines.config.path.get',
			write: false,
			fields: [],
			output: (result) => {
				const r = (result ?? {}) as IDataObject;
				const base = String(r.SERVER_ADDRESS ?? '').replace(/\/+$/, '');
				return { serverAddress: r.SERVER_ADDRESS ?? null, publicPath: r.PUBLIC_PATH ?? null, url: base && r.PUBLIC_PATH ? `${base}${String(r.PUBLIC_PATH)}` : null };
			},
		},
		{
			value: 'getRevision',
			name: 'Get API Revision',
			action: 'Get the open lines API revision',
			description: 'Get the revisions of the Open Channels API: rest, web and mobile (imopenlines.revision.get)',
			method: 'imopenlines.revision.get',
			write: false,
			fields: [],
		},
	],
};
