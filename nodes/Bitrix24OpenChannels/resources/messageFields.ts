import type { IDataObject } from 'n8n-workflow';

import type { Encoder, FieldSpec } from '../../Bitrix24/operations';
import { encoders, FieldError, validators } from '../../Bitrix24/operations';
import { messageTextProperty } from '../../Bitrix24/fields/messageText';

/** Fields of the MESSAGES[] elements of imconnector.*.messages and send.status.* (bitrix24-api.md §2.1). */

function externalId(name: string, displayName: string, param: string, description: string): FieldSpec {
	return {
		property: { displayName, name, type: 'string', default: '', required: true, description },
		param,
		encode: encoders.trimmed,
	};
}

export const externalUserId = externalId('externalUserId', 'External User ID', 'user.id', 'ID of the customer in the external messenger');
export const externalChatId = externalId(
	'externalChatId',
	'External Chat ID',
	'chat.id',
	'ID of the chat in the external messenger (recommended: the channel ID given in Set Channel Data)',
);
export const externalMessageId = externalId(
	'externalMessageId',
	'External Message ID',
	'message.id',
	'ID of the message in the external messenger; needed later to update or delete it',
);

export const messageText: FieldSpec = {
	property: messageTextProperty('Message text; BB-codes such as [b]bold[/b] and [br] are allowed. Text or files are required.'),
	param: 'message.text',
};

/** [{name, url}] from the Files fixed collection; each URL must be http(s) and reachable by Bitrix24. */
const fileList: Encoder = (value) => {
	const entries = ((value as IDataObject)?.file ?? []) as IDataObject[];
	const files = entries.map((entry, index) => {
		if (!validators.isHttpUrl(entry.url)) {
			throw new FieldError(`→ file ${index + 1} → URL must be an http:// or https:// URL (got ${validators.describeValue(entry.url)})`);
		}
		const url = entry.url.trim();
		const name = String(entry.name ?? '').trim() || decodeURIComponent(url.split(/[?#]/)[0].split('/').pop() ?? '') || 'file';
		return { url, name };
	});
	return files.length ? files : undefined;
};

export const messageFiles: FieldSpec = {
	property: {
		displayName: 'Files',
		name: 'files',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add File',
		default: {},
		description: 'Files by public URL (Bitrix24 downloads them); images (jpg, png, gif, webp, bmp) are shown inline',
		options: [
			{
				displayName: 'File',
				name: 'file',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. invoice.pdf', description: 'File name shown in the chat; empty takes the last part of the URL' },
					{ displayName: 'URL', name: 'url', type: 'string', default: '', placeholder: 'https://example.com/files/invoice.pdf', description: 'Public URL of the file' },
				],
			},
		],
	},
	param: 'message.files',
	encode: fileList,
};

export const onBehalfOf: FieldSpec = {
	property: {
		displayName: 'Send as Bitrix24 User ID',
		name: 'bitrixUserId',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 1,
		description: 'ID of a Bitrix24 user (manager) on whose behalf the message is shown',
	},
	param: 'message.user_id',
	encode: encoders.positiveInteger,
};

/** Text or files: Bitrix24 needs one of them (§6.6). */
export function requireTextOrFiles(params: IDataObject): void {
	const message = (params.message ?? {}) as IDataObject;
	const text = typeof message.text === 'string' ? message.text.trim() : '';
	const files = Array.isArray(message.files) ? message.files : [];
	if (!text && files.length === 0) throw new FieldError('"Text" is required when no file is given: Bitrix24 needs a text or at least one file');
}

/** One MESSAGES[] element from the item's blocks: {CONNECTOR, LINE, MESSAGES: [{user, message, chat, im}]}. */
export function asMessageCall(params: IDataObject, blocks: string[]): IDataObject {
	const element: IDataObject = {};
	const rest: IDataObject = {};
	for (const [key, value] of Object.entries(params)) {
		if (blocks.includes(key)) element[key] = value;
		else rest[key] = value;
	}
	return { ...rest, MESSAGES: [element] };
}
