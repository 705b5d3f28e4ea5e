import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { FieldError } from '../operations';
import type { FieldSpec } from '../operations';
import type { RichMode } from './chatbot';
import {
	checkCommandName,
	checkDialogId,
	checkHexColor,
	checkLink,
	checkPositiveInteger,
	COLOR_TOKEN_OPTIONS,
	parseJsonField,
	richEncoder,
	richSourceOptions,
} from './chatbot';

/**
 * KEYBOARD (buttons under a message) and MENU (items of the message's context menu), bitrix24-api.md §6.3 and §6.4:
 * built from fields ({BUTTONS:[…]} with TYPE:"NEWLINE" separators, {ITEMS:[…]}) or given as JSON.
 */

const ACTIONS: INodePropertyOptions[] = [
	{ name: 'Call', value: 'CALL', description: 'Call a phone number (action value: the number)' },
	{ name: 'Copy', value: 'COPY', description: 'Copy the action value to the clipboard' },
	{ name: 'Open Dialog', value: 'DIALOG', description: 'Open a dialog (action value: a user ID or chatNNN)' },
	{ name: 'Put in Input', value: 'PUT', description: 'Put the action value into the message input' },
	{ name: 'Send', value: 'SEND', description: 'Send the action value as a message' },
];

const CONTEXTS: INodePropertyOptions[] = [
	{ name: 'All', value: 'ALL' },
	{ name: 'Desktop', value: 'DESKTOP' },
	{ name: 'Mobile', value: 'MOBILE' },
];

/** The action a button or menu item performs, and its value fields. */
function actionProperties(withNewLine: boolean): INodeProperties[] {
	const types: INodePropertyOptions[] = [
		{ name: 'Action', value: 'action', description: 'A client-side action: put or send text, copy, call, open a dialog' },
		{ name: 'Command', value: 'command', description: 'Run a command registered for the bot (fires ONIMCOMMANDADD)' },
		{ name: 'Link', value: 'link', description: 'Open a URL' },
	];
	if (withNewLine) types.push({ name: 'New Line', value: 'newline', description: 'Start a new row of buttons' });
	const shown = (type: string) => ({ show: { type: [type] } });
	return [
		{ displayName: 'Type', name: 'type', type: 'options', options: types, default: 'command', description: 'What clicking it does' },
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			default: '',
			description: 'The label shown',
			displayOptions: { show: { type: ['action', 'command', 'link'] } },
		},
		{
			displayName: 'Command',
			name: 'command',
			type: 'string',
			default: '',
			placeholder: 'e.g. help',
			description: 'A command registered with Command → Register (Latin letters and digits)',
			displayOptions: shown('command'),
		},
		{
			displayName: 'Command Params',
			name: 'commandParams',
			type: 'string',
			default: '',
			description: 'Text passed to the command as COMMAND_PARAMS',
			displayOptions: shown('command'),
		},
		{
			displayName: 'Link',
			name: 'link',
			type: 'string',
			default: '',
			placeholder: 'https://example.com',
			description: 'An http(s) URL or a path on the portal starting with "/"',
			displayOptions: shown('link'),
		},
		{ displayName: 'Action', name: 'action', type: 'options', options: ACTIONS, default: 'SEND', displayOptions: shown('action') },
		{
			displayName: 'Action Value',
			name: 'actionValue',
			type: 'string',
			default: '',
			description: 'Text for Put/Send/Copy, a phone number for Call, a user ID or chatNNN for Open Dialog',
			displayOptions: shown('action'),
		},
	];
}

interface Entry extends IDataObject {
	type?: string;
	text?: string;
	command?: string;
	commandParams?: string;
	link?: string;
	action?: string;
	actionValue?: string;
	options?: IDataObject;
}

/** TEXT + exactly one action (COMMAND, LINK or ACTION) of a button or menu item. */
function actionOf(entry: Entry, label: string): IDataObject {
	const text = String(entry.text ?? '').trim();
	if (!text) throw new FieldError(`"${label} → Text" is required`);
	const out: IDataObject = { TEXT: text };
	const type = entry.type ?? 'command';
	if (type === 'command') {
		if (!String(entry.command ?? '').trim()) throw new FieldError(`"${label} → Command" is required for a command button`);
		out.COMMAND = checkCommandName(entry.command, `${label} → Command`);
		const params = String(entry.commandParams ?? '');
		if (params.trim() !== '') out.COMMAND_PARAMS = params;
	} else if (type === 'link') {
		out.LINK = checkLink(entry.link, `${label} → Link`);
	} else if (type === 'action') {
		const action = String(entry.action ?? '');
		if (!ACTIONS.some((option) => option.value === action)) {
			throw new FieldError(`"${label} → Action" must be one of: ${ACTIONS.map((o) => o.value).join(', ')} (got ${JSON.stringify(action)})`);
		}
		const value = String(entry.actionValue ?? '').trim();
		if (!value) throw new FieldError(`"${label} → Action Value" is required for the ${action} action`);
		if (action === 'DIALOG') checkDialogId(value, `${label} → Action Value`);
		if (action === 'CALL' && !/^\+?[0-9][0-9 ()-]{2,}$/.test(value)) {
			throw new FieldError(`"${label} → Action Value" must be a phone number for the CALL action (got ${JSON.stringify(value)})`);
		}
		out.ACTION = action;
		out.ACTION_VALUE = value;
	} else {
		throw new FieldError(`"${label} → Type" must be one of: action, command, link (got ${JSON.stringify(type)})`);
	}
	return out;
}

function flagOption(options: IDataObject, key: string, param: string, target: IDataObject): void {
	if (options[key] !== undefined) target[param] = options[key] ? 'Y' : 'N';
}

function colorOption(options: IDataObject, key: string, param: string, target: IDataObject, label: string): void {
	if (options[key] === undefined || options[key] === '') return;
	target[param] = checkHexColor(options[key], label);
}

// ---------------------------------------------------------------------------------------------------------------
// Keyboard

const buttonOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: { type: ['action', 'command', 'link'] } },
	options: [
		{ displayName: 'Background Color', name: 'bgColor', type: 'color', default: '', description: 'BG_COLOR, e.g. #29619b' },
		{
			displayName: 'Background Color Token',
			name: 'bgColorToken',
			type: 'options',
			options: COLOR_TOKEN_OPTIONS,
			default: 'primary',
			description: 'BG_COLOR_TOKEN: a colour of the current theme',
		},
		{
			displayName: 'Block After Click',
			name: 'block',
			type: 'boolean',
			default: false,
			description: 'Whether the button is locked after a click (BLOCK; command buttons only)',
		},
		{ displayName: 'Context', name: 'context', type: 'options', options: CONTEXTS, default: 'ALL', description: 'Where the button is shown (CONTEXT)' },
		{ displayName: 'Disabled', name: 'disabled', type: 'boolean', default: false, description: 'Whether the button is shown disabled (DISABLED)' },
		{ displayName: 'Disabled Background Color', name: 'offBgColor', type: 'color', default: '', description: 'OFF_BG_COLOR' },
		{ displayName: 'Disabled Text Color', name: 'offTextColor', type: 'color', default: '', description: 'OFF_TEXT_COLOR' },
		{
			displayName: 'Display',
			name: 'display',
			type: 'options',
			options: [
				{ name: 'Block (Own Row)', value: 'BLOCK' },
				{ name: 'Line (Next to Others)', value: 'LINE' },
			],
			default: 'BLOCK',
			description: 'DISPLAY: whether the button takes its own row or sits in a line with others',
		},
		{ displayName: 'Text Color', name: 'textColor', type: 'color', default: '', description: 'TEXT_COLOR, e.g. #ffffff' },
		{ displayName: 'Width', name: 'width', type: 'number', typeOptions: { minValue: 1 }, default: 100, description: 'WIDTH in pixels' },
	],
};

function buttonOf(entry: Entry, position: number): IDataObject {
	if (entry.type === 'newline') return { TYPE: 'NEWLINE' };
	const label = `Keyboard → Button ${position}`;
	const button = actionOf(entry, label);
	const options = entry.options ?? {};
	if (options.bgColorToken) button.BG_COLOR_TOKEN = options.bgColorToken;
	colorOption(options, 'bgColor', 'BG_COLOR', button, `${label} → Background Color`);
	colorOption(options, 'textColor', 'TEXT_COLOR', button, `${label} → Text Color`);
	colorOption(options, 'offBgColor', 'OFF_BG_COLOR', button, `${label} → Disabled Background Color`);
	colorOption(options, 'offTextColor', 'OFF_TEXT_COLOR', button, `${label} → Disabled Text Color`);
	if (options.display) button.DISPLAY = options.display;
	if (options.width !== undefined && options.width !== '') {
		button.WIDTH = checkPositiveInteger(options.width, `${label} → Width`);
	}
	if (options.block && entry.type !== 'command') throw new FieldError(`"${label} → Block After Click" works only for command buttons`);
	flagOption(options, 'block', 'BLOCK', button);
	flagOption(options, 'disabled', 'DISABLED', button);
	if (options.context) button.CONTEXT = options.context;
	return button;
}

/** The builder's output: {BUTTONS:[…]} (BOT_ID is added by finishRichContent). */
export function buildKeyboard(buttons: Entry[]): IDataObject {
	if (buttons.length === 0) throw new FieldError('"Keyboard → Buttons" needs at least one button');
	const out = buttons.map((entry, index) => buttonOf(entry, index + 1));
	if (out.every((button) => button.TYPE === 'NEWLINE')) throw new FieldError('"Keyboard → Buttons" has only new-line separators; add a button');
	return { BUTTONS: out };
}

/** A keyboard given as JSON: {BUTTONS:[…]} (BOT_ID optional) or a bare array of buttons. */
export function keyboardFromJson(value: unknown): IDataObject {
	const parsed = parseJsonField(value, 'Keyboard (JSON)', 'an object {"BUTTONS": [...]} or an array of buttons');
	if (Array.isArray(parsed)) return { BUTTONS: parsed };
	const keyboard = parsed as IDataObject;
	if (!Array.isArray(keyboard.BUTTONS)) throw new FieldError('"Keyboard (JSON)" must have a BUTTONS array (or be an array of buttons)');
	return keyboard;
}

/** Keyboard switch (none/keep, builder, JSON, remove), the button list and the JSON field. */
export function keyboardFields(mode: RichMode): FieldSpec[] {
	return [
		{
			property: {
				displayName: 'Keyboard',
				name: 'keyboardSource',
				type: 'options',
				options: richSourceOptions('keyboard', mode),
				default: 'none',
				description: 'Buttons shown under the message (KEYBOARD)',
			},
			param: 'KEYBOARD',
			encode: richEncoder(mode, { entries: 'keyboardButtons', group: 'button', json: 'keyboardJson' }, (entries) => buildKeyboard(entries as Entry[]), keyboardFromJson),
		},
		{
			property: {
				displayName: 'Buttons',
				name: 'keyboardButtons',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Button',
				default: {},
				description: 'The buttons in order; use a "New Line" entry to start a new row',
				displayOptions: { show: { keyboardSource: ['builder'] } },
				options: [{ displayName: 'Button', name: 'button', values: [...actionProperties(true), buttonOptions] }],
			},
		},
		{
			property: {
				displayName: 'Keyboard (JSON)',
				name: 'keyboardJson',
				type: 'json',
				default: '{\n  "BUTTONS": [\n    { "TEXT": "Help", "COMMAND": "help", "DISPLAY": "LINE" }\n  ]\n}',
				description: 'KEYBOARD as Bitrix24 expects it: {"BUTTONS": [...]} or an array of buttons',
				displayOptions: { show: { keyboardSource: ['json'] } },
			},
		},
	];
}

// ---------------------------------------------------------------------------------------------------------------
// Menu

const menuOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{ displayName: 'Context', name: 'context', type: 'options', options: CONTEXTS, default: 'ALL', description: 'Where the item is shown (CONTEXT)' },
		{ displayName: 'Disabled', name: 'disabled', type: 'boolean', default: false, description: 'Whether the item is shown disabled (DISABLED)' },
	],
};

export function buildMenu(items: Entry[]): IDataObject {
	if (items.length === 0) throw new FieldError('"Menu → Items" needs at least one item');
	return {
		ITEMS: items.map((entry, index) => {
			const item = actionOf(entry, `Menu → Item ${index + 1}`);
			const options = entry.options ?? {};
			flagOption(options, 'disabled', 'DISABLED', item);
			if (options.context) item.CONTEXT = options.context;
			return item;
		}),
	};
}

export function menuFromJson(value: unknown): IDataObject {
	const parsed = parseJsonField(value, 'Menu (JSON)', 'an object {"ITEMS": [...]} or an array of items');
	if (Array.isArray(parsed)) return { ITEMS: parsed };
	const menu = parsed as IDataObject;
	if (!Array.isArray(menu.ITEMS)) throw new FieldError('"Menu (JSON)" must have an ITEMS array (or be an array of items)');
	return menu;
}

export function menuFields(mode: RichMode): FieldSpec[] {
	return [
		{
			property: {
				displayName: 'Menu',
				name: 'menuSource',
				type: 'options',
				options: richSourceOptions('menu', mode),
				default: 'none',
				description: "Extra items in the message's context menu (MENU)",
			},
			param: 'MENU',
			encode: richEncoder(mode, { entries: 'menuItems', group: 'item', json: 'menuJson' }, (entries) => buildMenu(entries as Entry[]), menuFromJson),
		},
		{
			property: {
				displayName: 'Menu Items',
				name: 'menuItems',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true, sortable: true },
				placeholder: 'Add Menu Item',
				default: {},
				displayOptions: { show: { menuSource: ['builder'] } },
				options: [{ displayName: 'Item', name: 'item', values: [...actionProperties(false), menuOptions] }],
			},
		},
		{
			property: {
				displayName: 'Menu (JSON)',
				name: 'menuJson',
				type: 'json',
				default: '{\n  "ITEMS": [\n    { "TEXT": "Help", "COMMAND": "help" }\n  ]\n}',
				description: 'MENU as Bitrix24 expects it: {"ITEMS": [...]} or an array of items',
				displayOptions: { show: { menuSource: ['json'] } },
			},
		},
	];
}

