'use strict';
/**
 * The sandbox set-up of the imopenlines tests: a fresh portal per test, calls as the OAuth app (user 1, an admin) or
 * as another user, and a customer dialog through connector `myconnector` on line 1.
 */
const { start, app, setupConnector, message } = require('./helpers');

function openLinesPortal() {
	const ctx = { sb: null, token: null };
	beforeEach(async () => {
		ctx.sb = await start();
		ctx.token = ctx.sb.issueTokens().access_token;
	});
	afterEach(() => ctx.sb.stop());

	ctx.call = (method, params) => app(ctx.sb, ctx.token, method, params);
	ctx.as = (userId) => {
		const token = ctx.sb.issueTokens({ userId }).access_token;
		return (method, params) => app(ctx.sb, token, method, params);
	};
	ctx.session = (id) => ctx.sb.state.olSessions.get(id);
	/** A customer writes: the dialog's chat id, session id and user code (the session record is made by dialog.get). */
	ctx.customerDialog = async (extChat = 'chat-1', extUser = `u-${extChat}`) => {
		if (!ctx.sb.state.connectors.has('myconnector')) await setupConnector(ctx.sb, ctx.token);
		const r = await ctx.call('imconnector.send.messages', { CONNECTOR: 'myconnector', LINE: 1, MESSAGES: [message(1, extChat, extUser)] });
		const el = r.body.result.DATA.RESULT[0];
		const d = { chatId: Number(el.session.CHAT_ID), sessionId: Number(el.session.ID), userCode: `myconnector|1|${extChat}|${el.user}` };
		await ctx.call('imopenlines.dialog.get', { CHAT_ID: d.chatId });
		return d;
	};
	return ctx;
}

module.exports = { openLinesPortal };
