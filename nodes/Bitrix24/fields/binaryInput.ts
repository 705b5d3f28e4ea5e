import type { ItemContext } from '../operations';
import { FieldError } from '../operations';

/** A binary property of the input item: checked to exist, optionally by MIME type, and read whole. */
export interface BinaryInput {
	buffer: Buffer;
	mimeType?: string;
	fileName?: string;
}

/**
 * Reads the binary property `name` of the current item. `label` names the field in errors; `accept` refuses other
 * MIME types before anything is read (e.g. /^image\//).
 */
export async function readBinaryInput(
	item: ItemContext,
	name: unknown,
	label: string,
	accept?: { pattern: RegExp; what: string },
): Promise<BinaryInput> {
	const property = typeof name === 'string' ? name.trim() : '';
	if (!property) throw new FieldError(`"${label}" is required: the name of the input item's binary property`);
	const binary = item.ctx.getInputData()[item.itemIndex]?.binary?.[property];
	if (!binary) throw new FieldError(`"${label}" names "${property}", but the input item has no binary property "${property}"`);
	if (accept && binary.mimeType && !accept.pattern.test(binary.mimeType)) {
		throw new FieldError(`"${label}": "${property}" is ${binary.mimeType}, not ${accept.what}`);
	}
	const buffer = await item.ctx.helpers.getBinaryDataBuffer(item.itemIndex, property);
	if (buffer.length === 0) throw new FieldError(`"${label}": "${property}" is empty`);
	return { buffer, mimeType: binary.mimeType, fileName: binary.fileName };
}
