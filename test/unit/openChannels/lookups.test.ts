import type { IDataObject, IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

import { searchConnectors, searchLines } from '../../../nodes/Bitrix24/lookups';
import { oauthCredentials, webhookCredentials } from '../../helpers/runNode';

/** A load-options context whose HTTP helper answers from `reply` and records what was sent. */
function context(reply: (options: IHttpRequestOptions) => unknown, auth = 'oAuth2') {
	const sent: IHttpRequestOptions[] = [];
	const ctx = {
		getNodeParameter: (name: string, fallback: unknown) => (name === 'authentication' ? auth : fallback),
		getCredentials: async () => (auth === 'webhook' ? webhookCredentials() : oauthCredentials()),
		getNode: () => ({ id: '1', name: 'Bitrix', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} }),
		helpers: {
			httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
				sent.push(options);
				return reply(options);
			},
		},
	} as unknown as ILoadOptionsFunctions;
	return { ctx, sent };
}

describe('searchLines (imopenlines.config.list.get)', () => {
	test('lists lines as "name (#id)", filters by the search text, pages by 200', async () => {
		const page = Array.from({ length: 200 }, (_, i) => ({ ID: String(i + 1), LINE_NAME: i === 4 ? 'VIP Support' : `Line ${i + 1}`, ACTIVE: i === 1 ? 'N' : 'Y' }));
		const { ctx, sent } = context(() => ({ result: page }));
		const all = await searchLines.call(ctx);
		expect(sent[0].url).toBe('https://acme.bitrix24.com/rest/imopenlines.config.list.get');
		expect(sent[0].body).toEqual({ PARAMS: { select: ['ID', 'LINE_NAME', 'ACTIVE'], order: { ID: 'ASC' }, limit: 200, offset: 0 } });
		expect(all.results[0]).toEqual({ name: 'Line 1 (#1)', value: '1' });
		expect(all.results[1]).toEqual({ name: 'Line 2 (#2, inactive)', value: '2' });
		expect(all.paginationToken).toBe('200');

		const vip = await searchLines.call(ctx, 'vip', '200');
		expect((sent[1].body as IDataObject).PARAMS).toMatchObject({ offset: 200 });
		expect(vip.results).toEqual([{ name: 'VIP Support (#5)', value: '5' }]);
	});

	test('the last page has no pagination token; works with the webhook credential', async () => {
		const { ctx, sent } = context(() => ({ result: [{ ID: '1', LINE_NAME: 'Sandbox line', ACTIVE: 'Y' }] }), 'webhook');
		const out = await searchLines.call(ctx);
		expect(sent[0].url).toBe('imopenlines.config.list.get');
		expect(out).toEqual({ results: [{ name: 'Sandbox line (#1)', value: '1' }], paginationToken: undefined });
	});
});

describe('searchConnectors (imconnector.list)', () => {
	test('lists every connector as "name (id)", sorted by name, filtered by name or id', async () => {
		const { ctx, sent } = context(() => ({ result: { livechat: 'Live Chat', telegrambot: 'Telegram', acme_wa: 'Acme WhatsApp' } }));
		const out = await searchConnectors.call(ctx);
		expect(sent[0].url).toBe('https://acme.bitrix24.com/rest/imconnector.list');
		expect(out.results).toEqual([
			{ name: 'Acme WhatsApp (acme_wa)', value: 'acme_wa' },
			{ name: 'Live Chat (livechat)', value: 'livechat' },
			{ name: 'Telegram (telegrambot)', value: 'telegrambot' },
		]);
		expect((await searchConnectors.call(ctx, 'TELEGRAM')).results).toEqual([{ name: 'Telegram (telegrambot)', value: 'telegrambot' }]);
		expect((await searchConnectors.call(ctx, 'acme_')).results).toHaveLength(1);
	});

	test('under the webhook credential it says OAuth2 is needed, without a request', async () => {
		const { ctx, sent } = context(() => ({ result: {} }), 'webhook');
		await expect(searchConnectors.call(ctx)).rejects.toThrow(/imconnector\.list.*OAuth2/);
		expect(sent).toHaveLength(0);
	});

	test('a Bitrix error becomes an n8n error naming the method and code', async () => {
		const { ctx } = context(() => ({ error: 'ACCESS_DENIED', error_description: "You don't have access to this action" }));
		await expect(searchConnectors.call(ctx)).rejects.toThrow(/imconnector\.list failed with ACCESS_DENIED/);
	});
});
