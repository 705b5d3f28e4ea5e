/* Chatbot v2 files: upload from a binary property or a URL (one item's bytes at a time), download into a binary
 * property with the one-time URL kept out of outputs and errors. */
import nock from 'nock';

import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { json, rl } from './harness';
import { runV2 } from './v2harness';

useNock();

const bot = { botId: rl(456) };
const PDF = Buffer.from('%PDF-1.4 hello file');
const fileItem = (name = 'report.pdf', bytes = PDF) => ({ json: {}, binary: { data: { data: bytes.toString('base64'), mimeType: 'application/pdf', fileName: name } } });

describe('File → Upload', () => {
	test('from a binary property: name and base64 content in fields, one call per item, never in a batch', async () => {
		const { calls } = portal({
			'imbot.v2.File.upload': (body: { fields: { name: string } }) => ({ file: { id: 900, name: body.fields.name, size: PDF.length }, messageId: 55, dialogId: 'chat5' }),
		});
		const out = await runV2({ resource: 'file', operation: 'upload', ...bot, dialogId: 'chat5', fileSource: 'binary', options: { message: 'Your report' } }, { items: [fileItem(), fileItem('b.pdf')] });
		expect(out.error).toBeUndefined();
		expect(calls.map((c) => c.method)).toEqual(['imbot.v2.File.upload', 'imbot.v2.File.upload']);
		expect(calls[0].body).toEqual({ botId: 456, dialogId: 'chat5', fields: { message: 'Your report', name: 'report.pdf', content: PDF.toString('base64') } });
		expect(calls[1].body).toMatchObject({ fields: { name: 'b.pdf' } });
		expect(json(out.items)[0]).toMatchObject({ fileId: 900, fileName: 'report.pdf', messageId: 55, dialogId: 'chat5' });
	});

	test('from a URL, with a name of its own', async () => {
		nock('https://files.example').get('/docs/Price%20List.pdf').reply(200, PDF, { 'Content-Type': 'application/pdf' });
		const { calls } = portal({ 'imbot.v2.File.upload': { file: { id: 901 } } });
		await runV2({ resource: 'file', operation: 'upload', ...bot, dialogId: '27', fileSource: 'url', fileUrl: 'https://files.example/docs/Price%20List.pdf' });
		expect(calls[0].body).toEqual({ botId: 456, dialogId: '27', fields: { name: 'Price List.pdf', content: PDF.toString('base64') } });
	});

	test('over 100 MB, an empty file or a missing binary property: refused before sending, naming the cause', async () => {
		const { calls } = portal();
		const huge = { json: {}, binary: { data: { data: '', mimeType: 'application/zip', fileName: 'big.zip', bytes: 101 * 1024 * 1024 } } };
		const tooBig = await runV2({ resource: 'file', operation: 'upload', ...bot, dialogId: '27', fileSource: 'binary' }, { items: [huge as never] });
		expect(tooBig.error?.message).toMatch(/101\.0 MB; Bitrix24 accepts at most 100 MB per file \(FILE_TOO_LARGE\)/);
		const missing = await runV2({ resource: 'file', operation: 'upload', ...bot, dialogId: '27', fileSource: 'binary', binaryPropertyName: 'attachment' }, { items: [fileItem()] });
		expect(missing.error?.message).toMatch(/no binary property "attachment"/);
		expect(calls).toHaveLength(0);
	});

	test('with Continue On Fail off a failed upload stops the run: later files are not sent', async () => {
		let n = 0;
		const { calls } = portal({ 'imbot.v2.File.upload': () => (++n === 2 ? { error: 'FILE_UPLOAD_FAILED', error_description: 'File upload error' } : { file: { id: n } }) });
		const out = await runV2({ resource: 'file', operation: 'upload', ...bot, dialogId: '27', fileSource: 'binary' }, { items: [fileItem('1.pdf'), fileItem('2.pdf'), fileItem('3.pdf')] });
		expect(out.error?.message).toMatch(/^Item 2 of 3 failed: .*FILE_UPLOAD_FAILED.*Item 1 was delivered; item 3 was not sent/);
		expect(calls).toHaveLength(2);
	});
});

describe('File → Download', () => {
	const URL = 'https://acme.bitrix24.com/rest/download.json?token=imbot%7Csecret-one-time';

	test('fetches the one-time URL into a binary property; the URL is not in the output', async () => {
		portal({ 'imbot.v2.File.download': { downloadUrl: URL } });
		nock('https://acme.bitrix24.com')
			.get('/rest/download.json')
			.query(true)
			.reply(200, PDF, { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="report.pdf"' });
		const out = await runV2({ resource: 'file', operation: 'download', ...bot, fileId: '900', binaryPropertyName: 'file' });
		expect(out.error).toBeUndefined();
		const [item] = out.items;
		expect(item.json).toEqual({ fileId: 900, fileName: 'report.pdf', mimeType: 'application/pdf', size: PDF.length });
		expect(Buffer.from(item.binary!.file.data, 'base64')).toEqual(PDF);
		expect(JSON.stringify(out.items)).not.toContain('secret-one-time');
	});

	test('a failed download names the status, never the URL', async () => {
		portal({ 'imbot.v2.File.download': { downloadUrl: URL } });
		nock('https://acme.bitrix24.com').get('/rest/download.json').query(true).reply(403, 'expired');
		const out = await runV2({ resource: 'file', operation: 'download', ...bot, fileId: '900' }, { continueOnFail: true });
		expect(json(out.items)[0].error).toMatch(/download link could not be downloaded \(HTTP 403\); ask for a new download link/);
		expect(JSON.stringify(out.items)).not.toContain('secret-one-time');
	});
});

describe('File → Upload as Me / Download as Me (im.v2, the credential\'s user: no bot)', () => {
	test('Upload as Me sends im.v2.File.upload with dialogId and the file, no botId', async () => {
		const { calls } = portal({ 'im.v2.File.upload': { file: { id: 902, name: 'report.pdf', size: PDF.length }, messageId: 56, chatId: 7, dialogId: '27' } });
		const out = await runV2({ resource: 'file', operation: 'uploadAsMe', dialogId: '27', fileSource: 'binary', options: { message: 'From me' } }, { items: [fileItem()] });
		expect(out.error).toBeUndefined();
		expect(calls.map((c) => c.method)).toEqual(['im.v2.File.upload']);
		expect(calls[0].body).toEqual({ dialogId: '27', fields: { message: 'From me', name: 'report.pdf', content: PDF.toString('base64') } });
		expect(json(out.items)[0]).toMatchObject({ fileId: 902, messageId: 56, dialogId: '27' });
	});

	test('Download as Me sends the dialog, fetches the file into binary, keeps the URL out', async () => {
		const URL = 'https://acme.bitrix24.com/rest/download.json?token=im%7Csecret-two';
		const { calls } = portal({ 'im.v2.File.download': { downloadUrl: URL } });
		nock('https://acme.bitrix24.com').get('/rest/download.json').query(true).reply(200, PDF, { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="r.pdf"' });
		const out = await runV2({ resource: 'file', operation: 'downloadAsMe', dialogId: 'chat5', fileId: '900' });
		expect(out.error).toBeUndefined();
		expect(calls[0]).toMatchObject({ method: 'im.v2.File.download', body: { dialogId: 'chat5', fileId: 900 } });
		expect(out.items[0].json).toEqual({ fileId: 900, fileName: 'r.pdf', mimeType: 'application/pdf', size: PDF.length });
		expect(JSON.stringify(out.items)).not.toContain('secret-two');
	});
});
