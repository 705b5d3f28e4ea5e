import type { IDataObject } from 'n8n-workflow';

import { encoders, FieldError } from '../../../Bitrix24/operations';
import type { FieldSpec, OperationSpec, ResourceSpec } from '../../../Bitrix24/operations';
import { limit, returnAll } from '../../../Bitrix24/fields/listing';
import { imageField } from '../../fields/image';
import { botV2Field, dialogIdV2, userIdsV2, userIdV2, v2ColorOptions } from '../fields/common';

/** Chats: imbot.v2.Chat.add / get / update / leave / setOwner, Chat.User.*, Chat.Manager.* (bitrix24-api.md §5). */

const chatSettings = (): FieldSpec[] => [
	{ property: { displayName: 'Color', name: 'color', type: 'options', options: v2ColorOptions, default: 'azure', description: 'The chat colour' }, param: 'fields.color' },
	{
		property: { displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 2 }, default: '', description: 'The chat description' },
		param: 'fields.description',
	},
];

const title = (required: boolean): FieldSpec => ({
	property: { displayName: 'Title', name: 'title', type: 'string', default: '', required, description: 'The chat title' },
	param: 'fields.title',
	encode: encoders.trimmed,
});

const sortDirection: FieldSpec = {
	property: {
		displayName: 'Sort Direction',
		name: 'sortDirection',
		type: 'options',
		options: [
			{ name: 'Ascending', value: 'ASC' },
			{ name: 'Descending', value: 'DESC' },
		],
		default: 'ASC',
	},
};

/** imbot.v2.Chat.User.list `order`: {id | lastSendMessageId | userId: ASC | DESC}; nothing sent for Bitrix24's own order. */
const memberOrder: FieldSpec = {
	property: {
		displayName: 'Sort By',
		name: 'sortBy',
		type: 'options',
		options: [
			{ name: 'Bitrix24 Default', value: '', description: 'The order Bitrix24 gives' },
			{ name: 'Membership', value: 'id', description: 'When each member joined (the membership record)' },
			{ name: 'Last Message', value: 'lastSendMessageId', description: 'The last message each member sent' },
			{ name: 'User ID', value: 'userId' },
		],
		default: '',
		description: 'The order of the members (order)',
	},
	param: 'order',
	cases: { id: [sortDirection], lastSendMessageId: [sortDirection], userId: [sortDirection] },
	combine: (field, values) => (field ? { [field]: values.sortDirection === 'DESC' ? 'DESC' : 'ASC' } : undefined),
};

/** An operation on a chat the bot is in: botId + dialogId (+ its own fields), answered with `true`. */
function chatAction(op: Omit<OperationSpec, 'fields' | 'output'> & { fields?: FieldSpec[]; outcome: IDataObject }): OperationSpec {
	const { outcome, fields = [], ...rest } = op;
	return { ...rest, fields: [botV2Field, dialogIdV2, ...fields], output: (_result, params) => ({ dialogId: params.dialogId as string, ...outcome }) };
}

export const chatV2Resource: ResourceSpec = {
	value: 'chat',
	name: 'Chat',
	description: 'Create and run group chats as the bot: title, members, managers, owner',
	operations: [
		{
			value: 'create',
			name: 'Create',
			action: 'Create a chat',
			description: 'Create a group chat with the bot in it (imbot.v2.Chat.add)',
			method: 'imbot.v2.Chat.add',
			fields: [
				botV2Field,
				title(false),
				{
					property: { displayName: 'User IDs', name: 'userIds', type: 'string', default: '', placeholder: 'e.g. 2, 3, 5', description: 'Members besides the bot, comma-separated' },
					param: 'fields.userIds',
					encode: encoders.integerList,
					structured: true,
				},
				imageField({ name: 'avatar', label: 'Avatar', param: 'fields.avatar', required: false }),
				{
					property: { displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {} },
					children: [
						...chatSettings(),
						{
							property: { displayName: 'Owner User ID', name: 'ownerId', type: 'string', default: '', description: 'The chat owner; the bot if empty' },
							param: 'fields.ownerId',
							encode: encoders.positiveInteger,
						},
						{
							property: { displayName: 'Welcome Message', name: 'message', type: 'string', typeOptions: { rows: 2 }, default: '', description: 'The first message in the chat' },
							param: 'fields.message',
						},
					],
				},
			],
			output: (result) => {
				const chat = ((result as IDataObject)?.chat ?? {}) as IDataObject;
				return { chatId: chat.id as number, dialogId: chat.dialogId as string, ...chat };
			},
		},
		{
			value: 'get',
			name: 'Get',
			action: 'Get a chat',
			description: 'Get a chat the bot is in (imbot.v2.Chat.get)',
			method: 'imbot.v2.Chat.get',
			write: false,
			fields: [botV2Field, dialogIdV2],
			output: (result) => ((result as IDataObject)?.chat ?? result) as IDataObject,
		},
		chatAction({
			value: 'update',
			name: 'Update',
			action: 'Update a chat',
			description: 'Change a chat\'s title, description, colour or avatar (imbot.v2.Chat.update)',
			method: 'imbot.v2.Chat.update',
			fields: [
				imageField({ name: 'avatar', label: 'Avatar', param: 'fields.avatar', required: false, noneLabel: 'Keep Current Avatar' }),
				{
					property: { displayName: 'Update Fields', name: 'updateFields', type: 'collection', placeholder: 'Add Field', default: {} },
					children: [title(false), ...chatSettings()],
				},
			],
			build: (params) => {
				if (!params.fields || Object.keys(params.fields as IDataObject).length === 0) {
					throw new FieldError('Nothing to update: set the avatar or add an Update Field (title, description, colour)');
				}
				return params;
			},
			outcome: { updated: true },
		}),
		chatAction({ value: 'leave', name: 'Leave', action: 'Leave a chat', description: 'The bot leaves a chat (imbot.v2.Chat.leave)', method: 'imbot.v2.Chat.leave', outcome: { left: true } }),
		chatAction({
			value: 'setOwner',
			name: 'Set Owner',
			action: 'Set the owner of a chat',
			description: 'Make a user the owner of a chat (imbot.v2.Chat.setOwner)',
			method: 'imbot.v2.Chat.setOwner',
			fields: [userIdV2('The new owner')],
			outcome: { ownerChanged: true },
		}),
		chatAction({
			value: 'addUsers',
			name: 'Add Users',
			action: 'Add users to a chat',
			description: 'Add members to a chat (imbot.v2.Chat.User.add)',
			method: 'imbot.v2.Chat.User.add',
			fields: [userIdsV2('The users to add, comma-separated, e.g. 2, 3, 5')],
			outcome: { added: true },
		}),
		chatAction({
			value: 'removeUser',
			name: 'Remove User',
			action: 'Remove a user from a chat',
			description: 'Remove a member from a chat (imbot.v2.Chat.User.delete)',
			method: 'imbot.v2.Chat.User.delete',
			fields: [userIdV2('The user to remove')],
			outcome: { removed: true },
		}),
		{
			value: 'getUsers',
			name: 'Get Users',
			action: 'Get the users of a chat',
			description: 'List the members of a chat (imbot.v2.Chat.User.list)',
			method: 'imbot.v2.Chat.User.list',
			write: false,
			notice: 'Bitrix24 returns at most 200 members of a chat (the method has no paging).',
			fields: [botV2Field, dialogIdV2, returnAll, limit, memberOrder],
			list: { style: 'limit', pageSize: 200, rows: (result) => (Array.isArray(result) ? result : ((result as IDataObject)?.users ?? [])) as IDataObject[] },
		},
		chatAction({
			value: 'addManagers',
			name: 'Add Managers',
			action: 'Add managers to a chat',
			description: 'Make members managers of a chat (imbot.v2.Chat.Manager.add)',
			method: 'imbot.v2.Chat.Manager.add',
			fields: [userIdsV2('The users to make managers, comma-separated')],
			outcome: { managersAdded: true },
		}),
		chatAction({
			value: 'removeManagers',
			name: 'Remove Managers',
			action: 'Remove managers of a chat',
			description: 'Take the manager role from members of a chat (imbot.v2.Chat.Manager.delete)',
			method: 'imbot.v2.Chat.Manager.delete',
			fields: [userIdsV2('The users who stop being managers, comma-separated')],
			outcome: { managersRemoved: true },
		}),
	],
};
