/* Shared by the trigger integration tests: a local "n8n" webhook server feeding a trigger harness, and the sandbox's
 * credentials as the triggers read them. */
/* eslint-disable @typescript-eslint/no-explicit-any */
import http from 'http';
import nock from 'nock';
import type { AddressInfo } from 'net';
import type { INodeType } from 'n8n-workflow';

import { n8nFormRequest, triggerHarness } from '../unit/triggers/triggerContext';
import type { TriggerHarness } from '../unit/triggers/triggerContext';

export interface Delivery {
	event: string;
	status: number;
	items: any[];
	/** what the node answered (undefined: n8n's own "Workflow was started") */
	json?: any;
}

/** A local "n8n": every POST goes to the harness's webhook(); answers like n8n (200, or what the node answered). */
export async function webhookServer(getHarness: () => TriggerHarness) {
	const runs: Delivery[] = [];
	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', async () => {
			// as n8n hands it over: the form parsed flat (at most 1,000 pairs), the raw body and the URL's query
			const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
			const { result, status, json } = await getHarness().receive({ ...n8nFormRequest(raw), query });
			const items = result.workflowData?.[0]?.map((i) => i.json) ?? [];
			runs.push({ event: String(new URLSearchParams(raw).get('event')), status: status ?? 200, items, json });
			res.writeHead(status ?? 200, { 'content-type': 'application/json' });
			res.end(JSON.stringify(json ?? { message: 'Workflow was started' }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
		runs,
		close: async () => {
			server.closeAllConnections();
			await new Promise((resolve) => server.close(resolve));
		},
	};
}

/** The sandbox's OAuth2 and webhook credentials (fast limits), optionally with an Application Token; `webhookBot`: the
 * webhook credential's bot identity (v1: a chatbot client id; v2: a bot token). */
export function sandboxTriggerCredentials(sb: any, applicationToken?: string, webhookBot: Record<string, string> = { chatbotClientId: 'n8n-it-client' }) {
	const tokens = sb.issueTokens();
	return {
		bitrix24OAuth2Api: {
			portalUrl: sb.url,
			clientId: sb.oauth.clientId,
			clientSecret: sb.oauth.clientSecret,
			accessTokenUrl: sb.oauth.tokenUrl,
			authUrl: sb.oauth.authorizeUrl,
			grantType: 'authorizationCode',
			authentication: 'body',
			scope: '',
			rateLimit: 1000,
			rateBurst: 1000,
			applicationToken,
			oauthTokenData: tokens,
		},
		bitrix24WebhookApi: { webhookSecret: sb.webhookUrl, ...webhookBot, rateLimit: 1000, rateBurst: 1000, applicationToken },
	};
}

export async function harnessWithServer(node: INodeType, parameters: any, creds: any, staticData?: any) {
	let harness: TriggerHarness | undefined;
	const server = await webhookServer(() => harness!);
	harness = triggerHarness(node, { parameters, credentials: creds, webhookBaseUrl: server.baseUrl, workflowId: 'wPin', staticData });
	return { harness, server };
}

/**
 * A fresh sandbox portal per test (with nock letting loopback through), for trigger tests that talk to it over HTTP.
 * Returns a getter object: `portal.sb` and `portal.token` (an app access token) are set before each test.
 */
export function sandboxPerTest(): { sb: any; token: string } {
	const portal: { sb: any; token: string } = { sb: undefined, token: '' };
	beforeAll(() => {
		if (!nock.isActive()) nock.activate();
		nock.cleanAll();
		nock.enableNetConnect('127.0.0.1');
	});
	afterAll(() => nock.restore());
	beforeEach(async () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { startSandbox } = require('../../sandbox');
		portal.sb = await startSandbox({ port: 0, rate: 0 });
		portal.token = portal.sb.issueTokens().access_token;
	});
	afterEach(async () => await portal.sb.stop());
	return portal;
}
