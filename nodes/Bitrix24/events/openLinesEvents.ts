import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { plainText } from './bbCode';
import type { FormObject, FormValue } from './phpForm';
import type { ReceivedEvent } from './receive';
import { compact, flagAt, idAt, listAt, objectAt, textAt } from './values';

/**
 * Open-line events (b24restdocs api-reference/imopenlines/openlines/events/*.md), bound with event.bind by an app.
 * Only events intended for the connector the app added reach its handler (the docs say so on every page).
 */
export const OPEN_LINES_EVENTS: INodePropertyOptions[] = [
	{
		name: 'Open Line Message Added',
		value: 'ONOPENLINEMESSAGEADD',
		description:
			'OnOpenLineMessageAdd: a message (customer, operator or bot) was added to an open-line chat. Needs an app (OAuth2 credential): Bitrix24 delivers it only to handlers an application bound with event.bind. Only events for the app\'s own connector are delivered.',
	},
	{
		name: 'Open Line Message Deleted',
		value: 'ONOPENLINEMESSAGEDELETE',
		description:
			'OnOpenLineMessageDelete: a message in an open-line chat was deleted. Needs an app (OAuth2 credential): Bitrix24 delivers it only to handlers an application bound with event.bind. Only events for the app\'s own connector are delivered.',
	},
	{
		name: 'Open Line Message Edited',
		value: 'ONOPENLINEMESSAGEUPDATE',
		description:
			'OnOpenLineMessageUpdate: a message in an open-line chat was edited. Needs an app (OAuth2 credential): Bitrix24 delivers it only to handlers an application bound with event.bind. Only events for the app\'s own connector are delivered.',
	},
	{
		name: 'Session Finished',
		value: 'ONSESSIONFINISH',
		description:
			'OnSessionFinish: an Open Channel session was closed. Needs an app (OAuth2 credential): Bitrix24 delivers it only to handlers an application bound with event.bind. Only events for the app\'s own connector are delivered.',
	},
	{
		name: 'Session Started',
		value: 'ONSESSIONSTART',
		description:
			'OnSessionStart: an Open Channel session was created. Needs an app (OAuth2 credential): Bitrix24 delivers it only to handlers an application bound with event.bind. Only events for the app\'s own connector are delivered.',
	},
];

export const OPEN_LINES_EVENT_NAMES = OPEN_LINES_EVENTS.map((o) => String(o.value));

const SESSION_EVENTS = new Set(['ONSESSIONSTART', 'ONSESSIONFINISH']);

export function isOpenLinesEvent(event: string): boolean {
	return OPEN_LINES_EVENT_NAMES.includes(event);
}

/**
 * Connector and line of an open-line event: data[CONNECTOR]/data[LINE] (Update/Delete pages), else the first
 * DATA entry's connector block (connector_id, line_id: Add and session pages).
 */
export function openLinesConnectorAndLine(received: ReceivedEvent): { connector?: string; line?: number | string } {
	const data = objectAt(received.data);
	const first = objectAt(objectAt(listAt(data.DATA)[0]).connector);
	return {
		connector: textAt(data.CONNECTOR) ?? textAt(first.connector_id),
		line: idAt(data.LINE) ?? idAt(first.line_id),
	};
}

/** The raw DATA entry as plain JSON (strings as Bitrix24 sent them). Events carry no token inside DATA. */
function raw(entry: FormValue): IDataObject {
	return JSON.parse(JSON.stringify(objectAt(entry))) as IDataObject;
}

function sessionItem(received: ReceivedEvent, entry: FormValue, connector?: string, line?: number | string): IDataObject {
	const block = objectAt(entry);
	const conn = objectAt(block.connector);
	const session = objectAt(block.session);
	const chatId = idAt(objectAt(block.chat).id) ?? idAt(conn.chat_id);
	const externalChat = textAt(conn.chat_id);
	const userId = idAt(objectAt(block.user).id) ?? idAt(conn.user_id);
	const externalUser = textAt(conn.user_id);
	return compact({
		event: received.event,
		connector: textAt(conn.connector_id) ?? connector,
		line: idAt(conn.line_id) ?? line,
		chat: compact({ id: chatId, externalId: externalChat !== undefined && externalChat !== String(chatId) ? externalChat : undefined }),
		user: compact({ id: userId, externalId: externalUser !== undefined && externalUser !== String(userId) ? externalUser : undefined }),
		session: compact({
			id: idAt(session.id),
			closed: flagAt(session.closed),
			parentId: idAt(session.parent_id),
			closeTerm: idAt(session.close_term),
		}),
		data: raw(entry),
		domain: received.domain,
		ts: idAt(received.ts),
	});
}

function filesOf(message: FormObject): FormValue[] | undefined {
	if (message.files === undefined) return undefined;
	return typeof message.files === 'string' ? [] : listAt(message.files);
}

/**
 * A message event's entry: {connector{connector_id,line_id,chat_id,user_id}, chat{id}, message{id,date,text,files,
 * attach,system,user_id}} (Add), or {im{chat_id,message_id}, message{id}, chat{id}} (Update/Delete).
 */
function messageItem(received: ReceivedEvent, entry: FormValue, connector?: string, line?: number | string): IDataObject {
	const block = objectAt(entry);
	const conn = objectAt(block.connector);
	const im = objectAt(block.im);
	const message = objectAt(block.message);
	const chatId = idAt(im.chat_id) ?? idAt(objectAt(block.chat).id) ?? idAt(conn.chat_id);
	const externalChat = textAt(conn.chat_id);
	const text = textAt(message.text);
	const userId = idAt(message.user_id);
	const externalUser = textAt(conn.user_id);
	return compact({
		event: received.event,
		connector: textAt(conn.connector_id) ?? connector,
		line: idAt(conn.line_id) ?? line,
		// connector.user_id is the dialog's customer in the external system, not necessarily the author: kept on the chat
		chat: compact({
			id: chatId,
			externalId: externalChat !== undefined && externalChat !== String(chatId) ? externalChat : undefined,
			externalUserId: externalUser,
		}),
		user: userId === undefined ? undefined : { id: userId },
		message: compact({
			id: idAt(im.message_id) ?? idAt(message.id),
			date: textAt(message.date) || undefined,
			text,
			plainText: text === undefined ? undefined : plainText(text),
			system: flagAt(message.system),
			files: filesOf(message),
			attach: message.attach === undefined || message.attach === '' ? undefined : (message.attach as IDataObject | string),
		}),
		data: raw(entry),
		domain: received.domain,
		ts: idAt(received.ts),
	});
}

/**
 * Workflow items for an open-line event: one per DATA entry (session or message). Keys are camelCase; the entry as
 * Bitrix24 sent it is under `data`. No `auth` data ever reaches an item.
 */
export function openLinesItems(received: ReceivedEvent): IDataObject[] {
	const { connector, line } = openLinesConnectorAndLine(received);
	const entries = listAt(objectAt(received.data).DATA);
	const build = SESSION_EVENTS.has(received.event) ? sessionItem : messageItem;
	if (entries.length === 0) return [compact({ event: received.event, connector, line, domain: received.domain, ts: idAt(received.ts) })];
	return entries.map((entry) => build(received, entry, connector, line));
}
