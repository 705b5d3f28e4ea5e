/* Line → Create / Update / Delete / Get Contact Center Address / Get API Revision (imopenlines.config.*, revision.get). */
import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { json, rl, run } from './helpers';

useNock();

describe('Line → Create (imopenlines.config.add)', () => {
	test('LINE_NAME plus the named settings go under PARAMS; Other Settings (JSON) are merged under them; output {lineId}', async () => {
		const { calls } = portal({ 'imopenlines.config.add': 15 });
		const out = await run({
			resource: 'line',
			operation: 'create',
			lineName: ' VIP Support ',
			lineSettings: {
				active: true,
				queueUserIds: '1, 5',
				queueType: 'strictly',
				welcomeBotEnable: true,
				welcomeBotId: '39',
				welcomeBotJoin: 'first',
				worktimeEnable: true,
				worktimeFrom: '9:00',
				worktimeTo: '18:30',
				worktimeDayoff: ['SA', 'SU'],
				languageId: 'DE',
				otherSettings: '{"VOTE_MESSAGE": "Y", "LINE_NAME": "ignored"}',
			},
		});
		expect(out.error).toBeUndefined();
		expect(calls.map((c) => c.method)).toEqual(['imopenlines.config.add']);
		expect(calls[0].body).toEqual({
			PARAMS: {
				VOTE_MESSAGE: 'Y',
				LINE_NAME: 'VIP Support',
				ACTIVE: 'Y',
				QUEUE: [
					{ ENTITY_TYPE: 'user', ENTITY_ID: '1' },
					{ ENTITY_TYPE: 'user', ENTITY_ID: '5' },
				],
				QUEUE_TYPE: 'strictly',
				WELCOME_BOT_ENABLE: 'Y',
				WELCOME_BOT_ID: 39,
				WELCOME_BOT_JOIN: 'first',
				WORKTIME_ENABLE: 'Y',
				WORKTIME_FROM: '9:00',
				WORKTIME_TO: '18:30',
				WORKTIME_DAYOFF: ['SA', 'SU'],
				LANGUAGE_ID: 'de',
			},
		});
		expect(json(out)).toEqual([{ lineId: 15, lineName: 'VIP Support' }]);
	});

	test.each([
		[{ lineName: '={{ "" }}' }, /"Line Name" is required/],
		[{ lineName: 'L', lineSettings: { queueUserIds: '1, x' } }, /"Settings → Queue User IDs" must be a comma-separated list of positive whole numbers/],
		[{ lineName: 'L', lineSettings: { worktimeFrom: '25:00' } }, /"Settings → Working Hours From" must be a time HH:MM/],
		[{ lineName: 'L', lineSettings: { welcomeBotId: '0' } }, /"Settings → Welcome Bot ID" must be a whole number of at least 1/],
		[{ lineName: 'L', lineSettings: { languageId: 'german' } }, /two-letter language code/],
		[{ lineName: 'L', lineSettings: { otherSettings: '{"vote": "Y"}' } }, /keys must be upper-case Bitrix24 setting names/],
		[{ lineName: 'L', lineSettings: { otherSettings: '[1]' } }, /must be a JSON object/],
		[{ lineName: 'L', lineSettings: { queueType: 'random' } }, /"Settings → Queue Type" must be one of: all, evenly, strictly|must be one of/],
	])('bad input %j is refused before sending', async (parameters, message) => {
		const { calls } = portal();
		const out = await run({ resource: 'line', operation: 'create', ...parameters });
		expect(out.error?.message).toMatch(message);
		expect(calls).toHaveLength(0);
	});
});

describe('Line → Update (imopenlines.config.update)', () => {
	test('CONFIG_ID + only the given PARAMS; output names what changed', async () => {
		const { calls } = portal({ 'imopenlines.config.update': true });
		const out = await run({ resource: 'line', operation: 'update', line: rl(3), lineSettings: { lineName: 'Renamed', active: false, maxChat: 5 } });
		expect(calls[0].body).toEqual({ CONFIG_ID: 3, PARAMS: { LINE_NAME: 'Renamed', ACTIVE: 'N', MAX_CHAT: 5 } });
		expect(json(out)).toEqual([{ lineId: 3, updated: true, changed: ['LINE_NAME', 'ACTIVE', 'MAX_CHAT'] }]);
	});

	test('nothing to update is refused; false is LINE_NOT_FOUND', async () => {
		const { calls } = portal({ 'imopenlines.config.update': false });
		expect((await run({ resource: 'line', operation: 'update', line: rl(3), lineSettings: {} })).error?.message).toMatch(/Nothing to update/);
		expect(calls).toHaveLength(0);
		const out = await run({ resource: 'line', operation: 'update', line: rl(99), lineSettings: { active: true } }, { continueOnFail: true });
		expect(json(out)).toEqual([{ error: expect.stringMatching(/Line 99 was not found/), code: 'LINE_NOT_FOUND' }]);
	});
});

describe('Line → Delete / Get Contact Center Address / Get API Revision', () => {
	test('delete sends CONFIG_ID; true → {deleted}; false → LINE_NOT_FOUND; a bad ID is refused', async () => {
		const { calls } = portal({ 'imopenlines.config.delete': (body: { CONFIG_ID: number }) => body.CONFIG_ID === 3 });
		expect(json(await run({ resource: 'line', operation: 'delete', line: rl(3) }))).toEqual([{ lineId: 3, deleted: true }]);
		expect((await run({ resource: 'line', operation: 'delete', line: rl(4) })).error?.message).toMatch(/LINE_NOT_FOUND|Line 4 was not found/);
		expect((await run({ resource: 'line', operation: 'delete', line: rl('={{ "x" }}') })).error?.message).toMatch(/"Line" must be a whole number/);
		expect(calls.map((c) => c.body)).toEqual([{ CONFIG_ID: 3 }, { CONFIG_ID: 4 }]);
	});

	test('path.get and revision.get take no params; the address is joined into url', async () => {
		const { calls } = portal({
			'imopenlines.config.path.get': { SERVER_ADDRESS: 'https://acme.bitrix24.com/', PUBLIC_PATH: '/contact_center/' },
			'imopenlines.revision.get': { rest: 2, web: 1, mobile: 1 },
		});
		expect(json(await run({ resource: 'line', operation: 'getPath' }))).toEqual([
			{ serverAddress: 'https://acme.bitrix24.com/', publicPath: '/contact_center/', url: 'https://acme.bitrix24.com/contact_center/' },
		]);
		expect(json(await run({ resource: 'line', operation: 'getRevision' }))).toEqual([{ rest: 2, web: 1, mobile: 1 }]);
		expect(calls.map((c) => [c.method, c.body])).toEqual([
			['imopenlines.config.path.get', {}],
			['imopenlines.revision.get', {}],
		]);
	});
});
