/* Chatbot node version 2 (imbot.v2.*): every operation's method and params, botToken rules, checks before sending. */
import { isDocumentedMethod } from '../../helpers/documentedNames';
import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { webhookCredentials } from '../../helpers/runNode';
import { json, PNG_BASE64, rl, versioned } from './harness';
import { nodeV2, runV2 } from './v2harness';

useNock();

const bot = { botId: rl(456) };
const TOKEN = 'tok-0123456789';
const webhook = (extra = {}) => ({ credentials: { bitrix24WebhookApi: webhookCredentials({ botToken: TOKEN, ...extra }) } });

describe('versions', () => {
	test('new nodes get version 2; version 1 stays for saved workflows', () => {
		expect(versioned.description.defaultVersion).toBe(2);
		expect(Object.keys(versioned.nodeVersions).map(Number)).toEqual([1, 2]);
		expect(nodeV2.description.version).toBe(2);
		expect(nodeV2.description.usableAsTool).toBe(true);
	});

	test('every v2 operation calls a documented imbot.v2 (or open-lines bot) method and has an action an agent understands', () => {
		const operations = nodeV2.description.properties.filter((p) => p.name === 'operation');
		const actions = operations.flatMap((p) => (p.options as Array<{ action?: string }>).map((o) => o.action));
		expect(actions.length).toBe(38); // 37 + Send and Wait for Response (issue 18)
		for (const action of actions) expect(action && action.length > 8).toBe(true);
		const { chatbotV2Resources } = require('../../../nodes/Bitrix24Chatbot/v2/resources');
		const methods: string[] = chatbotV2Resources.flatMap((r: { operations: Array<{ method: string }> }) => r.operations.map((o) => o.method));
		expect(new Set(methods).size).toBe(37);
		for (const method of methods) {
			expect(method.startsWith('imbot.v2.') || method.startsWith('imopenlines.bot.session.')).toBe(true);
			expect(isDocumentedMethod(method)).toBe(true);
		}
	});
});

describe('Bot', () => {
	test('register: camelCase fields, properties, event mode webhook with URL', async () => {
		const { calls } = portal({ 'imbot.v2.Bot.register': { bot: { id: 456, code: 'echo', eventMode: 'webhook' }, users: [] } });
		const out = await runV2({
			resource: 'bot',
			operation: 'register',
			code: ' echo ',
			name: 'Echo',
			type: 'supervisor',
			eventMode: 'webhook',
			webhookUrl: 'https://n8n.example.com/webhook/x',
			additionalFields: { lastName: 'Bot', color: 'darkBlue', isHidden: true, gender: 'F' },
		});
		expect(out.error).toBeUndefined();
		expect(calls[0].method).toBe('imbot.v2.Bot.register');
		expect(calls[0].body).toEqual({
			fields: {
				code: 'echo',
				properties: { name: 'Echo', lastName: 'Bot', color: 'darkBlue', gender: 'F' },
				type: 'supervisor',
				eventMode: 'webhook',
				webhookUrl: 'https://n8n.example.com/webhook/x',
				isHidden: true,
			},
		});
		expect(json(out.items)[0]).toMatchObject({ botId: 456, code: 'echo' });
	});

	test('register under a webhook puts the credential\'s token into fields.botToken; the token never reaches the output', async () => {
		const { calls } = portal({ 'imbot.v2.Bot.register': { bot: { id: 9 } } });
		const out = await runV2({ authentication: 'webhook', resource: 'bot', operation: 'register', code: 'x', name: 'X' }, webhook());
		expect(calls[0].body).toEqual({ fields: { code: 'x', properties: { name: 'X' }, type: 'bot', eventMode: 'fetch', botToken: TOKEN } });
		expect(JSON.stringify(out.items)).not.toContain(TOKEN);
	});

	test('webhook without a Bot Token: a token of at most 40 characters made from the webhook URL; a token over 40: refused before sending', async () => {
		const { calls } = portal({ 'imbot.v2.Bot.get': { bot: { id: 7 } } });
		const none = await runV2({ authentication: 'webhook', resource: 'bot', operation: 'get', ...bot }, webhook({ botToken: '' }));
		expect(none.error).toBeUndefined();
		const derived = (calls[0].body as { botToken: string }).botToken;
		expect(derived).toMatch(/^n8n[A-Za-z0-9_-]{32}$/);
		expect(JSON.stringify(none)).not.toContain(derived);
		calls.length = 0;
		const long = await runV2({ authentication: 'webhook', resource: 'bot', operation: 'get', ...bot }, webhook({ botToken: 'x'.repeat(41) }));
		expect(long.error?.message).toMatch(/41 characters long; Bitrix24 accepts at most 40 \(BOT_TOKEN_INVALID_LENGTH\)/);
		expect(JSON.stringify(long.error)).not.toContain('x'.repeat(41));
		expect(calls).toHaveLength(0);
	});

	test('every v2 call under a webhook carries botToken (not CLIENT_ID); Revision.get carries neither', async () => {
		const { calls } = portal({ 'imbot.v2.Revision.get': { rest: 1 } });
		await runV2({ authentication: 'webhook', resource: 'bot', operation: 'unregister', ...bot }, webhook({ chatbotClientId: 'cid' }));
		await runV2({ authentication: 'webhook', resource: 'bot', operation: 'getRevision' }, webhook({ botToken: '' }));
		expect(calls[0].body).toEqual({ botId: 456, botToken: TOKEN });
		expect(calls[1].body).toEqual({});
	});

	test('update: token rotation (≤ 40 chars, checked), keep event mode, nothing to update refused', async () => {
		const { calls } = portal({ 'imbot.v2.Bot.update': { bot: { id: 456 } } });
		await runV2({ resource: 'bot', operation: 'update', ...bot, updateFields: { newBotToken: 'new-token', name: 'Renamed' } });
		expect(calls[0].body).toEqual({ botId: 456, fields: { botToken: 'new-token', properties: { name: 'Renamed' } } });
		const long = await runV2({ resource: 'bot', operation: 'update', ...bot, updateFields: { newBotToken: 'y'.repeat(41) } });
		expect(long.error?.message).toMatch(/New Bot Token" is longer than 40 characters/);
		const empty = await runV2({ resource: 'bot', operation: 'update', ...bot });
		expect(empty.error?.message).toMatch(/Nothing to update/);
		expect(calls).toHaveLength(1);
	});

	test('get many: one item per bot', async () => {
		portal({ 'imbot.v2.Bot.list': { bots: [{ id: 1, code: 'a' }, { id: 2, code: 'b' }], users: [], hasNextPage: false } });
		const out = await runV2({ resource: 'bot', operation: 'getAll', returnAll: true });
		expect(json(out.items)).toEqual([
			{ botId: 1, id: 1, code: 'a' },
			{ botId: 2, id: 2, code: 'b' },
		]);
	});
});

describe('Message', () => {
	test('send: botId, dialogId, fields (message, keyboard with BOT_ID, attach, flags)', async () => {
		const { calls } = portal({ 'imbot.v2.Chat.Message.send': { id: 777, uuidMap: [] } });
		const out = await runV2({
			resource: 'message',
			operation: 'send',
			...bot,
			dialogId: 'chat5',
			text: ' Hello ',
			keyboardSource: 'builder',
			keyboardButtons: { button: [{ type: 'link', text: 'Open', link: 'https://example.com' }] },
			attachmentSource: 'json',
			attachmentJson: '[{"MESSAGE":"hi"}]',
			options: { system: true, urlPreview: false, replyId: '12' },
		});
		expect(out.error).toBeUndefined();
		expect(calls[0].body).toEqual({
			botId: 456,
			dialogId: 'chat5',
			fields: {
				message: 'Hello',
				keyboard: { BOT_ID: 456, BUTTONS: [{ TEXT: 'Open', LINK: 'https://example.com' }] },
				attach: [{ MESSAGE: 'hi' }],
				system: true,
				urlPreview: false,
				replyId: 12,
			},
		});
		expect(json(out.items)).toEqual([{ messageId: 777, botId: 456, dialogId: 'chat5' }]);
	});

	test('send: reply to the trigger event; 20,000 characters is the limit', async () => {
		const { calls } = portal({ 'imbot.v2.Chat.Message.send': { id: 1 } });
		await runV2({ resource: 'message', operation: 'send', botId: rl(456), target: 'reply', text: 'pong' }, { items: [{ json: { dialogId: '27', botId: 456 } }] });
		expect(calls[0].body).toEqual({ botId: 456, dialogId: '27', fields: { message: 'pong' } });
		const long = await runV2({ resource: 'message', operation: 'send', ...bot, dialogId: '27', text: 'x'.repeat(20_001) });
		expect(long.error?.message).toMatch(/"Text" is 20001 characters long; Bitrix24 keeps at most 20000/);
		expect(calls).toHaveLength(1);
	});

	test.each([
		['update', { messageId: '5', text: 'new', keyboardSource: 'remove' }, 'imbot.v2.Chat.Message.update', { botId: 456, messageId: 5, fields: { message: 'new', keyboard: 'N' } }],
		['delete', { messageId: '5', complete: true }, 'imbot.v2.Chat.Message.delete', { botId: 456, messageId: 5, complete: true }],
		['markRead', { dialogId: 'chat5', messageId: '9' }, 'imbot.v2.Chat.Message.read', { botId: 456, dialogId: 'chat5', messageId: 9 }],
		['get', { messageId: '9' }, 'imbot.v2.Chat.Message.get', { botId: 456, messageId: 9 }],
		['getContext', { messageId: '9', range: 10 }, 'imbot.v2.Chat.Message.getContext', { botId: 456, messageId: 9, range: 10 }],
		['addReaction', { messageId: '9', reaction: 'fire' }, 'imbot.v2.Chat.Message.Reaction.add', { botId: 456, messageId: 9, reaction: 'fire' }],
		['removeReaction', { messageId: '9', reaction: 'redHeart' }, 'imbot.v2.Chat.Message.Reaction.delete', { botId: 456, messageId: 9, reaction: 'redHeart' }],
	])('%s → %s', async (operation, fields, method, body) => {
		const { calls } = portal();
		const out = await runV2({ resource: 'message', operation, ...bot, ...fields });
		expect(out.error).toBeUndefined();
		expect(calls.map((c) => [c.method, c.body])).toEqual([[method, body]]);
	});

	test('an unknown reaction is refused before sending, listing the codes', async () => {
		const { calls } = portal();
		const out = await runV2({ resource: 'message', operation: 'addReaction', ...bot, messageId: '9', reaction: '={{ "heart" }}' });
		expect(out.error?.message).toMatch(/"Reaction" must be one of: .*redHeart/);
		expect(calls).toHaveLength(0);
	});
});

describe('Chat', () => {
	test('create: fields with members, colour, avatar (base64), owner; output chatId and dialogId', async () => {
		const { calls } = portal({ 'imbot.v2.Chat.add': { chat: { id: 15, dialogId: 'chat15', name: 'Support' } } });
		const out = await runV2({
			resource: 'chat',
			operation: 'create',
			...bot,
			title: 'Support',
			userIds: '2, 3',
			avatarSource: 'base64',
			avatarBase64: PNG_BASE64,
			additionalFields: { color: 'mint', ownerId: '2', message: 'Welcome' },
		});
		expect(calls[0].body).toEqual({
			botId: 456,
			fields: { title: 'Support', userIds: [2, 3], avatar: PNG_BASE64, color: 'mint', ownerId: 2, message: 'Welcome' },
		});
		expect(json(out.items)[0]).toMatchObject({ chatId: 15, dialogId: 'chat15' });
	});

	test.each([
		['get', {}, 'imbot.v2.Chat.get', {}],
		['update', { updateFields: { title: 'New' } }, 'imbot.v2.Chat.update', { fields: { title: 'New' } }],
		['leave', {}, 'imbot.v2.Chat.leave', {}],
		['setOwner', { userId: '3' }, 'imbot.v2.Chat.setOwner', { userId: 3 }],
		['addUsers', { userIds: '4,5' }, 'imbot.v2.Chat.User.add', { userIds: [4, 5] }],
		['removeUser', { userId: '4' }, 'imbot.v2.Chat.User.delete', { userId: 4 }],
		['addManagers', { userIds: '4' }, 'imbot.v2.Chat.Manager.add', { userIds: [4] }],
		['removeManagers', { userIds: '4' }, 'imbot.v2.Chat.Manager.delete', { userIds: [4] }],
		['showStatus', { statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING', duration: 30 }, 'imbot.v2.Chat.InputAction.notify', { statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING', duration: 30 }],
		['showStatus', { duration: 5 }, 'imbot.v2.Chat.InputAction.notify', { duration: 5 }],
		['setTextField', { enabled: false }, 'imbot.v2.Chat.TextField.enabled', { enabled: false }],
	])('%s → %s', async (operation, fields, method, body) => {
		const { calls } = portal({ 'imbot.v2.Chat.get': { chat: { id: 15 } } });
		const out = await runV2({ resource: 'chat', operation, ...bot, dialogId: 'chat15', ...fields });
		expect(out.error).toBeUndefined();
		expect(calls.map((c) => [c.method, c.body])).toEqual([[method, { botId: 456, dialogId: 'chat15', ...body }]]);
	});

	test('get users: one item per member', async () => {
		const { calls } = portal({ 'imbot.v2.Chat.User.list': [{ id: 1 }, { id: 2 }] });
		const out = await runV2({ resource: 'chat', operation: 'getUsers', ...bot, dialogId: 'chat15', returnAll: true });
		expect(calls[0].body).toEqual({ botId: 456, dialogId: 'chat15', limit: 200 });
		expect(json(out.items)).toEqual([{ id: 1 }, { id: 2 }]);
	});
});

describe('Command', () => {
	test('register: command, titles and params per language, flags', async () => {
		const { calls } = portal({ 'imbot.v2.Command.register': { command: { id: 12, botId: 456, command: '/help' } } });
		const out = await runV2({
			resource: 'command',
			operation: 'register',
			...bot,
			command: '/help',
			languages: { language: [{ languageId: 'EN', title: 'Show help', params: 'topic' }, { languageId: 'de', title: 'Hilfe' }] },
			options: { common: true },
		});
		expect(calls[0].body).toEqual({ botId: 456, fields: { command: 'help', title: { en: 'Show help', de: 'Hilfe' }, params: { en: 'topic' }, common: true } });
		expect(json(out.items)[0]).toMatchObject({ commandId: 12 });
	});

	test('a visible command without a title is refused (COMMAND_TITLE_REQUIRED); a hidden one needs none', async () => {
		const { calls } = portal({ 'imbot.v2.Command.register': { command: { id: 13 } } });
		const visible = await runV2({ resource: 'command', operation: 'register', ...bot, command: 'x' });
		expect(visible.error?.message).toMatch(/COMMAND_TITLE_REQUIRED/);
		await runV2({ resource: 'command', operation: 'register', ...bot, command: 'x', options: { hidden: true } });
		expect(calls.map((c) => c.body)).toEqual([{ botId: 456, fields: { command: 'x', hidden: true } }]);
	});

	test.each([
		['update', { commandId: rl(12), updateFields: { hidden: true } }, 'imbot.v2.Command.update', { commandId: 12, fields: { hidden: true } }],
		['unregister', { commandId: rl(12) }, 'imbot.v2.Command.unregister', { commandId: 12 }],
		[
			'answer',
			{ commandId: rl(12), messageId: '70', dialogId: '27', text: 'Done', keyboardSource: 'builder', keyboardButtons: { button: [{ type: 'command', text: 'Again', command: 'help' }] } },
			'imbot.v2.Command.answer',
			{ commandId: 12, messageId: 70, dialogId: '27', fields: { message: 'Done', keyboard: { BOT_ID: 456, BUTTONS: [{ TEXT: 'Again', COMMAND: 'help' }] } } },
		],
	])('%s → %s', async (operation, fields, method, body) => {
		const { calls } = portal({ 'imbot.v2.Command.update': { command: { id: 12 } }, 'imbot.v2.Command.list': { commands: [{ id: 12, command: '/help' }] } });
		const out = await runV2({ resource: 'command', operation, ...bot, ...fields });
		expect(out.error).toBeUndefined();
		// a keyboard with a command button: the bot's commands are read first (the button's command must be one)
		const listed = operation === 'answer' ? [['imbot.v2.Command.list', { botId: 456 }]] : [];
		expect(calls.map((c) => [c.method, c.body])).toEqual([...listed, [method, { botId: 456, ...body }]]);
	});

	test('get many: one item per command (and the Command dropdown reads Command.list for the chosen bot)', async () => {
		portal({ 'imbot.v2.Command.list': { commands: [{ id: 12, command: '/help' }] } });
		const out = await runV2({ resource: 'command', operation: 'getAll', ...bot, returnAll: true });
		expect(json(out.items)).toEqual([{ commandId: 12, id: 12, command: '/help' }]);
		expect(nodeV2.methods.listSearch.searchCommandsV2).toBeInstanceOf(Function);
	});
});

describe('keyboard command buttons (issue 13.11): the command must be registered for the bot', () => {
	const send = (command: string) => ({
		resource: 'message',
		operation: 'send',
		...bot,
		dialogId: '27',
		text: 'Pick one',
		keyboardSource: 'builder',
		keyboardButtons: { button: [{ type: 'command', text: 'Go', command }] },
	});

	test('registered: Command.list is read once per execution for three items, then every message is sent', async () => {
		// three items go out in one batch request: answer each of its commands
		const batch = (body: { cmd: Record<string, string> }) => ({ result: Object.fromEntries(Object.keys(body.cmd).map((key, i) => [key, { id: 900 + i }])), result_error: [] });
		const { calls } = portal({ 'imbot.v2.Command.list': { commands: [{ id: 12, command: '/help' }] }, batch });
		const out = await runV2(send('help'), { items: [{ json: {} }, { json: {} }, { json: {} }] });
		expect(out.error).toBeUndefined();
		expect(calls.map((c) => c.method)).toEqual(['imbot.v2.Command.list', 'batch']);
		expect(Object.keys((calls[1].body as { cmd: object }).cmd)).toHaveLength(3);
		expect(json(out.items)).toHaveLength(3);
	});

	test('not registered: the item is refused before sending, naming the command and the bot\'s commands', async () => {
		const { calls } = portal({ 'imbot.v2.Command.list': { commands: [{ id: 12, command: '/help' }] } });
		const out = await runV2(send('halp'));
		expect(out.error?.message).toMatch(/Keyboard: bot 456 has no command "halp" \(imbot\.v2\.Command\.list; its commands: \/help\)\. A click on that button would do nothing/);
		expect(calls.map((c) => c.method)).toEqual(['imbot.v2.Command.list']);
	});

	test('the list cannot be read: the message is sent unchecked (the send reports what is wrong)', async () => {
		const { calls } = portal({ 'imbot.v2.Command.list': { error: 'ACCESS_DENIED', error_description: 'no' }, 'imbot.v2.Chat.Message.send': { id: 901 } });
		const out = await runV2(send('help'));
		expect(out.error).toBeUndefined();
		expect(calls.map((c) => c.method)).toEqual(['imbot.v2.Command.list', 'imbot.v2.Chat.Message.send']);
	});
});

describe('v2 rate limit', () => {
	test('an HTTP 429 without a Bitrix24 body (the v2 limit) is resent like a 503, then succeeds', async () => {
		const { RETRY } = require('../../../nodes/Bitrix24/transport/request');
		const saved = { ...RETRY };
		RETRY.baseBackoffMs = 1;
		RETRY.maxBackoffMs = 2;
		try {
			const nock = require('nock');
			const { OAUTH_BASE } = require('../../helpers/runNode');
			nock(OAUTH_BASE).post('/rest/imbot.v2.Chat.Message.send').reply(429, 'Too many requests');
			nock(OAUTH_BASE).post('/rest/imbot.v2.Chat.Message.send').reply(200, { result: { id: 5 } });
			const out = await runV2({ resource: 'message', operation: 'send', ...bot, dialogId: '27', text: 'x' });
			expect(out.error).toBeUndefined();
			expect(json(out.items)).toEqual([{ messageId: 5, botId: 456, dialogId: '27' }]);
		} finally {
			Object.assign(RETRY, saved);
		}
	});
});
