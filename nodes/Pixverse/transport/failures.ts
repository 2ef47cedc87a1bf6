/**
 * What went wrong, as a typed kind set where the failure is observed: an HTTP status, a network
 * code, a body that stopped, a job that failed. Every retry and billing decision reads the kind
 * (./billing.ts), never the wording of a message.
 */
import type { IExecuteSingleFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** What the node was asking Segmind for when it failed: each bills (or not) differently. */
export type CallKind =
	/** Single Request: POST /v1/<model>, held open until the video arrives. */
	| 'generation'
	/** Wait for Video and Submit Only: POST /v2/<model>, answered at once with a request ID. */
	| 'submit'
	/** GET /v2/requests/<id>[/status]: a queued job's state or result. */
	| 'jobRead'
	/** GET of the finished video on Segmind's media host. */
	| 'download'
	/** POST of an image from binary data to Segmind Storage. */
	| 'upload'
	/** GET /v1/get-user-credits. */
	| 'credits';

export const FAILURE_KINDS = [
	/** A field breaks the model's rules: stopped before anything was sent. */
	'invalidInput',
	/** The connection could not be made (refused, DNS): nothing reached Segmind. */
	'notSent',
	/** 429: Segmind refused before starting anything. */
	'rateLimited',
	/** Another 4xx: Segmind looked at the request and refused it. */
	'refused',
	/** 500 or another 5xx that Segmind itself answered; only a 200 is billed. */
	'serverError',
	/** 502 or 504 from the gateway in front of Segmind: the job behind it may have gone on. */
	'gatewayError',
	/** No answer before the timeout. */
	'noAnswer',
	/** The connection dropped before the answer began. */
	'dropped',
	/** The answer began (a 200) and stopped before its end. */
	'cutOff',
	/** A success status with nothing usable in it (no video, no request ID). */
	'unusableAnswer',
	/** A queued job ran and failed (422 or status FAILED). */
	'jobFailed',
	/** 404 on a request ID: wrong, or older than Segmind keeps records. */
	'jobUnknown',
	/** Max Wait ran out while the job was still running. */
	'jobStillRunning',
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

export type Failure = {
	kind: FailureKind;
	call: CallKind;
	/** How long Segmind asked to wait before trying again (429). */
	retryAfterMs?: number;
	/**
	 * The node stopped waiting (for a retry or for its turn at the account's rate limit) because
	 * the wait would have ended after the item's deadline.
	 */
	deadlineReached?: boolean;
};

const FAILURE = Symbol('segmindFailure');

/** Marks an error with what it means; not enumerable, so it never shows in an item or a log. */
export function withFailure<E extends Error>(error: E, failure: Failure): E {
	// Configurable: a failure can learn more later (./explain.ts `stoppedAtDeadline`).
	Object.defineProperty(error, FAILURE, { value: failure, enumerable: false, configurable: true });
	return error;
}

/** A failure the node itself finds in an item (a bad input, a job's outcome), with its kind. */
export function itemFailure(
	context: IExecuteSingleFunctions,
	message: string,
	description: string,
	failure: Failure,
): NodeOperationError {
	const error = new NodeOperationError(context.getNode(), message, {
		description,
		itemIndex: context.getItemIndex(),
	});
	return withFailure(error, failure);
}

export function failureOf(error: unknown): Failure | undefined {
	return error instanceof Error ? (error as Error & { [FAILURE]?: Failure })[FAILURE] : undefined;
}

/** The kind of an HTTP status that is not a success. */
export function kindOfStatus(status: number, call: CallKind): FailureKind {
	if (status === 429) return 'rateLimited';
	if (status === 502 || status === 504) return 'gatewayError';
	if (status >= 500) return 'serverError';
	if (call === 'jobRead' && status === 422) return 'jobFailed';
	if (call === 'jobRead' && status === 404) return 'jobUnknown';
	return 'refused';
}

const NOT_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];
const NO_ANSWER_CODES = ['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT'];
const DROPPED_CODES = ['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE'];
/** The HTTP client's code for a body that ended before its declared end. */
const CUT_OFF_CODES = ['ERR_BAD_RESPONSE'];

type CodedError = { httpCode?: unknown; code?: unknown; cause?: { code?: unknown } };

/**
 * The network code of an error thrown by n8n's HTTP helpers: NodeApiError carries it as
 * `httpCode`, the plain helper's error as `code`, and both keep the HTTP client's own error as
 * `cause`. A code of the cause wins: it is what the socket saw.
 */
export function networkCodeOf(error: unknown): string {
	const coded = (error ?? {}) as CodedError;
	return String(coded.cause?.code ?? coded.code ?? coded.httpCode ?? '');
}

/** The kind of a failure where no status came back, or undefined when it is not a network one. */
export function kindOfNetworkError(error: unknown): FailureKind | undefined {
	const code = networkCodeOf(error);
	if (NOT_SENT_CODES.includes(code)) return 'notSent';
	if (NO_ANSWER_CODES.includes(code)) return 'noAnswer';
	if (DROPPED_CODES.includes(code)) return 'dropped';
	if (CUT_OFF_CODES.includes(code)) return 'cutOff';
	return undefined;
}
