/**
 * Images from binary data: an image input whose source is "Binary Data" is checked against
 * PixVerse's limits, uploaded to Segmind Storage (through the client), and the URL Storage
 * answers becomes the body field (`image_url`, `first_frame_url`, ...).
 *
 * Every check that can fail runs in preSend, before any upload; every upload comes before the
 * generation: a bad field or image uploads nothing, and a failed upload generates nothing.
 */
import type { IBinaryData, IExecuteSingleFunctions } from 'n8n-workflow';

import { IMAGE_TYPES, readImageHeader, type ImageType } from '../helpers/imageHeader';
import { IMAGE_MAX_BYTES, IMAGE_MAX_SIDE, IMAGE_TYPES_IN_WORDS } from '../models/inputLimits';
import type { MediaField } from '../models/spec';
import type { SegmindClient } from '../transport/client';
import { itemFailure } from '../transport/failures';

export const IMAGE_SOURCES = { url: 'url', binaryData: 'binaryData' } as const;
export const DEFAULT_INPUT_BINARY_FIELD = 'data';

const IMAGE_MIME_TYPES: Record<ImageType, string> = {
	png: 'image/png',
	webp: 'image/webp',
	jpeg: 'image/jpeg',
};

/** Stands in for a Storage URL while the other fields are checked, before anything is uploaded. */
export const URL_AFTER_UPLOAD = 'https://storage.segmind.com/assets/image-to-upload';
const NOTHING_SENT = 'Nothing was uploaded or sent to Segmind, so no credits were used.';

export type BinaryImageInput = {
	field: MediaField;
	/** The input item's binary field holding the image. */
	binaryField: string;
};

/** The image inputs of a request whose source is "Binary Data", with the field each names. */
export function binaryImageInputs(
	context: IExecuteSingleFunctions,
	fields: readonly MediaField[],
): BinaryImageInput[] {
	return fields.flatMap((field) => {
		const source = field.fromBinary;
		if (!source) return [];
		if (
			context.getNodeParameter(source.sourceParameter, IMAGE_SOURCES.url) !==
			IMAGE_SOURCES.binaryData
		) {
			return [];
		}
		const named = String(
			context.getNodeParameter(source.fieldParameter, DEFAULT_INPUT_BINARY_FIELD),
		);
		return [{ field, binaryField: named.trim() || DEFAULT_INPUT_BINARY_FIELD }];
	});
}

function fail(context: IExecuteSingleFunctions, message: string, description: string): never {
	throw itemFailure(context, message, `${description} ${NOTHING_SENT}`, {
		kind: 'invalidInput',
		call: 'upload',
	});
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The binary's metadata; a missing field is named with the fields the item does have. */
function binaryFieldOf(context: IExecuteSingleFunctions, input: BinaryImageInput): IBinaryData {
	try {
		return context.helpers.assertBinaryData(input.binaryField);
	} catch {
		const fields = Object.keys(context.getInputData().binary ?? {});
		const label = input.field.fromBinary!.fieldLabel;
		return fail(
			context,
			`The item has no binary field "${input.binaryField}" (${label})`,
			fields.length
				? `Its binary fields are: ${fields.map((field) => `"${field}"`).join(', ')}. Set ${label} to the one holding the image.`
				: 'It has no binary data at all: the node before this one must output the image as a file (binary data), or give the image as a URL.',
		);
	}
}

/** The image's bytes, read through n8n (memory, filesystem or S3 mode), held to PixVerse's limits. */
async function checkedImage(context: IExecuteSingleFunctions, input: BinaryImageInput) {
	const binary = binaryFieldOf(context, input);
	const data = await context.helpers.getBinaryDataBuffer(input.binaryField);
	const file = `"${input.binaryField}"${binary.fileName ? ` (${binary.fileName})` : ''}`;
	const header = readImageHeader(data);
	if (!header.ok && header.type === undefined) {
		return fail(
			context,
			`The image in binary field ${file} is not a ${IMAGE_TYPES_IN_WORDS} image`,
			`PixVerse accepts ${IMAGE_TYPES.join(', ')}. Found: ${header.found}, declared as ${binary.mimeType || 'no type'}. Convert it first (for example with the Edit Image node).`,
		);
	}
	if (data.length >= IMAGE_MAX_BYTES) {
		return fail(
			context,
			`The image in binary field ${file} is too large: ${megabytes(data.length)} (${data.length} bytes)`,
			`PixVerse accepts images under ${megabytes(IMAGE_MAX_BYTES)}. Resize or compress it first.`,
		);
	}
	if (!header.ok) {
		return fail(
			context,
			`The image in binary field ${file} is damaged: ${header.problem}`,
			`Its first bytes say ${header.type}, but its size cannot be read. The file may be truncated.`,
		);
	}
	if (header.width > IMAGE_MAX_SIDE || header.height > IMAGE_MAX_SIDE) {
		return fail(
			context,
			`The image in binary field ${file} is too large: ${header.width} x ${header.height} px`,
			`PixVerse accepts at most ${IMAGE_MAX_SIDE} x ${IMAGE_MAX_SIDE} px. Resize it first.`,
		);
	}
	return { type: header.type, data };
}

/** Checks every binary image against PixVerse's limits (preSend: before anything is sent). */
export async function checkBinaryImages(
	context: IExecuteSingleFunctions,
	inputs: readonly BinaryImageInput[],
) {
	for (const input of inputs) await checkedImage(context, input);
}

/**
 * Uploads each checked image and returns the body fields to set. Each upload reads its image
 * again inside its request slot, so at most Max Concurrent Requests images are held at once,
 * whatever the batch size.
 */
export async function uploadBinaryImages(
	context: IExecuteSingleFunctions,
	client: SegmindClient,
	inputs: readonly BinaryImageInput[],
): Promise<Record<string, string>> {
	const uploaded: Record<string, string> = {};
	for (const input of inputs) {
		uploaded[input.field.body] = await client.uploadImage(async () => {
			const image = await checkedImage(context, input);
			return `data:${IMAGE_MIME_TYPES[image.type]};base64,${image.data.toString('base64')}`;
		});
	}
	return uploaded;
}
