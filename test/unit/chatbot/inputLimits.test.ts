/* Bad input is refused before anything is sent, naming the field (issue 23, point 9): Limit, IDs, text lengths. */
import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { rl } from './harness';
import { runV2 } from './v2harness';
import { V2_MESSAGE_MAX_CHARS } from '../../../nodes/Bitrix24Chatbot/v2/fields/common';
import { TEXT_MAX_CHARS } from '../../../nodes/Bitrix24/operations/validators';

useNock();

const bot = { botId: rl(456) };
const listBots = { 'imbot.v2.Bot.list': { bots: [{ id: 1 }], users: [], hasNextPage: false } };

describe('Limit', () => {
	test.each([
		['an object', '={{ { a: 1 } }}'],
		['an array', '={{ [5] }}'],
		['NaN', '={{ NaN }}'],
		['a negative number', -3],
		['zero', 0],
		['a fraction', 2.5],
		['a huge number as text', '9'.repeat(400)],
		['1e21', '={{ 1e21 }}'],
		['text', 'fifty'],
		['a circular object', '={{ (() => { const o = { a: 1 }; o.self = o; return o; })() }}'],
	])('%s is refused before sending, naming "Limit"', async (_what, value) => {
		const { calls } = portal(listBots);
		const out = await runV2({ resource: 'bot', operation: 'getAll', returnAll: false, limit: value });
		expect(out.error?.message).toMatch(/^"Limit" /);
		expect(out.error?.message).not.toMatch(/REQUEST_FAILED|call stack/);
		expect(calls).toHaveLength(0);
	});

	test('a whole number within the cap is sent as it is', async () => {
		const { calls } = portal(listBots);
		const out = await runV2({ resource: 'bot', operation: 'getAll', returnAll: false, limit: '12' });
		expect(out.error).toBeUndefined();
		expect(calls[0].body).toMatchObject({ limit: 12 });
	});

	test('Continue On Fail: the bad item gets its error, the good one its rows', async () => {
		const { calls } = portal(listBots);
		const out = await runV2(
			{ resource: 'bot', operation: 'getAll', returnAll: false, limit: '={{ $json.limit }}' },
			{ items: [{ json: { limit: -1 } }, { json: { limit: 3 } }], continueOnFail: true },
		);
		expect(out.items.map((item) => item.json.error ?? 'ok')).toEqual([expect.stringMatching(/^"Limit" /), 'ok']);
		expect(calls).toHaveLength(1);
	});
});

describe('IDs', () => {
	test.each([
		['1e21', '1e21'],
		['a number past 2^53', '9007199254740993'],
		['1e3 (not written as digits)', '1e3'],
		['hex', '0x10'],
	])('%s is not an ID', async (_what, value) => {
		const { calls } = portal();
		const out = await runV2({ resource: 'message', operation: 'delete', ...bot, messageId: value });
		expect(out.error?.message).toMatch(/^"Message ID" must be a whole number/);
		expect(calls).toHaveLength(0);
	});
});

describe('text lengths', () => {
	test('a 2 MB chat title is refused, naming "Title" and the cap', async () => {
		const { calls } = portal();
		const out = await runV2({ resource: 'chat', operation: 'create', ...bot, title: 'x'.repeat(2 * 1024 * 1024) });
		expect(out.error?.message).toMatch(new RegExp(`^"Title" is longer than ${TEXT_MAX_CHARS.toLocaleString('en-US')} characters`));
		expect(calls).toHaveLength(0);
	});

	test('a v2 message over the documented 20,000 characters is refused, naming "Text"', async () => {
		const { calls } = portal();
		const out = await runV2({ resource: 'message', operation: 'send', ...bot, dialogId: 'chat15', text: 'y'.repeat(V2_MESSAGE_MAX_CHARS + 1) });
		expect(out.error?.message).toMatch(/^"Text" is longer than 20,000 characters/);
		expect(calls).toHaveLength(0);
		const ok = await runV2({ resource: 'message', operation: 'send', ...bot, dialogId: 'chat15', text: 'y'.repeat(V2_MESSAGE_MAX_CHARS) });
		expect(ok.error).toBeUndefined();
	});
});
