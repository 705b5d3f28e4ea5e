import { encoders } from '../../../nodes/Bitrix24/operations';
import type { ResourceSpec } from '../../../nodes/Bitrix24/operations';
import { limit, returnAll } from '../../../nodes/Bitrix24/fields/listing';

/** A small operation table over real Bitrix24 methods, to test the model and transport without the real nodes. */
export const specResources: ResourceSpec[] = [
	{
		value: 'message',
		name: 'Message',
		operations: [
			{
				value: 'send',
				name: 'Send',
				action: 'Send a message',
				description: 'Send a message as the bot.',
				method: 'imbot.message.add',
				fields: [
					{ property: { displayName: 'Dialog ID', name: 'dialogId', type: 'string', default: '', required: true }, param: 'DIALOG_ID' },
					{ property: { displayName: 'Text', name: 'text', type: 'string', default: '', required: true }, param: 'MESSAGE' },
					{ property: { displayName: 'System', name: 'system', type: 'boolean', default: false }, param: 'SYSTEM', encode: encoders.yesNo },
					{
						property: { displayName: 'Keyboard JSON', name: 'keyboardJson', type: 'json', default: '' },
						param: 'KEYBOARD',
						encode: encoders.jsonValue,
					},
					{
						property: {
							displayName: 'Mode',
							name: 'mode',
							type: 'options',
							default: 'auto',
							options: [
								{ name: 'Auto', value: 'auto' },
								{ name: 'Plus', value: 'plus' },
							],
						},
					},
					{
						property: {
							displayName: 'Plus Note',
							name: 'plusNote',
							type: 'string',
							default: '',
							required: true,
							displayOptions: { show: { mode: ['plus'] } },
						},
						param: 'PLUS_NOTE',
					},
				],
				output: (result) => ({ messageId: result as number }),
			},
			{
				value: 'like',
				name: 'Like',
				action: 'Like a message',
				description: 'Like.',
				method: 'imbot.message.like',
				fields: [
					{ property: { displayName: 'Message ID', name: 'messageId', type: 'string', default: '', required: true }, param: 'MESSAGE_ID', encode: encoders.positiveInteger },
					{
						property: {
							displayName: 'Action',
							name: 'likeAction',
							type: 'options',
							default: 'auto',
							options: [
								{ name: 'Auto', value: 'auto' },
								{ name: 'Minus', value: 'minus' },
								{ name: 'Plus', value: 'plus' },
							],
						},
						param: 'ACTION',
					},
				],
			},
		],
	},
	{
		value: 'connector',
		name: 'Connector',
		operations: [
			{
				value: 'register',
				name: 'Register',
				action: 'Register a connector',
				description: 'Register.',
				method: 'imconnector.register',
				fields: [{ property: { displayName: 'Connector ID', name: 'connectorId', type: 'string', default: '', required: true }, param: 'ID' }],
			},
		],
	},
	{
		value: 'line',
		name: 'Line',
		operations: [
			{
				value: 'getAll',
				name: 'Get Many',
				action: 'Get many lines',
				description: 'List lines.',
				method: 'imopenlines.config.list.get',
				write: false,
				fields: [returnAll, limit],
				list: { style: 'paramsOffset', rows: (result) => result as Array<Record<string, string>>, pageSize: 2 },
			},
			{
				value: 'bots',
				name: 'Bots',
				action: 'List bots',
				description: 'A list returned at once (for the paging test).',
				method: 'imbot.bot.list',
				write: false,
				fields: [returnAll, limit],
				list: { style: 'single', rows: (result) => Object.values(result as Record<string, Record<string, string>>) },
			},
			{
				value: 'get',
				name: 'Get',
				action: 'Get a line',
				description: 'Read a line.',
				method: 'imopenlines.config.get',
				write: false,
				fields: [{ property: { displayName: 'Line ID', name: 'lineId', type: 'number', default: 1 }, param: 'CONFIG_ID' }],
			},
		],
	},
];
