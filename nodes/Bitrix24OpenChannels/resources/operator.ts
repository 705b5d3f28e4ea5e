import type { IDataObject } from 'n8n-workflow';

import type { OperationSpec, ResourceSpec } from '../../Bitrix24/operations';
import { ACTS_AS_USER_NOTICE, chatIdField, mustBeTrue, transferTarget, transferTargetField } from './openLinesFields';

/** What the operator does with a dialog (bitrix24-api.md §3.2): imopenlines.operator.*. All act as the credential's user. */

const chatId = chatIdField();

function operatorAction(value: string, name: string, action: string, description: string, method: string, outcome: IDataObject): OperationSpec {
	return {
		value,
		name,
		action,
		description: `${description} (${method})`,
		method,
		notice: ACTS_AS_USER_NOTICE,
		fields: [chatId],
		output: (result, params) => {
			mustBeTrue(method, `Chat ${String(params.CHAT_ID)}: nothing was done`)(result);
			return { chatId: params.CHAT_ID as number, ...outcome, success: true };
		},
	};
}

export const operatorResource: ResourceSpec = {
	value: 'operator',
	name: 'Operator',
	description: 'Take, finish, skip, mark as spam or transfer dialogs as the operator',
	operations: [
		operatorAction('answer', 'Answer', 'Take a dialog as operator', 'Take the dialog: the credential\'s user becomes its operator', 'imopenlines.operator.answer', { status: 'answered' }),
		operatorAction('finish', 'Finish', 'Finish my dialog', 'Finish a dialog of the credential\'s user', 'imopenlines.operator.finish', { status: 'finished' }),
		operatorAction(
			'finishAnother',
			'Finish Another Operator\'s Dialog',
			'Finish another operator\'s dialog',
			'Finish a dialog that another operator handles (needs the right to do so)',
			'imopenlines.operator.another.finish',
			{ status: 'finished' },
		),
		operatorAction('skip', 'Skip', 'Skip a dialog', 'Pass the dialog on to the next operator of the queue', 'imopenlines.operator.skip', { status: 'skipped' }),
		operatorAction('markSpam', 'Mark as Spam', 'Mark a dialog as spam', 'Mark the dialog as spam and close it', 'imopenlines.operator.spam', { status: 'spam' }),
		{
			value: 'transfer',
			name: 'Transfer',
			action: 'Transfer a dialog to an operator or line',
			description: 'Transfer the dialog to another operator or to the queue of another line (imopenlines.operator.transfer)',
			method: 'imopenlines.operator.transfer',
			notice: ACTS_AS_USER_NOTICE,
			fields: [chatId, transferTargetField],
			output: (result, params) => {
				mustBeTrue('imopenlines.operator.transfer', `Chat ${String(params.CHAT_ID)} was not transferred`)(result);
				return { chatId: params.CHAT_ID as number, ...transferTarget(params), success: true };
			},
		},
	],
};
