import type { IDataObject } from 'n8n-workflow';

import { connectorField, lineField } from '../../Bitrix24/fields/openChannels';
import type { Encoder, FieldSpec, ResourceSpec } from '../../Bitrix24/operations';
import { encoders, FieldError } from '../../Bitrix24/operations';
import { deliveryPack, readingPack, sendPack, updatePack } from './messagePacking';
import {
	asMessageCall,
	externalChatId,
	externalMessageId,
	externalUserId,
	messageFiles,
	messageText,
	onBehalfOf,
	requireTextOrFiles,
} from './messageFields';

/**
 * imconnector.send.messages / update.messages / delete.messages / send.status.delivery / send.status.reading
 * (bitrix24-api.md §2.1). Items for the same connector and line are packed into one MESSAGES array (≤ 50 per call).
 */

const messageDate: FieldSpec = {
	property: {
		displayName: 'Date',
		name: 'date',
		type: 'dateTime',
		default: '',
		description: 'When the message was sent in the external messenger; empty means now',
	},
	param: 'message.date',
	encode: encoders.unixSeconds,
};

const userDetails: FieldSpec = {
	property: { displayName: 'User Details', name: 'userDetails', type: 'collection', placeholder: 'Add Field', default: {}, description: 'The customer\'s profile' },
	children: [
		{
			property: { displayName: 'First Name', name: 'firstName', type: 'string', default: '', description: 'Letters, spaces, hyphens and apostrophes; at most 25 characters' },
			param: 'user.name',
		},
		{
			property: { displayName: 'Last Name', name: 'lastName', type: 'string', default: '', description: 'Letters, spaces, hyphens and apostrophes; at most 25 characters' },
			param: 'user.last_name',
		},
		{
			property: { displayName: 'Picture URL', name: 'pictureUrl', type: 'string', default: '', description: 'Public URL of the customer\'s avatar' },
			param: 'user.picture.url',
			encode: encoders.httpUrl,
		},
		{
			property: { displayName: 'Profile URL', name: 'profileUrl', type: 'string', default: '', description: 'Link to the customer\'s profile' },
			param: 'user.url',
			encode: encoders.httpUrl,
		},
		{
			property: {
				displayName: 'Gender',
				name: 'gender',
				type: 'options',
				options: [
					{ name: 'Female', value: 'female' },
					{ name: 'Male', value: 'male' },
				],
				default: 'female',
				description: 'Sent as both user.gender and user.sex (the docs name both keys)',
			},
			param: 'user.gender',
		},
		{
			property: { displayName: 'Email', name: 'email', type: 'string', placeholder: 'name@email.com', default: '', description: 'The customer\'s email address' },
			param: 'user.email',
			encode: encoders.trimmed,
		},
		{
			property: { displayName: 'Phone', name: 'phone', type: 'string', default: '', description: 'The customer\'s phone number' },
			param: 'user.phone',
			encode: encoders.trimmed,
		},
		{
			property: {
				displayName: 'Skip Phone Validation',
				name: 'skipPhoneValidation',
				type: 'boolean',
				default: true,
				description: 'Whether Bitrix24 should accept the phone number without validating it',
			},
			param: 'user.skip_phone_validate',
			encode: encoders.yesOnly,
		},
	],
};

const sendOptions: FieldSpec = {
	property: { displayName: 'Message Options', name: 'messageOptions', type: 'collection', placeholder: 'Add Option', default: {} },
	children: [
		messageDate,
		{
			property: {
				displayName: 'Disable CRM',
				name: 'disableCrm',
				type: 'boolean',
				default: true,
				description: 'Whether to turn the CRM tracker off for this message (no lead or deal is created or linked)',
			},
			param: 'message.disable_crm',
			encode: encoders.yesOnly,
		},
		onBehalfOf,
	],
};

const chatDetails: FieldSpec = {
	property: { displayName: 'Chat Details', name: 'chatDetails', type: 'collection', placeholder: 'Add Field', default: {} },
	children: [
		{
			property: { displayName: 'Chat Name', name: 'chatName', type: 'string', default: '', description: 'Name of the external chat' },
			param: 'chat.name',
		},
		{
			property: { displayName: 'Chat URL', name: 'chatUrl', type: 'string', default: '', description: 'Link to the external chat' },
			param: 'chat.url',
			encode: encoders.httpUrl,
		},
	],
};

const MESSAGE_BLOCKS = ['user', 'message', 'chat'];

function nowIfMissing(params: IDataObject): void {
	const message = (params.message ?? {}) as IDataObject;
	if (message.date === undefined) params.message = { ...message, date: Math.floor(Date.now() / 1000) };
}

/** The docs name both user.gender and user.sex: send the chosen gender under both. */
function withUserSex(params: IDataObject): void {
	const user = params.user as IDataObject | undefined;
	if (user?.gender !== undefined) user.sex = user.gender;
}

function buildSend(params: IDataObject): IDataObject {
	requireTextOrFiles(params);
	nowIfMissing(params);
	withUserSex(params);
	return asMessageCall(params, MESSAGE_BLOCKS);
}

/** Update takes the blocks of Send (bitrix24-api.md §2.1: same params and element structure); the date only when given. */
function buildUpdate(params: IDataObject): IDataObject {
	requireTextOrFiles(params);
	withUserSex(params);
	return asMessageCall(params, MESSAGE_BLOCKS);
}

/** External message IDs as a list ("a, b" or an array) → the array send.status.* needs, even for one ID. */
const externalIdList: Encoder = (value) => {
	const list = (Array.isArray(value) ? value : String(value ?? '').split(','))
		.map((entry) => String(entry ?? '').trim())
		.filter((entry) => entry !== '');
	if (list.length === 0) throw new FieldError('must list at least one external message ID');
	return list;
};

function bitrixId(name: string, displayName: string, param: string, description: string): FieldSpec {
	return {
		property: { displayName, name, type: 'number', typeOptions: { minValue: 1 }, default: 0, required: true, description },
		param,
		encode: encoders.positiveInteger,
	};
}

const statusFields: FieldSpec[] = [
	connectorField(),
	lineField(),
	bitrixId('bitrixChatId', 'Bitrix24 Chat ID', 'im.chat_id', 'Chat ID from the ONIMCONNECTORMESSAGEADD event (im.chat_id)'),
	bitrixId('bitrixMessageId', 'Bitrix24 Message ID', 'im.message_id', 'Message ID from the ONIMCONNECTORMESSAGEADD event (im.message_id)'),
	{
		property: {
			displayName: 'External Message IDs',
			name: 'externalMessageIds',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. wa-msg-1007',
			description: 'ID(s) the external messenger gave the delivered message, comma-separated',
		},
		param: 'message.id',
		encode: externalIdList,
	},
	externalChatId,
];

const STATUS_BLOCKS = ['im', 'message', 'chat'];

export const messageResource: ResourceSpec = {
	value: 'message',
	name: 'Message',
	description: 'Customer messages going into a line, and delivery status of operator messages',
	operations: [
		{
			value: 'send',
			name: 'Send',
			action: 'Send a customer message into a line',
			description: 'Push a message from the external messenger into the Open Channel',
			method: 'imconnector.send.messages',
			fields: [connectorField(), lineField(), externalChatId, externalUserId, externalMessageId, messageText, messageFiles, userDetails, sendOptions, chatDetails],
			build: buildSend,
			pack: sendPack,
		},
		{
			value: 'update',
			name: 'Update',
			action: 'Update a customer message',
			description: 'Edit a message sent earlier (matched on external message and chat ID)',
			method: 'imconnector.update.messages',
			fields: [
				connectorField(),
				lineField(),
				externalChatId,
				externalUserId,
				externalMessageId,
				messageText,
				messageFiles,
				userDetails,
				{
					property: { displayName: 'Update Fields', name: 'updateFields', type: 'collection', placeholder: 'Add Field', default: {} },
					children: [messageDate, onBehalfOf],
				},
				chatDetails,
			],
			build: buildUpdate,
			pack: updatePack,
		},
		{
			value: 'delete',
			name: 'Delete',
			action: 'Delete a customer message',
			description: 'Delete a message sent earlier (matched on external message and chat ID)',
			method: 'imconnector.delete.messages',
			fields: [connectorField(), lineField(), externalChatId, externalUserId, externalMessageId],
			build: (params) => asMessageCall(params, MESSAGE_BLOCKS),
			pack: updatePack,
		},
		{
			value: 'markDelivered',
			name: 'Mark Delivered',
			action: 'Mark an operator message as delivered',
			description: 'Confirm that an operator message reached the external messenger (also marks it read)',
			method: 'imconnector.send.status.delivery',
			fields: [...statusFields, { property: { displayName: 'Options', name: 'statusOptions', type: 'collection', placeholder: 'Add Option', default: {} }, children: [messageDate] }],
			build: (params) => {
				nowIfMissing(params);
				return asMessageCall(params, STATUS_BLOCKS);
			},
			pack: deliveryPack,
		},
		{
			value: 'markRead',
			name: 'Mark Read',
			action: 'Mark an operator message as read',
			description: 'Report that the customer read an operator message',
			method: 'imconnector.send.status.reading',
			notice:
				'Bitrix24 documents this method as a stub that only returns success: it has no visible effect on the portal. Mark Delivered also marks the message as read.',
			fields: statusFields,
			build: (params) => asMessageCall(params, STATUS_BLOCKS),
			pack: readingPack,
		},
	],
};
