import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { FieldSpec } from '../../Bitrix24/operations';

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

export function titleCase(code: string): string {
	return code
		.toLowerCase()
		.split('_')
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}

export const chatColorOptions: INodePropertyOptions[] = CHAT_COLORS.map((code) => ({ name: titleCase(code), value: code }));

/** The theme colours Bitrix24 knows for keyboard buttons and attachments (BG_COLOR_TOKEN, COLOR_TOKEN). */
export const COLOR_TOKEN_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Alert', value: 'alert' },
	{ name: 'Base', value: 'base' },
	{ name: 'Primary', value: 'primary' },
	{ name: 'Secondary', value: 'secondary' },
];

/** One of the 16 chat colours as a dropdown field. */
export function chatColorField(options: { name: string; param: string; required: boolean; description: string; displayName?: string }): FieldSpec {
	const property: INodeProperties = {
		displayName: options.displayName ?? 'Color',
		name: options.name,
		type: 'options',
		default: '',
		options: chatColorOptions,
		required: options.required,
		description: options.description,
	};
	if (options.required) property.default = 'AZURE';
	return { property, param: options.param };
}

/** A collection option picking one of the 16 chat colours. */
export function chatColorOption(param: string, description: string): FieldSpec {
	return {
		property: { displayName: 'Color', name: 'color', type: 'options', options: chatColorOptions, default: 'AZURE', description },
		param,
	};
}
