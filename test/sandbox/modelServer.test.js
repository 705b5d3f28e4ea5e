'use strict';
// The local OpenAI-compatible model (sandbox/model): the scripted replies an AI Agent gets, over real HTTP.
const { startModelServer } = require('../../sandbox/model/server');

const tools = [
	{ type: 'function', function: { name: 'Hand_off_to_a_person', description: 'Passes the chat to a person', parameters: { type: 'object', properties: {} } } },
	{
		type: 'function',
		function: {
			name: 'Record_refund',
			description: 'Records a refund',
			parameters: { type: 'object', properties: { toolParameters: { type: 'object', properties: { Amount: { type: 'number' }, Reason: { type: 'string' } } }, hitlParameters: { type: 'object', properties: {} } } },
		},
	},
];

describe('local model server', () => {
	let model;
	beforeAll(async () => {
		model = await startModelServer({ apiKey: 'k' });
	});
	afterAll(() => model.close());

	const ask = async (messages, extra = {}) => {
		const res = await fetch(`${model.url}/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'x', messages, tools, ...extra }) });
		return { status: res.status, body: extra.stream ? await res.text() : await res.json() };
	};

	test('lists its model and refuses a wrong key', async () => {
		const list = await (await fetch(`${model.url}/models`, { headers: { authorization: 'Bearer k' } })).json();
		expect(list.data.map((m) => m.id)).toEqual(['local-scripted']);
		expect((await fetch(`${model.url}/models`, { headers: { authorization: 'Bearer no' } })).status).toBe(401);
	});

	test('answers a question from its FAQ', async () => {
		const { body } = await ask([{ role: 'system', content: 's' }, { role: 'user', content: 'When are you open?' }]);
		expect(body.choices[0].message.content).toMatch(/Monday to Friday/);
		expect(body.choices[0].finish_reason).toBe('stop');
	});

	test('calls the hand-off tool when the customer asks for a person, then answers nothing', async () => {
		const first = await ask([{ role: 'user', content: 'I want to talk to a person' }]);
		const call = first.body.choices[0].message.tool_calls[0];
		expect(call.function.name).toBe('Hand_off_to_a_person');
		const after = await ask([
			{ role: 'user', content: 'I want to talk to a person' },
			{ role: 'assistant', content: null, tool_calls: [call] },
			{ role: 'tool', tool_call_id: call.id, content: '[{"result":true}]' },
		]);
		expect(after.body.choices[0].message.content).toBe('');
	});

	test('calls the refund tool with arguments from its schema, then confirms or reports the refusal', async () => {
		const first = await ask([{ role: 'user', content: 'Please refund my order' }]);
		const call = first.body.choices[0].message.tool_calls[0];
		expect(call.function.name).toBe('Record_refund');
		expect(JSON.parse(call.function.arguments)).toEqual({ toolParameters: { Amount: 25, Reason: 'Please refund my order' }, hitlParameters: {} });
		const convo = (result) => [{ role: 'user', content: 'Please refund my order' }, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: call.id, content: result }];
		expect((await ask(convo('[{"ok":true}]'))).body.choices[0].message.content).toMatch(/approved by a manager/);
		expect((await ask(convo('User rejected the tool call'))).body.choices[0].message.content).toMatch(/did not approve/);
		expect(model.toolCalls(/refund/i).length).toBeGreaterThanOrEqual(1);
	});

	test('streams the same reply as server-sent events', async () => {
		const { body } = await ask([{ role: 'user', content: 'How long is delivery?' }], { stream: true });
		const events = body.split('\n\n').filter(Boolean);
		expect(events[events.length - 1]).toBe('data: [DONE]');
		const text = events.slice(0, -1).map((e) => JSON.parse(e.slice(6)).choices[0].delta.content || '').join('');
		expect(text).toMatch(/2 to 4 working days/);
	});
});
