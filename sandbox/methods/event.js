'use strict';
/** event.bind / event.unbind / event.get (§1.9). App context only (auth.js). */
const { nextId } = require('../state');
const { isEmpty, toInt, fail } = require('./util');

/** Events the portal knows (bitrix24-methods.txt, # events). */
const KNOWN_EVENTS = new Set([
	'ONIMBOTDELETE', 'ONIMBOTJOINCHAT', 'ONIMBOTMESSAGEADD', 'ONIMBOTMESSAGEDELETE', 'ONIMBOTMESSAGEUPDATE', 'ONIMCOMMANDADD',
	'ONIMCONNECTORDIALOGFINISH', 'ONIMCONNECTORDIALOGSTART', 'ONIMCONNECTORLINEDELETE', 'ONIMCONNECTORMESSAGEADD',
	'ONIMCONNECTORMESSAGEDELETE', 'ONIMCONNECTORMESSAGEUPDATE', 'ONIMCONNECTORSTATUSDELETE',
	'ONOPENLINEMESSAGEADD', 'ONOPENLINEMESSAGEDELETE', 'ONOPENLINEMESSAGEUPDATE', 'ONSESSIONSTART', 'ONSESSIONFINISH',
	'ONAPPINSTALL', 'ONAPPUNINSTALL',
]);

function eventName(params) {
	if (isEmpty(params.event)) fail('ERROR_EVENT_NOT_FOUND', 'Event not found');
	const name = String(params.event).toUpperCase();
	if (!KNOWN_EVENTS.has(name)) fail('ERROR_EVENT_NOT_FOUND', 'Event not found');
	return name;
}

function bind({ state, params, auth }) {
	const event = eventName(params);
	const eventType = String(params.event_type || 'online').toLowerCase();
	if (eventType !== 'online' && eventType !== 'offline') fail('ERROR_ARGUMENT', "event_type must be 'online' or 'offline'");
	if (eventType === 'online' && isEmpty(params.handler)) fail('ERROR_HANDLER_URL_MISMATCH', 'Handler URL is required');
	if (eventType === 'online' && !/^https?:\/\//i.test(String(params.handler))) fail('ERROR_HANDLER_URL_MISMATCH', 'Wrong handler URL');
	const handler = eventType === 'online' ? String(params.handler) : '';
	const authType = isEmpty(params.auth_type) ? 0 : toInt(params.auth_type);
	if (authType > 0 && !state.users.has(authType)) fail('ACCESS_DENIED', 'auth_type user not found', 403);
	if (state.eventHandlers.some((h) => h.clientId === auth.clientId && h.event === event && h.handler === handler && h.event_type === eventType)) {
		fail('ERROR_CORE', 'Handler already binded');
	}
	state.eventHandlers.push({ id: nextId(state, 'handler'), event, handler, clientId: auth.clientId, auth_type: authType, event_type: eventType });
	return true;
}

function unbind({ state, params, auth }) {
	const event = eventName(params);
	const before = state.eventHandlers.length;
	const authType = isEmpty(params.auth_type) ? null : toInt(params.auth_type);
	const eventType = isEmpty(params.event_type) ? null : String(params.event_type).toLowerCase();
	state.eventHandlers = state.eventHandlers.filter(
		(h) =>
			!(
				h.clientId === auth.clientId &&
				h.event === event &&
				(isEmpty(params.handler) || h.handler === String(params.handler)) &&
				(authType === null || h.auth_type === authType) &&
				(eventType === null || h.event_type === eventType)
			),
	);
	return { count: before - state.eventHandlers.length };
}

function get({ state, auth }) {
	return state.eventHandlers
		.filter((h) => h.clientId === auth.clientId)
		.map((h) => ({ event: h.event, handler: h.handler, auth_type: String(h.auth_type), offline: h.event_type === 'offline' ? 1 : 0 }));
}

module.exports = { methods: { 'event.bind': bind, 'event.unbind': unbind, 'event.get': get }, KNOWN_EVENTS };
