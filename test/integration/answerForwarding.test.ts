/* Issue 23, point 1: an in-chat answer is POSTed only to one of n8n's own waiting-webhook URLs, and no redirect is
 * followed. Runs forwardChatAnswer in n8n-core's real PollContext (its httpRequest and its $execution.resumeUrl), with
 * local servers for "n8n" and for another host. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import 'reflect-metadata';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { PollContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';

import { chatAnswerParams, forwardChatAnswer } from '../../nodes/Bitrix24/events/sendAndWaitAnswer';
import { Bitrix24ChatbotFetchTriggerV1 as Bitrix24ChatbotFetchTrigger } from '../../nodes/Bitrix24ChatbotFetchTrigger/v1/Bitrix24ChatbotFetchTriggerV1.node';
import { credentialsHelper, oauthCredentials } from '../helpers/runNode';

interface Local {
	url: string;
	seen: Array<{ method: string; url: string; body: string }>;
	/** answers by path: a redirect target, or 200 */
	redirects: Record<string, string>;
	close: () => Promise<void>;
}

async function local(): Promise<Local> {
	const state = { seen: [] as Local['seen'], redirects: {} as Record<string, string> };
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (chunk) => (body += chunk));
		req.on('end', () => {
			state.seen.push({ method: String(req.method), url: String(req.url), body });
			const target = state.redirects[String(req.url).split('?')[0]];
			if (target) return void res.writeHead(307, { location: target }).end();
			if (String(req.url).startsWith('/webhook-waiting/403/')) return void res.writeHead(403).end('Invalid token');
			res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return Object.assign(state, {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	});
}

let n8n: Local;
let elsewhere: Local;

beforeAll(async () => {
	nock.restore();
	n8n = await local();
	elsewhere = await local();
});
afterAll(async () => {
	await n8n.close();
	await elsewhere.close();
});
beforeEach(() => {
	for (const server of [n8n, elsewhere]) Object.assign(server, { seen: [], redirects: {} });
});

/** A Chatbot Fetch Trigger's poll context as n8n builds it; `waitingBase`: n8n's waiting-webhook base URL. */
function pollContext(waitingBase?: string) {
	const nodeType = new Bitrix24ChatbotFetchTrigger();
	const node: any = { id: 'p1', name: 'Fetch Trigger', type: 'test.fetch', typeVersion: 1, position: [0, 0], parameters: { authentication: 'oAuth2' }, credentials: { bitrix24OAuth2Api: { id: '1', name: 'c' } } };
	const nodeTypes: any = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) };
	const workflow = new Workflow({ id: 'w1', nodes: [node], connections: {}, active: true, nodeTypes });
	const additionalData: any = {
		credentialsHelper: credentialsHelper({ bitrix24OAuth2Api: oauthCredentials() }),
		variables: {},
		restApiUrl: '',
		instanceBaseUrl: `${n8n.url}/`,
		webhookWaitingBaseUrl: waitingBase,
		userId: 'u',
	};
	const ctx: any = new PollContext(workflow, node, additionalData, 'trigger', 'activate');
	const warnings: string[] = [];
	Object.defineProperty(ctx, 'logger', { value: { warn: (m: string) => warnings.push(m), info: () => undefined, debug: () => undefined, error: () => undefined } });
	return { ctx, warnings };
}

const item = (url: string) => ({ botId: 7, dialogId: '2', user: { id: 2, name: 'Boris' }, command: { params: chatAnswerParams(url), messageId: 9 } });

test('a resume URL of this n8n that redirects elsewhere: the answer and its MAC do not leave; the log says dropped and why', async () => {
	n8n.redirects['/webhook-waiting/12/node-1'] = `${elsewhere.url}/collect`;
	const { ctx, warnings } = pollContext(`${n8n.url}/webhook-waiting`);
	expect(await forwardChatAnswer(ctx, item(`${n8n.url}/webhook-waiting/12/node-1?approved=true&signature=abc`))).toBeTruthy();
	expect(n8n.seen.map((s) => s.url)).toEqual(['/webhook-waiting/12/node-1?approved=true&signature=abc']);
	expect(elsewhere.seen).toEqual([]);
	expect(warnings.join('\n')).toMatch(/dropped.*redirect \(HTTP 307\)/);
	expect(warnings.join('\n')).not.toMatch(/forwarded/);
});

test('a URL of this n8n that is not a waiting webhook (a production webhook) is dropped without a request', async () => {
	const { ctx, warnings } = pollContext(`${n8n.url}/webhook-waiting`);
	for (const url of [`${n8n.url}/webhook/abc/def?signature=x`, `${n8n.url}/rest/settings/a/b?signature=x`, `${n8n.url}/form-waiting/12/node-1?signature=x`]) {
		expect(await forwardChatAnswer(ctx, item(url))).toBeTruthy();
	}
	expect(n8n.seen).toEqual([]);
	expect(warnings).toHaveLength(3);
	for (const warning of warnings) expect(warning).toMatch(/dropped: its URL is not a waiting webhook of this n8n/);
});

test('a custom waiting-webhook endpoint (N8N_ENDPOINT_WEBHOOK_WAIT) is read from n8n; the default name is then refused', async () => {
	const { ctx } = pollContext(`${n8n.url}/hooks/wait-here`);
	await forwardChatAnswer(ctx, item(`${n8n.url}/hooks/wait-here/12/node-1?approved=false&signature=abc`));
	await forwardChatAnswer(ctx, item(`${n8n.url}/webhook-waiting/12/node-1?approved=false&signature=abc`));
	expect(n8n.seen.map((s) => s.url)).toEqual(['/hooks/wait-here/12/node-1?approved=false&signature=abc']);
	expect(JSON.parse(n8n.seen[0].body).bitrix24ChatAnswer).toMatchObject({ userId: 2, messageId: 9 });
});

test('an answer n8n accepts is forwarded without a warning; one it refuses (403) is logged with the status', async () => {
	const { ctx, warnings } = pollContext(`${n8n.url}/webhook-waiting`);
	await forwardChatAnswer(ctx, item(`${n8n.url}/webhook-waiting/12/node-1?approved=true&signature=abc`));
	expect(n8n.seen).toHaveLength(1);
	expect(warnings).toEqual([]);
	await forwardChatAnswer(ctx, item(`${n8n.url}/webhook-waiting/403/node-1?approved=true&signature=abc`));
	expect(n8n.seen).toHaveLength(2);
	expect(warnings).toEqual([expect.stringMatching(/n8n refused .*HTTP 403/)]);
});
