/**
 * What went wrong, as a typed kind set where the failure is observed: an HTTP status, a network
 * code, a body that stopped, a job that failed. Every retry and billing decision reads the kind
 * (./billing.ts), never the wording of a message. The errors are made here, next to the kinds
 * they are given, in the words of ./wording.ts.
 */
import type {
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { segmindMessageFrom } from './answers';
import { moneyWords, outcomeOf } from './billing';
import {
	attemptsWords,
	CODE_IN_WORDS,
	describe,
	explainStatus,
	networkWording,
	STOPPED_AT_HAND_OFF,
	whatToDoAfterNetwork,
	WHY_IT_WAITED,
	type AwaitedTurn,
} from './wording';

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
	 * The node stopped waiting (for a retry, or for its turn at the account's rate limit) so that
	 * the item leaves by its hand-off time, ahead of n8n's execution time limit, instead of being
	 * cancelled with it.
	 */
	deadlineReached?: boolean;
};

const FAILURE = Symbol('segmindFailure');

/** Marks an error with what it means; not enumerable, so it never shows in an item or a log. */
export function withFailure<E extends Error>(error: E, failure: Failure): E {
	// Configurable: a later step may add to what is known (the deadline that stopped a retry).
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

/** Whether an error is one the client stopped at the item's hand-off time (a retry or a turn). */
export function isStoppedAtHandOff(error: unknown) {
	return failureOf(error)?.deadlineReached === true;
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

/** The call a failure happened in: the node and item, the kind of call, the job if any. */
export type CallContext = {
	node: INode;
	itemIndex: number;
	call: CallKind;
	/** The queued job concerned, when there is one: every message after a submit names it. */
	requestId?: string;
};

/**
 * A non-2xx answer: the status and its plain meaning in the message; Segmind's own words, what
 * to do and what it means for money in the description.
 */
export function statusFailure(
	callContext: CallContext,
	response: IN8nHttpFullResponse,
	body: Buffer,
	retryAfterMs: number | undefined,
): NodeApiError {
	const { statusCode } = response;
	const kind = kindOfStatus(statusCode, callContext.call);
	const segmindMessage = segmindMessageFrom(body);
	const { meaning, whatToDo } = explainStatus(
		statusCode,
		segmindMessage,
		callContext.call,
		callContext.requestId,
	);
	const who = callContext.call === 'upload' ? 'Segmind Storage' : 'Segmind';
	const error = new NodeApiError(
		callContext.node,
		{ message: segmindMessage, httpCode: String(statusCode) } as JsonObject,
		{
			message: `${who} error ${statusCode}, ${meaning}`,
			description: describe([
				segmindMessage ? `Segmind says: "${segmindMessage}".` : undefined,
				whatToDo,
				moneyWords(outcomeOf(callContext.call, kind), callContext.requestId),
			]),
			httpCode: String(statusCode),
			itemIndex: callContext.itemIndex,
		},
	);
	return withFailure(error, { kind, call: callContext.call, retryAfterMs });
}

/**
 * A failure where no status came back (a network code), or undefined when the error is not one:
 * errors that already say what to do pass as they are.
 */
export function networkFailure(
	callContext: CallContext,
	error: unknown,
	where: string,
	timeoutMs: number,
): NodeApiError | undefined {
	const kind = kindOfNetworkError(error);
	if (!kind) return undefined;
	return transportFailure(callContext, kind, where, timeoutMs, networkCodeOf(error), error);
}

/** The answer began but stopped before its end: observed while it was being read or stored. */
export function cutOffFailure(callContext: CallContext, cause: unknown): NodeApiError {
	return transportFailure(callContext, 'cutOff', '', 0, '', cause);
}

function transportFailure(
	callContext: CallContext,
	kind: FailureKind,
	where: string,
	timeoutMs: number,
	code: string,
	cause: unknown,
) {
	let message = networkWording(kind, callContext, where, Math.round(timeoutMs / 1000));
	if (CODE_IN_WORDS[code] && kind !== 'noAnswer') message += ` (${CODE_IN_WORDS[code]})`;
	// No httpCode here: NodeApiError replaces the message of errors carrying a network code with
	// its own generic wording, which says nothing about billing.
	const detail = String((cause as Error)?.message ?? cause);
	const error = new NodeApiError(callContext.node, { message: detail } as JsonObject, {
		message,
		description: describe([
			whatToDoAfterNetwork(kind, callContext),
			moneyWords(outcomeOf(callContext.call, kind), callContext.requestId),
		]),
		itemIndex: callContext.itemIndex,
	});
	return withFailure(error, { kind, call: callContext.call });
}

/** A success status with nothing usable in it; `message` says what was missing. */
export function unusableAnswer(callContext: CallContext, message: string, details: string) {
	const error = new NodeOperationError(callContext.node, message, {
		description: describe([
			details,
			moneyWords(outcomeOf(callContext.call, 'unusableAnswer'), callContext.requestId),
		]),
		itemIndex: callContext.itemIndex,
	});
	return withFailure(error, { kind: 'unusableAnswer', call: callContext.call });
}

/**
 * The failure a wait ends with when it would have ended after the item's deadline (its hand-off
 * time): the last failure the call met (its retry would have come too late), marked; or, when the
 * item never got its turn to send, a rate-limited failure of its own (nothing was sent for it).
 */
export function stoppedAtDeadline(
	callContext: CallContext,
	lastFailure: unknown,
	awaited: AwaitedTurn,
): Error {
	const failure = failureOf(lastFailure);
	if (lastFailure instanceof Error && failure) {
		const described = lastFailure as Error & { description?: string };
		described.description = describe([described.description, STOPPED_AT_HAND_OFF]);
		return withFailure(lastFailure, { ...failure, deadlineReached: true });
	}
	const error = new NodeOperationError(
		callContext.node,
		"Stopped waiting for a turn to send: the item's turn would have come after its hand-off time",
		{
			description: describe([
				WHY_IT_WAITED[awaited],
				STOPPED_AT_HAND_OFF,
				`This request was not sent. ${moneyWords(outcomeOf(callContext.call, 'rateLimited'), callContext.requestId)}`,
			]),
			itemIndex: callContext.itemIndex,
		},
	);
	return withFailure(error, { kind: 'rateLimited', call: callContext.call, deadlineReached: true });
}

/** Adds how often a call was tried to the error that ends it. */
export function withAttemptCount(error: unknown, attempts: number) {
	if (attempts > 1 && error instanceof Error) {
		const described = error as Error & { description?: string };
		described.description = describe([described.description, attemptsWords(attempts)]);
	}
	return error;
}
