'use strict';
/** imbot.v2 / im.v2 files (upload -> download link -> the same bytes), the v2 rate limit (429) and batch. */
const crypto = require('crypto');
const { control } = require('./helpers');
const { useV2Bot } = require('./imbotV2Helpers');
const { MAX_FILE } = require('../../sandbox/methods/imbotV2/files');

const t = useV2Bot();
let bot;
let call;
beforeEach(() => ({ bot, call } = t));

const upload = (dialogId, name, content, extra = {}) => call('File.upload', { dialogId, fields: { name, content, ...extra } });
const sha = (buf) => crypto.createHash('sha256').update(buf).digest('hex');

describe('File.upload / File.download', () => {
	test('round trip: the bytes uploaded come back from the download URL, with type and name', async () => {
		const bytes = crypto.randomBytes(300 * 1024);
		const r = await upload('2', 'Report 2026 — final.pdf', bytes.toString('base64'), { message: 'see file' });
		expect(r.body.result).toEqual({
			file: { id: expect.any(Number), chatId: expect.any(Number), name: 'Report 2026 — final.pdf', extension: 'pdf', size: bytes.length },
			messageId: expect.any(Number), chatId: r.body.result.file.chatId, dialogId: '2',
		});
		const msg = t.sb.state.messages.get(r.body.result.messageId);
		expect(msg).toMatchObject({ MESSAGE: 'see file', AUTHOR_ID: bot, FILE_IDS: [r.body.result.file.id] });
		expect(t.sb.log().pop().params.fields.content).toBe(`[base64, ${bytes.toString('base64').length} characters]`); // the log keeps no copy
		const link = (await call('File.download', { fileId: r.body.result.file.id })).body.result.downloadUrl;
		expect(link.startsWith(`${t.sb.url}/rest/download.json?token=imbot%7C`)).toBe(true);
		expect(new URL(link).searchParams.get('token').length).toBeGreaterThanOrEqual(30);
		const res = await fetch(link);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('application/pdf');
		expect(res.headers.get('content-length')).toBe(String(bytes.length));
		expect(res.headers.get('content-disposition')).toBe(`attachment; filename="Report 2026 _ final.pdf"; filename*=UTF-8''${encodeURIComponent('Report 2026 — final.pdf')}`);
		expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
		const head = await fetch(link, { method: 'HEAD' });
		expect([head.status, head.headers.get('content-length')]).toEqual([200, String(bytes.length)]);
	});

	test('links expire; unknown tokens are 404', async () => {
		const id = (await upload('2', 'a.txt', Buffer.from('hello').toString('base64'))).body.result.file.id;
		const link = (await call('File.download', { fileId: id })).body.result.downloadUrl;
		expect(await (await fetch(link)).text()).toBe('hello');
		for (const d of t.sb.state.imbotV2.downloads.values()) d.expires = Date.now() - 1;
		expect((await fetch(link)).status).toBe(404);
		expect((await fetch(`${t.sb.url}/rest/download.json?token=imbot%7Cguess`)).status).toBe(404);
	});

	test.each([
		[{ name: 'a.txt' }, 'FILE_EMPTY'],
		[{ content: 'aGk=' }, 'FILE_EMPTY'],
		[{ name: 'a.txt', content: 'not base64!' }, 'FILE_INVALID_CONTENT'],
		[{ name: 'a.txt', content: 'data:text/plain;base64,aGk=' }, 'FILE_INVALID_CONTENT'],
		[{ name: 'a.txt', content: '====' }, 'FILE_INVALID_CONTENT'],
		[{ name: 'a.txt', content: '==' }, 'FILE_EMPTY'],
	])('upload fields %j -> %s', async (fields, code) => {
		expect((await call('File.upload', { dialogId: '2', fields })).body.error).toBe(code);
	});

	test('FILE_TOO_LARGE above 100 MiB, checked without decoding when the text is long enough to tell', async () => {
		const over = 'A'.repeat(Math.ceil((MAX_FILE + 3) / 3) * 4); // decodes to 100 MiB + 3 bytes
		const r = await upload('2', 'big.bin', over);
		expect([r.status, r.body.error]).toEqual([400, 'FILE_TOO_LARGE']);
		expect(t.sb.log().pop().params.fields.content).toBe(`[base64, ${over.length} characters]`);
		const ctx = { portal: t.sb.portal, state: t.sb.state, auth: { kind: 'webhook', userId: 1 }, params: { botId: bot, botToken: 'tok-1', dialogId: '2', fields: { name: 'x', content: 'A'.repeat(150 * 1024 * 1024) } } };
		expect(() => t.sb.portal.registry['imbot.v2.file.upload'](ctx)).toThrow(expect.objectContaining({ code: 'FILE_TOO_LARGE' }));
	}, 60000);

	test('100 MiB exactly is accepted and comes back byte for byte', async () => {
		const bytes = Buffer.alloc(MAX_FILE, 7);
		bytes.write('head', 0);
		bytes.write('tail', MAX_FILE - 4);
		const id = (await upload('2', 'max.bin', bytes.toString('base64'))).body.result.file.id;
		const link = (await call('File.download', { fileId: id })).body.result.downloadUrl;
		const res = await fetch(link);
		expect(res.headers.get('content-type')).toBe('application/octet-stream');
		expect(sha(Buffer.from(await res.arrayBuffer()))).toBe(sha(bytes));
	}, 60000);

	test('FILE_NOT_FOUND; FILE_ACCESS_ERROR for a bot outside the file\'s chat; ACCESS_DENIED to upload there', async () => {
		const id = (await upload('2', 'a.txt', 'aGk=')).body.result.file.id;
		expect((await call('File.download', { fileId: 424242 })).body.error).toBe('FILE_NOT_FOUND');
		expect((await call('File.download', {})).body.error).toBe('PARAMS_REQUIRED');
		const other = await t.newBot({ botToken: 'tok-2' });
		const r = await t.as(other, 'tok-2')('File.download', { fileId: id });
		expect([r.status, r.body.error]).toEqual([403, 'FILE_ACCESS_ERROR']);
		const theirs = (await t.as(other, 'tok-2')('Chat.add', {})).body.result.chat;
		expect((await upload(`chat${theirs.id}`, 'a.txt', 'aGk=')).body.error).toBe('ACCESS_DENIED');
	});

	test('im.v2.File.upload / download run as the user; CHAT_NOT_FOUND, ACCESS_DENIED, FILE_NOT_FOUND', async () => {
		const up = await t.wh('im.v2.File.upload', { dialogId: String(bot), fields: { name: 'n.txt', content: Buffer.from('user file').toString('base64') } });
		expect(up.body.result).toMatchObject({ file: { name: 'n.txt', size: 9 }, dialogId: String(bot) });
		expect(t.sb.state.messages.get(up.body.result.messageId).AUTHOR_ID).toBe(1);
		const link = (await t.wh('im.v2.File.download', { dialogId: String(bot), fileId: up.body.result.file.id })).body.result.downloadUrl;
		expect(await (await fetch(link)).text()).toBe('user file');
		expect((await call('File.download', { fileId: up.body.result.file.id })).status).toBe(200); // the bot is in that chat
		expect((await t.wh('im.v2.File.upload', { dialogId: 'chat999', fields: { name: 'n', content: 'aGk=' } })).body.error).toBe('CHAT_NOT_FOUND');
		const group = (await call('Chat.add', { fields: { userIds: [2] } })).body.result.chat;
		expect((await t.wh('im.v2.File.upload', { dialogId: `chat${group.id}`, fields: { name: 'n', content: 'aGk=' } })).body.error).toBe('ACCESS_DENIED');
		expect((await t.wh('im.v2.File.download', { dialogId: '2', fileId: up.body.result.file.id })).body.error).toBe('FILE_NOT_FOUND');
	});

	test('a user message with a file (trigger) reaches the bot with FILE_ID; the bot can download it', async () => {
		const r = await t.trigger(bot, 'user-message', { userId: 2, text: 'photo', file: { name: 'p.png', content: Buffer.from('png!').toString('base64') } });
		const data = (await call('Event.get')).body.result.events[0].data;
		expect(data.message.params.FILE_ID).toEqual(r.body.fileIds);
		const link = (await call('File.download', { fileId: r.body.fileIds[0] })).body.result.downloadUrl;
		const res = await fetch(link);
		expect([res.headers.get('content-type'), await res.text()]).toEqual(['image/png', 'png!']);
		expect((await t.trigger(bot, 'user-message', { userId: 2, file: { name: 'x', content: '!!' } })).status).toBe(400);
	});
});

describe('rate limit (v2Rate) and batch', () => {
	test('over v2Rate per application -> HTTP 429 QUERY_LIMIT_EXCEEDED; other applications unaffected; drains', async () => {
		expect((await control(t.sb, 'config', { v2Rate: 2, v2Burst: 2 })).body).toMatchObject({ v2Rate: 2, v2Burst: 2 });
		expect((await call('Bot.get')).status).toBe(200);
		expect((await call('Bot.get')).status).toBe(200);
		const r = await call('Bot.get');
		expect([r.status, r.body.error]).toEqual([429, 'QUERY_LIMIT_EXCEEDED']);
		expect((await t.wh('Bot.list', { botToken: 'someone-else' })).status).toBe(200);
		expect((await t.oa('Bot.list')).status).toBe(200);
		await new Promise((res) => setTimeout(res, 600));
		expect((await call('Bot.get')).status).toBe(200);
		t.sb.configure({ v2Rate: 0 });
		for (let i = 0; i < 5; i++) expect((await call('Bot.get')).status).toBe(200);
	});

	test('imbot.v2 calls run inside batch ($result references too); file methods are refused there (405 code)', async () => {
		const r = await t.wh('batch', {
			cmd: {
				chat: `imbot.v2.Chat.add?botId=${bot}&botToken=tok-1&fields[title]=B&fields[userIds][0]=2`,
				send: `imbot.v2.Chat.Message.send?botId=${bot}&botToken=tok-1&dialogId=chat$result[chat][chat][id]&fields[message]=hi`,
				up: `imbot.v2.File.upload?botId=${bot}&botToken=tok-1&dialogId=2&fields[name]=a.txt&fields[content]=aGk=`,
				noToken: `imbot.v2.Bot.get?botId=${bot}`,
			},
		});
		const b = r.body.result;
		expect(b.result.send.id).toBe(t.sb.state.chats.get(b.result.chat.chat.id).LAST_MESSAGE_ID);
		expect(b.result_error.up.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
		expect(b.result_error.noToken.error).toBe('BOT_TOKEN_NOT_SPECIFIED');
		// The v2 limit counts requests: one batch request is charged once, whatever it holds; the next request is refused.
		t.sb.configure({ v2Rate: 1, v2Burst: 1 });
		const get = `imbot.v2.Bot.get?botId=${bot}&botToken=tok-1`;
		const charged = await t.wh('batch', { cmd: { a: get, b: get } });
		expect(Object.keys(charged.body.result.result)).toEqual(['a', 'b']);
		const limited = await t.wh('batch', { cmd: { a: get } });
		expect(limited.body.result.result_error.a.error).toBe('QUERY_LIMIT_EXCEEDED');
	});
});
