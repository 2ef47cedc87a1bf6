/**
 * Segmind's async queue: a submitted job is polled until it is done, then its result is read.
 *
 * Reads never bill, so each is retried on transient failures (safeRetries.ts). Waiting uses
 * n8n-workflow's `sleep`, and every item polls its own job, so many items wait side by side.
 */
import type { IDataObject, IExecuteSingleFunctions, IN8nHttpFullResponse } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import {
	JOB_DONE,
	JOB_FAILED,
	jobStatusSchema,
	REQUEST_RECORD_LIFETIME,
	requestResultPath,
	requestStatusPath,
} from './contract';
import {
	explainTransportFailure,
	isSuccessStatus,
	parseJsonObject,
	bodyAsText,
	segmindFailure,
	segmindMessageFrom,
	type SegmindCall,
} from './errors';
import { retryPolicyOf, sendWithSafeRetries } from './safeRetries';

export const DEFAULT_MAX_WAIT_SECONDS = 900;
export const DEFAULT_POLL_INTERVAL_SECONDS = 2;
/** Polls start at the Poll Interval and slow down by half each time, up to this. */
const LONGEST_POLL_INTERVAL_MS = 10_000;
const POLL_BACKOFF = 1.5;
/** A status or result read answers at once; one that hangs longer is retried. */
export const JOB_READ_TIMEOUT_MS = 60_000;
/** A finished video is tens of megabytes at most, from Segmind's media host. */
export const VIDEO_DOWNLOAD_TIMEOUT_MS = 300_000;

export type JobWait = {
	baseUrl: string;
	requestId: string;
	maxWaitMs: number;
	pollIntervalMs: number;
	/** Just submitted: the job cannot be done yet, so the first look waits one interval. */
	justSubmitted: boolean;
};

/** GETs a queued job's status or result (non-2xx answers are returned, not thrown). */
async function readJob(
	context: IExecuteSingleFunctions,
	wait: JobWait,
	path: string,
): Promise<IN8nHttpFullResponse> {
	const call: SegmindCall = { kind: 'queuedJob', requestId: wait.requestId };
	const policy = retryPolicyOf(context, 'jobRead');
	return await sendWithSafeRetries(
		context,
		policy,
		async () => {
			const response = (await context.helpers.httpRequestWithAuthentication.call(
				context,
				'segmindPixverseApi',
				{
					method: 'GET',
					baseURL: wait.baseUrl,
					url: path,
					headers: { Accept: 'application/json' },
					json: false,
					encoding: 'text',
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					timeout: JOB_READ_TIMEOUT_MS,
				},
			)) as IN8nHttpFullResponse;
			// Transient statuses are thrown so the retry loop sees them; the rest are the caller's.
			if (response.statusCode === 429 || response.statusCode >= 500) {
				throw await segmindFailure(context, response, call);
			}
			return response;
		},
		(error) =>
			explainTransportFailure(context.getNode(), error, {
				baseUrl: wait.baseUrl,
				timeoutMs: JOB_READ_TIMEOUT_MS,
				itemIndex: context.getItemIndex(),
				call,
			}),
	);
}

async function jsonOf(
	context: IExecuteSingleFunctions,
	wait: JobWait,
	response: IN8nHttpFullResponse,
): Promise<IDataObject> {
	if (!isSuccessStatus(response.statusCode)) {
		throw await segmindFailure(context, response, { kind: 'queuedJob', requestId: wait.requestId });
	}
	const json = parseJsonObject(bodyAsText(response.body));
	if (json) return json;
	throw new NodeOperationError(
		context.getNode(),
		`Segmind's answer about request ${wait.requestId} was not JSON`,
		{
			description: `It began: "${segmindMessageFrom(bodyAsText(response.body).slice(0, 200))}". Fetch the video later with the Get Result operation and this Request ID.`,
			itemIndex: context.getItemIndex(),
		},
	);
}

function jobFailedError(context: IExecuteSingleFunctions, wait: JobWait, answer: IDataObject) {
	const reason = segmindMessageFrom(JSON.stringify(answer));
	return new NodeOperationError(
		context.getNode(),
		`Segmind could not make the video (request ${wait.requestId} failed)`,
		{
			description: `${reason ? `Segmind says: "${reason}". ` : ''}Failed jobs are not billed. The reason usually points at the image or the prompt: change it and generate again.`,
			itemIndex: context.getItemIndex(),
		},
	);
}

function notReadyInTimeError(context: IExecuteSingleFunctions, wait: JobWait, lastStatus: string) {
	return new NodeOperationError(
		context.getNode(),
		`The video was not ready within Max Wait (${Number((wait.maxWaitMs / 1000).toFixed(1))} s); request ID ${wait.requestId}`,
		{
			description: `Segmind last reported ${lastStatus}. The job may still finish and be billed: do not generate it again. Fetch it later with the operation Get Result and Request ID ${wait.requestId} (Segmind keeps it ${REQUEST_RECORD_LIFETIME}), or raise Max Wait (Seconds) under Options.`,
			itemIndex: context.getItemIndex(),
		},
	);
}

/**
 * Waits for a queued job and returns its result JSON (`output`, `video`, `metrics`...).
 * A failed job, an unknown or expired id, and a job still running at Max Wait are clear errors.
 */
export async function waitForJobResult(
	context: IExecuteSingleFunctions,
	wait: JobWait,
): Promise<IDataObject> {
	const giveUpAt = Date.now() + wait.maxWaitMs;
	let interval = Math.max(1, wait.pollIntervalMs);
	if (wait.justSubmitted) await sleep(Math.min(interval, wait.maxWaitMs));
	for (;;) {
		const answer = await jsonOf(
			context,
			wait,
			await readJob(context, wait, requestStatusPath(wait.requestId)),
		);
		const parsed = jobStatusSchema.safeParse(answer);
		const status = parsed.success ? parsed.data.status.toUpperCase() : 'an answer without a status';
		if (status === JOB_DONE) break;
		if (status === JOB_FAILED) {
			// The status may carry no reason; the result read holds it (a 422 with `error`).
			const result = await readJob(context, wait, requestResultPath(wait.requestId));
			if (isSuccessStatus(result.statusCode)) throw jobFailedError(context, wait, answer);
			throw await segmindFailure(context, result, { kind: 'queuedJob', requestId: wait.requestId });
		}
		const timeLeft = giveUpAt - Date.now();
		if (timeLeft <= 0) throw notReadyInTimeError(context, wait, status);
		await sleep(Math.min(interval, timeLeft));
		interval = Math.min(
			interval * POLL_BACKOFF,
			Math.max(LONGEST_POLL_INTERVAL_MS, wait.pollIntervalMs),
		);
	}
	const result = await jsonOf(
		context,
		wait,
		await readJob(context, wait, requestResultPath(wait.requestId)),
	);
	if (String(result.status ?? JOB_DONE).toUpperCase() === JOB_FAILED) {
		throw jobFailedError(context, wait, result);
	}
	return result;
}
