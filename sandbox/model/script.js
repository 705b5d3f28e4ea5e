'use strict';
/**
 * The scripted "brain" of the local model: a pure function from an OpenAI chat request (messages + tools) to the
 * assistant's next message. Deterministic: the same conversation always gives the same answer.
 *
 * Rules, on the last message of the request:
 * - a tool result → a final answer that says what the tool did (hand-off: an empty answer, the person has the chat;
 *   an approved/declined refund: the confirmation or the refusal; a tool error: the error, in words);
 * - a customer asking for a person (person, human, operator, manager, agent) → a call of the hand-off tool;
 * - a customer asking for a refund → a call of the refund tool (the one the manager approves);
 * - a customer saying thanks → a call of the reaction tool ("like"), then "You are welcome!";
 * - any other question → an answer from a small FAQ (with a long answer when the customer asks for "everything").
 * Tools are found by their names/descriptions (hand off / transfer / operator; refund), so the workflow's node names
 * may change; their arguments are filled from the tool's JSON schema.
 */

const FAQ = [
	[/hour|open|close/i, 'We are open Monday to Friday, 9:00 to 18:00.'],
	[/deliver|shipping/i, 'Delivery takes 2 to 4 working days.'],
	[/price|cost/i, 'The basic plan costs 10 EUR a month.'],
];
const DEFAULT_ANSWER = 'I can help with opening hours, delivery, prices and refunds.';

const wantsPerson = (text) => /\b(person|human|operator|manager|somebody real|real agent)\b/i.test(text);
const wantsRefund = (text) => /\brefund\b/i.test(text);
const wantsEverything = (text) => /\beverything\b/i.test(text);
const saysThanks = (text) => /\bthank(s| you)\b/i.test(text);

function toolText(tool) {
	const f = tool.function || tool;
	return `${f.name} ${f.description || ''}`;
}

function findTool(tools, pattern) {
	return (tools || []).find((t) => pattern.test(toolText(t)));
}

const HANDOFF = /hand[_ ]?off|hand_over|transfer|operator|to_a_person|human/i;
const REFUND = /refund/i;
const REACT = /^react|reaction/i;

/** A value for one schema property, by its name and type (the "model's" reading of the hint). */
function valueFor(name, schema, context) {
	const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
	if (schema.enum && schema.enum.length) return schema.enum[0];
	if (type === 'object') return fill(schema, context);
	if (type === 'array') return [];
	if (type === 'number' || type === 'integer') return /amount|sum/i.test(name) ? context.amount : 1;
	if (type === 'boolean') return false;
	if (/amount|sum/i.test(name)) return String(context.amount);
	if (/order/i.test(name)) return context.order;
	if (/reason|comment|note|why/i.test(name)) return context.reason;
	return context.text;
}

/** Arguments for a tool call: every property of the tool's parameters schema that is required or known. */
function fill(schema, context) {
	const out = {};
	const props = (schema && schema.properties) || {};
	for (const [name, prop] of Object.entries(props)) out[name] = valueFor(name, prop || {}, context);
	return out;
}

function contentOf(message) {
	if (!message) return '';
	if (typeof message.content === 'string') return message.content;
	if (Array.isArray(message.content)) return message.content.map((p) => (typeof p === 'string' ? p : p.text || '')).join('');
	return '';
}

function lastUserText(messages) {
	for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return contentOf(messages[i]);
	return '';
}

/** The tool call the assistant message before `index` made for the tool result at `index`. */
function callOf(messages, index) {
	const id = messages[index].tool_call_id;
	for (let i = index - 1; i >= 0; i--) {
		const calls = messages[i].tool_calls || [];
		const call = calls.find((c) => c.id === id);
		if (call) return call;
	}
	return undefined;
}

function answerAfterTool(messages) {
	const index = messages.length - 1;
	const result = contentOf(messages[index]);
	const call = callOf(messages, index);
	const name = call ? call.function.name : '';
	const failed = /"error"|^error/i.test(result);
	const declined = /not approved|disapprov|declined|rejected|denied|"approved":\s*false/i.test(result);
	if (HANDOFF.test(name) && !REFUND.test(name)) {
		if (failed) return { content: `Sorry, I could not reach a colleague: ${result.slice(0, 300)}` };
		return { content: '' };
	}
	if (REFUND.test(name)) {
		if (declined) return { content: 'The manager did not approve the refund, so I cannot issue it.' };
		if (failed) return { content: `The refund could not be recorded: ${result.slice(0, 300)}` };
		return { content: 'Your refund has been approved by a manager and is on its way.' };
	}
	if (failed) return { content: `Something went wrong: ${result.slice(0, 300)}` };
	if (REACT.test(name)) return { content: 'You are welcome!' };
	return { content: 'Done.' };
}

/**
 * The assistant's next message for a chat-completions request: `{ content }` or `{ tool_calls: [{ name, arguments }] }`.
 */
function nextMessage(request) {
	const messages = request.messages || [];
	const last = messages[messages.length - 1] || {};
	if (last.role === 'tool') return answerAfterTool(messages);
	const text = lastUserText(messages);
	const context = { text: 'The customer asked for it.', amount: 25, order: 'A-1001', reason: text.slice(0, 200) || 'customer request' };
	if (wantsPerson(text)) {
		const tool = findTool(request.tools, HANDOFF);
		if (tool) return { tool_calls: [{ name: (tool.function || tool).name, arguments: fill((tool.function || tool).parameters, { ...context, text: 'I am passing you to a colleague now.' }) }] };
	}
	if (wantsRefund(text)) {
		const tool = findTool(request.tools, REFUND);
		if (tool) return { tool_calls: [{ name: (tool.function || tool).name, arguments: fill((tool.function || tool).parameters, { ...context, text: `Refund of ${context.amount} EUR for order ${context.order}` }) }] };
	}
	if (saysThanks(text)) {
		const tool = findTool(request.tools, REACT);
		if (tool) return { tool_calls: [{ name: (tool.function || tool).name, arguments: fill((tool.function || tool).parameters, { ...context, text: 'like' }) }] };
	}
	if (wantsEverything(text)) return { content: FAQ.map(([, a]) => a).join(' ').concat(' ', 'More details follow. '.repeat(1500)).trim() };
	const hit = FAQ.find(([pattern]) => pattern.test(text));
	return { content: hit ? hit[1] : DEFAULT_ANSWER };
}

module.exports = { nextMessage, findTool, fill, HANDOFF, REFUND, REACT };
