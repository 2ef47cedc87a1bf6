/**
 * Get Result: the video of a job queued earlier (Submit Only, a pending item, or one that
 * outlived Max Wait), waiting for it if it is still running, up to the item's hand-off time: a
 * job still running then leaves as pending again, so a loop can come back for it. It never
 * starts a generation, so it never bills again.
 */
import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';

import { JOB_READ_TIMEOUT_MS, SegmindClient } from '../transport/client';
import { failureOf, itemFailure } from '../transport/failures';
import { MODELS, modelBySlug, type ModelSpec } from '../models';
import { videoOrPending, waitSettingsOf, type GenerationOptions } from './generate';
import { handOffAtOf, SEGMIND_KEEPS_JOB_MS } from './handOff';
import { invalidInputError } from './itemOptions';
import { waitForJob, type JobOutcome, type WaitSettings } from './jobWait';
import { preparedOf, withPrepared } from './preparedRequest';
import { VideoItems } from './videoItem';

/** Without a model to plan from, a job fetched later is checked as one of a minute would be. */
const EXPECTED_SECONDS_WITHOUT_MODEL = 60;

/**
 * A Request ID as Segmind returns it, or any of the URLs Segmind returns for it (status, poll,
 * response): people paste whichever they kept. Only the ID is used, and requests go to the
 * credential's Base URL, so a pasted URL can never send the API key to another host.
 */
export function requestIdFrom(input: unknown): string | undefined {
	if (typeof input !== 'string' && typeof input !== 'number') return undefined;
	const text = String(input).trim();
	const fromUrl = /\/requests\/([^/?#\s]+)/.exec(text)?.[1];
	const id = fromUrl ?? text;
	return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id) ? id : undefined;
}

function requestIdOf(context: IExecuteSingleFunctions): string {
	const given = context.getNodeParameter('requestId', '');
	const requestId = requestIdFrom(given);
	if (requestId) return requestId;
	throw invalidInputError(
		context,
		`Request ID ${JSON.stringify(given) || '(empty)'} is not valid: give the requestId of a submitted job, or its status URL`,
		[
			'A generating operation returns it in Submit Only mode and in a pending item (field "requestId"), and its Max Wait error names it.',
		],
		'jobRead',
	);
}

type ResultOptions = GenerationOptions & { model?: string };

/** The job's model when the person named it (Segmind's answers do not say which it was). */
function modelOption(
	context: IExecuteSingleFunctions,
	options: ResultOptions,
): ModelSpec | undefined {
	if (options.model === undefined || options.model === '') return undefined;
	const spec = modelBySlug(options.model);
	if (spec) return spec;
	throw invalidInputError(
		context,
		`Model ${JSON.stringify(options.model)} is not a PixVerse model this node knows: use one of ${MODELS.map(
			(model) => model.slug,
		).join(', ')}`,
		['The Model option names the model the job was submitted to; leave it out if unknown.'],
		'jobRead',
	);
}

/**
 * What the input item says of the job, when it is this node's pending or Submit Only item for
 * the same request ID: its model and when it was submitted. A loop that feeds pending items
 * back to Get Result so needs no more than the request ID.
 */
function jobInInputItem(context: IExecuteSingleFunctions, requestId: string) {
	const json = context.getInputData()?.json ?? {};
	if (requestIdFrom(json.requestId) !== requestId) return {};
	const submittedAtMs = Date.parse(String(json.submittedAt ?? ''));
	return {
		model: typeof json.model === 'string' ? modelBySlug(json.model) : undefined,
		submittedAtMs: Number.isFinite(submittedAtMs) ? submittedAtMs : undefined,
	};
}

/** Get Result for one item, as preSend prepared it. */
type PreparedResult = {
	requestId: string;
	options: ResultOptions;
	model?: ModelSpec;
	submittedAtMs?: number;
	waitSettings: WaitSettings;
	handOffAtMs: number;
};

/** preSend: the routing's GET goes to the job's status; a bad ID or option stops first. */
export async function prepareResultRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const nodeStartedAtMs = Date.now();
	const requestId = requestIdOf(this);
	const options = this.getNodeParameter('options', {}) as ResultOptions;
	const fromInput = jobInInputItem(this, requestId);
	const model = modelOption(this, options) ?? fromInput.model;
	const prepared: PreparedResult = {
		requestId,
		options,
		model,
		submittedAtMs: fromInput.submittedAtMs,
		waitSettings: waitSettingsOf(
			this,
			options,
			model?.typicalSeconds ?? EXPECTED_SECONDS_WITHOUT_MODEL,
		),
		handOffAtMs: handOffAtOf(this, options, nodeStartedAtMs),
	};
	return withPrepared(
		{
			...requestOptions,
			url: `/v2/requests/${encodeURIComponent(requestId)}/status`,
			timeout: JOB_READ_TIMEOUT_MS,
		},
		prepared,
	);
}

/** A 404 on a job known to be older than Segmind keeps jobs: said as what it is. */
function expiredJob(context: IExecuteSingleFunctions, requestId: string, submittedAtMs: number) {
	const expiresAt = new Date(submittedAtMs + SEGMIND_KEEPS_JOB_MS).toISOString();
	return itemFailure(
		context,
		`Request ${requestId} has expired: Segmind forgot it at ${expiresAt}`,
		`It was submitted at ${new Date(submittedAtMs).toISOString()}, and Segmind keeps a job's status and result one hour after its submission. If the job completed, its video file stays on Segmind's media host for 7 days at the videoUrl an earlier item may hold; otherwise it can no longer be fetched. This check billed nothing.`,
		{ kind: 'jobUnknown', call: 'jobRead' },
	);
}

/**
 * The operation's request executor: the routing's status check first, then the wait and the
 * video, or the job as pending at the hand-off.
 */
export async function getResult(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const prepared = preparedOf<PreparedResult>(this, requestData);
	const { requestId, options, model, submittedAtMs } = prepared;
	const client = SegmindClient.for(this, String(requestData.options.baseURL ?? ''), options, {
		deadlineMs: prepared.handOffAtMs,
	});
	return await client.redacting(async () => {
		const callContext = { call: 'jobRead' as const, requestId };
		let outcome: JobOutcome;
		try {
			outcome = await waitForJob(this, client, {
				requestId,
				settings: prepared.waitSettings,
				submittedAtMs,
				justSubmitted: false,
				handOffAtMs: prepared.handOffAtMs,
				firstStatus: async () => {
					const response = await client.send(
						'jobRead',
						async () => await this.makeRoutingRequest(requestData),
						{ timeoutMs: JOB_READ_TIMEOUT_MS, requestId },
					);
					return {
						statusCode: response.statusCode,
						json: await client.jsonAnswer(response, callContext),
					};
				},
			});
		} catch (error) {
			const expired =
				failureOf(error)?.kind === 'jobUnknown' &&
				submittedAtMs !== undefined &&
				Date.now() >= submittedAtMs + SEGMIND_KEEPS_JOB_MS;
			throw expired ? expiredJob(this, requestId, submittedAtMs) : error;
		}
		return [
			await videoOrPending(
				this,
				new VideoItems(this, client, options),
				{ requestId, submittedAtMs },
				outcome,
				model ? { model: model.slug } : {},
			),
		];
	});
}
