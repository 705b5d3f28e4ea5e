'use strict';
/**
 * Offline events (b24restdocs api-reference/events/offline-events.md, event-offline-get/clear/error/list.md).
 * An app that bound an event with event.bind event_type=offline gets no POST: the event is recorded in the app's
 * queue, and the app reads it with event.offline.get (clear=1 deletes what it returns; clear=0 reserves it under a
 * process_id, to be deleted with event.offline.clear or marked with event.offline.error), or looks at it with
 * event.offline.list. The queue keeps the current state of an object, not every change: a new record with the
 * same EVENT_NAME and MESSAGE_ID as one not yet reserved replaces it. Sandbox choice (the docs do not say how
 * MESSAGE_ID is formed for connector events): MESSAGE_ID = md5 of the event name and its data, so two different
 * events never collapse and an identical repeat does.
 */
const crypto = require('crypto');
const { isoWithOffset } = require('./envelope');

/** The sandbox keeps at most this many records per app (the docs name no limit). */
const MAX_RECORDS = 10000;

function queue(state) {
	if (!state.offlineEvents) state.offlineEvents = { seq: 0, records: [] };
	return state.offlineEvents;
}

function messageIdOf(event, data) {
	return crypto.createHash('md5').update(`${event}\n${JSON.stringify(data ?? null)}`).digest('hex').slice(0, 16);
}

/** Records one event for an offline handler; returns the record. */
function record(state, { clientId, event, data, userId, authConnector = '' }) {
	const q = queue(state);
	const messageId = messageIdOf(event, data);
	const same = q.records.findIndex(
		(r) => r.clientId === clientId && r.authConnector === authConnector && r.EVENT_NAME === event && r.MESSAGE_ID === messageId && !r.PROCESS_ID,
	);
	if (same >= 0) q.records.splice(same, 1);
	q.seq += 1;
	const rec = {
		ID: q.seq,
		TIMESTAMP_X: isoWithOffset(Date.now()),
		EVENT_NAME: event,
		EVENT_DATA: data ?? false,
		EVENT_ADDITIONAL: userId ? { user_id: String(userId) } : false,
		MESSAGE_ID: messageId,
		PROCESS_ID: '',
		ERROR: 0,
		clientId,
		authConnector,
	};
	q.records.push(rec);
	const own = q.records.filter((r) => r.clientId === clientId);
	if (own.length > MAX_RECORDS) {
		const drop = new Set(own.slice(0, own.length - MAX_RECORDS));
		q.records = q.records.filter((r) => !drop.has(r));
	}
	return rec;
}

function newProcessId() {
	return crypto.randomBytes(16).toString('hex');
}

module.exports = { queue, record, newProcessId, messageIdOf, MAX_RECORDS };
