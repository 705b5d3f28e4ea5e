import { parseWebhookUrl } from '../../../nodes/Bitrix24/transport/webhookUrl';

describe('parseWebhookUrl', () => {
	test.each([
		'https://acme.bitrix24.com/rest/1/abc123xyz/',
		'https://acme.bitrix24.com/rest/1/abc123xyz',
		'https://acme.bitrix24.com/rest/1/abc123xyz/profile',
		'https://acme.bitrix24.com/rest/1/abc123xyz/profile.json',
		'https://acme.bitrix24.com/rest/1/abc123xyz/imbot.message.add.json',
		'  https://acme.bitrix24.com/rest/1/abc123xyz/  ',
	])('accepts %s', (url) => {
		const parsed = parseWebhookUrl(url);
		expect(parsed.baseUrl).toBe('https://acme.bitrix24.com/rest/1/abc123xyz/');
		expect(parsed.origin).toBe('https://acme.bitrix24.com');
		expect(parsed.userId).toBe('1');
		expect(parsed.code).toBe('abc123xyz');
	});

	test('keeps a self-hosted sub-path and port', () => {
		expect(parseWebhookUrl('http://127.0.0.1:8931/rest/7/sandboxwebhook/').baseUrl).toBe('http://127.0.0.1:8931/rest/7/sandboxwebhook/');
		expect(parseWebhookUrl('https://intranet.example.com/bitrix/rest/3/k3y/').baseUrl).toBe('https://intranet.example.com/bitrix/rest/3/k3y/');
	});

	test.each([
		'',
		'acme.bitrix24.com/rest/1/abc/',
		'https://acme.bitrix24.com/rest/abc/',
		'https://acme.bitrix24.com/rest/1/',
		'https://acme.bitrix24.com/',
		'ftp://acme.bitrix24.com/rest/1/abc/',
		'https://acme.bitrix24.com/rest/1/abc/profile?x=1',
	])('refuses %p with the expected shape and without echoing the input', (url) => {
		let message = '';
		try {
			parseWebhookUrl(url);
		} catch (error) {
			message = (error as Error).message;
		}
		expect(message).toContain('https://your-portal.bitrix24.com/rest/1/abc123xyz/');
		if (url) expect(message).not.toContain(url.trim());
	});
});
