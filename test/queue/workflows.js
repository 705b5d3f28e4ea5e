'use strict';
// Workflows of the queue-mode suite and bench: a chatbot that answers every message (Chatbot Trigger → Chatbot
// Message Send), a trigger-only counter, the Chatbot Fetch Trigger, and Send and Wait for Response started by a
// Webhook node (with the v1 Chatbot Trigger that takes in-chat answers).
const crypto = require('node:crypto');
// node ids are UUIDs: PostgreSQL stores them in varchar(36) columns (sqlite does not check the length)
const { TYPES, credentialRef, rl } = require('../e2e/lib/bitrix');

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

/** The Chatbot Fetch Trigger's live version (2): a long-running loop on main, one execution per event. */
function liveFetchWorkflow(id, { credential, botId }) {
	const workflow = fetchWorkflow(id, { credential, botId });
	const [node] = workflow.nodes;
	const parameters = { ...node.parameters };
	delete parameters.pollTimes; // n8n's schedule belongs to version 1 only
	workflow.name = `Queue live fetch ${id}`;
	workflow.nodes = [{ ...node, typeVersion: 2, parameters }];
	return workflow;
}

/**
 * Webhook (GET /webhook/<path>?n=<label>) → Bitrix24 Chatbot v1 "Send and Wait for Response" (approval) to a user's
 * dialog, message "<text> <n>?". `chatCommand` makes the buttons COMMAND buttons answered through the Chatbot Trigger.
 */
function sendAndWaitWorkflow(id, { webhookPath, credential, botId, dialogId, text, chatCommand }) {
	const options = chatCommand ? { chatCommand } : {};
	const approvalOptions = chatCommand ? { approvalOptions: { values: { approvalType: 'double', approveLabel: 'Approve', disapproveLabel: 'Decline' } } } : {};
	return {
		id,
		name: `Queue send and wait ${id}`,
		nodes: [
			{ id: crypto.randomUUID(), name: 'Start', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: crypto.randomUUID(), parameters: { httpMethod: 'GET', path: webhookPath, responseMode: 'onReceived', options: {} } },
			{
				id: crypto.randomUUID(),
				name: 'Ask',
				type: TYPES.chatbot,
				typeVersion: 1,
				position: [220, 0],
				parameters: { authentication: credential.type === 'bitrix24WebhookApi' ? 'webhook' : 'oAuth2', resource: 'message', operation: 'sendAndWait', botId: rl(botId), target: 'dialog', dialogId, message: `=${text} {{ $json.query.n }}?`, ...approvalOptions, options },
				credentials: credentialRef(credential),
			},
		],
		connections: { Start: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] } },
	};
}

/** Chatbot Trigger v1 on an existing bot's command (ONIMCOMMANDADD): hands in-chat answers to waiting executions. */
function commandTriggerWorkflow(id, { webhookId, credential, botId, commandId }) {
	return {
		id,
		name: `Queue command trigger ${id}`,
		nodes: [
			{
				id: crypto.randomUUID(),
				name: 'Bot Events',
				type: TYPES.chatbotTrigger,
				typeVersion: 1,
				position: [0, 0],
				webhookId,
				parameters: { authentication: 'webhook', events: ['ONIMCOMMANDADD'], botSource: 'existing', botId: rl(botId), commandIds: String(commandId), options: {} },
				credentials: credentialRef(credential),
			},
		],
		connections: {},
	};
}

module.exports = { echoBotWorkflow, countingWorkflow, fetchWorkflow, liveFetchWorkflow, sendAndWaitWorkflow, commandTriggerWorkflow };
