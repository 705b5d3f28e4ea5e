'use strict';
// The demo's AI support agent (examples/ai-support-agent.json) with the local OpenAI-compatible model
// (sandbox/model): its own line, bot, managers' chat and credentials, so the other examples are untouched.
// prepare() before n8n starts, activate() after; CHECKS are the self-check's three turns (question, refund approved
// by a listed manager, hand-off to a person).

const { startModelServer } = require('../../sandbox/model/server');
const { setupAgentPortal, agentWorkflow, agentWebhookCredential, modelCredential, askQuestion, askRefund, askPerson } = require('../../test/e2e/lib/aiAgent');

const BOT_TOKEN = 'demo-ai-agent-bot-token';
const CREDENTIAL = { id: 'b24demoAgentHook', name: 'Bitrix24 Webhook (sandbox, AI agent bot)' };

/** Whether this n8n derives the human-review tool the example needs (bitrix24ChatbotHitlTool): 2.41 and later. */
function supportsAgent(version) {
	const [major, minor] = String(version).split('.').map(Number);
	return major > 2 || (major === 2 && minor >= 41);
}

const SKIPPED = {
	describe: () => 'AI support agent: not set up — it needs n8n 2.41 or later (its manager approval is the human-review tool n8n derives from Send and Wait); run E2E_N8N_VERSION=2.41.1 npm run demo',
	activate: async () => undefined,
	stop: async () => undefined,
	skipped: true,
};

/** Starts the local model, sets the portal up and imports the credentials and the workflow. */
async function prepareAiAgent({ sb, n8n }) {
	if (!supportsAgent(n8n.n8nVersion)) return SKIPPED;
	const model = await startModelServer({ apiKey: 'local-model-key' });
	const portal = await setupAgentPortal(sb, { botToken: BOT_TOKEN });
	const webhookCredential = agentWebhookCredential(sb, { botToken: BOT_TOKEN, id: CREDENTIAL.id, name: CREDENTIAL.name });
	const modelCred = modelCredential(model);
	const workflow = agentWorkflow(portal, { webhookCredential, modelCredential: modelCred });
	await n8n.importCredentials([webhookCredential, modelCred]);
	await n8n.importWorkflow(workflow);
	const agent = { model, portal, workflow, sb, n8n, workflowId: workflow.id };
	agent.activate = () => n8n.activateWorkflow(workflow.id);
	agent.stop = () => model.close();
	agent.describe = () => `AI support agent: local model on ${model.url} (model "${model.model}"), bot ${portal.botId} welcomes line ${portal.line}, managers' chat ${portal.managerDialog} (approver user ${portal.approver})`;
	return agent;
}

const turnCtx = (agent, customer) => ({ sb: agent.sb, n8n: agent.n8n, model: agent.model, portal: agent.portal, workflowId: agent.workflowId, customer });
let customerSeq = 0;
const customer = () => `demo-customer-${Date.now().toString(36)}-${++customerSeq}`;

async function checkQuestion({ aiAgent }) {
	if (aiAgent.skipped) return 'skipped: n8n before 2.41 (see above)';
	const turn = await askQuestion(turnCtx(aiAgent, (aiAgent.customer = customer())));
	const methods = turn.calls.map((c) => c.method).join(', ');
	if (turn.run.status !== 'success' || turn.answers.length !== 1) throw new Error(`the agent did not answer (run ${turn.run.status}; calls: ${methods})`);
	return `the customer asked "When are you open?"; the bot showed "thinking" and answered "${turn.answers[0]}" (calls: ${methods})`;
}

async function checkRefund({ aiAgent }) {
	if (aiAgent.skipped) return 'skipped: n8n before 2.41 (see above)';
	const turn = await askRefund(turnCtx(aiAgent, aiAgent.customer || customer()));
	if (!turn.waited) throw new Error(`the agent did not ask for approval (run ${turn.run.status})`);
	if (!turn.stillWaitingAfterRefusal) throw new Error('an answer from someone not listed was taken');
	if (turn.run.status !== 'success' || !turn.answers.length) throw new Error(`the refund turn did not finish (run ${turn.run.status})`);
	return `refund: user ${aiAgent.portal.outsider} (not listed) was refused in the managers' chat, user ${aiAgent.portal.approver} approved; the agent said "${turn.answers[0]}" (${turn.calls.length} calls)`;
}

async function checkHandOff({ aiAgent }) {
	if (aiAgent.skipped) return 'skipped: n8n before 2.41 (see above)';
	const turn = await askPerson(turnCtx(aiAgent, aiAgent.customer || customer()));
	if (turn.run.status !== 'success') throw new Error(`the hand-off run ${turn.run.status}`);
	if (!turn.session || turn.session.status !== 'waiting' || turn.botInChat) throw new Error(`the session was not handed over: ${JSON.stringify(turn.session)}`);
	// the demo's other workflows run beside the agent: the echo bot's live trigger reads its own queue meanwhile
	const otherBotsReads = (c) => /^imbot\.v2\.event\.get$/i.test(c.method) && Number(c.params && c.params.botId) !== Number(aiAgent.portal.botId);
	const acted = turn.callsAfter.filter((c) => !otherBotsReads(c));
	if (acted.length || turn.executionsAfter.length) {
		throw new Error(`the bot still acted after the hand-off: ${acted.map((c) => c.method).join(', ') || `${turn.executionsAfter.length} run(s)`}`);
	}
	return `hand-off: the session is with operator ${turn.session.operatorId}, the bot left the chat; the customer's next message reached no bot and nothing more was sent`;
}

const CHECKS = [
	['AI agent answers a question', checkQuestion],
	['AI agent: refund approved by a listed manager only', checkRefund],
	['AI agent hands off to a person', checkHandOff],
];

module.exports = { prepareAiAgent, CHECKS };
