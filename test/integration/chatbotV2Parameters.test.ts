/* Chatbot v2 against the sandbox: the parameters the docs give that the node sent wrong or could not send (issue 23, points 10–11). */
import nock from 'nock';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { Bitrix24Chatbot } from '../../nodes/Bitrix24Chatbot/Bitrix24Chatbot.node';
import { runNode, webhookCredentials, WEBHOOK_BASE, WEBHOOK_PATH } from '../helpers/runNode';
import type { Sandbox } from '../helpers/sandbox';
import { startSandbox } from '../helpers/sandbox';

const BOT_TOKEN = 'n8n-v2-params-token';
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

let sb: Sandbox;
const node = new Bitrix24Chatbot().getNodeType(2);
const rl = (value: number | string) => ({ __rl: true, mode: 'id', value: String(value) });

function credentials(): Record<string, IDataObject> {
	const base = webhookCredentials({ botToken: BOT_TOKEN });
	const urlKey = Object.keys(base).find((key) => base[key] === `${WEBHOOK_BASE}${WEBHOOK_PATH}`) as string;
	return { bitrix24WebhookApi: { ...base, [urlKey]: (sb as unknown as { webhookUrl: string }).webhookUrl } };
}

async function run(parameters: IDataObject, items?: INodeExecutionData[]): Promise<IDataObject[]> {
	const out = await runNode(node, { parameters: { authentication: 'webhook', ...parameters }, items, credentials: credentials() });
	if (out.error) throw out.error;
	return out.items.map((item) => item.json);
}

/** The params of the `method` calls sent since `from` (log position), batched commands included (the log writes methods in lower case). */
function sent(method: string, from: number): IDataObject[] {
	return sb
		.log()
		.slice(from)
		.filter((entry) => String(entry.method).toLowerCase() === method.toLowerCase())
		.map((entry) => entry.params as IDataObject);
}

let botId: number;
let dialogId: string;

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	sb = await startSandbox({ port: 0, rate: 0 });
	const codes = Array.from({ length: 55 }, (_, i) => ({ json: { code: `params_bot_${i}` } }));
	const bots = await run({ resource: 'bot', operation: 'register', code: '={{ $json.code }}', name: 'Params Bot' }, codes);
	botId = bots[0].botId as number;
	const [chat] = await run({ resource: 'chat', operation: 'create', botId: rl(botId), title: 'Members', userIds: '1, 2, 3' });
	dialogId = chat.dialogId as string;
});

afterAll(async () => {
	await sb?.stop();
});

describe('point 10: the Limit the user set is the limit sent', () => {
	test('Bot → Get Many sends limit (and pages with offset): Limit 7 asks for 7 bots', async () => {
		const from = sb.log().length;
		const out = await run({ resource: 'bot', operation: 'getAll', returnAll: false, limit: 7 });
		expect(out).toHaveLength(7);
		expect(sent('imbot.v2.Bot.list', from)).toEqual([expect.objectContaining({ limit: 7, offset: 0 })]);
	});

	test('Bot → Get Many with Return All pages past the first 50 bots', async () => {
		const out = await run({ resource: 'bot', operation: 'getAll', returnAll: true });
		expect(out.length).toBe(55);
		expect(new Set(out.map((bot) => bot.botId)).size).toBe(55);
	});

	test('Chat → Get Users sends the Limit set (50), not 200', async () => {
		const from = sb.log().length;
		await run({ resource: 'chat', operation: 'getUsers', botId: rl(botId), dialogId, returnAll: false, limit: 50 });
		await run({ resource: 'chat', operation: 'getUsers', botId: rl(botId), dialogId, returnAll: false, limit: 2 });
		expect(sent('imbot.v2.Chat.User.list', from).map((params) => params.limit)).toEqual([50, 2]);
	});
});

describe('point 11: documented parameters the node can now send', () => {
	test('Bot → Get by code (imbot.v2.Bot.get `code`)', async () => {
		const from = sb.log().length;
		const [bot] = await run({ resource: 'bot', operation: 'get', findBy: 'code', botCode: 'params_bot_3' });
		expect(bot).toMatchObject({ code: 'params_bot_3' });
		const [params] = sent('imbot.v2.Bot.get', from);
		expect(params.code).toBeDefined(); // the log hides every `code` value
		expect(params.botId).toBeUndefined();
	});

	test('Chat → Get Users sorted (order {userId: DESC})', async () => {
		const from = sb.log().length;
		const out = await run({ resource: 'chat', operation: 'getUsers', botId: rl(botId), dialogId, returnAll: true, sortBy: 'userId', sortDirection: 'DESC' });
		const ids = out.map((user) => Number(user.id));
		expect(ids).toEqual([...ids].sort((a, b) => b - a));
		expect(ids.length).toBeGreaterThan(2);
		expect(sent('imbot.v2.Chat.User.list', from)).toEqual([expect.objectContaining({ order: { userId: 'DESC' } })]);
	});

	test('Command → Update removes one language\'s title (`null` for that language), the others stay', async () => {
		const [command] = await run({
			resource: 'command',
			operation: 'register',
			botId: rl(botId),
			command: 'report',
			languages: { language: [{ languageId: 'en', title: 'Report' }, { languageId: 'de', title: 'Bericht' }] },
		});
		const commandId = command.commandId as number;
		const listed = await run({ resource: 'command', operation: 'getAll', botId: rl(botId), returnAll: true });
		expect(listed.find((c) => c.commandId === commandId)?.title).toBe('Report');
		const from = sb.log().length;
		// two items: a call with a null must not lose it in a batch (PHP query strings cannot carry null)
		await run(
			{ resource: 'command', operation: 'update', botId: rl(botId), commandId: rl(commandId), removeLanguages: '={{ $json.remove }}' },
			[{ json: { remove: 'en' } }, { json: { remove: 'fr' } }],
		);
		expect(sent('imbot.v2.Command.update', from)[0]).toMatchObject({ fields: { title: { en: null } } });
		// Command.list gives the title in the portal's language (en), or the first one left when there is none
		const before = await run({ resource: 'command', operation: 'getAll', botId: rl(botId), returnAll: true });
		expect(before.find((c) => c.commandId === commandId)?.title).toBe('Bericht');
	});

	test('the sandbox answers im.v2.File.download by dialogId as documented (File → Download as Me is on the messenger branch)', async () => {
		const [uploaded] = await run(
			{ resource: 'file', operation: 'upload', botId: rl(botId), dialogId, fileSource: 'binary', binaryPropertyName: 'data' },
			[{ json: {}, binary: { data: { data: PNG_BASE64, mimeType: 'image/png', fileName: 'dot.png' } } }],
		);
		const call = async (params: IDataObject) => {
			const res = await fetch(`${(sb as unknown as { webhookUrl: string }).webhookUrl}im.v2.File.download`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(params),
			});
			return (await res.json()) as IDataObject;
		};
		const ok = await call({ dialogId, fileId: uploaded.fileId });
		expect((ok.result as IDataObject).downloadUrl).toMatch(/\/rest\/download\.json\?token=/);
		expect((await call({ dialogId: 'chat999999', fileId: uploaded.fileId })).error).toBeDefined();
		expect((await call({ dialogId: '3', fileId: uploaded.fileId })).error).toBe('FILE_NOT_FOUND');
	});
});
