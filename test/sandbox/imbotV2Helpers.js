'use strict';
/** Helpers of the imbotV2*.test.js files: v2 calls over the webhook (with a botToken) and over OAuth. */
const { start, hook, app, control } = require('./helpers');

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** A sandbox and call helpers; `v2.wh(method, params)` = webhook call of imbot.v2.<method>. */
async function v2Sandbox(opts) {
	const sb = await start(opts);
	const token = sb.issueTokens().access_token;
	let n = 0;
	const wh = (m, p = {}) => hook(sb, m.startsWith('im') ? m : `imbot.v2.${m}`, p);
	const oa = (m, p = {}) => app(sb, token, m.startsWith('im') ? m : `imbot.v2.${m}`, p);
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

module.exports = { v2Sandbox, PNG };
