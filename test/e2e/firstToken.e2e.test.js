'use strict';
// Issue #14, point 2, in a real, running n8n 2.0.3 (which gives every webhook request its own copy of the
// workflow's static data): with no Application Token in the credential, forged first events — of the other
// trigger's family, of an unselected type, 20 at once with different tokens — pin nothing and start nothing; the
// sandbox portal's genuine event is verified (app.info with its access token) and pinned; the pin survives a restart.

const { N8nInstance, packageBuildStatus, httpRequest, sleep } = require('./lib/n8n');
const { startSandbox } = require('../../sandbox');
const { sandboxCredentials, credentialRef, TYPES, control } = require('./lib/bitrix');

const status = packageBuildStatus();
if (!status.built) throw new Error(`firstToken e2e needs the built package (missing ${status.missing.join(', ')}): npm run build`);

const HOOK = '8a4e1f20-6b3c-4d7e-9f10-2c3d4e5f6a07';
const WORKFLOW = 'e2eFirstToken';
const BOT_CODE = 'e2e_pin_bot';

/** A forged event as anyone on the internet can post it: the attacker's application token, a made-up access token. */
function forged(event, appToken, botId) {
	const p = new URLSearchParams();
	p.set('event', event);
	p.set(`data[BOT][${botId}][BOT_ID]`, String(botId));
	p.set('data[PARAMS][MESSAGE]', `forged by ${appToken}`);
	p.set('data[PARAMS][DIALOG_ID]', '2');
	p.set('data[PARAMS][FROM_USER_ID]', '2');
	p.set('data[USER][ID]', '2');
	p.set('data[CONNECTOR]', 'whatever');
	p.set('auth[access_token]', `made-up-${appToken}`);
	p.set('auth[domain]', '127.0.0.1');
	p.set('auth[application_token]', appToken);
	return p.toString();
}

describe('first-event pinning in a running n8n', () => {
	let sb;
	let n8n;
	let hookPath;
	let botId;

	const post = async (body) =>
		(await httpRequest({ port: n8n.port, method: 'POST', path: hookPath, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })).status;
	const finished = async () => (await n8n.listExecutions({ workflowId: WORKFLOW })).filter((e) => e.status !== 'running');

	beforeAll(async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		const creds = sandboxCredentials(sb, { clientId: 'n8n-e2e-pin', applicationToken: '' });
		hookPath = new URL(n8n.webhookUrl(`${HOOK}/webhook`)).pathname;
		await n8n.importCredentials(creds.list);
		await n8n.importWorkflow([
			{
				id: WORKFLOW,
				name: 'E2E first-event pinning',
				nodes: [
					{
						id: `${WORKFLOW}-t`,
						name: 'Bot Events',
						type: TYPES.chatbotTrigger,
						typeVersion: 1,
						position: [0, 0],
						webhookId: HOOK,
						parameters: { authentication: 'oAuth2', events: ['ONIMBOTMESSAGEADD'], botSource: 'code', botCode: BOT_CODE, botName: 'Pin Bot', botType: 'B', ignoreOwnMessages: true, options: {} },
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

	test('forged first events of the other family and of an unselected type: 200, nothing pinned, nothing run', async () => {
		expect(await post(forged('ONIMCONNECTORMESSAGEADD', 'attacker-oc', botId))).toBe(200);
		expect(await post(forged('ONIMBOTJOINCHAT', 'attacker-join', botId))).toBe(200);
		// the portal's event still gets through: nothing was pinned
		const first = await control(sb, `bots/${botId}/user-message`, { userId: 2, text: 'first genuine' });
		expect(first.deliveries.map((d) => d.status)).toEqual([200]);
		const [done] = await n8n.waitForExecutions(WORKFLOW, { count: 1 });
		expect((await n8n.getExecution(done.id)).outputOf('Bot Events')[0]).toMatchObject({ message: { text: 'first genuine' } });
	});

	test('after the pin only the portal\'s token passes; 20 concurrent forged events start nothing', async () => {
		const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => post(forged('ONIMBOTMESSAGEADD', `attacker-${i}`, botId))));
		expect(statuses).toEqual(Array(20).fill(401));
		const again = await control(sb, `bots/${botId}/user-message`, { userId: 2, text: 'second genuine' });
		expect(again.deliveries.map((d) => d.status)).toEqual([200]);
		await n8n.waitForExecutions(WORKFLOW, { count: 2 });
		await sleep(1000);
		expect((await finished()).length).toBe(2);
	});

	test('the pin survives a restart of n8n (static data); forged events stay refused', async () => {
		await n8n.stop();
		await n8n.start();
		expect(await post(forged('ONIMBOTMESSAGEADD', 'attacker-after-restart', botId))).toBe(401);
		const after = await control(sb, `bots/${botId}/user-message`, { userId: 2, text: 'after restart' });
		expect(after.deliveries.map((d) => d.status)).toEqual([200]);
		await n8n.waitForExecutions(WORKFLOW, { count: 3 });
		const logs = n8n.logs;
		expect(logs).not.toMatch(/attacker-\d|made-up-|sandbox-app-token/);
	});
});

describe('first-event pinning, a race in a fresh n8n: 20 forged first events with different tokens against the genuine one', () => {
	let sb;
	let n8n;

	afterAll(async () => {
		if (n8n) await n8n.cleanup();
		if (sb) await sb.stop();
	});

	test('at most one pin, the genuine one: only the portal\'s event runs, before and after', async () => {
		sb = await startSandbox({ port: 0, rate: 0 });
		n8n = await N8nInstance.create();
		const creds = sandboxCredentials(sb, { clientId: 'n8n-e2e-race', applicationToken: '' });
		const hookPath = new URL(n8n.webhookUrl(`${HOOK}/webhook`)).pathname;
		await n8n.importCredentials(creds.list);
		await n8n.importWorkflow([
			{
				id: WORKFLOW,
				name: 'E2E first-event race',
				nodes: [
					{
						id: `${WORKFLOW}-t`,
						name: 'Bot Events',
						type: TYPES.chatbotTrigger,
						typeVersion: 1,
						position: [0, 0],
						webhookId: HOOK,
						parameters: { authentication: 'oAuth2', events: ['ONIMBOTMESSAGEADD'], botSource: 'code', botCode: BOT_CODE, botName: 'Pin Bot', botType: 'B', ignoreOwnMessages: true, options: {} },
						credentials: credentialRef(creds.oauth),
					},
				],
				connections: {},
			},
		]);
		await n8n.start();
		await n8n.activateWorkflow(WORKFLOW);
		const id = [...sb.state.bots.values()].find((b) => b.CODE === BOT_CODE).ID;
		const post = async (body) =>
			(await httpRequest({ port: n8n.port, method: 'POST', path: hookPath, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })).status;
		const [genuine, ...attacks] = await Promise.all([
			control(sb, `bots/${id}/user-message`, { userId: 2, text: 'genuine in the race' }),
			...Array.from({ length: 20 }, (_, i) => post(forged('ONIMBOTMESSAGEADD', `racer-${i}`, id))),
		]);
		expect(genuine.deliveries.map((d) => d.status)).toEqual([200]);
		expect(attacks.every((s) => s === 401 || s === 429)).toBe(true);
		const [done] = await n8n.waitForExecutions(WORKFLOW, { count: 1 });
		expect((await n8n.getExecution(done.id)).outputOf('Bot Events')[0]).toMatchObject({ message: { text: 'genuine in the race' } });
		expect(await post(forged('ONIMBOTMESSAGEADD', 'racer-late', id))).toBe(401);
		await sleep(1000);
		expect((await n8n.listExecutions({ workflowId: WORKFLOW })).length).toBe(1);
	});
});
