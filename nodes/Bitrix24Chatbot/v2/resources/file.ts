import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { readBinaryInput } from '../../../Bitrix24/fields/binaryInput';
import { encoders, FieldError, ResultError, validators } from '../../../Bitrix24/operations';
import type { FieldSpec, ItemContext, ResourceSpec } from '../../../Bitrix24/operations';
import { downloadFile, isDownloadFailure } from '../../../Bitrix24/transport';
import { dialogIdField } from '../../fields/ids';
import { botV2Field, dialogIdV2 } from '../fields/common';

/**
 * Files: imbot.v2.File.upload (base64 content, at most 100 MB) and File.download (a one-time URL, fetched here so the
 * user gets the file as binary data). A file's bytes are read only for its own call (`load`), one item at a time.
 */

export const FILE_MAX_BYTES = 100 * 1024 * 1024;
const MB = 1024 * 1024;

/** File → Download's own limit (Max File Size), 100 MB unless the user sets another. */
export const DOWNLOAD_DEFAULT_MB = 100;
const DOWNLOAD_MAX_MB = 2048;

/** What the docs say a download link is: https://<portal>/rest/download.json?token=… (one-time). */
const DOWNLOAD_PATH = /\/rest\/download\.json$/;

/** Where the file comes from, kept in the params until `load` reads it (never sent as such). */
const SOURCE = '__fileSource';

interface FileSource extends IDataObject {
	kind: 'binary' | 'url';
	value: string;
}

function tooLarge(bytes: number): FieldError {
	return new FieldError(`The file is ${(bytes / 1024 / 1024).toFixed(1)} MB; Bitrix24 accepts at most 100 MB per file (FILE_TOO_LARGE)`);
}

/** The size of a binary property when n8n knows it without reading the file. */
function knownSize(item: ItemContext, property: string): number | undefined {
	const binary = item.ctx.getInputData()[item.itemIndex]?.binary?.[property] as (IDataObject & { bytes?: number; id?: string; data?: string }) | undefined;
	if (!binary) return undefined;
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (!binary.id && typeof binary.data === 'string') return Math.floor((binary.data.length * 3) / 4);
	return undefined;
}

const fileSourceField: FieldSpec = {
	property: {
		displayName: 'File Source',
		name: 'fileSource',
		type: 'options',
		options: [
			{ name: 'Binary Property', value: 'binary', description: 'A file in a binary property of the input item' },
			{ name: 'URL', value: 'url', description: 'Download the file from a URL first' },
		],
		default: 'binary',
	},
	param: SOURCE,
	cases: {
		binary: [{ property: { displayName: 'Binary Property', name: 'binaryPropertyName', type: 'string', default: 'data', required: true, description: 'The input item\'s binary property holding the file' } }],
		url: [{ property: { displayName: 'File URL', name: 'fileUrl', type: 'string', default: '', required: true, placeholder: 'https://example.com/report.pdf' }, encode: encoders.httpUrl }],
	},
	combine: (kind, values, item): FileSource => {
		if (kind === 'url') return { kind: 'url', value: values.fileUrl as string };
		const property = String(values.binaryPropertyName ?? '').trim();
		const binary = item.ctx.getInputData()[item.itemIndex]?.binary?.[property];
		if (!binary) throw new FieldError(`"Binary Property" names "${property}", but the input item has no binary property "${property}"`);
		const size = knownSize(item, property);
		if (size !== undefined && size > FILE_MAX_BYTES) throw tooLarge(size);
		if (size === 0) throw new FieldError(`"Binary Property": "${property}" is empty (Bitrix24 answers FILE_EMPTY)`);
		return { kind: 'binary', value: property, fileName: binary.fileName ?? '' };
	},
};

function nameFromUrl(url: string): string {
	const last = url.split(/[?#]/)[0].split('/').pop() ?? '';
	try {
		return decodeURIComponent(last);
	} catch {
		return last;
	}
}

/** A file to upload from a URL the user gave: redirects followed (each checked), stopped at 100 MB. */
async function fetchUpload(item: ItemContext, url: string): Promise<Buffer> {
	const rules = { what: '"File URL"', maxBytes: FILE_MAX_BYTES, limit: '100 MB, the most Bitrix24 accepts per file (FILE_TOO_LARGE)', maxRedirects: 5, timeoutMs: 120_000 };
	const download = await downloadFile(item.ctx, url, rules);
	if (isDownloadFailure(download)) throw new FieldError(download.message);
	return download.body;
}

/** Reads this item's file (and only now): base64 content and a name. */
async function loadFile(params: IDataObject, item: ItemContext): Promise<IDataObject> {
	const source = params[SOURCE] as FileSource;
	const { [SOURCE]: _source, ...call } = params;
	const fields = { ...((call.fields as IDataObject) ?? {}) };
	let bytes: Buffer;
	let name = typeof fields.name === 'string' ? fields.name : '';
	if (source.kind === 'binary') {
		bytes = (await readBinaryInput(item, source.value, 'Binary Property')).buffer;
		name ||= String(source.fileName ?? '');
	} else {
		bytes = await fetchUpload(item, source.value);
		name ||= nameFromUrl(source.value);
	}
	if (bytes.length > FILE_MAX_BYTES) throw tooLarge(bytes.length);
	if (bytes.length === 0) throw new FieldError('The file is empty (Bitrix24 answers FILE_EMPTY)');
	if (!name) throw new FieldError('"File Name" is required: the file has no name of its own');
	return { ...call, fields: { ...fields, name, content: bytes.toString('base64') } };
}

/** Max File Size (MB) of File → Download: a positive number up to 2048. */
function maxFileSizeMb(value: unknown): number {
	const mb = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof mb !== 'number' || !Number.isFinite(mb) || mb <= 0 || mb > DOWNLOAD_MAX_MB) {
		throw new FieldError(`"Max File Size (MB)" must be a number above 0 and at most ${DOWNLOAD_MAX_MB} (got ${validators.describeValue(value)})`);
	}
	return mb;
}

/**
 * Fetches the one-time download URL into a binary property; the URL (it holds a token) never reaches the output.
 * Only a download link of the credential's own portal is fetched (the docs: https://<portal>/rest/download.json),
 * redirects only within the portal, and the download stops at Max File Size.
 */
async function downloadInto(json: IDataObject, item: ItemContext): Promise<INodeExecutionData> {
	const { downloadUrl, ...rest } = json;
	if (typeof downloadUrl !== 'string' || !validators.isHttpUrl(downloadUrl)) {
		throw new ResultError('Bitrix24 answered without a download URL for this file', 'FILE_NOT_FOUND');
	}
	const property = String(item.ctx.getNodeParameter('binaryPropertyName', item.itemIndex, 'data')).trim() || 'data';
	const mb = maxFileSizeMb(item.ctx.getNodeParameter('maxFileSizeMb', item.itemIndex, DOWNLOAD_DEFAULT_MB));
	const response = await downloadFile(item.ctx, downloadUrl, {
		what: 'The Bitrix24 download link',
		maxBytes: Math.floor(mb * MB),
		limit: `${mb} MB (the node's Max File Size)`,
		origin: item.portal.origin,
		path: { pattern: DOWNLOAD_PATH, name: 'a Bitrix24 download link (…/rest/download.json)' },
		maxRedirects: 3,
		timeoutMs: 300_000,
	});
	// The one-time URL holds a token: the error names the cause only, never the URL.
	if (isDownloadFailure(response)) {
		const advice = response.problem === 'FAILED' ? '; ask for a new download link by running the node again' : '';
		throw new ResultError(`${response.message}${advice}`, response.problem === 'TOO_LARGE' ? 'FILE_TOO_LARGE' : 'FILE_DOWNLOAD_FAILED');
	}
	const disposition = String(response.headers['content-disposition'] ?? '');
	const fileName = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
	const mimeType = String(response.headers['content-type'] ?? '').split(';')[0] || undefined;
	const binary = await item.ctx.helpers.prepareBinaryData(response.body, fileName ? decodeURIComponent(fileName) : undefined, mimeType);
	return { json: { ...rest, fileName: binary.fileName, mimeType: binary.mimeType, size: response.body.length }, binary: { [property]: binary } };
}

const uploadOptions: FieldSpec = {
	property: { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {} },
	children: [
		{ property: { displayName: 'File Name', name: 'fileName', type: 'string', default: '', description: 'The name shown in the chat; the binary\'s own name or the URL\'s last part if empty' }, param: 'fields.name', encode: encoders.trimmed },
		{ property: { displayName: 'Message', name: 'message', type: 'string', typeOptions: { rows: 2 }, default: '', description: 'Text sent with the file' }, param: 'fields.message' },
	],
};

const fileIdField: FieldSpec = {
	property: { displayName: 'File ID', name: 'fileId', type: 'string', default: '', required: true, placeholder: 'e.g. 2001', description: 'The file\'s ID, e.g. from a message\'s files in a trigger event' },
	param: 'fileId',
	encode: encoders.positiveInteger,
};

const outputFileField: FieldSpec = { property: { displayName: 'Put Output File in Field', name: 'binaryPropertyName', type: 'string', default: 'data', hint: 'The name of the output binary field to put the file in' } };

/** Max File Size (MB) of the downloads: checked before anything is sent, applied while the file streams in. */
const maxFileSizeField: FieldSpec = {
	property: {
		displayName: 'Max File Size (MB)',
		name: 'maxFileSizeMb',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: DOWNLOAD_MAX_MB },
		default: DOWNLOAD_DEFAULT_MB,
		description: 'A larger file is not downloaded (the download stops there and the item fails)',
	},
	encode: maxFileSizeMb,
};

/** im.v2.* run as the credential's user: the dialog as that user sees it. */
const myDialogId = dialogIdField({
	param: 'dialogId',
	description: 'One of your chats: a user ID for your one-to-one chat with that user (e.g. 27), or "chat" plus the chat ID (e.g. chat15). After a Bitrix24 Messenger Trigger: {{ $json.dialogId }}',
});

function uploadOutput(result: unknown, params: IDataObject): IDataObject {
	const out = (result ?? {}) as IDataObject;
	const file = (out.file ?? {}) as IDataObject;
	return { fileId: file.id as number, fileName: file.name as string, size: file.size as number, messageId: out.messageId as number, dialogId: (out.dialogId ?? params.dialogId) as string, file };
}

function downloadOutput(result: unknown, params: IDataObject): IDataObject {
	return { fileId: params.fileId as number, downloadUrl: (result as IDataObject)?.downloadUrl as string };
}

export const fileV2Resource: ResourceSpec = {
	value: 'file',
	name: 'File',
	description: 'Send files into a dialog and download files from it, as the bot or as yourself',
	operations: [
		{
			value: 'upload',
			name: 'Upload',
			action: 'Upload a file to a dialog',
			description: 'Send a file (at most 100 MB) into a dialog as the bot, with an optional message (imbot.v2.File.upload)',
			method: 'imbot.v2.File.upload',
			fields: [
				botV2Field,
				dialogIdV2,
				fileSourceField,
				uploadOptions,
			],
			load: loadFile,
			output: uploadOutput,
		},
		{
			value: 'uploadAsMe',
			name: 'Upload as Me',
			action: 'Upload a file to one of my chats',
			description: 'Send a file (at most 100 MB) into one of your chats as yourself, the credential\'s user, with an optional message (im.v2.File.upload)',
			method: 'im.v2.File.upload',
			fields: [myDialogId, fileSourceField, uploadOptions],
			load: loadFile,
			output: uploadOutput,
		},
		{
			value: 'download',
			name: 'Download',
			action: 'Download a file',
			description: 'Download a file of a dialog into a binary property (imbot.v2.File.download)',
			method: 'imbot.v2.File.download',
			write: false,
			fields: [botV2Field, fileIdField, outputFileField, maxFileSizeField],
			output: downloadOutput,
			complete: downloadInto,
		},
		{
			value: 'downloadAsMe',
			name: 'Download as Me',
			action: 'Download a file of one of my chats',
			description: 'Download a file of one of your chats into a binary property, as yourself, the credential\'s user (im.v2.File.download)',
			method: 'im.v2.File.download',
			write: false,
			fields: [myDialogId, fileIdField, outputFileField, maxFileSizeField],
			output: downloadOutput,
			complete: downloadInto,
		},
	],
};
