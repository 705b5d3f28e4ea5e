import type { IDataObject } from 'n8n-workflow';

import type { Encoder, ItemContext } from '../../Bitrix24/operations';
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
export const svgField: Encoder = (value) => svgDataUri(String(value ?? ''));

/** The connector icon's SVG, from the text field or from a binary property of the item, as a data URI. */
export async function connectorIconDataUri(item: ItemContext): Promise<string> {
	const { ctx, itemIndex } = item;
	const source = ctx.getNodeParameter('iconSource', itemIndex, 'text') as string;
	if (source === 'binary') {
		const property = String(ctx.getNodeParameter('iconBinaryProperty', itemIndex, 'data') ?? '').trim();
		if (!property) throw new FieldError('"Icon Binary Property" is required: the name of the binary property that holds the SVG file');
		const binary = ctx.getInputData()[itemIndex]?.binary?.[property];
		if (!binary) {
			throw new FieldError(`"Icon Binary Property" names "${property}", but the input item has no binary property of that name`);
		}
		const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
		return svgDataUri(buffer.toString('utf8'), 'Icon Binary Property');
	}
	const svg = String(ctx.getNodeParameter('iconSvg', itemIndex, '') ?? '');
	if (!svg.trim()) throw new FieldError('"Icon SVG" is required: the connector icon as SVG markup');
	return svgDataUri(svg, 'Icon SVG');
}

/** Puts ICON.DATA_IMAGE into the register params (the other ICON keys come from the Icon Options fields). */
export async function withConnectorIcon(params: IDataObject, item: ItemContext): Promise<IDataObject> {
	return { ...params, ICON: { ...((params.ICON as IDataObject) ?? {}), DATA_IMAGE: await connectorIconDataUri(item) } };
}
