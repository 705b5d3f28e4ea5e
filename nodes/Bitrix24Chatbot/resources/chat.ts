import type { IDataObject } from 'n8n-workflow';

import { botField } from '../../Bitrix24/fields/bots';
import { chatColorField, chatColorOption } from '../fields/colors';
import { chatIdField, dialogIdField, userIdField, userIdsField } from '../fields/ids';
import { imageField } from '../fields/image';
import { limit, returnAll } from '../../Bitrix24/fields/listing';
import { encoders } from '../../Bitrix24/operations';
import type { FieldSpec, ResourceSpec } from '../../Bitrix24/operations';

/** Chats: imbot.chat.*, imbot.dialog.get (bitrix24-api.md §4.3). Every method takes BOT_ID (optional: first bot). */

const chatId = (params: IDataObject) => params.CHAT_ID as number;

const entityFields = (required: boolean): FieldSpec[] => [
	{
		property: {
			displayName: 'Entity Type',
			name: 'entityType',
			type: 'string',
			default: '',
			required,
			placeholder: 'e.g. ORDER',
			description: 'Your own binding type (ENTITY_TYPE), e.g. the kind of record the chat belongs to',
		},
		param: 'ENTITY_TYPE',
		encode: encoders.trimmed,
	},
	{
		property: {
			displayName: 'Entity ID',
			name: 'entityId',
			type: 'string',
			default: '',
			required,
			placeholder: 'e.g. 1042',
			description: 'Your own binding ID (ENTITY_ID)',
		},
		param: 'ENTITY_ID',
		encode: encoders.trimmed,
	},
];

export const chatResource: ResourceSpec = {
	value: 'chat',
	name: 'Chat',
	description: 'Create and run group chats as the bot',
	operations: [
		{
			value: 'create',
			name: 'Create',
			action: 'Create a chat',
			description: 'Create a group chat owned by the bot (imbot.chat.add)',
			method: 'imbot.chat.add',
			fields: [
				botField(),
				{
					property: {
						displayName: 'Type',
						name: 'chatType',
						type: 'options',
						options: [
							{ name: 'Closed (Members Only)', value: 'CHAT' },
							{ name: 'Open (Anyone Can Join)', value: 'OPEN' },
						],
						default: 'CHAT',
					},
					param: 'TYPE',
				},
				{ property: { displayName: 'Title', name: 'title', type: 'string', default: '', description: 'The chat title (TITLE)' }, param: 'TITLE', encode: encoders.trimmed },
				userIdsField({ required: false, description: 'Members to add besides the bot (USERS), comma-separated, e.g. 2, 3, 5' }),
				imageField({ name: 'avatar', label: 'Avatar', param: 'AVATAR', required: false }),
				{
					property: { displayName: 'Additional Fields', name: 'additionalFields', type: 'collection', placeholder: 'Add Field', default: {} },
					children: [
						chatColorOption('COLOR', 'The chat colour (COLOR).'),
						{
							property: { displayName: 'Description', name: 'description', type: 'string', typeOptions: { rows: 2 }, default: '', description: 'The chat description (DESCRIPTION)' },
							param: 'DESCRIPTION',
						},
						...entityFields(false),
						{
							property: { displayName: 'Welcome Message', name: 'message', type: 'string', typeOptions: { rows: 2 }, default: '', description: 'The first message in the chat (MESSAGE)' },
							param: 'MESSAGE',
						},
					],
				},
			],
			output: (result) => ({ chatId: result as number, dialogId: `chat${result as number}` }),
		},
		{
			value: 'getByEntity',
			name: 'Get ID by Entity',
			action: 'Get a chat ID by entity',
			description: 'Find the chat bound to an entity type and ID (imbot.chat.get)',
			method: 'imbot.chat.get',
			write: false,
			fields: [botField(), ...entityFields(true)],
			output: (result) => {
				const id = result && typeof result === 'object' ? Number((result as IDataObject).ID) : NaN;
				return Number.isInteger(id) && id > 0 ? { found: true, chatId: id, dialogId: `chat${id}` } : { found: false, chatId: null, dialogId: null };
			},
		},
		{
			value: 'getDialog',
			name: 'Get Dialog',
			action: 'Get a dialog',
			description: 'Get the full description of a chat or one-to-one dialog (imbot.dialog.get)',
			method: 'imbot.dialog.get',
			write: false,
			fields: [botField(), dialogIdField()],
		},
		{
			value: 'leave',
			name: 'Leave',
			action: 'Leave a chat',
			description: 'The bot leaves a chat (imbot.chat.leave)',
			method: 'imbot.chat.leave',
			fields: [botField(), chatIdField()],
			output: (_result, params) => ({ chatId: chatId(params), left: true }),
		},
		{
			value: 'addMembers',
			name: 'Add Members',
			action: 'Add members to a chat',
			description: 'Add users to a chat (imbot.chat.user.add)',
			method: 'imbot.chat.user.add',
			fields: [
				botField(),
				chatIdField(),
				userIdsField({ required: true, description: 'The users to add (USERS), comma-separated, e.g. 2, 3, 5' }),
				{
					property: {
						displayName: 'Hide History',
						name: 'hideHistory',
						type: 'boolean',
						default: true,
						description: 'Whether the new members do not see the messages sent before they joined (HIDE_HISTORY)',
					},
					param: 'HIDE_HISTORY',
					encode: encoders.yesNo,
				},
			],
			output: (_result, params) => ({ chatId: chatId(params), userIds: params.USERS as number[], added: true }),
		},
		{
			value: 'getMembers',
			name: 'Get Members',
			action: 'Get members of a chat',
			description: 'List the user IDs in a chat, one item per member (imbot.chat.user.list)',
			method: 'imbot.chat.user.list',
			write: false,
			fields: [botField(), chatIdField(), returnAll, limit],
			list: {
				style: 'single',
				rows: (result) => (Array.isArray(result) ? result : []).map((id) => ({ userId: Number(id) })),
			},
		},
		{
			value: 'removeMember',
			name: 'Remove Member',
			action: 'Remove a member from a chat',
			description: 'Remove a user from a chat (imbot.chat.user.delete)',
			method: 'imbot.chat.user.delete',
			fields: [botField(), chatIdField(), userIdField('The user to remove (USER_ID).')],
			output: (_result, params) => ({ chatId: chatId(params), userId: params.USER_ID as number, removed: true }),
		},
		{
			value: 'rename',
			name: 'Rename',
			action: 'Rename a chat',
			description: 'Change the chat title (imbot.chat.updateTitle)',
			method: 'imbot.chat.updateTitle',
			fields: [
				botField(),
				chatIdField(),
				{ property: { displayName: 'Title', name: 'title', type: 'string', default: '', required: true, description: 'The new title (TITLE)' }, param: 'TITLE', encode: encoders.trimmed },
			],
			output: (_result, params) => ({ chatId: chatId(params), title: params.TITLE as string, updated: true }),
		},
		{
			value: 'setColor',
			name: 'Set Color',
			action: 'Set the color of a chat',
			description: 'Change the chat colour (imbot.chat.updateColor)',
			method: 'imbot.chat.updateColor',
			fields: [botField(), chatIdField(), chatColorField({ name: 'color', param: 'COLOR', required: true, description: 'The new colour (COLOR).' })],
			output: (_result, params) => ({ chatId: chatId(params), color: params.COLOR as string, updated: true }),
		},
		{
			value: 'setAvatar',
			name: 'Set Avatar',
			action: 'Set the avatar of a chat',
			description: 'Change the chat avatar, from a binary property or a URL (imbot.chat.updateAvatar)',
			method: 'imbot.chat.updateAvatar',
			fields: [botField(), chatIdField(), imageField({ name: 'avatar', label: 'Avatar', param: 'AVATAR', required: true })],
			output: (_result, params) => ({ chatId: chatId(params), updated: true }),
		},
		{
			value: 'setOwner',
			name: 'Set Owner',
			action: 'Set the owner of a chat',
			description: 'Pass chat ownership to a member; only the owner can (imbot.chat.setOwner)',
			method: 'imbot.chat.setOwner',
			fields: [botField(), chatIdField(), userIdField('The member who becomes the owner (USER_ID).')],
			output: (_result, params) => ({ chatId: chatId(params), ownerId: params.USER_ID as number, updated: true }),
		},
		{
			value: 'setManager',
			name: 'Set Manager',
			action: 'Set a manager of a chat',
			description: 'Make a member a chat manager or remove the role; owner only (imbot.chat.setManager)',
			method: 'imbot.chat.setManager',
			fields: [
				botField(),
				chatIdField(),
				userIdField('The member (USER_ID).'),
				{
					property: { displayName: 'Is Manager', name: 'isManager', type: 'boolean', default: true, description: 'Whether the user becomes a manager (IS_MANAGER=Y) or stops being one (N)' },
					param: 'IS_MANAGER',
					encode: encoders.yesNo,
				},
			],
			output: (_result, params) => ({ chatId: chatId(params), userId: params.USER_ID as number, isManager: params.IS_MANAGER === 'Y' }),
		},
		{
			value: 'sendTyping',
			name: 'Send Typing',
			action: 'Send typing indicator',
			description: 'Show "bot is typing…" in a dialog (imbot.chat.sendTyping)',
			method: 'imbot.chat.sendTyping',
			fields: [botField(), dialogIdField()],
			output: (_result, params) => ({ dialogId: params.DIALOG_ID as string, success: true }),
		},
	],
};
