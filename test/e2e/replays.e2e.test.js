'use strict';
// Issue 23, point 7, in a real, running n8n: a captured push event replayed five times starts the workflow once.
// The replay is answered 200 (Bitrix24 must not retry) and starts no execution; another message still runs.
// After a restart the captured event is still a repeat, on both versions: the trigger answers the request itself
// before n8n starts the run, so n8n saves the remembered digests first (n8n 2.41.1 did not when it answered itself:
// the run's copy of the workflow resets the "changed" flag before the save; docs/security.md).

const { N8nInstance, packageBuildStatus, httpRequest } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { sandboxCredentials, credentialRef, TYPES } = require('./lib/bitrix');

const status = packageBuildStatus();
if (!status.built) throw new Error(`replays e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const HOOK = '5b7c2d10-3e4f-4a5b-8c6d-7e8f9a0b1c23';
const WORKFLOW = 'e2eReplays';
const BOT_CODE = 'e2e_replay_bot';

describe('replayed push events in a running n8n', () => {
	let sb;
	let n8n;
	let hookPath;
	let botId;

	/** A captured ONIMBOTMESSAGEADD as the portal sends it (its application token included). */
	function captured(messageId, text) {
		const p = new URLSearchParams();
		p.set('event', 'ONIMBOTMESSAGEADD');
		p.set(`data[BOT][${botId}][BOT_ID]`, String(botId));
		p.set('data[PARAMS][MESSAGE_ID]', String(messageId));
		p.set('data[PARAMS][MESSAGE]', text);
		p.set('data[PARAMS][DIALOG_ID]', '2');
		p.set('data[PARAMS][FROM_USER_ID]', '2');
		p.set('data[USER][ID]', '2');
		p.set('ts', '1771928985');
		p.set('auth[domain]', sb.portal.host);
		p.set('auth[application_token]', sb.applicationToken);
		return p.toString();
	}
	const post = async (body) =>
		await httpRequest({ port: n8n.port, method: 'POST', path: hookPath, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
	const texts = async () => {
		const done = await n8n.listExecutions({ workflowId: WORKFLOW });
		const out = [];
		for (const e of done) out.push((await n8n.getExecution(e.id)).outputOf('Bot Events')[0].message.text);
		return out.sort();
	};

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		const creds = sandboxCredentials(sb, { clientId: 'n8n-e2e-replay', applicationToken: sb.applicationToken });
		hookPath = new URL(n8n.webhookUrl(`${HOOK}/webhook`)).pathname;
		await n8n.importCredentials(creds.list);
		await n8n.importWorkflow([
			{
				id: WORKFLOW,
				name: 'E2E replays',
				nodes: [
					{
						id: `${WORKFLOW}-t`,
						name: 'Bot Events',
						type: TYPES.chatbotTrigger,
						typeVersion: 1,
						position: [0, 0],
						webhookId: HOOK,
						parameters: { authentication: 'oAuth2', events: ['ONIMBOTMESSAGEADD'], botSource: 'code', botCode: BOT_CODE, botName: 'Replay Bot', botType: 'B', ignoreOwnMessages: true, options: {} },
						credentials: credentialRef(creds.oauth),
					},
				],
				connections: {},
			},
		]);
		await n8n.start();
		await n8n.activateWorkflow(WORKFLOW);
		botId = [...sb.state.bots.values()].find((b) => b.CODE === BOT_CODE).ID;
	});

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	test('one captured event sent five times: one execution; the four repeats are answered 200 and start nothing', async () => {
		const answers = [];
		for (let i = 0; i < 5; i++) answers.push(await post(captured(700001, 'captured once')));
		expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
		for (const repeat of answers.slice(1)) expect(JSON.parse(repeat.body)).toMatchObject({ result: 'ignored', reason: expect.stringMatching(/Already delivered/) });
		// a later, different message: once its execution is there, every earlier one would be too
		expect((await post(captured(700002, 'another message'))).status).toBe(200);
		await n8n.waitForExecutions(WORKFLOW, { count: 2 });
		expect(await texts()).toEqual(['another message', 'captured once']);
	});

	test('after n8n restarts, the captured event is still a repeat; a new message still runs', async () => {
		await n8n.stop();
		await n8n.start();
		const again = await post(captured(700001, 'captured once'));
		expect(again.status).toBe(200);
		expect(JSON.parse(again.body)).toMatchObject({ result: 'ignored', reason: expect.stringMatching(/Already delivered/) });
		expect((await post(captured(700003, 'after the restart'))).status).toBe(200);
		await n8n.waitForExecutions(WORKFLOW, { count: 3 });
		expect(await texts()).toEqual(['after the restart', 'another message', 'captured once']);
	});

});
