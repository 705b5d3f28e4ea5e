import type { ResourceSpec } from '../../Bitrix24/operations';
import { ACTS_AS_USER_NOTICE, chatIdField, messageIdField, mustBeTrue } from './openLinesFields';

/** imopenlines.message.quick.save (bitrix24-api.md §3.2). */
export const quickAnswerResource: ResourceSpec = {
	value: 'quickAnswer',
	name: 'Quick Answer',
	description: 'Canned answers of the operators',
	operations: [
		{
			value: 'saveFromMessage',
			name: 'Save From Message',
			action: 'Save a message as a quick answer',
			description: 'Save a message of an Open Channel chat to the quick answers of the line (imopenlines.message.quick.save)',
			method: 'imopenlines.message.quick.save',
			notice: ACTS_AS_USER_NOTICE,
			fields: [chatIdField(), messageIdField('The message to save (MESSAGE_ID), from Get History.')],
			output: (result, params) => {
				mustBeTrue('imopenlines.message.quick.save', `Message ${String(params.MESSAGE_ID)} was not saved as a quick answer`, 'CANT_SAVE_QUICK_ANSWER')(result);
				return { chatId: params.CHAT_ID as number, messageId: params.MESSAGE_ID as number, saved: true };
			},
		},
	],
};
