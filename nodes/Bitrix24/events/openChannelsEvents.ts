import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import type { BitrixCall } from '../transport';
import type { FormValue } from './phpForm';
import { isOpenLinesEvent, OPEN_LINES_EVENTS, openLinesConnectorAndLine, openLinesItems } from './openLinesEvents';
import type { ReceivedEvent } from './receive';
import { compact, flagAt, idAt, isFormObject, listAt, objectAt, textAt } from './values';
import { plainText } from './bbCode';

/** Connector events (§2.2), bound with event.bind. */
const CONNECTOR_EVENTS: INodePropertyOptions[] = [
	{ name: 'Connector Disabled on a Line', value: 'ONIMCONNECTORSTATUSDELETE', description: 'ONIMCONNECTORSTATUSDELETE: the connector was switched off on a line' },
	{ name: 'Dialog Finished', value: 'ONIMCONNECTORDIALOGFINISH', description: 'ONIMCONNECTORDIALOGFINISH: a session was closed' },
	{ name: 'Dialog Started', value: 'ONIMCONNECTORDIALOGSTART', description: 'ONIMCONNECTORDIALOGSTART: a session was created' },
	{ name: 'Line Deleted', value: 'ONIMCONNECTORLINEDELETE', description: 'ONIMCONNECTORLINEDELETE: an Open Channel was deleted' },
	{ name: 'Operator Message Deleted', value: 'ONIMCONNECTORMESSAGEDELETE', description: 'ONIMCONNECTORMESSAGEDELETE' },
	{ name: 'Operator Message Edited', value: 'ONIMCONNECTORMESSAGEUPDATE', description: 'ONIMCONNECTORMESSAGEUPDATE' },
	{ name: 'Operator Message Sent', value: 'ONIMCONNECTORMESSAGEADD', description: 'ONIMCONNECTORMESSAGEADD: an operator reply to send to your channel' },
];

/** Connector events and open-line events (openLinesEvents.ts), all bound with event.bind by an app. Sorted by name for the UI. */
export const OPEN_CHANNELS_EVENTS: INodePropertyOptions[] = [...CONNECTOR_EVENTS, ...OPEN_LINES_EVENTS].sort((a, b) => a.name.localeCompare(b.name));

export const OPEN_CHANNELS_EVENT_NAMES = OPEN_CHANNELS_EVENTS.map((o) => String(o.value));

const MESSAGE_EVENTS = new Set(['ONIMCONNECTORMESSAGEADD', 'ONIMCONNECTORMESSAGEUPDATE', 'ONIMCONNECTORMESSAGEDELETE']);
const DIALOG_EVENTS = new Set(['ONIMCONNECTORDIALOGSTART', 'ONIMCONNECTORDIALOGFINISH']);
/** Events whose messages are confirmed with imconnector.send.status.delivery (§2.1, §2.2). */
const CONFIRMED_EVENTS = new Set(['ONIMCONNECTORMESSAGEADD', 'ONIMCONNECTORMESSAGEUPDATE']);

/** Connector id and line of an event (lower-case keys in STATUSDELETE, the bare line id in LINEDELETE). */
export function connectorAndLine(received: ReceivedEvent): { connector?: string; line?: number | string } {
	const data = received.data;
	if (isOpenLinesEvent(received.event)) return openLinesConnectorAndLine(received);
	if (received.event === 'ONIMCONNECTORLINEDELETE') {
		return { line: isFormObject(data) ? idAt(data.LINE ?? data.line) : idAt(data as FormValue) };
	}
	const block = objectAt(data);
	return { connector: textAt(block.CONNECTOR ?? block.connector), line: idAt(block.LINE ?? block.line) };
}

function externalIds(value: FormValue | undefined): string[] | undefined {
	if (value === undefined) return undefined;
	if (typeof value === 'string') return value === '' ? [] : [value];
	return listAt(value).filter((v): v is string => typeof v === 'string');
}

function messageItem(received: ReceivedEvent, entry: FormValue): IDataObject {
	const { connector, line } = connectorAndLine(received);
	const block = objectAt(entry);
	const im = objectAt(block.im);
	const message = objectAt(block.message);
	const chat = objectAt(block.chat);
	const files = message.files === undefined ? undefined : listAt(message.files);
	return compact({
		event: received.event,
		connector,
		line,
		chat: compact({ id: idAt(im.chat_id), externalId: textAt(chat.id) }),
		user: compact({ id: idAt(message.user_id) }),
		message: compact({
			id: idAt(im.message_id),
			externalIds: externalIds(message.id),
			text: textAt(message.text),
			plainText: textAt(message.text) === undefined ? undefined : plainText(textAt(message.text) as string),
			files: received.event === 'ONIMCONNECTORMESSAGEDELETE' ? files : (files ?? []),
		}),
		domain: received.domain,
		ts: idAt(received.ts),
	});
}

function dialogEntry(entry: FormValue): IDataObject {
	const block = objectAt(entry);
	const connector = objectAt(block.connector);
	const session = objectAt(block.session);
	return compact({
		chat: compact({ id: idAt(objectAt(block.chat).id), externalId: textAt(connector.chat_id) }),
		user: compact({ id: idAt(objectAt(block.user).id), externalId: textAt(connector.user_id) }),
		session: compact({
			id: idAt(session.id),
			closed: flagAt(session.closed),
			parentId: idAt(session.parent_id),
			closeTerm: textAt(session.close_term) || undefined,
		}),
	});
}

/**
 * Workflow items for a connector event: one per message for message events; one item with the event's data for
 * dialog, status and line events. Open-line events (sessions, chat messages): openLinesItems, one per DATA entry. No `auth` data ever reaches an item.
 */
export function openChannelsItems(received: ReceivedEvent): IDataObject[] {
	if (isOpenLinesEvent(received.event)) return openLinesItems(received);
	const { connector, line } = connectorAndLine(received);
	const base = { event: received.event, connector, line };
	const tail = { domain: received.domain, ts: idAt(received.ts) };
	if (MESSAGE_EVENTS.has(received.event)) {
		return listAt(objectAt(received.data).MESSAGES).map((entry) => messageItem(received, entry));
	}
	if (DIALOG_EVENTS.has(received.event)) {
		const dialogs = listAt(objectAt(received.data).DATA).map(dialogEntry);
		const first = dialogs[0] ?? {};
		return [compact({ ...base, ...first, dialogs, ...tail })];
	}
	return [compact({ ...base, ...tail })];
}

/** Whether the event passes the connector/line filters. A filter applies only when the event carries that field. */
export function matchesConnectorFilter(received: ReceivedEvent, connectorFilter: string, lineFilter: string): boolean {
	const { connector, line } = connectorAndLine(received);
	if (connectorFilter && connector !== undefined && connector.toLowerCase() !== connectorFilter.toLowerCase()) return false;
	if (lineFilter && line !== undefined && String(line) !== lineFilter) return false;
	return true;
}

/**
 * The imconnector.send.status.delivery call confirming every message of the event in one call, or undefined when the
 * event has nothing to confirm. External ids: the ones the event carries (updates), else the Bitrix message id.
 */
export function deliveryConfirmation(received: ReceivedEvent): BitrixCall | undefined {
	if (!CONFIRMED_EVENTS.has(received.event)) return undefined;
	const { connector, line } = connectorAndLine(received);
	const entries = listAt(objectAt(received.data).MESSAGES);
	if (!connector || line === undefined || entries.length === 0) return undefined;
	const date = /^\d+$/.test(received.ts ?? '') ? Number(received.ts) : Math.floor(Date.now() / 1000);
	const MESSAGES = entries.map((entry) => {
		const block = objectAt(entry);
		const im = objectAt(block.im);
		const ids = externalIds(objectAt(block.message).id);
		return {
			im: { chat_id: idAt(im.chat_id), message_id: idAt(im.message_id) },
			message: { id: ids && ids.length ? ids : [String(textAt(im.message_id) ?? '')], date },
			chat: { id: textAt(objectAt(block.chat).id) ?? '' },
		};
	});
	return { method: 'imconnector.send.status.delivery', params: { CONNECTOR: connector, LINE: line, MESSAGES }, write: true };
}
