import type { IDataObject } from 'n8n-workflow';

import { encoders, FieldError, validators } from '../../Bitrix24/operations';
import type { Encoder, ResourceSpec } from '../../Bitrix24/operations';
import { mustBeTrue, networkCodeField, userIdField } from './openLinesFields';
import { messageTextProperty } from '../../Bitrix24/fields/messageText';

/** Bitrix24.Network lines (bitrix24-api.md §3.2): imopenlines.network.join / network.message.add. */

const ATTACH_MAX_BYTES = 30 * 1024;

const attachJson: Encoder = (value, item) => {
	const parsed = encoders.jsonValue(value, item);
	if (parsed === undefined) return undefined;
	if (!parsed || typeof parsed !== 'object') throw new FieldError('must be a JSON attachment: an array of blocks or an object with BLOCKS');
	if (validators.utf8Bytes(JSON.stringify(parsed)) > ATTACH_MAX_BYTES) throw new FieldError('is larger than 30 KB, the most Bitrix24 accepts (ATTACH_OVERSIZE)');
	return parsed;
};

/** Only link buttons are allowed here: every button needs TEXT and an http(s) LINK. */
const linkKeyboard: Encoder = (value, item) => {
	const parsed = encoders.jsonValue(value, item);
	if (parsed === undefined) return undefined;
	const buttons = Array.isArray(parsed) ? (parsed as IDataObject[]) : ((parsed as IDataObject | null)?.BUTTONS as IDataObject[] | undefined);
	if (!Array.isArray(buttons) || buttons.length === 0) throw new FieldError('must be a JSON array of buttons, e.g. [{"TEXT": "Open", "LINK": "https://example.com"}]');
	for (const button of buttons) {
		if (!button || typeof button !== 'object') throw new FieldError('must list button objects');
		if (button.TYPE === 'NEWLINE') continue;
		if (!button.TEXT) throw new FieldError('has a button without TEXT');
		validators.checkHttpUrl(button.LINK, 'Keyboard (JSON) → LINK');
		if (button.COMMAND !== undefined || button.ACTION !== undefined) throw new FieldError('may only hold link buttons here (no COMMAND or ACTION)');
	}
	return parsed;
};

export const networkResource: ResourceSpec = {
	value: 'network',
	name: 'Network Line',
	description: 'Open Channels of Bitrix24.Network',
	operations: [
		{
			value: 'join',
			name: 'Join',
			action: 'Connect a Bitrix24.Network line',
			description: 'Connect an external Bitrix24.Network Open Channel to this portal by its code; returns its line ID (imopenlines.network.join)',
			method: 'imopenlines.network.join',
			fields: [networkCodeField],
			output: (result, params) => ({ lineId: Number(result), networkCode: params.CODE as string }),
		},
		{
			value: 'sendMessage',
			name: 'Send Message',
			action: 'Send a message to a user as a Bitrix24.Network line',
			description: 'Send a message to a user on behalf of a Bitrix24.Network line: one per user per week (imopenlines.network.message.add)',
			method: 'imopenlines.network.message.add',
			notice: 'Bitrix24 allows one message per user per week for each line (USER_MESSAGE_LIMIT); partner (NFR) portals have no limit.',
			fields: [
				networkCodeField,
				userIdField('The recipient (USER_ID).'),
				{
					property: { ...messageTextProperty('The message (MESSAGE); BB-codes work'), required: true },
					param: 'MESSAGE',
					encode: encoders.trimmed,
				},
				{
					property: { displayName: 'Options', name: 'networkOptions', type: 'collection', placeholder: 'Add Option', default: {} },
					children: [
						{
							property: { displayName: 'Attachment (JSON)', name: 'attach', type: 'json', default: '', description: 'ATTACH: rich attachment blocks, at most 30 KB' },
							param: 'ATTACH',
							encode: attachJson,
						},
						{
							property: { displayName: 'Keyboard (JSON)', name: 'keyboard', type: 'json', default: '', description: 'KEYBOARD: link buttons only, e.g. [{"TEXT": "Open", "LINK": "https://example.com"}]' },
							param: 'KEYBOARD',
							encode: linkKeyboard,
						},
						{
							property: { displayName: 'URL Preview', name: 'urlPreview', type: 'boolean', default: true, description: 'Whether links become preview cards (URL_PREVIEW)' },
							param: 'URL_PREVIEW',
							encode: encoders.yesNo,
						},
					],
				},
			],
			output: (result, params) => {
				mustBeTrue('imopenlines.network.message.add', `The message to user ${String(params.USER_ID)} was not sent`)(result);
				return { networkCode: params.CODE as string, userId: params.USER_ID as number, sent: true };
			},
		},
	],
};
