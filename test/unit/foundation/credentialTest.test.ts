/* The Bitrix24 Webhook API credential test: n8n 2.41 reads `responseCode` rules, so a wrong webhook code (401) gets a
 * message that says so instead of n8n's generic "Authorization failed". */
import { Bitrix24WebhookApi } from '../../../credentials/Bitrix24WebhookApi.credentials';

test('the webhook credential test has a 401 rule naming the webhook code', () => {
	const rules = new Bitrix24WebhookApi().test.rules ?? [];
	const rule = rules.find((r) => r.type === 'responseCode') as { type: string; properties: { value: number; message: string } } | undefined;
	expect(rule?.properties.value).toBe(401);
	expect(rule?.properties.message).toMatch(/webhook code is not valid on this portal/);
});
