'use strict';
// What the demo puts into n8n: the two credentials (against the sandbox portal) and the example
// workflows from examples/*.json, with the demo's actual ports filled in.

const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples');

/** Defaults written in the example files; replaced by what this run actually uses. */
const EXAMPLE_N8N_URL = 'http://127.0.0.1:5678';
const EXAMPLE_MESSENGER_URL = 'http://127.0.0.1:8932';

const CONNECTOR_ID = 'n8n_demo_relay';
const BOT_CODE = 'n8n_echo_bot';
const SUPPORT_BOT_CODE = 'n8n_support_bot';
const APPROVALS_BOT_CODE = 'n8n_approvals_bot';
const V2_BOT_CODE = 'n8n_support_v2';
const CHATBOT_CLIENT_ID = 'n8n-demo-echo-bot';
const RELAY_WEBHOOK_PATH = 'outside-messenger';
const INSTALL_WEBHOOK_PATH = 'bitrix24-install';

const WORKFLOWS = {
	connectorSetup: 'connector-setup.json',
	echoBot: 'echo-bot.json',
	connectorRelay: 'connector-relay.json',
	installHandler: 'install-handler.json',
	supportBot: 'support-bot-handoff.json',
	supportLineSetup: 'support-line-setup.json',
	approval: 'manager-approval.json',
	v2FetchBot: 'v2-support-bot-fetch.json',
};

const CREDENTIALS = {
	webhook: { id: 'b24demoWebhook', name: 'Bitrix24 Webhook (sandbox)', type: 'bitrix24WebhookApi' },
	oauth2: { id: 'b24demoOAuth2', name: 'Bitrix24 OAuth2 (sandbox)', type: 'bitrix24OAuth2Api' },
};

/** Both credentials, pointing at the sandbox; the OAuth2 one already connected (as after Connect). */
function demoCredentials(sb) {
	return [
		{
			...CREDENTIALS.webhook,
			data: {
				webhookSecret: sb.webhookUrl,
				chatbotClientId: CHATBOT_CLIENT_ID,
				applicationToken: sb.applicationToken,
			},
		},
		{
			...CREDENTIALS.oauth2,
			data: {
				portalUrl: sb.url,
				clientId: sb.oauth.clientId,
				clientSecret: sb.oauth.clientSecret,
				accessTokenUrl: sb.oauth.tokenUrl,
				applicationToken: sb.applicationToken,
				oauthTokenData: sb.issueTokens(),
			},
		},
	];
}

/** One example workflow as n8n imports it, with this run's n8n and messenger URLs. */
function loadWorkflow(file, { n8nUrl, messengerUrl }) {
	const text = fs
		.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')
		.split(EXAMPLE_N8N_URL)
		.join(n8nUrl)
		.split(EXAMPLE_MESSENGER_URL)
		.join(messengerUrl);
	return JSON.parse(text);
}

/**
 * The v2 support bot the fetch example reads: on a real portal you register it once (Bitrix24 Chatbot → Bot →
 * Register) and pick it in the trigger; the demo registers it in the sandbox as the app's bot. Returns its id.
 */
async function registerV2Bot(sb) {
	const token = sb.issueTokens().access_token;
	const res = await fetch(`${sb.url}/rest/imbot.v2.Bot.register`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
		body: JSON.stringify({ fields: { code: V2_BOT_CODE, type: 'bot', eventMode: 'fetch', properties: { name: 'Support Bot v2' } } }),
	});
	const body = await res.json();
	if (!body.result || !body.result.bot) throw new Error(`registering the v2 support bot: ${JSON.stringify(body).slice(0, 200)}`);
	return body.result.bot.id;
}

/** The example workflows; `v2BotId` goes into the fetch example's Bot (the file has a placeholder). */
function demoWorkflows(urls) {
	const out = {};
	for (const [key, file] of Object.entries(WORKFLOWS)) out[key] = loadWorkflow(file, urls);
	if (urls.v2BotId) {
		const trigger = out.v2FetchBot.nodes.find((n) => n.type.endsWith('.bitrix24ChatbotFetchTrigger'));
		trigger.parameters.botId.value = String(urls.v2BotId);
	}
	return out;
}

module.exports = {
	APPROVALS_BOT_CODE,
	BOT_CODE,
	SUPPORT_BOT_CODE,
	V2_BOT_CODE,
	registerV2Bot,
	CHATBOT_CLIENT_ID,
	CONNECTOR_ID,
	CREDENTIALS,
	EXAMPLES_DIR,
	INSTALL_WEBHOOK_PATH,
	RELAY_WEBHOOK_PATH,
	WORKFLOWS,
	demoCredentials,
	demoWorkflows,
};
