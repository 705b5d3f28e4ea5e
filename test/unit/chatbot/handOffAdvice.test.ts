/* Errors lead with the cause and suggest only operations the node has (issue 25): the bot hand-off on a line whose
 * welcome bot is another points at Open Channels → Line → Set Welcome Bot; an unknown chat leads with Bitrix24's words;
 * no hint offers "Get ID by Entity", which version 2 lacks. */
import type { INode } from 'n8n-workflow';

import { toNodeApiError } from '../../../nodes/Bitrix24/transport';
import { lineResource } from '../../../nodes/Bitrix24OpenChannels/resources/line';

const node = { name: 'Bitrix24 Chatbot', type: 'bitrix24Chatbot', typeVersion: 2, parameters: {} } as unknown as INode;

test('WRONG_CHAT "Operator is not a bot" on the hand-off: the cause first, then how to set the line\'s welcome bot', () => {
	const error = toNodeApiError(node, { method: 'imopenlines.bot.session.operator', code: 'WRONG_CHAT', description: 'Operator is not a bot', httpStatus: 400 });
	expect(error.message).toMatch(/^The dialog is not with this bot: this chat's Open Channel does not use this bot as its welcome bot/);
	expect(error.message).toContain('"Operator is not a bot"');
	expect(error.description).toMatch(/^Make this bot the line's welcome bot with Open Channels → Line → Set Welcome Bot/);
	expect(lineResource.operations.map((o) => o.name)).toContain('Set Welcome Bot');
});

test('an unknown chat leads with "Chat not found", not with plans; the hint offers no "Get ID by Entity"', () => {
	const error = toNodeApiError(node, { method: 'imbot.v2.Chat.get', code: 'ACCESS_DENIED', description: 'Chat not found', httpStatus: 403 });
	expect(error.message).toMatch(/^Chat not found — Bitrix24 imbot\.v2\.Chat\.get failed with ACCESS_DENIED/);
	expect(error.message).not.toMatch(/commercial plan/);
	expect(error.description).not.toMatch(/Get ID by Entity/);
	expect(error.description).toMatch(/\{\{ \$json\.chat\.id \}\}/);
});
