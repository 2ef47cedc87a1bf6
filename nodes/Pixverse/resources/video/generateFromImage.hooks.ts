/**
 * The two hooks of Generate From Image: validation before any credit can be spent, and the
 * answer turned into an n8n binary video.
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { checkGenerationRequest, type GenerationRequest } from '../../contract';
import {
	bodyAsText,
	parseJsonObject,
	segmindMessageFrom,
	throwIfSegmindFailed,
	throwUnusableAnswer,
} from '../../errors';
import { DEFAULT_BINARY_PROPERTY, DEFAULT_TIMEOUT_SECONDS } from './generateFromImage';
import { uploadedImageUrlOf } from './imageSource';

type GenerateOptions = { binaryPropertyName?: string; fileName?: string; timeout?: number };

function optionsOf(context: IExecuteSingleFunctions): GenerateOptions {
	return context.getNodeParameter('options', {}) as GenerateOptions;
}

function timeoutMillisecondsOf(context: IExecuteSingleFunctions) {
	const seconds = Number(optionsOf(context).timeout ?? DEFAULT_TIMEOUT_SECONDS);
	if (!Number.isFinite(seconds) || seconds <= 0) {
		throw new NodeOperationError(
			context.getNode(),
			`Timeout (Seconds) ${JSON.stringify(optionsOf(context).timeout)} is not valid: use a number of seconds above 0`,
			{ itemIndex: context.getItemIndex() },
		);
	}
	return Math.round(seconds * 1000);
}

/**
 * preSend: the body the routing built from the fields is checked against the contract and
 * replaced by its normalised form (numbers as JSON numbers, empty optional fields left out).
 * A broken value stops here, so no request is sent and no credit is spent.
 */
export async function prepareGenerationRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const checked = checkGenerationRequest((requestOptions.body ?? {}) as IDataObject);
	if (!checked.ok) {
		const [first, ...others] = checked.violations;
		throw new NodeOperationError(this.getNode(), first.message, {
			description: [
				...others.map((violation) => violation.message),
				'Nothing was sent to Segmind, so no credits were used.',
			].join('\n'),
			itemIndex: this.getItemIndex(),
		});
	}
	// The node's own Timeout wins over n8n's routing default (300 s), which would cut off a slow
	// generation that Segmind may still bill.
	return { ...requestOptions, body: checked.request, timeout: timeoutMillisecondsOf(this) };
}

function headerOf(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = (response.headers as IDataObject | undefined)?.[name];
	if (Array.isArray(value)) return String(value[0]);
	return value === undefined || value === null ? undefined : String(value);
}

function numberOrText(value: string | undefined) {
	if (value === undefined || value.trim() === '') return undefined;
	const asNumber = Number(value);
	return Number.isFinite(asNumber) ? asNumber : value;
}

/** mp4 and mov files carry an `ftyp` box at byte 4. */
function looksLikeVideo(data: Buffer) {
	return data.length >= 12 && data.toString('latin1', 4, 8) === 'ftyp';
}

type Video = { data: Buffer; mimeType: string; sourceUrl?: string };

const VIDEO_FIELDS = ['video', 'output', 'video_url', 'url', 'result'];

function firstString(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
	return undefined;
}

/**
 * A JSON 200 is read for what it holds: a download URL, base64 video data, or an error that
 * came with a success status. Anything else is reported, never passed on as an empty video.
 */
async function videoFromJsonAnswer(
	this: IExecuteSingleFunctions,
	json: IDataObject,
	timeout: number,
): Promise<Video> {
	for (const field of VIDEO_FIELDS) {
		const value = firstString(json[field]);
		if (!value) continue;
		if (/^https?:\/\//i.test(value)) {
			// Segmind's output URLs are public: the download carries no API key.
			const download = (await this.helpers.httpRequest({
				method: 'GET',
				url: value,
				encoding: 'arraybuffer',
				returnFullResponse: true,
				timeout,
			})) as IN8nHttpFullResponse;
			const data = Buffer.from(download.body as Buffer);
			return {
				data,
				mimeType: videoMimeType(headerOf(download, 'content-type'), data),
				sourceUrl: value,
			};
		}
		const base64 = /^data:([^;,]+);base64,(.*)$/s.exec(value);
		if (base64) return { data: Buffer.from(base64[2], 'base64'), mimeType: base64[1] };
		if (value.length > 64 && /^[A-Za-z0-9+/=\s]+$/.test(value)) {
			const data = Buffer.from(value, 'base64');
			return { data, mimeType: videoMimeType(undefined, data) };
		}
	}
	const message = segmindMessageFrom(JSON.stringify(json));
	if (json.error !== undefined || json.message !== undefined) {
		return await throwUnusableAnswer.call(
			this,
			'it reported an error with a success status',
			`Segmind says: "${message}". Nothing usable was returned; check your Segmind usage before running again.`,
		);
	}
	return await throwUnusableAnswer.call(
		this,
		'the JSON answer holds no video URL or video data',
		`Fields received: ${Object.keys(json).join(', ') || '(none)'}.`,
	);
}

function videoMimeType(contentType: string | undefined, data: Buffer) {
	const type = contentType?.split(';')[0].trim().toLowerCase();
	if (type?.startsWith('video/')) return type;
	return looksLikeVideo(data) ? 'video/mp4' : (type ?? 'application/octet-stream');
}

async function videoFromAnswer(
	this: IExecuteSingleFunctions,
	response: IN8nHttpFullResponse,
	timeout: number,
): Promise<Video> {
	const data = Buffer.isBuffer(response.body)
		? response.body
		: Buffer.from(bodyAsText(response.body), 'utf8');
	const contentType = headerOf(response, 'content-type')?.toLowerCase() ?? '';
	if (data.length === 0) {
		return await throwUnusableAnswer.call(
			this,
			'the answer was empty',
			`Status ${response.statusCode} with no body. Check your Segmind usage before running again.`,
		);
	}
	if (contentType.includes('json')) {
		const json = parseJsonObject(data.toString('utf8'));
		if (json) return await videoFromJsonAnswer.call(this, json, timeout);
	}
	if (contentType.startsWith('video/') || looksLikeVideo(data)) {
		return { data, mimeType: videoMimeType(contentType, data) };
	}
	if (contentType.startsWith('application/octet-stream')) {
		return { data, mimeType: 'video/mp4' };
	}
	return await throwUnusableAnswer.call(
		this,
		`unexpected content type "${contentType || 'none'}"`,
		`The first bytes read: "${segmindMessageFrom(data.subarray(0, 200))}".`,
	);
}

/** What the person asked for, in the contract's names, to travel with the video. */
function requestedParameters(context: IExecuteSingleFunctions): GenerationRequest | IDataObject {
	const additional = context.getNodeParameter('additionalFields', {}) as IDataObject;
	const checked = checkGenerationRequest({
		image_url: uploadedImageUrlOf(context) ?? context.getNodeParameter('imageUrl', ''),
		prompt: context.getNodeParameter('prompt'),
		quality: context.getNodeParameter('quality'),
		motion_mode: context.getNodeParameter('motionMode'),
		duration: context.getNodeParameter('duration'),
		negative_prompt: additional.negativePrompt,
		seed: additional.seed,
		style: additional.style,
	});
	return checked.ok ? checked.request : {};
}

/**
 * postReceive: a failed status becomes a clear error (see errors.ts); a success becomes one item
 * with the video as binary data and what a next node needs in its JSON.
 */
export async function videoFromResponse(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	await throwIfSegmindFailed.call(this, response);
	const video = await videoFromAnswer.call(this, response, timeoutMillisecondsOf(this));

	const options = optionsOf(this);
	const requestId = headerOf(response, 'x-request-id');
	const fileName =
		options.fileName?.trim() ||
		`pixverse-${requestId ?? new Date().toISOString().replace(/[:.]/g, '-')}.mp4`;
	const binaryPropertyName = options.binaryPropertyName?.trim() || DEFAULT_BINARY_PROPERTY;
	const binary = await this.helpers.prepareBinaryData(video.data, fileName, video.mimeType);

	const json: IDataObject = {
		fileName,
		mimeType: video.mimeType,
		fileSize: video.data.length,
		binaryPropertyName,
		request: requestedParameters(this),
		requestId,
		cost: numberOrText(headerOf(response, 'x-cost')),
		remainingCredits: numberOrText(headerOf(response, 'x-remaining-credits')),
		generationTime: numberOrText(headerOf(response, 'x-generation-time')),
		seedUsed: numberOrText(headerOf(response, 'x-seed-value')),
		videoUrl: video.sourceUrl,
		uploadedImageUrl: uploadedImageUrlOf(this),
	};
	for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];

	return [
		{ json, binary: { [binaryPropertyName]: binary }, pairedItem: { item: this.getItemIndex() } },
	];
}
