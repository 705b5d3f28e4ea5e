/* The production URL a test run gives a v1 bot back: the node's own, derived from its test URL (n8n's default names). */
import { productionUrlOf } from '../../../nodes/Bitrix24/events';

test('…/webhook-test/<id>/webhook → …/webhook/<id>/webhook; only the endpoint segment changes', () => {
	expect(productionUrlOf('https://n8n.example.com/webhook-test/a0c3/webhook')).toBe('https://n8n.example.com/webhook/a0c3/webhook');
	expect(productionUrlOf('https://n8n.example.com/sub/webhook-test/a0c3/webhook')).toBe('https://n8n.example.com/sub/webhook/a0c3/webhook');
});

test('custom endpoint names (N8N_ENDPOINT_WEBHOOK_TEST): no guess', () => {
	expect(productionUrlOf('https://n8n.example.com/hooks-test/a0c3/webhook')).toBeUndefined();
});
