import nock from 'nock';

import { useNock } from '../../helpers/nockPerFile';
import { json, record, rl, run, trapAnyRequest } from './helpers';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="#fff"/></svg>';
const SVG_URI = `data:image/svg+xml,${encodeURIComponent(SVG)}`;

useNock();

describe('Connector → Register (imconnector.register)', () => {
	test('sends ID, NAME, ICON (SVG text → data URI, colour, size, position), ICON_DISABLED, PLACEMENT_HANDLER and the flags', async () => {
		const { bodies, scope } = record('imconnector.register', () => ({ result: { result: true } }));
		const out = await run({
			resource: 'connector',
			operation: 'register',
			connectorId: ' Acme_WhatsApp ',
			connectorName: 'Acme WhatsApp',
			placementHandler: 'https://example.com/bitrix24/settings',
			iconSource: 'text',
			iconSvg: SVG,
			iconStyle: { color: '#69acc0', size: '90%', position: 'center' },
			iconDisabled: { svg: SVG, color: '#cccccc' },
			registerOptions: {
				chatGroup: false,
				delExternalMessages: true,
				delInternalMessages: false,
				editInternalMessages: true,
				needSignature: true,
				needSystemMessages: false,
				newsletter: false,
			},
		});
		expect(out.error).toBeUndefined();
		expect(scope.isDone()).toBe(true);
		expect(bodies[0]).toEqual({
			ID: 'acme_whatsapp',
			NAME: 'Acme WhatsApp',
			PLACEMENT_HANDLER: 'https://example.com/bitrix24/settings',
			ICON: { DATA_IMAGE: SVG_URI, COLOR: '#69acc0', SIZE: '90%', POSITION: 'center' },
			ICON_DISABLED: { DATA_IMAGE: SVG_URI, COLOR: '#cccccc' },
			CHAT_GROUP: false,
			DEL_EXTERNAL_MESSAGES: true,
			DEL_INTERNAL_MESSAGES: false,
			EDIT_INTERNAL_MESSAGES: true,
			NEED_SIGNATURE: true,
			NEED_SYSTEM_MESSAGES: false,
			NEWSLETTER: false,
		});
		expect(json(out)).toEqual([{ connector: 'acme_whatsapp', registered: true }]);
	});

	test('takes the icon from a binary property', async () => {
		const { bodies } = record('imconnector.register', () => ({ result: { result: true } }));
		const out = await run(
			{
				resource: 'connector',
				operation: 'register',
				connectorId: 'acme_sms',
				connectorName: 'Acme SMS',
				placementHandler: 'https://example.com/h',
				iconSource: 'binary',
				iconBinaryProperty: 'icon',
			},
			{ items: [{ json: {}, binary: { icon: { data: Buffer.from(SVG).toString('base64'), mimeType: 'image/svg+xml', fileName: 'i.svg' } } }] },
		);
		expect(out.error).toBeUndefined();
		expect(bodies[0]).toEqual({ ID: 'acme_sms', NAME: 'Acme SMS', PLACEMENT_HANDLER: 'https://example.com/h', ICON: { DATA_IMAGE: SVG_URI } });
	});

	test('a failure inside a 200 (result.result=false) is an error naming the Bitrix code', async () => {
		record('imconnector.register', () => ({
			result: { result: false, error: 'APPLICATION_REGISTRATION_ERROR', error_description: 'A connector with this ID is already registered by another application' },
		}));
		const params = { resource: 'connector', operation: 'register', connectorId: 'livechat', connectorName: 'X', placementHandler: 'https://e.com/h', iconSvg: SVG };
		const out = await run(params);
		expect(out.error?.message).toMatch(/imconnector\.register failed with APPLICATION_REGISTRATION_ERROR/);

		record('imconnector.register', () => ({ result: { result: false, error: 'NO_PLACEMENT_HANDLER', error_description: 'PLACEMENT_HANDLER is not specified' } }));
		const soft = await run(params, { continueOnFail: true });
		expect(soft.error).toBeUndefined();
		expect(json(soft)).toEqual([{ error: expect.stringMatching(/NO_PLACEMENT_HANDLER/), code: 'NO_PLACEMENT_HANDLER' }]);
	});

	test('a connector ID with a dot fails before any request, naming the field', async () => {
		const trap = trapAnyRequest();
		const out = await run({ resource: 'connector', operation: 'register', connectorId: 'acme.wa', connectorName: 'X', placementHandler: 'https://e.com/h', iconSvg: SVG });
		expect(out.error?.message).toMatch(/"Connector ID" must not contain a dot/);
		expect(trap.isDone()).toBe(false);
	});

	test('other bad input fails before any request: characters, icon, placement URL', async () => {
		const trap = trapAnyRequest();
		const base = { resource: 'connector', operation: 'register', connectorId: 'ok_id', connectorName: 'X', placementHandler: 'https://e.com/h', iconSvg: SVG };
		expect((await run({ ...base, connectorId: 'acme-wa' })).error?.message).toMatch(/"Connector ID" may contain only a-z, 0-9 and _/);
		// Resolving empty from an expression: a literal empty required field is refused by n8n itself ("workflow has issues").
		expect((await run({ ...base, iconSvg: '={{ "" }}' })).error?.message).toMatch(/"Icon SVG" is required/);
		expect((await run({ ...base, iconSvg: '<png>' })).error?.message).toMatch(/"Icon SVG" must be an SVG document/);
		expect((await run({ ...base, placementHandler: 'ftp://x' })).error?.message).toMatch(/"Placement Handler URL" must be an http/);
		expect((await run({ ...base, iconSource: 'binary', iconBinaryProperty: 'nope' })).error?.message).toMatch(/"Icon Binary Property" names "nope"/);
		expect(trap.isDone()).toBe(false);
	});
});

describe('Connector → Activate / Deactivate / Get Status / Get Many / Set Channel Data / Unregister', () => {
	test('Activate sends imconnector.activate with ACTIVE=1', async () => {
		const { bodies } = record('imconnector.activate', () => ({ result: true }));
		const out = await run({ resource: 'connector', operation: 'activate', connector: rl('acme_wa'), line: rl(1) });
		expect(bodies[0]).toEqual({ CONNECTOR: 'acme_wa', LINE: 1, ACTIVE: 1 });
		expect(json(out)).toEqual([{ connector: 'acme_wa', line: 1, active: true }]);
	});

	test('Deactivate sends imconnector.activate with ACTIVE=0 (there is no imconnector.deactivate)', async () => {
		const { bodies } = record('imconnector.activate', () => ({ result: true }));
		const out = await run({ resource: 'connector', operation: 'deactivate', connector: rl('acme_wa'), line: rl('3') });
		expect(bodies[0]).toEqual({ CONNECTOR: 'acme_wa', LINE: 3, ACTIVE: 0 });
		expect(json(out)).toEqual([{ connector: 'acme_wa', line: 3, active: false }]);
	});

	test('Get Status always passes LINE and maps the status fields', async () => {
		const { bodies } = record('imconnector.status', () => ({ result: { LINE: 12, CONNECTOR: 'myconnector', ERROR: false, CONFIGURED: true, STATUS: true } }));
		const out = await run({ resource: 'connector', operation: 'getStatus', connector: rl('myconnector'), line: rl(12) });
		expect(bodies[0]).toEqual({ CONNECTOR: 'myconnector', LINE: 12 });
		expect(json(out)).toEqual([{ connector: 'myconnector', line: 12, configured: true, status: true, error: false }]);
	});

	test('Get Many lists imconnector.list as {id, name} rows, with Limit', async () => {
		const result = { livechat: 'Live Chat', telegrambot: 'Telegram', network: 'Bitrix24.Network', myconnector: 'My Connector' };
		const { bodies } = record('imconnector.list', () => ({ result }), 2);
		const all = await run({ resource: 'connector', operation: 'getAll', returnAll: true });
		expect(bodies[0] || {}).toEqual({});
		expect(json(all)).toEqual([
			{ id: 'livechat', name: 'Live Chat' },
			{ id: 'telegrambot', name: 'Telegram' },
			{ id: 'network', name: 'Bitrix24.Network' },
			{ id: 'myconnector', name: 'My Connector' },
		]);
		const two = await run({ resource: 'connector', operation: 'getAll', returnAll: false, limit: 2 });
		expect(json(two)).toHaveLength(2);
	});

	test('Set Channel Data sends DATA {ID, URL, NAME} as in the docs example', async () => {
		const { bodies } = record('imconnector.connector.data.set', () => ({ result: true }));
		const out = await run({
			resource: 'connector',
			operation: 'setChannelData',
			connector: rl('myconnector'),
			line: rl(12),
			channelId: 'myconnector_line12',
			channelUrl: 'https://example.com/chat',
			channelName: 'My channel',
		});
		expect(bodies[0]).toEqual({ CONNECTOR: 'myconnector', LINE: 12, DATA: { ID: 'myconnector_line12', URL: 'https://example.com/chat', NAME: 'My channel' } });
		expect(json(out)).toEqual([
			{ connector: 'myconnector', line: 12, channel: { ID: 'myconnector_line12', URL: 'https://example.com/chat', NAME: 'My channel' }, success: true },
		]);
	});

	test('Set Channel Data: empty channel ID sends {connector}_line{line}; URL_IM is sent when given', async () => {
		const { bodies } = record('imconnector.connector.data.set', () => ({ result: true }));
		await run({ resource: 'connector', operation: 'setChannelData', connector: rl('acme'), line: rl(4), channelUrlIm: 'https://example.com/im' });
		expect(bodies[0]).toEqual({ CONNECTOR: 'acme', LINE: 4, DATA: { ID: 'acme_line4', URL_IM: 'https://example.com/im' } });
	});

	test('Unregister sends ID; a failure inside a 200 is an error', async () => {
		const { bodies } = record('imconnector.unregister', () => ({ result: { result: true } }));
		const out = await run({ resource: 'connector', operation: 'unregister', connector: rl('acme_wa') });
		expect(bodies[0]).toEqual({ ID: 'acme_wa' });
		expect(json(out)).toEqual([{ connector: 'acme_wa', unregistered: true }]);

		record('imconnector.unregister', () => ({ result: { result: false, error: 'APPLICATION_UNREGISTRATION_ERROR', error_description: 'not registered by this application' } }));
		const failed = await run({ resource: 'connector', operation: 'unregister', connector: rl('acme_wa') });
		expect(failed.error?.message).toMatch(/imconnector\.unregister failed with APPLICATION_UNREGISTRATION_ERROR/);
	});

	test('a line that is not a number fails before any request (n8n checks "By ID" itself; this is a mapped value)', async () => {
		const trap = trapAnyRequest();
		const out = await run({ resource: 'connector', operation: 'activate', connector: rl('acme'), line: { __rl: true, mode: 'list', value: 'abc' } });
		expect(out.error?.message).toMatch(/"Line" must be a whole number/);
		expect(trap.isDone()).toBe(false);
	});
});

describe('Connector → Register options', () => {
	test("an option added in the UI starts at Bitrix24's own default (Group Chats off, the rest on)", () => {
		const { node } = require('./helpers');
		const options = (node.description.properties as Array<{ name: string; options?: Array<{ name: string; default: unknown; description?: string }> }>).find(
			(p) => p.name === 'registerOptions',
		)!.options!;
		const defaults = Object.fromEntries(options.map((o) => [o.name, o.default]));
		expect(defaults).toEqual({
			chatGroup: false,
			delExternalMessages: true,
			delInternalMessages: true,
			editInternalMessages: true,
			needSignature: true,
			needSystemMessages: true,
			newsletter: true,
		});
		for (const option of options) expect(option.description).toMatch(new RegExp(`Bitrix24 default: ${option.default ? 'on' : 'off'}$`));
	});
});
