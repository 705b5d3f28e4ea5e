/* The operation model's composite ("choice") fields: a switch whose cases carry their own fields, read only when their
 * case is chosen, checked like any field, and combined by the switch's combiner — no field reads its siblings. */
import nock from 'nock';
import type { INodeProperties } from 'n8n-workflow';

import { buildOperationProperties, encoders, FieldError } from '../../../nodes/Bitrix24/operations';
import type { CaseValues, ResourceSpec } from '../../../nodes/Bitrix24/operations';
import { makeItems, runNode, WEBHOOK_BASE, WEBHOOK_PATH } from '../../helpers/runNode';
import { specNode } from '../../helpers/specNode';

const combined: Array<{ choice: string; values: CaseValues }> = [];

const resources: ResourceSpec[] = [
	{
		value: 'message',
		name: 'Message',
		operations: [
			{
				value: 'send',
				name: 'Send',
				action: 'Send a message',
				description: 'Send a message as the bot.',
				method: 'imbot.message.add',
				fields: [
					{
						property: {
							displayName: 'Send To',
							name: 'target',
							type: 'options',
							default: 'dialog',
							options: [
								{ name: 'Dialog', value: 'dialog' },
								{ name: 'Users', value: 'users' },
							],
						},
						cases: {
							dialog: [{ property: { displayName: 'Dialog ID', name: 'dialogId', type: 'string', default: '', required: true }, param: 'DIALOG_ID' }],
							users: [
								{ property: { displayName: 'From User ID', name: 'fromUserId', type: 'string', default: '', required: true }, param: 'FROM_USER_ID', encode: encoders.positiveInteger },
								{ property: { displayName: 'To User ID', name: 'toUserId', type: 'string', default: '', required: true }, param: 'TO_USER_ID', encode: encoders.positiveInteger },
							],
						},
					},
					{ property: { displayName: 'Text', name: 'text', type: 'string', default: '' }, param: 'MESSAGE' },
					{
						property: {
							displayName: 'Keyboard',
							name: 'keyboardSource',
							type: 'options',
							default: 'none',
							options: [
								{ name: 'Built', value: 'builder' },
								{ name: 'None', value: 'none' },
								{ name: 'Remove', value: 'remove' },
							],
						},
						param: 'KEYBOARD',
						cases: {
							builder: [
								{ property: { displayName: 'Button Text', name: 'buttonText', type: 'string', default: '', required: true }, encode: encoders.trimmed },
								{ property: { displayName: 'Button Width', name: 'buttonWidth', type: 'number', default: 100, typeOptions: { minValue: 1 } } },
								{
									property: {
										displayName: 'Button Kind',
										name: 'buttonKind',
										type: 'options',
										default: 'text',
										options: [
											{ name: 'Link', value: 'link' },
											{ name: 'Text', value: 'text' },
										],
									},
								},
								{
									property: {
										displayName: 'Button Link',
										name: 'buttonLink',
										type: 'string',
										default: '',
										displayOptions: { show: { buttonKind: ['link'] } },
									},
								},
							],
							none: [],
							remove: [],
						},
						combine: (choice, values) => {
							combined.push({ choice, values: { ...values } });
							if (choice === 'remove') return 'N';
							if (choice !== 'builder') return undefined;
							if (values.buttonText === 'boom') throw new FieldError('needs a button that is not "boom"');
							return { BUTTONS: [{ TEXT: values.buttonText, WIDTH: values.buttonWidth }] };
						},
					},
				],
				output: (result) => ({ messageId: result as number }),
			},
		],
	},
];

const node = specNode(resources);
const base = { authentication: 'webhook', resource: 'message', operation: 'send', text: 'hi' };

function capture(): { bodies: Array<Record<string, unknown>> } {
	const bodies: Array<Record<string, unknown>> = [];
	nock(WEBHOOK_BASE)
		.persist()
		.post(/.*/)
		.reply(200, (_uri, body) => {
			bodies.push(body as Record<string, unknown>);
			return { result: 7 };
		});
	return { bodies };
}

beforeEach(() => {
	combined.length = 0;
});
afterEach(() => nock.cleanAll());

describe('choice fields: properties', () => {
	const properties = buildOperationProperties(resources);
	const byName = (name: string) => properties.find((p) => p.name === name) as INodeProperties;

	test('each case field is shown only for its case, on top of its resource and operation', () => {
		expect(byName('dialogId').displayOptions?.show).toEqual({ resource: ['message'], operation: ['send'], target: ['dialog'] });
		expect(byName('fromUserId').displayOptions?.show).toEqual({ resource: ['message'], operation: ['send'], target: ['users'] });
		expect(byName('buttonText').displayOptions?.show).toEqual({ resource: ['message'], operation: ['send'], keyboardSource: ['builder'] });
	});

	test("a case field keeps its own displayOptions beside the case's", () => {
		expect(byName('buttonLink').displayOptions?.show).toEqual({
			resource: ['message'],
			operation: ['send'],
			keyboardSource: ['builder'],
			buttonKind: ['link'],
		});
	});

	test('the switch comes before its case fields, each emitted once', () => {
		const names = properties.map((p) => p.name);
		expect(names.indexOf('target')).toBeLessThan(names.indexOf('dialogId'));
		expect(names.filter((n) => n === 'dialogId')).toHaveLength(1);
	});
});

describe('choice fields: values', () => {
	test("the chosen case's fields carry their own params; the other case's are not read", async () => {
		const { bodies } = capture();
		const out = await runNode(node, { parameters: { ...base, target: 'users', fromUserId: '3', toUserId: '4', dialogId: 'chat9' } });
		expect(out.error).toBeUndefined();
		expect(bodies[0]).toMatchObject({ FROM_USER_ID: 3, TO_USER_ID: 4, MESSAGE: 'hi' });
		expect(bodies[0]).not.toHaveProperty('DIALOG_ID');
	});

	test('a required field of the chosen case is required, naming it, before any request', async () => {
		const { bodies } = capture();
		const out = await runNode(node, { parameters: { ...base, target: 'users', fromUserId: '3', toUserId: '={{ "" }}' } });
		expect(out.error?.message).toBe('"To User ID" is required.');
		expect(bodies).toHaveLength(0);
	});

	test("a case field's encoder and type checks run before the combiner", async () => {
		const { bodies } = capture();
		const bad = await runNode(node, { parameters: { ...base, dialogId: '27', target: 'users', fromUserId: 'x', toUserId: '4' } });
		expect(bad.error?.message).toMatch(/^"From User ID" must be a whole number of at least 1/);
		const tooSmall = await runNode(node, { parameters: { ...base, dialogId: '27', keyboardSource: 'builder', buttonText: 'Go', buttonWidth: '={{ 0 }}' } });
		expect(tooSmall.error?.message).toMatch(/^"Button Width" must be at least 1/);
		expect(bodies).toHaveLength(0);
		expect(combined).toHaveLength(0);
	});

	test('the combiner receives the chosen case and its fields resolved per item, encoded, hidden ones left out', async () => {
		const { bodies } = capture();
		const out = await runNode(node, {
			parameters: { ...base, dialogId: '27', keyboardSource: 'builder', buttonText: '={{ "  Go " + $json.i }}', buttonLink: 'https://x.test' },
			items: makeItems(2),
		});
		expect(out.error?.message ?? '').not.toMatch(/Button|Keyboard/);
		expect(combined).toEqual([
			{ choice: 'builder', values: { buttonText: 'Go 0', buttonWidth: 100, buttonKind: 'text' } },
			{ choice: 'builder', values: { buttonText: 'Go 1', buttonWidth: 100, buttonKind: 'text' } },
		]);
		expect(bodies).toHaveLength(1);
	});

	test('a case without fields still reaches the combiner; undefined sends nothing', async () => {
		const { bodies } = capture();
		await runNode(node, { parameters: { ...base, dialogId: '27', keyboardSource: 'remove' } });
		await runNode(node, { parameters: { ...base, dialogId: '27', keyboardSource: 'none' } });
		expect(combined.map((c) => c.choice)).toEqual(['remove', 'none']);
		expect(bodies[0].KEYBOARD).toBe('N');
		expect(bodies[1]).not.toHaveProperty('KEYBOARD');
	});

	test("a combiner's FieldError names the switch", async () => {
		const { bodies } = capture();
		const out = await runNode(node, { parameters: { ...base, dialogId: '27', keyboardSource: 'builder', buttonText: 'boom' } });
		expect(out.error?.message).toBe('"Keyboard" needs a button that is not "boom".');
		expect(bodies).toHaveLength(0);
	});
});

describe('text fields refuse objects and arrays from expressions', () => {
	test.each([
		['an object', '={{ { a: 1, b: [2] } }}', /^"Text" must be text, not an object \(got \{"a":1,"b":\[2\]\}\)/],
		['an array', '={{ [1, 2] }}', /^"Text" must be text, not an array/],
	])('%s is refused before sending, naming the field', async (_what, text, message) => {
		const { bodies } = capture();
		const out = await runNode(node, { parameters: { ...base, dialogId: '27', text } });
		expect(out.error?.message).toMatch(message);
		expect(bodies).toHaveLength(0);
	});

	test('a circular object gives a field error, not a stack overflow', async () => {
		const { bodies } = capture();
		const out = await runNode(node, {
			parameters: { ...base, dialogId: '27', text: '={{ (() => { const o = { a: 1 }; o.self = o; return o; })() }}' },
		});
		expect(out.error?.message).toMatch(/^"Text" must be text, not an object \(got an object that cannot be written as JSON/);
		expect(bodies).toHaveLength(0);
	});
});
