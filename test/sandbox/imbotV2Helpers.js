'use strict';
/** Helpers of the imbotV2*.test.js files: v2 calls over the webhook (with a botToken) and over OAuth. */
const { start, hook, app, control } = require('./helpers');

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** A sandbox and call helpers; `v2.wh(method, params)` = webhook call of imbot.v2.<method>. */
async function v2Sandbox(opts) {
	const sb = await start(opts);
	const token = sb.issueTokens().access_token;
	let n = 0;
	/** 'Bot.get' -> imbot.v2.Bot.get; names starting with im (im.v2.*) and batch stay as they are. */
	const full = (m) => (m.startsWith('im') || m === 'batch' ? m : `imbot.v2.${m}`);
	const wh = (m, p = {}) => hook(sb, full(m), p);
	const oa = (m, p = {}) => app(sb, token, full(m), p);
	/** Registers a bot over the webhook with botToken `botToken`; returns its id. */
	async function newBot({ botToken = 'tok-1', ...fields } = {}) {
		n++;
		const r = await wh('Bot.register', { fields: { code: `bot${n}`, botToken, properties: { name: `Bot ${n}` }, ...fields } });
		if (r.status !== 200) throw new Error(`register failed: ${JSON.stringify(r.body)}`);
		return r.body.result.bot.id;
	}
	/** A webhook caller bound to one bot: call(method, params) adds botId and botToken. */
	function as(botId, botToken = 'tok-1') {
		return (m, p = {}) => wh(m, { botId, botToken, ...p });
	}
	const trigger = (botId, what, body) => control(sb, `v2/bots/${botId}/${what}`, body);
	return { sb, token, wh, oa, newBot, as, trigger };
}

/**
 * Jest hooks: a fresh sandbox and one webhook bot (botToken tok-1) per test. The returned object is filled in
 * beforeEach: the v2Sandbox fields plus `bot` (its id) and `call` (t.as(bot)).
 */
function useV2Bot(opts) {
	const t = {};
	beforeEach(async () => {
		Object.assign(t, await v2Sandbox(opts));
		t.bot = await t.newBot();
		t.call = t.as(t.bot);
	});
	afterEach(() => t.sb.stop());
	return t;
}

module.exports = { v2Sandbox, useV2Bot, PNG };
