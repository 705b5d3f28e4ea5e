'use strict';
// The Bitrix24 Chatbot node inside a real n8n (each version run.js runs: 2.0.3, 2.41.1) (`n8n execute`), against an in-process sandbox portal: every
// operation at least once, checked in the sandbox's state and request log.
//   workflow 1 (webhook credential, CLIENT_ID): bot, chat, message (keyboard built in the UI) and command operations
//   workflow 2 (OAuth2 credential): the app registers its own bot, sends, creates a chat, runs a command, unregisters
//   workflow 3 (webhook): Bot Unregister

const { N8nInstance, packageBuildStatus } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { sandboxCredentials, ourNode, codeNode, chainWorkflow, rl, logMark, sandboxLog, expectRunOk, PNG_BASE64 } = require('./lib/bitrix');

const status = packageBuildStatus();
if (!status.built) throw new Error(`chatbot e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const CLIENT_ID = 'n8n-e2e-chatbot';
const BOT = "={{ $('Register Bot').first().json.botId }}";
const CHAT = "={{ $('Create Chat').first().json.chatId }}";
const MESSAGE = "={{ $('Send Message').first().json.messageId }}";
const COMMAND = "={{ $('Register Command').first().json.commandId }}";
const botRl = { __rl: true, mode: 'id', value: BOT };

describe('Bitrix24 Chatbot node in a real n8n against the sandbox', () => {
	let sb;
	let n8n;
	let creds;
	const hook = (name, parameters, opts = {}) => ourNode('chatbot', name, parameters, { auth: 'webhook', credential: creds.webhook, ...opts });
	const app = (name, parameters, opts = {}) => ourNode('chatbot', name, parameters, { auth: 'oAuth2', credential: creds.oauth, ...opts });

	const pngNode = () =>
		codeNode(
			'PNG',
			`return [{ json: { file: 'avatar.png' }, binary: { picture: { data: '${PNG_BASE64}', mimeType: 'image/png', fileName: 'avatar.png', fileExtension: 'png' } } }];`,
			{ executeOnce: true },
		);

	let webhookWf;
	let oauthWf;
	let unregisterWf;

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		creds = sandboxCredentials(sb, { clientId: CLIENT_ID });

		webhookWf = chainWorkflow('e2eBotHook', 'E2E Chatbot (webhook)', [
			hook('Register Bot', { resource: 'bot', operation: 'register', code: 'e2e_bot', name: 'E2E', lastName: 'Bot', eventHandler: 'http://127.0.0.1:9/bot-events' }),
			hook('Bots', { resource: 'bot', operation: 'getAll', returnAll: true }),
			hook('Update Bot', { resource: 'bot', operation: 'update', botId: botRl, updateFields: { name: 'E2E Helper', workPosition: 'Tester', color: 'MINT' } }),
			hook('Create Chat', {
				resource: 'chat',
				operation: 'create',
				botId: botRl,
				title: 'Order 42',
				userIds: '2, 3',
				additionalFields: { entityType: 'ORDER', entityId: '42', description: 'Order chat' },
			}),
			hook('Get ID by Entity', { resource: 'chat', operation: 'getByEntity', botId: botRl, entityType: 'ORDER', entityId: '42' }),
			hook('Add Members', { resource: 'chat', operation: 'addMembers', botId: botRl, chatId: CHAT, userIds: '4, 5', hideHistory: false }),
			hook('Get Members', { resource: 'chat', operation: 'getMembers', botId: botRl, chatId: CHAT, returnAll: true }),
			hook('Remove Member', { resource: 'chat', operation: 'removeMember', botId: botRl, chatId: CHAT, userId: '5' }),
			hook('Rename', { resource: 'chat', operation: 'rename', botId: botRl, chatId: `=chat{{ $('Create Chat').first().json.chatId }}`, title: 'Order 42 (paid)' }),
			hook('Set Color', { resource: 'chat', operation: 'setColor', botId: botRl, chatId: CHAT, color: 'PURPLE' }),
			pngNode(),
			hook('Set Avatar', { resource: 'chat', operation: 'setAvatar', botId: botRl, chatId: CHAT, avatarSource: 'binary', avatarBinaryProperty: 'picture' }),
			hook('Set Manager', { resource: 'chat', operation: 'setManager', botId: botRl, chatId: CHAT, userId: '3', isManager: true }),
			hook('Send Typing', { resource: 'chat', operation: 'sendTyping', botId: botRl, dialogId: `=chat{{ $('Create Chat').first().json.chatId }}` }),
			hook('Send Message', {
				resource: 'message',
				operation: 'send',
				botId: botRl,
				target: 'dialog',
				dialogId: `=chat{{ $('Create Chat').first().json.chatId }}`,
				text: 'Your order is [b]paid[/b]',
				keyboardSource: 'builder',
				keyboardButtons: {
					button: [
						{ type: 'command', text: 'Details', command: 'details', commandParams: '42', options: { display: 'LINE', bgColorToken: 'primary' } },
						{ type: 'newline' },
						{ type: 'link', text: 'Open', link: 'https://shop.example/42' },
						{ type: 'action', text: 'Copy number', action: 'COPY', actionValue: '42' },
					],
				},
			}),
			hook('Update Message', { resource: 'message', operation: 'update', botId: botRl, messageId: MESSAGE, textMode: 'replace', text: 'Shipped', keyboardSource: 'remove' }),
			hook('Like', { resource: 'message', operation: 'like', botId: botRl, messageId: MESSAGE, likeAction: 'plus' }),
			hook('Register Command', {
				resource: 'command',
				operation: 'register',
				botId: botRl,
				command: 'details',
				eventCommandAdd: 'http://127.0.0.1:9/commands',
				languages: { language: [{ languageId: 'en', title: 'Order details', params: 'order number' }] },
			}),
			hook('Update Command', {
				resource: 'command',
				operation: 'update',
				commandId: COMMAND,
				updateFields: { hidden: true, languages: { language: [{ languageId: 'de', title: 'Bestelldetails' }] } },
			}),
			hook('Answer Command', { resource: 'command', operation: 'answer', commandBy: 'id', commandId: COMMAND, messageId: MESSAGE, text: 'Order 42: 2 items' }),
			hook('Get Dialog', { resource: 'chat', operation: 'getDialog', botId: botRl, dialogId: `=chat{{ $('Create Chat').first().json.chatId }}` }),
			hook('Delete Message', { resource: 'message', operation: 'delete', botId: botRl, messageId: "={{ $('Answer Command').first().json.messageId }}", complete: true }),
			hook('Unregister Command', { resource: 'command', operation: 'unregister', commandId: COMMAND }),
			hook('Set Owner', { resource: 'chat', operation: 'setOwner', botId: botRl, chatId: CHAT, userId: '2' }),
			hook('Leave', { resource: 'chat', operation: 'leave', botId: botRl, chatId: CHAT }),
		]);

		const appBot = "={{ $('App Bot').first().json.botId }}";
		const appBotRl = { __rl: true, mode: 'id', value: appBot };
		oauthWf = chainWorkflow('e2eBotOAuth', 'E2E Chatbot (OAuth2)', [
			app('App Bot', { resource: 'bot', operation: 'register', code: 'e2e_app_bot', name: 'App Bot', type: 'H', eventHandler: 'http://127.0.0.1:9/app-bot' }),
			app('App Send', { resource: 'message', operation: 'send', botId: appBotRl, dialogId: '2', text: 'Hello from the app', keyboardSource: 'json', keyboardJson: '[{"TEXT":"Help","COMMAND":"help"}]' }),
			app('App Chat', { resource: 'chat', operation: 'create', botId: appBotRl, chatType: 'OPEN', title: 'App chat', userIds: '3' }),
			app('App Command', {
				resource: 'command',
				operation: 'register',
				botId: appBotRl,
				command: 'help',
				eventCommandAdd: 'http://127.0.0.1:9/app-commands',
				languages: { language: [{ languageId: 'en', title: 'Help' }] },
			}),
			app('App Answer', { resource: 'command', operation: 'answer', commandBy: 'name', command: 'help', messageId: "={{ $('App Send').first().json.messageId }}", text: 'How can I help?' }),
			app('App Bots', { resource: 'bot', operation: 'getAll', returnAll: true }),
			app('App Unregister', { resource: 'bot', operation: 'unregister', botId: appBotRl }),
		]);

		unregisterWf = chainWorkflow('e2eBotUnreg', 'E2E Chatbot unregister (webhook)', [
			hook('Bots', { resource: 'bot', operation: 'getAll', returnAll: true }),
			hook('Unregister Bot', { resource: 'bot', operation: 'unregister', botId: { __rl: true, mode: 'id', value: '={{ $json.botId }}' } }),
		]);

		await n8n.importCredentials(creds.list);
		await n8n.importWorkflow([webhookWf, oauthWf, unregisterWf]);
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	let botId;

	test('webhook credential (CLIENT_ID): bot, chat, message and command operations, checked in the portal', async () => {
		const mark = logMark(sb);
		const run = expectRunOk(await n8n.execute(webhookWf.id));
		const one = (name) => run.outputOf(name)[0];

		// Bot: Register, Get Many, Update
		botId = one('Register Bot').botId;
		expect(one('Register Bot')).toEqual({ botId: expect.any(Number), code: 'e2e_bot' });
		const bot = sb.state.bots.get(botId);
		expect(bot).toMatchObject({ CODE: 'e2e_bot', TYPE: 'B', EVENT_MESSAGE_ADD: 'http://127.0.0.1:9/bot-events', owner: `webhook:${CLIENT_ID}` });
		expect(run.outputOf('Bots')).toEqual([{ botId, name: 'E2E Bot', code: 'e2e_bot', openLine: false }]);
		expect(one('Update Bot')).toEqual({ botId, updated: true });
		expect(bot.PROPERTIES).toMatchObject({ NAME: 'E2E Helper', LAST_NAME: 'Bot', WORK_POSITION: 'Tester', COLOR: 'MINT' });

		// Chat: Create, Get ID by Entity, members, rename, colour, avatar, manager, owner, leave
		const chatId = one('Create Chat').chatId;
		expect(one('Create Chat')).toEqual({ chatId, dialogId: `chat${chatId}` });
		expect(one('Get ID by Entity')).toEqual({ found: true, chatId, dialogId: `chat${chatId}` });
		expect(one('Add Members')).toEqual({ chatId, userIds: [4, 5], added: true });
		expect(run.outputOf('Get Members')).toEqual([{ userId: botId }, { userId: 2 }, { userId: 3 }, { userId: 4 }, { userId: 5 }]);
		expect(one('Remove Member')).toEqual({ chatId, userId: 5, removed: true });
		expect(one('Rename')).toEqual({ chatId, title: 'Order 42 (paid)', updated: true });
		expect(one('Set Color')).toEqual({ chatId, color: 'PURPLE', updated: true });
		expect(one('Set Avatar')).toEqual({ chatId, updated: true });
		expect(one('Set Manager')).toEqual({ chatId, userId: 3, isManager: true });
		expect(one('Send Typing')).toEqual({ dialogId: `chat${chatId}`, success: true });
		expect(one('Set Owner')).toEqual({ chatId, ownerId: 2, updated: true });
		expect(one('Leave')).toEqual({ chatId, left: true });
		const chat = sb.state.chats.get(chatId);
		expect(chat).toMatchObject({
			TITLE: 'Order 42 (paid)',
			COLOR: 'PURPLE',
			OWNER: 2,
			USERS: [2, 3, 4],
			MANAGERS: [3],
			ENTITY_TYPE: 'ORDER',
			ENTITY_ID: '42',
			DESCRIPTION: 'Order chat',
		});
		expect(chat.AVATAR).toMatch(/^data:image;base64,iVBORw0KGgo/);

		// Message: Send with the keyboard built in the UI, Update, Like
		const messageId = one('Send Message').messageId;
		expect(one('Send Message')).toEqual({ messageId, botId, dialogId: `chat${chatId}` });
		const [add] = sandboxLog(sb, { sinceId: mark, method: 'imbot.message.add' });
		expect(add.params.KEYBOARD).toEqual({
			BOT_ID: botId,
			BUTTONS: [
				{ TEXT: 'Details', COMMAND: 'details', COMMAND_PARAMS: '42', DISPLAY: 'LINE', BG_COLOR_TOKEN: 'primary' },
				{ TYPE: 'NEWLINE' },
				{ TEXT: 'Open', LINK: 'https://shop.example/42' },
				{ TEXT: 'Copy number', ACTION: 'COPY', ACTION_VALUE: '42' },
			],
		});
		expect(one('Update Message')).toEqual({ messageId, updated: true });
		expect(one('Like')).toEqual({ messageId, action: 'plus', success: true });
		expect(sb.state.messages.get(messageId)).toMatchObject({ CHAT_ID: chatId, AUTHOR_ID: botId, MESSAGE: 'Shipped', KEYBOARD: null, EDITED: true, LIKES: [botId] });

		// Command: Register, Update, Answer, Unregister; the answer message deleted (complete)
		const commandId = one('Register Command').commandId;
		expect(one('Register Command')).toEqual({ commandId, command: 'details', botId });
		expect(one('Update Command')).toEqual({ commandId, updated: true });
		expect(sandboxLog(sb, { sinceId: mark, method: 'imbot.command.update' })[0].params).toMatchObject({
			COMMAND_ID: commandId,
			FIELDS: { HIDDEN: 'Y', LANG: [{ LANGUAGE_ID: 'de', TITLE: 'Bestelldetails' }] },
		});
		const answer = one('Answer Command');
		expect(answer).toEqual({ messageId: expect.any(Number), commandId, command: null });
		expect(one('Delete Message')).toEqual({ messageId: answer.messageId, deleted: true, complete: true });
		expect(sb.state.messages.has(answer.messageId)).toBe(false);
		expect(one('Unregister Command')).toEqual({ commandId, deleted: true });
		expect(sb.state.commands.has(commandId)).toBe(false);

		// Get Dialog: what the portal knew then
		expect(one('Get Dialog')).toMatchObject({ id: chatId, name: 'Order 42 (paid)', color: expect.stringMatching(/^#[0-9a-f]{6}$/i), dialog_id: `chat${chatId}`, manager_list: [3] });

		// every call as the webhook with our CLIENT_ID, none failed; the webhook code never shows in outputs
		const calls = sandboxLog(sb, { sinceId: mark }).filter((e) => e.method !== 'batch');
		expect(calls.length).toBeGreaterThanOrEqual(24);
		expect(calls.filter((e) => e.status !== 200 || e.auth !== 'webhook')).toEqual([]);
		expect(calls.filter((e) => e.method.startsWith('imbot.')).every((e) => e.params.CLIENT_ID === CLIENT_ID)).toBe(true);
		expect(JSON.stringify(run.runData)).not.toContain('sandboxwebhook');
	});

	test('OAuth2 credential: the app registers its own bot, sends, creates a chat, answers a command, unregisters', async () => {
		const mark = logMark(sb);
		const run = expectRunOk(await n8n.execute(oauthWf.id));
		const one = (name) => run.outputOf(name)[0];

		const appBotId = one('App Bot').botId;
		expect(appBotId).not.toBe(botId);
		const sentId = one('App Send').messageId;
		expect(one('App Send')).toEqual({ messageId: sentId, botId: appBotId, dialogId: '2' });
		// keyboard typed as JSON (a bare array of buttons) is sent exactly as typed; the portal wraps it in BUTTONS
		expect(sandboxLog(sb, { sinceId: mark, method: 'imbot.message.add' })[0].params).toMatchObject({ BOT_ID: appBotId, KEYBOARD: [{ TEXT: 'Help', COMMAND: 'help' }] });
		expect(sb.state.messages.get(sentId)).toMatchObject({ AUTHOR_ID: appBotId, MESSAGE: 'Hello from the app', KEYBOARD: { BUTTONS: [{ TEXT: 'Help', COMMAND: 'help' }] } });
		const appChat = sb.state.chats.get(one('App Chat').chatId);
		// (the app's bot left every chat when it was unregistered at the end of the run)
		expect(appChat).toMatchObject({ TITLE: 'App chat', TYPE: 'O', OWNER: appBotId, USERS: [3] });
		expect(sandboxLog(sb, { sinceId: mark, method: 'imbot.chat.add' })[0].params).toMatchObject({ BOT_ID: appBotId, TYPE: 'OPEN', USERS: [3] });
		expect(one('App Command')).toMatchObject({ command: 'help', botId: appBotId });
		expect(one('App Answer')).toMatchObject({ command: 'help', commandId: null });
		expect(sb.state.messages.get(one('App Answer').messageId)).toMatchObject({ MESSAGE: 'How can I help?' });
		// imbot.bot.list lists the portal's bots: the webhook client's and the app's
		expect(run.outputOf('App Bots')).toEqual([
			{ botId, name: 'E2E Helper Bot', code: 'e2e_bot', openLine: false },
			{ botId: appBotId, name: 'App Bot', code: 'e2e_app_bot', openLine: false },
		]);
		expect(one('App Unregister')).toEqual({ botId: appBotId, deleted: true });
		expect(sb.state.bots.has(appBotId)).toBe(false);
		expect(sb.state.bots.has(botId)).toBe(true);

		const calls = sandboxLog(sb, { sinceId: mark }).filter((e) => e.method !== 'batch');
		expect(calls.map((e) => e.method)).toEqual([
			'imbot.register',
			'imbot.message.add',
			'imbot.chat.add',
			'imbot.command.register',
			'imbot.command.answer',
			'imbot.bot.list',
			'imbot.unregister',
		]);
		expect(calls.every((e) => e.auth === 'oauth' && e.status === 200 && e.params.CLIENT_ID === undefined)).toBe(true);
	});

	test('webhook credential: Bot Unregister (the bot id mapped from Get Many)', async () => {
		const run = expectRunOk(await n8n.execute(unregisterWf.id));
		expect(run.outputOf('Unregister Bot')).toEqual([{ botId, deleted: true }]);
		expect(sb.state.bots.has(botId)).toBe(false);
	});
});
