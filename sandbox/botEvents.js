'use strict';
/**
 * v1 chatbot events (§4.6) go to the URLs given at imbot.register / imbot.command.register,
 * not to event.bind handlers. data[BOT][id] carries the bot's own token block.
 */
const { deliver, eventAuth } = require('./events');
const { issueTokens, SCOPE } = require('./oauth');

/** data[BOT][botId] (or data[COMMAND][id] token part) for a bot. */
function botTokenBlock(portal, bot, applicationToken) {
	const appToken = applicationToken !== undefined ? applicationToken : portal.applicationToken;
	if (bot.ownerKind !== 'app') return { user_id: bot.ID, application_token: appToken, BOT_ID: bot.ID, BOT_CODE: bot.CODE };
	const t = issueTokens(portal, { userId: bot.ID, clientId: bot.clientId });
	const auth = {
		access_token: t.access_token, expires: t.expires, expires_in: t.expires_in, scope: SCOPE, domain: portal.host,
		server_endpoint: t.server_endpoint, status: 'L', client_endpoint: t.client_endpoint, member_id: portal.memberId,
		refresh_token: t.refresh_token, user_id: bot.ID, client_id: bot.clientId, application_token: appToken,
	};
	return { ...auth, AUTH: { ...auth }, BOT_ID: bot.ID, BOT_CODE: bot.CODE };
}

/**
 * Sends `event` to the bot's `handlerField` URL (e.g. EVENT_MESSAGE_ADD). No URL -> no delivery.
 * withBotBlock adds data[BOT][botId]. Returns a promise of the delivery list.
 */
function fireBotEvent(portal, bot, handlerField, event, data, { userId = 1, applicationToken, withBotBlock = false } = {}) {
	const url = bot[handlerField];
	if (!url) return Promise.resolve([]);
	const full = withBotBlock ? { BOT: { [bot.ID]: botTokenBlock(portal, bot, applicationToken) }, ...data } : data;
	const auth = eventAuth(portal, { clientId: bot.ownerKind === 'app' ? bot.clientId : null, userId, applicationToken });
	return deliver(portal, { url, event, handlerId: bot.handlerIds[handlerField], data: full, auth }).then((d) => [d]);
}

module.exports = { fireBotEvent, botTokenBlock };
