import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { encoders, FieldError } from '../operations';
import type { Encoder, FieldSpec, ItemContext } from '../operations';

/**
 * Field definitions shared by the Bitrix24 Chatbot node (imbot v1) and its trigger: bot, dialog, chat, user and
 * message ids, the 16 chat colours, images from a binary property or a URL, and the value checks the keyboard,
 * attachment and menu builders share (bitrix24-api.md §4, §6).
 */

/** The 16 colours of imbot.register PROPERTIES.COLOR, imbot.chat.add and imbot.chat.updateColor (§4.1). */
export const CHAT_COLORS = [
	'AQUA',
	'AZURE',
	'BROWN',
	'DARK_BLUE',
	'GRAPHITE',
	'GRAY',
	'GREEN',
	'KHAKI',
	'LIGHT_BLUE',
	'LIME',
	'MARENGO',
	'MINT',
	'PINK',
	'PURPLE',
	'RED',
	'SAND',
] as const;

/** Size limit of ATTACH, KEYBOARD and MENU in imbot v1 (…_OVERSIZE above it). */
export const RICH_CONTENT_MAX_BYTES = 30 * 1024;

function titleCase(code: string): string {
	return code
		.toLowerCase()
		.split('_')
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}

export const colorOptions: INodePropertyOptions[] = CHAT_COLORS.map((code) => ({ name: titleCase(code), value: code }));

// ---------------------------------------------------------------------------------------------------------------
// Value checks (throw FieldError; the executor or the builder names the field)

function invalid(label: string | undefined, message: string): FieldError {
	return new FieldError(label ? `"${label}" ${message}` : message);
}

/** `27` (a user: 1:1 dialog) or `chat15` (a group chat). */
export function checkDialogId(value: unknown, label?: string): string {
	const text = String(value ?? '').trim();
	if (/^[1-9]\d*$/.test(text)) return text;
	const chat = /^chat([1-9]\d*)$/i.exec(text);
	if (chat) return `chat${chat[1]}`;
	throw invalid(label, `must be a user ID (e.g. 27) or "chat" followed by a chat ID (e.g. chat15) (got ${JSON.stringify(value)})`);
}

export const dialogIdEncoder: Encoder = (value) => checkDialogId(value);

/** A chat ID as a number; `chat15` is accepted and sent as 15. */
export const chatIdEncoder: Encoder = (value) => {
	const text = String(value ?? '').trim().replace(/^chat/i, '');
	if (!/^[1-9]\d*$/.test(text)) {
		throw new FieldError(`must be a chat ID, a positive whole number such as 15 (or chat15) (got ${JSON.stringify(value)})`);
	}
	return Number(text);
};

/** Command names: Latin letters and digits only (imbot.command.register). A leading slash is dropped. */
export function checkCommandName(value: unknown, label?: string): string {
	const text = String(value ?? '').trim().replace(/^\//, '');
	if (!/^[A-Za-z0-9]+$/.test(text)) {
		throw invalid(label, `must contain only Latin letters and digits, no spaces or other characters (got ${JSON.stringify(value)})`);
	}
	return text;
}

export const commandNameEncoder: Encoder = (value) => checkCommandName(value);

/** `#29619b` or `#abc`. */
export function checkHexColor(value: unknown, label?: string): string {
	const text = String(value ?? '').trim();
	if (!/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(text)) throw invalid(label, `must be a hex colour such as #29619b (got ${JSON.stringify(value)})`);
	return text;
}

/** Links in keyboards and attachments: an absolute http(s) URL or a path on the portal (`/crm/`). */
export function checkLink(value: unknown, label?: string): string {
	const text = String(value ?? '').trim();
	if (!/^(https?:\/\/\S+|\/\S*)$/i.test(text)) {
		throw invalid(label, `must be an http(s) URL or a path on the portal starting with "/" (got ${JSON.stringify(value)})`);
	}
	return text;
}

export function checkPositiveInteger(value: unknown, label?: string): number {
	const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : NaN;
	if (!Number.isInteger(n) || n < 1) throw invalid(label, `must be a whole number of at least 1 (got ${JSON.stringify(value)})`);
	return n;
}

/** Bytes of the UTF-8 encoding of a string (no Buffer needed). */
export function utf8Bytes(text: string): number {
	let bytes = 0;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x80) bytes += 1;
		else if (code < 0x800) bytes += 2;
		else if (code >= 0xd800 && code <= 0xdbff) {
			bytes += 4;
			i++;
		} else bytes += 3;
	}
	return bytes;
}

/** A JSON field's value (text or already parsed): an object or an array, else a FieldError naming the field. */
export function parseJsonField(value: unknown, label: string, allowed: string): unknown {
	let parsed = value;
	if (typeof value === 'string') {
		if (value.trim() === '') throw new FieldError(`"${label}" is empty: enter ${allowed}`);
		const result = encoders.parseJson(value);
		if (!result.ok) throw new FieldError(`"${label}" is not valid JSON (${result.reason})`);
		parsed = result.value;
	}
	if (!parsed || typeof parsed !== 'object') throw new FieldError(`"${label}" must be ${allowed} (got ${JSON.stringify(parsed)})`);
	return parsed;
}

/**
 * Reads another parameter of the same item (fields whose value depends on their siblings, and fields hidden by a
 * switch: n8n's extractValue refuses a parameter that is not displayed, so none is asked for here).
 */
export function siblingValue(item: ItemContext, name: string, fallback: unknown = ''): unknown {
	return item.ctx.getNodeParameter(name, item.itemIndex, fallback as string);
}

// ---------------------------------------------------------------------------------------------------------------
// IDs

/** The bot: a dropdown filled by imbot.bot.list (lookups/bots.ts → searchBots) or an ID. */
export function botField(options: { required?: boolean; description?: string } = {}): FieldSpec {
	return {
		property: {
			displayName: 'Bot',
			name: 'botId',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			required: options.required ?? false,
			description:
				options.description ??
				(options.required
					? 'The chatbot (BOT_ID).'
					: 'The chatbot (BOT_ID). If empty, Bitrix24 uses the first bot registered by this application or client ID.'),
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					placeholder: 'Select a bot...',
					typeOptions: { searchListMethod: 'searchBots', searchable: true },
				},
				{
					displayName: 'By ID',
					name: 'id',
					type: 'string',
					placeholder: 'e.g. 39',
					validation: [{ type: 'regex', properties: { regex: '^[0-9]+$', errorMessage: 'A bot ID is a whole number' } }],
				},
			],
		},
		param: 'BOT_ID',
		encode: encoders.positiveInteger,
	};
}

export function dialogIdField(options: { required?: boolean; description?: string; displayOptions?: INodeProperties['displayOptions'] } = {}): FieldSpec {
	return {
		property: {
			displayName: 'Dialog ID',
			name: 'dialogId',
			type: 'string',
			default: '',
			required: options.required ?? true,
			placeholder: 'e.g. chat15 or 27',
			description:
				options.description ?? 'A user ID for a one-to-one dialog with the bot (e.g. 27), or "chat" plus the chat ID for a group chat (e.g. chat15).',
			displayOptions: options.displayOptions,
		},
		param: 'DIALOG_ID',
		encode: dialogIdEncoder,
	};
}

export function chatIdField(description = 'The group chat (CHAT_ID), e.g. 15. "chat15" is accepted too.'): FieldSpec {
	return {
		property: { displayName: 'Chat ID', name: 'chatId', type: 'string', default: '', required: true, placeholder: 'e.g. 15', description },
		param: 'CHAT_ID',
		encode: chatIdEncoder,
	};
}

export function userIdField(description: string, param = 'USER_ID'): FieldSpec {
	return {
		property: { displayName: 'User ID', name: 'userId', type: 'string', default: '', required: true, placeholder: 'e.g. 27', description },
		param,
		encode: encoders.positiveInteger,
	};
}

export function userIdsField(options: { required: boolean; description: string }): FieldSpec {
	return {
		property: {
			displayName: 'User IDs',
			name: 'userIds',
			type: 'string',
			default: '',
			required: options.required,
			placeholder: 'e.g. 2, 3, 5',
			description: options.description,
		},
		param: 'USERS',
		encode: encoders.integerList,
	};
}

export function messageIdField(description = 'The ID of the message.'): FieldSpec {
	return {
		property: { displayName: 'Message ID', name: 'messageId', type: 'string', default: '', required: true, placeholder: 'e.g. 1234', description },
		param: 'MESSAGE_ID',
		encode: encoders.positiveInteger,
	};
}

/** One of the 16 chat colours as a dropdown. */
export function colorField(options: { name: string; param: string; required: boolean; description: string; displayName?: string }): FieldSpec {
	const property: INodeProperties = {
		displayName: options.displayName ?? 'Color',
		name: options.name,
		type: 'options',
		default: '',
		options: colorOptions,
		required: options.required,
		description: options.description,
	};
	if (options.required) property.default = 'AZURE';
	return { property, param: options.param };
}

/** A collection option picking one of the 16 chat colours. */
export function colorOption(param: string, description: string): FieldSpec {
	return {
		property: { displayName: 'Color', name: 'color', type: 'options', options: colorOptions, default: 'AZURE', description },
		param,
	};
}

// ---------------------------------------------------------------------------------------------------------------
// Images: a binary property of the item or a URL, sent as base64 (PERSONAL_PHOTO, AVATAR)

interface ImageOptions {
	/** Field name prefix: `photo` → photoSource, photoBinaryProperty, photoUrl. */
	name: string;
	/** Shown label: Photo, Avatar. */
	label: string;
	param: string;
	/** True: the operation needs an image (Set Avatar). */
	required: boolean;
	/** Label of the "send nothing" choice, e.g. "No Photo" or "Keep Current Photo". */
	noneLabel?: string;
}

async function imageFromBinary(item: ItemContext, label: string, propertyName: string): Promise<string> {
	const property = String(propertyName ?? '').trim();
	if (!property) throw new FieldError(`"${label} Binary Property" is required: the name of the input item's binary property holding the image`);
	const binary = item.ctx.getInputData()[item.itemIndex]?.binary?.[property];
	if (!binary) {
		throw new FieldError(`"${label} Binary Property": the input item has no binary property "${property}"`);
	}
	if (binary.mimeType && !/^image\//i.test(binary.mimeType)) {
		throw new FieldError(`"${label} Binary Property": "${property}" is ${binary.mimeType}, not an image (PNG, JPEG, GIF, WEBP, BMP)`);
	}
	const buffer = await item.ctx.helpers.getBinaryDataBuffer(item.itemIndex, property);
	if (buffer.length === 0) throw new FieldError(`"${label} Binary Property": "${property}" is empty`);
	return buffer.toString('base64');
}

async function imageFromUrl(item: ItemContext, label: string, url: unknown): Promise<string> {
	const text = String(url ?? '').trim();
	if (!/^https?:\/\/\S+$/i.test(text)) throw new FieldError(`"${label} URL" must be an http:// or https:// URL (got ${JSON.stringify(url)})`);
	const download = await item.ctx.helpers
		.httpRequest({ method: 'GET', url: text, encoding: 'arraybuffer', returnFullResponse: true, timeout: 30_000 })
		.then(
			(response: { body?: unknown; headers?: IDataObject }) => ({ ok: true as const, response }),
			(error: Error) => ({ ok: false as const, reason: error.message }),
		);
	if (!download.ok) throw new FieldError(`"${label} URL" could not be downloaded (${download.reason})`);
	const response = download.response;
	const type = String(response.headers?.['content-type'] ?? '');
	if (type && !/^image\//i.test(type) && !/octet-stream/i.test(type)) {
		throw new FieldError(`"${label} URL" is ${type.split(';')[0]}, not an image (PNG, JPEG, GIF, WEBP, BMP)`);
	}
	const body = response.body as { toString(encoding: string): string; length: number } | undefined;
	if (!body || body.length === 0) throw new FieldError(`"${label} URL" returned no data`);
	return body.toString('base64');
}

/** Source switch + binary property name + URL; the source field carries the param and reads the other two. */
export function imageFields(options: ImageOptions): FieldSpec[] {
	const { name, label } = options;
	const sourceName = `${name}Source`;
	const binaryName = `${name}BinaryProperty`;
	const urlName = `${name}Url`;
	const sources: INodePropertyOptions[] = [
		{ name: 'Binary Property', value: 'binary', description: `Take the ${label.toLowerCase()} from a binary property of the input item` },
		{ name: 'URL', value: 'url', description: `Download the ${label.toLowerCase()} from a URL` },
	];
	if (!options.required) {
		sources.unshift({ name: options.noneLabel ?? `No ${label}`, value: 'none' });
		sources.sort((a, b) => a.name.localeCompare(b.name));
	}
	const encodeImage: Encoder = async (source, item) => {
		if (source === 'binary') return await imageFromBinary(item, label, siblingValue(item, binaryName, 'data') as string);
		if (source === 'url') return await imageFromUrl(item, label, siblingValue(item, urlName, ''));
		return undefined;
	};
	const source: INodeProperties = {
		displayName: label,
		name: sourceName,
		type: 'options',
		default: 'none',
		options: sources,
		description: `Where the ${label.toLowerCase()} comes from. It is sent base64-encoded; Bitrix24 accepts images up to 5000×5000 pixels.`,
	};
	if (options.required) source.default = 'binary';
	return [
		{
			property: source,
			param: options.param,
			encode: encodeImage,
		},
		{
			property: {
				displayName: `${label} Binary Property`,
				name: binaryName,
				type: 'string',
				default: 'data',
				description: 'The name of the input item\'s binary property holding the , image',
				displayOptions: { show: { [sourceName]: ['binary'] } },
			},
		},
		{
			property: {
				displayName: `${label} URL`,
				name: urlName,
				type: 'string',
				default: '',
				placeholder: 'https://example.com/avatar.png',
				description: 'The address of the , image; n8n downloads it and sends it base64-encoded',
				displayOptions: { show: { [sourceName]: ['url'] } },
			},
		},
	];
}

// ---------------------------------------------------------------------------------------------------------------
// Rich content (KEYBOARD, ATTACH, MENU): the "define by" switch shared by keyboard.ts and attachment.ts

export type RichMode = 'send' | 'update';

/** Options of the "define by" switch: none/keep, UI builder, JSON, and (update only) remove. */
export function richSourceOptions(thing: string, mode: RichMode): INodePropertyOptions[] {
	const options: INodePropertyOptions[] = [
		{ name: 'Build With Fields', value: 'builder', description: `Define the ${thing} with the fields below` },
		{ name: 'JSON', value: 'json', description: `Give the ${thing} as JSON, exactly as Bitrix24 expects it` },
	];
	if (mode === 'send') options.push({ name: `No ${titleCase(thing)}`, value: 'none' });
	else {
		options.push({ name: `Keep Current ${titleCase(thing)}`, value: 'none', description: `Leave the message's ${thing} as it is` });
		options.push({ name: `Remove ${titleCase(thing)}`, value: 'remove', description: `Clear the message's ${thing} (sends "N")` });
	}
	return options.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The encoder of a "define by" switch: nothing (none/keep), "N" (remove, update only), the builder's output from the
 * fixedCollection `names.entries` (group `names.group`), or the JSON field `names.json`.
 */
export function richEncoder(
	mode: RichMode,
	names: { entries: string; group: string; json: string },
	fromEntries: (entries: IDataObject[], item: ItemContext) => IDataObject,
	fromJson: (value: unknown) => unknown,
): Encoder {
	return (source, item) => {
		if (source === 'remove' && mode === 'update') return 'N';
		if (source === 'builder') {
			const collection = (siblingValue(item, names.entries, {}) ?? {}) as IDataObject;
			return fromEntries(((collection[names.group] as IDataObject[]) ?? []).filter(Boolean), item);
		}
		if (source === 'json') return fromJson(siblingValue(item, names.json, ''));
		return undefined;
	};
}

/** Refuses rich content above the 30 KB limit before anything is sent. */
export function checkRichSize(value: unknown, label: string, code: string): void {
	if (value === undefined || typeof value === 'string') return;
	const bytes = utf8Bytes(JSON.stringify(value));
	if (bytes > RICH_CONTENT_MAX_BYTES) {
		throw new FieldError(
			`"${label}" is ${bytes} bytes as JSON; Bitrix24 accepts at most ${RICH_CONTENT_MAX_BYTES} bytes (30 KB) and would answer ${code}`,
		);
	}
}

/**
 * Last step of every operation that sends KEYBOARD / ATTACH / MENU: puts BOT_ID next to the keyboard's BUTTONS (so
 * command buttons reach the right bot) and enforces the 30 KB limits.
 */
export function finishRichContent(params: IDataObject): IDataObject {
	const keyboard = params.KEYBOARD;
	if (keyboard && typeof keyboard === 'object' && !Array.isArray(keyboard) && params.BOT_ID !== undefined && (keyboard as IDataObject).BOT_ID === undefined) {
		params.KEYBOARD = { BOT_ID: params.BOT_ID, ...(keyboard as IDataObject) };
	}
	checkRichSize(params.KEYBOARD, 'Keyboard', 'KEYBOARD_OVERSIZE');
	checkRichSize(params.ATTACH, 'Attachment', 'ATTACH_OVERSIZE');
	checkRichSize(params.MENU, 'Menu', 'MENU_OVERSIZE');
	return params;
}

/** The theme colours Bitrix24 knows for keyboard buttons and attachments (BG_COLOR_TOKEN, COLOR_TOKEN). */
export const COLOR_TOKEN_OPTIONS = [
	{ name: 'Alert', value: 'alert' },
	{ name: 'Base', value: 'base' },
	{ name: 'Primary', value: 'primary' },
	{ name: 'Secondary', value: 'secondary' },
];
