'use strict';
/**
 * A local OpenAI-compatible model server for tests, the demo and the bench: no internet, no real model.
 * POST /v1/chat/completions (tools / tool_calls; `stream: true` answered as server-sent events), GET /v1/models.
 * Replies come from script.js (deterministic). Every request is kept in `log` (the request body, the reply, the time
 * the server took) so a test can see what the agent asked and got. Binds 127.0.0.1, port 0 by default.
 *
 *   const model = await startModelServer();  // model.url → http://127.0.0.1:<port>/v1
 *   ... point n8n's OpenAI credential (Base URL) at model.url ...
 *   await model.close();
 */
const http = require('node:http');
const { nextMessage } = require('./script');

const MODEL_ID = 'local-scripted';

function readBody(req, limit = 5 * 1024 * 1024) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > limit) {
				reject(new Error('request body too large'));
				req.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}

function send(res, status, body) {
	const text = JSON.stringify(body);
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
	res.end(text);
}

function completion(id, created, model, message, usage) {
	const toolCalls = (message.tool_calls || []).map((c, i) => ({ id: `call_${id}_${i}`, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.arguments) } }));
	return {
		id: `chatcmpl-${id}`,
		object: 'chat.completion',
		created,
		model,
		choices: [
			{
				index: 0,
				message: { role: 'assistant', content: toolCalls.length ? null : message.content, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) },
				finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
				logprobs: null,
			},
		],
		usage,
	};
}

function streamChunks(body) {
	const base = { id: body.id, object: 'chat.completion.chunk', created: body.created, model: body.model };
	const choice = body.choices[0];
	const chunks = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }];
	if (choice.message.tool_calls) {
		choice.message.tool_calls.forEach((c, index) =>
			chunks.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.function.name, arguments: c.function.arguments } }] }, finish_reason: null }] }),
		);
	} else if (choice.message.content) {
		const text = choice.message.content;
		for (let i = 0; i < text.length; i += 2000) chunks.push({ ...base, choices: [{ index: 0, delta: { content: text.slice(i, i + 2000) }, finish_reason: null }] });
	}
	chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: choice.finish_reason }], usage: body.usage });
	return chunks;
}

/**
 * Starts the server. Options: `port` (0), `apiKey` (when set, requests must carry `Authorization: Bearer <apiKey>`),
 * `delayMs` (a fixed "thinking" time per completion, for the bench; 0).
 */
function startModelServer({ port = 0, apiKey, delayMs = 0 } = {}) {
	const log = [];
	let counter = 0;
	const server = http.createServer(async (req, res) => {
		const t0 = process.hrtime.bigint();
		try {
			const url = new URL(req.url, 'http://127.0.0.1');
			const path = url.pathname.replace(/\/+$/, '');
			if (apiKey && req.headers.authorization !== `Bearer ${apiKey}`) {
				send(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' } });
				return;
			}
			if (req.method === 'GET' && path === '/v1/models') {
				send(res, 200, { object: 'list', data: [{ id: MODEL_ID, object: 'model', created: 0, owned_by: 'local' }] });
				return;
			}
			if (req.method === 'POST' && path === '/v1/chat/completions') {
				const request = JSON.parse(await readBody(req));
				const message = nextMessage(request);
				if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
				const id = ++counter;
				const promptTokens = JSON.stringify(request.messages || []).length >> 2;
				const completionTokens = JSON.stringify(message).length >> 2;
				const body = completion(id, Math.floor(Date.now() / 1000), request.model || MODEL_ID, message, {
					prompt_tokens: promptTokens,
					completion_tokens: completionTokens,
					total_tokens: promptTokens + completionTokens,
				});
				const entry = { at: Date.now(), request, reply: body.choices[0].message, stream: !!request.stream };
				log.push(entry);
				if (request.stream) {
					res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
					for (const chunk of streamChunks(body)) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
					res.end('data: [DONE]\n\n');
				} else {
					send(res, 200, body);
				}
				entry.serverMs = Number(process.hrtime.bigint() - t0) / 1e6;
				return;
			}
			send(res, 404, { error: { message: `Unknown request URL: ${req.method} ${url.pathname}`, type: 'invalid_request_error' } });
		} catch (error) {
			send(res, 400, { error: { message: String(error && error.message), type: 'invalid_request_error' } });
		}
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			const { port: bound } = server.address();
			resolve({
				url: `http://127.0.0.1:${bound}/v1`,
				port: bound,
				model: MODEL_ID,
				log,
				/** Completions whose reply called a tool named like `pattern`. */
				toolCalls: (pattern) => log.flatMap((e) => (e.reply.tool_calls || []).map((c) => c.function)).filter((f) => !pattern || pattern.test(f.name)),
				close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
			});
		});
	});
}

module.exports = { startModelServer, MODEL_ID };

if (require.main === module) {
	const port = Number(process.argv[2] || 0);
	startModelServer({ port, apiKey: process.env.MODEL_API_KEY }).then((m) => {
		process.stdout.write(`local model at ${m.url} (model "${m.model}")\n`);
	});
}
