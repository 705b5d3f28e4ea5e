/* Issue 23, point 8: a v1 Chatbot Trigger on a Webhook credential without an Application Token is refused at activation. */
import nock from 'nock';

import { Bitrix24ChatbotV1Trigger } from '../../../nodes/Bitrix24ChatbotTrigger/v1/Bitrix24ChatbotTriggerV1.node';
import { oauthCredentials, WEBHOOK_BASE, WEBHOOK_PATH, webhookCredentials } from '../../helpers/runNode';
import { useNock } from '../../helpers/nockPerFile';
import { triggerHarness } from './triggerContext';

useNock();

const node = new Bitrix24ChatbotV1Trigger();
const parameters = { authentication: 'webhook', events: ['ONIMBOTMESSAGEADD'], botSource: 'existing', botId: { mode: 'id', value: '567' } };
const bots = { result: { 567: { ID: 567, NAME: 'Helper', CODE: 'helper_bot' } } };

function bitrix(): string[] {
	const methods: string[] = [];
	nock(WEBHOOK_BASE)
		.persist()
		.post(new RegExp(`^${WEBHOOK_PATH.replace(/\//g, '\\/')}[a-z.]+`, 'i'))
		.reply(200, (uri) => {
			const method = uri.slice(WEBHOOK_PATH.length).replace(/\.json$/, '');
			methods.push(method);
			return method === 'imbot.bot.list' ? bots : { result: true };
		});
	return methods;
}

test('no Application Token: activation fails with the reason and what to do, and nothing is sent to Bitrix24', async () => {
	const methods = bitrix();
	const h = triggerHarness(node, { parameters, credentials: { bitrix24WebhookApi: webhookCredentials(), bitrix24OAuth2Api: oauthCredentials() } });
	const failure = h.create();
	await expect(failure).rejects.toThrow(/no Application Token/);
	await expect(failure).rejects.toThrow(/every event would be refused/);
	await expect(failure).rejects.toThrow(/enter it in the credential's Application Token|OAuth2/);
	expect(methods).toEqual([]);
	expect(h.staticData().botHandlers).toBeUndefined();
});

test('"Test this trigger" is refused the same way', async () => {
	const methods = bitrix();
	const h = triggerHarness(node, { parameters, testRun: true, credentials: { bitrix24WebhookApi: webhookCredentials(), bitrix24OAuth2Api: oauthCredentials() } });
	await expect(h.create()).rejects.toThrow(/no Application Token/);
	expect(methods).toEqual([]);
});

test('with an Application Token the same trigger activates', async () => {
	const methods = bitrix();
	const h = triggerHarness(node, { parameters, credentials: { bitrix24WebhookApi: webhookCredentials({ applicationToken: 'app-token-1' }), bitrix24OAuth2Api: oauthCredentials() } });
	expect(await h.create()).toBe(true);
	expect(methods).toEqual(['imbot.bot.list', 'imbot.update']);
});

test('an OAuth2 credential without a token still activates (its first event is verified with the portal)', async () => {
	const h = triggerHarness(node, { parameters: { ...parameters, authentication: 'oAuth2' } });
	nock(/.*/).persist().post(/imbot\.bot\.list/).reply(200, bots).post(/imbot\.update/).reply(200, { result: true });
	expect(await h.create()).toBe(true);
});
