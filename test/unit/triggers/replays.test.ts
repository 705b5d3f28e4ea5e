/* Issue 23, point 7: a push event delivered again (a captured request replayed, or sent twice) does not run the
 * workflow again: it is answered 200 (so Bitrix24 does not retry) and logged at debug level. Events that differ
 * (another message, another edit, another reaction, another command) still run. */
import type { IDataObject } from 'n8n-workflow';

import { Bitrix24ChatbotV1Trigger } from '../../../nodes/Bitrix24ChatbotTrigger/v1/Bitrix24ChatbotTriggerV1.node';
import { Bitrix24ChatbotV2Trigger } from '../../../nodes/Bitrix24ChatbotTrigger/v2/Bitrix24ChatbotTriggerV2.node';
import { Bitrix24OpenChannelsTrigger } from '../../../nodes/Bitrix24OpenChannelsTrigger/Bitrix24OpenChannelsTrigger.node';
import { tokenHash } from '../../../nodes/Bitrix24/events';
import { DELIVERED_EVENTS_KEPT } from '../../../nodes/Bitrix24/events/replays';
import { oauthCredentials, webhookCredentials } from '../../helpers/runNode';
import { useNock } from '../../helpers/nockPerFile';
import { fixture, FIXTURE_TOKEN } from './fixtures';
import type { TriggerHarness } from './triggerContext';
import { flatBody, triggerHarness } from './triggerContext';

useNock();

const credentials = { bitrix24WebhookApi: webhookCredentials({ applicationToken: FIXTURE_TOKEN }), bitrix24OAuth2Api: oauthCredentials({ applicationToken: FIXTURE_TOKEN }) };

/** A fixture with some form keys changed. */
function edited(event: string, changes: Record<string, string>): string {
	const params = new URLSearchParams(fixture(event));
	for (const [key, value] of Object.entries(changes)) params.set(key, value);
	return params.toString();
}

/** Sends a raw form body; true when the workflow ran (with its items), else the answer. */
async function deliver(h: TriggerHarness, raw: string, query?: IDataObject): Promise<{ ran: boolean; items: IDataObject[]; status?: number; json?: unknown }> {
	const { result, status, json } = await h.receive({ body: flatBody(raw), rawBody: raw, query });
	const items = (result.workflowData?.[0] ?? []).map((item) => item.json);
	return { ran: result.workflowData !== undefined, items, status, json };
}

describe('Chatbot Trigger v1', () => {
	const node = new Bitrix24ChatbotV1Trigger();
	const parameters = {
		authentication: 'oAuth2',
		events: ['ONIMBOTMESSAGEADD', 'ONIMBOTMESSAGEUPDATE', 'ONIMCOMMANDADD'],
		botSource: 'existing',
		botId: { mode: 'id', value: '567' },
		ignoreOwnMessages: false,
	};

	test('the same message event five times runs the workflow once; the repeats get 200 and a quiet log line', async () => {
		const h = triggerHarness(node, { parameters, credentials });
		const raw = fixture('ONIMBOTMESSAGEADD');
		const outcomes = [];
		for (let i = 0; i < 5; i++) outcomes.push(await deliver(h, raw));
		expect(outcomes.map((o) => o.ran)).toEqual([true, false, false, false, false]);
		for (const repeat of outcomes.slice(1)) {
			expect(repeat.status).toBe(200);
			expect(repeat.json).toEqual({ result: 'ignored', reason: 'Already delivered: this event was received before.' });
		}
		const notes = h.logs.filter((l) => /already delivered/i.test(l.message));
		expect(notes.length).toBe(4);
		expect(notes.every((l) => l.level === 'debug')).toBe(true);
	});

	test('a replay with another send time (ts) is still the same message', async () => {
		const h = triggerHarness(node, { parameters, credentials });
		expect((await deliver(h, fixture('ONIMBOTMESSAGEADD'))).ran).toBe(true);
		expect((await deliver(h, edited('ONIMBOTMESSAGEADD', { ts: '1771929999' }))).ran).toBe(false);
	});

	test('other messages, two edits of one message and two commands on one message all run', async () => {
		const h = triggerHarness(node, { parameters, credentials });
		const runs = [
			await deliver(h, fixture('ONIMBOTMESSAGEADD')),
			await deliver(h, edited('ONIMBOTMESSAGEADD', { 'data[PARAMS][MESSAGE_ID]': '88200', 'data[PARAMS][MESSAGE]': 'Another one' })),
			await deliver(h, fixture('ONIMBOTMESSAGEUPDATE')),
			await deliver(h, edited('ONIMBOTMESSAGEUPDATE', { 'data[PARAMS][MESSAGE]': 'Corrected again', ts: '1771929100' })),
			await deliver(h, fixture('ONIMCOMMANDADD')),
			await deliver(h, edited('ONIMCOMMANDADD', { 'data[COMMAND][12][COMMAND_ID]': '13' })),
		];
		expect(runs.map((r) => r.ran)).toEqual([true, true, true, true, true, true]);
		// and each of them, sent again, is dropped
		expect((await deliver(h, fixture('ONIMBOTMESSAGEUPDATE'))).ran).toBe(false);
		expect((await deliver(h, fixture('ONIMCOMMANDADD'))).ran).toBe(false);
	});

	test('one keyboard button pressed by two people, or twice, runs each time (same command, same message)', async () => {
		const h = triggerHarness(node, { parameters, credentials });
		const runs = [
			await deliver(h, fixture('ONIMCOMMANDADD')),
			await deliver(h, edited('ONIMCOMMANDADD', { 'data[PARAMS][FROM_USER_ID]': '31', ts: '1771928990' })),
			await deliver(h, edited('ONIMCOMMANDADD', { ts: '1771929001' })),
		];
		expect(runs.map((r) => r.ran)).toEqual([true, true, true]);
		expect((await deliver(h, edited('ONIMCOMMANDADD', { 'data[PARAMS][FROM_USER_ID]': '31', ts: '1771928990' }))).ran).toBe(false);
	});

	test('the delivered events survive a restart in the static data, which stays bounded', async () => {
		const first = triggerHarness(node, { parameters, credentials });
		expect((await deliver(first, fixture('ONIMBOTMESSAGEADD'))).ran).toBe(true);
		const saved = JSON.parse(JSON.stringify(first.staticData())) as IDataObject;
		expect(JSON.stringify(saved)).not.toContain('88123'); // identities are digests, not message content or ids
		// another process (a new workflow id: nothing in memory) that loads the saved static data
		const restarted = triggerHarness(node, { parameters, credentials });
		Object.assign(restarted.staticData(), saved);
		expect((await deliver(restarted, fixture('ONIMBOTMESSAGEADD'))).ran).toBe(false);

		const full = triggerHarness(node, { parameters, credentials });
		Object.assign(full.staticData(), { deliveredEvents: Array.from({ length: DELIVERED_EVENTS_KEPT }, (_, i) => `k${i}`) });
		await deliver(full, edited('ONIMBOTMESSAGEADD', { 'data[PARAMS][MESSAGE_ID]': '90001' }));
		await deliver(full, edited('ONIMBOTMESSAGEADD', { 'data[PARAMS][MESSAGE_ID]': '90002' }));
		expect((full.staticData().deliveredEvents as string[]).length).toBe(DELIVERED_EVENTS_KEPT);
		expect((full.staticData().deliveredEvents as string[])[0]).toBe('k2');
	});

	test('concurrent copies of one event (each request has its own copy of the static data) run once', async () => {
		const h = triggerHarness(node, { parameters, credentials });
		const raw = fixture('ONIMBOTMESSAGEADD');
		const outcomes = await Promise.all([deliver(h, raw), deliver(h, raw), deliver(h, raw)]);
		expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
		// a request whose copy of the static data was loaded before the first one was saved: this process still knows
		delete h.staticData().deliveredEvents;
		expect((await deliver(h, raw)).ran).toBe(false);
	});
});

describe('Chatbot Trigger v2 (webhook mode)', () => {
	const node = new Bitrix24ChatbotV2Trigger();
	const parameters = { authentication: 'oAuth2', events: ['ONIMBOTV2MESSAGEADD', 'ONIMBOTV2REACTIONCHANGE', 'ONIMBOTV2JOINCHAT'], botId: { mode: 'id', value: '456' } };
	const query = { s: 'url-secret' };
	const event = (type: string, data: Record<string, string>, ts = '1771928985') =>
		new URLSearchParams({ event: type, ...Object.fromEntries(Object.entries(data).map(([k, v]) => [`data${k}`, v])), ts, 'auth[application_token]': FIXTURE_TOKEN }).toString();
	const harness = () => {
		const h = triggerHarness(node, { parameters, credentials });
		h.staticData().v2Webhook = { botId: 456, secretHash: tokenHash('url-secret'), handlerUrl: h.webhookUrl };
		return h;
	};

	test('a message replayed runs once; two different reactions on one message both run; a reaction replayed is dropped', async () => {
		const h = harness();
		const message = event('ONIMBOTV2MESSAGEADD', { '[bot][id]': '456', '[message][id]': '10', '[message][text]': 'hi', '[dialogId]': '2' });
		expect((await deliver(h, message, query)).ran).toBe(true);
		expect((await deliver(h, message, query)).ran).toBe(false);
		const like = event('ONIMBOTV2REACTIONCHANGE', { '[bot][id]': '456', '[message][id]': '10', '[reaction]': 'like', '[action]': 'set', '[dialogId]': '2' });
		const fire = event('ONIMBOTV2REACTIONCHANGE', { '[bot][id]': '456', '[message][id]': '10', '[reaction]': 'fire', '[action]': 'set', '[dialogId]': '2' });
		const likeRemoved = event('ONIMBOTV2REACTIONCHANGE', { '[bot][id]': '456', '[message][id]': '10', '[reaction]': 'like', '[action]': 'remove', '[dialogId]': '2' }, '1771929000');
		expect((await deliver(h, like, query)).ran).toBe(true);
		expect((await deliver(h, fire, query)).ran).toBe(true);
		expect((await deliver(h, likeRemoved, query)).ran).toBe(true);
		const replay = await deliver(h, like, query);
		expect(replay.ran).toBe(false);
		expect(replay.status).toBe(200);
	});

	test('the bot joining the same chat again later runs again; the same join replayed does not', async () => {
		const h = harness();
		const join = (ts: string) => event('ONIMBOTV2JOINCHAT', { '[bot][id]': '456', '[dialogId]': 'chat7', '[chat][id]': '7' }, ts);
		expect((await deliver(h, join('1771928985'), query)).ran).toBe(true);
		expect((await deliver(h, join('1771928985'), query)).ran).toBe(false);
		expect((await deliver(h, join('1771940000'), query)).ran).toBe(true);
	});
});

describe('Open Channels Trigger', () => {
	const node = new Bitrix24OpenChannelsTrigger();
	const parameters = { authentication: 'oAuth2', events: ['ONIMCONNECTORMESSAGEADD'], options: { confirmDelivery: false } };

	test('operator replies: a replayed batch runs nothing; a batch with one new reply gives only that one', async () => {
		const h = triggerHarness(node, { parameters, credentials });
		const first = await deliver(h, fixture('ONIMCONNECTORMESSAGEADD'));
		expect(first.items.map((i) => (i.message as IDataObject).id)).toEqual([19321, 19322]);
		const replay = await deliver(h, fixture('ONIMCONNECTORMESSAGEADD'));
		expect(replay.ran).toBe(false);
		expect(replay.status).toBe(200);
		const mixed = await deliver(h, edited('ONIMCONNECTORMESSAGEADD', { 'data[MESSAGES][1][im][message_id]': '19400' }));
		expect(mixed.items.map((i) => (i.message as IDataObject).id)).toEqual([19400]);
	});

	test('one reply repeated inside one batch is emitted once', async () => {
		const h = triggerHarness(node, { parameters, credentials });
		const twice = await deliver(h, edited('ONIMCONNECTORMESSAGEADD', { 'data[MESSAGES][1][im][message_id]': '19321', 'data[MESSAGES][1][im][chat_id]': '845' }));
		expect(twice.items.map((i) => (i.message as IDataObject).id)).toEqual([19321]);
	});
});
