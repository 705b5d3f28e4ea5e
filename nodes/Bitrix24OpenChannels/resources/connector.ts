import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { connectorField, connectorId, lineField } from '../../Bitrix24/fields/openChannels';
import { limit, returnAll } from '../../Bitrix24/fields/listing';
import type { FieldSpec, ResourceSpec } from '../../Bitrix24/operations';
import { encoders } from '../../Bitrix24/operations';
import { connectorIconField, svgField } from './connectorIcon';

/** imconnector.register / activate / status / connector.data.set / list / unregister (bitrix24-api.md §2.1). */

const newConnectorId: FieldSpec = {
	property: {
		displayName: 'Connector ID',
		name: 'connectorId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. acme_whatsapp',
		description:
			'Your connector\'s ID: only a-z, 0-9 and _ (no dot), with a prefix of your own. Registering an existing ID again updates it. Used as "Connector" everywhere else.',
	},
	param: 'ID',
	encode: connectorId,
};

function iconStyleChildren(prefix: string): FieldSpec[] {
	return [
		{
			property: { displayName: 'Background Color', name: 'color', type: 'color', default: '#69acc0', description: 'Tile colour behind the icon' },
			param: `${prefix}.COLOR`,
		},
		{
			property: { displayName: 'Size', name: 'size', type: 'string', default: '90%', placeholder: 'e.g. 90%', description: 'Icon size inside the tile (CSS size)' },
			param: `${prefix}.SIZE`,
		},
		{
			property: {
				displayName: 'Position',
				name: 'position',
				type: 'string',
				default: 'center',
				placeholder: 'e.g. center',
				description: 'Icon position inside the tile (CSS background-position)',
			},
			param: `${prefix}.POSITION`,
		},
	];
}

/**
 * A boolean Bitrix24 takes as true / false (imconnector.register's chat-group and edit options). An option added in
 * the UI starts at Bitrix24's own default (bitrix24-api.md §2.1), so adding it changes nothing until it is switched.
 */
function booleanOption(name: string, displayName: string, param: string, what: string, bitrixDefault: boolean): FieldSpec {
	const property: INodeProperties = {
		displayName,
		name,
		type: 'boolean',
		default: false,
		description: `Whether ${what}; Bitrix24 default: ${bitrixDefault ? 'on' : 'off'}`,
	};
	property.default = bitrixDefault;
	return { property, param };
}

const registerFields: FieldSpec[] = [
	newConnectorId,
	{
		property: { displayName: 'Name', name: 'connectorName', type: 'string', default: '', required: true, description: 'Name shown in the Contact Center' },
		param: 'NAME',
	},
	{
		property: {
			displayName: 'Placement Handler URL',
			name: 'placementHandler',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/bitrix24/connector-settings',
			description: 'URL Bitrix24 opens (POST, placement SETTING_CONNECTOR) when an admin sets the connector up on a line',
		},
		param: 'PLACEMENT_HANDLER',
		encode: encoders.httpUrl,
	},
	connectorIconField,
	{
		property: { displayName: 'Icon Style', name: 'iconStyle', type: 'collection', placeholder: 'Add Style', default: {} },
		children: iconStyleChildren('ICON'),
	},
	{
		property: {
			displayName: 'Disabled Icon',
			name: 'iconDisabled',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			description: 'Icon shown while the connector is not connected',
		},
		children: [
			{
				property: {
					displayName: 'SVG',
					name: 'svg',
					type: 'string',
					typeOptions: { rows: 4 },
					default: '',
					description: 'The disabled icon as SVG markup',
				},
				param: 'ICON_DISABLED.DATA_IMAGE',
				encode: svgField,
			},
			...iconStyleChildren('ICON_DISABLED'),
		],
	},
	{
		property: {
			displayName: 'Options',
			name: 'registerOptions',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			description: 'Behaviour flags; Bitrix24 uses the default shown for any flag not set here',
		},
		children: [
			booleanOption('chatGroup', 'Group Chats', 'CHAT_GROUP', 'dialogs are grouped by external chat ID (group chats) instead of by external user ID; in group mode the CRM tracker does not run', false),
			booleanOption('delExternalMessages', 'Delete External Messages', 'DEL_EXTERNAL_MESSAGES', 'incoming (customer) messages may be deleted', true),
			booleanOption('delInternalMessages', 'Delete Operator Messages', 'DEL_INTERNAL_MESSAGES', 'operator messages may be deleted', true),
			booleanOption('editInternalMessages', 'Edit Operator Messages', 'EDIT_INTERNAL_MESSAGES', 'operator messages may be edited', true),
			booleanOption('needSignature', 'Operator Signature', 'NEED_SIGNATURE', 'operator messages carry the operator\'s name', true),
			booleanOption('needSystemMessages', 'System Messages', 'NEED_SYSTEM_MESSAGES', 'system messages are sent to the channel', true),
			booleanOption('newsletter', 'Newsletter', 'NEWSLETTER', 'the channel can be used in CRM mailings', true),
		],
	},
];

function statusOutput(result: unknown, params: IDataObject): IDataObject {
	const r = (result && typeof result === 'object' ? result : {}) as IDataObject;
	const out: IDataObject = {
		connector: String(r.CONNECTOR ?? params.CONNECTOR),
		line: Number(r.LINE ?? params.LINE),
	};
	if (r.ACTIVE !== undefined) out.active = r.ACTIVE === true || r.ACTIVE === 'Y' || r.ACTIVE === 1;
	out.configured = r.CONFIGURED === true;
	out.status = r.STATUS === true;
	out.error = r.ERROR === undefined || r.ERROR === false ? false : (r.ERROR as IDataObject[keyof IDataObject]);
	return out;
}

function connectorRows(result: unknown): IDataObject[] {
	if (!result || typeof result !== 'object' || Array.isArray(result)) return [];
	return Object.entries(result as Record<string, unknown>).map(([id, name]) => ({ id, name: String(name ?? '') }));
}

export const connectorResource: ResourceSpec = {
	value: 'connector',
	name: 'Connector',
	description: 'A custom channel type (imconnector)',
	operations: [
		{
			value: 'register',
			name: 'Register',
			action: 'Register a connector',
			description: 'Register (or update) a custom connector on the portal',
			method: 'imconnector.register',
			fields: registerFields,
			output: (_result, params) => ({ connector: params.ID as string, registered: true }),
		},
		{
			value: 'activate',
			name: 'Activate',
			action: 'Activate a connector on a line',
			description: 'Turn the connector on for an Open Channel',
			method: 'imconnector.activate',
			fields: [connectorField(), lineField()],
			constants: { ACTIVE: 1 },
			output: (_result, params) => ({ connector: params.CONNECTOR as string, line: params.LINE as number, active: true }),
		},
		{
			value: 'deactivate',
			name: 'Deactivate',
			action: 'Deactivate a connector on a line',
			description: 'Turn the connector off for an Open Channel (imconnector.activate with ACTIVE=0)',
			method: 'imconnector.activate',
			fields: [connectorField(), lineField()],
			constants: { ACTIVE: 0 },
			output: (_result, params) => ({ connector: params.CONNECTOR as string, line: params.LINE as number, active: false }),
		},
		{
			value: 'getStatus',
			name: 'Get Status',
			action: 'Get the status of a connector on a line',
			description: 'Whether the connector is configured and working on an Open Channel',
			method: 'imconnector.status',
			write: false,
			fields: [connectorField(), lineField()],
			output: statusOutput,
		},
		{
			value: 'getAll',
			name: 'Get Many',
			action: 'Get many connectors',
			description: 'List the connectors of the portal, built-in ones included',
			method: 'imconnector.list',
			write: false,
			fields: [returnAll, limit],
			list: { style: 'single', rows: connectorRows },
		},
		{
			value: 'setChannelData',
			name: 'Set Channel Data',
			action: 'Set the channel data of a connector on a line',
			description: 'Name and links of the external channel behind the connector on a line',
			method: 'imconnector.connector.data.set',
			notice:
				'Bitrix24 replaces the whole channel data on every call: fields left empty here are cleared on the portal, so fill in every value you want to keep.',
			fields: [
				connectorField(),
				lineField(),
				{
					property: {
						displayName: 'Channel ID',
						name: 'channelId',
						type: 'string',
						default: '',
						placeholder: 'e.g. acme_whatsapp_line1',
						description: 'ID of the external channel; empty sends {connector}_line{line}',
					},
					param: 'DATA.ID',
					encode: encoders.trimmed,
				},
				{
					property: { displayName: 'Channel Name', name: 'channelName', type: 'string', default: '', description: 'Display name of the channel' },
					param: 'DATA.NAME',
				},
				{
					property: {
						displayName: 'Channel URL',
						name: 'channelUrl',
						type: 'string',
						default: '',
						placeholder: 'https://example.com/chat',
						description: 'Link to the chat or channel',
					},
					param: 'DATA.URL',
					encode: encoders.httpUrl,
				},
				{
					property: {
						displayName: 'Operator URL',
						name: 'channelUrlIm',
						type: 'string',
						default: '',
						description: 'Link in operator format (URL_IM); Bitrix24 falls back to the channel URL',
					},
					param: 'DATA.URL_IM',
					encode: encoders.httpUrl,
				},
			],
			build: (params) => {
				const data = { ...((params.DATA as IDataObject) ?? {}) };
				if (data.ID === undefined) data.ID = `${params.CONNECTOR as string}_line${params.LINE as number}`;
				return { ...params, DATA: data };
			},
			output: (_result, params) => ({
				connector: params.CONNECTOR as string,
				line: params.LINE as number,
				channel: params.DATA as IDataObject,
				success: true,
			}),
		},
		{
			value: 'unregister',
			name: 'Unregister',
			action: 'Unregister a connector',
			description: 'Remove the connector from the portal',
			method: 'imconnector.unregister',
			fields: [connectorField('ID')],
			output: (_result, params) => ({ connector: params.ID as string, unregistered: true }),
		},
	],
};
