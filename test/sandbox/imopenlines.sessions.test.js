'use strict';
/** imopenlines sessions, dialogs, session modes and supervisor votes (§3.2) against the sandbox. */
const { hook } = require('./helpers');
const { openLinesPortal } = require('./imopenlinesPortal');

const portal = openLinesPortal();
const { call, as, customerDialog } = portal;
const state = () => portal.sb.state;

describe('session.open / dialog.get', () => {
	test('session.open: chatId (a string, as documented) by USER_CODE; unknown code → ACCESS_DENIED', async () => {
		const d = await customerDialog();
		expect((await call('imopenlines.session.open', { USER_CODE: d.userCode })).body.result).toEqual({ chatId: String(d.chatId) });
		const r = await call('imopenlines.session.open', { USER_CODE: 'livechat|1|nope|1' });
		expect([r.status, r.body.error]).toEqual([400, 'ACCESS_DENIED']);
		expect((await call('imopenlines.session.open', {})).body.error).toBe('ACCESS_DENIED');
	});

	test('dialog.get by CHAT_ID, DIALOG_ID, SESSION_ID or USER_CODE: lower-case chat, session id in entity_data_1', async () => {
		const d = await customerDialog();
		for (const params of [{ CHAT_ID: d.chatId }, { DIALOG_ID: `chat${d.chatId}` }, { SESSION_ID: d.sessionId }, { USER_CODE: d.userCode }]) {
			const chat = (await call('imopenlines.dialog.get', params)).body.result;
			expect(chat).toMatchObject({ id: d.chatId, type: 'lines', entity_type: 'LINES', entity_id: d.userCode, dialog_id: `chat${d.chatId}` });
			expect(chat.entity_data_1.split('|')[5]).toBe(String(d.sessionId));
		}
		expect((await call('imopenlines.dialog.get', { CHAT_ID: 9999 })).body.error).toBe('ACCESS_ERROR');
		expect((await call('imopenlines.dialog.get', {})).body.error).toBe('ACCESS_ERROR');
	});

	test('a user who is neither admin, member nor operator of the line is refused', async () => {
		const d = await customerDialog();
		const eva = as(5);
		expect((await eva('imopenlines.session.open', { USER_CODE: d.userCode })).body.error).toBe('ACCESS_DENIED');
		expect((await eva('imopenlines.dialog.get', { CHAT_ID: d.chatId })).body.error).toBe('ACCESS_ERROR');
		expect((await eva('imopenlines.session.join', { CHAT_ID: d.chatId })).body.error).toBe('ACCESS_DENIED');
	});

	test('works over the webhook too (user 1)', async () => {
		const d = await customerDialog();
		expect((await hook(portal.sb, 'imopenlines.session.open', { USER_CODE: d.userCode })).body.result.chatId).toBe(String(d.chatId));
	});
});

describe('session.start / message.session.start / history.get', () => {
	test('history: messages of the session keyed by id, users, sessionId; by CHAT_ID = the latest session', async () => {
		const d = await customerDialog();
		const h = (await call('imopenlines.session.history.get', { SESSION_ID: d.sessionId })).body.result;
		expect(h).toMatchObject({ chatId: d.chatId, sessionId: d.sessionId, userId: `chat${d.chatId}` });
		const texts = Object.values(h.message).map((m) => m.text);
		expect(texts).toEqual(['hello 1']);
		expect((await call('imopenlines.session.history.get', { CHAT_ID: d.chatId })).body.result.sessionId).toBe(d.sessionId);
		expect((await call('imopenlines.session.history.get', {})).body.error).toBe('MISSING_REQUIRED_PARAM');
		expect((await call('imopenlines.session.history.get', { SESSION_ID: 987654 })).body.error).toBe('INVALID_SESSION_ID');
	});

	test('session.start closes the current session and opens a new one; message.session.start needs a message of the chat', async () => {
		const d = await customerDialog();
		expect((await call('imopenlines.session.start', { CHAT_ID: d.chatId })).body.result).toBe(true);
		const next = state().dialogs.get('myconnector|1|chat-1').sessionId;
		expect(next).toBeGreaterThan(d.sessionId);
		expect(state().olSessions.get(d.sessionId).STATUS).toBe('closed');
		const msgId = state().connectorMessages[0].id;
		expect((await call('imopenlines.message.session.start', { CHAT_ID: d.chatId, MESSAGE_ID: msgId })).body.result).toBe(true);
		const third = state().dialogs.get('myconnector|1|chat-1').sessionId;
		expect(third).toBeGreaterThan(next);
		expect((await call('imopenlines.message.session.start', { CHAT_ID: d.chatId, MESSAGE_ID: 1 })).body.result).toBe(false);
	});

	test.each(['imopenlines.session.start', 'imopenlines.session.join', 'imopenlines.session.mode.silent'])('%s: CHAT_ID / CHAT_TYPE errors', async (method) => {
		expect((await call(method, {})).body.error).toBe('CHAT_ID');
		expect((await call(method, { CHAT_ID: 9999 })).body.error).toBe('CHAT_ID');
		state().chats.set(500, { ID: 500, TYPE: 'C', USERS: [1], ENTITY_TYPE: '', ENTITY_ID: '' });
		expect((await call(method, { CHAT_ID: 500 })).body.error).toBe('CHAT_TYPE');
	});
});

describe('join / intercept / modes / head vote', () => {
	test('join adds the caller; intercept makes the caller the operator (OPERATOR_WRONG when already)', async () => {
		const d = await customerDialog();
		const clara = as(3);
		state().lines.get(1).QUEUE = [1, 3];
		expect((await clara('imopenlines.session.join', { CHAT_ID: d.chatId })).body.result).toBe(true);
		expect(state().chats.get(d.chatId).USERS).toContain(3);
		expect((await clara('imopenlines.session.intercept', { CHAT_ID: d.chatId })).body.result).toBe(true);
		expect(state().olSessions.get(d.sessionId)).toMatchObject({ OPERATOR_ID: 3, STATUS: 'answered' });
		expect((await clara('imopenlines.session.intercept', { CHAT_ID: d.chatId })).body.error).toBe('OPERATOR_WRONG');
		expect((await clara('imopenlines.session.intercept', {})).body.error).toBe('CHAT_ID_EMPTY');
	});

	test('pin (ACTIVATE default Y) only for the operator; pinAll / unpinAll return the session ids they changed', async () => {
		const d1 = await customerDialog('c1', 'u1');
		const d2 = await customerDialog('c2', 'u2');
		expect((await call('imopenlines.session.mode.pin', { CHAT_ID: d1.chatId })).body.result).toBe(true);
		expect(state().olSessions.get(d1.sessionId).PINNED).toBe(true);
		expect((await call('imopenlines.session.mode.pin', { CHAT_ID: d1.chatId, ACTIVATE: 'N' })).body.result).toBe(true);
		expect(state().olSessions.get(d1.sessionId).PINNED).toBe(false);
		expect((await call('imopenlines.session.mode.pinAll')).body.result.sort()).toEqual([d1.sessionId, d2.sessionId].sort());
		expect((await call('imopenlines.session.mode.pinAll')).body.result).toEqual([]);
		expect((await call('imopenlines.session.mode.unpinAll')).body.result.sort()).toEqual([d1.sessionId, d2.sessionId].sort());
		expect((await call('imopenlines.session.mode.pin', {})).body.error).toBe('CHAT_ID_EMPTY');
		expect((await call('imopenlines.session.mode.pin', { CHAT_ID: 'abc' })).body.error).toBe('CHAT_ID');
		state().lines.get(1).QUEUE = [1, 2];
		expect((await as(2)('imopenlines.session.mode.pin', { CHAT_ID: d1.chatId })).body.error).toBe('ACCESS_DENIED');
	});

	test('silent: ACTIVATE=Y on, anything else off', async () => {
		const d = await customerDialog();
		await call('imopenlines.session.mode.silent', { CHAT_ID: d.chatId, ACTIVATE: 'Y' });
		expect(state().olSessions.get(d.sessionId).SILENT).toBe(true);
		await call('imopenlines.session.mode.silent', { CHAT_ID: d.chatId, ACTIVATE: 'x' });
		expect(state().olSessions.get(d.sessionId).SILENT).toBe(false);
	});

	test('head.vote: stores RATING / COMMENT; EMPTY_SESSION_ID, EMPTY_VOTE_PARAMS, ACCESS_DENIED (non-admin, unknown session)', async () => {
		const d = await customerDialog();
		expect((await call('imopenlines.session.head.vote', { SESSION_ID: d.sessionId, RATING: 5, COMMENT: 'Great' })).body.result).toBe(true);
		expect(state().olSessions.get(d.sessionId)).toMatchObject({ VOTE_HEAD: 5, COMMENT_HEAD: 'Great' });
		expect((await call('imopenlines.session.history.get', { SESSION_ID: d.sessionId })).body.result).toMatchObject({ sessionVoteHead: 5, sessionCommentHead: 'Great' });
		expect((await call('imopenlines.session.head.vote', { SESSION_ID: 0, RATING: 5 })).body.error).toBe('EMPTY_SESSION_ID');
		expect((await call('imopenlines.session.head.vote', { SESSION_ID: d.sessionId })).body.error).toBe('EMPTY_VOTE_PARAMS');
		expect((await call('imopenlines.session.head.vote', { SESSION_ID: 99999, RATING: 1 })).body.error).toBe('ACCESS_DENIED');
		expect((await as(2)('imopenlines.session.head.vote', { SESSION_ID: d.sessionId, RATING: 1 })).body.error).toBe('ACCESS_DENIED');
	});
});
