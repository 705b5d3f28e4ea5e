import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';

import type { Encoder, FieldSpec, OperationSpec } from '../../Bitrix24/operations';
import type { ChatApi } from './api';
import { SEND_AND_WAIT_NOTICE, sendAndWaitFields } from './properties';

/**
 * The Send and Wait for Response entry of a Message table (v1 and v2). It is declared like every operation (its fields
 * become the node's properties, target / bot / message are built by the operation model), but the node class runs it
 * with executeSendAndWait: one message, then the execution waits for the answer.
 */
export function sendAndWaitOperation(api: ChatApi, fields: { bot: FieldSpec; target: FieldSpec; encodeMessage: Encoder }): OperationSpec {
	const message: FieldSpec = {
		property: {
			displayName: 'Message',
			name: 'message',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			description: 'The question the person answers. BB-codes such as [b]bold[/b] and [br] work; Markdown does not.',
		},
		param: api.keys.message,
		encode: fields.encodeMessage,
	};
	return {
		value: SEND_AND_WAIT_OPERATION,
		name: 'Send and Wait for Response',
		action: 'Send message and wait for response',
		description: `Send a message with answer buttons and pause the workflow until the person answers (${api.send})`,
		method: api.send,
		notice: SEND_AND_WAIT_NOTICE,
		fields: [fields.bot, fields.target, message, ...sendAndWaitFields],
	};
}
