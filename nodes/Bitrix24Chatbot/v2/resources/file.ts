import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { readBinaryInput } from '../../../Bitrix24/fields/binaryInput';
import { encoders, FieldError, ResultError, validators } from '../../../Bitrix24/operations';
import type { FieldSpec, ItemContext, ResourceSpec } from '../../../Bitrix24/operations';
import { dialogIdField } from '../../fields/ids';
import { botV2Field, dialogIdV2 } from '../fields/common';

/**
 * Files: imbot.v2.File.upload (base64 content, at most 100 MB) and File.download (a one-time URL, fetched here so the
 * user gets the file as binary data). A file's bytes are read only for its own call (`load`), one item at a time.
 */

export const FILE_MAX_BYTES = 100 * 1024 * 1024;

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
		const response = (await item.ctx.helpers.httpRequest({ method: 'GET', url: source.value, encoding: 'arraybuffer', timeout: 120_000 })) as Buffer;
		bytes = Buffer.isBuffer(response) ? response : Buffer.from(response as ArrayBuffer);
		name ||= nameFromUrl(source.value);
	}
	if (bytes.length > FILE_MAX_BYTES) throw tooLarge(bytes.length);
	if (bytes.length === 0) throw new FieldError('The file is empty (Bitrix24 answers FILE_EMPTY)');
	if (!name) throw new FieldError('"File Name" is required: the file has no name of its own');
	return { ...call, fields: { ...fields, name, content: bytes.toString('base64') } };
}

/**
 * GETs a download URL Bitrix24 handed out, as bytes with their headers. The one place the File operations fetch a
 * portal URL: a guarded download (no redirects, a size cap) can take its place without touching the operations.
 */
export async function fetchDownload(item: ItemContext, url: string): Promise<{ body: Buffer; headers: IDataObject }> {
	return (await item.ctx.helpers.httpRequest({ method: 'GET', url, encoding: 'arraybuffer', returnFullResponse: true, timeout: 300_000 })) as { body: Buffer; headers: IDataObject };
}

/** Fetches the one-time download URL into a binary property; the URL (it holds a token) never reaches the output. */
async function downloadInto(json: IDataObject, item: ItemContext): Promise<INodeExecutionData> {
	const { downloadUrl, ...rest } = json;
	if (typeof downloadUrl !== 'string' || !validators.isHttpUrl(downloadUrl)) {
		throw new ResultError('Bitrix24 answered without a download URL for this file', 'FILE_NOT_FOUND');
	}
	const property = String(item.ctx.getNodeParameter('binaryPropertyName', item.itemIndex, 'data')).trim() || 'data';
	let response: { body: Buffer; headers: IDataObject } | undefined;
	let status: unknown;
	try {
		response = await fetchDownload(item, downloadUrl);
	} catch (error) {
		status = (error as { httpCode?: unknown; statusCode?: unknown }).httpCode ?? (error as { statusCode?: unknown }).statusCode ?? 'no answer';
	}
	// The one-time URL holds a token: the error names the status only, never the URL.
	if (!response) throw new ResultError(`The file could not be downloaded from Bitrix24 (${String(status)}); ask for a new download link by running the node again`, 'FILE_DOWNLOAD_FAILED');
	const disposition = String(response.headers['content-disposition'] ?? '');
	const fileName = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
	const mimeType = String(response.headers['content-type'] ?? '').split(';')[0] || undefined;
	const body = Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body as ArrayBuffer);
	const binary = await item.ctx.helpers.prepareBinaryData(body, fileName ? decodeURIComponent(fileName) : undefined, mimeType);
	return { json: { ...rest, fileName: binary.fileName, mimeType: binary.mimeType, size: body.length }, binary: { [property]: binary } };
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
			fields: [botV2Field, fileIdField, outputFileField],
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
			fields: [myDialogId, fileIdField, outputFileField],
			output: downloadOutput,
			complete: downloadInto,
		},
	],
};
