'use strict';
const { start, hook } = require('./helpers');

let sb;
beforeEach(async () => {
	sb = await start();
});
afterEach(() => sb.stop());

describe('imopenlines.config.*', () => {
	test('seeded line 1 "Sandbox line", active; get returns documented string fields', async () => {
		const r = await hook(sb, 'imopenlines.config.get', { CONFIG_ID: 1 });
		expect(r.body.result).toMatchObject({ ID: '1', LINE_NAME: 'Sandbox line', ACTIVE: 'Y', QUEUE_TYPE: 'evenly', CRM: 'Y' });
		expect(r.body.result.QUEUE_FULL).toBeDefined();
		expect((await hook(sb, 'imopenlines.config.get', { CONFIG_ID: 99 })).body.result).toBe(false);
		const e = await hook(sb, 'imopenlines.config.get', {});
		expect(e.status).toBe(400);
		expect(e.body.error).toBe('CONFIG_ID_EMPTY');
	});

	test('add returns the new id; update and delete return true / false', async () => {
		const id = (await hook(sb, 'imopenlines.config.add', { PARAMS: { LINE_NAME: 'Second', ACTIVE: 'N', QUEUE: [{ ENTITY_TYPE: 'user', ENTITY_ID: '2' }] } })).body.result;
		expect(Number.isInteger(id)).toBe(true);
		expect((await hook(sb, 'imopenlines.config.get', { CONFIG_ID: id })).body.result).toMatchObject({ LINE_NAME: 'Second', ACTIVE: 'N', QUEUE: [2] });
		expect((await hook(sb, 'imopenlines.config.update', { CONFIG_ID: id, PARAMS: { LINE_NAME: 'Renamed' } })).body.result).toBe(true);
		expect((await hook(sb, 'imopenlines.config.get', { CONFIG_ID: id })).body.result.LINE_NAME).toBe('Renamed');
		expect((await hook(sb, 'imopenlines.config.update', { CONFIG_ID: 999, PARAMS: {} })).body.result).toBe(false);
		expect((await hook(sb, 'imopenlines.config.delete', { CONFIG_ID: id })).body.result).toBe(true);
		expect((await hook(sb, 'imopenlines.config.delete', { CONFIG_ID: id })).body.result).toBe(false);
		expect((await hook(sb, 'imopenlines.config.delete', {})).body.error).toBe('CONFIG_ID_EMPTY');
	});

	test('list.get: PARAMS.limit / offset, total, filter, order, select; INVALID_FORMAT', async () => {
		for (let i = 0; i < 4; i++) await hook(sb, 'imopenlines.config.add', { PARAMS: { LINE_NAME: `L${i}`, ACTIVE: i % 2 ? 'Y' : 'N' } });
		let r = await hook(sb, 'imopenlines.config.list.get', { PARAMS: { limit: 2, offset: 1, select: ['ID'] } });
		expect(r.body.result).toEqual([{ ID: '2' }, { ID: '3' }]);
		expect(r.body.total).toBe(5);
		r = await hook(sb, 'imopenlines.config.list.get', { PARAMS: { filter: { ACTIVE: 'Y' }, order: { ID: 'DESC' }, select: ['ID', 'ACTIVE'] } });
		expect(r.body.result.map((x) => x.ID)).toEqual(['5', '3', '1']);
		r = await hook(sb, 'imopenlines.config.list.get', { PARAMS: { limit: -1 } });
		expect(r.status).toBe(400);
		expect(r.body.error).toBe('INVALID_FORMAT');
		expect((await hook(sb, 'imopenlines.config.list.get', { PARAMS: { select: ['QUEUE'] } })).body.error).toBe('INVALID_FORMAT');
		expect((await hook(sb, 'imopenlines.config.list.get', { PARAMS: { bogus: 1 } })).body.error).toBe('INVALID_FORMAT');
		r = await hook(sb, 'imopenlines.config.list.get', { PARAMS: { select: ['ID'], limit: 1 }, OPTIONS: { QUEUE: 'Y' } });
		expect(r.body.result[0]).toMatchObject({ ID: '1', QUEUE: [1] });
		expect(r.body.result[0].QUEUE_USERS_FIELDS['1'].USER_NAME).toBe('Anna Admin');
	});

	test('config.path.get and revision.get', async () => {
		expect((await hook(sb, 'imopenlines.config.path.get')).body.result).toEqual({ SERVER_ADDRESS: sb.url, PUBLIC_PATH: '/contact_center/' });
		expect((await hook(sb, 'imopenlines.revision.get')).body.result).toEqual({ rest: 2, web: 1, mobile: 1 });
	});
});
