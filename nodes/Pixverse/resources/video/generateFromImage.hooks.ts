/**
 * The hooks of Generate From Image: validation before any credit can be spent, the request sent
 * in the chosen Mode with safe retries, and the answer turned into an n8n item.
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	checkGenerationRequest,
	DEFAULT_MODE,
	submittedJobSchema,
	type GenerationRequest,
	type Mode,
} from '../../contract';
import {
	bodyAsText,
	explainTransportFailure,
	parseJsonObject,
	throwIfSegmindFailed,
	throwUnusableAnswer,
} from '../../errors';
import { JOB_READ_TIMEOUT_MS } from '../../queue';
import { retryPolicyOf, sendWithSafeRetries } from '../../safeRetries';
import { checkWaitOptions, videoOfQueuedJob } from './queuedJob';
import { headerOf, numberOrText, videoFromResponseBody, videoItem } from './videoOutput';
import { uploadedImageUrlOf } from './imageSource';

/** Default wait for one generation. See the Timeout option's description for the reasoning. */
export const DEFAULT_TIMEOUT_SECONDS = 600;

function modeOf(context: IExecuteSingleFunctions): Mode {
	return context.getNodeParameter('mode', DEFAULT_MODE) as Mode;
}

/** How long one request may take: a whole generation in one request, or a queue submit. */
function timeoutMillisecondsOf(context: IExecuteSingleFunctions) {
	if (modeOf(context) !== 'singleRequest') return JOB_READ_TIMEOUT_MS;
	const { timeout } = context.getNodeParameter('options', {}) as { timeout?: number };
	const seconds = Number(timeout ?? DEFAULT_TIMEOUT_SECONDS);
	if (!Number.isFinite(seconds) || seconds <= 0) {
		throw new NodeOperationError(
			context.getNode(),
			`Timeout (Seconds) ${JSON.stringify(timeout)} is not valid: use a number of seconds above 0`,
			{ itemIndex: context.getItemIndex() },
		);
	}
	return Math.round(seconds * 1000);
}

/**
 * The body each item sent, keyed by the item's context, which RoutingNode hands to preSend and
 * postReceive alike. Reading it back spares evaluating every field's expression a second time
 * per item (measured in BENCHMARKS.md).
 */
const sentRequests = new WeakMap<object, GenerationRequest>();

/**
 * preSend: the body the routing built from the fields is checked against the contract and
 * replaced by its normalised form (numbers as JSON numbers, empty optional fields left out).
 * A broken value stops here, so no request is sent and no credit is spent. Wait settings are
 * checked here too, so a bad Max Wait cannot surface after a job was paid for.
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
	if (modeOf(this) === 'waitForVideo') checkWaitOptions(this);
	// The node's own Timeout wins over n8n's routing default (300 s), which would cut off a slow
	// generation that Segmind may still bill.
	sentRequests.set(this, checked.request);
	return { ...requestOptions, body: checked.request, timeout: timeoutMillisecondsOf(this) };
}

/** What the person asked for, in the contract's names, to travel with the video. */
function requestedParameters(context: IExecuteSingleFunctions): GenerationRequest | IDataObject {
	const sent = sentRequests.get(context);
	if (sent) return sent;
	// Only if an n8n version hands the hooks different contexts: the fields evaluated again.
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
 * postReceive of Single Request: a failed status becomes a clear error (errors.ts); a success
 * becomes one item with the video as binary data.
 */
export async function videoFromResponse(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	await throwIfSegmindFailed.call(this, response);
	const video = await videoFromResponseBody(this, response, timeoutMillisecondsOf(this));
	return [
		await videoItem(this, video, {
			request: requestedParameters(this),
			requestId: headerOf(response, 'x-request-id'),
			cost: numberOrText(headerOf(response, 'x-cost')),
			remainingCredits: numberOrText(headerOf(response, 'x-remaining-credits')),
			generationTime: numberOrText(headerOf(response, 'x-generation-time')),
			seedUsed: numberOrText(headerOf(response, 'x-seed-value')),
			uploadedImageUrl: uploadedImageUrlOf(this),
		}),
	];
}

/**
 * postReceive of a queue submit: the job's request ID and where to ask about it. Submit Only
 * returns this item; Wait for Video goes on to wait for the job.
 */
export async function submittedJobFromResponse(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	await throwIfSegmindFailed.call(this, response);
	const answer = parseJsonObject(bodyAsText(response.body));
	const job = submittedJobSchema.safeParse(answer);
	if (!job.success) {
		return await throwUnusableAnswer.call(
			this,
			'its answer to the submit holds no request ID',
			`Received: "${bodyAsText(response.body).slice(0, 200)}". Check your Segmind usage before submitting again: the job may have been queued.`,
		);
	}
	const json: IDataObject = {
		requestId: job.data.request_id,
		status: job.data.status ?? 'QUEUED',
		statusUrl: job.data.status_url ?? job.data.poll_url,
		resultUrl: job.data.response_url,
		request: requestedParameters(this),
		uploadedImageUrl: uploadedImageUrlOf(this),
	};
	for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
	return [{ json, pairedItem: { item: this.getItemIndex() } }];
}

/**
 * The operation's request executor (RoutingNode hands the request here because the routing says
 * `paginate`): it sends the generation or the submit with safe retries, and in Wait for Video
 * waits for the queued job and returns its video.
 */
export async function generateInChosenMode(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const mode = modeOf(this);
	const baseUrl = String(requestData.options.baseURL ?? '');
	const sent = await sendWithSafeRetries(
		this,
		retryPolicyOf(this, mode === 'singleRequest' ? 'oneRequestGeneration' : 'queueSubmit'),
		async () => await this.makeRoutingRequest(requestData),
		(error) =>
			explainTransportFailure(this.getNode(), error, {
				baseUrl,
				timeoutMs: Number(requestData.options.timeout ?? 0),
				itemIndex: this.getItemIndex(),
				call: { kind: mode === 'singleRequest' ? 'generation' : 'submit' },
			}),
	);
	if (mode !== 'waitForVideo') return sent;

	const submitted = sent[0].json;
	return [
		await videoOfQueuedJob(this, {
			baseUrl,
			requestId: String(submitted.requestId),
			justSubmitted: true,
			facts: { request: submitted.request, uploadedImageUrl: submitted.uploadedImageUrl },
		}),
	];
}
