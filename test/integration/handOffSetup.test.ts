/*
 * The hand-off from where a bot author stands (issue 25), in-process against the sandbox: a v2 bot's hand-off on a line
 * whose welcome bot is not this bot fails with the cause first and names Open Channels → Line → Set Welcome Bot; after
 * that ONE operation the customer's next dialog reaches the bot (webhook credential, no Bot Token), and the hand-off
 * works: the operator has the dialog.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';
import nock from 'nock';

import { Bitrix24Chatbot } from '../../nodes/Bitrix24Chatbot/Bitrix24Chatbot.node';
import { Bitrix24OpenChannels } from '../../nodes/Bitrix24OpenChannels/Bitrix24OpenChannels.node';
import { runNode, webhookCredentials } from '../helpers/runNode';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../../sandbox');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { app, control, setupConnector } = require('../sandbox/helpers');

const openChannels = new Bitrix24OpenChannels();
const chatbotV2 = new Bitrix24Chatbot().getNodeType(2);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let sb: any;
const credentials = () => ({ bitrix24WebhookApi: webhookCredentials({ webhookSecret: sb.webhookUrl, botToken: '' }) });
const run = (node: INodeType, parameters: IDataObject) => runNode(node, { parameters: { authentication: 'webhook', ...parameters }, credentials: credentials() });

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	sb = await startSandbox({ port: 0, rate: 0 });
});
afterAll(async () => await sb.stop());

test('hand-off refused with the cause and the one operation to use; after Set Welcome Bot the bot has the dialog and hands it to an operator', async () => {
	const token = sb.issueTokens().access_token;
	await setupConnector(sb, token);
	const reg = await run(chatbotV2, { resource: 'bot', operation: 'register', code: 'line_bot', name: 'Line bot', type: 'openline' });
	expect(reg.error).toBeUndefined();
	const botId = Number(reg.items[0].json.botId);
	const say = (text: string, chat = 'c-1') =>
		app(sb, token, 'imconnector.send.messages', { CONNECTOR: 'myconnector', LINE: 1, MESSAGES: [{ user: { id: `u-${chat}`, name: 'Klaus' }, message: { id: text, text }, chat: { id: chat } }] });

	const first = (await say('hello')).body.result.DATA.RESULT[0];
	const refused = await run(chatbotV2, { resource: 'lineSession', operation: 'handOff', chatId: first.session.CHAT_ID });
	expect(refused.error?.message).toMatch(/^The dialog is not with this bot: this chat's Open Channel does not use this bot as its welcome bot/);
	expect(String((refused.error as { description?: string }).description)).toMatch(/Open Channels → Line → Set Welcome Bot/);

	const set = await run(openChannels, { resource: 'line', operation: 'setWelcomeBot', line: { __rl: true, mode: 'id', value: '1' }, welcomeBotId: { __rl: true, mode: 'list', value: String(botId) } });
	expect(set.error).toBeUndefined();
	expect(set.items[0].json).toEqual({ lineId: 1, welcomeBotId: botId, welcomeBotEnabled: true });
	expect(sb.state.lines.get(1)).toMatchObject({ WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: String(botId) });

	const second = (await say('a new dialog', 'c-2')).body.result.DATA.RESULT[0];
	const queue = sb.state.imbotV2.queues.get(`bot:${botId}`).events.map((e: IDataObject) => (e.data as IDataObject).message as IDataObject);
	expect(queue.map((m) => m.text)).toEqual(['a new dialog']);
	const handOff = await run(chatbotV2, { resource: 'lineSession', operation: 'handOff', chatId: second.session.CHAT_ID });
	expect(handOff.error).toBeUndefined();
	const dialogs = (await control(sb, 'openlines/sessions', undefined, 'GET')).body.dialogs;
	expect(dialogs.find((d: IDataObject) => d.externalChatId === 'c-2')).toMatchObject({ heldBy: { bot: false } });
});
