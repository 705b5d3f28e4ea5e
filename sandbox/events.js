'use strict';
/**
 * Outbound events (§1.9): HTTP POST, application/x-www-form-urlencoded, PHP http_build_query keys:
 * event, event_handler_id, data[...], ts, auth[...].
 * deliver() awaits the handler's answer and reports { url, event, status, body }.
 */
const http = require('http');
const https = require('https');
const { buildPhpQuery } = require('./phpQuery');
const { issueTokens, SCOPE } = require('./oauth');
const offlineEvents = require('./offlineEvents');
const { findApp, isLocalApp, isInstalled } = require('./install');

const DELIVERY_TIMEOUT_MS = 10000;
const KEEP_DELIVERIES = 1000;

/**
 * The `auth` block. For the OAuth app: a fresh token of the acting user plus the portal data.
 * For a webhook-owned bot (no app): only domain, endpoints, member_id and application_token,
 * like outgoing webhooks (§1.9).
 */
function eventAuth(portal, { clientId, userId = 1, applicationToken } = {}) {
	const base = {
		domain: portal.host,
		client_endpoint: `${portal.url}/rest/`,
		server_endpoint: `${portal.url}/rest/`,
		member_id: portal.memberId,
	};
	const local = isLocalApp(portal, clientId); // install.js: a local app's own token
	const appToken = applicationToken !== undefined ? applicationToken : local ? findApp(portal, clientId).applicationToken : portal.applicationToken;
	if (clientId !== portal.clientId && !local) return { ...base, application_token: appToken };
	const t = issueTokens(portal, { userId, clientId });
	return {
		access_token: t.access_token,
		expires: t.expires,
		expires_in: t.expires_in,
		scope: SCOPE,
		domain: base.domain,
		server_endpoint: base.server_endpoint,
		status: 'L',
		client_endpoint: base.client_endpoint,
		member_id: base.member_id,
		user_id: Number(userId),
		application_token: appToken,
	};
}

function post(url, body) {
	return new Promise((resolve) => {
		let target;
		try {
			target = new URL(url);
		} catch {
			resolve({ status: 0, body: `invalid handler URL` });
			return;
		}
		const lib = target.protocol === 'https:' ? https : http;
		const req = lib.request(
			target,
			{
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					'content-length': Buffer.byteLength(body),
					'user-agent': 'Bitrix24 Sandbox Webhook Engine',
				},
				timeout: DELIVERY_TIMEOUT_MS,
			},
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk) => {
					if (text.length < 4000) text += chunk;
				});
				res.on('end', () => resolve({ status: res.statusCode, body: text.slice(0, 4000) }));
				res.on('error', (e) => resolve({ status: res.statusCode || 0, body: String(e.message) }));
			},
		);
		req.on('timeout', () => req.destroy(new Error('handler timed out')));
		req.on('error', (e) => resolve({ status: 0, body: String(e.message) }));
		req.end(body);
	});
}

/**
 * Sends one event to one URL. `auth` is the block from eventAuth().
 * Returns a promise of { url, event, status, body, handlerId }.
 */
function deliver(portal, { url, event, handlerId, data, auth }) {
	const payload = { event, event_handler_id: handlerId, data, ts: Math.floor(Date.now() / 1000), auth };
	const body = buildPhpQuery(payload);
	const started = Date.now();
	const p = post(url, body).then((r) => {
		const record = { url, event, handlerId, status: r.status, body: r.body, time: new Date(started).toISOString() };
		portal.deliveries.push(record);
		if (portal.deliveries.length > KEEP_DELIVERIES) portal.deliveries.splice(0, portal.deliveries.length - KEEP_DELIVERIES);
		return { url, event, status: r.status, body: r.body };
	});
	portal.pending.add(p);
	p.finally(() => portal.pending.delete(p));
	return p;
}

/** Online handlers bound with event.bind by `clientId` for `event` (upper case). */
function boundHandlers(portal, event, clientId) {
	return portal.state.eventHandlers.filter((h) => h.event === event && h.clientId === clientId && h.event_type !== 'offline');
}

/**
 * Connector/open-line event to every handler the connector's app bound for it: online handlers get a POST, an
 * offline binding (event_type=offline, one per auth_connector) records the event in the app's offline queue.
 * Returns a promise of the delivery list (offline records appear as {event, offline: true, id}).
 */
function fireAppEvent(portal, { event, clientId, userId = 1, data, applicationToken }) {
	// No events (online or offline) for an app whose installation is not finished (install.js).
	if (!isInstalled(portal, clientId)) return Promise.resolve([]);
	const handlers = boundHandlers(portal, event, clientId);
	const queued = portal.state.eventHandlers
		.filter((h) => h.event === event && h.clientId === clientId && h.event_type === 'offline')
		.map((h) => {
			const rec = offlineEvents.record(portal.state, { clientId, event, data, userId, authConnector: h.auth_connector || '' });
			return { event, offline: true, id: rec.ID };
		});
	return Promise.all(
		handlers.map((h) =>
			deliver(portal, {
				url: h.handler,
				event,
				handlerId: h.id,
				data,
				auth: eventAuth(portal, { clientId, userId: Number(h.auth_type) > 0 ? Number(h.auth_type) : userId, applicationToken }),
			}),
		),
	).then((deliveries) => [...deliveries, ...queued]);
}

module.exports = { deliver, eventAuth, fireAppEvent, boundHandlers };
