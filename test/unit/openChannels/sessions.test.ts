/* Session resource: imopenlines.session.*, dialog.get, message.session.start — request, output, checks before sending. */
import type { IDataObject } from 'n8n-workflow';

import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { json, run } from './helpers';

useNock();

const session = (operation: string, parameters: IDataObject = {}, options = {}) => run({ resource: 'session', operation, ...parameters }, options);

describe('Session: each operation sends its method with the documented params', () => {
	test.each([
		['open', { userCode: ' livechat|22|1761|587 ' }, 'imopenlines.session.open', { USER_CODE: 'livechat|22|1761|587' }, { chatId: '1763' }, { chatId: 1763, dialogId: 'chat1763', userCode: 'livechat|22|1761|587' }],
		['start', { chatId: 'chat2043' }, 'imopenlines.session.start', { CHAT_ID: 2043 }, true, { chatId: 2043, success: true }],
		['startFromMessage', { chatId: '2043', messageId: '18971' }, 'imopenlines.message.session.start', { CHAT_ID: 2043, MESSAGE_ID: 18971 }, true, { chatId: 2043, messageId: 18971, success: true }],
		['join', { chatId: 2043 }, 'imopenlines.session.join', { CHAT_ID: 2043 }, true, { chatId: 2043, success: true }],
		['intercept', { chatId: '2043' }, 'imopenlines.session.intercept', { CHAT_ID: 2043 }, true, { chatId: 2043, success: true }],
		['pin', { chatId: '2043' }, 'imopenlines.session.mode.pin', { CHAT_ID: 2043, ACTIVATE: 'Y' }, true, { chatId: 2043, pinned: true }],
		['pin', { chatId: '2043', pin: false }, 'imopenlines.session.mode.pin', { CHAT_ID: 2043, ACTIVATE: 'N' }, true, { chatId: 2043, pinned: false }],
		['pinAll', {}, 'imopenlines.session.mode.pinAll', {}, [339, 337], { sessionIds: [339, 337], pinned: true }],
		['unpinAll', {}, 'imopenlines.session.mode.unpinAll', {}, [], { sessionIds: [], pinned: false }],
		['setSilent', { chatId: '2043' }, 'imopenlines.session.mode.silent', { CHAT_ID: 2043, ACTIVATE: 'Y' }, true, { chatId: 2043, silent: true }],
		['setSilent', { chatId: '2043', silent: false }, 'imopenlines.session.mode.silent', { CHAT_ID: 2043, ACTIVATE: 'N' }, true, { chatId: 2043, silent: false }],
		['rate', { sessionId: '1743', rating: 5, comment: 'Excellent handling' }, 'imopenlines.session.head.vote', { SESSION_ID: 1743, RATING: 5, COMMENT: 'Excellent handling' }, true, { sessionId: 1743, rating: 5, comment: 'Excellent handling', success: true }],
		['rate', { sessionId: '1743', rating: 0, comment: 'Only a note' }, 'imopenlines.session.head.vote', { SESSION_ID: 1743, COMMENT: 'Only a note' }, true, { sessionId: 1743, rating: null, comment: 'Only a note', success: true }],
	])('%s %j → %s %j', async (operation, parameters, method, body, answer, output) => {
		const { calls } = portal({ [method]: answer });
		const out = await session(operation, parameters as IDataObject);
		expect(out.error).toBeUndefined();
		expect(calls.map((c) => [c.method, c.body])).toEqual([[method, body]]);
		expect(json(out)).toEqual([output]);
	});

	test('Get Dialog: by chat, session or user code; output leads with chatId, dialogId, sessionId (6th field of entity_data_1), userCode', async () => {
		const chat = { id: 1777, dialog_id: 'chat1777', type: 'lines', entity_id: 'livechat|22|1775|599', entity_data_1: 'Y|LEAD|1209|N|N|343|1773682918|0|0|0' };
		const { calls } = portal({ 'imopenlines.dialog.get': chat });
		const first = await session('getDialog', { chatId: '1777' });
		await session('getDialog', { findBy: 'session', sessionId: '343' });
		await session('getDialog', { findBy: 'userCode', userCode: 'livechat|22|1775|599' });
		expect(calls.map((c) => c.body)).toEqual([{ CHAT_ID: 1777 }, { SESSION_ID: 343 }, { USER_CODE: 'livechat|22|1775|599' }]);
		expect(json(first)[0]).toEqual({ chatId: 1777, dialogId: 'chat1777', sessionId: 343, userCode: 'livechat|22|1775|599', ...chat });
	});

	test('Get History: by session (default) or chat; the message object becomes a list sorted by id', async () => {
		const history = { chatId: 1763, sessionId: 321, message: { '85851': { id: '85851', text: 'b' }, '85833': { id: '85833', text: 'a' } }, users: {} };
		const { calls } = portal({ 'imopenlines.session.history.get': history });
		const out = await session('getHistory', { sessionId: '321' });
		await session('getHistory', { historyBy: 'chat', chatId: 'chat1763' });
		expect(calls.map((c) => c.body)).toEqual([{ SESSION_ID: 321 }, { CHAT_ID: 1763 }]);
		expect(json(out)).toEqual([{ chatId: 1763, sessionId: 321, users: {}, messages: [{ id: '85833', text: 'a' }, { id: '85851', text: 'b' }] }]);
	});
});

describe('Session: bad input is refused before anything is sent', () => {
	test.each([
		['open', { userCode: 'livechat|22|1761' }, /"User Code" must be a user code "connector\|line ID\|external chat ID\|external user ID"/],
		['open', { userCode: 'livechat|x|1761|587' }, /"User Code" must be a user code/],
		['start', { chatId: '={{ "" }}' }, /"Chat ID" is required/],
		['start', { chatId: '-5' }, /"Chat ID" must be an Open Channel chat ID/],
		['join', { chatId: '12abc' }, /"Chat ID" must be an Open Channel chat ID/],
		['startFromMessage', { chatId: '1', messageId: '0' }, /"Message ID" must be a whole number of at least 1/],
		['getDialog', { findBy: 'session', sessionId: 'abc' }, /"Session ID" must be a whole number of at least 1/],
		['rate', { sessionId: '5', rating: 0 }, /Give a rating or a comment/],
		['rate', { sessionId: '5', rating: 7 }, /"Rating" must be at most 5/],
		['intercept', { chatId: '={{ {"id": 1} }}' }, /"Chat ID" must be text, not an object/],
	])('%s %j', async (operation, parameters, message) => {
		const { calls } = portal();
		const out = await session(operation, parameters as IDataObject);
		expect(out.error?.message).toMatch(message);
		expect(calls).toHaveLength(0);
	});

	test('with Continue On Fail, a bad item is its own error and the good one is still sent (in one batch)', async () => {
		const { calls } = portal({ batch: { result: { 0: true }, result_error: [], result_total: [], result_next: [], result_time: [] } });
		const out = await session('join', { chatId: '={{ $json.c }}' }, { continueOnFail: true, items: [{ json: { c: 'x' } }, { json: { c: 7 } }] });
		expect(json(out)[0]).toEqual({ error: expect.stringMatching(/"Chat ID" must be an Open Channel chat ID/) });
		expect(calls).toHaveLength(1);
		expect(json(out)[1]).toEqual({ chatId: 7, success: true });
	});

	test('a false answer becomes the item error, and session.open without a chat id is CHAT_NOT_FOUND', async () => {
		portal({ 'imopenlines.message.session.start': false, 'imopenlines.session.open': { chatId: 0 } });
		const soft = await session('startFromMessage', { chatId: '1', messageId: '2' }, { continueOnFail: true });
		expect(json(soft)).toEqual([{ error: expect.stringMatching(/Message 2 could not start a session in chat 1/), code: 'NOT_DONE' }]);
		const open = await session('open', { userCode: 'livechat|1|2|3' }, { continueOnFail: true });
		expect(json(open)).toEqual([{ error: expect.stringMatching(/No chat for user code/), code: 'CHAT_NOT_FOUND' }]);
	});
});
