import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { FieldError, validators } from '../../Bitrix24/operations';
import type { FieldSpec, ItemContext } from '../../Bitrix24/operations';
import { checkDialogId, dialogIdField } from './ids';

/**
 * "Send To": a dialog, the dialog of the trigger event the item came from, and (v1 only) a private dialog between two
 * users. Both API versions use it; `keys` names their params (DIALOG_ID / BOT_ID, dialogId / botId).
 */

export interface SendToKeys {
	dialog: string;
	bot: string;
}

/** The dialog and bot of the trigger event in the input item (a Bitrix24 Chatbot Trigger item: dialogId, botId). */
function replyTarget(item: ItemContext, keys: SendToKeys): IDataObject {
	const event = item.ctx.getInputData()[item.itemIndex]?.json ?? {};
	if (event.dialogId === undefined || event.dialogId === null || event.dialogId === '') {
		throw new FieldError(
			'is "Reply to Trigger Event", but the input item has no dialogId: put this node after a Bitrix24 Chatbot Trigger (a message, command or join event), or choose "Dialog" and map the dialog, e.g. {{ $json.dialogId }}',
		);
	}
	const reply: IDataObject = { [keys.dialog]: checkDialogId(event.dialogId, 'dialogId of the input item') };
	if (event.botId !== undefined && event.botId !== null && event.botId !== '') {
		reply[keys.bot] = validators.toInteger(event.botId, 1, 'botId of the input item');
	}
	return reply;
}

export function sendToField(keys: SendToKeys, extra: { option: INodePropertyOptions; fields: FieldSpec[] }[] = []): FieldSpec {
	const options: INodePropertyOptions[] = [
		{ name: 'Dialog', value: 'dialog', description: 'A user (one-to-one with the bot) or a group chat' },
		{ name: 'Reply to Trigger Event', value: 'reply', description: 'The dialog (and bot) of the Bitrix24 Chatbot Trigger event this item came from' },
		...extra.map((entry) => entry.option),
	];
	return {
		property: {
			displayName: 'Send To',
			name: 'target',
			type: 'options',
			options: options.sort((a, b) => a.name.localeCompare(b.name)),
			default: 'dialog',
		},
		cases: {
			dialog: [dialogIdField({ param: keys.dialog })],
			reply: [],
			...Object.fromEntries(extra.map((entry) => [String(entry.option.value), entry.fields])),
		},
		combine: (target, _values, item) => (target === 'reply' ? replyTarget(item, keys) : undefined),
	};
}
