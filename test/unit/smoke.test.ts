import nock from 'nock';

import { encoders } from '../../nodes/Bitrix24/operations';
import type { ResourceSpec } from '../../nodes/Bitrix24/operations';
import { runNode, WEBHOOK_BASE, WEBHOOK_PATH } from '../helpers/runNode';
import { specNode } from '../helpers/specNode';

const resources: ResourceSpec[] = [
	{
		value: 'message',
		name: 'Message',
		operations: [
			{
				value: 'send',
				name: 'Send',
				action: 'Send a message',
				description: 'Send',
				method: 'imbot.message.add',
				fields: [
					{ property: { displayName: 'Dialog ID', name: 'dialogId', type: 'string', default: '', required: true }, param: 'DIALOG_ID' },
					{ property: { displayName: 'Text', name: 'text', type: 'string', default: '' }, param: 'MESSAGE' },
					{ property: { displayName: 'System', name: 'system', type: 'boolean', default: false }, param: 'SYSTEM', encode: encoders.yesNo },
				],
			},
		],
	},
];

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

test('webhook call', async () => {
	const scope = nock(WEBHOOK_BASE)
		.post(`${WEBHOOK_PATH}imbot.message.add`, { DIALOG_ID: 'chat5', MESSAGE: 'hi', SYSTEM: 'N', CLIENT_ID: 'n8n-bot-client' })
		.reply(200, { result: 77 });
	const out = await runNode(specNode(resources), {
		parameters: { authentication: 'webhook', resource: 'message', operation: 'send', dialogId: 'chat5', text: 'hi' },
	});
	expect(out.error).toBeUndefined();
	expect(out.items.map((i) => i.json)).toEqual([{ result: 77 }]);
	expect(scope.isDone()).toBe(true);
});
