/**
 * Every generating operation (from an image, from text, between frames, extending, motion,
 * effects), in each Mode: the check before anything is sent, the routing's request sent through
 * the client, the wait for a queued job, and the video as an item.
 *
 * One item's request is one story: preSend (`prepareGeneration`) checks the body the routing
 * built from the fields against the model and works out everything the item needs (endpoint,
 * timeout, waits, hand-off time) into a prepared request; the operation's request executor
 * (`generate`) then follows it in order: image uploads, the routing's own request sent with
 * `makeRoutingRequest`, the wait, the video (or the job as pending at the hand-off).
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';

import { OPERATIONS, type GenerationOperation, type ModelSpec } from '../models';
import { fieldsFor, type MediaField } from '../models/spec';
import { checkersByModel, type ModelCheck } from '../models/validation';
import { headerOf, SegmindClient, type RetryOptions } from '../transport/client';
import {
	binaryImageInputs,
	checkBinaryImages,
	uploadBinaryImages,
	URL_AFTER_UPLOAD,
	type BinaryImageInput,
} from './binaryImages';
import { earlierJobFor, forgetJob, ON_RETRIED_EXECUTION, rememberJob } from './earlierJobs';
import { handOffAtOf, pendingItem, type HandOffOptions } from './handOff';
import { invalidInputError, optionMs } from './itemOptions';
import {
	DEFAULT_MAX_WAIT_SECONDS,
	HANDED_OFF,
	unlessHandedOff,
	waitForJob,
	type JobOutcome,
	type WaitSettings,
} from './jobWait';
import { preparedOf, withPrepared } from './preparedRequest';
import { submittedJobFields, submittedJobOf, type SubmittedJob } from './submittedJob';
import { numberOrText, VideoItems, type OutputOptions } from './videoItem';

/**
 * How to wait for the video. Segmind calls the one-request endpoint "maintenance mode" and
 * recommends its queue for video: a request held open for a minute or more can be cut by a proxy
 * or a timeout while the video is still made and billed.
 */
export const MODES = ['waitForVideo', 'singleRequest', 'submitOnly'] as const;
export type Mode = (typeof MODES)[number];
export const DEFAULT_MODE: Mode = 'waitForVideo';

/** Default wait for one generation in Single Request: room for a slow 1080p job. */
export const DEFAULT_TIMEOUT_SECONDS = 600;
/** A submit is answered at once. */
const SUBMIT_TIMEOUT_MS = 60_000;

export type GenerationOptions = RetryOptions &
	OutputOptions &
	HandOffOptions & {
		timeout?: number;
		maxWait?: number;
		expectedTime?: number;
		pollInterval?: number;
		onRetriedExecution?: string;
	};

/**
 * What an item asks for: the operation, the model serving it (one of `models`, those the panel
 * offers), the Mode and the Options.
 */
function generationAskedFor(context: IExecuteSingleFunctions, models: readonly ModelSpec[]) {
	const operation = context.getNodeParameter('operation') as GenerationOperation;
	const slug = context.getNodeParameter('model', OPERATIONS[operation].defaultModel);
	const serving = models.filter((model) => model.operations.includes(operation));
	const spec = serving.find((model) => model.slug === slug);
	if (!spec) {
		throw invalidInputError(
			context,
			`Model ${JSON.stringify(slug)} does not serve ${OPERATIONS[operation].name}: pick one of ${serving
				.map((model) => model.name)
				.join(', ')}`,
		);
	}
	return {
		operation,
		spec,
		mode: context.getNodeParameter('mode', DEFAULT_MODE) as Mode,
		options: context.getNodeParameter('options', {}) as GenerationOptions,
	};
}

/** Max Wait, the expected time and Poll Interval; a bad value is an error before anything is sent. */
export function waitSettingsOf(
	context: IExecuteSingleFunctions,
	options: GenerationOptions,
	typicalSeconds: number,
): WaitSettings {
	// 0, the panel's default, and an empty value both mean "not set".
	const given = (value: unknown) =>
		value !== undefined && value !== null && value !== '' && Number(value) !== 0;
	return {
		maxWaitMs: optionMs(
			context,
			'Max Wait (Seconds)',
			options.maxWait,
			DEFAULT_MAX_WAIT_SECONDS,
			0,
		),
		expectedMs: optionMs(
			context,
			'Expected Generation Time (Seconds)',
			given(options.expectedTime) ? options.expectedTime : undefined,
			typicalSeconds,
			0.01,
		),
		pollIntervalMs: given(options.pollInterval)
			? optionMs(context, 'Poll Interval (Seconds)', options.pollInterval, 0, 0.01)
			: undefined,
	};
}

function timeoutMsOf(context: IExecuteSingleFunctions, mode: Mode, options: GenerationOptions) {
	if (mode !== 'singleRequest') return SUBMIT_TIMEOUT_MS;
	return optionMs(context, 'Timeout (Seconds)', options.timeout, DEFAULT_TIMEOUT_SECONDS, 0.001);
}

function endpointOf(spec: ModelSpec, mode: Mode) {
	return `/${mode === 'singleRequest' ? 'v1' : 'v2'}/${spec.slug}`;
}

function mediaFields(spec: ModelSpec, operation: GenerationOperation) {
	return fieldsFor(spec, operation).filter((field): field is MediaField => field.type === 'media');
}

/** One item's generation as preSend prepared it; the executor follows it step by step. */
type PreparedGeneration = ReturnType<typeof generationAskedFor> & {
	/** The checked body; an image from binary data holds a stand-in until it is uploaded. */
	body: IDataObject;
	imageUploads: BinaryImageInput[];
	timeoutMs: number;
	/** Wait for Video's checks. */
	waitSettings?: WaitSettings;
	/** When the item leaves the node at the latest (./handOff.ts). */
	handOffAtMs: number;
};

/**
 * The routing hooks of the generating operations for the models a description offers (the
 * node's: MODELS): an item's model is looked up among them and checked by its own spec, so a
 * description made from other specs (a test's) runs end to end.
 */
export function generationHooksFor(models: readonly ModelSpec[]) {
	const checkerOf = checkersByModel(models);
	return {
		async prepareGeneration(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions) {
			return await prepareGeneration(this, models, checkerOf, requestOptions);
		},
		async generate(
			this: IExecutePaginationFunctions,
			requestData: DeclarativeRestApiSettings.ResultOptions,
		) {
			return await generate(this, requestData);
		},
	};
}

/**
 * preSend: the body the routing built is checked against the model and replaced by its checked
 * form (numbers as JSON numbers, empty optional fields left out, fixed values added), binary
 * images are checked, and the endpoint, timeout, waits and hand-off time are worked out once. A
 * bad value stops here: nothing is sent, no credit is spent.
 */
async function prepareGeneration(
	context: IExecuteSingleFunctions,
	models: readonly ModelSpec[],
	checkerOf: (operation: GenerationOperation, spec: ModelSpec) => ModelCheck,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	// n8n starts every item's preSend together, as the node starts: the item's time counts from here.
	const nodeStartedAtMs = Date.now();
	const asked = generationAskedFor(context, models);
	const { operation, spec, mode, options } = asked;
	const timeoutMs = timeoutMsOf(context, mode, options);
	const waitSettings =
		mode === 'waitForVideo' ? waitSettingsOf(context, options, spec.typicalSeconds) : undefined;
	const handOffAtMs = handOffAtOf(context, options, nodeStartedAtMs);
	const body = { ...(requestOptions.body as IDataObject) };
	const imageUploads = binaryImageInputs(context, mediaFields(spec, operation));
	for (const { field } of imageUploads) body[field.body] = URL_AFTER_UPLOAD;
	const checked = checkerOf(operation, spec)(body);
	if (!checked.ok) {
		const [first, ...others] = checked.violations;
		throw invalidInputError(
			context,
			first.message,
			others.map((violation) => violation.message),
		);
	}
	await checkBinaryImages(context, imageUploads);
	const prepared: PreparedGeneration = {
		...asked,
		body: checked.body,
		imageUploads,
		timeoutMs,
		waitSettings,
		handOffAtMs,
	};
	return withPrepared(
		{
			...requestOptions,
			url: endpointOf(spec, mode),
			body: checked.body,
			// The video streams into n8n's binary storage as it arrives (./videoItem.ts).
			...(mode === 'singleRequest' ? { encoding: 'stream' as const } : {}),
			// The node's own timeout wins over n8n's routing default (300 s), which would cut off a
			// slow generation that Segmind may still bill.
			timeout: timeoutMs,
		},
		prepared,
	);
}

/** The body fields whose images were uploaded, as `uploadedImageUrl`, `uploadedFirstFrameUrl`... */
function uploadedUrls(inputs: BinaryImageInput[], body: IDataObject): IDataObject {
	return Object.fromEntries(
		inputs.map(({ field }) => [
			`uploaded${field.parameter.charAt(0).toUpperCase()}${field.parameter.slice(1)}`,
			body[field.body],
		]),
	);
}

/**
 * The request executor of every generating operation (RoutingNode hands the request here because
 * the routing says `paginate`): it uploads the item's binary images, sends the checked request
 * through the client, and in Wait for Video waits for the queued job and returns its video, or
 * the job as pending at the hand-off.
 */
async function generate(
	context: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const prepared = preparedOf<PreparedGeneration>(context, requestData);
	const client = SegmindClient.for(
		context,
		String(requestData.options.baseURL ?? ''),
		prepared.options,
		{ deadlineMs: prepared.handOffAtMs },
	);
	return await client.redacting(
		async () => await generateVideo(context, client, prepared, requestData),
	);
}

async function generateVideo(
	context: IExecutePaginationFunctions,
	client: SegmindClient,
	prepared: PreparedGeneration,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const { spec, mode, options, imageUploads, timeoutMs } = prepared;
	if (imageUploads.length) {
		Object.assign(prepared.body, await uploadBinaryImages(context, client, imageUploads));
	}
	// The request RoutingNode sends is the prepared one, with the uploaded images' URLs.
	requestData.options.body = prepared.body;
	const requestFields: IDataObject = {
		model: spec.slug,
		request: prepared.body,
		...uploadedUrls(imageUploads, prepared.body),
	};
	const videos = new VideoItems(context, client, options);

	if (mode === 'singleRequest') {
		const response = await client.send(
			'generation',
			async () => await context.makeRoutingRequest(requestData),
			{ timeoutMs },
		);
		return [
			await videos.fromGenerationAnswer(response, {
				...requestFields,
				requestId: headerOf(response, 'x-request-id'),
				cost: numberOrText(headerOf(response, 'x-cost')),
				remainingCredits: numberOrText(headerOf(response, 'x-remaining-credits')),
				generationTime: numberOrText(headerOf(response, 'x-generation-time')),
				seedUsed: numberOrText(headerOf(response, 'x-seed-value')),
			}),
		];
	}

	const job = await queuedJob(context, client, requestData, prepared);
	const itemFields = {
		...requestFields,
		...(job.reusedJob ? { reusedJob: true } : {}),
	};
	if (mode === 'submitOnly') {
		return [
			{
				json: { ...submittedJobFields(job), ...itemFields },
				pairedItem: { item: context.getItemIndex() },
			},
		];
	}
	return [
		await videoOrPending(
			context,
			videos,
			job,
			await waitForJob(context, client, {
				requestId: job.requestId,
				settings: prepared.waitSettings!,
				submittedAtMs: job.submittedAtMs,
				justSubmitted: !job.reusedJob,
				handOffAtMs: prepared.handOffAtMs,
				// A failed job was not billed: a retried execution may submit it again.
				onJobFailed: () => forgetJob(context),
			}),
			itemFields,
		),
	];
}

/**
 * The item of a job's outcome: its video, or the job as pending. A download that the hand-off
 * stops also leaves the job pending: its result stays with Segmind for Get Result.
 */
export async function videoOrPending(
	context: IExecuteSingleFunctions,
	videos: VideoItems,
	{ requestId, submittedAtMs }: { requestId: string; submittedAtMs?: number },
	outcome: JobOutcome,
	itemFields: IDataObject,
): Promise<INodeExecutionData> {
	if ('pending' in outcome) return pendingItem(context, outcome.pending, itemFields);
	const { result } = outcome;
	const video = await unlessHandedOff(
		async () =>
			await videos.fromJson(
				result,
				{ ...itemFields, ...resultFields(requestId, result) },
				'jobRead',
			),
	);
	if (video !== HANDED_OFF) return video;
	return pendingItem(
		context,
		{ requestId, submittedAtMs, checkAfterMs: Date.now(), lastStatus: 'COMPLETED' },
		itemFields,
	);
}

/**
 * The item's job at Segmind: in a retried execution the one the failed run had accepted for the
 * same request (unless the person chose to generate again), otherwise a new submit.
 */
async function queuedJob(
	context: IExecutePaginationFunctions,
	client: SegmindClient,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	{ spec, body, options, timeoutMs }: PreparedGeneration,
): Promise<SubmittedJob & { reusedJob?: boolean }> {
	const earlier =
		options.onRetriedExecution === ON_RETRIED_EXECUTION.generateAgain
			? undefined
			: earlierJobFor(context, spec.slug, body);
	if (earlier) {
		context.logger.info(
			`Retried execution ${context.getExecutionId()}: reusing Segmind job ${earlier.requestId} that the failed run had accepted for item ${context.getItemIndex()} of node "${context.getNode().name}", instead of paying for it again`,
			{ requestId: earlier.requestId, model: spec.slug, itemIndex: context.getItemIndex() },
		);
		const { json } = await client.readJob(earlier.requestId, 'status');
		return {
			requestId: earlier.requestId,
			status: String(json.status ?? 'QUEUED'),
			submittedAtMs: earlier.submittedAtMs,
			reusedJob: true,
		};
	}
	const response = await client.send(
		'submit',
		async () => await context.makeRoutingRequest(requestData),
		{ timeoutMs },
	);
	const job = await submittedJobOf(context, client, response, spec);
	rememberJob(context, spec.slug, body, job);
	return job;
}

/** Cost, balance and timing from a job's result, in the names the one-request mode uses. */
export function resultFields(requestId: string, result: IDataObject): IDataObject {
	const metrics = (result.metrics ?? {}) as IDataObject;
	return {
		requestId,
		cost: numberOrText(metrics.cost),
		remainingCredits: numberOrText(metrics.remaining_credits ?? metrics.remainingCredits),
		generationTime: numberOrText(metrics.generation_time ?? metrics.inference_time),
	};
}
