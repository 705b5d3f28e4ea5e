/* The shared guarded download (nodes/Bitrix24/transport/download.ts) on its own: what it refuses before any request,
 * how many redirects it follows, and a body that stalls (closed at the deadline instead of waiting forever). */
import { Readable } from 'node:stream';
import type { IDataObject } from 'n8n-workflow';

import { downloadFile } from '../../../nodes/Bitrix24/transport';
import type { DownloadRules } from '../../../nodes/Bitrix24/transport';

const rules: DownloadRules = { what: '"File URL"', maxBytes: 10, limit: '10 bytes', maxRedirects: 2, timeoutMs: 30_000 };

function fetcher(answer: (options: IDataObject) => unknown) {
	const requests: IDataObject[] = [];
	const ctx = { helpers: { httpRequest: async (options: IDataObject) => (requests.push(options), answer(options)) } } as never;
	return { ctx, requests };
}

test('refused before any request: not http(s), a user:password, another origin than the allowed one', async () => {
	const { ctx, requests } = fetcher(() => ({ statusCode: 200, headers: {}, body: Buffer.from('x') }));
	expect(await downloadFile(ctx, 'file:///etc/passwd', rules)).toMatchObject({ problem: 'URL_REFUSED', message: '"File URL" must be an http:// or https:// address' });
	expect(await downloadFile(ctx, 'https://u:p@files.example/a', rules)).toMatchObject({ problem: 'URL_REFUSED' });
	expect(await downloadFile(ctx, 'https://files.example/a', { ...rules, origin: 'https://acme.bitrix24.com' })).toMatchObject({ problem: 'URL_REFUSED' });
	expect(requests).toEqual([]);
});

test('n8n follows no redirect itself; at most maxRedirects are followed, each checked', async () => {
	const { ctx, requests } = fetcher(() => ({ statusCode: 302, headers: { location: '/next' }, body: Buffer.alloc(0) }));
	const out = await downloadFile(ctx, 'https://files.example/a', rules);
	expect(out).toMatchObject({ problem: 'REDIRECT_REFUSED', message: '"File URL" answered with a redirect (HTTP 302), which is not followed after 2' });
	expect(requests).toHaveLength(3);
	expect(requests.every((r) => r.disableFollowRedirect === true && r.encoding === 'stream')).toBe(true);
	const toFile = fetcher(() => ({ statusCode: 301, headers: { location: 'file:///etc/passwd' }, body: Buffer.alloc(0) }));
	expect(await downloadFile(toFile.ctx, 'https://files.example/a', rules)).toMatchObject({ problem: 'REDIRECT_REFUSED' });
	expect(toFile.requests).toHaveLength(1);
});

test('a body that stalls is closed at the deadline and reported, not waited for forever', async () => {
	const body = new Readable({ read() {} });
	body.push(Buffer.from('abc'));
	const { ctx } = fetcher(() => ({ statusCode: 200, headers: {}, body }));
	const out = await downloadFile(ctx, 'https://files.example/a', { ...rules, timeoutMs: 50 });
	expect(out).toMatchObject({ problem: 'FAILED', message: '"File URL" could not be downloaded (it took longer than 50 ms)' });
	expect(body.destroyed).toBe(true);
});

test('a body within the limit comes back whole; one byte over is refused', async () => {
	const ok = fetcher(() => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: Readable.from([Buffer.from('12345'), Buffer.from('67890')]) }));
	expect(await downloadFile(ok.ctx, 'https://files.example/a', rules)).toEqual({ body: Buffer.from('1234567890'), headers: { 'content-type': 'text/plain' } });
	const over = fetcher(() => ({ statusCode: 200, headers: {}, body: Readable.from([Buffer.from('12345'), Buffer.from('678901')]) }));
	expect(await downloadFile(over.ctx, 'https://files.example/a', rules)).toMatchObject({ problem: 'TOO_LARGE', message: '"File URL": the file is larger than 10 bytes; the download was stopped there' });
});
