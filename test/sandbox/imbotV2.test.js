'use strict';
/** imbot.v2 bots and the auth rules: botToken (missing, too long, wrong, rotation), botId, owner, OAuth. */
const { v2Sandbox, PNG } = require('./imbotV2Helpers');

let t;
beforeEach(async () => {
	t = await v2Sandbox();
});
afterEach(() => t.sb.stop());

describe('botToken under a webhook', () => {
	test('every method but Revision.get needs botToken: BOT_TOKEN_NOT_SPECIFIED', async () => {
		const id = await t.newBot();
		for (const m of ['Bot.get', 'Bot.list', 'Bot.update', 'Chat.get', 'Event.get', 'Chat.Message.send', 'File.download']) {
			const r = await t.wh(m, { botId: id, fields: { message: 'x' } });
			expect([m, r.status, r.body.error]).toEqual([m, 400, 'BOT_TOKEN_NOT_SPECIFIED']);
		}
		const reg = await t.wh('Bot.register', { fields: { code: 'x', properties: { name: 'X' } } });
		expect(reg.body.error).toBe('BOT_TOKEN_NOT_SPECIFIED');
		const rev = await t.wh('Revision.get');
		expect(rev.body.result).toEqual({ rest: 36, web: 130, mobile: 23, desktop: 6 });
	});

	test('register takes fields.botToken or a top-level botToken; longer than 40 chars -> BOT_TOKEN_INVALID_LENGTH', async () => {
		const long = 'a'.repeat(41);
		let r = await t.wh('Bot.register', { fields: { code: 'l', botToken: long, properties: { name: 'L' } } });
		expect(r.body.error).toBe('BOT_TOKEN_INVALID_LENGTH');
		r = await t.wh('Bot.register', { botToken: 'a'.repeat(40), fields: { code: 'top', properties: { name: 'Top' } } });
		expect(r.status).toBe(200);
		const id = r.body.result.bot.id;
		expect((await t.wh('Bot.get', { botId: id, botToken: 'a'.repeat(40) })).body.result.bot.eventMode).toBe('fetch');
		r = await t.as(id, 'a'.repeat(40))('Bot.update', { fields: { botToken: long } });
		expect(r.body.error).toBe('BOT_TOKEN_INVALID_LENGTH');
	});

	test('the wrong token, or another owner, gets BOT_OWNERSHIP_ERROR (403); botId rules', async () => {
		const id = await t.newBot();
		let r = await t.as(id, 'other')('Chat.get', { dialogId: '1' });
		expect([r.status, r.body.error]).toEqual([403, 'BOT_OWNERSHIP_ERROR']);
		r = await t.oa('Bot.update', { botId: id, fields: { isHidden: true } });
		expect(r.body.error).toBe('BOT_OWNERSHIP_ERROR');
		expect((await t.wh('Chat.get', { botToken: 'tok-1', dialogId: '1' })).body.error).toBe('BOT_ID_REQUIRED');
		expect((await t.as(99999)('Chat.get', { dialogId: '1' })).body.error).toBe('BOT_NOT_FOUND');
	});

	test('Bot.update rotates the token: authorise with the old one, afterwards only the new one works', async () => {
		const id = await t.newBot({ eventMode: 'webhook', webhookUrl: 'http://127.0.0.1:9/h' });
		const r = await t.as(id, 'tok-1')('Bot.update', { fields: { botToken: 'tok-2' } });
		expect(r.status).toBe(200);
		expect((await t.as(id, 'tok-1')('Event.get')).body.error).toBe('BOT_OWNERSHIP_ERROR');
		expect((await t.as(id, 'tok-1')('Bot.get')).body.result.bot).not.toHaveProperty('eventMode'); // brief: not the owner any more
		expect((await t.as(id, 'tok-2')('Bot.get')).body.result.bot.eventMode).toBe('webhook');
		// blank new token: ignored
		expect((await t.as(id, 'tok-2')('Bot.update', { fields: { botToken: '  ', isHidden: true } })).body.result.bot.isHidden).toBe(true);
		// a token another bot uses: BOT_TOKEN_ROTATION_FAILED
		await t.newBot({ botToken: 'tok-3' });
		expect((await t.as(id, 'tok-2')('Bot.update', { fields: { botToken: 'tok-3' } })).body.error).toBe('BOT_TOKEN_ROTATION_FAILED');
	});
});

describe('Bot.register', () => {
	test('returns {bot, users} in the extended format; idempotent per code for its owner', async () => {
		const r = await t.wh('Bot.register', { fields: { code: 'sup', botToken: 'tok-1', type: 'supervisor', properties: { name: 'Sup', lastName: 'Bot', color: 'mint', gender: 'F', avatar: PNG }, isReactionsEnabled: 'N', backgroundId: 'teal' } });
		expect(r.body.result.bot).toEqual({
			id: expect.any(Number), code: 'sup', type: 'supervisor', isHidden: false, isSupportOpenline: false, isReactionsEnabled: false,
			backgroundId: 'teal', language: 'en', moduleId: 'rest', eventMode: 'fetch', countMessage: 0, countCommand: 0, countChat: 0, countUser: 0,
		});
		expect(r.body.result.users[0]).toMatchObject({ id: r.body.result.bot.id, name: 'Sup Bot', bot: true, type: 'bot', color: '#4ba984', gender: 'F' });
		const again = await t.wh('Bot.register', { fields: { code: 'sup', botToken: 'tok-1', properties: { name: 'Changed' } } });
		expect(again.body.result.bot.id).toBe(r.body.result.bot.id);
		expect(again.body.result.users[0].name).toBe('Sup Bot');
		expect((await t.wh('Bot.register', { fields: { code: 'sup', botToken: 'tok-9', properties: { name: 'X' } } })).body.error).toBe('BOT_CODE_ALREADY_TAKEN');
		expect((await t.oa('Bot.register', { fields: { code: 'sup', properties: { name: 'X' } } })).body.error).toBe('BOT_CODE_ALREADY_TAKEN');
	});

	test.each([
		[{ code: '' }, 'BOT_CODE_REQUIRED'],
		[{ properties: {} }, 'BOT_PROPERTIES_REQUIRED'],
		[{ type: 'robot' }, 'BOT_INVALID_TYPE'],
		[{ eventMode: 'push' }, 'BOT_INVALID_EVENT_MODE'],
		[{ eventMode: 'webhook' }, 'BOT_WEBHOOK_URL_REQUIRED'],
		[{ eventMode: 'webhook', webhookUrl: 'not a url' }, 'BOT_INVALID_CALLBACK'],
		[{ properties: { name: 'A', avatar: Buffer.from('plain text').toString('base64') } }, 'BOT_AVATAR_INCORRECT_TYPE'],
	])('register %j -> %s', async (extra, code) => {
		const r = await t.wh('Bot.register', { fields: { code: 'c1', botToken: 'tok-1', properties: { name: 'N' }, ...extra } });
		expect([r.status, r.body.error]).toEqual([400, code]);
	});

	test('an avatar over 5000x5000 px -> BOT_AVATAR_INCORRECT_SIZE; 100 bots per owner -> BOT_LIMIT_EXCEEDED', async () => {
		const big = Buffer.from(PNG, 'base64');
		big.writeUInt32BE(6000, 16);
		let r = await t.wh('Bot.register', { fields: { code: 'big', botToken: 'tok-1', properties: { name: 'B', avatar: big.toString('base64') } } });
		expect(r.body.error).toBe('BOT_AVATAR_INCORRECT_SIZE');
		const { bots } = t.sb.state.imbotV2 || { bots: null };
		expect(bots && bots.size).toBeFalsy();
		for (let i = 0; i < 100; i++) await t.newBot({ botToken: 'many' });
		r = await t.wh('Bot.register', { fields: { code: 'one-more', botToken: 'many', properties: { name: 'M' } } });
		expect(r.body.error).toBe('BOT_LIMIT_EXCEEDED');
	});
});

describe('Bot.get / list / update / unregister', () => {
	test('get by botId or code; brief format for another owner; PARAMS_REQUIRED; BOT_NOT_FOUND', async () => {
		const id = await t.newBot();
		const mine = await t.as(id)('Bot.get');
		expect(mine.body.result.bot).toHaveProperty('eventMode', 'fetch');
		const other = await t.wh('Bot.get', { botToken: 'someone', code: 'bot1' });
		expect(other.body.result.bot).toEqual({ id, code: 'bot1', type: 'bot', isHidden: false, isSupportOpenline: false, isReactionsEnabled: true, backgroundId: null, language: 'en' });
		expect((await t.wh('Bot.get', { botToken: 'tok-1' })).body.error).toBe('PARAMS_REQUIRED');
		expect((await t.wh('Bot.get', { botToken: 'tok-1', code: 'nope' })).body.error).toBe('BOT_NOT_FOUND');
	});

	test('list: only the owner\'s bots, filter.type, limit/offset with hasNextPage', async () => {
		for (let i = 0; i < 3; i++) await t.newBot();
		await t.newBot({ type: 'personal' });
		await t.newBot({ botToken: 'other' });
		const all = await t.wh('Bot.list', { botToken: 'tok-1' });
		expect(all.body.result.bots).toHaveLength(4);
		expect(all.body.result.hasNextPage).toBe(false);
		const page = await t.wh('Bot.list', { botToken: 'tok-1', limit: 3, offset: 0 });
		expect([page.body.result.bots.length, page.body.result.hasNextPage, page.body.result.users.length]).toEqual([3, true, 3]);
		expect((await t.wh('Bot.list', { botToken: 'tok-1', filter: { type: 'personal' } })).body.result.bots).toHaveLength(1);
		expect((await t.wh('Bot.list', { botToken: 'tok-1', filter: { type: 'zzz' } })).body.result.bots).toEqual([]);
		expect((await t.oa('Bot.list')).body.result).toEqual({ bots: [], users: [], hasNextPage: false });
	});

	test('OAuth: no botToken; the app owns its bots', async () => {
		const r = await t.oa('Bot.register', { fields: { code: 'app-bot', properties: { name: 'App' } } });
		const id = r.body.result.bot.id;
		expect((await t.oa('Bot.update', { botId: id, fields: { properties: { workPosition: 'Helper' }, eventMode: 'fetch' } })).body.result.users[0].workPosition).toBe('Helper');
		expect((await t.oa('Bot.list')).body.result.bots.map((b) => b.id)).toEqual([id]);
		expect((await t.wh('Bot.update', { botId: id, botToken: 'x', fields: { isHidden: true } })).body.error).toBe('BOT_OWNERSHIP_ERROR');
	});

	test('update: fields required, mode and URL checked before anything changes', async () => {
		const id = await t.newBot();
		const call = t.as(id);
		expect((await call('Bot.update', {})).body.error).toBe('PARAMS_REQUIRED');
		expect((await call('Bot.update', { fields: { eventMode: 'x' } })).body.error).toBe('BOT_INVALID_EVENT_MODE');
		expect((await call('Bot.update', { fields: { eventMode: 'webhook', webhookUrl: 'ftp:/x' } })).body.error).toBe('BOT_INVALID_CALLBACK');
		expect((await call('Bot.update', { fields: { eventMode: 'webhook', properties: { name: 'Renamed' } } })).body.error).toBe('BOT_WEBHOOK_URL_REQUIRED');
		expect(t.sb.state.users.get(id).NAME).toBe('Bot 1');
		const r = await call('Bot.update', { fields: { eventMode: 'webhook', webhookUrl: 'http://127.0.0.1:9/h', backgroundId: 'nope', isSupportOpenline: 'Y' } });
		expect(r.body.result.bot).toMatchObject({ eventMode: 'webhook', backgroundId: null, isSupportOpenline: true });
	});

	test('unregister: {result:true}; the bot is gone from chats and Bot.get', async () => {
		const id = await t.newBot();
		const chat = (await t.as(id)('Chat.add', { fields: { userIds: [2] } })).body.result.chat;
		expect((await t.as(id)('Bot.unregister')).body.result).toEqual({ result: true });
		expect((await t.as(id)('Bot.get')).body.error).toBe('BOT_NOT_FOUND');
		expect(t.sb.state.chats.get(chat.id).USERS).toEqual([2]);
		expect(t.sb.state.users.has(id)).toBe(false);
	});
});
