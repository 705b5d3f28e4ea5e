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

/** The example workflows, as n8n imports them, with this run's URLs. */
function demoWorkflows(urls) {
	const out = {};
	for (const [key, file] of Object.entries(WORKFLOWS)) out[key] = loadWorkflow(file, urls);
	return out;
}

/** The chatbot (API v2) with this code in the sandbox, once its trigger has registered it (Create on Activation). */
function v2BotByCode(sb, code) {
	const bots = sb.state.imbotV2 ? [...sb.state.imbotV2.bots.values()] : [];
	return bots.find((b) => b.code === code);
}

module.exports = {
	APPROVALS_BOT_CODE,
	BOT_CODE,
	SUPPORT_BOT_CODE,
	CHATBOT_CLIENT_ID,
	CONNECTOR_ID,
	CREDENTIALS,
	EXAMPLES_DIR,
	INSTALL_WEBHOOK_PATH,
	RELAY_WEBHOOK_PATH,
	WORKFLOWS,
	demoCredentials,
	demoWorkflows,
	v2BotByCode,
};
