'use strict';
// n8n queue mode (issue 19): main + 2 workers + a webhook processor on real Redis and PostgreSQL (started and stopped
// here by scripts/queue-services.js), our package installed as users get it, against an in-process sandbox portal, on
// every n8n version of the e2e table (2.0.3 on Node 20, 2.41.1 on Node 24; QUEUE_N8N_VERSIONS=2.41.1 picks some).
// The portal's leaky bucket is one server: it counts the requests of every n8n process together.

const { startServices } = require('../../scripts/queue-services');
const { QueueCluster } = require('../e2e/lib/queue');
const { packageBuildStatus } = require('../e2e/lib/n8n');
const { ALL_VERSIONS } = require('../e2e/lib/install');
const { startSandbox } = require('../../sandbox');
const { sandboxCredentials, control, appCall } = require('../e2e/lib/bitrix');
const { sleep } = require('../e2e/lib/n8n');
const v2 = require('../../sandbox/methods/imbotV2/triggers');
const { echoBotWorkflow, countingWorkflow, fetchWorkflow, liveFetchWorkflow, sendAndWaitWorkflow, commandTriggerWorkflow } = require('./workflows');
const { registerAskBot, startWaiting, answerAll } = require('./sendAndWait');

const status = packageBuildStatus();
if (!status.built) throw new Error(`queue suite needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const ECHO_HOOK = '9a3c1e55-1f0b-4d7e-8c21-5b6f7a8e9d01';
const COUNT_HOOK = '9a3c1e55-1f0b-4d7e-8c21-5b6f7a8e9d02';
const EXPIRY_HOOK = '9a3c1e55-1f0b-4d7e-8c21-5b6f7a8e9d03';
const ANSWER_HOOK = '9a3c1e55-1f0b-4d7e-8c21-5b6f7a8e9d04';
/** Send-and-wait executions waiting at once, resumed by clicks at once. */
const WAITING = 4;
const EVENTS = 1000;
const EXPIRY_ITEMS = 100;
/** Events through the live fetch trigger. */
const LIVE_EVENTS = 100;
/** n8n polls at most once a minute: a tick plus its execution must come within this. */
const TICK_MS = 75_000;

const botByCode = (sb, code) => [...sb.state.bots.values()].find((b) => b.CODE === code);
const repliesOf = (sb, bot) => [...sb.state.messages.values()].filter((m) => m.AUTHOR_ID === bot.ID).map((m) => m.MESSAGE);

/** Runs fn over items, `width` at a time. */
async function inParallel(items, width, fn) {
	const queue = [...items];
	await Promise.all(Array.from({ length: width }, async () => {
		while (queue.length > 0) await fn(queue.shift());
	}));
}

const VERSIONS = (process.env.QUEUE_N8N_VERSIONS || '').split(',').map((v) => v.trim()).filter(Boolean);

describe.each(VERSIONS.length ? VERSIONS : ALL_VERSIONS)('n8n %s queue mode: main, 2 workers and a webhook processor on Redis and PostgreSQL', (version) => {
	let services;
	let sb;
	let cluster;
	let creds;
	let token;
	let fetchBotId;
	let liveBotId;
	let fetchActivatedAt;

	beforeAll(async () => {
		services = await startServices();
		sb = await startSandbox({ port: 0, rate: 2, burst: 50, logLimit: 100_000 });
		creds = sandboxCredentials(sb, { clientId: 'n8n-queue' });
		token = sb.issueTokens().access_token;
		fetchBotId = (await appCall(sb, token, 'imbot.v2.Bot.register', { fields: { code: 'queue_fetch_bot', properties: { name: 'Fetch Bot' } } })).body.result.bot.id;
		liveBotId = (await appCall(sb, token, 'imbot.v2.Bot.register', { fields: { code: 'queue_live_bot', properties: { name: 'Live Bot' } } })).body.result.bot.id;
		// send and wait: a v1 bot of the webhook credential's client ID with an "answer" command for in-chat answers
		const { botId: askBot, commandId: answerCommand } = await registerAskBot(sb, { clientId: creds.webhook.data.chatbotClientId, code: 'queue_ask' });
		const ask = { credential: creds.webhook, botId: askBot, dialogId: '2' };
		// concurrency 1: two executions started together run on two workers (each worker holds one job)
		cluster = await QueueCluster.create({ services, n8nVersion: version, workers: 2, concurrency: 1 });
		await cluster.main.importCredentials(creds.list);
		await cluster.main.importWorkflow([
			echoBotWorkflow('qEcho', { webhookId: ECHO_HOOK, credential: creds.webhook, botCode: 'queue_echo' }),
			countingWorkflow('qCount', { webhookId: COUNT_HOOK, credential: creds.webhook, botCode: 'queue_count' }),
			fetchWorkflow('qFetch', { credential: creds.oauth, botId: fetchBotId }),
			liveFetchWorkflow('qLive', { credential: creds.oauth, botId: liveBotId }),
			echoBotWorkflow('qExpiry', { webhookId: EXPIRY_HOOK, credential: creds.oauth, botCode: 'queue_expiry', fanOut: EXPIRY_ITEMS }),
			sendAndWaitWorkflow('qSaw', { ...ask, webhookPath: 'queue-saw', text: 'Approve order' }),
			sendAndWaitWorkflow('qSawChat', { ...ask, webhookPath: 'queue-saw-chat', text: 'Deploy release', chatCommand: 'answer' }),
			commandTriggerWorkflow('qSawTrigger', { webhookId: ANSWER_HOOK, credential: creds.webhook, botId: askBot, commandId: answerCommand }),
		]);
		await cluster.start();
		// the fetch trigger's minute ticks run while the other cases do
		await cluster.main.activateWorkflow('qFetch');
		fetchActivatedAt = Date.now();
		for (const text of ['pull one', 'pull two', 'pull three']) await v2.userMessage(sb.portal, fetchBotId, { userId: 2, text });
	});

	afterAll(async () => {
		if (cluster) await cluster.stop();
		if (sb) await sb.stop();
		if (services) await services.stop();
	});

	test("a chatbot workflow's executions come in through the webhook processor and run on the workers", async () => {
		await cluster.main.activateWorkflow('qEcho');
		const bot = [...sb.state.bots.values()].find((b) => b.CODE === 'queue_echo');
		expect(bot.EVENT_MESSAGE_ADD).toBe(cluster.webhookUrl(`${ECHO_HOOK}/webhook`));
		const texts = ['one', 'two', 'three', 'four'];
		for (const text of texts) {
			const sent = await control(sb, `bots/${bot.ID}/user-message`, { userId: 2, text });
			expect(sent.deliveries.map((d) => d.status)).toEqual([200]);
		}
		const ids = await cluster.waitForFinished('qEcho', texts.length);
		expect(await cluster.executionStatuses('qEcho')).toEqual({ success: texts.length });
		expect(ids.map((id) => cluster.workerOf(id)).every(Boolean)).toBe(true);
		const replies = [...sb.state.messages.values()].filter((m) => m.AUTHOR_ID === bot.ID).map((m) => m.MESSAGE).sort();
		expect(replies).toEqual(texts.map((t) => `echo: ${t}`).sort());
		process.stderr.write(`[queue ${version}] executions per worker: ${JSON.stringify(cluster.executionsPerWorker(ids))}\n`);
	});

	test(`${EVENTS} events through the webhook processor give ${EVENTS} executions, spread over both workers`, async () => {
		await cluster.main.activateWorkflow('qCount');
		const bot = botByCode(sb, 'queue_count');
		const statuses = {};
		await inParallel(Array.from({ length: EVENTS }, (_, i) => i), 20, async (i) => {
			const sent = await control(sb, `bots/${bot.ID}/user-message`, { userId: 2, text: `event ${i}` });
			for (const d of sent.deliveries) statuses[d.status] = (statuses[d.status] || 0) + 1;
		});
		expect(statuses).toEqual({ 200: EVENTS });
		const ids = await cluster.waitForFinished('qCount', EVENTS, { timeoutMs: 5 * 60_000 });
		await sleep(2000); // nothing more arrives
		expect(await cluster.executionStatuses('qCount')).toEqual({ success: EVENTS });
		const perWorker = cluster.executionsPerWorker(ids);
		expect(perWorker.worker1 + perWorker.worker2).toBe(EVENTS);
		expect(perWorker.worker1).toBeGreaterThan(0);
		expect(perWorker.worker2).toBeGreaterThan(0);
		process.stderr.write(`[queue ${version}] ${EVENTS} events: executions per worker ${JSON.stringify(perWorker)}\n`);
		await cluster.main.deactivateWorkflow('qCount');
	});

	test('a fetch-mode trigger polls once per tick across main and workers: every event arrives exactly once', async () => {
		await cluster.waitForFinished('qFetch', 1, { timeoutMs: TICK_MS + 30_000 });
		// acknowledged on the next tick: the bot's queue drains without another execution
		const queue = () => (sb.state.imbotV2.queues.get(`bot:${fetchBotId}`) || { events: [] }).events;
		for (let i = 0; queue().length > 0 && i < (TICK_MS * 2) / 500; i++) await sleep(500);
		expect(queue()).toEqual([]);
		await cluster.main.deactivateWorkflow('qFetch');
		const ids = await cluster.finishedExecutionIds('qFetch');
		const texts = [];
		for (const id of ids) texts.push(...(await cluster.main.getExecution(id)).outputOf('Bot Queue').map((item) => item.text));
		expect(texts).toEqual(['pull one', 'pull two', 'pull three']);
		// one Event.get per minute tick, from one process (the leader)
		const polls = sb.log().filter((e) => e.method.toLowerCase() === 'imbot.v2.event.get' && Date.parse(e.at) >= fetchActivatedAt);
		const perMinute = {};
		for (const p of polls) {
			const minute = Math.floor(Date.parse(p.at) / 60_000);
			perMinute[minute] = (perMinute[minute] || 0) + 1;
		}
		expect(Object.values(perMinute).every((n) => n === 1)).toBe(true);
		expect(polls.length).toBeGreaterThanOrEqual(2);
		process.stderr.write(`[queue ${version}] fetch: ${polls.length} polls in ${Object.keys(perMinute).length} minutes, ${ids.length} execution(s)\n`);
	});

	test(`live fetch trigger: one reader on main, ${LIVE_EVENTS} events give ${LIVE_EVENTS} executions on both workers, none lost or repeated`, async () => {
		await cluster.main.activateWorkflow('qLive');
		for (let i = 0; i < LIVE_EVENTS; i++) await v2.userMessage(sb.portal, liveBotId, { userId: 2 + (i % 3), text: `live ${String(i).padStart(3, '0')}` });
		await cluster.waitForFinished('qLive', LIVE_EVENTS, { timeoutMs: 300_000 });
		const queue = () => (sb.state.imbotV2.queues.get(`bot:${liveBotId}`) || { events: [] }).events;
		// acknowledged once n8n reports the batch's runs ended, or a run's bound after its emit (60 s: n8n 2.0.x in queue
		// mode can miss a job's completion; events/live/schedule.ts runWaitMs): the bound is that and a margin
		const drainStarted = Date.now();
		for (let i = 0; queue().length > 0 && i < 240; i++) await sleep(500);
		process.stderr.write(`[queue ${version}] live fetch: the queue was empty ${((Date.now() - drainStarted) / 1000).toFixed(1)} s after the last run finished\n`);
		expect(queue()).toEqual([]);
		await sleep(3000); // a repeat would show up within the loop's next reads
		await cluster.main.deactivateWorkflow('qLive');
		const ids = await cluster.finishedExecutionIds('qLive');
		const texts = [];
		for (const id of ids) texts.push(...(await cluster.main.getExecution(id)).outputOf('Bot Queue').map((item) => item.text));
		expect(texts.length).toBe(LIVE_EVENTS);
		expect([...new Set(texts)].sort()).toEqual(Array.from({ length: LIVE_EVENTS }, (_, i) => `live ${String(i).padStart(3, '0')}`));
		const perWorker = cluster.executionsPerWorker(ids);
		expect(perWorker.worker1).toBeGreaterThan(0);
		expect(perWorker.worker2).toBeGreaterThan(0);
		process.stderr.write(`[queue ${version}] live fetch: ${LIVE_EVENTS} events, ${ids.length} executions, per worker ${JSON.stringify(perWorker)}, lost 0, repeated ${texts.length - new Set(texts).size}\n`);
	});

	test('concurrent token expiry on 2 workers: both executions get 401 together, nothing fails', async () => {
		await cluster.main.activateWorkflow('qExpiry');
		const bot = botByCode(sb, 'queue_expiry');
		sb.expireTokens();
		sb.scheduleExpiryRace({ callers: 2, timeoutMs: 60_000 });
		const before = { ...sb.portal.tokens.stats };
		await Promise.all(['first', 'second'].map((text) => control(sb, `bots/${bot.ID}/user-message`, { userId: 2, text })));
		const ids = await cluster.waitForFinished('qExpiry', 2, { timeoutMs: 3 * 60_000 });
		expect(await cluster.executionStatuses('qExpiry')).toEqual({ success: 2 });
		expect(new Set(ids.map((id) => cluster.workerOf(id)))).toEqual(new Set(['worker1', 'worker2']));
		const items = [];
		for (const id of ids) items.push(...(await cluster.main.getExecution(id)).outputOf('Reply'));
		expect(items).toHaveLength(2 * EXPIRY_ITEMS);
		expect(items.filter((item) => item.error)).toEqual([]);
		const replies = repliesOf(sb, bot);
		expect(replies).toHaveLength(2 * EXPIRY_ITEMS);
		expect(new Set(replies).size).toBe(2 * EXPIRY_ITEMS);
		const stats = { refreshed: sb.portal.tokens.stats.refreshed - before.refreshed, refused: sb.portal.tokens.stats.refused - before.refused };
		expect(stats.refreshed).toBeGreaterThanOrEqual(1);
		process.stderr.write(`[queue ${version}] expiry on 2 workers: refreshes granted ${stats.refreshed}, refused ${stats.refused}\n`);
	});

	test(`send and wait: ${WAITING} executions wait in PostgreSQL; clicks on the Approve links resume them through the webhook processor, each on one worker`, async () => {
		await cluster.main.activateWorkflow('qSaw');
		const labels = Array.from({ length: WAITING }, (_, i) => String(i + 1));
		const waiting = await startWaiting(cluster, sb, { workflowId: 'qSaw', webhookPath: 'queue-saw', text: 'Approve order', labels });
		expect(new Set(waiting.map((w) => w.executionId)).size).toBe(WAITING);
		expect(await cluster.executionStatuses('qSaw')).toEqual({ waiting: WAITING });
		for (const w of waiting) {
			// the first part ran on a worker; the link is n8n's signed resume URL on the webhook processor (WEBHOOK_URL)
			expect(cluster.workerOf(w.executionId)).toBeDefined();
			expect(w.message.buttons[0].type).toBe('link');
			expect(w.message.buttons[0].link.startsWith(`http://127.0.0.1:${cluster.webhookPort}/webhook-waiting/${w.executionId}/`)).toBe(true);
		}
		const results = await answerAll(cluster, sb, waiting, { button: 1 });
		for (const r of results) {
			expect(r).toMatchObject({ clickStatus: 200, status: 'success', items: 1, data: { approved: true } });
			expect(r.resumedOn).toHaveLength(1);
		}
		expect(await cluster.executionStatuses('qSaw')).toEqual({ success: WAITING });
		const resumedOn = results.map((r) => r.resumedOn[0]);
		// which worker takes a resumed part is Bull's choice: every one ran on a worker (printed below; in the runs so far both took some)
		for (const w of resumedOn) expect(['worker1', 'worker2']).toContain(w);
		const firstOn = waiting.map((w) => cluster.workerOf(w.executionId));
		process.stderr.write(`[queue ${version}] send and wait: first part on ${JSON.stringify(firstOn)}, resumed on ${JSON.stringify(resumedOn)}\n`);
		await cluster.main.deactivateWorkflow('qSaw');
	});

	test('send and wait, in-chat answer: the COMMAND button reaches the Chatbot Trigger on the webhook processor, which resumes the execution on a worker', async () => {
		await cluster.main.activateWorkflow('qSawTrigger');
		await cluster.main.activateWorkflow('qSawChat');
		const [waiting] = await startWaiting(cluster, sb, { workflowId: 'qSawChat', webhookPath: 'queue-saw-chat', text: 'Deploy release', labels: ['4'] });
		expect(waiting.message.buttons.map((b) => [b.text, b.type, b.command])).toEqual([['Approve', 'command', 'answer'], ['Decline', 'command', 'answer']]);
		expect(waiting.message.buttons[0].params.startsWith(`n8n-answer http://127.0.0.1:${cluster.webhookPort}/webhook-waiting/${waiting.executionId}/`)).toBe(true);
		const [result] = await answerAll(cluster, sb, [waiting], { button: 'Approve' });
		// the sandbox delivered the command event to the trigger's webhook on the webhook processor
		expect(result).toMatchObject({ clickStatus: '200', status: 'success', items: 1, data: { approved: true, responder: { id: 2, source: 'bitrix24' } } });
		expect(result.resumedOn).toHaveLength(1);
		// the answer resumed the waiting execution; the trigger's workflow started none of its own
		expect(await cluster.executionStatuses('qSawTrigger')).toEqual({});
		process.stderr.write(`[queue ${version}] in-chat answer: resumed on ${result.resumedOn[0]}\n`);
		await cluster.main.deactivateWorkflow('qSawChat');
		await cluster.main.deactivateWorkflow('qSawTrigger');
	});
});
