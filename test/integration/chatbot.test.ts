/* The Chatbot node in-process against the real sandbox portal over HTTP: every step checked in the portal's state. */
import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Bitrix24Chatbot } from '../../nodes/Bitrix24Chatbot/Bitrix24Chatbot.node';
import { oauthCredentials, runNode, webhookCredentials, WEBHOOK_BASE, WEBHOOK_PATH } from '../helpers/runNode';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../../sandbox');

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const CLIENT_ID = 'n8n-integration-client';

/* eslint-disable @typescript-eslint/no-explicit-any */
let sb: any;
const node = new Bitrix24Chatbot().getNodeType(1);

/** The test helper's webhook credential, pointed at the sandbox (whatever the URL field is called). */
function sandboxWebhook(): IDataObject {
	const base = webhookCredentials({ chatbotClientId: CLIENT_ID });
	const urlKey = Object.keys(base).find((key) => base[key] === `${WEBHOOK_BASE}${WEBHOOK_PATH}`) as string;
	return { ...base, [urlKey]: sb.webhookUrl };
}

async function run(parameters: IDataObject, items?: INodeExecutionData[], auth: 'webhook' | 'oAuth2' = 'webhook'): Promise<IDataObject[]> {
	const tokens = sb.issueTokens({ userId: 1 });
	const out = await runNode(node, {
		parameters: { authentication: auth, ...parameters },
		items,
		credentials: {
			bitrix24WebhookApi: sandboxWebhook(),
			bitrix24OAuth2Api: oauthCredentials({
				portalUrl: sb.url,
				clientId: sb.oauth.clientId,
				clientSecret: sb.oauth.clientSecret,
				accessTokenUrl: sb.oauth.tokenUrl,
				authUrl: sb.oauth.authorizeUrl,
				oauthTokenData: tokens,
			}),
		},
	});
	if (out.error) throw out.error;
	return out.items.map((item) => item.json);
}

const rl = (value: number | string) => ({ __rl: true, mode: 'id', value: String(value) });

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	sb = await startSandbox({ port: 0, rate: 0 });
});

afterAll(async () => {
	await sb?.stop();
});

test('register a bot, run a chat, send / update / delete a message with a keyboard, read the dialog', async () => {
	// Bot → Register (webhook: CLIENT_ID from the credential makes the webhook the bot's owner)
	const [registered] = await run({
		resource: 'bot',
		operation: 'register',
		code: 'it_bot',
		name: 'Integration',
		lastName: 'Bot',
		eventHandler: 'http://127.0.0.1:9/bot-events',
		additionalFields: { color: 'MINT', workPosition: 'Tester' },
	});
	const botId = registered.botId as number;
	expect(registered.code).toBe('it_bot');
	const bot = sb.state.bots.get(botId);
	expect(bot).toMatchObject({ CODE: 'it_bot', TYPE: 'B', EVENT_MESSAGE_ADD: 'http://127.0.0.1:9/bot-events' });
	expect(bot.PROPERTIES).toMatchObject({ NAME: 'Integration', LAST_NAME: 'Bot', COLOR: 'MINT', WORK_POSITION: 'Tester' });
	expect(bot.owner).toBe(`webhook:${CLIENT_ID}`);

	// Bot → Get Many
	const bots = await run({ resource: 'bot', operation: 'getAll', returnAll: true });
	expect(bots).toEqual([{ botId, name: 'Integration Bot', code: 'it_bot', openLine: false }]);

	// Chat → Create with USERS
	const [created] = await run({ resource: 'chat', operation: 'create', botId: rl(botId), title: 'Order 42', userIds: '2, 3', additionalFields: { entityType: 'ORDER', entityId: '42' } });
	const chatId = created.chatId as number;
	expect(created.dialogId).toBe(`chat${chatId}`);
	expect(sb.state.chats.get(chatId)).toMatchObject({ TITLE: 'Order 42', OWNER: botId, USERS: [botId, 2, 3], ENTITY_TYPE: 'ORDER', ENTITY_ID: '42' });

	// Chat → Get ID by Entity
	expect(await run({ resource: 'chat', operation: 'getByEntity', entityType: 'ORDER', entityId: '42' })).toEqual([{ found: true, chatId, dialogId: `chat${chatId}` }]);

	// Chat → Add Members, Get Members
	await run({ resource: 'chat', operation: 'addMembers', botId: rl(botId), chatId: String(chatId), userIds: '4' });
	expect(sb.state.chats.get(chatId).USERS).toEqual([botId, 2, 3, 4]);
	expect(await run({ resource: 'chat', operation: 'getMembers', botId: rl(botId), chatId: String(chatId), returnAll: true })).toEqual([
		{ userId: botId },
		{ userId: 2 },
		{ userId: 3 },
		{ userId: 4 },
	]);

	// Chat → Rename, Set Color, Set Avatar (binary)
	await run({ resource: 'chat', operation: 'rename', botId: rl(botId), chatId: `chat${chatId}`, title: 'Order 42 (paid)' });
	expect(sb.state.chats.get(chatId).TITLE).toBe('Order 42 (paid)');
	await run({ resource: 'chat', operation: 'setColor', botId: rl(botId), chatId: String(chatId), color: 'PURPLE' });
	expect(sb.state.chats.get(chatId).COLOR).toBe('PURPLE');
	await run({ resource: 'chat', operation: 'setAvatar', botId: rl(botId), chatId: String(chatId), avatarSource: 'binary', avatarBinaryProperty: 'picture' }, [
		{ json: {}, binary: { picture: { data: PNG_BASE64, mimeType: 'image/png', fileName: 'a.png' } } },
	]);
	expect(sb.state.chats.get(chatId).AVATAR).toMatch(/^data:image;base64,iVBORw0KGgo/);

	// Chat → Set Manager
	await run({ resource: 'chat', operation: 'setManager', botId: rl(botId), chatId: String(chatId), userId: '3' });
	expect(sb.state.chats.get(chatId).MANAGERS).toEqual([3]);

	// Message → Send with a keyboard built in the UI
	const [sent] = await run({
		resource: 'message',
		operation: 'send',
		botId: rl(botId),
		dialogId: `chat${chatId}`,
		text: 'Your order is [b]paid[/b]',
		keyboardSource: 'builder',
		keyboardButtons: {
			button: [
				{ type: 'command', text: 'Details', command: 'details', commandParams: '42', options: { display: 'LINE' } },
				{ type: 'newline' },
				{ type: 'link', text: 'Open', link: 'https://shop.example/42' },
			],
		},
	});
	const messageId = sent.messageId as number;
	expect(sent).toEqual({ messageId, botId, dialogId: `chat${chatId}` });
	const stored = sb.state.messages.get(messageId);
	expect(stored).toMatchObject({ CHAT_ID: chatId, AUTHOR_ID: botId, MESSAGE: 'Your order is [b]paid[/b]' });
	expect(stored.KEYBOARD).toEqual({
		BOT_ID: botId,
		BUTTONS: [{ TEXT: 'Details', COMMAND: 'details', COMMAND_PARAMS: '42', DISPLAY: 'LINE' }, { TYPE: 'NEWLINE' }, { TEXT: 'Open', LINK: 'https://shop.example/42' }],
	});

	// Message → Update: new text, keyboard removed
	expect(await run({ resource: 'message', operation: 'update', botId: rl(botId), messageId: String(messageId), textMode: 'replace', text: 'Shipped', keyboardSource: 'remove' })).toEqual([
		{ messageId, updated: true },
	]);
	expect(sb.state.messages.get(messageId)).toMatchObject({ MESSAGE: 'Shipped', KEYBOARD: null, EDITED: true, DELETED: false });

	// Chat → Get Dialog
	const [dialog] = await run({ resource: 'chat', operation: 'getDialog', botId: rl(botId), dialogId: `chat${chatId}` });
	expect(dialog).toMatchObject({ id: chatId, name: 'Order 42 (paid)', owner: botId, dialog_id: `chat${chatId}`, last_message_id: messageId, manager_list: [3] });

	// Message → Delete (complete)
	expect(await run({ resource: 'message', operation: 'delete', botId: rl(botId), messageId: String(messageId), complete: true })).toEqual([
		{ messageId, deleted: true, complete: true },
	]);
	expect(sb.state.messages.has(messageId)).toBe(false);

	// Bot → Unregister
	await run({ resource: 'bot', operation: 'unregister', botId: rl(botId) });
	expect(sb.state.bots.has(botId)).toBe(false);
});

test('commands: register, answer with a keyboard, unregister; a portal error is a clear node error', async () => {
	const [registered] = await run({ resource: 'bot', operation: 'register', code: 'cmd_bot', name: 'Commander', eventHandler: 'http://127.0.0.1:9/e' }, undefined, 'oAuth2');
	const botId = registered.botId as number;
	const [command] = await run(
		{ resource: 'command', operation: 'register', botId: rl(botId), command: 'echo', eventCommandAdd: 'http://127.0.0.1:9/cmd', languages: { language: [{ languageId: 'en', title: 'Echo' }] } },
		undefined,
		'oAuth2',
	);
	const commandId = command.commandId as number;
	expect(sb.state.commands.get(commandId)).toMatchObject({ BOT_ID: botId, COMMAND: 'echo', LANG: [{ LANGUAGE_ID: 'en', TITLE: 'Echo' }] });

	const [sent] = await run({ resource: 'message', operation: 'send', botId: rl(botId), dialogId: '2', text: 'hello' }, undefined, 'oAuth2');
	const [answer] = await run(
		{
			resource: 'command',
			operation: 'answer',
			commandId: String(commandId),
			messageId: String(sent.messageId),
			text: 'echo: hello',
			keyboardSource: 'json',
			keyboardJson: '[{"TEXT":"Again","COMMAND":"echo"}]',
		},
		undefined,
		'oAuth2',
	);
	expect(sb.state.messages.get(answer.messageId)).toMatchObject({ MESSAGE: 'echo: hello', KEYBOARD: { BUTTONS: [{ TEXT: 'Again', COMMAND: 'echo' }] } });

	await run({ resource: 'command', operation: 'unregister', commandId: String(commandId) }, undefined, 'oAuth2');
	expect(sb.state.commands.has(commandId)).toBe(false);

	// The webhook client does not own this bot: Bitrix's APP_ID_ERROR comes back as a clear error.
	await expect(run({ resource: 'bot', operation: 'unregister', botId: rl(botId) })).rejects.toMatchObject({
		message: expect.stringMatching(/imbot\.unregister failed with APP_ID_ERROR/),
	});
	expect(sb.state.bots.has(botId)).toBe(true);
});
