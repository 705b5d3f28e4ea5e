import type { INodeProperties, INodePropertyMode, INodePropertyOptions } from 'n8n-workflow';

import { encoders } from '../operations';
import type { FieldSpec } from '../operations';

/** Bot fields used by both the Bitrix24 Chatbot node and the Bitrix24 Chatbot Trigger (bitrix24-api.md §4.1). */

/** imbot.register TYPE, sorted by name. */
export const BOT_TYPE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Bot (Standard)', value: 'B', description: 'Answers at once; in group chats sees only messages addressed to it' },
	{ name: 'Human (Typing Indicator)', value: 'H', description: 'Shows "typing…" before its answers' },
	{ name: 'Open Channels', value: 'O', description: 'A bot for Open Channels' },
	{ name: 'Supervisor (Reads All Messages)', value: 'S', description: 'Reads every message in its chats' },
];

/** A bot picker's two modes: a searchable list (the given listSearch method) or a bot ID typed in. */
export function botLocatorModes(searchListMethod: 'searchBots' | 'searchBotsV2'): INodePropertyMode[] {
	const locator: Pick<INodeProperties, 'modes'> = {
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a bot...',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 39',
			},
		],
	};
	return locator.modes ?? [];
}

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
			modes: botLocatorModes('searchBots'),
		},
		param: 'BOT_ID',
		encode: encoders.positiveInteger,
	};
}
