import type { INodePropertyOptions } from 'n8n-workflow';

import { botLocatorModes } from '../../../Bitrix24/fields/bots';
import { encoders } from '../../../Bitrix24/operations';
import type { FieldSpec } from '../../../Bitrix24/operations';
import { CHAT_COLORS, titleCase } from '../../fields/colors';
import { dialogIdField, messageIdField, userIdsField } from '../../fields/ids';
import type { MessageKeys } from '../../fields/richContent';

/** Fields every imbot.v2 resource uses: camelCase params at the top level, content under `fields` (bitrix24-api.md §5). */

export const V2_KEYS: MessageKeys = { botId: 'botId', message: 'fields.message', keyboard: 'fields.keyboard', attach: 'fields.attach' };

/** The longest message text imbot.v2 keeps (longer text is cut and ends with " (...)"). */
export const V2_MESSAGE_MAX_CHARS = 20_000;

/** fields.type of imbot.v2.Bot.register. */
export const BOT_V2_TYPES: INodePropertyOptions[] = [
	{ name: 'Bot', value: 'bot', description: 'Sees mentions in group chats and every message in one-to-one chats' },
	{ name: 'Open Channels', value: 'openline', description: 'A bot for Open Channels: the welcome bot of a line answers customers first' },
	{ name: 'Personal', value: 'personal', description: 'Sees every message in its chats; hidden from search for users without access' },
	{ name: 'Supervisor', value: 'supervisor', description: 'Sees every message in its chats' },
];

/** The v2 bot: a dropdown filled by imbot.v2.Bot.list, or an ID. Every v2 method but register / list / get needs it. */
export const botV2Field: FieldSpec = {
	property: {
		displayName: 'Bot',
		name: 'botId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The chatbot (botId), registered with the chatbot API v2',
		modes: botLocatorModes('searchBotsV2'),
	},
	param: 'botId',
	encode: encoders.positiveInteger,
};

export const dialogIdV2 = dialogIdField({ param: 'dialogId' });

export const messageIdV2 = (description: string, hint?: string): FieldSpec => messageIdField(description, hint, 'messageId');

export const userIdsV2 = (description: string): FieldSpec => userIdsField({ required: true, description, param: 'userIds' });

export function userIdV2(description: string): FieldSpec {
	return {
		property: { displayName: 'User ID', name: 'userId', type: 'string', default: '', required: true, placeholder: 'e.g. 27', description },
		param: 'userId',
		encode: encoders.positiveInteger,
	};
}

/** The 16 chat colours, as v2 spells them (camelCase: darkBlue, lightBlue). */
export const v2ColorOptions: INodePropertyOptions[] = CHAT_COLORS.map((code) => ({
	name: titleCase(code),
	value: code.toLowerCase().replace(/_([a-z])/g, (_m, letter: string) => letter.toUpperCase()),
}));

/** A v2 boolean in an options collection (v2 takes JSON true / false). */
export function flagV2(displayName: string, name: string, param: string, what: string): FieldSpec {
	return { property: { displayName, name, type: 'boolean', default: false, description: `Whether ${what}` }, param };
}
