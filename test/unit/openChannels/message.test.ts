import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { makeItems } from '../../helpers/runNode';
import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { decodeCommand, json, record, rl, run, trapAnyRequest } from './helpers';

useNock();

const target = { connector: rl('acme_wa'), line: rl(1) };

function okRow(m: IDataObject, i: number): IDataObject {
	const el = m as { user: IDataObject; message: IDataObject; chat: IDataObject };
	return {
		user: String(500 + i),
		message: { id: el.message.id, date: {}, text: el.message.text, files: [] },
		chat: { id: el.chat.id },
		SUCCESS: true,
		session: { ID: String(300 + i), CHAT_ID: String(1700 + i) },
	};
}

function sendReply(body: IDataObject): unknown {
	const messages = body.MESSAGES as IDataObject[];
	return { result: { SUCCESS: true, DATA: { RESULT: messages.map(okRow) } } };
}

describe('Message → Send (imconnector.send.messages)', () => {
	test('sends the user, message and chat blocks (gender also as sex) and maps the answer', async () => {
		const { bodies, scope } = record('imconnector.send.messages', sendReply);
		const out = await run({
			resource: 'message',
			operation: 'send',
			...target,
			externalChatId: 'channel-123',
			externalUserId: 'ext-user-42',
			externalMessageId: 'ext-msg-1001',
			text: 'Hello [b]world[/b]',
			files: { file: [{ name: 'a.jpg', url: 'https://example.com/a.jpg' }, { name: '', url: 'https://example.com/docs/invoice%201.pdf?x=1' }] },
			userDetails: {
				firstName: 'Klaus',
				lastName: 'Weber',
				pictureUrl: 'https://example.com/u42.png',
				profileUrl: 'https://example.com/profile/42',
				gender: 'male',
				email: 'k@example.com',
				phone: '+4930123456',
				skipPhoneValidation: true,
			},
			messageOptions: { date: '2025-01-28T12:00:00Z', disableCrm: true, bitrixUserId: 27 },
			chatDetails: { chatName: 'Support Channel', chatUrl: 'https://example.com/chats/123' },
		});
		expect(out.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(bodies[0]).toEqual({
			CONNECTOR: 'acme_wa',
			LINE: 1,
			MESSAGES: [
				{
					user: {
						id: 'ext-user-42',
						name: 'Klaus',
						last_name: 'Weber',
						picture: { url: 'https://example.com/u42.png' },
						url: 'https://example.com/profile/42',
						gender: 'male',
						sex: 'male',
						email: 'k@example.com',
						phone: '+4930123456',
						skip_phone_validate: 'Y',
					},
					message: {
						id: 'ext-msg-1001',
						date: 1738065600,
						text: 'Hello [b]world[/b]',
						files: [
							{ url: 'https://example.com/a.jpg', name: 'a.jpg' },
							{ url: 'https://example.com/docs/invoice%201.pdf?x=1', name: 'invoice 1.pdf' },
						],
						disable_crm: 'Y',
						user_id: 27,
					},
					chat: { id: 'channel-123', name: 'Support Channel', url: 'https://example.com/chats/123' },
				},
			],
		});
		expect(json(out)).toEqual([
			{
				connector: 'acme_wa',
				line: 1,
				externalMessageId: 'ext-msg-1001',
				externalChatId: 'channel-123',
				externalUserId: 'ext-user-42',
				bitrixUserId: 500,
				chatId: 1700,
				sessionId: 300,
				success: true,
			},
		]);
	});

	test('always sends message.id and message.date (now when not given); options left out are not sent', async () => {
		const { bodies } = record('imconnector.send.messages', sendReply);
		const before = Math.floor(Date.now() / 1000);
		await run({ resource: 'message', operation: 'send', ...target, externalChatId: 'c1', externalUserId: 'u1', externalMessageId: 'm1', text: 'hi' });
		const after = Math.floor(Date.now() / 1000);
		const element = (bodies[0].MESSAGES as IDataObject[])[0];
		expect(element.user).toEqual({ id: 'u1' });
		expect(element.chat).toEqual({ id: 'c1' });
		const message = element.message as IDataObject;
		expect(Object.keys(message).sort()).toEqual(['date', 'id', 'text']);
		expect(message.id).toBe('m1');
		expect(message.date).toBeGreaterThanOrEqual(before);
		expect(message.date).toBeLessThanOrEqual(after);
	});

	test('packs 120 items into 3 calls of 50/50/20 MESSAGES, sent in one batch request; each item gets its own answer', async () => {
		let batchBody: IDataObject | undefined;
		const { calls } = portal({
			batch: (body: IDataObject) => {
				batchBody = body;
				const cmd = batchBody.cmd as Record<string, string>;
				const result: IDataObject = {};
				for (const [key, command] of Object.entries(cmd)) {
					const { params } = decodeCommand(command);
					result[key] = (sendReply(params) as { result: IDataObject }).result;
				}
				return { result, result_error: [], result_total: [], result_next: [], result_time: {} };
			},
		});
		const out = await run(
			{
				resource: 'message',
				operation: 'send',
				...target,
				externalChatId: '={{ "chat-" + ($json.i % 7) }}',
				externalUserId: '={{ "user-" + ($json.i % 7) }}',
				externalMessageId: '={{ "msg-" + $json.i }}',
				text: '={{ "text " + $json.i }}',
			},
			{ items: makeItems(120) },
		);
		expect(out.error).toBeUndefined();
		expect(calls.map((c) => c.method)).toEqual(['batch']);
		expect(batchBody?.halt).toBe(0);
		const commands = Object.values(batchBody?.cmd as Record<string, string>).map(decodeCommand);
		expect(commands.map((c) => c.method)).toEqual(['imconnector.send.messages', 'imconnector.send.messages', 'imconnector.send.messages']);
		expect(commands.map((c) => (c.params.MESSAGES as unknown[]).length)).toEqual([50, 50, 20]);
		expect(commands.every((c) => c.params.CONNECTOR === 'acme_wa' && c.params.LINE === '1')).toBe(true);
		const sentIds = commands.flatMap((c) => (c.params.MESSAGES as Array<{ message: IDataObject }>).map((m) => m.message.id));
		expect(sentIds).toEqual(Array.from({ length: 120 }, (_, i) => `msg-${i}`));
		const first = (commands[0].params.MESSAGES as IDataObject[])[0] as { user: IDataObject; message: IDataObject; chat: IDataObject };
		expect(first).toEqual({ user: { id: 'user-0' }, message: { id: 'msg-0', date: expect.any(String), text: 'text 0' }, chat: { id: 'chat-0' } });

		expect(out.items).toHaveLength(120);
		out.items.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.externalMessageId).toBe(`msg-${i}`);
			expect(item.json.externalChatId).toBe(`chat-${i % 7}`);
			// position inside its own call: the fake portal numbers sessions per call
			expect(item.json.sessionId).toBe(300 + (i % 50));
		});
	});

	test('items for different lines go into different calls', async () => {
		let cmd: Record<string, string> = {};
		const { calls } = portal({
			batch: (body: IDataObject) => {
				cmd = body.cmd as Record<string, string>;
				const result: IDataObject = {};
				for (const [key, command] of Object.entries(cmd)) result[key] = (sendReply(decodeCommand(command).params) as { result: IDataObject }).result;
				return { result, result_error: [] };
			},
		});
		const out = await run(
			{ resource: 'message', operation: 'send', connector: rl('acme_wa'), line: '={{ { __rl: true, mode: "id", value: String($json.i % 2 + 1) } }}', externalChatId: 'c', externalUserId: 'u', externalMessageId: '={{ "m" + $json.i }}', text: 'x' },
			{ items: makeItems(4) },
		);
		expect(out.error).toBeUndefined();
		expect(calls.map((c) => c.method)).toEqual(['batch']);
		const commands = Object.values(cmd).map(decodeCommand);
		expect(commands.map((c) => [c.params.LINE, (c.params.MESSAGES as IDataObject[]).map((m) => (m.message as IDataObject).id)])).toEqual([
			['1', ['m0', 'm2']],
			['2', ['m1', 'm3']],
		]);
		expect(json(out).map((j) => j.line)).toEqual([1, 2, 1, 2]);
	});

	test('a per-message failure inside a 200 reaches only its own item (Continue On Fail)', async () => {
		record('imconnector.send.messages', (body) => {
			const messages = body.MESSAGES as IDataObject[];
			const RESULT = messages.map((m, i) =>
				i === 1 ? { message: { id: (m.message as IDataObject).id }, chat: { id: 'c' }, SUCCESS: false, ERRORS: ['message.text or message.files is required'] } : okRow(m, i),
			);
			return { result: { SUCCESS: true, DATA: { RESULT } } };
		});
		const params = { resource: 'message', operation: 'send', ...target, externalChatId: 'c', externalUserId: 'u', externalMessageId: '={{ "m" + $json.i }}', text: 'x' };
		const out = await run(params, { items: makeItems(3), continueOnFail: true });
		expect(out.error).toBeUndefined();
		const items = json(out);
		expect(items[0]).toMatchObject({ externalMessageId: 'm0', success: true });
		expect(items[1]).toEqual({ error: expect.stringMatching(/did not accept this message: message\.text or message\.files is required/), code: 'MESSAGE_NOT_ACCEPTED' });
		expect(items[2]).toMatchObject({ externalMessageId: 'm2', success: true, sessionId: 302 });
		expect(out.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);

		record('imconnector.send.messages', (body) => {
			const messages = body.MESSAGES as IDataObject[];
			return { result: { SUCCESS: true, DATA: { RESULT: messages.map((m, i) => (i === 1 ? { SUCCESS: false, ERRORS: [{ code: 'X', message: 'bad' }] } : okRow(m, i))) } } };
		});
		const strict = await run(params, { items: makeItems(3) });
		expect(strict.error?.message).toMatch(/X: bad — Bitrix24 imconnector\.send\.messages failed with MESSAGE_NOT_ACCEPTED/);
	});

	test('a whole-call error (NOT_ACTIVE_LINE) goes to every item of that call', async () => {
		const { calls } = portal({ 'imconnector.send.messages': { error: 'NOT_ACTIVE_LINE', error_description: 'The connector is not active on this line' } });
		const out = await run(
			{ resource: 'message', operation: 'send', ...target, externalChatId: 'c', externalUserId: 'u', externalMessageId: '={{ "m" + $json.i }}', text: 'x' },
			{ items: makeItems(2), continueOnFail: true },
		);
		expect(json(out).map((j) => j.code)).toEqual(['NOT_ACTIVE_LINE', 'NOT_ACTIVE_LINE']);
		expect(calls.map((c) => c.method)).toEqual(['imconnector.send.messages']);
	});

	test('bad input fails before any request, naming the field (values mapped from items; n8n itself flags empty literals)', async () => {
		const trap = trapAnyRequest();
		const missing = '={{ $json.notThere }}';
		const base = { resource: 'message', operation: 'send', ...target, externalChatId: 'c', externalUserId: 'u', externalMessageId: 'm', text: 'x' };
		expect((await run({ ...base, externalUserId: missing })).error?.message).toMatch(/"External User ID" is required/);
		expect((await run({ ...base, externalChatId: '={{ " " }}' })).error?.message).toMatch(/"External Chat ID" is required/);
		expect((await run({ ...base, externalMessageId: missing })).error?.message).toMatch(/"External Message ID" is required/);
		expect((await run({ ...base, text: '' })).error?.message).toMatch(/"Text" is required when no file is given/);
		expect((await run({ ...base, files: { file: [{ name: 'a', url: 'not a url' }] } })).error?.message).toMatch(/"Files" → file 1 → URL must be an http/);
		expect((await run({ ...base, messageOptions: { date: 'yesterday-ish' } })).error?.message).toMatch(/"Message Options → Date" must be a date/);
		expect((await run({ ...base, userDetails: { pictureUrl: 'x' } })).error?.message).toMatch(/"User Details → Picture URL" must be an http/);
		expect(trap.isDone()).toBe(false);
	});

	test('with Continue On Fail a bad item becomes an error item and the others are still sent', async () => {
		const { bodies } = record('imconnector.send.messages', sendReply);
		const out = await run(
			{ resource: 'message', operation: 'send', ...target, externalChatId: 'c', externalUserId: '={{ $json.i === 1 ? "" : "u" }}', externalMessageId: '={{ "m" + $json.i }}', text: 'x' },
			{ items: makeItems(3), continueOnFail: true },
		);
		expect((bodies[0].MESSAGES as IDataObject[]).map((m) => (m.message as IDataObject).id)).toEqual(['m0', 'm2']);
		const items = json(out);
		expect(items[1].error).toMatch(/"External User ID" is required/);
		expect(items[0]).toMatchObject({ externalMessageId: 'm0', sessionId: 300 });
		expect(items[2]).toMatchObject({ externalMessageId: 'm2', sessionId: 301 });
	});
});

describe('Message → Update / Delete / Mark Delivered / Mark Read', () => {
	test('Update sends imconnector.update.messages with user, message and chat', async () => {
		const { bodies } = record('imconnector.update.messages', (body) => ({
			result: { SUCCESS: true, DATA: { RESULT: (body.MESSAGES as IDataObject[]).map((m) => ({ user: '585', message: m.message, chat: m.chat, SUCCESS: true })) } },
		}));
		const out = await run({
			resource: 'message',
			operation: 'update',
			...target,
			externalChatId: 'channel-123',
			externalUserId: 'ext-user-42',
			externalMessageId: 'ext-msg-1001',
			text: 'Edited',
			updateFields: { bitrixUserId: 5 },
		});
		expect(bodies[0]).toEqual({
			CONNECTOR: 'acme_wa',
			LINE: 1,
			MESSAGES: [{ user: { id: 'ext-user-42' }, message: { id: 'ext-msg-1001', text: 'Edited', user_id: 5 }, chat: { id: 'channel-123' } }],
		});
		expect(json(out)).toEqual([
			{ connector: 'acme_wa', line: 1, externalMessageId: 'ext-msg-1001', externalChatId: 'channel-123', externalUserId: 'ext-user-42', bitrixUserId: 585, success: true },
		]);
	});

	test('Update takes every block Send takes: user profile, message date, chat name and URL (dates as unix seconds, ISO or DateTime)', async () => {
		const { bodies } = record(
			'imconnector.update.messages',
			(body) => ({
				result: { SUCCESS: true, DATA: { RESULT: (body.MESSAGES as IDataObject[]).map((m) => ({ user: '585', message: m.message, chat: m.chat, SUCCESS: true })) } },
			}),
			4,
		);
		const base = {
			resource: 'message',
			operation: 'update',
			...target,
			externalChatId: 'channel-123',
			externalUserId: 'ext-user-42',
			externalMessageId: 'ext-msg-1001',
			text: 'Edited',
			userDetails: {
				firstName: 'Anna',
				lastName: 'Lee',
				pictureUrl: 'https://cdn.example.com/a.png',
				profileUrl: 'https://wa.example.com/anna',
				gender: 'female',
				email: 'anna@example.com',
				phone: '+1 555 0100',
			},
			chatDetails: { chatName: 'Anna (WhatsApp)', chatUrl: 'https://wa.example.com/c/123' },
		};
		for (const date of ['1764583200', '2025-12-01T10:00:00Z', '={{ DateTime.fromSeconds(1764583200) }}', '={{ 1764583200 }}']) {
			await run({ ...base, updateFields: { date, bitrixUserId: 5 } });
		}
		expect(bodies).toHaveLength(4);
		for (const body of bodies) {
			expect(body).toEqual({
				CONNECTOR: 'acme_wa',
				LINE: 1,
				MESSAGES: [
					{
						user: {
							id: 'ext-user-42',
							name: 'Anna',
							last_name: 'Lee',
							picture: { url: 'https://cdn.example.com/a.png' },
							url: 'https://wa.example.com/anna',
							gender: 'female',
							sex: 'female',
							email: 'anna@example.com',
							phone: '+1 555 0100',
						},
						message: { id: 'ext-msg-1001', text: 'Edited', date: 1764583200, user_id: 5 },
						chat: { id: 'channel-123', name: 'Anna (WhatsApp)', url: 'https://wa.example.com/c/123' },
					},
				],
			});
		}
	});

	test('Delete sends imconnector.delete.messages with user id, message id, chat id (docs example answer)', async () => {
		const { bodies } = record('imconnector.delete.messages', () => ({
			result: { SUCCESS: true, DATA: { RESULT: [{ user: '585', message: { id: 'ext-msg-1001' }, chat: { id: 'channel-123' }, SUCCESS: true }] } },
		}));
		const out = await run({ resource: 'message', operation: 'delete', ...target, externalChatId: 'channel-123', externalUserId: 'ext-user-42', externalMessageId: 'ext-msg-1001' });
		expect(bodies[0]).toEqual({
			CONNECTOR: 'acme_wa',
			LINE: 1,
			MESSAGES: [{ user: { id: 'ext-user-42' }, message: { id: 'ext-msg-1001' }, chat: { id: 'channel-123' } }],
		});
		expect(json(out)).toEqual([
			{ connector: 'acme_wa', line: 1, externalMessageId: 'ext-msg-1001', externalChatId: 'channel-123', externalUserId: 'ext-user-42', bitrixUserId: 585, success: true },
		]);
	});

	test('Mark Delivered sends im.chat_id, im.message_id, message.id as an array, message.date and chat.id', async () => {
		const { bodies } = record('imconnector.send.status.delivery', () => ({ result: { SUCCESS: true, DATA: [] } }));
		const out = await run({
			resource: 'message',
			operation: 'markDelivered',
			...target,
			bitrixChatId: 1767,
			bitrixMessageId: 9001,
			externalMessageIds: 'ext-msg-1007',
			externalChatId: 'channel-123',
			statusOptions: { date: 1738065600 },
		});
		expect(bodies[0]).toEqual({
			CONNECTOR: 'acme_wa',
			LINE: 1,
			MESSAGES: [{ im: { chat_id: 1767, message_id: 9001 }, message: { id: ['ext-msg-1007'], date: 1738065600 }, chat: { id: 'channel-123' } }],
		});
		expect(json(out)).toEqual([
			{ connector: 'acme_wa', line: 1, externalChatId: 'channel-123', externalMessageIds: ['ext-msg-1007'], bitrixChatId: 1767, bitrixMessageId: 9001, delivered: true },
		]);
	});

	test('Mark Delivered packs several items into one MESSAGES array; date defaults to now', async () => {
		const { bodies } = record('imconnector.send.status.delivery', () => ({ result: { SUCCESS: true, DATA: [] } }));
		const out = await run(
			{ resource: 'message', operation: 'markDelivered', ...target, bitrixChatId: 1767, bitrixMessageId: '={{ 100 + $json.i }}', externalMessageIds: '={{ "a" + $json.i + ", b" + $json.i }}', externalChatId: 'c' },
			{ items: makeItems(3) },
		);
		const messages = bodies[0].MESSAGES as IDataObject[];
		expect(messages.map((m) => [(m.im as IDataObject).message_id, (m.message as IDataObject).id])).toEqual([
			[100, ['a0', 'b0']],
			[101, ['a1', 'b1']],
			[102, ['a2', 'b2']],
		]);
		expect(typeof (messages[0].message as IDataObject).date).toBe('number');
		expect(json(out).map((j) => j.bitrixMessageId)).toEqual([100, 101, 102]);
	});

	test('Mark Read sends imconnector.send.status.reading without a date', async () => {
		const { bodies } = record('imconnector.send.status.reading', () => ({ result: { SUCCESS: true, DATA: [] } }));
		const out = await run({ resource: 'message', operation: 'markRead', ...target, bitrixChatId: 1767, bitrixMessageId: 9001, externalMessageIds: 'x1', externalChatId: 'channel-123' });
		expect(bodies[0]).toEqual({
			CONNECTOR: 'acme_wa',
			LINE: 1,
			MESSAGES: [{ im: { chat_id: 1767, message_id: 9001 }, message: { id: ['x1'] }, chat: { id: 'channel-123' } }],
		});
		expect(json(out)[0]).toMatchObject({ read: true });
	});

	test('Mark Delivered without Bitrix ids or external ids fails before any request', async () => {
		const trap = trapAnyRequest();
		const base = { resource: 'message', operation: 'markDelivered', ...target, bitrixChatId: 1, bitrixMessageId: 2, externalMessageIds: 'x', externalChatId: 'c' };
		expect((await run({ ...base, bitrixMessageId: 0 })).error?.message).toMatch(/"Bitrix24 Message ID"/);
		expect((await run({ ...base, externalMessageIds: ' , ' })).error?.message).toMatch(/"External Message IDs" must list at least one/);
		expect(trap.isDone()).toBe(false);
	});
});
