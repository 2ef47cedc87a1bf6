/**
 * A queued job's video, for Generate From Image (Wait for Video) and Get Result alike: the wait
 * options read and checked, the wait itself (queue.ts), and the finished video as an item.
 */
import type { IDataObject, IExecuteSingleFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	DEFAULT_MAX_WAIT_SECONDS,
	DEFAULT_POLL_INTERVAL_SECONDS,
	VIDEO_DOWNLOAD_TIMEOUT_MS,
	waitForJobResult,
} from '../../queue';
import { explainTransportFailure } from '../../errors';
import { retryPolicyOf, sendWithSafeRetries } from '../../safeRetries';
import { numberOrText, videoFromJson, videoItem } from './videoOutput';

type WaitOptions = { maxWait?: number; pollInterval?: number };

function secondsOption(
	context: IExecuteSingleFunctions,
	label: string,
	value: unknown,
	fallback: number,
	minimum: number,
) {
	const seconds = Number(value ?? fallback);
	if (!Number.isFinite(seconds) || seconds < minimum) {
		throw new NodeOperationError(
			context.getNode(),
			`${label} ${JSON.stringify(value)} is not valid: use a number of seconds of at least ${minimum}`,
			{
				description: 'Nothing was sent to Segmind, so no credits were used.',
				itemIndex: context.getItemIndex(),
			},
		);
	}
	return Math.round(seconds * 1000);
}

/** Max Wait and Poll Interval in milliseconds; a bad value is an error before anything is sent. */
export function checkWaitOptions(context: IExecuteSingleFunctions) {
	const options = context.getNodeParameter('options', {}) as WaitOptions;
	return {
		maxWaitMs: secondsOption(
			context,
			'Max Wait (Seconds)',
			options.maxWait,
			DEFAULT_MAX_WAIT_SECONDS,
			0,
		),
		pollIntervalMs: secondsOption(
			context,
			'Poll Interval (Seconds)',
			options.pollInterval,
			DEFAULT_POLL_INTERVAL_SECONDS,
			0.01,
		),
	};
}

/** Cost, balance and timing from a job's result, in the names the one-request mode uses. */
function jobFacts(result: IDataObject): IDataObject {
	const metrics = (result.metrics ?? {}) as IDataObject;
	return {
		cost: numberOrText(metrics.cost),
		remainingCredits: numberOrText(metrics.remaining_credits ?? metrics.remainingCredits),
		generationTime: numberOrText(metrics.generation_time ?? metrics.inference_time),
	};
}

export async function videoOfQueuedJob(
	context: IExecuteSingleFunctions,
	job: { baseUrl: string; requestId: string; justSubmitted: boolean; facts?: IDataObject },
): Promise<INodeExecutionData> {
	const result = await waitForJobResult(context, {
		baseUrl: job.baseUrl,
		requestId: job.requestId,
		justSubmitted: job.justSubmitted,
		...checkWaitOptions(context),
	});
	const call = { kind: 'queuedJob' as const, requestId: job.requestId };
	// The video streams into n8n's storage, so a download cut off mid-way fails while it is
	// stored: the whole download is tried again (it bills nothing), then explained. Only that
	// failure: the download's own request already retried the others (videoOutput.ts).
	return await sendWithSafeRetries(
		context,
		{ ...retryPolicyOf(context, 'jobRead'), maxConcurrentRequests: 0, retryable: ['interrupted'] },
		async () =>
			await videoItem(
				context,
				await videoFromJson(context, result, VIDEO_DOWNLOAD_TIMEOUT_MS, call),
				{ ...job.facts, requestId: job.requestId, ...jobFacts(result) },
			),
		(error) =>
			explainTransportFailure(context.getNode(), error, {
				baseUrl: job.baseUrl,
				timeoutMs: VIDEO_DOWNLOAD_TIMEOUT_MS,
				itemIndex: context.getItemIndex(),
				call,
			}),
	);
}
