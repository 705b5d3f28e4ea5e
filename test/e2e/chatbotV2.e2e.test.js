'use strict';
// The Bitrix24 Chatbot node **version 2** (imbot.v2) inside a real n8n, against an in-process sandbox portal: every v2
// operation with the webhook credential (Bot Token) and with OAuth2, a file round trip (binary in → File Upload →
// File Download → the same bytes out), each step checked in the sandbox's state. A v1 node in the same n8n still runs.

const { N8nInstance, packageBuildStatus } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { sandboxCredentials, ourNode, codeNode, chainWorkflow, expectRunOk } = require('./lib/bitrix');
const triggers = require('../../sandbox/methods/imbotV2/triggers');

const status = packageBuildStatus();
if (!status.built) throw new Error(`chatbot v2 e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const BOT_TOKEN = 'n8n-e2e-v2-token';
const FILE_TEXT = 'Quarterly report — bytes that must come back unchanged. ' + 'x'.repeat(2048);
const BOT = "={{ $('Register Bot').first().json.botId }}";
const DIALOG = "={{ $('Create Chat').first().json.dialogId }}";
const MESSAGE = "={{ $('Send Message').first().json.messageId }}";
const COMMAND = "={{ $('Register Command').first().json.commandId }}";
const FILE = "={{ $('Upload File').first().json.fileId }}";
const by = (value) => ({ __rl: true, mode: 'id', value });

/** The bytes of a binary in an execution: inline base64, or (filesystem mode) the file n8n stored. */
function bytesOf(n8n, binary) {
	const fs = require('node:fs');
	const path = require('node:path');
	if (binary.id && /^filesystem(-v2)?:/.test(binary.id)) {
		return fs.readFileSync(path.join(n8n.userFolder, '.n8n', 'binaryData', binary.id.replace(/^filesystem(-v2)?:/, '')));
	}
	return Buffer.from(binary.data, 'base64');
}

/** The v2 chain for one credential: every operation once. */
function v2Chain(node, code) {
	const botId = by(BOT);
	return [
		node('Register Bot', { resource: 'bot', operation: 'register', code, name: 'E2E v2', type: 'supervisor', additionalFields: { workPosition: 'Tester', color: 'mint' } }),
		node('Get Bot', { resource: 'bot', operation: 'get', botId }),
		node('Bots', { resource: 'bot', operation: 'getAll', returnAll: true }),
		node('Update Bot', { resource: 'bot', operation: 'update', botId, updateFields: { name: 'E2E v2 Helper' } }),
		node('Revision', { resource: 'bot', operation: 'getRevision' }),
		node('Create Chat', { resource: 'chat', operation: 'create', botId, title: 'Order 7', userIds: '2, 3' }),
		node('Get Chat', { resource: 'chat', operation: 'get', botId, dialogId: DIALOG }),
		node('Update Chat', { resource: 'chat', operation: 'update', botId, dialogId: DIALOG, updateFields: { title: 'Order 7 (paid)', color: 'purple' } }),
		node('Add Users', { resource: 'chat', operation: 'addUsers', botId, dialogId: DIALOG, userIds: '4, 5' }),
		node('Get Users', { resource: 'chat', operation: 'getUsers', botId, dialogId: DIALOG, returnAll: true }),
		node('Remove User', { resource: 'chat', operation: 'removeUser', botId, dialogId: DIALOG, userId: '5' }),
		node('Add Managers', { resource: 'chat', operation: 'addManagers', botId, dialogId: DIALOG, userIds: '3' }),
		node('Remove Managers', { resource: 'chat', operation: 'removeManagers', botId, dialogId: DIALOG, userIds: '3' }),
		node('Show Status', { resource: 'chat', operation: 'showStatus', botId, dialogId: DIALOG, statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING', duration: 20 }),
		node('Text Field', { resource: 'chat', operation: 'setTextField', botId, dialogId: DIALOG, enabled: false }),
		node('Send Message', {
			resource: 'message',
			operation: 'send',
			botId,
			dialogId: DIALOG,
			text: 'Your order is [b]paid[/b]',
			keyboardSource: 'builder',
			keyboardButtons: { button: [{ type: 'link', text: 'Open', link: 'https://shop.example/7' }, { type: 'action', text: 'Copy', action: 'COPY', actionValue: '7' }] },
		}),
		node('Update Message', { resource: 'message', operation: 'update', botId, messageId: MESSAGE, text: 'Shipped', keyboardSource: 'remove' }),
		node('Add Reaction', { resource: 'message', operation: 'addReaction', botId, messageId: MESSAGE, reaction: 'fire' }),
		node('Remove Reaction', { resource: 'message', operation: 'removeReaction', botId, messageId: MESSAGE, reaction: 'fire' }),
		node('Mark Read', { resource: 'message', operation: 'markRead', botId, dialogId: DIALOG }),
		node('Get Message', { resource: 'message', operation: 'get', botId, messageId: MESSAGE }),
		node('Get Context', { resource: 'message', operation: 'getContext', botId, messageId: MESSAGE, range: 5 }),
		node('Register Command', { resource: 'command', operation: 'register', botId, command: 'status', languages: { language: [{ languageId: 'en', title: 'Order status' }] } }),
		node('Commands', { resource: 'command', operation: 'getAll', botId, returnAll: true }),
		node('Update Command', { resource: 'command', operation: 'update', botId, commandId: by(COMMAND), updateFields: { hidden: true } }),
		codeNode(
			'Make File',
			`return [{ json: {}, binary: { report: { data: Buffer.from(${JSON.stringify(FILE_TEXT)}).toString('base64'), mimeType: 'text/plain', fileName: 'report.txt' } } }];`,
			{ executeOnce: true },
		),
		node('Upload File', { resource: 'file', operation: 'upload', botId, dialogId: DIALOG, fileSource: 'binary', binaryPropertyName: 'report', options: { message: 'The report' } }),
		node('Download File', { resource: 'file', operation: 'download', botId, fileId: FILE, binaryPropertyName: 'downloaded' }),
	];
}

/** After a user ran /status in the chat (simulated in the sandbox): answer it, then clean up. */
function v2Finish(node, { botId, commandId, commandMessageId, messageId, dialogId }) {
	const bot = by(String(botId));
	return [
		node('Answer Command', { resource: 'command', operation: 'answer', botId: bot, commandId: by(String(commandId)), messageId: String(commandMessageId), dialogId, text: 'Status: shipped' }),
		node('Unregister Command', { resource: 'command', operation: 'unregister', botId: bot, commandId: by(String(commandId)) }),
		node('Delete Message', { resource: 'message', operation: 'delete', botId: bot, messageId: String(messageId), complete: true }),
		node('Leave Chat', { resource: 'chat', operation: 'leave', botId: bot, dialogId }),
		node('Unregister Bot', { resource: 'bot', operation: 'unregister', botId: bot }),
	];
}

describe('Bitrix24 Chatbot node version 2 in a real n8n against the sandbox', () => {
	let sb;
	let n8n;
	let creds;
	const workflows = {};
	const nodes = {};

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		// Binary data kept in the execution (base64) so the test can read the downloaded bytes back.
		n8n = await N8nInstance.create({ env: { N8N_DEFAULT_BINARY_DATA_MODE: 'default' } });
		creds = sandboxCredentials(sb, { clientId: 'n8n-e2e-v1' });
		creds.webhook.data.botToken = BOT_TOKEN;
		const v2 = (auth, credential) => (name, parameters) => ourNode('chatbot', name, parameters, { auth, credential, extra: { typeVersion: 2 } });
		nodes.webhook = v2('webhook', creds.webhook);
		nodes.oauth = v2('oAuth2', creds.oauth);
		workflows.webhook = chainWorkflow('e2eBotV2Hook', 'E2E Chatbot v2 (webhook)', v2Chain(nodes.webhook, 'e2e_v2_hook'));
		workflows.oauth = chainWorkflow('e2eBotV2App', 'E2E Chatbot v2 (OAuth2)', v2Chain(nodes.oauth, 'e2e_v2_app'));
		workflows.v1 = chainWorkflow('e2eBotV1Still', 'E2E Chatbot v1 still runs', [
			ourNode('chatbot', 'Register V1', { resource: 'bot', operation: 'register', code: 'e2e_v1_still', name: 'Old', eventHandler: 'http://127.0.0.1:9/x' }, { auth: 'webhook', credential: creds.webhook }),
		]);
		await n8n.importCredentials(creds.list);
		await n8n.importWorkflow([workflows.webhook, workflows.oauth, workflows.v1]);
	}, 15 * 60_000);

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	test.each(['webhook', 'oauth'])('every v2 operation with the %s credential, checked in the portal', async (which) => {
		const run = expectRunOk(await n8n.execute(workflows[which].id));
		const one = (name) => run.outputOf(name)[0];
		const botId = one('Register Bot').botId;
		expect(botId).toEqual(expect.any(Number));
		const bot = sb.state.v2 ? sb.state.v2.bots.get(botId) : undefined;
		if (bot) expect(bot.type).toBe('supervisor');
		expect(one('Get Bot')).toMatchObject({ botId });
		expect(run.outputOf('Bots').map((b) => b.botId)).toContain(botId);
		expect(one('Update Bot')).toMatchObject({ botId, updated: true });
		expect(one('Revision')).toHaveProperty('rest');
		const { chatId, dialogId } = one('Create Chat');
		expect(dialogId).toBe(`chat${chatId}`);
		expect(one('Get Chat')).toMatchObject({ id: chatId });
		expect(one('Update Chat')).toEqual({ dialogId, updated: true });
		expect(sb.state.chats.get(chatId)).toMatchObject({ TITLE: 'Order 7 (paid)' });
		expect(one('Add Users')).toEqual({ dialogId, added: true });
		expect(run.outputOf('Get Users').map((u) => u.id)).toEqual(expect.arrayContaining([2, 3, 4, 5]));
		expect(one('Remove User')).toEqual({ dialogId, removed: true });
		expect(one('Add Managers')).toEqual({ dialogId, managersAdded: true });
		expect(one('Remove Managers')).toEqual({ dialogId, managersRemoved: true });
		expect(one('Show Status')).toEqual({ dialogId, status: 'IMBOT_AGENT_ACTION_THINKING', shown: true });
		expect(one('Text Field')).toEqual({ dialogId, textFieldEnabled: false });
		const messageId = one('Send Message').messageId;
		expect(one('Send Message')).toEqual({ messageId, botId, dialogId });
		expect(one('Update Message')).toEqual({ messageId, updated: true });
		expect(one('Add Reaction')).toEqual({ messageId, reaction: 'fire', added: true });
		expect(one('Remove Reaction')).toEqual({ messageId, reaction: 'fire', removed: true });
		expect(one('Mark Read')).toBeDefined();
		expect(JSON.stringify(one('Get Message'))).toContain('Shipped');
		expect(one('Get Context')).toBeDefined();
		const commandId = one('Register Command').commandId;
		expect(run.outputOf('Commands').map((c) => c.commandId)).toEqual([commandId]);
		expect(one('Update Command')).toMatchObject({ commandId });
		// The file round trip: the same bytes out as in; the one-time URL never in the output.
		const upload = one('Upload File');
		expect(upload).toMatchObject({ fileId: expect.any(Number), fileName: 'report.txt' });
		const download = run.itemsOf('Download File')[0];
		expect(download.json).toMatchObject({ fileId: upload.fileId, fileName: 'report.txt', size: Buffer.byteLength(FILE_TEXT) });
		expect(JSON.stringify(download.json)).not.toMatch(/download\.json|token=/);
		const bytes = bytesOf(n8n, download.binary.downloaded);
		expect(bytes.toString('utf8')).toBe(FILE_TEXT);
		// Under the webhook every call carried the Bot Token; it appears in no output.
		expect(JSON.stringify(run.execution.data.resultData.runData)).not.toContain(BOT_TOKEN);

		// A user runs /status in the chat (the sandbox posts the command message and queues ONIMBOTV2COMMANDADD).
		const command = await triggers.userCommand(sb.portal, botId, { userId: 2, dialogId, command: 'status' });
		const finish = chainWorkflow(`e2eV2Fin${which}`.slice(0, 16), `E2E Chatbot v2 finish (${which})`, v2Finish(nodes[which], { botId, commandId, commandMessageId: command.messageId, messageId, dialogId }));
		await n8n.importWorkflow([finish]);
		const done = expectRunOk(await n8n.execute(finish.id));
		const last = (name) => done.outputOf(name)[0];
		expect(last('Answer Command')).toEqual({ commandId, messageId: command.messageId, answered: true });
		expect([...sb.state.messages.values()].some((m) => m.CHAT_ID === chatId && m.MESSAGE === 'Status: shipped')).toBe(true);
		expect(last('Unregister Command')).toEqual({ commandId, deleted: true });
		expect(last('Delete Message')).toEqual({ messageId, deleted: true, complete: true });
		expect(last('Leave Chat')).toEqual({ dialogId, left: true });
		expect(last('Unregister Bot')).toEqual({ botId, deleted: true });
	});

	test('a version 1 node saved in a workflow keeps running version 1 (imbot.register)', async () => {
		const run = expectRunOk(await n8n.execute(workflows.v1.id));
		expect(run.outputOf('Register V1')[0]).toEqual({ botId: expect.any(Number), code: 'e2e_v1_still' });
	});
});
