/*
 * Open lines end to end, in-process, against the sandbox portal over real HTTP (OAuth2 credential; one step by webhook):
 * a bot and a line with that bot as its welcome bot, a customer writes through a connector, the session is found by
 * user code, the bot greets and hands off to an operator, the operator answers, pins, creates a lead and finishes;
 * the supervisor rates it; the CRM chat and the history are read — each checked in the sandbox's state.
 */
import type { IDataObject, INodeType } from 'n8n-workflow';
import nock from 'nock';

import { Bitrix24Chatbot } from '../../nodes/Bitrix24Chatbot/Bitrix24Chatbot.node';
import { Bitrix24OpenChannels } from '../../nodes/Bitrix24OpenChannels/Bitrix24OpenChannels.node';
import type { RunResult } from '../helpers/runNode';
import { oauthCredentials, runNode, webhookCredentials } from '../helpers/runNode';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../../sandbox');

const openChannels = new Bitrix24OpenChannels();
const chatbot = new Bitrix24Chatbot().getNodeType(1);
const CONNECTOR = 'n8n_it_lines';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10"/></svg>';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let sb: any;
let credentials: Record<string, IDataObject>;

const rl = (value: string | number): IDataObject => ({ __rl: true, mode: 'id', value: String(value) });

async function run(node: INodeType, parameters: IDataObject, authentication = 'oAuth2'): Promise<IDataObject[]> {
	const out: RunResult = await runNode(node, { parameters: { authentication, ...parameters }, credentials });
	if (out.error) throw out.error;
	return out.items.map((item) => item.json);
}
const oc = (parameters: IDataObject, authentication?: string) => run(openChannels, parameters, authentication);
const bot = (parameters: IDataObject) => run(chatbot, parameters);

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	sb = await startSandbox({ port: 0, rate: 0 });
	const tokens = sb.issueTokens();
	credentials = {
		bitrix24OAuth2Api: oauthCredentials({
			portalUrl: sb.url,
			clientId: sb.oauth.clientId,
			clientSecret: sb.oauth.clientSecret,
			accessTokenUrl: sb.oauth.tokenUrl,
			authUrl: sb.oauth.authorizeUrl,
			oauthTokenData: { ...tokens, client_endpoint: `${sb.url}/rest/` },
		}),
		bitrix24WebhookApi: webhookCredentials({ webhookSecret: sb.webhookUrl }),
	};
});

afterAll(async () => {
	await sb?.stop();
});

test('line with a welcome bot → customer → session → bot hand-off → operator → lead → finish → rating', async () => {
	// A bot for Open Channels, and a line that uses it as its welcome bot (queue: users 1 and 2)
	const [{ botId }] = await bot({ resource: 'bot', operation: 'register', code: 'it_line_bot', name: 'Line Bot', type: 'O', openLine: true, eventHandler: 'https://example.com/bot' });
	const [line] = await oc({
		resource: 'line',
		operation: 'create',
		lineName: 'IT Support',
		lineSettings: { queueUserIds: '1, 2', welcomeBotEnable: true, welcomeBotId: String(botId), welcomeMessageText: 'Hello from IT Support.' },
	});
	const lineId = line.lineId as number;
	expect(sb.state.lines.get(lineId)).toMatchObject({ LINE_NAME: 'IT Support', WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: String(botId), QUEUE: [1, 2] });
	expect(await oc({ resource: 'line', operation: 'update', line: rl(lineId), lineSettings: { queueType: 'strictly' } })).toEqual([{ lineId, updated: true, changed: ['QUEUE_TYPE'] }]);
	const [path] = await oc({ resource: 'line', operation: 'getPath' });
	expect(path.url).toBe(`${sb.url}/contact_center/`);

	// A customer writes through our connector on that line
	await oc({ resource: 'connector', operation: 'register', connectorId: CONNECTOR, connectorName: 'IT lines', placementHandler: 'https://example.com/settings', iconSvg: SVG });
	await oc({ resource: 'connector', operation: 'activate', connector: rl(CONNECTOR), line: rl(lineId) });
	const [sent] = await oc({ resource: 'message', operation: 'send', connector: rl(CONNECTOR), line: rl(lineId), externalChatId: 'c-1', externalUserId: 'u-1', externalMessageId: 'm-1', text: 'My printer is on fire' });
	const userCode = `${CONNECTOR}|${lineId}|c-1|${sent.bitrixUserId}`;

	// Session → Open by user code; Get Dialog (webhook works for imopenlines too)
	const [opened] = await oc({ resource: 'session', operation: 'open', userCode });
	expect(opened).toEqual({ chatId: sent.chatId, dialogId: `chat${sent.chatId}`, userCode });
	const chatId = opened.chatId as number;
	const [dialog] = await oc({ resource: 'session', operation: 'getDialog', chatId: String(chatId) }, 'webhook');
	expect(dialog).toMatchObject({ chatId, sessionId: sent.sessionId, userCode, type: 'lines' });
	const sessionId = dialog.sessionId as number;
	const record = () => sb.state.olSessions.get(sessionId);
	expect(record()).toMatchObject({ STATUS: 'bot', BOT_ID: botId });

	// The bot greets, then hands off to a free operator
	expect(await bot({ resource: 'lineSession', operation: 'sendAutoMessage', chatId: String(chatId), autoMessage: 'WELCOME' })).toEqual([{ chatId, message: 'welcome', sent: true }]);
	expect([...sb.state.messages.values()].filter((m: IDataObject) => m.CHAT_ID === chatId).map((m: IDataObject) => [m.AUTHOR_ID, m.MESSAGE])).toEqual([[botId, 'Hello from IT Support.']]);
	expect(await bot({ resource: 'lineSession', operation: 'handOff', chatId: String(chatId) })).toEqual([{ chatId, handedOff: true }]);
	expect(record()).toMatchObject({ STATUS: 'waiting', OPERATOR_ID: 1 });
	expect(sb.state.chats.get(chatId).USERS).not.toContain(botId);

	// The operator answers, pins the dialog, creates a lead, posts in the CRM chat and finishes
	expect(await oc({ resource: 'operator', operation: 'answer', chatId: String(chatId) })).toEqual([{ chatId, status: 'answered', success: true }]);
	expect(await oc({ resource: 'session', operation: 'pin', chatId: String(chatId) })).toEqual([{ chatId, pinned: true }]);
	expect(record()).toMatchObject({ STATUS: 'answered', OPERATOR_ID: 1, PINNED: true });
	expect(await oc({ resource: 'crm', operation: 'createLead', chatId: String(chatId) })).toEqual([{ chatId, leadCreated: true }]);
	const leadId = record().CRM_LEAD as number;
	expect(leadId).toBeGreaterThan(0);
	expect(await oc({ resource: 'crm', operation: 'getChats', crmEntityType: 'lead', crmEntityId: String(leadId), returnAll: true })).toEqual([
		{ chatId, connectorId: CONNECTOR, connectorTitle: 'IT lines', crmEntityType: 'lead', crmEntityId: leadId },
	]);
	const [crmMessage] = await oc({ resource: 'crm', operation: 'sendMessage', crmEntityType: 'lead', crmEntityId: String(leadId), userId: '1', chatId: String(chatId), text: 'A technician is on the way.' });
	expect(sb.state.messages.get(crmMessage.messageId)).toMatchObject({ AUTHOR_ID: 1, MESSAGE: 'A technician is on the way.' });
	expect(sb.state.operatorMessages.get(crmMessage.messageId)).toMatchObject({ connector: CONNECTOR, externalChatId: 'c-1' });
	expect(await oc({ resource: 'operator', operation: 'finish', chatId: String(chatId) })).toEqual([{ chatId, status: 'finished', success: true }]);
	expect(record().STATUS).toBe('closed');

	// The supervisor rates the session; its history holds the customer's, the bot's and the operator's messages
	expect(await oc({ resource: 'session', operation: 'rate', sessionId: String(sessionId), rating: 4, comment: 'Quick hand-off' })).toEqual([
		{ sessionId, rating: 4, comment: 'Quick hand-off', success: true },
	]);
	const [history] = await oc({ resource: 'session', operation: 'getHistory', sessionId: String(sessionId) });
	expect(history).toMatchObject({ chatId, sessionId, sessionVoteHead: 4, sessionCommentHead: 'Quick hand-off' });
	expect((history.messages as IDataObject[]).map((m) => m.text)).toEqual(['My printer is on fire', 'Hello from IT Support.', 'A technician is on the way.']);

	// A Bitrix24 refusal comes back as the item's error: the dialog is closed, the bot cannot hand it off again
	await expect(bot({ resource: 'lineSession', operation: 'handOff', chatId: String(chatId) })).rejects.toMatchObject({ message: expect.stringMatching(/WRONG_CHAT/) });

	// Line → Delete
	expect(await oc({ resource: 'line', operation: 'delete', line: rl(lineId) })).toEqual([{ lineId, deleted: true }]);
	expect(sb.state.lines.has(lineId)).toBe(false);
});

test('a second dialog: operator transfer to another line, then a new session', async () => {
	const [{ lineId: sales }] = await oc({ resource: 'line', operation: 'create', lineName: 'Sales', lineSettings: { queueUserIds: '4' } });
	await oc({ resource: 'connector', operation: 'activate', connector: rl(CONNECTOR), line: rl(1) });
	const [sent] = await oc({ resource: 'message', operation: 'send', connector: rl(CONNECTOR), line: rl(1), externalChatId: 'c-2', externalUserId: 'u-2', externalMessageId: 'm-2', text: 'Pricing?' });
	const chatId = String(sent.chatId);
	expect(await oc({ resource: 'operator', operation: 'transfer', chatId, transferTo: 'line', queueLineId: String(sales) })).toEqual([{ chatId: sent.chatId, transferredTo: 'line', lineId: sales, success: true }]);
	expect(sb.state.olSessions.get(sent.sessionId)).toMatchObject({ OPERATOR_ID: 4, LINE_ID: sales, STATUS: 'waiting' });
	expect(await oc({ resource: 'session', operation: 'start', chatId })).toEqual([{ chatId: sent.chatId, success: true }]);
	expect(sb.state.olSessions.get(sent.sessionId).STATUS).toBe('closed');
	expect(sb.state.dialogs.get(`${CONNECTOR}|1|c-2`).sessionId).toBeGreaterThan(sent.sessionId as number);
	expect(await oc({ resource: 'line', operation: 'getRevision' })).toEqual([{ rest: 2, web: 1, mobile: 1 }]);
});
