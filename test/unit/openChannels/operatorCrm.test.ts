/* Operator, CRM, Quick Answer and Network Line resources: request, output, checks before sending, notices. */
import type { IDataObject } from 'n8n-workflow';

import { isDocumentedMethod } from '../../helpers/documentedNames';
import { useNock } from '../../helpers/nockPerFile';
import { portal } from '../../helpers/portal';
import { openChannelsResources } from '../../../nodes/Bitrix24OpenChannels/resources';
import { json, node, run } from './helpers';

useNock();

const CODE = 'ab515f5d85a8b844d484f6ea75a2e494';
const crm = { crmEntityType: 'deal', crmEntityId: '1209' };

describe('each operation sends its method with the documented params', () => {
	test.each([
		['operator', 'answer', { chatId: '2043' }, 'imopenlines.operator.answer', { CHAT_ID: 2043 }, true, { chatId: 2043, status: 'answered', success: true }],
		['operator', 'finish', { chatId: '2043' }, 'imopenlines.operator.finish', { CHAT_ID: 2043 }, true, { chatId: 2043, status: 'finished', success: true }],
		['operator', 'finishAnother', { chatId: '2043' }, 'imopenlines.operator.another.finish', { CHAT_ID: 2043 }, true, { chatId: 2043, status: 'finished', success: true }],
		['operator', 'skip', { chatId: '2043' }, 'imopenlines.operator.skip', { CHAT_ID: 2043 }, true, { chatId: 2043, status: 'skipped', success: true }],
		['operator', 'markSpam', { chatId: '2043' }, 'imopenlines.operator.spam', { CHAT_ID: 2043 }, true, { chatId: 2043, status: 'spam', success: true }],
		['operator', 'transfer', { chatId: '2043', userId: '27' }, 'imopenlines.operator.transfer', { CHAT_ID: 2043, USER_ID: 27 }, true, { chatId: 2043, transferredTo: 'user', userId: 27, success: true }],
		['operator', 'transfer', { chatId: '2043', transferTo: 'line', queueLineId: '3' }, 'imopenlines.operator.transfer', { CHAT_ID: 2043, QUEUE_ID: 3 }, true, { chatId: 2043, transferredTo: 'line', lineId: 3, success: true }],
		['crm', 'createLead', { chatId: '2043' }, 'imopenlines.crm.lead.create', { CHAT_ID: 2043 }, true, { chatId: 2043, leadCreated: true }],
		['crm', 'sendMessage', { ...crm, userId: '27', chatId: '1763', text: ' Hello ' }, 'imopenlines.crm.message.add', { CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 1209, USER_ID: 27, CHAT_ID: 1763, MESSAGE: 'Hello' }, 19880117, { messageId: 19880117, chatId: 1763, crmEntityType: 'deal', crmEntityId: 1209 }],
		['crm', 'getLastChatId', crm, 'imopenlines.crm.chat.getLastId', { CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 1209 }, 1763, { chatId: 1763, crmEntityType: 'deal', crmEntityId: 1209 }],
		['crm', 'addUser', { ...crm, userId: '5' }, 'imopenlines.crm.chat.user.add', { CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 1209, USER_ID: 5 }, 1763, { chatId: 1763, userId: 5, added: true, crmEntityType: 'deal', crmEntityId: 1209 }],
		['crm', 'removeUser', { ...crm, userId: '5', chatId: '1763' }, 'imopenlines.crm.chat.user.delete', { CRM_ENTITY_TYPE: 'deal', CRM_ENTITY: 1209, USER_ID: 5, CHAT_ID: 1763 }, 1763, { chatId: 1763, userId: 5, removed: true, crmEntityType: 'deal', crmEntityId: 1209 }],
		['quickAnswer', 'saveFromMessage', { chatId: '1763', messageId: '85851' }, 'imopenlines.message.quick.save', { CHAT_ID: 1763, MESSAGE_ID: 85851 }, true, { chatId: 1763, messageId: 85851, saved: true }],
		['network', 'join', { networkCode: ` ${CODE} ` }, 'imopenlines.network.join', { CODE }, 603, { lineId: 603, networkCode: CODE }],
		['network', 'sendMessage', { networkCode: CODE, userId: '2', text: 'Hi' }, 'imopenlines.network.message.add', { CODE, USER_ID: 2, MESSAGE: 'Hi' }, true, { networkCode: CODE, userId: 2, sent: true }],
		[
			'network',
			'sendMessage',
			{ networkCode: CODE, userId: '2', text: 'Hi', networkOptions: { keyboard: '[{"TEXT": "Open", "LINK": "https://example.com"}]', attach: '[{"MESSAGE": "x"}]', urlPreview: false } },
			'imopenlines.network.message.add',
			{ CODE, USER_ID: 2, MESSAGE: 'Hi', KEYBOARD: [{ TEXT: 'Open', LINK: 'https://example.com' }], ATTACH: [{ MESSAGE: 'x' }], URL_PREVIEW: 'N' },
			true,
			{ networkCode: CODE, userId: 2, sent: true },
		],
	])('%s → %s %j', async (resource, operation, parameters, method, body, answer, output) => {
		const { calls } = portal({ [method]: answer });
		const out = await run({ resource, operation, ...(parameters as IDataObject) });
		expect(out.error).toBeUndefined();
		expect(calls.map((c) => [c.method, c.body])).toEqual([[method, body]]);
		expect(json(out)).toEqual([output]);
	});

	test('CRM → Get Chats: one item per chat (ACTIVE_ONLY as Y/N), Limit applies', async () => {
		const chats = [1, 2, 3].map((i) => ({ CHAT_ID: String(1760 + i), CONNECTOR_ID: 'livechat', CONNECTOR_TITLE: 'Live Chat' }));
		const { calls } = portal({ 'imopenlines.crm.chat.get': chats });
		const out = await run({ resource: 'crm', operation: 'getChats', crmEntityType: 'lead', crmEntityId: '7', activeOnly: false, returnAll: false, limit: 2 });
		expect(calls.map((c) => c.body)).toEqual([{ CRM_ENTITY_TYPE: 'lead', CRM_ENTITY: 7, ACTIVE_ONLY: 'N' }]);
		expect(json(out)).toEqual([
			{ chatId: 1761, connectorId: 'livechat', connectorTitle: 'Live Chat', crmEntityType: 'lead', crmEntityId: 7 },
			{ chatId: 1762, connectorId: 'livechat', connectorTitle: 'Live Chat', crmEntityType: 'lead', crmEntityId: 7 },
		]);
	});
});

describe('bad input is refused before anything is sent', () => {
	test.each([
		['operator', 'answer', { chatId: 'chat' }, /"Chat ID" must be an Open Channel chat ID/],
		['operator', 'transfer', { chatId: '1', userId: '0' }, /"User ID" must be a whole number of at least 1/],
		['operator', 'transfer', { chatId: '1', transferTo: 'line', queueLineId: 'sales' }, /"Line ID" must be a whole number of at least 1/],
		['operator', 'transfer', { chatId: '1', transferTo: 'nobody' }, /"Transfer To" must be one of: line, user/],
		['crm', 'sendMessage', { ...crm, userId: '1', chatId: '2', text: '={{ "  " }}' }, /"Text" is required/],
		['crm', 'getLastChatId', { crmEntityType: 'order', crmEntityId: '1' }, /"CRM Entity Type" must be one of: company, contact, deal, lead/],
		['crm', 'addUser', { ...crm, userId: '1', chatId: 'x' }, /"Chat ID" must be an Open Channel chat ID/],
		['crm', 'getChats', { crmEntityType: 'lead', crmEntityId: '-1' }, /"CRM Entity ID" must be a whole number of at least 1/],
		['network', 'join', { networkCode: 'abc' }, /"Network Line Code" must be the 32-character line code/],
		['network', 'sendMessage', { networkCode: CODE, userId: '2', text: 'x', networkOptions: { keyboard: '[{"TEXT": "Go", "COMMAND": "go"}]' } }, /LINK" must be an http/],
		['network', 'sendMessage', { networkCode: CODE, userId: '2', text: 'x', networkOptions: { keyboard: '[{"TEXT": "Go", "LINK": "https://e.x", "COMMAND": "go"}]' } }, /only hold link buttons/],
		['network', 'sendMessage', { networkCode: CODE, userId: '2', text: 'x', networkOptions: { attach: JSON.stringify([{ MESSAGE: 'y'.repeat(31 * 1024) }]) } }, /larger than 30 KB/],
	])('%s → %s %j', async (resource, operation, parameters, message) => {
		const { calls } = portal();
		const out = await run({ resource, operation, ...(parameters as IDataObject) });
		expect(out.error?.message).toMatch(message);
		expect(calls).toHaveLength(0);
	});

	test('Bitrix24 errors and false answers become the item error', async () => {
		portal({ 'imopenlines.crm.lead.create': { error: 'ERROR_USER_NOT_OPERATOR', error_description: 'Attempt to save a CRM object by a user who is not an operator' }, 'imopenlines.operator.skip': false });
		const lead = await run({ resource: 'crm', operation: 'createLead', chatId: '1' }, { continueOnFail: true });
		expect(json(lead)).toEqual([{ error: expect.stringMatching(/ERROR_USER_NOT_OPERATOR/), code: 'ERROR_USER_NOT_OPERATOR' }]);
		const skip = await run({ resource: 'operator', operation: 'skip', chatId: '1' }, { continueOnFail: true });
		expect(json(skip)).toEqual([{ error: expect.stringMatching(/Chat 1: nothing was done/), code: 'NOT_DONE' }]);
	});
});

describe('description', () => {
	const ops = openChannelsResources.flatMap((r) => r.operations.map((o) => ({ resource: r.value, ...o })));

	test('48 operations; every imopenlines method of the documented list but the bot hand-off is here, once (config.update twice: Update and Set Welcome Bot)', () => {
		expect(ops).toHaveLength(48);
		const methods = ops.map((o) => o.method);
		for (const method of methods) expect(isDocumentedMethod(method)).toBe(true);
		const own = methods.filter((m) => m.startsWith('imopenlines.')).sort();
		expect(own).toHaveLength(35);
		expect(new Set(own).size).toBe(own.length - 1);
		expect(ops.filter((o) => o.method === 'imopenlines.config.update').map((o) => o.name)).toEqual(['Update', 'Set Welcome Bot']);
		expect(own.some((m) => m.startsWith('imopenlines.bot.'))).toBe(false);
	});

	test('operations that act as the credential\'s user say so in a notice; reads are write: false', () => {
		const notices = node.description.properties.filter((p) => p.type === 'notice' && p.name.startsWith('notice_'));
		const noticeOf = (resource: string, operation: string) =>
			notices.find((p) => p.displayOptions?.show?.resource?.[0] === resource && p.displayOptions?.show?.operation?.[0] === operation)?.displayName;
		for (const op of ['answer', 'finish', 'finishAnother', 'skip', 'markSpam', 'transfer']) expect(noticeOf('operator', op)).toMatch(/Runs as the user of the credential/);
		for (const op of ['join', 'intercept', 'pin', 'pinAll', 'createLead']) expect(noticeOf(op === 'createLead' ? 'crm' : 'session', op)).toMatch(/Runs as the user/);
		const reads = ops.filter((o) => o.write === false).map((o) => o.method);
		expect(reads).toEqual(
			expect.arrayContaining([
				'imopenlines.session.open',
				'imopenlines.dialog.get',
				'imopenlines.session.history.get',
				'imopenlines.crm.chat.get',
				'imopenlines.crm.chat.getLastId',
				'imopenlines.config.path.get',
				'imopenlines.revision.get',
			]),
		);
		expect(reads.some((m) => /answer|finish|transfer|add|create|save|join|start/.test(m.split('.').slice(1).join('.')) && !m.endsWith('.get'))).toBe(false);
	});
});
