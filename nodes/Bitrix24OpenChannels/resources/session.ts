import type { IDataObject } from 'n8n-workflow';

import { FieldError, ResultError, validators } from '../../Bitrix24/operations';
import type { FieldSpec, OperationSpec, ResourceSpec } from '../../Bitrix24/operations';
import { ACTS_AS_USER_NOTICE, chatIdField, messageIdField, mustBeTrue, sessionIdField, userCodeField } from './openLinesFields';
import { sessionModeOperations } from './sessionModes';

/** Sessions and dialogs of the Open Channels (bitrix24-api.md §3.2): imopenlines.session.*, dialog.get, message.session.start. */

const chatId = chatIdField();

/** `entity_data_1` = "Y|LEAD|1209|N|N|343|…": the session ID is the 6th field (§3.2 dialog.get). */
function sessionIdOf(entityData: unknown): number | null {
	const field = typeof entityData === 'string' ? entityData.split('|')[5] : undefined;
	return field && /^[1-9]\d*$/.test(field) ? Number(field) : null;
}

const findDialogBy: FieldSpec = {
	property: {
		displayName: 'Find By',
		name: 'findBy',
		type: 'options',
		options: [
			{ name: 'Chat ID', value: 'chat', description: 'The Open Channel chat (CHAT_ID)' },
			{ name: 'Session ID', value: 'session', description: 'A session of the dialog (SESSION_ID)' },
			{ name: 'User Code', value: 'userCode', description: 'The customer\'s code in the channel (USER_CODE)' },
		],
		default: 'chat',
	},
	cases: { chat: [chatId], session: [sessionIdField], userCode: [userCodeField] },
};

const historyBy: FieldSpec = {
	property: {
		displayName: 'Find By',
		name: 'historyBy',
		type: 'options',
		options: [
			{ name: 'Chat ID (Latest Session)', value: 'chat', description: 'The last session of the chat (CHAT_ID)' },
			{ name: 'Session ID', value: 'session', description: 'One session (SESSION_ID): the stable choice' },
		],
		default: 'session',
	},
	cases: { chat: [chatId], session: [sessionIdField] },
};

const done = (method: string) => (result: unknown, params: IDataObject): IDataObject => {
	mustBeTrue(method, `Chat ${String(params.CHAT_ID)}: nothing was done`)(result);
	return { chatId: params.CHAT_ID as number, success: true };
};

const operations: OperationSpec[] = [
	{
		value: 'open',
		name: 'Open by User Code',
		action: 'Get the chat of a customer by user code',
		description: 'Get the Open Channel chat ID of a customer from their user code (imopenlines.session.open)',
		method: 'imopenlines.session.open',
		write: false,
		fields: [userCodeField],
		output: (result, params) => {
			const id = Number((result as IDataObject | null)?.chatId);
			if (!Number.isInteger(id) || id <= 0) throw new ResultError(`No chat for user code ${String(params.USER_CODE)}`, 'CHAT_NOT_FOUND');
			return { chatId: id, dialogId: `chat${id}`, userCode: params.USER_CODE as string };
		},
	},
	{
		value: 'getDialog',
		name: 'Get Dialog',
		action: 'Get an open line dialog',
		description: 'Get the chat of an Open Channel dialog with its session, user code and CRM links (imopenlines.dialog.get)',
		method: 'imopenlines.dialog.get',
		write: false,
		fields: [findDialogBy],
		output: (result) => {
			const chat = (result ?? {}) as IDataObject;
			return {
				chatId: Number(chat.id),
				dialogId: chat.dialog_id ?? `chat${String(chat.id)}`,
				sessionId: sessionIdOf(chat.entity_data_1),
				userCode: chat.entity_id ?? null,
				...chat,
			};
		},
	},
	{
		value: 'getHistory',
		name: 'Get History',
		action: 'Get the message history of a session',
		description: 'Get the messages, users and data of a session; messages come as a list sorted by ID (imopenlines.session.history.get)',
		method: 'imopenlines.session.history.get',
		write: false,
		fields: [historyBy],
		output: (result) => {
			const { message, ...rest } = (result ?? {}) as IDataObject;
			const messages = Object.values((message ?? {}) as Record<string, IDataObject>).sort((a, b) => Number(a.id) - Number(b.id));
			return { ...rest, chatId: Number(rest.chatId), sessionId: Number(rest.sessionId), messages };
		},
	},
	{
		value: 'start',
		name: 'Start New Session',
		action: 'Start a new session in a chat',
		description: 'Start a new session in an Open Channel chat (imopenlines.session.start)',
		method: 'imopenlines.session.start',
		notice: ACTS_AS_USER_NOTICE,
		fields: [chatId],
		output: done('imopenlines.session.start'),
	},
	{
		value: 'startFromMessage',
		name: 'Start Session From Message',
		action: 'Start a new session from a message',
		description: 'Start a new session and move a message of the chat into it (imopenlines.message.session.start)',
		method: 'imopenlines.message.session.start',
		notice: ACTS_AS_USER_NOTICE,
		fields: [chatId, messageIdField('The message that opens the new session (MESSAGE_ID), from Get History.')],
		output: (result, params) => {
			mustBeTrue('imopenlines.message.session.start', `Message ${String(params.MESSAGE_ID)} could not start a session in chat ${String(params.CHAT_ID)}`)(result);
			return { chatId: params.CHAT_ID as number, messageId: params.MESSAGE_ID as number, success: true };
		},
	},
	{
		value: 'join',
		name: 'Join',
		action: 'Join an open line dialog',
		description: 'Join the dialog as the credential\'s user, beside the current operator (imopenlines.session.join)',
		method: 'imopenlines.session.join',
		notice: ACTS_AS_USER_NOTICE,
		fields: [chatId],
		output: done('imopenlines.session.join'),
	},
	{
		value: 'intercept',
		name: 'Intercept',
		action: 'Take over a dialog from its operator',
		description: 'Take the dialog over from the current operator, as the credential\'s user (imopenlines.session.intercept)',
		method: 'imopenlines.session.intercept',
		notice: ACTS_AS_USER_NOTICE,
		fields: [chatId],
		output: done('imopenlines.session.intercept'),
	},
	...sessionModeOperations(chatId),
	{
		value: 'rate',
		name: 'Rate as Supervisor',
		action: 'Rate a session as supervisor',
		description: 'Save the supervisor\'s rating (1–5) and/or comment for a session (imopenlines.session.head.vote)',
		method: 'imopenlines.session.head.vote',
		notice: 'Runs as the user of the credential, who must be allowed to rate dialogs of the line (a supervisor).',
		fields: [
			sessionIdField,
			{
				property: {
					displayName: 'Rating',
					name: 'rating',
					type: 'number',
					typeOptions: { minValue: 0, maxValue: 5 },
					default: 5,
					description: 'RATING from 1 (worst) to 5 (best); 0 sends no rating',
				},
				param: 'RATING',
				encode: (value) => (validators.toInteger(value, 0) === 0 ? undefined : validators.toInteger(value, 1)),
			},
			{
				property: { displayName: 'Comment', name: 'comment', type: 'string', typeOptions: { rows: 2 }, default: '', description: 'The supervisor\'s comment (COMMENT)' },
				param: 'COMMENT',
			},
		],
		build: (params) => {
			if (params.RATING === undefined && params.COMMENT === undefined) throw new FieldError('Give a rating or a comment (Bitrix24 needs at least one)');
			return params;
		},
		output: (result, params) => {
			mustBeTrue('imopenlines.session.head.vote', `Session ${String(params.SESSION_ID)}: the rating was not saved`)(result);
			return { sessionId: params.SESSION_ID as number, rating: (params.RATING as number | undefined) ?? null, comment: (params.COMMENT as string | undefined) ?? null, success: true };
		},
	},
];

export const sessionResource: ResourceSpec = {
	value: 'session',
	name: 'Session',
	description: 'Open Channel dialogs and their sessions: find, read history, start, join, pin, rate',
	operations,
};
