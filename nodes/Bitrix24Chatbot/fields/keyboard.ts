import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { FieldError, validators } from '../../Bitrix24/operations';
import type { FieldSpec } from '../../Bitrix24/operations';
import { COLOR_TOKEN_OPTIONS } from './colors';
import type { Entry } from './entryActions';
import { actionOf, actionProperties, checkJsonEntry, CONTEXTS, setHexColor, setYesNo } from './entryActions';
import type { RichMode } from './richContent';
import { entriesOf, richContentField } from './richContent';

/** KEYBOARD, buttons under a message (bitrix24-api.md §6.3): {BUTTONS:[…]} with TYPE:"NEWLINE" separators, or JSON. */


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
	setHexColor(button, 'BG_COLOR', options, 'bgColor', `${label} → Background Color`);
	setHexColor(button, 'TEXT_COLOR', options, 'textColor', `${label} → Text Color`);
	setHexColor(button, 'OFF_BG_COLOR', options, 'offBgColor', `${label} → Disabled Background Color`);
	setHexColor(button, 'OFF_TEXT_COLOR', options, 'offTextColor', `${label} → Disabled Text Color`);
	if (options.display) button.DISPLAY = options.display;
	if (options.width !== undefined && options.width !== '') {
		button.WIDTH = validators.toInteger(options.width, 1, `${label} → Width`);
	}
	if (options.block && entry.type !== 'command') throw new FieldError(`"${label} → Block After Click" works only for command buttons`);
	setYesNo(button, 'BLOCK', options, 'block');
	setYesNo(button, 'DISABLED', options, 'disabled');
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

/** A keyboard given as JSON: {BUTTONS:[…]} (BOT_ID optional) or a bare array of buttons, each checked. */
export function keyboardFromJson(value: unknown): unknown {
	const parsed = validators.parseJsonField(value, 'Keyboard (JSON)', 'an object {"BUTTONS": [...]} or an array of buttons');
	const buttons = Array.isArray(parsed) ? parsed : (parsed as IDataObject).BUTTONS;
	if (!Array.isArray(buttons)) throw new FieldError('"Keyboard (JSON)" must have a BUTTONS array (or be an array of buttons)');
	buttons.forEach((button, index) => {
		if ((button as IDataObject)?.TYPE !== 'NEWLINE') checkJsonEntry(button, `Keyboard (JSON) → button ${index + 1}`);
	});
	// Sent as typed: a bare array stays a bare array (the server wraps it); BOT_ID is added to the object form only.
	return parsed;
}

/** Keyboard: none / keep, built from buttons, JSON, or (update) remove. */
export function keyboardField(mode: RichMode, param = 'KEYBOARD'): FieldSpec {
	return richContentField(mode, {
		thing: 'keyboard',
		name: 'keyboardSource',
		displayName: 'Keyboard',
		param,
		description: 'Buttons shown under the message (KEYBOARD)',
		builder: [
			{
				property: {
					displayName: 'Buttons',
					name: 'keyboardButtons',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true, sortable: true },
					placeholder: 'Add Button',
					default: {},
					description: 'The buttons in order; use a "New Line" entry to start a new row',
					options: [{ displayName: 'Button', name: 'button', values: [...actionProperties(true), buttonOptions] }],
				},
			},
		],
		json: {
			property: {
				displayName: 'Keyboard (JSON)',
				name: 'keyboardJson',
				type: 'json',
				default: '{\n  "BUTTONS": [\n    { "TEXT": "Help", "COMMAND": "help", "DISPLAY": "LINE" }\n  ]\n}',
				description: 'KEYBOARD as Bitrix24 expects it: {"BUTTONS": [...]} or an array of buttons',
			},
		},
		build: (values) => buildKeyboard(entriesOf(values.keyboardButtons, 'button') as Entry[]),
		fromJson: keyboardFromJson,
	});
}
