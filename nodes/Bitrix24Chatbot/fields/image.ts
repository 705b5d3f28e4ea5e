import type { INodePropertyOptions } from 'n8n-workflow';

import { readBinaryInput } from '../../Bitrix24/fields/binaryInput';
import { FieldError, validators } from '../../Bitrix24/operations';
import type { FieldSpec, ItemContext } from '../../Bitrix24/operations';
import { downloadFile, isDownloadFailure } from '../../Bitrix24/transport';

/**
 * Images sent base64-encoded (bot PERSONAL_PHOTO, chat AVATAR): a choice field whose cases are a binary property of
 * the item, a URL n8n downloads, or base64 text (what the REST docs' examples pass and a Code node produces).
 */

const IMAGE_KINDS = 'PNG, JPEG, GIF, WEBP, BMP';

/** The image formats Bitrix24 takes, by their first bytes. */
function looksLikeImage(bytes: Buffer): boolean {
	const starts = (...sig: number[]) => sig.every((byte, i) => bytes[i] === byte);
	return (
		starts(0x89, 0x50, 0x4e, 0x47) || // PNG
		starts(0xff, 0xd8, 0xff) || // JPEG
		starts(0x47, 0x49, 0x46, 0x38) || // GIF8
		starts(0x42, 0x4d) || // BMP
		(starts(0x52, 0x49, 0x46, 0x46) && bytes.subarray(8, 12).toString('latin1') === 'WEBP')
	);
}

/** Base64 text of an image: 40 million characters (about 30 MB of image), far above any avatar. */
const IMAGE_BASE64_MAX_CHARS = 40_000_000;

function checkImageBytes(bytes: Buffer, label: string, source: string): string {
	if (!looksLikeImage(bytes)) throw new FieldError(`"${label}": ${source} is not an image (${IMAGE_KINDS}; its first bytes say otherwise)`);
	return bytes.toString('base64');
}

/**
 * The most an image may weigh when downloaded: the REST docs give no byte limit for PERSONAL_PHOTO or AVATAR, only
 * 5000×5000 pixels; a photo or avatar that size as JPEG or PNG stays far below this.
 */
export const IMAGE_MAX_BYTES = 10 * 1024 * 1024;

async function fromUrl(item: ItemContext, label: string, url: string): Promise<string> {
	const download = await downloadFile(item.ctx, url, { what: `"${label}"`, maxBytes: IMAGE_MAX_BYTES, limit: '10 MB, the most accepted for an image', maxRedirects: 5, timeoutMs: 30_000 });
	if (isDownloadFailure(download)) throw new FieldError(download.message);
	const type = String(download.headers['content-type'] ?? '');
	if (type && !/^image\//i.test(type) && !/octet-stream/i.test(type)) {
		throw new FieldError(`"${label}" is ${type.split(';')[0]}, not an image (${IMAGE_KINDS})`);
	}
	if (download.body.length === 0) throw new FieldError(`"${label}" returned no data`);
	return checkImageBytes(download.body, label, 'the download');
}

function fromBase64(label: string, text: string): string {
	const data = text.replace(/^data:image\/[a-z0-9.+-]+;base64,/i, '').replace(/\s+/g, '');
	if (!/^[A-Za-z0-9+/]+={0,2}$/.test(data) || data.length % 4 === 1) {
		throw new FieldError(`"${label}" must be base64 text (optionally a data:image/…;base64, URI)`);
	}
	return checkImageBytes(Buffer.from(data, 'base64'), label, 'the decoded text');
}

interface ImageOptions {
	/** Field name prefix: `photo` → photoSource, photoBinaryProperty, photoUrl, photoBase64. */
	name: string;
	/** Shown label: Photo, Avatar. */
	label: string;
	param: string;
	/** True: the operation needs an image (Set Avatar). */
	required: boolean;
	/** Label of the "send nothing" choice, e.g. "No Photo" or "Keep Current Photo". */
	noneLabel?: string;
}

/** The image source switch (binary / URL / base64 / none) and the field of each case. */
export function imageField(options: ImageOptions): FieldSpec {
	const field = imageChoice(options);
	if (options.required) field.property.default = 'binary';
	return field;
}

function imageChoice(options: ImageOptions): FieldSpec {
	const { name, label } = options;
	const thing = label.toLowerCase();
	const binaryName = `${name}BinaryProperty`;
	const urlName = `${name}Url`;
	const base64Name = `${name}Base64`;
	const sources: INodePropertyOptions[] = [
		{ name: 'Base64 Text', value: 'base64', description: `The ${thing} as base64 text, e.g. from a Code node` },
		{ name: 'Binary Property', value: 'binary', description: `Take the ${thing} from a binary property of the input item` },
		{ name: 'URL', value: 'url', description: `Download the ${thing} from a URL` },
	];
	if (!options.required) sources.push({ name: options.noneLabel ?? `No ${label}`, value: 'none' });
	return {
		property: {
			displayName: label,
			name: `${name}Source`,
			type: 'options',
			default: 'none',
			options: sources.sort((a, b) => a.name.localeCompare(b.name)),
			description: `Where the ${thing} comes from. It is sent base64-encoded; Bitrix24 accepts images up to 5000×5000 pixels.`,
		},
		param: options.param,
		cases: {
			binary: [
				{
					property: {
						displayName: `${label} Binary Property`,
						name: binaryName,
						type: 'string',
						default: 'data',
						required: true,
						description: `The name of the input item's binary property holding the ${thing}`,
					},
				},
			],
			url: [
				{
					property: {
						displayName: `${label} URL`,
						name: urlName,
						type: 'string',
						default: '',
						required: true,
						placeholder: 'https://example.com/avatar.png',
						description: `The address of the ${thing}; n8n downloads it and sends it base64-encoded`,
					},
					encode: (value) => validators.checkHttpUrl(value),
				},
			],
			base64: [
				{
					property: {
						displayName: `${label} (Base64)`,
						name: base64Name,
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						required: true,
						placeholder: 'iVBORw0KGgo…',
						description: `The ${thing} as base64 text or a data:image/…;base64, URI`,
					},
					maxLength: { chars: IMAGE_BASE64_MAX_CHARS, documented: false },
				},
			],
			none: [],
		},
		combine: async (source, values, item) => {
			if (source === 'binary') {
				const input = await readBinaryInput(item, values[binaryName], `${label} Binary Property`, {
					pattern: /^image\//i,
					what: `an image (${IMAGE_KINDS})`,
				});
				return checkImageBytes(input.buffer, `${label} Binary Property`, `"${String(values[binaryName]).trim()}"`);
			}
			if (source === 'url') return await fromUrl(item, `${label} URL`, values[urlName] as string);
			if (source === 'base64') return fromBase64(`${label} (Base64)`, String(values[base64Name]));
			return undefined;
		},
	};
}
