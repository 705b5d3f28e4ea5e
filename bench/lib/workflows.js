'use strict';
/**
 * The benchmark workflows: Manual Trigger → Code (N items) → the node under test.
 *  - ours: our Bitrix24 Chatbot / Open Channels node, Message → Send (On Error: Continue, so every failed item shows).
 *  - baseline: n8n's HTTP Request node 4.2, one POST per item to the same method, with the same OAuth2 credential
 *    (Authentication "Predefined Credential Type" → Bitrix24 OAuth2 API), JSON body, every other setting at its default
 *    (no Batching option, so n8n fires every item's request at once; no Retry On Fail; On Error: Stop Workflow).
 */
const PACKAGE = 'n8n-nodes-bitrix24-chat';
const CODE = 'Make items';
const NODE = 'Send';

function rl(value) {
	return { __rl: true, mode: 'id', value: String(value) };
}

/** Item i: {text: `${tag}-${i}`, chat, user} — 20 external chats/users, as a busy connector would have. */
function codeNode(count, tag) {
	return {
		id: 'code',
		name: CODE,
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		position: [220, 0],
		parameters: {
			jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { text: '${tag}-' + i, chat: 'ext-chat-' + (i % 20), user: 'ext-user-' + (i % 20) } }));`,
		},
	};
}

function credentialRef(credential) {
	return { bitrix24OAuth2Api: { id: credential.id, name: credential.name } };
}

function oursNode({ kind, credential, botId, v2BotId, connector }) {
	const parameters =
		kind === 'chatbot' || kind === 'chatbotv2'
			? { authentication: 'oAuth2', resource: 'message', operation: 'send', botId: rl(kind === 'chatbot' ? botId : v2BotId), target: 'dialog', dialogId: '1', text: '={{ $json.text }}' }
			: {
					authentication: 'oAuth2',
					resource: 'message',
					operation: 'send',
					connector: rl(connector),
					line: rl(1),
					externalChatId: '={{ $json.chat }}',
					externalUserId: '={{ $json.user }}',
					externalMessageId: '={{ $json.text }}',
					text: '={{ $json.text }}',
				};
	return {
		id: 'send',
		name: NODE,
		type: `${PACKAGE}.${kind === 'connector' ? 'bitrix24OpenChannels' : 'bitrix24Chatbot'}`,
		typeVersion: kind === 'chatbotv2' ? 2 : 1,
		position: [440, 0],
		parameters,
		credentials: credentialRef(credential),
		onError: 'continueRegularOutput',
	};
}

const BASELINE_METHOD = { chatbot: 'imbot.message.add', chatbotv2: 'imbot.v2.Chat.Message.send', connector: 'imconnector.send.messages' };

function baselineNode({ kind, credential, botId, v2BotId, connector, restBase }) {
	const body =
		kind === 'chatbot'
			? `={{ JSON.stringify({ BOT_ID: ${botId}, DIALOG_ID: '1', MESSAGE: $json.text }) }}`
			: kind === 'chatbotv2'
				? `={{ JSON.stringify({ botId: ${v2BotId}, dialogId: '1', fields: { message: $json.text } }) }}`
				: `={{ JSON.stringify({ CONNECTOR: '${connector}', LINE: 1, MESSAGES: [{ user: { id: $json.user }, message: { id: $json.text, text: $json.text }, chat: { id: $json.chat } }] }) }}`;
	return {
		id: 'send',
		name: NODE,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [440, 0],
		parameters: {
			method: 'POST',
			url: `${restBase}${BASELINE_METHOD[kind]}`,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'bitrix24OAuth2Api',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: body,
			options: {},
		},
		credentials: credentialRef(credential),
	};
}

/** @param o {{ id, kind: 'chatbot'|'chatbotv2'|'connector', variant: 'ours'|'baseline', count, tag, credential, botId, v2BotId, connector, restBase }} */
function benchWorkflow(o) {
	const send = o.variant === 'ours' ? oursNode(o) : baselineNode(o);
	return {
		id: o.id,
		name: `bench ${o.id}`,
		nodes: [{ id: 'manual', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }, codeNode(o.count, o.tag), send],
		connections: {
			Manual: { main: [[{ node: CODE, type: 'main', index: 0 }]] },
			[CODE]: { main: [[{ node: NODE, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

module.exports = { benchWorkflow, NODE, CODE };
