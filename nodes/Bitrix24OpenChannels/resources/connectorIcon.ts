import { readBinaryInput } from '../../Bitrix24/fields/binaryInput';
import type { Encoder, FieldSpec } from '../../Bitrix24/operations';
import { FieldError } from '../../Bitrix24/operations';

const DATA_URI_PREFIX = 'data:image/svg+xml,';

/**
 * An SVG document → the data URI imconnector.register expects (`data:image/svg+xml,<urlencoded svg>`).
 * `label` names the field in the error when the caller is not an encoder (encoders get the label from the executor).
 */
export function svgDataUri(svg: string, label?: string): string {
	const text = svg.trim();
	if (text.toLowerCase().startsWith('data:image/svg+xml')) return text;
	if (!/<svg[\s>]/i.test(text)) {
		const prefix = label ? `"${label}" ` : '';
		throw new FieldError(`${prefix}must be an SVG document (<svg …>…</svg>) or a data:image/svg+xml URI`);
	}
	return `${DATA_URI_PREFIX}${encodeURIComponent(text)}`;
}

/** Encoder form of svgDataUri for SVG text fields. */
export const svgField: Encoder = (value) => svgDataUri(typeof value === 'string' ? value : '');

/** The connector icon (ICON.DATA_IMAGE): SVG text, or an SVG file in a binary property of the item. */
export const connectorIconField: FieldSpec = {
	property: {
		displayName: 'Icon Source',
		name: 'iconSource',
		type: 'options',
		options: [
			{ name: 'Binary Property', value: 'binary', description: 'An SVG file in a binary property of the input item' },
			{ name: 'SVG Text', value: 'text', description: 'SVG markup typed or mapped into a field' },
		],
		default: 'text',
		description: 'Where the connector icon (SVG) comes from; it is sent as a data:image/svg+xml URI',
	},
	param: 'ICON.DATA_IMAGE',
	cases: {
		text: [
			{
				property: {
					displayName: 'Icon SVG',
					name: 'iconSvg',
					type: 'string',
					typeOptions: { rows: 4 },
					default: '',
					required: true,
					placeholder: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">…</svg>',
					description: 'The icon as SVG markup (or an existing data:image/svg+xml URI)',
				},
				encode: svgField,
			},
		],
		binary: [
			{
				property: {
					displayName: 'Icon Binary Property',
					name: 'iconBinaryProperty',
					type: 'string',
					default: 'data',
					required: true,
					description: 'Name of the binary property holding the SVG file',
				},
			},
		],
	},
	combine: async (source, values, item) => {
		if (source === 'text') return values.iconSvg;
		const input = await readBinaryInput(item, values.iconBinaryProperty, 'Icon Binary Property');
		return svgDataUri(input.buffer.toString('utf8'), 'Icon Binary Property');
	},
};
