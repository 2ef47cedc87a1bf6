/**
 * Image Source "Binary Data": the image in an input binary field is checked against PixVerse's
 * limits, uploaded to Segmind Storage, and the URL it returns becomes `image_url`.
 *
 * A preSend hook, so RoutingNode runs it once per item before the request executor and outside
 * its retries: a rate-limited generation is retried without uploading the image again. Every
 * check that can fail runs before the upload, and the upload before the generation: a bad field
 * uploads nothing, and a failed upload generates nothing.
 */
import type {
	IBinaryData,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	DEFAULT_STORAGE_UPLOAD_URL,
	IMAGE_MAX_BYTES,
	IMAGE_MAX_SIDE,
	IMAGE_MIME_TYPES,
	IMAGE_TYPES,
	type ImageType,
} from '../../contract';
import {
	bodyAsText,
	explainTransportFailure,
	parseJsonObject,
	throwIfSegmindFailed,
} from '../../errors';
import { readImageHeader } from '../../imageHeader';
import { retryPolicyOf, sendWithSafeRetries } from '../../safeRetries';
import { prepareGenerationRequest } from './generateFromImage.hooks';
import { DEFAULT_INPUT_BINARY_FIELD, IMAGE_SOURCES, rememberUploadedImageUrl } from './imageSource';

/** An upload of at most 20 MB; far longer than it takes, short enough to report a dead host. */
const UPLOAD_TIMEOUT_MS = 120_000;
/**
 * Stands in for the URL Segmind Storage will return while the other fields are checked against
 * the contract, so a bad prompt or combination stops the item before anything is uploaded.
 */
const URL_AFTER_UPLOAD = 'https://storage.segmind.com/assets/image-to-upload';
const NOTHING_SENT = 'Nothing was uploaded or sent to Segmind, so no credits were used.';

type CheckedImage = { type: ImageType; data: Buffer };

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const allowedTypes = IMAGE_TYPES.join(', ');

function fail(context: IExecuteSingleFunctions, message: string, description: string): never {
	throw new NodeOperationError(context.getNode(), message, {
		description: `${description} ${NOTHING_SENT}`,
		itemIndex: context.getItemIndex(),
	});
}

/** The binary's metadata; a missing field is named with the fields the item does have. */
function binaryFieldOf(context: IExecuteSingleFunctions, propertyName: string): IBinaryData {
	try {
		return context.helpers.assertBinaryData(propertyName);
	} catch {
		const fields = Object.keys(context.getInputData().binary ?? {});
		return fail(
			context,
			`The item has no binary field "${propertyName}" (Input Binary Field)`,
			fields.length
				? `Its binary fields are: ${fields.map((field) => `"${field}"`).join(', ')}. Set Input Binary Field to the one holding the image.`
				: 'It has no binary data at all: the node before this one must output the image as a file (binary data), or use Image Source: URL.',
		);
	}
}

/** The image's bytes, read through n8n (memory, filesystem or S3 mode) and held to PixVerse's limits. */
async function checkedImage(
	context: IExecuteSingleFunctions,
	propertyName: string,
): Promise<CheckedImage> {
	const binary = binaryFieldOf(context, propertyName);
	const data = await context.helpers.getBinaryDataBuffer(propertyName);
	const file = `"${propertyName}"${binary.fileName ? ` (${binary.fileName})` : ''}`;
	const header = readImageHeader(data);
	if (!header.ok && header.type === undefined) {
		return fail(
			context,
			`The image in binary field ${file} is not a png, webp or jpeg image`,
			`PixVerse accepts ${allowedTypes}. Found: ${header.found}, declared as ${binary.mimeType || 'no type'}. Convert it first (for example with the Edit Image node).`,
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

async function storageUploadUrlOf(context: IExecuteSingleFunctions) {
	const credentials = await context.getCredentials('segmindPixverseApi');
	const configured = String(credentials.storageUploadUrl ?? '').trim();
	return configured || DEFAULT_STORAGE_UPLOAD_URL;
}

/**
 * Uploads the image as a data URI, its type read from its bytes (a declared mime type can be
 * wrong). An upload bills nothing, so every transient failure is retried (safeRetries.ts), in
 * one of the run's request slots: at most Max Concurrent Requests images in memory and in flight
 * at once, whatever the batch size.
 */
async function uploadToSegmindStorage(
	context: IExecuteSingleFunctions,
	propertyName: string,
): Promise<string> {
	const url = await storageUploadUrlOf(context);
	const response = await sendWithSafeRetries(
		context,
		retryPolicyOf(context, 'imageUpload'),
		async () => {
			const image = await checkedImage(context, propertyName);
			const dataUri = `data:${IMAGE_MIME_TYPES[image.type]};base64,${image.data.toString('base64')}`;
			const answer = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				'segmindPixverseApi',
				{
					method: 'POST',
					url,
					headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
					body: { data_urls: [dataUri] },
					json: true,
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					timeout: UPLOAD_TIMEOUT_MS,
				},
			)) as IN8nHttpFullResponse;
			await throwIfSegmindFailed.call(context, answer, { kind: 'upload' });
			return answer;
		},
		(error) =>
			explainTransportFailure(context.getNode(), error, {
				baseUrl: url,
				timeoutMs: UPLOAD_TIMEOUT_MS,
				itemIndex: context.getItemIndex(),
				call: { kind: 'upload' },
			}),
	);
	const answer = parseJsonObject(bodyAsText(response.body));
	const uploaded = Array.isArray(answer?.urls) ? answer.urls[0] : undefined;
	if (typeof uploaded !== 'string' || !/^https?:\/\//i.test(uploaded)) {
		throw new NodeOperationError(
			context.getNode(),
			'Segmind Storage answered the image upload without an image URL',
			{
				description: `Expected {"urls": ["https://..."]}; the answer had ${answer ? `fields ${Object.keys(answer).join(', ') || '(none)'}` : 'no JSON object'}. Nothing was generated, so no credits were used.`,
				itemIndex: context.getItemIndex(),
			},
		);
	}
	return uploaded;
}

/** preSend: with Image Source "Binary Data", `image_url` becomes the uploaded image's URL. */
export async function imageFromBinaryData(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (this.getNodeParameter('imageSource', IMAGE_SOURCES.url) !== IMAGE_SOURCES.binaryData) {
		return requestOptions;
	}
	const body = { ...(requestOptions.body as object) };
	await prepareGenerationRequest.call(this, {
		...requestOptions,
		body: { ...body, image_url: URL_AFTER_UPLOAD },
	});
	const propertyName =
		String(this.getNodeParameter('inputBinaryField', DEFAULT_INPUT_BINARY_FIELD)).trim() ||
		DEFAULT_INPUT_BINARY_FIELD;
	const uploadedUrl = await uploadToSegmindStorage(this, propertyName);
	rememberUploadedImageUrl(this, uploadedUrl);
	return { ...requestOptions, body: { ...body, image_url: uploadedUrl } };
}
