import { connectorField, lineField } from '../../Bitrix24/fields/openChannels';
import type { ResourceSpec } from '../../Bitrix24/operations';
import { encoders } from '../../Bitrix24/operations';

/** imconnector.chat.name.set (bitrix24-api.md §2.1). */
export const chatResource: ResourceSpec = {
	value: 'chat',
	name: 'Chat',
	description: 'The Open Channel chat behind an external chat',
	operations: [
		{
			value: 'setName',
			name: 'Set Name',
			action: 'Set the name of a chat',
			description: 'Rename the Open Channel chat of an external chat',
			method: 'imconnector.chat.name.set',
			fields: [
				connectorField(),
				lineField(),
				{
					property: {
						displayName: 'External Chat ID',
						name: 'externalChatId',
						type: 'string',
						default: '',
						required: true,
						description: 'ID of the chat in the external messenger (as sent with its messages)',
					},
					param: 'CHAT_ID',
					encode: encoders.trimmed,
				},
				{
					property: { displayName: 'Name', name: 'chatName', type: 'string', default: '', required: true, description: 'New name of the chat' },
					param: 'NAME',
				},
				{
					property: {
						displayName: 'External User ID',
						name: 'externalUserId',
						type: 'string',
						default: '',
						description:
							'ID of the customer in the external messenger; required when the connector was registered without group chats (dialogs grouped by user)',
					},
					param: 'USER_ID',
					encode: encoders.trimmed,
				},
			],
			output: (_result, params) => ({
				connector: params.CONNECTOR as string,
				line: params.LINE as number,
				externalChatId: params.CHAT_ID as string,
				name: params.NAME as string,
				success: true,
			}),
		},
	],
};
