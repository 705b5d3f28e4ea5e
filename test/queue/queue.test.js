'use strict';
// n8n queue mode (issue 19): main + 2 workers + a webhook processor on real Redis and PostgreSQL (started and stopped
// here by scripts/queue-services.js), n8n 2.41.1, our package installed as users get it, against an in-process sandbox
// portal. The portal's leaky bucket is one server: it counts the requests of every n8n process together.

const { startServices } = require('../../scripts/queue-services');
const { QueueCluster } = require('../e2e/lib/queue');
const { packageBuildStatus } = require('../e2e/lib/n8n');
const { startSandbox } = require('../../sandbox');
const { sandboxCredentials, control } = require('../e2e/lib/bitrix');
const { echoBotWorkflow } = require('./workflows');

const status = packageBuildStatus();
if (!status.built) throw new Error(`queue suite needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const ECHO_HOOK = '9a3c1e55-1f0b-4d7e-8c21-5b6f7a8e9d01';

describe('n8n queue mode: main, 2 workers and a webhook processor on Redis and PostgreSQL', () => {
	let services;
	let sb;
	let cluster;
	let creds;

	beforeAll(async () => {
		services = await startServices();
		sb = await startSandbox({ port: 0, rate: 2, burst: 50 });
		creds = sandboxCredentials(sb, { clientId: 'n8n-queue' });
		cluster = await QueueCluster.create({ services, workers: 2, concurrency: 1 });
		await cluster.main.importCredentials(creds.list);
		await cluster.main.importWorkflow([echoBotWorkflow('qEcho', { webhookId: ECHO_HOOK, credential: creds.webhook, botCode: 'queue_echo' })]);
		await cluster.start();
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
		process.stderr.write(`[queue] executions per worker: ${JSON.stringify(cluster.executionsPerWorker(ids))}\n`);
	});
});
