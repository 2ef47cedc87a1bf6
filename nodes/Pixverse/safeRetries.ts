/**
 * Sends a generation request and retries only where a retry cannot bill the same video twice.
 *
 * A 429 means Segmind refused before starting the job, so it is retried (honouring Retry-After,
 * with bounded attempts and a capped wait). A 5xx, a timeout or a dropped connection may come
 * after Segmind started, and perhaps billed, the job: those are retried only when the person
 * turned on the option that says so. n8n's generic "Retry On Fail" knows none of this.
 *
 * It plugs into the declarative routing as the operation's request executor
 * (`routing.operations.pagination`), so the node keeps no hand-written `execute`.
 */
import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { withConcurrencyLimit } from './concurrencyLimit';
import { explainTransportFailure, failureKindOf } from './errors';

export const DEFAULT_RATE_LIMIT_RETRIES = 5;
/** Segmind's free plan allows 5 requests a minute; a generation takes about a minute. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 5;
export const DEFAULT_MAX_RETRY_WAIT_SECONDS = 60;
/** Without a Retry-After header: 2 s, 4 s, 8 s... before the cap. */
const FIRST_BACKOFF_MS = 2000;

export type RetryPolicy = {
	maxConcurrentRequests: number;
	rateLimitRetries: number;
	maxRetryWaitMs: number;
	retryMayBillTwice: boolean;
};

export function retryPolicyOf(context: IExecutePaginationFunctions): RetryPolicy {
	const options = context.getNodeParameter('options', {}) as {
		maxConcurrentRequests?: number;
		rateLimitRetries?: number;
		maxRetryWait?: number;
		retryMayBillTwice?: boolean;
	};
	return {
		maxConcurrentRequests: Math.floor(
			Number(options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS),
		),
		rateLimitRetries: Math.max(
			0,
			Math.floor(Number(options.rateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES)),
		),
		maxRetryWaitMs: Math.max(
			0,
			Number(options.maxRetryWait ?? DEFAULT_MAX_RETRY_WAIT_SECONDS) * 1000,
		),
		retryMayBillTwice: options.retryMayBillTwice === true,
	};
}

/** How long to wait before the next attempt, or undefined when this failure must not be retried. */
export function delayBeforeRetry(error: unknown, retriesDone: number, policy: RetryPolicy) {
	const kind = failureKindOf(error);
	const allowed = kind === 'rateLimited' || (kind === 'mayHaveBilled' && policy.retryMayBillTwice);
	if (!allowed || retriesDone >= policy.rateLimitRetries) return undefined;
	const askedFor = (error as { context?: { retryAfterMs?: number } }).context?.retryAfterMs;
	const backoff = FIRST_BACKOFF_MS * 2 ** retriesDone;
	// A little spread so items refused together do not all come back in the same millisecond.
	const spread = Math.random() * 250;
	return Math.min((askedFor ?? backoff) + spread, policy.maxRetryWaitMs);
}

export async function sendWithSafeRetries(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const policy = retryPolicyOf(this);
	const runKey = `${this.getExecutionId()}:${this.getNode().name}`;
	return await withConcurrencyLimit(runKey, policy.maxConcurrentRequests, async () => {
		for (let retriesDone = 0; ; retriesDone++) {
			try {
				return await this.makeRoutingRequest(requestData);
			} catch (error) {
				const delay = delayBeforeRetry(error, retriesDone, policy);
				if (delay === undefined) throw explainedFailure(this, requestData, error, retriesDone);
				await sleep(delay);
			}
		}
	});
}

function explainedFailure(
	context: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
	error: unknown,
	retriesDone: number,
) {
	const explained = explainTransportFailure(context.getNode(), error, {
		baseUrl: String(requestData.options.baseURL ?? ''),
		timeoutMs: Number(requestData.options.timeout ?? 0),
		itemIndex: context.getItemIndex(),
	}) as Error & { description?: string };
	if (retriesDone > 0) {
		explained.description =
			`${explained.description ?? ''} (Tried ${retriesDone + 1} times.)`.trim();
	}
	return explained;
}
