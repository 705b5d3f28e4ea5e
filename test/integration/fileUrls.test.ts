/* Issue 23, points 2 and 3: what the Chatbot node fetches from a URL, run in-process through n8n-core's real
 * httpRequest against local servers. A "portal" on 127.0.0.1 answers the REST calls and serves its download link; a
 * second local server stands for n8n itself (/rest/settings) or any other host. A download link off the portal, or a
 * redirect off it, is refused without a request there; a body over the limit is refused while it streams (the
 * server sees the connection close long before it has sent everything) — for File → Download, File → Upload from a
 * URL and a bot photo from a URL. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';

import { oauthCredentials } from '../helpers/runNode';
import { imageItem, rl } from '../unit/chatbot/harness';
import { runV2 } from '../unit/chatbot/v2harness';
import { run } from '../unit/chatbot/harness';

const MB = 1024 * 1024;
const PDF = Buffer.from('%PDF-1.4 a small file');

interface Served {
	/** requests seen: method and path */
	seen: string[];
	/** bytes written by the last streamed body before it ended or the client went away */
	written: number;
	/** the answer of the REST call imbot.v2.File.download */
	downloadUrl?: string;
	/** GET handler of this server, by path */
	get: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void>;
	rest: string[];
}

interface Local {
	url: string;
	state: Served;
	close: () => Promise<void>;
}

async function localServer(): Promise<Local> {
	const state: Served = { seen: [], written: 0, get: {}, rest: [] };
	const server = http.createServer((req, res) => {
		const path = String(req.url).split('?')[0];
		state.seen.push(`${req.method} ${path}`);
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			if (req.method === 'POST' && path.startsWith('/rest/')) {
				const method = path.split('/').pop() as string;
				state.rest.push(method);
				const result = method === 'imbot.v2.File.download' ? { downloadUrl: state.downloadUrl } : method === 'imbot.v2.File.upload' ? { file: { id: 1 } } : true;
				res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result }));
				return;
			}
			const handler = state.get[path];
			if (handler) return handler(req, res);
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"n8n":"settings","secret":"internal"}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		state,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

/** Streams `total` bytes in 1 MiB chunks (no Content-Length unless asked), counting what was written. */
function streamBody(state: Served, total: number, headers: Record<string, string | number> = {}) {
	return (_req: http.IncomingMessage, res: http.ServerResponse) => {
		state.written = 0;
		res.writeHead(200, { 'content-type': 'application/octet-stream', ...headers });
		const chunk = Buffer.alloc(MB, 7);
		const pump = () => {
			while (state.written < total) {
				if (res.destroyed) return;
				state.written += chunk.length;
				if (!res.write(chunk)) return void res.once('drain', pump);
			}
			res.end();
		};
		res.on('close', () => undefined);
		pump();
	};
}

let portal: Local;
let other: Local;

beforeAll(async () => {
	// No nock here: its pass-through reads a real response whole whatever the client does, which would hide the point.
	nock.restore();
	portal = await localServer();
	other = await localServer();
});
afterAll(async () => {
	await portal.close();
	await other.close();
});
beforeEach(() => {
	for (const local of [portal, other]) Object.assign(local.state, { seen: [], written: 0, get: {}, rest: [], downloadUrl: undefined });
});

const credentials = () => ({ bitrix24OAuth2Api: oauthCredentials({ portalUrl: portal.url, oauthTokenData: { access_token: 'a', refresh_token: 'r', expires_in: 3600, client_endpoint: `${portal.url}/rest/` } }) });
const download = (extra: any = {}) => runV2({ resource: 'file', operation: 'download', botId: rl(456), fileId: '900', ...extra }, { credentials: credentials(), continueOnFail: true });
const errorOf = (out: any) => String(out.items[0]?.json?.error ?? out.error?.message ?? '');

describe('File → Download fetches only the portal\'s own download link', () => {
	test('a link on the portal, as the docs give it (/rest/download.json?token=…), is downloaded', async () => {
		portal.state.downloadUrl = `${portal.url}/rest/download.json?token=imbot%7Cone-time`;
		portal.state.get['/rest/download.json'] = (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="a.pdf"' }).end(PDF);
		const out = await download();
		expect(out.items[0].json).toMatchObject({ fileName: 'a.pdf', size: PDF.length });
	});

	test('a link to another host (n8n\'s own /rest/settings) is refused without a request there', async () => {
		portal.state.downloadUrl = `${other.url}/rest/settings`;
		const out = await download();
		expect(errorOf(out)).toMatch(/points to http:\/\/127\.0\.0\.1:\d+, not to the portal/);
		expect(other.state.seen).toEqual([]);
		expect(JSON.stringify(out.items)).not.toContain('internal');
	});

	test('a link on the portal that is not a download link (/rest/settings) is refused', async () => {
		portal.state.downloadUrl = `${portal.url}/rest/settings`;
		const out = await download();
		expect(errorOf(out)).toMatch(/not a Bitrix24 download link/);
		expect(portal.state.seen.filter((s) => s.startsWith('GET'))).toEqual([]);
	});

	test('a redirect off the portal is not followed', async () => {
		portal.state.downloadUrl = `${portal.url}/rest/download.json?token=t`;
		portal.state.get['/rest/download.json'] = (_req, res) => res.writeHead(302, { location: `${other.url}/rest/settings` }).end();
		const out = await download();
		expect(errorOf(out)).toMatch(/redirected to http:\/\/127\.0\.0\.1:\d+, not to the portal/);
		expect(other.state.seen).toEqual([]);
	});

	test('a redirect within the portal is followed', async () => {
		portal.state.downloadUrl = `${portal.url}/rest/download.json?token=t`;
		portal.state.get['/rest/download.json'] = (_req, res) => res.writeHead(307, { location: '/upload/file/a.pdf' }).end();
		portal.state.get['/upload/file/a.pdf'] = (_req, res) => res.writeHead(200, { 'content-type': 'application/pdf' }).end(PDF);
		const out = await download();
		expect(out.items[0].json).toMatchObject({ size: PDF.length });
	});

	test('an https portal\'s link over plain http (a downgrade) is refused', async () => {
		const cred = credentials();
		cred.bitrix24OAuth2Api.oauthTokenData.client_endpoint = portal.url.replace('http:', 'https:') + '/rest/';
		nock.activate();
		nock.enableNetConnect('127.0.0.1');
		nock(portal.url.replace('http:', 'https:')).post('/rest/imbot.v2.File.download').reply(200, { result: { downloadUrl: `${portal.url}/rest/download.json?token=t` } });
		const out = await runV2({ resource: 'file', operation: 'download', botId: rl(456), fileId: '900' }, { credentials: cred, continueOnFail: true }).finally(() => nock.restore());
		expect(errorOf(out)).toMatch(/points to http:\/\/127\.0\.0\.1:\d+, not to the portal \(https:/);
		expect(portal.state.seen.filter((s) => s.startsWith('GET'))).toEqual([]);
	});
});

describe('sizes are checked while the body streams, not after', () => {
	test('File → Download stops at its Max File Size and says so', async () => {
		portal.state.downloadUrl = `${portal.url}/rest/download.json?token=t`;
		portal.state.get['/rest/download.json'] = streamBody(portal.state, 64 * MB);
		const out = await download({ maxFileSizeMb: 2 });
		expect(errorOf(out)).toMatch(/larger than 2 MB.*Max File Size/);
		expect(portal.state.written).toBeLessThan(32 * MB);
	});

	test('File → Download refuses a Content-Length over the limit before reading the body', async () => {
		portal.state.downloadUrl = `${portal.url}/rest/download.json?token=t`;
		portal.state.get['/rest/download.json'] = streamBody(portal.state, 64 * MB, { 'content-length': 64 * MB });
		const out = await download({ maxFileSizeMb: 2 });
		expect(errorOf(out)).toMatch(/larger than 2 MB/);
		expect(portal.state.written).toBeLessThan(32 * MB);
	});

	test('Max File Size that is not a positive number is refused before anything is sent', async () => {
		const out = await download({ maxFileSizeMb: -1 });
		expect(errorOf(out)).toMatch(/Max File Size/);
		expect(portal.state.rest).toEqual([]);
	});

	test('File → Upload from a 300 MB URL stops at 100 MB (FILE_TOO_LARGE) and sends nothing', async () => {
		other.state.get['/big.bin'] = streamBody(other.state, 300 * MB);
		const out = await runV2({ resource: 'file', operation: 'upload', botId: rl(456), dialogId: '27', fileSource: 'url', fileUrl: `${other.url}/big.bin` }, { credentials: credentials(), continueOnFail: true });
		expect(errorOf(out)).toMatch(/"File URL": the file is larger than 100 MB.*FILE_TOO_LARGE/);
		expect(other.state.written).toBeLessThan(200 * MB);
		expect(portal.state.rest).toEqual([]);
	});

	test('a bot photo from a URL stops at the image limit', async () => {
		other.state.get['/photo.png'] = streamBody(other.state, 300 * MB);
		const out = await run(
			{ resource: 'bot', operation: 'register', code: 'capbot', name: 'Cap', eventHandler: 'https://n8n.example/webhook/x', photoSource: 'url', photoUrl: `${other.url}/photo.png` },
			{ credentials: credentials(), continueOnFail: true, items: [imageItem()] },
		);
		expect(errorOf(out)).toMatch(/"Photo URL": the file is larger than 10 MB/);
		expect(other.state.written).toBeLessThan(200 * MB);
		expect(portal.state.rest).toEqual([]);
	});
});
