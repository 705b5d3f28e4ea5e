import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

import { FieldError } from '../../Bitrix24/operations';
import { checkCommandName } from '../fields/ids';
import { approversField, approversOf } from './approvers';
import { parseFormFields } from './formFields';
import type { FormField } from './formFields';
import type { ResponseType } from './properties';
import { RESPONSE_TYPES } from './properties';

/** One button of the request: its label and the answer it gives. */
export interface AnswerButton {
	label: string;
	approved: boolean;
}

/** What the person is asked for, read from the node's parameters (item 0, as n8n's own send-and-wait nodes). */
export interface SendAndWaitConfig {
	responseType: ResponseType;
	message: string;
	buttons: AnswerButton[];
	/** Command buttons instead of link buttons (approval only). */
	chatCommand?: string;
	limit?: IDataObject;
	/** Bitrix24 user IDs who alone may answer (approval in the chat); empty: anyone. */
	approvers?: number[];
	formFields: FormField[];
}

/** Reads a node parameter: getNodeParameter(name, 0, fallback) in execute, getNodeParameter(name, fallback) in a webhook. */
export type ReadParameter = (name: string, fallback: unknown) => unknown;

export const executeParameters = (ctx: IExecuteFunctions): ReadParameter => (name, fallback) => ctx.getNodeParameter(name, 0, fallback);
export const webhookParameters = (ctx: IWebhookFunctions): ReadParameter => (name, fallback) => ctx.getNodeParameter(name, fallback);

function parameter<T>(read: ReadParameter, name: string, fallback: T): T {
	return read(name, fallback) as T;
}

export function responseTypeOf(read: ReadParameter): ResponseType {
	const value = parameter(read, 'responseType', 'approval');
	if (!RESPONSE_TYPES.includes(value as ResponseType)) {
		throw new FieldError(`"Response Type" must be one of: ${RESPONSE_TYPES.join(', ')} (got ${String(value)})`);
	}
	return value as ResponseType;
}

const labelOf = (value: unknown, fallback: string, field: string): string => {
	if (value !== undefined && typeof value !== 'string') throw new FieldError(`"${field}" must be text`);
	const text = String(value ?? '').trim();
	return text || fallback;
};

/** Reads and checks everything before the message is sent: a bad value is a field error, nothing is sent. */
export function readConfig(read: ReadParameter): SendAndWaitConfig {
	const responseType = responseTypeOf(read);
	const options = parameter<IDataObject>(read, 'options', {});
	const message = String(parameter(read, 'message', '') ?? '').trim();
	if (!message) throw new FieldError('"Message" is required: the text the person answers to');
	const config: SendAndWaitConfig = { responseType, message, buttons: [], formFields: [], limit: options.limitWaitTime ? ((options.limitWaitTime as IDataObject).values as IDataObject) : undefined };
	if (responseType === 'approval') {
		const approval = parameter<IDataObject>(read, 'approvalOptions.values', {});
		config.buttons.push({ label: labelOf(approval.approveLabel, 'Approve', 'Approve Button Label'), approved: true });
		if (approval.approvalType === 'double') config.buttons.push({ label: labelOf(approval.disapproveLabel, 'Decline', 'Decline Button Label'), approved: false });
		const command = String(options.chatCommand ?? '').trim();
		if (command) config.chatCommand = checkCommandName(command, 'Options → Answer In Chat With Command');
		config.approvers = approversOf(read);
		if (config.approvers.length && !config.chatCommand) {
			throw new FieldError(`"${approversField()}" needs "Options → Answer In Chat With Command": only an answer given in the chat says who gave it`);
		}
	} else {
		config.buttons.push({ label: labelOf(options.messageButtonLabel, 'Respond', 'Message Button Label'), approved: true });
		if (responseType === 'customForm') config.formFields = parseFormFields(parameter(read, 'formFields.values', []));
	}
	return config;
}

/** Title, description and button of the form page. */
export function formTextsOf(read: ReadParameter): { title: string; description: string; button: string } {
	const options = parameter<IDataObject>(read, 'options', {});
	const message = String(parameter(read, 'message', '') ?? '');
	return {
		title: String(options.responseFormTitle ?? '').trim(),
		description: String(options.responseFormDescription ?? '').trim() || message,
		button: String(options.responseFormButtonLabel ?? '').trim() || 'Submit',
	};
}
