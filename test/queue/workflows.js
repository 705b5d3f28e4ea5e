'use strict';
// Workflows of the queue-mode suite and bench: a chatbot that answers every message (Chatbot Trigger → Chatbot
// Message Send), a trigger-only counter, and the Chatbot Fetch Trigger.
const crypto = require('node:crypto');
// node ids are UUIDs: PostgreSQL stores them in varchar(36) columns (sqlite does not check the length)
const { TYPES, credentialRef } = require('../e2e/lib/bitrix');

const PACKAGE = 'n8n-nodes-bitrix24-chat';
const FETCH_TYPE = `${PACKAGE}.bitrix24ChatbotFetchTrigger`;

function triggerNode(webhookId, credential, botCode) {
	return {
		id: crypto.randomUUID(),
		name: 'Bot Events',
		type: TYPES.chatbotTrigger,
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters: {
			authentication: credential.type === 'bitrix24WebhookApi' ? 'webhook' : 'oAuth2',
			events: ['ONIMBOTMESSAGEADD'],
			botSource: 'code',
			botCode,
			botName: `Queue ${botCode}`,
			botType: 'B',
			ignoreOwnMessages: true,
			options: {},
		},
		credentials: credentialRef(credential),
	};
}

/** A Code node that turns the event into `count` items, message texts "<text> #0" … "<text> #count-1". */
function fanOutNode(count) {
	return {
		id: crypto.randomUUID(),
		name: 'Fan Out',
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [120, 0],
		parameters: { jsCode: `const e = $input.first().json;\nreturn Array.from({ length: ${Number(count)} }, (_, i) => ({ json: { botId: e.botId, dialogId: e.dialogId, message: { text: e.message.text + ' #' + i } } }));` },
	};
}

/**
 * Chatbot Trigger → Reply (imbot.message.add to the dialog the message came from, text "echo: <text>"); with
 * `fanOut: n` a Code node between them makes n replies per event.
 */
function echoBotWorkflow(id, { webhookId, credential, replyCredential = credential, botCode, fanOut }) {
	const reply = {
		id: crypto.randomUUID(),
		name: 'Reply',
		type: TYPES.chatbot,
		typeVersion: 1,
		position: [240, 0],
		parameters: {
			authentication: replyCredential.type === 'bitrix24WebhookApi' ? 'webhook' : 'oAuth2',
			resource: 'message',
			operation: 'send',
			botId: { __rl: true, mode: 'id', value: '={{ $json.botId }}' },
			target: 'dialog',
			dialogId: '={{ $json.dialogId }}',
			text: '=echo: {{ $json.message.text }}',
		},
		credentials: credentialRef(replyCredential),
		onError: 'continueRegularOutput',
	};
	const link = (node) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	const nodes = [triggerNode(webhookId, credential, botCode), reply];
	if (!fanOut) return { id, name: `Queue echo bot ${id}`, nodes, connections: { 'Bot Events': link('Reply') } };
	return { id, name: `Queue echo bot ${id}`, nodes: [...nodes, fanOutNode(fanOut)], connections: { 'Bot Events': link('Fan Out'), 'Fan Out': link('Reply') } };
}

/** Only the Chatbot Trigger: one execution per accepted event. */
function countingWorkflow(id, { webhookId, credential, botCode }) {
	return { id, name: `Queue counter ${id}`, nodes: [triggerNode(webhookId, credential, botCode)], connections: {} };
}

/** Chatbot Fetch Trigger (imbot.v2 Event.get) polling every minute. */
function fetchWorkflow(id, { credential, botId }) {
	return {
		id,
		name: `Queue fetch ${id}`,
		nodes: [
			{
				id: crypto.randomUUID(),
				name: 'Bot Queue',
				type: FETCH_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { authentication: 'oAuth2', pollTimes: { item: [{ mode: 'everyMinute' }] }, events: ['ONIMBOTV2MESSAGEADD'], botId: { __rl: true, mode: 'id', value: String(botId) }, options: {} },
				credentials: credentialRef(credential),
			},
		],
		connections: {},
	};
}

module.exports = { echoBotWorkflow, countingWorkflow, fetchWorkflow };
