import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { FieldError, validators } from '../../Bitrix24/operations';
import type { FieldSpec } from '../../Bitrix24/operations';
import { COLOR_TOKEN_OPTIONS } from './colors';
import type { RichMode } from './richContent';
import { entriesOf, richContentField } from './richContent';

/**
 * ATTACH (rich attachment, bitrix24-api.md §6.2): blocks built from fields — message, link, image, file, delimiter,
 * grid, user — giving {COLOR?, COLOR_TOKEN?, BLOCKS:[…]}, or the whole attachment as JSON. Consecutive grid rows form
 * one GRID block.
 */

type BlockType = 'message' | 'link' | 'image' | 'file' | 'delimiter' | 'grid' | 'user';

const show = (...types: BlockType[]) => ({ show: { type: types } });

const blockValues: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'type',
		type: 'options',
		options: [
			{ name: 'Delimiter', value: 'delimiter', description: 'A horizontal line' },
			{ name: 'File', value: 'file', description: 'A file to download' },
			{ name: 'Grid Row', value: 'grid', description: 'A name/value row; consecutive rows form one grid' },
			{ name: 'Image', value: 'image', description: 'An image shown inline' },
			{ name: 'Link', value: 'link', description: 'A link card with title, description and preview' },
			{ name: 'Message', value: 'message', description: 'Text with BB-codes' },
			{ name: 'User', value: 'user', description: 'A user, chat or bot with avatar' },
		],
		default: 'message',
	},
	{ displayName: 'Text', name: 'text', type: 'string', typeOptions: { rows: 2 }, default: '', description: 'Text (BB-codes allowed)', displayOptions: show('message') },
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		placeholder: 'https://example.com/…',
		description: 'An http(s) URL or a path on the portal starting with "/" (required for link, image and file)',
		displayOptions: show('link', 'image', 'file', 'grid', 'user'),
	},
	{ displayName: 'Name', name: 'name', type: 'string', default: '', description: 'Title, file name, grid row name or user name', displayOptions: show('link', 'image', 'file', 'grid', 'user') },
	{ displayName: 'Description', name: 'description', type: 'string', default: '', description: 'Text under the link title (DESC)', displayOptions: show('link') },
	{ displayName: 'Value', name: 'value', type: 'string', default: '', description: 'The grid row value (BB-codes allowed)', displayOptions: show('grid') },
	{
		displayName: 'Display',
		name: 'display',
		type: 'options',
		options: [
			{ name: 'Block', value: 'BLOCK' },
			{ name: 'Line', value: 'LINE' },
			{ name: 'Row', value: 'ROW' },
			{ name: 'Table', value: 'TABLE' },
		],
		default: 'LINE',
		description: 'How the grid row is laid out (DISPLAY)',
		displayOptions: show('grid'),
	},
	{ displayName: 'Preview URL', name: 'preview', type: 'string', default: '', description: 'A smaller image shown first (PREVIEW)', displayOptions: show('link', 'image') },
	{ displayName: 'Width', name: 'width', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'In pixels; 0 = not set', displayOptions: show('link', 'image', 'grid') },
	{ displayName: 'Height', name: 'height', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'In pixels; 0 = not set', displayOptions: show('link', 'image') },
	{ displayName: 'Size', name: 'size', type: 'number', typeOptions: { minValue: 0 }, default: 0, description: 'File size in bytes, or delimiter length in pixels; 0 = not set', displayOptions: show('file', 'delimiter') },
	{ displayName: 'Color', name: 'color', type: 'color', default: '', description: 'Delimiter or grid row colour, e.g. #c6c6c6', displayOptions: show('delimiter', 'grid') },
	{ displayName: 'Avatar URL', name: 'avatar', type: 'string', default: '', description: 'The avatar image of the user block', displayOptions: show('user') },
	{
		displayName: 'Avatar Type',
		name: 'avatarType',
		type: 'options',
		options: [
			{ name: 'Bot', value: 'BOT' },
			{ name: 'Chat', value: 'CHAT' },
			{ name: 'User', value: 'USER' },
		],
		default: 'USER',
		displayOptions: show('user'),
	},
	{ displayName: 'User ID', name: 'userId', type: 'string', default: '', description: 'Link the block to a user (USER_ID)', displayOptions: show('link', 'grid', 'user') },
	{ displayName: 'Chat ID', name: 'chatId', type: 'string', default: '', description: 'Link the block to a chat (CHAT_ID)', displayOptions: show('link', 'grid', 'user') },
	{ displayName: 'Bot ID', name: 'botId', type: 'string', default: '', description: 'Link the user block to a bot (BOT_ID)', displayOptions: show('user') },
];

function text(entry: IDataObject, key: string): string {
	return String(entry[key] ?? '').trim();
}

function link(entry: IDataObject, label: string, required: boolean): string | undefined {
	const value = text(entry, 'url');
	if (!value) {
		if (required) throw new FieldError(`"${label} → URL" is required`);
		return undefined;
	}
	return validators.checkLink(value, `${label} → URL`);
}

function setText(target: IDataObject, param: string, entry: IDataObject, key: string): void {
	const value = text(entry, key);
	if (value) target[param] = value;
}

function setNumber(target: IDataObject, param: string, entry: IDataObject, key: string, label: string): void {
	const value = entry[key];
	if (value === undefined || value === '' || value === 0 || value === '0') return;
	target[param] = validators.toInteger(value, 1, label);
}

function setColor(target: IDataObject, entry: IDataObject, label: string): void {
	if (!text(entry, 'color')) return;
	target.COLOR = validators.checkHexColor(entry.color, `${label} → Color`);
}

/** One block entry → its Bitrix block content (without the outer key). */
function blockContent(type: BlockType, entry: IDataObject, label: string): IDataObject | string {
	const out: IDataObject = {};
	switch (type) {
		case 'message': {
			const message = String(entry.text ?? '');
			if (!message.trim()) throw new FieldError(`"${label} → Text" is required for a message block`);
			return message;
		}
		case 'link':
			out.LINK = link(entry, label, true);
			setText(out, 'NAME', entry, 'name');
			setText(out, 'DESC', entry, 'description');
			if (text(entry, 'preview')) out.PREVIEW = validators.checkLink(entry.preview, `${label} → Preview URL`);
			setNumber(out, 'WIDTH', entry, 'width', `${label} → Width`);
			setNumber(out, 'HEIGHT', entry, 'height', `${label} → Height`);
			setNumber(out, 'USER_ID', entry, 'userId', `${label} → User ID`);
			setNumber(out, 'CHAT_ID', entry, 'chatId', `${label} → Chat ID`);
			return out;
		case 'image':
			out.LINK = link(entry, label, true);
			setText(out, 'NAME', entry, 'name');
			if (text(entry, 'preview')) out.PREVIEW = validators.checkLink(entry.preview, `${label} → Preview URL`);
			setNumber(out, 'WIDTH', entry, 'width', `${label} → Width`);
			setNumber(out, 'HEIGHT', entry, 'height', `${label} → Height`);
			return out;
		case 'file':
			out.LINK = link(entry, label, true);
			setText(out, 'NAME', entry, 'name');
			setNumber(out, 'SIZE', entry, 'size', `${label} → Size`);
			return out;
		case 'delimiter':
			setNumber(out, 'SIZE', entry, 'size', `${label} → Size`);
			setColor(out, entry, label);
			return out;
		case 'grid': {
			out.DISPLAY = entry.display ?? 'LINE';
			setText(out, 'NAME', entry, 'name');
			const value = String(entry.value ?? '');
			if (value.trim()) out.VALUE = value;
			if (!out.NAME && !out.VALUE) throw new FieldError(`"${label}" needs a Name or a Value`);
			setNumber(out, 'WIDTH', entry, 'width', `${label} → Width`);
			setColor(out, entry, label);
			const url = link(entry, label, false);
			if (url) out.LINK = url;
			setNumber(out, 'USER_ID', entry, 'userId', `${label} → User ID`);
			setNumber(out, 'CHAT_ID', entry, 'chatId', `${label} → Chat ID`);
			return out;
		}
		case 'user': {
			const name = text(entry, 'name');
			if (!name) throw new FieldError(`"${label} → Name" is required for a user block`);
			out.NAME = name;
			if (text(entry, 'avatar')) out.AVATAR = validators.checkLink(entry.avatar, `${label} → Avatar URL`);
			const url = link(entry, label, false);
			if (url) out.LINK = url;
			setNumber(out, 'USER_ID', entry, 'userId', `${label} → User ID`);
			setNumber(out, 'CHAT_ID', entry, 'chatId', `${label} → Chat ID`);
			setNumber(out, 'BOT_ID', entry, 'botId', `${label} → Bot ID`);
			if (entry.avatarType) out.AVATAR_TYPE = entry.avatarType;
			return out;
		}
		default:
			throw new FieldError(`"${label} → Type" must be one of: delimiter, file, grid, image, link, message, user (got ${validators.describeValue(type)})`);
	}
}

const BLOCK_KEY: Record<BlockType, string> = {
	message: 'MESSAGE',
	link: 'LINK',
	image: 'IMAGE',
	file: 'FILE',
	delimiter: 'DELIMITER',
	grid: 'GRID',
	user: 'USER',
};

/** The builder's output: {BLOCKS:[…]} plus COLOR / COLOR_TOKEN from the attachment options. */
export function buildAttachment(entries: IDataObject[], options: IDataObject = {}): IDataObject {
	if (entries.length === 0) throw new FieldError('"Attachment → Blocks" needs at least one block');
	const blocks: IDataObject[] = [];
	entries.forEach((entry, index) => {
		const type = (entry.type ?? 'message') as BlockType;
		const content = blockContent(type, entry, `Attachment → Block ${index + 1}`);
		const previous = blocks[blocks.length - 1];
		if (type === 'grid' && previous && Array.isArray(previous.GRID) && entries[index - 1]?.type === 'grid') {
			(previous.GRID as IDataObject[]).push(content as IDataObject);
			return;
		}
		const key = BLOCK_KEY[type];
		blocks.push({ [key]: type === 'image' || type === 'file' || type === 'grid' ? [content] : content });
	});
	const attachment: IDataObject = {};
	if (options.color) {
		attachment.COLOR = validators.checkHexColor(options.color, 'Attachment Options → Color');
	}
	if (options.colorToken) attachment.COLOR_TOKEN = options.colorToken;
	attachment.BLOCKS = blocks;
	return attachment;
}

/** An attachment given as JSON: {BLOCKS:[…], …} or a bare array of blocks. */
export function attachmentFromJson(value: unknown): unknown {
	const parsed = validators.parseJsonField(value, 'Attachment (JSON)', 'an object {"BLOCKS": [...]} or an array of blocks');
	if (Array.isArray(parsed)) return parsed;
	if (!Array.isArray((parsed as IDataObject).BLOCKS)) throw new FieldError('"Attachment (JSON)" must have a BLOCKS array (or be an array of blocks)');
	return parsed;
}

/** Attachment: none / keep, built from blocks (+ options), JSON, or (update) remove. */
export function attachmentField(mode: RichMode, param = 'ATTACH'): FieldSpec {
	return richContentField(mode, {
		thing: 'attachment',
		name: 'attachmentSource',
		displayName: 'Attachment',
		param,
		description: 'A rich block under the text (ATTACH): text, links, images, files, grids, users',
		builder: [
			{
				property: {
					displayName: 'Blocks',
					name: 'attachmentBlocks',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true, sortable: true },
					placeholder: 'Add Block',
					default: {},
					options: [{ displayName: 'Block', name: 'block', values: blockValues }],
				},
			},
			{
				property: {
					displayName: 'Attachment Options',
					name: 'attachmentOptions',
					type: 'collection',
					placeholder: 'Add Option',
					default: {},
					options: [
						{ displayName: 'Color', name: 'color', type: 'color', default: '', description: 'The colour of the attachment bar (COLOR), e.g. #29619b' },
						{
							displayName: 'Color Token',
							name: 'colorToken',
							type: 'options',
							options: COLOR_TOKEN_OPTIONS,
							default: 'primary',
							description: 'A theme colour of the attachment bar (COLOR_TOKEN)',
						},
					],
				},
			},
		],
		json: {
			property: {
				displayName: 'Attachment (JSON)',
				name: 'attachmentJson',
				type: 'json',
				default: '{\n  "BLOCKS": [\n    { "MESSAGE": "[b]Hello[/b]" }\n  ]\n}',
				description: 'ATTACH as Bitrix24 expects it: {"COLOR": "#29619b", "BLOCKS": [...]} or an array of blocks',
			},
		},
		build: (values) => buildAttachment(entriesOf(values.attachmentBlocks, 'block'), (values.attachmentOptions ?? {}) as IDataObject),
		fromJson: attachmentFromJson,
	});
}
