import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { FieldError, validators } from '../../Bitrix24/operations';
import { checkCommandName, checkDialogId } from './ids';

/**
 * What a keyboard button or a menu item does (bitrix24-api.md §6.3, §6.4): run a command, open a link, or a
 * client-side action — the fields of one entry and their translation into TEXT + COMMAND / LINK / ACTION.
 */

const ACTIONS: INodePropertyOptions[] = [
	{ name: 'Call', value: 'CALL', description: 'Call a phone number (action value: the number)' },
	{ name: 'Copy', value: 'COPY', description: 'Copy the action value to the clipboard' },
	{ name: 'Open Dialog', value: 'DIALOG', description: 'Open a dialog (action value: a user ID or chatNNN)' },
	{ name: 'Put in Input', value: 'PUT', description: 'Put the action value into the message input' },
	{ name: 'Send', value: 'SEND', description: 'Send the action value as a message' },
];

export const CONTEXTS: INodePropertyOptions[] = [
	{ name: 'All', value: 'ALL' },
	{ name: 'Desktop', value: 'DESKTOP' },
	{ name: 'Mobile', value: 'MOBILE' },
];

/** The action a button or menu item performs, and its value fields. */
export function actionProperties(withNewLine: boolean): INodeProperties[] {
	const types: INodePropertyOptions[] = [
		{ name: 'Action', value: 'action', description: 'A client-side action: put or send text, copy, call, open a dialog' },
		{ name: 'Command', value: 'command', description: 'Run a command registered for the bot (fires ONIMCOMMANDADD)' },
		{ name: 'Link', value: 'link', description: 'Open a URL' },
		{ name: 'Open App', value: 'app', description: 'Open a Bitrix24 app of the portal (APP_ID, APP_PARAMS)' },
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
			displayOptions: { show: { type: ['action', 'app', 'command', 'link'] } },
		},
		{
			displayName: 'Command',
			name: 'command',
			type: 'string',
			default: '',
			placeholder: 'e.g. help',
			description: 'A command registered with Command → Register for the message\'s bot (Latin letters and digits)',
			hint: 'Chatbot version 2 checks before sending that the bot has this command (imbot.v2.Command.list). Version 1 cannot list a bot\'s commands: make sure it is registered for this bot, or the click does nothing.',
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
		{
			displayName: 'App ID',
			name: 'appId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 12',
			description: 'The ID of the app to open (APP_ID)',
			displayOptions: shown('app'),
		},
		{
			displayName: 'App Params',
			name: 'appParams',
			type: 'string',
			default: '',
			description: 'Text passed to the app (APP_PARAMS)',
			displayOptions: shown('app'),
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

export interface Entry extends IDataObject {
	type?: string;
	text?: string;
	command?: string;
	commandParams?: string;
	link?: string;
	action?: string;
	actionValue?: string;
	appId?: string | number;
	appParams?: string;
	options?: IDataObject;
}

/** TEXT + exactly one action (COMMAND, LINK, ACTION or APP_ID) of a button or menu item. */
export function actionOf(entry: Entry, label: string): IDataObject {
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
		out.LINK = validators.checkLink(entry.link, `${label} → Link`);
	} else if (type === 'action') {
		const action = String(entry.action ?? '');
		if (!ACTIONS.some((option) => option.value === action)) {
			throw new FieldError(`"${label} → Action" must be one of: ${ACTIONS.map((o) => o.value).join(', ')} (got ${validators.describeValue(action)})`);
		}
		const value = String(entry.actionValue ?? '').trim();
		if (!value) throw new FieldError(`"${label} → Action Value" is required for the ${action} action`);
		if (action === 'DIALOG') checkDialogId(value, `${label} → Action Value`);
		if (action === 'CALL' && !/^\+?[0-9][0-9 ()-]{2,}$/.test(value)) {
			throw new FieldError(`"${label} → Action Value" must be a phone number for the CALL action (got ${validators.describeValue(value)})`);
		}
		out.ACTION = action;
		out.ACTION_VALUE = value;
	} else if (type === 'app') {
		out.APP_ID = validators.toInteger(entry.appId, 1, `${label} → App ID`);
		const params = String(entry.appParams ?? '');
		if (params.trim() !== '') out.APP_PARAMS = params;
	} else {
		throw new FieldError(`"${label} → Type" must be one of: action, app, command, link (got ${validators.describeValue(type)})`);
	}
	return out;
}

/** Sets `target[param]` to Y / N when the option `key` is given. */
export function setYesNo(target: IDataObject, param: string, options: IDataObject, key: string): void {
	if (options[key] !== undefined) target[param] = options[key] ? 'Y' : 'N';
}

/** Sets `target[param]` to the hex colour of option `key` when given (checked). */
export function setHexColor(target: IDataObject, param: string, options: IDataObject, key: string, label: string): void {
	if (options[key] === undefined || options[key] === '') return;
	target[param] = validators.checkHexColor(options[key], label);
}

/** Keys of a button or menu item that hold a link: checked in JSON mode as the builder checks them. */
const LINK_KEYS = ['LINK'];

/**
 * A button or menu item given as JSON: an object whose links are http(s) or portal paths (never javascript: and the
 * like). Returns nothing; throws a FieldError naming the entry.
 */
export function checkJsonEntry(entry: unknown, label: string): void {
	if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
		throw new FieldError(`"${label}" must be an object such as {"TEXT": "Help", "COMMAND": "help"} (got ${validators.describeValue(entry)})`);
	}
	for (const key of LINK_KEYS) {
		const value = (entry as IDataObject)[key];
		if (value !== undefined && value !== '') validators.checkLink(value, `${label} → ${key}`);
	}
}
