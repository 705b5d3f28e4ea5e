import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { FieldError, getParam, setParam, validators } from '../../Bitrix24/operations';
import type { CaseValues, FieldSpec, ItemContext } from '../../Bitrix24/operations';
import { titleCase } from './colors';

/**
 * Rich content of a message — KEYBOARD, ATTACH, MENU (bitrix24-api.md §6): a choice field "define by" with the cases
 * none / keep, builder (fields), JSON, and on update "remove". The size limits are checked before sending.
 */

export type RichMode = 'send' | 'update';

/** Size limit of ATTACH, KEYBOARD and MENU in imbot v1 (…_OVERSIZE above it). */
export const RICH_CONTENT_MAX_BYTES = 30 * 1024;

function sourceOptions(thing: string, mode: RichMode): INodePropertyOptions[] {
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

export interface RichContentSpec {
	/** "keyboard", "attachment", "menu". */
	thing: string;
	/** The switch's property name, e.g. keyboardSource. */
	name: string;
	displayName: string;
	param: string;
	description: string;
	/** The builder case's fields. */
	builder: FieldSpec[];
	/** The JSON case's field. */
	json: FieldSpec;
	/** Builder values → the Bitrix structure. */
	build: (values: CaseValues, item: ItemContext) => unknown;
	/** The JSON field's value → the Bitrix structure (checked). */
	fromJson: (value: unknown) => unknown;
}

/** The "define by" choice field of one kind of rich content. */
export function richContentField(mode: RichMode, spec: RichContentSpec): FieldSpec {
	return {
		property: {
			displayName: spec.displayName,
			name: spec.name,
			type: 'options',
			options: sourceOptions(spec.thing, mode),
			default: 'none',
			description: spec.description,
		},
		param: spec.param,
		cases: { builder: spec.builder, json: [spec.json], none: [], ...(mode === 'update' ? { remove: [] } : {}) },
		combine: (source, values, item) => {
			if (source === 'remove') return 'N';
			if (source === 'builder') return spec.build(values, item);
			if (source === 'json') return spec.fromJson(values[spec.json.property.name] ?? '');
			return undefined;
		},
	};
}

/** The entries of a fixedCollection value (`{group: [...]}`), without empty ones. */
export function entriesOf(value: unknown, group: string): IDataObject[] {
	const collection = (value ?? {}) as IDataObject;
	return ((collection[group] as IDataObject[] | undefined) ?? []).filter(Boolean);
}

/** Refuses rich content above the 30 KB limit before anything is sent. */
export function checkRichSize(value: unknown, label: string, code: string): void {
	if (value === undefined || typeof value === 'string') return;
	const bytes = validators.utf8Bytes(JSON.stringify(value));
	if (bytes > RICH_CONTENT_MAX_BYTES) {
		throw new FieldError(
			`"${label}" is ${bytes} bytes as JSON; Bitrix24 accepts at most ${RICH_CONTENT_MAX_BYTES} bytes (30 KB) and would answer ${code}`,
		);
	}
}

/** Whether a keyboard or menu (object or bare array) holds an entry with a COMMAND. */
function hasCommandEntry(content: unknown, listKey: string): boolean {
	const list = Array.isArray(content) ? content : content && typeof content === 'object' ? (content as IDataObject)[listKey] : undefined;
	return Array.isArray(list) && list.some((entry) => !!entry && typeof entry === 'object' && (entry as IDataObject).COMMAND !== undefined);
}

/** Where an API version keeps the message parts in its params: v1 top-level UPPER keys, v2 inside `fields`. */
export interface MessageKeys {
	botId: string;
	message: string;
	keyboard: string;
	attach: string;
	menu?: string;
}

export const V1_KEYS: MessageKeys = { botId: 'BOT_ID', message: 'MESSAGE', keyboard: 'KEYBOARD', attach: 'ATTACH', menu: 'MENU' };

export interface FinishOptions {
	/** False when the method has no bot of its own to name (imbot.command.answer: the command names it). */
	commandsNeedBot?: boolean;
	keys?: MessageKeys;
}

/**
 * Last step of every operation that sends a keyboard / attachment / menu: a command button needs the bot; BOT_ID goes
 * next to the keyboard's BUTTONS (so command clicks reach the right bot); the 30 KB limits are enforced.
 */
export function finishRichContent(params: IDataObject, options: FinishOptions = {}): IDataObject {
	const keys = options.keys ?? V1_KEYS;
	const botId = getParam(params, keys.botId);
	const keyboard = getParam(params, keys.keyboard);
	if ((options.commandsNeedBot ?? true) && botId === undefined && hasCommandEntry(keyboard, 'BUTTONS')) {
		throw new FieldError(
			'"Bot" is required when the keyboard has a command button: Bitrix24 sends the click (ONIMCOMMANDADD) to the keyboard\'s bot, and without one nobody receives it. Pick the bot whose command it is (registered with Command → Register)',
		);
	}
	if (keyboard && typeof keyboard === 'object' && !Array.isArray(keyboard) && botId !== undefined && (keyboard as IDataObject).BOT_ID === undefined) {
		setParam(params, keys.keyboard, { BOT_ID: botId, ...(keyboard as IDataObject) });
	}
	checkRichSize(getParam(params, keys.keyboard), 'Keyboard', 'KEYBOARD_OVERSIZE');
	checkRichSize(getParam(params, keys.attach), 'Attachment', 'ATTACH_OVERSIZE');
	if (keys.menu) checkRichSize(getParam(params, keys.menu), 'Menu', 'MENU_OVERSIZE');
	return params;
}

/** A new message: Bitrix24 refuses one with neither text nor attachment (MESSAGE_EMPTY); then the rich-content checks. */
export function finishMessage(params: IDataObject, keys: MessageKeys = V1_KEYS): IDataObject {
	checkNotEmpty(params, keys);
	return finishRichContent(params, { keys });
}

/** A command's answer: as a message, but the command already names its bot (imbot.command.answer has no BOT_ID). */
export function finishCommandAnswer(params: IDataObject): IDataObject {
	checkNotEmpty(params, V1_KEYS);
	return finishRichContent(params, { commandsNeedBot: false });
}

function checkNotEmpty(params: IDataObject, keys: MessageKeys): void {
	if (!getParam(params, keys.message) && getParam(params, keys.attach) === undefined) {
		throw new FieldError('"Text" is required (Bitrix24 answers MESSAGE_EMPTY), unless an attachment is sent');
	}
}
