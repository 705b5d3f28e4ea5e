/* Issue 18, the Fetch Trigger's side of an in-chat answer: a person presses a command button of a Send and Wait
 * message, the ONIMBOTV2COMMANDADD is read from the bot's queue, recognised as an answer and POSTed to the resume URL
 * of this n8n (a local server stands for n8n's waiting-webhook endpoint) — no item; an ordinary command stays an item,
 * and an answer whose URL is not this n8n's is dropped without a request. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import http from 'node:http';
import nock from 'nock';

import { answerSigningKey, chatAnswerMac } from '../../nodes/Bitrix24/events/sendAndWaitAnswer';
import { Bitrix24ChatbotFetchTriggerV1 as Bitrix24ChatbotFetchTrigger } from '../../nodes/Bitrix24ChatbotFetchTrigger/v1/Bitrix24ChatbotFetchTriggerV1.node';
import { pollHarness } from '../unit/triggers/pollContext';
import { sandboxTriggerCredentials } from './triggerServer';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../../sandbox');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const keyboard = require('../../sandbox/triggers/keyboard');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { app } = require('../sandbox/helpers');

let sb: any;
let n8n: http.Server;
let n8nUrl: string;
const resumed: Array<{ url: string; body: any }> = [];

beforeAll(async () => {
	if (!nock.isActive()) nock.activate();
	nock.cleanAll();
	nock.enableNetConnect('127.0.0.1');
	sb = await startSandbox({ port: 0, rate: 0 });
	n8n = http.createServer((req, res) => {
		let text = '';
		req.on('data', (c) => (text += c));
		req.on('end', () => {
			resumed.push({ url: String(req.url), body: JSON.parse(text || '{}') });
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"result":"recorded"}');
		});
	});
	await new Promise<void>((r) => n8n.listen(0, '127.0.0.1', r));
	n8nUrl = `http://127.0.0.1:${(n8n.address() as any).port}`;
});
afterAll(async () => {
	await sb.stop();
	await new Promise((r) => n8n.close(r));
	nock.restore();
});

test('an answer button is forwarded to the waiting execution and emits no item; other commands stay items', async () => {
	const token = sb.issueTokens().access_token;
	const call = (method: string, params: any) => app(sb, token, method, params);
	const botId = Number((await call('imbot.v2.Bot.register', { fields: { code: 'sawfetch', properties: { name: 'Approver' }, eventMode: 'fetch' } })).body.result.bot.id);
	await call('imbot.v2.Command.register', { botId, fields: { command: 'answer', hidden: true } });
	const resume = `${n8nUrl}/webhook-waiting/12/node-1?approved=false&signature=abc`;
	const sent = await call('imbot.v2.Chat.Message.send', {
		botId,
		dialogId: '2',
		fields: {
			message: 'Ship it?',
			keyboard: {
				BOT_ID: botId,
				BUTTONS: [
					{ TEXT: 'Stop', COMMAND: 'answer', COMMAND_PARAMS: `n8n-answer ${resume}` },
					{ TEXT: 'Elsewhere', COMMAND: 'answer', COMMAND_PARAMS: 'n8n-answer http://10.0.0.1/webhook-waiting/12/node-1?approved=true&signature=abc' },
					{ TEXT: 'Plain', COMMAND: 'answer', COMMAND_PARAMS: 'status' },
				],
			},
		},
	});
	const messageId = Number(sent.body.result.id ?? sent.body.result);
	const credentials = sandboxTriggerCredentials(sb);
	const trigger = pollHarness(new Bitrix24ChatbotFetchTrigger(), {
		parameters: { authentication: 'oAuth2', events: ['ONIMBOTV2COMMANDADD'], botId: { mode: 'id', value: String(botId) } },
		credentials,
		instanceBaseUrl: `${n8nUrl}/`,
	});
	expect(await trigger.poll()).toBeNull();

	await keyboard.click(sb.portal, messageId, { userId: 2, button: 'Stop' });
	expect(await trigger.poll()).toBeNull();
	const answer = { botId, dialogId: '2', messageId, userId: 2, userName: 'Boris Becker' };
	// signed with the key of the trigger's credential (the Chatbot node's webhook verifies it with its own)
	const key = (await answerSigningKey({ getNodeParameter: () => 'oAuth2', getCredentials: async () => credentials.bitrix24OAuth2Api } as never))!;
	expect(resumed).toEqual([{ url: '/webhook-waiting/12/node-1?approved=false&signature=abc', body: { bitrix24ChatAnswer: answer, bitrix24ChatAnswerMac: chatAnswerMac(key, 'abc', answer) } }]);

	await keyboard.click(sb.portal, messageId, { userId: 2, button: 'Elsewhere' });
	expect(await trigger.poll()).toBeNull();
	expect(resumed).toHaveLength(1);
	expect(trigger.logs.some((l) => l.level === 'warn' && /not one of this n8n/.test(l.message))).toBe(true);

	await keyboard.click(sb.portal, messageId, { userId: 2, button: 'Plain' });
	const items = (await trigger.poll())!;
	expect(items.map((i) => (i.command as any).params)).toEqual(['status']);
	expect(resumed).toHaveLength(1);
});
