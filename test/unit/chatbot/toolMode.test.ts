/* Issue 26: as an AI Agent's tool (type "…Tool"), a Bitrix24 error comes back to the agent as an item it can read
 * ({ error, code }), not a thrown error that ends the run; the same node outside an agent still stops the run. */
import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { run } from './harness';

useNock();

const handOff = { resource: 'lineSession', operation: 'handOff', chatId: '2043' };

describe('a Bitrix24 error when the node runs as an agent tool', () => {
	test('comes back as readable text with its code; outside an agent the same error stops the run', async () => {
		portal({ 'imopenlines.bot.session.operator': { error: 'CHAT_ID_EMPTY', error_description: 'Chat not found' } });
		const asTool = await run(handOff, { type: 'n8n-nodes-bitrix24-chat.bitrix24ChatbotTool' });
		expect(asTool.error).toBeUndefined();
		expect(asTool.items).toHaveLength(1);
		expect(asTool.items[0].json).toMatchObject({ error: expect.stringMatching(/Chat not found/), code: 'CHAT_ID_EMPTY' });
		portal({ 'imopenlines.bot.session.operator': { error: 'CHAT_ID_EMPTY', error_description: 'Chat not found' } });
		const plain = await run(handOff);
		expect(plain.error?.message).toMatch(/Chat not found|CHAT_ID_EMPTY/);
	});

	test('a bad value from the agent is refused before sending, naming the field, as text the agent reads', async () => {
		const { calls } = portal();
		const out = await run({ ...handOff, chatId: 'not a chat' }, { type: 'n8n-nodes-bitrix24-chat.bitrix24ChatbotTool' });
		expect(out.error).toBeUndefined();
		expect(out.items[0].json.error).toMatch(/Chat/);
		expect(calls).toHaveLength(0);
	});
});
