/**
 * Every generating operation (from an image, from text, between frames, extending, motion,
 * effects), in each Mode: the check before anything is sent, the routing's request sent through
 * the client, the wait for a queued job, and the video as an item.
 *
 * preSend (`prepareGeneration`) turns the body the routing built from the fields into the
 * model's checked body and picks the endpoint; the operation's request executor (`generate`)
 * sends exactly that request with `makeRoutingRequest`.
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
import { itemFailure, type CallKind } from '../transport/failures';
import {
	binaryImageInputs,
	uploadBinaryImages,
	URL_AFTER_UPLOAD,
	type BinaryImageInput,
} from './binaryImages';
import { DEFAULT_MAX_WAIT_SECONDS, waitForJobResult, type WaitSettings } from './jobWait';
import { earlierJobFor, forgetJob, ON_RETRIED_EXECUTION, rememberJob } from './earlierJobs';
import { submittedJobOf, type SubmittedJob } from './submittedJob';
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
	OutputOptions & {
		timeout?: number;
		maxWait?: number;
		expectedTime?: number;
		pollInterval?: number;
		onRetriedExecution?: string;
	};

const NOTHING_SENT = 'Nothing was sent to Segmind, so no credits were used.';

/** An item's input that stops it before anything is sent: `others` explain, then "nothing sent". */
export function invalid(
	context: IExecuteSingleFunctions,
	message: string,
	others: string[] = [],
	call: CallKind = 'generation',
) {
	return itemFailure(context, message, [...others, NOTHING_SENT].join('\n'), {
		kind: 'invalidInput',
		call,
	});
}

/**
 * What an item asks for: the operation, the model serving it (one of `models`, those the panel
 * offers), the Mode and the Options.
 */
function requestOf(context: IExecuteSingleFunctions, models: readonly ModelSpec[]) {
	const operation = context.getNodeParameter('operation') as GenerationOperation;
	const slug = context.getNodeParameter('model', OPERATIONS[operation].defaultModel);
	const serving = models.filter((model) => model.operations.includes(operation));
	const spec = serving.find((model) => model.slug === slug);
	if (!spec) {
		throw invalid(
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

function seconds(
	context: IExecuteSingleFunctions,
	label: string,
	value: unknown,
	fallback: number,
	minimum: number,
) {
	const number = Number(value ?? fallback);
	if (!Number.isFinite(number) || number < minimum) {
		throw invalid(
			context,
			`${label} ${JSON.stringify(value)} is not valid: use a number of seconds of at least ${minimum}`,
		);
	}
	return Math.round(number * 1000);
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
		maxWaitMs: seconds(context, 'Max Wait (Seconds)', options.maxWait, DEFAULT_MAX_WAIT_SECONDS, 0),
		expectedMs: seconds(
			context,
			'Expected Generation Time (Seconds)',
			given(options.expectedTime) ? options.expectedTime : undefined,
			typicalSeconds,
			0.01,
		),
		pollIntervalMs: given(options.pollInterval)
			? seconds(context, 'Poll Interval (Seconds)', options.pollInterval, 0, 0.01)
			: undefined,
	};
}

function timeoutMsOf(context: IExecuteSingleFunctions, mode: Mode, options: GenerationOptions) {
	if (mode !== 'singleRequest') return SUBMIT_TIMEOUT_MS;
	return seconds(context, 'Timeout (Seconds)', options.timeout, DEFAULT_TIMEOUT_SECONDS, 0.001);
}

function endpointOf(spec: ModelSpec, mode: Mode) {
	return `/${mode === 'singleRequest' ? 'v1' : 'v2'}/${spec.slug}`;
}

function mediaFields(spec: ModelSpec, operation: GenerationOperation) {
	return fieldsFor(spec, operation).filter((field): field is MediaField => field.type === 'media');
}

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
			return await generate(this, models, requestData);
		},
	};
}

/**
 * preSend: the body the routing built is checked against the model and replaced by its checked
 * form (numbers as JSON numbers, empty optional fields left out, fixed values added). Images from
 * binary data are checked and uploaded first, after every other field passed. A bad value stops
 * here: nothing is sent, no credit is spent.
 */
async function prepareGeneration(
	context: IExecuteSingleFunctions,
	models: readonly ModelSpec[],
	checkerOf: (operation: GenerationOperation, spec: ModelSpec) => ModelCheck,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const { operation, spec, mode, options } = requestOf(context, models);
	const timeout = timeoutMsOf(context, mode, options);
	if (mode === 'waitForVideo') waitSettingsOf(context, options, spec.typicalSeconds);
	const check = checkerOf(operation, spec);
	const body = { ...(requestOptions.body as IDataObject) };
	const uploads = binaryImageInputs(context, mediaFields(spec, operation));
	for (const { field } of uploads) body[field.body] = URL_AFTER_UPLOAD;
	const checked = check(body);
	if (!checked.ok) {
		const [first, ...others] = checked.violations;
		throw invalid(
			context,
			first.message,
			others.map((violation) => violation.message),
		);
	}
	if (uploads.length) {
		const client = SegmindClient.for(context, String(requestOptions.baseURL ?? ''), options);
		Object.assign(checked.body, await uploadBinaryImages(context, client, uploads));
	}
	return {
		...requestOptions,
		url: endpointOf(spec, mode),
		body: checked.body,
		// The video streams into n8n's binary storage as it arrives (./videoItem.ts).
		...(mode === 'singleRequest' ? { encoding: 'stream' as const } : {}),
		// The node's own timeout wins over n8n's routing default (300 s), which would cut off a
		// slow generation that Segmind may still bill.
		timeout,
	};
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
 * the routing says `paginate`): it sends the checked request through the client, and in Wait for
 * Video waits for the queued job and returns its video.
 */
async function generate(
	context: IExecutePaginationFunctions,
	models: readonly ModelSpec[],
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const request = requestOf(context, models);
	const client = SegmindClient.for(
		context,
		String(requestData.options.baseURL ?? ''),
		request.options,
	);
	return await client.redacting(
		async () => await generateVideo(context, client, request, requestData),
	);
}

async function generateVideo(
	context: IExecutePaginationFunctions,
	client: SegmindClient,
	{ operation, spec, mode, options }: ReturnType<typeof requestOf>,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const sent = requestData.options.body as IDataObject;
	const facts: IDataObject = {
		model: spec.slug,
		request: sent,
		...uploadedUrls(binaryImageInputs(context, mediaFields(spec, operation)), sent),
	};
	const timeoutMs = Number(requestData.options.timeout);
	const videos = new VideoItems(context, client, options);

	if (mode === 'singleRequest') {
		const response = await client.send(
			'generation',
			async () => await context.makeRoutingRequest(requestData),
			{
				timeoutMs,
			},
		);
		return [
			await videos.fromGenerationAnswer(response, {
				...facts,
				requestId: headerOf(response, 'x-request-id'),
				cost: numberOrText(headerOf(response, 'x-cost')),
				remainingCredits: numberOrText(headerOf(response, 'x-remaining-credits')),
				generationTime: numberOrText(headerOf(response, 'x-generation-time')),
				seedUsed: numberOrText(headerOf(response, 'x-seed-value')),
			}),
		];
	}

	const job = await queuedJob(context, client, requestData, spec, options, timeoutMs);
	if (mode === 'submitOnly') {
		return [{ json: { ...job, ...facts }, pairedItem: { item: context.getItemIndex() } }];
	}
	const result = await waitForJobResult(context, client, {
		requestId: job.requestId,
		settings: waitSettingsOf(context, options, spec.typicalSeconds),
		justSubmitted: !job.reusedJob,
		// A failed job was not billed: a retried execution may submit it again.
		onJobFailed: () => forgetJob(context),
	});
	return [
		await videos.fromJson(
			result,
			{
				...facts,
				...jobFacts(job.requestId, result),
				...(job.reusedJob ? { reusedJob: true } : {}),
			},
			'jobRead',
		),
	];
}

/**
 * The item's job at Segmind: in a retried execution the one the failed run had accepted for the
 * same request (unless the person chose to generate again), otherwise a new submit.
 */
async function queuedJob(
	context: IExecutePaginationFunctions,
	client: SegmindClient,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	spec: ModelSpec,
	options: GenerationOptions,
	timeoutMs: number,
): Promise<SubmittedJob & { reusedJob?: boolean }> {
	const body = requestData.options.body as IDataObject;
	const earlier =
		options.onRetriedExecution === ON_RETRIED_EXECUTION.generateAgain
			? undefined
			: earlierJobFor(context, spec.slug, body);
	if (earlier) {
		context.logger.info(
			`Retried execution ${context.getExecutionId()}: reusing Segmind job ${earlier} that the failed run had accepted for item ${context.getItemIndex()} of node "${context.getNode().name}", instead of paying for it again`,
			{ requestId: earlier, model: spec.slug, itemIndex: context.getItemIndex() },
		);
		const { json } = await client.readJob(earlier, 'status');
		return { requestId: earlier, status: String(json.status ?? 'QUEUED'), reusedJob: true };
	}
	const response = await client.send(
		'submit',
		async () => await context.makeRoutingRequest(requestData),
		{ timeoutMs },
	);
	const job = await submittedJobOf(context, client, response, spec);
	rememberJob(context, spec.slug, body, job.requestId);
	return job;
}

/** Cost, balance and timing from a job's result, in the names the one-request mode uses. */
export function jobFacts(requestId: string, result: IDataObject): IDataObject {
	const metrics = (result.metrics ?? {}) as IDataObject;
	return {
		requestId,
		cost: numberOrText(metrics.cost),
		remainingCredits: numberOrText(metrics.remaining_credits ?? metrics.remainingCredits),
		generationTime: numberOrText(metrics.generation_time ?? metrics.inference_time),
	};
}
