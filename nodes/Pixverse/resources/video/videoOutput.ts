/**
 * Turns what Segmind returned into one n8n item with the video as binary data, whichever way it
 * came: raw bytes from the one-request endpoint, or JSON holding a download URL or base64 data
 * (a one-request JSON answer, or a queued job's result).
 *
 * A video body is not read into memory here: its stream goes straight to n8n's binary data
 * storage, so in filesystem mode a video is written to disk as it arrives (BENCHMARKS.md).
 * Answers that must be read (errors, JSON, anything not declared a video) are read whole.
 */

import type {
	IBinaryData,
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	cutOffAnswer,
	isReadable,
	wholeBody,
	type StreamedBody,
	explainTransportFailure,
	isSuccessStatus,
	parseJsonObject,
	segmindFailure,
	segmindMessageFrom,
	throwUnusableAnswer,
	type SegmindCall,
} from '../../errors';
import { retryPolicyOf, sendWithSafeRetries } from '../../safeRetries';

export const DEFAULT_BINARY_PROPERTY = 'data';

export type Video = { data: Buffer | StreamedBody; mimeType: string; sourceUrl?: string };

/** A body read whole; a stream that stops early is the "cut off" failure retries know. */
async function wholeBodyOrCutOff(context: IExecuteSingleFunctions, body: unknown) {
	return await wholeBody(body).catch((error: unknown) => {
		throw cutOffAnswer(context.getNode(), error);
	});
}

const isVideoType = (contentType: string) =>
	contentType.startsWith('video/') || contentType.startsWith('application/octet-stream');

export function headerOf(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = (response.headers as IDataObject | undefined)?.[name];
	if (Array.isArray(value)) return String(value[0]);
	return value === undefined || value === null ? undefined : String(value);
}

export function numberOrText(value: unknown) {
	if (value === undefined || value === null || String(value).trim() === '') return undefined;
	const asNumber = Number(value);
	return Number.isFinite(asNumber) ? asNumber : String(value);
}

/** mp4 and mov files carry an `ftyp` box at byte 4. */
function looksLikeVideo(data: Buffer) {
	return data.length >= 12 && data.toString('latin1', 4, 8) === 'ftyp';
}

function videoMimeType(contentType: string | undefined, data: Buffer) {
	const type = contentType?.split(';')[0].trim().toLowerCase();
	if (type?.startsWith('video/')) return type;
	// Segmind's only binary answer is the video; its mp4 is sometimes served as octet-stream.
	if (type === 'application/octet-stream') return 'video/mp4';
	return looksLikeVideo(data) ? 'video/mp4' : (type ?? 'application/octet-stream');
}

const VIDEO_FIELDS = ['video', 'output', 'video_url', 'url', 'result'];

function firstString(value: unknown): string | undefined {
	if (typeof value === 'string') return value;
	if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
	return undefined;
}

/** Segmind's output URLs are public: the download carries no API key. Downloads never bill. */
async function downloadVideo(
	context: IExecuteSingleFunctions,
	url: string,
	timeoutMs: number,
	call: SegmindCall,
): Promise<Video> {
	const download = await sendWithSafeRetries(
		context,
		// No request slot: a one-request answer's download runs inside that request's slot, and
		// waiting for a second slot there could wait forever.
		{ ...retryPolicyOf(context, 'jobRead'), maxConcurrentRequests: 0 },
		async () => {
			let response: IN8nHttpFullResponse;
			try {
				response = (await context.helpers.httpRequest({
					method: 'GET',
					url,
					encoding: 'stream',
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					timeout: timeoutMs,
				})) as IN8nHttpFullResponse;
			} catch (error) {
				// Unlike the authenticated helper, the plain one throws the HTTP client's own error;
				// as a NodeApiError it carries the network code the retry rules and the
				// explanations read.
				throw new NodeApiError(context.getNode(), error as JsonObject);
			}
			if (!isSuccessStatus(response.statusCode))
				throw await segmindFailure(context, response, call);
			return response;
		},
		(error) =>
			explainTransportFailure(context.getNode(), error, {
				baseUrl: new URL(url).origin,
				timeoutMs,
				itemIndex: context.getItemIndex(),
				call,
			}),
	);
	const contentType = headerOf(download, 'content-type')?.toLowerCase() ?? '';
	if (isVideoType(contentType)) {
		return {
			data: download.body as StreamedBody,
			mimeType: videoMimeType(contentType, Buffer.alloc(0)),
			sourceUrl: url,
		};
	}
	const data = await wholeBodyOrCutOff(context, download.body);
	return { data, mimeType: videoMimeType(contentType, data), sourceUrl: url };
}

/**
 * JSON is read for what it holds: a download URL, base64 video data, or an error that came with
 * a success status. Anything else is reported, never passed on as an empty video.
 */
export async function videoFromJson(
	context: IExecuteSingleFunctions,
	json: IDataObject,
	timeoutMs: number,
	call: SegmindCall,
): Promise<Video> {
	for (const field of VIDEO_FIELDS) {
		const value = firstString(json[field]);
		if (!value) continue;
		if (/^https?:\/\//i.test(value)) return await downloadVideo(context, value, timeoutMs, call);
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
			context,
			'it reported an error with a success status',
			`Segmind says: "${message}". Nothing usable was returned; check your Segmind usage before running again.`,
		);
	}
	return await throwUnusableAnswer.call(
		context,
		'the JSON answer holds no video URL or video data',
		`Fields received: ${Object.keys(json).join(', ') || '(none)'}.`,
	);
}

/** The one-request endpoint's answer: video bytes, or JSON read by `videoFromJson`. */
export async function videoFromResponseBody(
	context: IExecuteSingleFunctions,
	response: IN8nHttpFullResponse,
	timeoutMs: number,
): Promise<Video> {
	const contentType = headerOf(response, 'content-type')?.toLowerCase() ?? '';
	if (isReadable(response.body) && isVideoType(contentType)) {
		// Stored as it arrives; an empty one is caught once stored (videoItem).
		return { data: response.body, mimeType: videoMimeType(contentType, Buffer.alloc(0)) };
	}
	const data = await wholeBodyOrCutOff(context, response.body);
	if (data.length === 0) {
		return await throwUnusableAnswer.call(
			context,
			'the answer was empty',
			`Status ${response.statusCode} with no body. Check your Segmind usage before running again.`,
		);
	}
	if (contentType.includes('json')) {
		const json = parseJsonObject(data.toString('utf8'));
		if (json) return await videoFromJson(context, json, timeoutMs, { kind: 'generation' });
	}
	if (isVideoType(contentType) || looksLikeVideo(data)) {
		return { data, mimeType: videoMimeType(contentType, data) };
	}
	return await throwUnusableAnswer.call(
		context,
		`unexpected content type "${contentType || 'none'}"`,
		`The first bytes read: "${segmindMessageFrom(data.subarray(0, 200))}".`,
	);
}

/**
 * The size of a streamed video once n8n stored it. n8n 2.x records it (`bytes`); 1.x records only
 * a rounded text, so it is read from the stored file's metadata or the inline data.
 */
async function storedSize(context: IExecuteSingleFunctions, binary: IBinaryData) {
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (binary.id) return (await context.helpers.getBinaryMetadata(binary.id)).fileSize;
	return Buffer.from(binary.data, 'base64').length;
}

type OutputOptions = { binaryPropertyName?: string; fileName?: string };

/**
 * One item: the video under the chosen binary field, and in its JSON what a next node needs
 * (file facts, the request ID to find it again, cost and balance). Empty facts are left out.
 */
export async function videoItem(
	context: IExecuteSingleFunctions,
	video: Video,
	facts: IDataObject & { requestId?: string },
): Promise<INodeExecutionData> {
	const options = context.getNodeParameter('options', {}) as OutputOptions;
	const fileName =
		options.fileName?.trim() ||
		`pixverse-${facts.requestId ?? new Date().toISOString().replace(/[:.]/g, '-')}.mp4`;
	const binaryPropertyName = options.binaryPropertyName?.trim() || DEFAULT_BINARY_PROPERTY;
	let binary: IBinaryData;
	try {
		binary = await context.helpers.prepareBinaryData(
			// n8n's own type for it is Node's Readable, which this file may not import.
			video.data as Parameters<typeof context.helpers.prepareBinaryData>[0],
			fileName,
			video.mimeType,
		);
	} catch (error) {
		// Only a stream can fail here: the connection closed before the video was complete.
		throw cutOffAnswer(context.getNode(), error);
	}
	const fileSize = Buffer.isBuffer(video.data)
		? video.data.length
		: await storedSize(context, binary);
	if (!fileSize) {
		return await throwUnusableAnswer.call(
			context,
			'the answer was empty',
			'The video had no bytes. Check your Segmind usage before running again.',
		);
	}
	const json: IDataObject = {
		fileName,
		mimeType: video.mimeType,
		fileSize,
		binaryPropertyName,
		...facts,
		videoUrl: video.sourceUrl,
	};
	for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
	return {
		json,
		binary: { [binaryPropertyName]: binary },
		pairedItem: { item: context.getItemIndex() },
	};
}
