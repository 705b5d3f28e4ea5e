/* Chatbot → Open Line Session: imopenlines.bot.session.* — the bot's hand-off in an Open Channel dialog. */
import type { IDataObject, IExecuteFunctions, INodeType } from 'n8n-workflow';

import { buildOperationProperties, executeOperation } from '../../../nodes/Bitrix24/operations';
import { openLinesV2Resource } from '../../../nodes/Bitrix24Chatbot/resources/openLines';

import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { webhookCredentials, runNode } from '../../helpers/runNode';
import { json, node, run, versioned } from './harness';

useNock();

const lineSession = (operation: string, parameters: IDataObject = {}, options = {}) => run({ resource: 'lineSession', operation, ...parameters }, options);

describe('Open Line Session: request and output (OAuth2)', () => {
	test.each([
		['sendAutoMessage', { chatId: '2043', text: ' One moment please ' }, 'imopenlines.bot.session.message.send', { CHAT_ID: 2043, NAME: 'DEFAULT', MESSAGE: 'One moment please' }, { chatId: 2043, message: 'custom', sent: true }],
		['sendAutoMessage', { chatId: 'chat2043', autoMessage: 'WELCOME' }, 'imopenlines.bot.session.message.send', { CHAT_ID: 2043, NAME: 'WELCOME' }, { chatId: 2043, message: 'welcome', sent: true }],
		['handOff', { chatId: '2043' }, 'imopenlines.bot.session.operator', { CHAT_ID: 2043 }, { chatId: 2043, handedOff: true }],
		['transfer', { chatId: '2043', userId: '27' }, 'imopenlines.bot.session.transfer', { CHAT_ID: 2043, USER_ID: 27, LEAVE: 'N' }, { chatId: 2043, transferredTo: 'user', userId: 27, botLeft: false, success: true }],
		['transfer', { chatId: '2043', transferTo: 'line', queueLineId: '3', leave: true }, 'imopenlines.bot.session.transfer', { CHAT_ID: 2043, QUEUE_ID: 3, LEAVE: 'Y' }, { chatId: 2043, transferredTo: 'line', lineId: 3, botLeft: true, success: true }],
		['finish', { chatId: '2043' }, 'imopenlines.bot.session.finish', { CHAT_ID: 2043 }, { chatId: 2043, finished: true }],
	])('%s %j → %s %j', async (operation, parameters, method, body, output) => {
		const { calls } = portal({ [method]: true });
		const out = await lineSession(operation, parameters as IDataObject);
		expect(out.error).toBeUndefined();
		expect(calls.map((c) => [c.method, c.body])).toEqual([[method, body]]);
		expect(json(out.items)).toEqual([output]);
	});
});

describe('Open Line Session under a webhook', () => {
	test('Finish and Transfer carry the credential\'s Chatbot Client ID as CLIENT_ID; Hand Off and the message do not', async () => {
		const { calls } = portal();
		await lineSession('finish', { authentication: 'webhook', chatId: '5' });
		await lineSession('transfer', { authentication: 'webhook', chatId: '5', userId: '2' });
		await lineSession('handOff', { authentication: 'webhook', chatId: '5' });
		await lineSession('sendAutoMessage', { authentication: 'webhook', chatId: '5', text: 'x' });
		expect(calls.map((c) => [c.path, c.body])).toEqual([
			['/rest/1/s3cr3tc0de99/imopenlines.bot.session.finish', { CHAT_ID: 5, CLIENT_ID: 'n8n-bot-client' }],
			['/rest/1/s3cr3tc0de99/imopenlines.bot.session.transfer', { CHAT_ID: 5, USER_ID: 2, LEAVE: 'N', CLIENT_ID: 'n8n-bot-client' }],
			['/rest/1/s3cr3tc0de99/imopenlines.bot.session.operator', { CHAT_ID: 5 }],
			['/rest/1/s3cr3tc0de99/imopenlines.bot.session.message.send', { CHAT_ID: 5, NAME: 'DEFAULT', MESSAGE: 'x' }],
		]);
	});

	test('without a Chatbot Client ID in the credential, Finish is refused before sending', async () => {
		const { calls } = portal();
		const { webhookCredentials } = await import('../../helpers/runNode');
		const out = await lineSession('finish', { authentication: 'webhook', chatId: '5' }, { credentials: { bitrix24WebhookApi: webhookCredentials({ chatbotClientId: '' }) } });
		expect(out.error?.message).toMatch(/needs the bot's client ID: set "Chatbot Client ID"/);
		expect(calls).toHaveLength(0);
	});
});

describe('Open Line Session for version 2 (imbot.v2 bots): openLinesV2Resource', () => {
	// Not yet registered in version 2's resource list (nodes/Bitrix24Chatbot/v2/resources/index.ts): run it in a node
	// of its own with version 2's description otherwise.
	const base = versioned.getNodeType(2);
	const v2: INodeType = {
		description: { ...base.description, properties: [base.description.properties[0], ...buildOperationProperties([openLinesV2Resource])] },
		async execute(this: IExecuteFunctions) {
			return await executeOperation.call(this, [openLinesV2Resource]);
		},
	};
	const runV2 = (parameters: IDataObject, credentials?: Record<string, IDataObject>) =>
		runNode(v2, { parameters: { authentication: 'webhook', resource: 'lineSession', ...parameters }, ...(credentials ? { credentials } : {}) });

	test('the same four operations; under a webhook Finish sends the credential\'s Bot Token as CLIENT_ID', async () => {
		const resource = v2.description.properties.find((p) => p.name === 'resource');
		expect((resource?.options as Array<{ value: string }>).map((o) => o.value)).toContain('lineSession');
		const { calls } = portal();
		const out = await runV2({ operation: 'finish', chatId: '5' }, { bitrix24WebhookApi: webhookCredentials({ botToken: 'v2-bot-token' }) });
		expect(out.error).toBeUndefined();
		expect(calls.map((c) => [c.method, c.body])).toEqual([['imopenlines.bot.session.finish', { CHAT_ID: 5, CLIENT_ID: 'v2-bot-token' }]]);
		const notice = v2.description.properties.find((p) => p.type === 'notice' && p.displayOptions?.show?.resource?.[0] === 'lineSession');
		expect(notice?.displayName).toMatch(/^The chat's Open Channel must use this bot as its welcome bot: set it once with Open Channels → Line → Set Welcome Bot\.$/);
	});

	test('without a Bot Token, Transfer sends the token made from the webhook URL as CLIENT_ID', async () => {
		const { calls } = portal();
		await runV2({ operation: 'transfer', chatId: '5', userId: '2' }, { bitrix24WebhookApi: webhookCredentials({ botToken: '' }) });
		expect((calls[0].body as { CLIENT_ID: string }).CLIENT_ID).toMatch(/^n8n[A-Za-z0-9_-]{32}$/);
	});
});

describe('Open Line Session: bad input and failures', () => {
	test.each([
		['handOff', { chatId: 'abc' }, /"Chat ID" must be an Open Channel chat ID/],
		['finish', { chatId: '={{ "" }}' }, /"Chat ID" is required/],
		['sendAutoMessage', { chatId: '1', text: '={{ "" }}' }, /"Text" is required/],
		['transfer', { chatId: '1', userId: '0' }, /"User ID" must be a whole number of at least 1/],
		['transfer', { chatId: '1', transferTo: 'line', queueLineId: '={{ "" }}' }, /"Line ID" is required/],
	])('%s %j', async (operation, parameters, message) => {
		const { calls } = portal();
		const out = await lineSession(operation, parameters as IDataObject);
		expect(out.error?.message).toMatch(message);
		expect(calls).toHaveLength(0);
	});

	test('WRONG_CHAT (the dialog already has an operator) is the item error', async () => {
		portal({ 'imopenlines.bot.session.operator': { error: 'WRONG_CHAT', error_description: 'Operator is not a bot' } });
		const out = await lineSession('handOff', { chatId: '9' }, { continueOnFail: true });
		expect(json(out.items)).toEqual([{ error: expect.stringMatching(/WRONG_CHAT/), code: 'WRONG_CHAT' }]);
	});

	test('the resource is listed and each operation has a notice for Open Channels bots', () => {
		const resource = node.description.properties.find((p) => p.name === 'resource');
		expect((resource?.options as Array<{ value: string }>).map((o) => o.value)).toContain('lineSession');
		const notices = node.description.properties.filter((p) => p.type === 'notice' && p.displayOptions?.show?.resource?.[0] === 'lineSession');
		expect(notices).toHaveLength(4);
		for (const notice of notices) expect(notice.displayName).toMatch(/Open Channels → Line → Set Welcome Bot/);
	});
});
