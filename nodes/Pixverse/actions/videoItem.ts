/**
 * Turns what Segmind returned into one n8n item with the video as binary data, whichever way it
 * came: raw bytes from the one-request endpoint, or JSON holding a download URL or base64 data
 * (a one-request JSON answer, or a queued job's result).
 *
 * A video body is not read into memory: its stream goes straight to n8n's binary data storage,
 * so in filesystem mode a video is written to disk as it arrives (BENCHMARKS.md).
 */
import type {
	IBinaryData,
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import { headerOf, isStream, type SegmindClient, type StreamedBody } from '../transport/client';
import { jsonObjectIn, segmindMessageFrom } from '../transport/answers';
import { unusableAnswer } from '../transport/failures';
import type { CallKind } from '../transport/failures';

export const DEFAULT_BINARY_PROPERTY = 'data';

/** What the person chose in Options for the file. */
export type OutputOptions = { binaryPropertyName?: string; fileName?: string };

type Video = { data: Buffer | StreamedBody; mimeType: string; sourceUrl?: string };

export function numberOrText(value: unknown) {
	if (value === undefined || value === null || String(value).trim() === '') return undefined;
	const asNumber = Number(value);
	return Number.isFinite(asNumber) ? asNumber : String(value);
}

const isVideoType = (contentType: string) =>
	contentType.startsWith('video/') || contentType.startsWith('application/octet-stream');

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

/** Where a JSON answer keeps the video: a download URL, or the bytes themselves as base64. */
type VideoInJson = { url: string } | { video: Video } | undefined;

function videoInJson(json: IDataObject): VideoInJson {
	for (const field of VIDEO_FIELDS) {
		const value = firstString(json[field]);
		if (!value) continue;
		if (/^https?:\/\//i.test(value)) return { url: value };
		const base64 = /^data:([^;,]+);base64,(.*)$/s.exec(value);
		if (base64) return { video: { data: Buffer.from(base64[2], 'base64'), mimeType: base64[1] } };
		if (value.length > 64 && /^[A-Za-z0-9+/=\s]+$/.test(value)) {
			const data = Buffer.from(value, 'base64');
			return { video: { data, mimeType: videoMimeType(undefined, data) } };
		}
	}
	return undefined;
}

/**
 * Builds the item that carries a video: the video under the chosen binary field, and in its
 * JSON what a next node needs (file details, the request ID to find it again, cost, balance).
 */
export class VideoItems {
	constructor(
		private readonly context: IExecuteSingleFunctions,
		private readonly client: SegmindClient,
		private readonly output: OutputOptions,
	) {}

	/** The one-request endpoint's answer: a video stream, or JSON with a URL or base64. */
	async fromGenerationAnswer(
		response: IN8nHttpFullResponse,
		fields: IDataObject,
	): Promise<INodeExecutionData> {
		const call: CallKind = 'generation';
		const requestId = fields.requestId as string | undefined;
		const contentType = headerOf(response, 'content-type')?.toLowerCase() ?? '';
		if (isStream(response.body) && isVideoType(contentType)) {
			return await this.item(
				{ data: response.body, mimeType: videoMimeType(contentType, Buffer.alloc(0)) },
				fields,
				call,
			);
		}
		const data = await this.client.bodyOf(response, { call, requestId });
		if (data.length === 0) {
			throw unusableAnswer(
				this.client.failureContext({ call, requestId }),
				'Segmind answered without a video: the answer was empty',
				`Status ${response.statusCode} with no body.`,
			);
		}
		const json = contentType.includes('json') ? jsonObjectIn(data.toString('utf8')) : undefined;
		if (json) return await this.fromJson(json, fields, call);
		return await this.unexpected(response, data, contentType, fields);
	}

	/** A JSON answer (a queued job's result, or a one-request JSON answer) holding the video. */
	async fromJson(
		json: IDataObject,
		fields: IDataObject,
		call: CallKind,
	): Promise<INodeExecutionData> {
		const requestId = fields.requestId as string | undefined;
		const found = videoInJson(json);
		if (found && 'url' in found) {
			return await this.client.downloadVideo(found.url, requestId, async (download) => {
				const contentType = headerOf(download, 'content-type')?.toLowerCase() ?? '';
				const mimeType = videoMimeType(contentType || 'video/mp4', Buffer.alloc(0));
				return await this.item(
					{ data: download.body as StreamedBody, mimeType, sourceUrl: found.url },
					fields,
					'download',
				);
			});
		}
		if (found) return await this.item(found.video, fields, call);
		const callContext = this.client.failureContext({ call, requestId });
		const message = segmindMessageFrom(JSON.stringify(json));
		if (json.error !== undefined || json.message !== undefined) {
			throw unusableAnswer(
				callContext,
				'Segmind answered without a video: it reported an error with a success status',
				`Segmind says: "${message}".`,
			);
		}
		throw unusableAnswer(
			callContext,
			'Segmind answered without a video: the JSON answer holds no video URL or video data',
			`Fields received: ${Object.keys(json).join(', ') || '(none)'}.`,
		);
	}

	private async unexpected(
		response: IN8nHttpFullResponse,
		data: Buffer,
		contentType: string,
		fields: IDataObject,
	) {
		if (isVideoType(contentType) || looksLikeVideo(data)) {
			return await this.item(
				{ data, mimeType: videoMimeType(contentType, data) },
				fields,
				'generation',
			);
		}
		throw unusableAnswer(
			this.client.failureContext({ call: 'generation', requestId: fields.requestId as string }),
			`Segmind answered without a video: unexpected content type "${contentType || 'none'}"`,
			`Status ${response.statusCode}; the first bytes read: "${segmindMessageFrom(data.subarray(0, 200))}".`,
		);
	}

	private async item(
		video: Video,
		fields: IDataObject,
		call: CallKind,
	): Promise<INodeExecutionData> {
		const { context } = this;
		const requestId = fields.requestId as string | undefined;
		const fileName =
			this.output.fileName?.trim() ||
			`pixverse-${requestId ?? new Date().toISOString().replace(/[:.]/g, '-')}.mp4`;
		const binaryPropertyName = this.output.binaryPropertyName?.trim() || DEFAULT_BINARY_PROPERTY;
		const callContext = this.client.failureContext({ call, requestId });
		// A stream stopping here is an answer cut off mid-way (a download is then tried again).
		const binary = await this.client.receiving(callContext, async () =>
			context.helpers.prepareBinaryData(
				// n8n's own type for it is Node's Readable, which this file may not import.
				video.data as Parameters<typeof context.helpers.prepareBinaryData>[0],
				fileName,
				video.mimeType,
			),
		);
		const fileSize = Buffer.isBuffer(video.data)
			? video.data.length
			: await this.storedSize(binary);
		if (!fileSize) {
			throw unusableAnswer(
				callContext,
				'Segmind answered without a video: the answer was empty',
				'The video had no bytes.',
			);
		}
		const json: IDataObject = {
			// Beside a pending item's "pending" (./handOff.ts): one field to branch on.
			status: 'completed',
			fileName,
			mimeType: video.mimeType,
			fileSize,
			binaryPropertyName,
			...fields,
			videoUrl: video.sourceUrl,
		};
		for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
		return {
			json,
			binary: { [binaryPropertyName]: binary },
			pairedItem: { item: context.getItemIndex() },
		};
	}

	/**
	 * The size of a streamed video once n8n stored it. n8n 2.x records it (`bytes`); 1.x only a
	 * rounded text, so it is read from the stored file's metadata or the inline data.
	 */
	private async storedSize(binary: IBinaryData) {
		if (typeof binary.bytes === 'number') return binary.bytes;
		if (binary.id) return (await this.context.helpers.getBinaryMetadata(binary.id)).fileSize;
		return Buffer.from(binary.data, 'base64').length;
	}
}
