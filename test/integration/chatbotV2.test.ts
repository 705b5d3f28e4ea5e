/* Chatbot node version 2 in-process against the sandbox portal's imbot.v2 API over HTTP, both credentials. */
import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Bitrix24Chatbot } from '../../nodes/Bitrix24Chatbot/Bitrix24Chatbot.node';
import { oauthCredentials, runNode, webhookCredentials, WEBHOOK_BASE, WEBHOOK_PATH } from '../helpers/runNode';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../../sandbox');

const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const BOT_TOKEN = 'n8n-v2-integration-token';

/* eslint-disable @typescript-eslint/no-explicit-any */
let sb: any;
const node = new Bitrix24Chatbot().getNodeType(2);

function credentials(): Record<string, IDataObject> {
	const base = webhookCredentials({ botToken: BOT_TOKEN });
	const urlKey = Object.keys(base).find((key) => base[key] === `${WEBHOOK_BASE}${WEBHOOK_PATH}`) as string;
	return {
		bitrix24WebhookApi: { ...base, [urlKey]: sb.webhookUrl },
		bitrix24OAuth2Api: oauthCredentials({
			portalUrl: sb.url,
			clientId: sb.oauth.clientId,
			clientSecret: sb.oauth.clientSecret,
			accessTokenUrl: sb.oauth.tokenUrl,
			authUrl: sb.oauth.authorizeUrl,
			oauthTokenData: sb.issueTokens({ userId: 1 }),
		}),
	};
}

async function run(parameters: IDataObject, options: { auth?: 'webhook' | 'oAuth2'; items?: INodeExecutionData[] } = {}): Promise<IDataObject[]> {
	const out = await runNode(node, { parameters: { authentication: options.auth ?? 'webhook', ...parameters }, items: options.items, credentials: credentials() });
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

test.each(['webhook', 'oAuth2'] as const)('%s: register a bot, chat with members, message with keyboard, reaction, command, status, text field', async (auth) => {
	const [bot] = await run({ resource: 'bot', operation: 'register', code: `v2_${auth}`, name: 'V2 Bot', avatarSource: 'base64', avatarBase64: PNG_BASE64 }, { auth });
	const botId = bot.botId as number;
	expect(botId).toBeGreaterThan(0);
	const ids = { auth, botId: rl(botId) };

	const [chat] = await run({ resource: 'chat', operation: 'create', ...ids, title: 'Support', userIds: '2, 3' }, { auth });
	const dialogId = chat.dialogId as string;
	expect(dialogId).toMatch(/^chat\d+$/);
	expect(sb.state.chats.get(chat.chatId)).toMatchObject({ USERS: expect.arrayContaining([2, 3]) });

	const [sent] = await run(
		{
			resource: 'message',
			operation: 'send',
			...ids,
			dialogId,
			text: 'Hello [b]team[/b]',
			keyboardSource: 'builder',
			keyboardButtons: { button: [{ type: 'link', text: 'Docs', link: 'https://example.com' }] },
		},
		{ auth },
	);
	const messageId = sent.messageId as number;
	const stored = sb.state.messages.get(messageId);
	expect(stored).toBeDefined();
	expect(JSON.stringify(stored)).toContain('Hello [b]team[/b]');

	await run({ resource: 'message', operation: 'update', ...ids, messageId: String(messageId), text: 'Edited' }, { auth });
	expect(JSON.stringify(sb.state.messages.get(messageId))).toContain('Edited');
	await run({ resource: 'message', operation: 'addReaction', ...ids, messageId: String(messageId), reaction: 'fire' }, { auth });
	const users = await run({ resource: 'chat', operation: 'getUsers', ...ids, dialogId, returnAll: true }, { auth });
	expect(users.map((u) => u.id)).toEqual(expect.arrayContaining([2, 3]));
	await run({ resource: 'chat', operation: 'addManagers', ...ids, dialogId, userIds: '2' }, { auth });
	await run({ resource: 'chat', operation: 'showStatus', ...ids, dialogId, statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING', duration: 10 }, { auth });
	expect(sb.state.chats.get(chat.chatId).INPUT_ACTION).toMatchObject({ code: 'IMBOT_AGENT_ACTION_THINKING' });
	await run({ resource: 'chat', operation: 'setTextField', ...ids, dialogId, enabled: false }, { auth });

	const [command] = await run(
		{ resource: 'command', operation: 'register', ...ids, command: 'help', languages: { language: [{ languageId: 'en', title: 'Help' }] } },
		{ auth },
	);
	const commands = await run({ resource: 'command', operation: 'getAll', ...ids, returnAll: true }, { auth });
	expect(commands.map((c) => c.commandId)).toEqual([command.commandId]);

	await run({ resource: 'message', operation: 'delete', ...ids, messageId: String(messageId), complete: true }, { auth });
	await run({ resource: 'chat', operation: 'leave', ...ids, dialogId }, { auth });
	await run({ resource: 'command', operation: 'unregister', ...ids, commandId: rl(command.commandId as number) }, { auth });
	const [gone] = await run({ resource: 'bot', operation: 'unregister', ...ids }, { auth });
	expect(gone).toEqual({ botId, deleted: true });
});

test('a bot registered with one token is refused with another (BOT_OWNERSHIP_ERROR), the token never shown', async () => {
	const [bot] = await run({ resource: 'bot', operation: 'register', code: 'owned', name: 'Owned' });
	const other = credentials();
	other.bitrix24WebhookApi = { ...other.bitrix24WebhookApi, botToken: 'someone-else' };
	const out = await runNode(node, { parameters: { authentication: 'webhook', resource: 'bot', operation: 'update', botId: rl(bot.botId as number), updateFields: { name: 'Taken' } }, credentials: other });
	expect(out.error?.message).toMatch(/BOT_OWNERSHIP_ERROR/);
	expect(JSON.stringify(out.error)).not.toMatch(/someone-else|n8n-v2-integration-token/);
});

test('100 messages in one run: batched, one output per item, in order', async () => {
	const [bot] = await run({ resource: 'bot', operation: 'register', code: 'bulk', name: 'Bulk' });
	const before = sb.log().length;
	const items = Array.from({ length: 100 }, (_, i) => ({ json: { i } }));
	const out = await run({ resource: 'message', operation: 'send', botId: rl(bot.botId as number), dialogId: '2', text: '={{ "n" + $json.i }}' }, { items });
	expect(out).toHaveLength(100);
	expect(new Set(out.map((o) => o.messageId)).size).toBe(100);
	const texts = out.map((o) => JSON.stringify(sb.state.messages.get(o.messageId)));
	expect(texts[0]).toContain('n0');
	expect(texts[99]).toContain('n99');
	const requests = sb.log().slice(before).filter((entry: IDataObject) => !entry.inBatch);
	expect(requests.map((entry: IDataObject) => entry.method)).toEqual(['batch', 'batch']);
});

test('a keyboard command button: a command of the bot is sent; an unregistered one is refused before sending (issue 13.11)', async () => {
	const [bot] = await run({ resource: 'bot', operation: 'register', code: 'v2_cmdcheck', name: 'Cmd Bot' });
	const botId = rl(bot.botId as number);
	await run({ resource: 'command', operation: 'register', botId, command: 'status', languages: { language: [{ languageId: 'en', title: 'Status' }] } });
	const send = (command: string) => ({ resource: 'message', operation: 'send', botId, dialogId: '2', text: 'Pick', keyboardSource: 'builder', keyboardButtons: { button: [{ type: 'command', text: 'Go', command }] } });

	const count = () => [...sb.state.messages.values()].length;
	const start = count();
	const [sent] = await run(send('status'), { items: [{ json: {} }, { json: {} }] });
	expect(sent.messageId).toEqual(expect.any(Number));
	expect(count()).toBe(start + 2);

	const before = count();
	const refused = await runNode(node, { parameters: { authentication: 'webhook', ...send('stats') }, credentials: credentials(), continueOnFail: true });
	expect(refused.items[0].json.error).toMatch(/bot \d+ has no command "stats" \(imbot\.v2\.Command\.list; its commands: \/status\)/);
	expect(count()).toBe(before);
});
