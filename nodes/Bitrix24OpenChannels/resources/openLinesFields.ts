import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { encoders, FieldError, ResultError, validators } from '../../Bitrix24/operations';
import type { Encoder, FieldSpec, ItemContext } from '../../Bitrix24/operations';

/**
 * The fields of the imopenlines.* operations (bitrix24-api.md §3.2), shared by the Open Channels node's session,
 * operator, CRM, quick answer and network resources and by the Chatbot node's Open Lines resource: one definition each.
 */

/** An Open Channel chat ID: a positive whole number; `chat1763` is accepted and sent as 1763. */
export const lineChatId: Encoder = (value) => {
	const text = (typeof value === 'string' || typeof value === 'number' ? String(value) : '').trim().replace(/^chat/i, '');
	if (!/^[1-9]\d*$/.test(text)) {
		throw new FieldError(`must be an Open Channel chat ID, a positive whole number such as 1763 (or chat1763) (got ${validators.describeValue(value)})`);
	}
	return Number(text);
};

/** `connector|LINE_ID|CONNECTOR_CHAT_ID|CONNECTOR_USER_ID`, e.g. `livechat|22|1761|587` (§3.2 session.open). */
export const USER_CODE_PATTERN = /^[A-Za-z0-9_.-]+\|[1-9]\d*\|[^|\s][^|]*\|[^|\s][^|]*$/;

export const userCode: Encoder = (value) => {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!USER_CODE_PATTERN.test(text)) {
		throw new FieldError(
			`must be a user code "connector|line ID|external chat ID|external user ID", e.g. livechat|22|1761|587 (got ${validators.describeValue(value)})`,
		);
	}
	return text;
};

function idProperty(displayName: string, name: string, description: string, placeholder: string, required = true): INodeProperties {
	return { displayName, name, type: 'string', default: '', required, placeholder, description };
}

export function chatIdField(description = 'The Open Channel chat (CHAT_ID), e.g. 1763, as returned by Session → Open or Get Dialog. "chat1763" is accepted too.'): FieldSpec {
	return { property: idProperty('Chat ID', 'chatId', description, 'e.g. 1763'), param: 'CHAT_ID', encode: lineChatId };
}

export const userCodeField: FieldSpec = {
	property: idProperty(
		'User Code',
		'userCode',
		'The customer\'s code in the channel (USER_CODE): connector|line ID|external chat ID|external user ID, e.g. livechat|22|1761|587.',
		'e.g. livechat|22|1761|587',
	),
	param: 'USER_CODE',
	encode: userCode,
};

export const sessionIdField: FieldSpec = {
	property: idProperty('Session ID', 'sessionId', 'The Open Channel session (SESSION_ID), e.g. 321, as returned by Get Dialog or Get History.', 'e.g. 321'),
	param: 'SESSION_ID',
	encode: encoders.positiveInteger,
};

export function messageIdField(description: string): FieldSpec {
	return { property: idProperty('Message ID', 'messageId', description, 'e.g. 18971'), param: 'MESSAGE_ID', encode: encoders.positiveInteger };
}

export function userIdField(description: string): FieldSpec {
	return { property: idProperty('User ID', 'userId', description, 'e.g. 27'), param: 'USER_ID', encode: encoders.positiveInteger };
}

/** Transfer To: an employee (USER_ID) or the queue of a line (QUEUE_ID = the line's ID) (§3.2 *.transfer). */
export const transferTargetField: FieldSpec = {
	property: {
		displayName: 'Transfer To',
		name: 'transferTo',
		type: 'options',
		options: [
			{ name: 'Line Queue', value: 'line', description: 'The queue of an Open Channel (QUEUE_ID = the line ID)' },
			{ name: 'Operator', value: 'user', description: 'An employee (USER_ID)' },
		],
		default: 'user',
	},
	cases: {
		user: [userIdField('The employee who takes the dialog (USER_ID).')],
		line: [
			{
				property: idProperty('Line ID', 'queueLineId', 'The Open Channel whose queue takes the dialog (QUEUE_ID): the line ID, not a user of its queue.', 'e.g. 3'),
				param: 'QUEUE_ID',
				encode: encoders.positiveInteger,
			},
		],
	},
};

/** The transfer's target as output: `{transferredTo: 'user'|'line', userId|lineId}`. */
export function transferTarget(params: IDataObject): IDataObject {
	return params.USER_ID !== undefined ? { transferredTo: 'user', userId: params.USER_ID } : { transferredTo: 'line', lineId: params.QUEUE_ID };
}

/** CRM_ENTITY_TYPE + CRM_ENTITY (§3.2 crm.*). */
export const crmEntityTypeField: FieldSpec = {
	property: {
		displayName: 'CRM Entity Type',
		name: 'crmEntityType',
		type: 'options',
		options: [
			{ name: 'Company', value: 'company' },
			{ name: 'Contact', value: 'contact' },
			{ name: 'Deal', value: 'deal' },
			{ name: 'Lead', value: 'lead' },
		],
		default: 'lead',
		description: 'The kind of CRM item the chat is linked to (CRM_ENTITY_TYPE)',
	},
	param: 'CRM_ENTITY_TYPE',
};

export const crmEntityIdField: FieldSpec = {
	property: idProperty('CRM Entity ID', 'crmEntityId', 'The ID of the lead, deal, company or contact (CRM_ENTITY).', 'e.g. 1209'),
	param: 'CRM_ENTITY',
	encode: encoders.positiveInteger,
};

/** A Bitrix24.Network line code: 32 characters (§3.2 network.*). */
export const networkCodeField: FieldSpec = {
	property: idProperty(
		'Network Line Code',
		'networkCode',
		'The code of the Bitrix24.Network Open Channel (CODE): 32 characters, shown in the line\'s card in the Contact Center.',
		'e.g. ab515f5d85a8b844d484f6ea75a2e494',
	),
	param: 'CODE',
	encode: (value) => {
		const text = typeof value === 'string' ? value.trim() : '';
		if (!/^[A-Za-z0-9]{32}$/.test(text)) throw new FieldError(`must be the 32-character line code (got ${validators.describeValue(value)})`);
		return text;
	},
};

/** A `true` answer, or the item's error: Bitrix24 answered `false` (nothing was done). */
export function mustBeTrue(method: string, what: string, code = 'NOT_DONE'): (result: unknown) => void {
	return (result) => {
		if (result === false || result === null || result === undefined) throw new ResultError(`${what} (${method} returned false)`, code);
	};
}

/** Where a webhook credential keeps the bot's CLIENT_ID: "Chatbot Client ID" (imbot v1) or "Bot Token" (imbot.v2). */
export type BotClientIdSource = 'chatbotClientId' | 'botToken';

export const BOT_CLIENT_ID_LABEL: Record<BotClientIdSource, string> = { chatbotClientId: 'Chatbot Client ID', botToken: 'Bot Token' };

/**
 * Webhook calls of imopenlines.bot.session.finish / transfer must carry the bot's CLIENT_ID (§1.3, §3.2): the v1
 * CLIENT_ID or the v2 botToken the bot was registered with, from the credential. OAuth2 calls need nothing.
 */
export function withBotClientId(method: string, source: BotClientIdSource = 'chatbotClientId'): (params: IDataObject, item: ItemContext) => IDataObject {
	return (params, item) => {
		if (item.auth !== 'webhook') return params;
		const value = item.portal[source];
		if (!value) {
			throw new FieldError(
				`${method} under a webhook needs the bot's client ID: set "${BOT_CLIENT_ID_LABEL[source]}" in the Bitrix24 Webhook API credential (the value the bot was registered with), or use the OAuth2 credential`,
			);
		}
		return { ...params, CLIENT_ID: value };
	};
}

/** The notice of the operations that act as the credential's user (operator actions). */
export const ACTS_AS_USER_NOTICE =
	'Runs as the user of the credential (the user who authorized the OAuth2 app, or the user who created the webhook): that user must be an operator of the line, or have the rights the action needs.';
