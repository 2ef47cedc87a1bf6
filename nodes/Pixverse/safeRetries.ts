/**
 * Sends requests to Segmind and retries only where a retry cannot bill the same video twice.
 *
 * A 429 means Segmind refused before starting anything, so it is always retried (honouring
 * Retry-After, with bounded attempts and a capped wait). What else may be retried depends on the
 * call: a queue submit answered 5xx queued nothing; a one-request generation answered 5xx or cut
 * off may already have been made and billed, so it is retried only when the person turned on the
 * option that says so; reading a queued job's status or result never bills, so every transient
 * failure is retried. n8n's generic "Retry On Fail" knows none of this.
 */
import type { IExecuteSingleFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { withConcurrencyLimit } from './concurrencyLimit';
import { failureKindOf, type FailureKind } from './errors';

export const DEFAULT_RATE_LIMIT_RETRIES = 5;
/** Segmind's free plan allows 5 requests a minute; a generation takes about a minute. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 5;
export const DEFAULT_MAX_RETRY_WAIT_SECONDS = 60;
/** Without a Retry-After header: 2 s, 4 s, 8 s... before the cap. */
const FIRST_BACKOFF_MS = 2000;

/** What is being sent decides which failures may be sent again. */
export type SegmindRequestKind = 'oneRequestGeneration' | 'queueSubmit' | 'jobRead' | 'imageUpload';

export type RetryPolicy = {
	maxConcurrentRequests: number;
	retries: number;
	maxRetryWaitMs: number;
	retryable: FailureKind[];
};

type RetryOptions = {
	maxConcurrentRequests?: number;
	rateLimitRetries?: number;
	maxRetryWait?: number;
	retryMayBillTwice?: boolean;
};

function retryableFailures(kind: SegmindRequestKind, retryMayBillTwice: boolean): FailureKind[] {
	// Reading a job and uploading an image never bill.
	if (kind === 'jobRead' || kind === 'imageUpload') {
		return ['rateLimited', 'notSent', 'serverError', 'interrupted'];
	}
	if (kind === 'queueSubmit') return ['rateLimited', 'notSent', 'serverError'];
	return retryMayBillTwice ? ['rateLimited', 'serverError', 'interrupted'] : ['rateLimited'];
}

export function retryPolicyOf(
	context: IExecuteSingleFunctions,
	kind: SegmindRequestKind,
): RetryPolicy {
	const options = context.getNodeParameter('options', {}) as RetryOptions;
	return {
		maxConcurrentRequests: Math.floor(
			Number(options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS),
		),
		retries: Math.max(
			0,
			Math.floor(Number(options.rateLimitRetries ?? DEFAULT_RATE_LIMIT_RETRIES)),
		),
		maxRetryWaitMs: Math.max(
			0,
			Number(options.maxRetryWait ?? DEFAULT_MAX_RETRY_WAIT_SECONDS) * 1000,
		),
		retryable: retryableFailures(kind, options.retryMayBillTwice === true),
	};
}

/** How long to wait before the next attempt, or undefined when this failure must not be retried. */
export function delayBeforeRetry(error: unknown, retriesDone: number, policy: RetryPolicy) {
	if (!policy.retryable.includes(failureKindOf(error)) || retriesDone >= policy.retries) {
		return undefined;
	}
	const askedFor = (error as { context?: { retryAfterMs?: number } }).context?.retryAfterMs;
	const backoff = FIRST_BACKOFF_MS * 2 ** retriesDone;
	// A little spread so items refused together do not all come back in the same millisecond.
	const spread = Math.random() * 250;
	return Math.min((askedFor ?? backoff) + spread, policy.maxRetryWaitMs);
}

/**
 * Runs `send` in one of this node run's request slots, again after each retryable failure.
 * The last failure goes to `explain` with the number of attempts made.
 */
export async function sendWithSafeRetries<T>(
	context: IExecuteSingleFunctions,
	policy: RetryPolicy,
	send: () => Promise<T>,
	explain: (error: unknown) => unknown = (error) => error,
): Promise<T> {
	const runKey = `${context.getExecutionId()}:${context.getNode().name}`;
	for (let retriesDone = 0; ; retriesDone++) {
		try {
			return await withConcurrencyLimit(runKey, policy.maxConcurrentRequests, send);
		} catch (error) {
			const delay = delayBeforeRetry(error, retriesDone, policy);
			if (delay === undefined) throw withAttemptCount(explain(error), retriesDone + 1);
			await sleep(delay);
		}
	}
}

function withAttemptCount(error: unknown, attempts: number) {
	if (attempts > 1 && error instanceof Error) {
		const described = error as Error & { description?: string };
		described.description = `${described.description ?? ''} (Tried ${attempts} times.)`.trim();
	}
	return error;
}
