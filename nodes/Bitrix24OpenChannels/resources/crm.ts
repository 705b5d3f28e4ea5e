import type { IDataObject } from 'n8n-workflow';

import { limit, returnAll } from '../../Bitrix24/fields/listing';
import { encoders } from '../../Bitrix24/operations';
import type { FieldSpec, ResourceSpec } from '../../Bitrix24/operations';
import { ACTS_AS_USER_NOTICE, chatIdField, crmEntityIdField, crmEntityTypeField, mustBeTrue, userIdField } from './openLinesFields';
import { messageTextProperty } from '../../Bitrix24/fields/messageText';

/** Open Channel chats and the CRM (bitrix24-api.md §3.2): imopenlines.crm.lead.create, crm.message.add, crm.chat.*. */

const crmItem = [crmEntityTypeField, crmEntityIdField];

const optionalChatId: FieldSpec = (() => {
	const field = chatIdField('The chat of the CRM item (CHAT_ID); empty = its last chat.');
	return { ...field, property: { ...field.property, required: false } };
})();

const crmOf = (params: IDataObject): IDataObject => ({ crmEntityType: params.CRM_ENTITY_TYPE as string, crmEntityId: params.CRM_ENTITY as number });

export const crmResource: ResourceSpec = {
	value: 'crm',
	name: 'CRM',
	description: 'Leads from dialogs and the chats of leads, deals, contacts and companies',
	operations: [
		{
			value: 'createLead',
			name: 'Create Lead From Dialog',
			action: 'Create a CRM lead from a dialog',
			description: 'Create a CRM lead from the Open Channel dialog; the credential\'s user must be its operator (imopenlines.crm.lead.create)',
			method: 'imopenlines.crm.lead.create',
			notice: ACTS_AS_USER_NOTICE,
			fields: [chatIdField()],
			output: (result, params) => {
				mustBeTrue('imopenlines.crm.lead.create', `Chat ${String(params.CHAT_ID)}: no lead was created`)(result);
				return { chatId: params.CHAT_ID as number, leadCreated: true };
			},
		},
		{
			value: 'sendMessage',
			name: 'Send Message to CRM Chat',
			action: 'Send a message to the chat of a CRM item',
			description: 'Post a message in an Open Channel chat linked to a CRM item, as a member of the chat (imopenlines.crm.message.add)',
			method: 'imopenlines.crm.message.add',
			fields: [
				...crmItem,
				userIdField('The sender (USER_ID): a user or bot who is a member of the chat and can see the CRM item.'),
				chatIdField('The chat linked to the CRM item (CHAT_ID), e.g. from Get Chats.'),
				{
					property: { ...messageTextProperty('The message (MESSAGE)'), required: true },
					param: 'MESSAGE',
					encode: encoders.trimmed,
				},
			],
			output: (result, params) => ({ messageId: Number(result), chatId: params.CHAT_ID as number, ...crmOf(params) }),
		},
		{
			value: 'getChats',
			name: 'Get Chats',
			action: 'Get the chats of a CRM item',
			description: 'List the Open Channel chats linked to a lead, deal, contact or company (imopenlines.crm.chat.get)',
			method: 'imopenlines.crm.chat.get',
			write: false,
			fields: [
				...crmItem,
				{
					property: { displayName: 'Active Only', name: 'activeOnly', type: 'boolean', default: true, description: 'Whether to list only chats with an open dialog (ACTIVE_ONLY)' },
					param: 'ACTIVE_ONLY',
					encode: encoders.yesNo,
				},
				returnAll,
				limit,
			],
			list: { style: 'single', rows: (result) => (Array.isArray(result) ? (result as IDataObject[]) : []) },
			output: (row, params) => {
				const chat = row as IDataObject;
				return { chatId: Number(chat.CHAT_ID), connectorId: chat.CONNECTOR_ID ?? null, connectorTitle: chat.CONNECTOR_TITLE ?? null, ...crmOf(params) };
			},
		},
		{
			value: 'getLastChatId',
			name: 'Get Last Chat ID',
			action: 'Get the last chat of a CRM item',
			description: 'Get the ID of the last Open Channel chat linked to a CRM item (imopenlines.crm.chat.getLastId)',
			method: 'imopenlines.crm.chat.getLastId',
			write: false,
			fields: crmItem,
			output: (result, params) => ({ chatId: Number(result), ...crmOf(params) }),
		},
		{
			value: 'addUser',
			name: 'Add User to CRM Chat',
			action: 'Add a user to the chat of a CRM item',
			description: 'Add a user or bot to the Open Channel chat of a CRM item (imopenlines.crm.chat.user.add)',
			method: 'imopenlines.crm.chat.user.add',
			fields: [...crmItem, userIdField('The user or bot to add (USER_ID).'), optionalChatId],
			output: (result, params) => ({ chatId: Number(result), userId: params.USER_ID as number, added: true, ...crmOf(params) }),
		},
		{
			value: 'removeUser',
			name: 'Remove User From CRM Chat',
			action: 'Remove a user from the chat of a CRM item',
			description: 'Remove a user or bot from the Open Channel chat of a CRM item (imopenlines.crm.chat.user.delete)',
			method: 'imopenlines.crm.chat.user.delete',
			fields: [...crmItem, userIdField('The user or bot to remove (USER_ID).'), optionalChatId],
			output: (result, params) => ({ chatId: Number(result), userId: params.USER_ID as number, removed: true, ...crmOf(params) }),
		},
	],
};
