'use strict';
/**
 * `npm run bench -- --agent` — what our nodes add to one turn of the AI support agent example
 * (examples/ai-support-agent.json) beyond the model's own time, in a real n8n 2.41.1 with the local model
 * (sandbox/model, no thinking time of its own) and the sandbox portal (no rate limit).
 *
 * Turns: questions (status + answer), thanks (status + the React tool + answer), refunds (status + the approval
 * request + the refund tool + answer; the manager's time is not counted: only node execution times), hand-offs
 * (status + the Hand Off tool). Per turn, from n8n's run data: each of our nodes' execution time; the model's time is
 * what the model server took. Prints one JSON line per figure (p50 / p95 in ms); asserts nothing.
 *   npm run bench -- --agent [--turns 20]
 */
const { startSandbox } = require('../sandbox');
const { startModelServer } = require('../sandbox/model/server');
const { N8nInstance } = require('../test/e2e/lib/n8n');
const { setupAgentPortal, agentWorkflow, agentWebhookCredential, modelCredential, askQuestion, askRefund, askPerson } = require('../test/e2e/lib/aiAgent');

const args = process.argv.slice(2);
const turnsArg = args.indexOf('--turns');
const TURNS = turnsArg >= 0 ? Math.max(1, Number(args[turnsArg + 1]) || 20) : 20;
const BOT_TOKEN = 'bench-ai-agent-token';
const OURS = /^n8n-nodes-bitrix24-chat\./;

const out = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const note = (text) => process.stderr.write(`[bench agent] ${text}\n`);

function percentile(values, p) {
	if (!values.length) return null;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Execution time (ms) of each node of a run, summed over its runs; our nodes by name. */
function nodeTimes(run, workflow) {
	const typeOf = new Map(workflow.nodes.map((n) => [n.name, n.type]));
	const times = {};
	for (const [name, runs] of Object.entries(run.runData || {})) {
		times[name] = { ours: OURS.test(typeOf.get(name) || ''), ms: runs.reduce((sum, r) => sum + (r.executionTime || 0), 0) };
	}
	return times;
}

async function main() {
	const sb = await startSandbox({ port: 0, rate: 0 });
	const model = await startModelServer({ apiKey: 'local-model-key' });
	const n8n = await N8nInstance.create({ n8nVersion: '2.41.1' });
	try {
		const hookCred = agentWebhookCredential(sb, { botToken: BOT_TOKEN });
		const portal = await setupAgentPortal(sb, { botToken: BOT_TOKEN });
		const modelCred = modelCredential(model);
		const wf = agentWorkflow(portal, { webhookCredential: hookCred, modelCredential: modelCred, id: 'benchAiAgent' });
		await n8n.importCredentials([hookCred, modelCred]);
		await n8n.importWorkflow(wf);
		await n8n.activateWorkflow(wf.id);
		await n8n.start();
		const figures = {};
		const add = (key, value) => (figures[key] = figures[key] || []).push(value);
		const kinds = [
			['question', (ctx) => askQuestion(ctx, 'How long is delivery?')],
			['thanks', (ctx) => askQuestion(ctx, 'Thanks a lot!')],
			['refund', (ctx) => askRefund(ctx)],
			['handOff', (ctx) => askPerson(ctx)],
		];
		for (let i = 0; i < TURNS; i++) {
			for (const [kind, turnOf] of kinds) {
				const ctx = { sb, n8n, model, portal, workflowId: wf.id, customer: `bench-${kind}-${i}` };
				const modelBefore = model.log.length;
				const turn = await turnOf(ctx);
				if (!turn.run || turn.run.status !== 'success') throw new Error(`${kind} turn ${i}: ${turn.run && turn.run.status}`);
				const times = nodeTimes(turn.run, wf);
				const ours = Object.values(times).filter((t) => t.ours).reduce((sum, t) => sum + t.ms, 0);
				const modelMs = model.log.slice(modelBefore).reduce((sum, e) => sum + (e.serverMs || 0), 0);
				add(`${kind}.ourNodes`, ours);
				add(`${kind}.modelServer`, modelMs);
				add(`${kind}.sandboxCalls`, turn.calls.length);
				for (const [name, t] of Object.entries(times)) if (t.ours) add(`${kind}.node.${name}`, t.ms);
			}
			if ((i + 1) % 5 === 0) note(`${i + 1}/${TURNS} rounds`);
		}
		for (const [key, values] of Object.entries(figures)) {
			out({ scenario: 'agent-turn', figure: key, unit: key.endsWith('sandboxCalls') ? 'calls' : 'ms', n: values.length, p50: percentile(values, 50), p95: percentile(values, 95) });
		}
	} finally {
		await n8n.cleanup().catch(() => {});
		await model.close();
		await sb.stop();
	}
}

module.exports = { main };
