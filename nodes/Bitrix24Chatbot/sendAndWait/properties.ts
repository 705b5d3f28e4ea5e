import type { INodeProperties } from 'n8n-workflow';

import type { FieldSpec } from '../../Bitrix24/operations';

/**
 * The Send and Wait for Response fields shared by both API versions. Names follow n8n's own send-and-wait nodes
 * (`message`, `responseType`, `approvalOptions`, `options.limitWaitTime`): n8n 2.41's AI-agent human-review tool
 * replaces `message` and `responseType` by name, so they must be these.
 */

/** Only read by the send-and-wait code (no Bitrix param): the operation model shows them and skips them when building. */
const uiOnly = (property: INodeProperties): FieldSpec => ({ property });

export const RESPONSE_TYPES = ['approval', 'freeText', 'customForm'] as const;
export type ResponseType = (typeof RESPONSE_TYPES)[number];

export const FORM_FIELD_TYPES = ['text', 'textarea', 'number', 'email', 'date', 'dropdown', 'checkbox'] as const;

const responseTypeField = uiOnly({
	displayName: 'Response Type',
	name: 'responseType',
	type: 'options',
	default: 'approval',
	options: [
		{ name: 'Approval', value: 'approval', description: 'The person presses Approve (or Decline) under the message' },
		{ name: 'Custom Form', value: 'customForm', description: 'The person fills in a form with the fields defined below' },
		{ name: 'Free Text', value: 'freeText', description: 'The person types an answer on a form page' },
	],
});

const approvalOptionsField = uiOnly({
	displayName: 'Approval Options',
	name: 'approvalOptions',
	type: 'fixedCollection',
	placeholder: 'Add option',
	default: {},
	displayOptions: { show: { responseType: ['approval'] } },
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Type of Approval',
					name: 'approvalType',
					type: 'options',
					default: 'single',
					options: [
						{ name: 'Approve Only', value: 'single' },
						{ name: 'Approve and Decline', value: 'double' },
					],
				},
				{ displayName: 'Approve Button Label', name: 'approveLabel', type: 'string', default: 'Approve' },
				{
					displayName: 'Decline Button Label',
					name: 'disapproveLabel',
					type: 'string',
					default: 'Decline',
					displayOptions: { show: { approvalType: ['double'] } },
				},
			],
		},
	],
});

const formFieldsField = uiOnly({
	displayName: 'Form Fields',
	name: 'formFields',
	type: 'fixedCollection',
	typeOptions: { multipleValues: true, sortable: true },
	placeholder: 'Add Form Field',
	default: {},
	displayOptions: { show: { responseType: ['customForm'] } },
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Choices',
					name: 'fieldOptions',
					type: 'string',
					default: '',
					placeholder: 'e.g. Low, Normal, High',
					description: 'The choices of a dropdown list, comma-separated',
				},
				{
					displayName: 'Field Label',
					name: 'fieldLabel',
					type: 'string',
					default: '',
					placeholder: 'e.g. Amount',
						required:	true,
					description: 'Shown on the form;	also the key of the answer in the output (data.[label	])',
				},
				{
					displayName: 'Field Type',
					name: 'fieldType',
					type: 'options',
					default: 'text',
					options: [
						{
							name: 'Checkbox',
							value: 'checkbox',
						},
						{
							name: 'Date',
							value: 'date',
						},
						{
							name: 'Dropdown List',
							value: 'dropdown',
						},
						{
							name: 'Email',
							value: 'email',
						},
						{
							name: 'Number',
							value: 'number',
						},
						{
							name: 'Text',
							value: 'text',
						},
						{
							name: 'Textarea',
							value: 'textarea',
						},
						]
				},
				{
					displayName: 'Placeholder',
					name: 'placeholder',
					type: 'string',
					default: '',
				},
				{
					displayName: 'Required Field',
					name: 'requiredField',
					type: 'boolean',
					default: false,
					description: 'Whether the form refuses an answer without this field',
				},
			],
		},
	],
});

const limitWaitTime: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	description: 'Whether the workflow goes on by itself after a time without an answer (it then passes the input items on, with no data field)',
	default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					default: 'afterTimeInterval',
					options: [
						{ name: 'After Time Interval', value: 'afterTimeInterval', description: 'Wait a certain amount of time' },
						{ name: 'At Specified Time', value: 'atSpecifiedTime', description: 'Wait until a date and time' },
					],
				},
				{ displayName: 'Amount', name: 'resumeAmount', type: 'number', typeOptions: { minValue: 0, numberPrecision: 2 }, default: 1, displayOptions: { show: { limitType: ['afterTimeInterval'] } } },
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					default: 'hours',
					options: [
						{ name: 'Days', value: 'days' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Minutes', value: 'minutes' },
					],
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
				},
				{ displayName: 'Max Date and Time', name: 'maxDateAndTime', type: 'dateTime', default: '', displayOptions: { show: { limitType: ['atSpecifiedTime'] } } },
			],
		},
	],
};

const answerInChat: INodeProperties = {
	displayName: 'Answer In Chat With Command',
	name: 'chatCommand',
	type: 'string',
	default: '',
	placeholder: 'e.g. answer',
	description:
		'A command of the bot (Command → Register) whose events reach a Bitrix24 Chatbot Trigger of this n8n. The buttons then become command buttons: the person answers without leaving Bitrix24, the trigger hands the answer to this execution, and the message is updated to show the decision. Empty: link buttons.',
};

const approvers: INodeProperties = {
	displayName: 'Approvers (User IDs)',
	name: 'approvers',
	type: 'string',
	default: '',
	placeholder: 'e.g. 1, 7',
	description:
		'Only these Bitrix24 users (IDs, separated by commas) may answer, in the chat (needs Answer In Chat With Command). Anyone else is told they may not answer and the workflow keeps waiting. Empty: anyone who sees the buttons.',
};

const formOptions: INodeProperties[] = [
	{ displayName: 'Message Button Label', name: 'messageButtonLabel', type: 'string', default: 'Respond', description: 'The label of the button that opens the form' },
	{ displayName: 'Response Form Title', name: 'responseFormTitle', type: 'string', default: '', description: 'Title of the form page' },
	{ displayName: 'Response Form Description', name: 'responseFormDescription', type: 'string', default: '', description: 'Text above the form (default: the message)' },
	{ displayName: 'Response Form Button Label', name: 'responseFormButtonLabel', type: 'string', default: 'Submit' },
];

const approvalOptionsCollection = uiOnly({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: { show: { responseType: ['approval'] } },
	options: [answerInChat, approvers, limitWaitTime],
});

const formOptionsCollection = uiOnly({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: { show: { responseType: ['freeText', 'customForm'] } },
	options: [limitWaitTime, ...formOptions],
});

/** The fields after the target and the message, the same in both versions. */
export const sendAndWaitFields: FieldSpec[] = [responseTypeField, formFieldsField, approvalOptionsField, approvalOptionsCollection, formOptionsCollection];

export const SEND_AND_WAIT_NOTICE =
	'The workflow pauses until the person answers (or the wait limit ends). n8n must be reachable from the person\'s browser at its webhook URL. One message is sent per run, from the first item.';
