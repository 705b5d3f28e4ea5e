/* Issue #14 point 6: three executions on one OAuth2 credential hit an expired access token at the same moment.
 * Each gets 401 expired_token and n8n (2.0.x) refreshes in each of them; Bitrix24's refresh tokens are single-use, so
 * only the first refresh wins and the others get invalid_grant. A 401 means the portal ran nothing, so the losers may
 * reload the rotated credential and send again. Target: 0 failed items, nothing stored twice, in every round.
 * In-process: the three runs share one credential store (read fresh on every access, saved on refresh, as n8n's
 * database), against the sandbox portal (strict single-use rotation, no grace period). */
/* eslint-disable @typescript-eslint/no-require-imports */
import type { IDataObject } from 'n8n-workflow';
import nock from 'nock';

import { Bitrix24Chatbot } from '../../nodes/Bitrix24Chatbot/Bitrix24Chatbot.node';
import { resetBuckets } from '../../nodes/Bitrix24/transport/pacer';
import { makeItems, oauthCredentials, runNode } from '../helpers/runNode';
import type { Sandbox } from '../helpers/sandbox';
import { sandboxCall, startSandbox } from '../helpers/sandbox';

const { account } = require('../../bench/lib/accounting');

const ROUNDS = 10;
const EXECUTIONS = 3;
const ITEMS = 60;

let sb: Sandbox;
let botId: number;

beforeAll(async () => {
	nock.enableNetConnect('127.0.0.1');
	sb = await startSandbox({ port: 0, rate: 0, latencyMs: 5, logLimit: 1_000_000 });
	const token = sb.issueTokens().access_token as string;
	const bot = await sandboxCall(sb, token, 'imbot.register', { CODE: 'expiry_bot', EVENT_HANDLER: 'https://example.com/bot', PROPERTIES: { NAME: 'Expiry bot' } });
	botId = bot.result as number;
});

afterAll(async () => {
	await sb?.stop();
});

test(`${EXECUTIONS} concurrent executions, token expired: 0 failed items in ${ROUNDS} rounds`, async () => {
	const summary: IDataObject[] = [];
	for (let round = 0; round < ROUNDS; round++) {
		resetBuckets();
		sb.portal.log.clear();
		// One credential (one database row) shared by the three workflows; its access token expires before they start.
		const store = {
			bitrix24OAuth2Api: oauthCredentials({
				portalUrl: sb.url,
				clientId: sb.oauth.clientId,
				clientSecret: sb.oauth.clientSecret,
				accessTokenUrl: sb.oauth.tokenUrl,
				oauthTokenData: { ...sb.issueTokens() },
			}),
		};
		sb.expireTokens();
		// Their first requests get 401 expired_token at the same moment, so the three refreshes really race.
		sb.scheduleExpiryRace({ callers: EXECUTIONS, timeoutMs: 10_000 });
		const runs = await Promise.all(
			Array.from({ length: EXECUTIONS }, (_, e) =>
				runNode(new Bitrix24Chatbot().getNodeType(1), {
					parameters: {
						authentication: 'oAuth2',
						resource: 'message',
						operation: 'send',
						botId: { __rl: true, mode: 'id', value: String(botId) },
						target: 'dialog',
						dialogId: '1',
						text: '={{ $json.text }}',
					},
					items: makeItems(ITEMS, (i) => ({ text: `expiry${round}x${e}-${i}` })),
					credentials: store,
					continueOnFail: true,
				}),
			),
		);
		const log = sb.log();
		runs.forEach((run, e) => {
			expect(run.error).toBeUndefined();
			const report = account({ kind: 'chatbot', tag: `expiry${round}x${e}`, count: ITEMS, items: run.items, state: sb.state, log });
			summary.push({ round, execution: e, failedItems: report.failedItems, duplicated: report.duplicated, lost: report.lost, errorCodes: report.errorCodes });
		});
	}
	if (process.env.FAULTS_VERBOSE) process.stderr.write(`${JSON.stringify(summary)}\n`);
	expect(summary.filter((s) => s.failedItems !== 0 || s.duplicated !== 0 || s.lost !== 0)).toEqual([]);
}, 120_000);
