'use strict';
// Open lines in a real n8n (`n8n execute`, whatever version the harness installed), against an in-process sandbox
// portal, all with the OAuth2 credential. One workflow, each step reading the ids of earlier steps by expression:
//   Register Bot (Open Channels type) → Create Line (that bot as welcome bot, queue 1 + 2) → Register + Activate a
//   connector on the line → a customer writes → Open Session by user code → Get Dialog → the bot greets (line welcome
//   message) → the bot hands off to a free operator → the operator answers → Create Lead → Get Lead (dialog) →
//   Lead Chats → Finish →
//   Rate → History.
// Checked in the node outputs, the sandbox's state and its request log. Uses only our nodes and the Manual Trigger,
// with typeVersion 1 and plain $('Node').first() expressions, so it does not depend on the n8n version.

const { N8nInstance, packageBuildStatus } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { sandboxCredentials, ourNode, chainWorkflow, rl, logMark, sandboxLog, expectRunOk } = require('./lib/bitrix');

const status = packageBuildStatus();
if (!status.built) throw new Error(`openLines e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const CONNECTOR = 'n8n_e2e_lines';
const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10"/></svg>';
const BOT = "={{ $('Register Bot').first().json.botId }}";
const LINE = "={{ $('Create Line').first().json.lineId }}";
const CHAT = "={{ $('Open Session').first().json.chatId }}";
const SESSION = "={{ $('Get Dialog').first().json.sessionId }}";
const USER_CODE = `={{ "${CONNECTOR}|" + $('Create Line').first().json.lineId + "|e2e-chat|" + $('Customer Writes').first().json.bitrixUserId }}`;
const lineRl = { __rl: true, mode: 'id', value: LINE };

describe('open lines: bot hand-off to an operator and a lead, in a real n8n against the sandbox', () => {
	let sb;
	let n8n;
	let creds;
	const oc = (name, parameters) => ourNode('openChannels', name, parameters, { credential: creds.oauth });
	const bot = (name, parameters) => ourNode('chatbot', name, parameters, { credential: creds.oauth });

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		creds = sandboxCredentials(sb);
		await n8n.importCredentials(creds.list);
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	test('line add → session open → bot hand-off → operator answer / finish → lead created → rated', async () => {
		const wf = chainWorkflow('e2eOpenLines', 'E2E Open lines', [
			bot('Register Bot', { resource: 'bot', operation: 'register', code: 'e2e_line_bot', name: 'Line Bot', type: 'O', openLine: true, eventHandler: 'https://example.com/bot' }),
			oc('Create Line', {
				resource: 'line',
				operation: 'create',
				lineName: 'E2E Support',
				lineSettings: { queueUserIds: '1, 2', welcomeBotEnable: true, welcomeBotId: BOT, welcomeMessageText: 'Welcome to E2E Support.' },
			}),
			oc('Register Connector', {
				resource: 'connector',
				operation: 'register',
				connectorId: CONNECTOR,
				connectorName: 'n8n e2e lines',
				placementHandler: 'https://example.com/settings',
				iconSource: 'text',
				iconSvg: SVG,
			}),
			oc('Activate', { resource: 'connector', operation: 'activate', connector: rl(CONNECTOR), line: lineRl }),
			oc('Customer Writes', {
				resource: 'message',
				operation: 'send',
				connector: rl(CONNECTOR),
				line: lineRl,
				externalChatId: 'e2e-chat',
				externalUserId: 'e2e-user',
				externalMessageId: 'e2e-msg-1',
				text: 'My order has not arrived',
			}),
			oc('Open Session', { resource: 'session', operation: 'open', userCode: USER_CODE }),
			oc('Get Dialog', { resource: 'session', operation: 'getDialog', findBy: 'chat', chatId: CHAT }),
			bot('Bot Greets', { resource: 'lineSession', operation: 'sendAutoMessage', chatId: CHAT, autoMessage: 'WELCOME' }),
			bot('Hand Off', { resource: 'lineSession', operation: 'handOff', chatId: CHAT }),
			oc('Operator Answers', { resource: 'operator', operation: 'answer', chatId: CHAT }),
			oc('Create Lead', { resource: 'crm', operation: 'createLead', chatId: CHAT }),
			// imopenlines.crm.lead.create answers true: the lead's id is in the dialog's entity_data_1 ("Y|LEAD|<id>|…")
			oc('Get Lead', { resource: 'session', operation: 'getDialog', findBy: 'chat', chatId: CHAT }),
			oc('Lead Chats', {
				resource: 'crm',
				operation: 'getChats',
				crmEntityType: 'lead',
				crmEntityId: "={{ $('Get Lead').first().json.entity_data_1.split('|')[2] }}",
				returnAll: true,
			}),
			oc('Operator Finishes', { resource: 'operator', operation: 'finish', chatId: CHAT }),
			oc('Rate', { resource: 'session', operation: 'rate', sessionId: SESSION, rating: 5, comment: 'Smooth hand-off' }),
			oc('History', { resource: 'session', operation: 'getHistory', historyBy: 'session', sessionId: SESSION }),
		]);
		await n8n.importWorkflow(wf);
		const mark = logMark(sb);

		const run = expectRunOk(await n8n.execute(wf.id));

		const [{ botId }] = run.outputOf('Register Bot');
		const [{ lineId }] = run.outputOf('Create Line');
		expect(sb.state.bots.get(botId)).toMatchObject({ TYPE: 'O' });
		expect(sb.state.lines.get(lineId)).toMatchObject({ LINE_NAME: 'E2E Support', WELCOME_BOT_ENABLE: 'Y', WELCOME_BOT_ID: String(botId), QUEUE: [1, 2] });

		const [customer] = run.outputOf('Customer Writes');
		const userCode = `${CONNECTOR}|${lineId}|e2e-chat|${customer.bitrixUserId}`;
		const [opened] = run.outputOf('Open Session');
		expect(opened).toEqual({ chatId: customer.chatId, dialogId: `chat${customer.chatId}`, userCode });
		const chatId = opened.chatId;
		const [dialog] = run.outputOf('Get Dialog');
		expect(dialog).toMatchObject({ chatId, sessionId: customer.sessionId, userCode, type: 'lines' });
		const sessionId = dialog.sessionId;

		// the bot greeted with the line's welcome message, then handed the dialog to operator 1, who answered
		expect(run.outputOf('Bot Greets')).toEqual([{ chatId, message: 'welcome', sent: true }]);
		expect([...sb.state.messages.values()].filter((m) => m.CHAT_ID === chatId).map((m) => [m.AUTHOR_ID, m.MESSAGE])).toEqual([[botId, 'Welcome to E2E Support.']]);
		expect(run.outputOf('Hand Off')).toEqual([{ chatId, handedOff: true }]);
		expect(run.outputOf('Operator Answers')).toEqual([{ chatId, status: 'answered', success: true }]);
		expect(sb.state.chats.get(chatId).USERS).not.toContain(botId);

		// the lead: created by the operator, linked to the chat
		expect(run.outputOf('Create Lead')).toEqual([{ chatId, leadCreated: true }]);
		const session = sb.state.olSessions.get(sessionId);
		expect(session.CRM_LEAD).toBeGreaterThan(0);
		expect(run.outputOf('Lead Chats')).toEqual([{ chatId, connectorId: CONNECTOR, connectorTitle: 'n8n e2e lines', crmEntityType: 'lead', crmEntityId: session.CRM_LEAD }]);

		// finished, rated, and the history holds the customer's and the bot's messages
		expect(run.outputOf('Operator Finishes')).toEqual([{ chatId, status: 'finished', success: true }]);
		expect(session).toMatchObject({ STATUS: 'closed', OPERATOR_ID: 1, VOTE_HEAD: 5, COMMENT_HEAD: 'Smooth hand-off' });
		expect(sb.state.dialogs.get(`${CONNECTOR}|${lineId}|e2e-chat`).closed).toBe(true);
		expect(run.outputOf('Rate')).toEqual([{ sessionId, rating: 5, comment: 'Smooth hand-off', success: true }]);
		const [history] = run.outputOf('History');
		expect(history).toMatchObject({ chatId, sessionId, sessionVoteHead: 5 });
		expect(history.messages.map((m) => m.text)).toEqual(['My order has not arrived', 'Welcome to E2E Support.']);

		// what reached the portal, in order, each as the OAuth app and successful
		const calls = sandboxLog(sb, { sinceId: mark }).filter((e) => e.method !== 'batch');
		expect(calls.map((e) => e.method)).toEqual([
			'imbot.register',
			'imopenlines.config.add',
			'imconnector.register',
			'imconnector.activate',
			'imconnector.send.messages',
			'imopenlines.session.open',
			'imopenlines.dialog.get',
			'imopenlines.bot.session.message.send',
			'imopenlines.bot.session.operator',
			'imopenlines.operator.answer',
			'imopenlines.crm.lead.create',
			'imopenlines.dialog.get',
			'imopenlines.crm.chat.get',
			'imopenlines.operator.finish',
			'imopenlines.session.head.vote',
			'imopenlines.session.history.get',
		]);
		expect(calls.every((e) => e.auth === 'oauth' && e.status === 200)).toBe(true);
		expect(n8n.externalConnections()).toEqual([]);
	});
});
