/**
 * The one Segmind client: the only code that talks HTTP to Segmind, its media host and Segmind
 * Storage. It owns the credential (the key goes only through n8n's authentication), the base
 * URL, timeouts, the account's shared pace (./accountLimiter.ts), this run's request slots, the
 * retry loop, the item's deadline and the mapping of every answer to a typed failure
 * (./failures.ts) worded for a person (./wording.ts).
 *
 * An operation's first request is the one its routing declares: RoutingNode builds it and the
 * operation hands `makeRoutingRequest` to `send`. Everything after it (status checks, the
 * result, the video download, image uploads) goes through the methods below.
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { accountLimiterOf, laneOf } from './accountLimiter';
import { bodyAsText, jsonObjectIn } from './answers';
import { outcomeOf } from './billing';
import { CREDENTIAL_TYPE, DEFAULT_STORAGE_UPLOAD_URL } from './credential';
import {
	cutOffFailure,
	failureOf,
	networkFailure,
	statusFailure,
	stoppedAtDeadline,
	unusableAnswer,
	withAttemptCount,
	type CallKind,
	type Failure,
	type CallContext,
} from './failures';
import type { Pace, Turn } from './pace';
import { redacted } from './redaction';
import { requestSlotsOf, type RequestSlots } from './requestSlots';
import { answerIn } from './routedAnswer';
import type { AwaitedTurn } from './wording';

/**
 * After a 429 an item waits for the account's reset time and its turn at the pace the account
 * accepts (./pace.ts), so few tries are refused; the retries are room for the pace to learn
 * (other n8n processes on the same account learn it on their own).
 */
export const DEFAULT_RATE_LIMIT_RETRIES = 15;
/** Segmind's free plan allows 5 requests a minute; a generation takes about a minute. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 5;
export const DEFAULT_MAX_RETRY_WAIT_SECONDS = 60;
/** The window each retry's wait is drawn from: 2 s, then doubling (4 s, 8 s...) up to a cap. */
export const FIRST_BACKOFF_WINDOW_MS = 2000;
/**
 * After a failure other than a 429 (a connection refused, a 5xx, a failed status check), the
 * window stops growing here: nobody said when to come back, and a wrong Base URL should be
 * reported within a couple of minutes, not after the patience a rate limit needs.
 */
const OTHER_FAILURES_WINDOW_CAP_MS = 16_000;

/** A status or result read answers at once; one that hangs longer is tried again. */
const JOB_READ_TIMEOUT_MS = 60_000;
/** A finished video is tens of megabytes at most. */
export const VIDEO_DOWNLOAD_TIMEOUT_MS = 300_000;
/** An upload of at most 20 MB; far longer than it takes, short enough to report a dead host. */
const UPLOAD_TIMEOUT_MS = 120_000;
const CREDITS_TIMEOUT_MS = 60_000;

/** The node's Options that shape retries and concurrency, as the panel stores them. */
export type RetryOptions = {
	maxConcurrentRequests?: number;
	rateLimitRetries?: number;
	maxRetryWait?: number;
	retryMayBillTwice?: boolean;
};

type RetryPolicy = {
	retries: number;
	maxRetryWaitMs: number;
	retryMayBillTwice: boolean;
};

export function retryPolicyFrom(options: RetryOptions): RetryPolicy {
	return {
		retries: Math.max(
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

/** A body in full: streams are read to the end (a stream that stops early rejects). */
export type StreamedBody = AsyncIterable<Uint8Array | string> & {
	pipe: (...args: never[]) => unknown;
};

export function isStream(body: unknown): body is StreamedBody {
	return typeof (body as StreamedBody | undefined)?.pipe === 'function';
}

async function wholeBody(body: unknown): Promise<Buffer> {
	if (!isStream(body)) {
		return Buffer.isBuffer(body) ? body : Buffer.from(bodyAsText(body), 'utf8');
	}
	const chunks: Buffer[] = [];
	for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
	return Buffer.concat(chunks);
}

const isSuccess = (statusCode: number) => statusCode >= 200 && statusCode < 300;

function headerOf(response: IN8nHttpFullResponse, name: string): string | undefined {
	const value = (response.headers as IDataObject | undefined)?.[name];
	if (Array.isArray(value)) return String(value[0]);
	return value === undefined || value === null ? undefined : String(value);
}

/**
 * How long Segmind asks to wait after a 429: until its own `x-rate-limit-reset-at-utc` when it
 * sends one (exact, where `Retry-After` is whole seconds rounded up), else `Retry-After` (seconds
 * or an HTTP date).
 */
function retryAfterMsOf(response: IN8nHttpFullResponse): number | undefined {
	const resetAt = Date.parse(headerOf(response, 'x-rate-limit-reset-at-utc') ?? '');
	if (Number.isFinite(resetAt) && resetAt > Date.now()) return resetAt - Date.now();
	const retryAfter = headerOf(response, 'retry-after');
	if (retryAfter !== undefined && retryAfter.trim() !== '') {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
		const date = Date.parse(retryAfter);
		if (Number.isFinite(date)) return Math.max(0, date - Date.now());
	}
	return Number.isFinite(resetAt) ? 0 : undefined;
}

/**
 * The wait before retry number `retriesDone + 1` of a failure the billing table lets the node
 * retry, where no account pace waits instead (a 429 from Segmind waits in ./pace.ts; this serves
 * other failures, and a 429 from the media host). Full jitter over a growing window: a random
 * share of a window that doubles with each retry of this request, on top of the server's
 * Retry-After (its minimum), so requests that failed together do not come back together, and
 * later retries wait longer on average. Never longer than Max Wait per Retry.
 */
export function retryWaitMs(
	failure: Pick<Failure, 'kind' | 'retryAfterMs'>,
	retriesDone: number,
	maxRetryWaitMs: number,
	random: () => number = Math.random,
): number {
	const windowCap =
		failure.kind === 'rateLimited'
			? maxRetryWaitMs
			: Math.min(maxRetryWaitMs, OTHER_FAILURES_WINDOW_CAP_MS);
	const window = Math.min(windowCap, FIRST_BACKOFF_WINDOW_MS * 2 ** retriesDone);
	return Math.min((failure.retryAfterMs ?? 0) + random() * window, maxRetryWaitMs);
}

export type JobAnswer = { statusCode: number; json: IDataObject };

/** What bounds an item's waits: `deadlineMs`, epoch ms by which it must leave the node. */
export type ItemLimits = { deadlineMs?: number };

/** A read cut short by the deadline still gets this long: a status answer takes well under it. */
const SHORTEST_READ_TIMEOUT_MS = 2000;

/** Each kind of call as a retry's log line names it. */
const CALL_WORDS: Record<CallKind, string> = {
	generation: 'generation',
	submit: 'submit',
	jobRead: 'job check',
	download: 'video download',
	upload: 'Storage image upload',
	credits: 'credits check',
};

/** A call that no account pace governs (a video download from the public media host). */
const UNPACED: Turn = { stale: () => false, accepted: () => {}, refused: () => false };

export class SegmindClient {
	private apiKey: Promise<string | undefined> | undefined;

	private constructor(
		private readonly context: IExecuteSingleFunctions,
		readonly baseUrl: string,
		private readonly policy: RetryPolicy,
		private readonly slots: RequestSlots,
		private readonly deadlineMs: number | undefined,
	) {}

	/**
	 * A client for one item. `baseUrl` is the one the routing resolved from the credential;
	 * `options` the node's Options collection as already read by the operation; `limits.deadlineMs`
	 * the time by which the item must leave the node: no wait of the client ends after it.
	 */
	static for(
		context: IExecuteSingleFunctions,
		baseUrl: string,
		options: RetryOptions,
		limits: ItemLimits = {},
	) {
		const limit = Math.floor(
			Number(options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS),
		);
		return new SegmindClient(
			context,
			baseUrl.replace(/\/+$/, ''),
			retryPolicyFrom(options),
			requestSlotsOf(context, limit),
			limits.deadlineMs,
		);
	}

	/**
	 * Sends an operation's declared request (`send` calls `makeRoutingRequest`) with the retry
	 * policy of its kind of call, and returns the successful answer.
	 */
	async send(
		call: CallKind,
		send: () => Promise<INodeExecutionData[]>,
		options: { timeoutMs: number; requestId?: string; alsoAccept?: number[] },
	): Promise<IN8nHttpFullResponse> {
		return await this.withRetries({ call, requestId: options.requestId }, async (callContext) => {
			let items: INodeExecutionData[];
			try {
				items = await send();
			} catch (error) {
				throw this.networkError(callContext, error, this.baseUrl, options.timeoutMs);
			}
			const answer = answerIn(items);
			if (!answer) {
				throw unusableAnswer(
					callContext,
					'The node did not receive the answer to its request',
					'The routing handed its items on without the answer (a change in how n8n runs declarative nodes).',
				);
			}
			if (options.alsoAccept?.includes(answer.statusCode)) return answer;
			return await this.successOrFailure(callContext, answer);
		});
	}

	/**
	 * Runs an operation's work with every error it throws cleaned of the API key, whichever
	 * step worded it (Segmind's words can come back in a successful answer too).
	 */
	async redacting<T>(work: () => Promise<T>): Promise<T> {
		try {
			return await work();
		} catch (error) {
			throw redacted(error, await this.secret());
		}
	}

	/** A queued job's status or result, as JSON; statuses Segmind uses for jobs become failures. */
	async readJob(requestId: string, part: 'status' | 'result'): Promise<JobAnswer> {
		const path = `/v2/requests/${encodeURIComponent(requestId)}${part === 'status' ? '/status' : ''}`;
		return await this.withRetries({ call: 'jobRead', requestId }, async (callContext) => {
			const response = await this.authenticated(callContext, {
				method: 'GET',
				url: `${this.baseUrl}${path}`,
				headers: { Accept: 'application/json' },
				encoding: 'text',
				json: false,
				timeout: this.timeoutWithinDeadline(JOB_READ_TIMEOUT_MS),
			});
			return { statusCode: response.statusCode, json: this.jsonOf(callContext, response) };
		});
	}

	/** A JSON answer's object; anything else is an unusable answer. */
	async jsonAnswer(
		response: IN8nHttpFullResponse,
		callContext: Pick<CallContext, 'call' | 'requestId'>,
	): Promise<IDataObject> {
		if (
			response.body &&
			typeof response.body === 'object' &&
			!isStream(response.body) &&
			!Buffer.isBuffer(response.body)
		) {
			return response.body as IDataObject;
		}
		const text = (await this.bodyOf(response, callContext)).toString('utf8');
		return this.jsonOf(this.failureContext(callContext), { ...response, body: text });
	}

	/**
	 * Downloads a finished video from Segmind's media host (a public URL: the key is not sent)
	 * and hands its stream to `store`. A download cut off mid-way is downloaded again: it bills
	 * nothing.
	 */
	async downloadVideo<T>(
		url: string,
		requestId: string | undefined,
		store: (response: IN8nHttpFullResponse) => Promise<T>,
	): Promise<T> {
		return await this.withRetries({ call: 'download', requestId }, async (callContext) => {
			let response: IN8nHttpFullResponse;
			const timeoutMs = this.timeoutWithinDeadline(VIDEO_DOWNLOAD_TIMEOUT_MS);
			try {
				response = (await this.context.helpers.httpRequest({
					method: 'GET',
					url,
					encoding: 'stream',
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					timeout: timeoutMs,
				})) as IN8nHttpFullResponse;
			} catch (error) {
				throw this.networkError(callContext, error, new URL(url).origin, timeoutMs);
			}
			await this.successOrFailure(callContext, response);
			return await this.receiving(callContext, async () => await store(response));
		});
	}

	/** Uploads an image (a data URI) to Segmind Storage and returns the public URL it answers. */
	async uploadImage(dataUri: () => Promise<string>): Promise<string> {
		const credentials = await this.context.getCredentials(CREDENTIAL_TYPE);
		const url = String(credentials.storageUploadUrl ?? '').trim() || DEFAULT_STORAGE_UPLOAD_URL;
		const { node, itemIndex } = this.failureContext({ call: 'upload' });
		this.context.logger.debug(
			`Uploading an image to Segmind Storage at ${url} (item ${itemIndex}, node "${node.name}")`,
			{ call: 'upload', itemIndex },
		);
		return await this.withRetries({ call: 'upload' }, async (callContext) => {
			const response = await this.authenticated(
				callContext,
				{
					method: 'POST',
					url,
					headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
					// Made again on each try, so a large image is held once per attempt, not per batch.
					body: { data_urls: [await dataUri()] },
					json: true,
					timeout: UPLOAD_TIMEOUT_MS,
				},
				url,
			);
			const answer = jsonObjectIn(bodyAsText(response.body));
			const uploaded = Array.isArray(answer?.urls) ? answer.urls[0] : undefined;
			if (typeof uploaded === 'string' && /^https?:\/\//i.test(uploaded)) return uploaded;
			throw unusableAnswer(
				callContext,
				'Segmind Storage answered the image upload without an image URL',
				`Expected {"urls": ["https://..."]}; the answer had ${answer ? `fields ${Object.keys(answer).join(', ') || '(none)'}` : 'no JSON object'}.`,
			);
		});
	}

	/** An answer's whole body (a stream is read to its end; one that stops is cut off). */
	async bodyOf(
		response: IN8nHttpFullResponse,
		callContext: Pick<CallContext, 'call' | 'requestId'>,
	) {
		return await this.receiving(
			this.failureContext(callContext),
			async () => await wholeBody(response.body),
		);
	}

	/**
	 * Runs `work` that reads an answer's body (into memory or n8n's binary storage): a stream
	 * failing then means the answer was cut off.
	 */
	async receiving<T>(callContext: CallContext, work: () => Promise<T>): Promise<T> {
		try {
			return await work();
		} catch (error) {
			// A failure this client already described stays as it is; anything else stopped the body.
			throw failureOf(error) ? error : cutOffFailure(callContext, error);
		}
	}

	failureContext(callContext: Pick<CallContext, 'call' | 'requestId'>): CallContext {
		return {
			node: this.context.getNode(),
			itemIndex: this.context.getItemIndex(),
			...callContext,
		};
	}

	/**
	 * The one retry loop. Each attempt waits for its turn at the account's pace (shared by every
	 * run in this n8n), then takes one of this run's request slots; Segmind's answer teaches the
	 * pace. A failure is tried again only when the billing table says so for its kind and this
	 * kind of call. No wait ends after the item's deadline: the call ends with its failure then.
	 */
	private async withRetries<T>(
		callContext: Pick<CallContext, 'call' | 'requestId'>,
		attempt: (callContext: CallContext) => Promise<T>,
	): Promise<T> {
		const full = this.failureContext(callContext);
		const pace = await this.paceOf(callContext.call);
		let lastFailure: unknown;
		for (let retriesDone = 0; ; retriesDone++) {
			const ready = await this.turnAndSlot(pace, retriesDone > 0);
			if ('awaited' in ready) {
				throw await this.stopped(full, lastFailure, retriesDone, ready.awaited);
			}
			const { turn, release } = ready;
			let failed: { error: unknown } | undefined;
			try {
				const result = await attempt(full);
				turn.accepted();
				return result;
			} catch (error) {
				failed = { error };
			} finally {
				release();
			}
			const { error } = failed;
			const failure = failureOf(error);
			if (failure?.kind === 'rateLimited' && pace) this.refused(turn, failure, pace);
			const delay = this.delayBeforeRetry(failure, retriesDone, pace !== undefined);
			if (delay === undefined) {
				throw withAttemptCount(redacted(error, await this.secret()), retriesDone + 1);
			}
			lastFailure = error;
			if (this.deadlineMs !== undefined && Date.now() + delay > this.deadlineMs) {
				throw await this.stopped(full, lastFailure, retriesDone + 1, 'accountPace');
			}
			const pacedWaitMs = pace ? Math.max(0, pace.state.holdUntilMs - Date.now()) : 0;
			this.logRetry(full, redacted(error, await this.secret()), retriesDone, delay || pacedWaitMs);
			if (delay > 0) await sleep(delay);
		}
	}

	/**
	 * The request's turn at the account's pace, then a slot of this run; a turn that went stale
	 * while it waited for the slot (Segmind refused someone meanwhile) is asked for again.
	 * When the item's deadline comes first: what it was waiting for.
	 */
	private async turnAndSlot(
		pace: Pace | undefined,
		retry: boolean,
	): Promise<{ turn: Turn; release: () => void } | { awaited: AwaitedTurn }> {
		for (let again = false; ; again = true) {
			const turn = pace
				? await pace.turn({
						deadlineMs: this.deadlineMs,
						retry,
						again,
						maxWaitMs: this.policy.maxRetryWaitMs,
					})
				: UNPACED;
			if (!turn) return { awaited: 'accountPace' };
			const release = await this.slots.take(this.context.getItemIndex(), this.deadlineMs);
			if (!release) return { awaited: 'runSlot' };
			if (!turn.stale()) return { turn, release };
			release();
		}
	}

	/** The pace of this kind of call at this account, or none (the public media host). */
	private async paceOf(call: CallKind): Promise<Pace | undefined> {
		const lane = laneOf(call);
		if (!lane) return undefined;
		const account = await accountLimiterOf(
			this.context,
			this.baseUrl,
			async () => await this.secret(),
		);
		return account.pace(lane);
	}

	/**
	 * A 429 holds back the account's waiting requests. The first refusal of a wave says so in
	 * n8n's log (info, as accepted jobs are): until when, and at what pace after.
	 */
	private refused(turn: Turn, failure: Failure, pace: Pace) {
		if (!turn.refused(failure.retryAfterMs, this.policy.maxRetryWaitMs)) return;
		const { holdUntilMs, intervalMs } = pace.state;
		this.context.logger.info(
			`Segmind answered 429 (rate limited) to a ${CALL_WORDS[failure.call]} request: requests of this kind to ${this.baseUrl} from this n8n wait until ${new Date(holdUntilMs).toISOString()}, then start ${Math.round(intervalMs)} ms apart`,
			{ baseUrl: this.baseUrl, call: failure.call, holdUntilMs, intervalMs },
		);
	}

	/** The failure a wait ends with at the item's deadline, with the tries it made. */
	private async stopped(
		callContext: CallContext,
		lastFailure: unknown,
		attempts: number,
		awaited: AwaitedTurn,
	) {
		const error = stoppedAtDeadline(
			callContext,
			redacted(lastFailure, await this.secret()),
			awaited,
		);
		return withAttemptCount(error, attempts);
	}

	/**
	 * A job read's or a download's timeout, shortened to end by the deadline: such a read bills
	 * nothing, and a job found later with Get Result is worth more than an execution cancelled
	 * mid-read. Submits and generations keep theirs: cutting one off may leave a paid job unknown.
	 */
	private timeoutWithinDeadline(timeoutMs: number) {
		if (this.deadlineMs === undefined) return timeoutMs;
		return Math.min(timeoutMs, Math.max(SHORTEST_READ_TIMEOUT_MS, this.deadlineMs - Date.now()));
	}

	/**
	 * One line per retry, so a run that takes long says why: what failed (the error's own words,
	 * already cleaned of the key), which attempt comes next of how many, and when.
	 */
	private logRetry(callContext: CallContext, error: unknown, retriesDone: number, delayMs: number) {
		const { kind } = failureOf(error) as Failure;
		const attempt = retriesDone + 2;
		const attempts = this.policy.retries + 1;
		const seconds = (delayMs / 1000).toFixed(1);
		this.context.logger.info(
			`Retrying Segmind ${CALL_WORDS[callContext.call]} in ${seconds} s (attempt ${attempt} of ${attempts}, item ${callContext.itemIndex}, node "${callContext.node.name}"): ${(error as Error).message}`,
			{
				call: callContext.call,
				kind,
				attempt,
				attempts,
				retryInMs: Math.round(delayMs),
				itemIndex: callContext.itemIndex,
				requestId: callContext.requestId,
			},
		);
	}

	/**
	 * How long to wait before the next attempt, or undefined when this failure must not be
	 * retried. After a 429 the account's pace does the waiting (its reset time, then a turn).
	 */
	private delayBeforeRetry(
		failure: Failure | undefined,
		retriesDone: number,
		paced: boolean,
	): number | undefined {
		if (!failure || retriesDone >= this.policy.retries) return undefined;
		const { retried } = outcomeOf(failure.call, failure.kind);
		if (retried === 'no' || (retried === 'optIn' && !this.policy.retryMayBillTwice)) {
			return undefined;
		}
		if (failure.kind === 'rateLimited' && paced) return 0;
		return retryWaitMs(failure, retriesDone, this.policy.maxRetryWaitMs);
	}

	/**
	 * The API key, read from the credential only when an error is being worded (never on the way
	 * of a request that succeeds): every error is cleaned of it, whatever a server echoed back.
	 */
	private async secret() {
		this.apiKey ??= this.context
			.getCredentials(CREDENTIAL_TYPE)
			.then((credentials) =>
				typeof credentials.apiKey === 'string' ? credentials.apiKey : undefined,
			)
			.catch(() => undefined);
		return await this.apiKey;
	}

	/** An authenticated request whose statuses come back as failures, never thrown raw. */
	private async authenticated(
		callContext: CallContext,
		options: IHttpRequestOptions,
		where = this.baseUrl,
	): Promise<IN8nHttpFullResponse> {
		let response: IN8nHttpFullResponse;
		try {
			response = (await this.context.helpers.httpRequestWithAuthentication.call(
				this.context,
				CREDENTIAL_TYPE,
				{ ...options, returnFullResponse: true, ignoreHttpStatusErrors: true },
			)) as IN8nHttpFullResponse;
		} catch (error) {
			throw this.networkError(callContext, error, where, Number(options.timeout ?? 0));
		}
		return await this.successOrFailure(callContext, response);
	}

	/** The failure of an answer an operation accepted (`alsoAccept`) and then found wanting. */
	async statusError(
		response: IN8nHttpFullResponse,
		body: Buffer,
		callContext: Pick<CallContext, 'call' | 'requestId'>,
	) {
		return statusFailure(
			this.failureContext(callContext),
			response,
			body,
			retryAfterMsOf(response),
		);
	}

	/** A 2xx answer as it is; any other status read whole for Segmind's words and thrown. */
	private async successOrFailure(callContext: CallContext, response: IN8nHttpFullResponse) {
		if (isSuccess(response.statusCode)) return response;
		const body = await wholeBody(response.body).catch(() => Buffer.alloc(0));
		throw await this.statusError(response, body, callContext);
	}

	private networkError(callContext: CallContext, error: unknown, where: string, timeoutMs: number) {
		if (failureOf(error)) return error;
		return (
			networkFailure(callContext, error, where, timeoutMs) ??
			(error instanceof NodeApiError
				? error
				: new NodeApiError(callContext.node, error as JsonObject, {
						itemIndex: callContext.itemIndex,
					}))
		);
	}

	private jsonOf(callContext: CallContext, response: IN8nHttpFullResponse): IDataObject {
		const text = bodyAsText(response.body);
		const json = jsonObjectIn(text);
		if (json) return json;
		throw unusableAnswer(
			callContext,
			callContext.call === 'submit'
				? 'Segmind answered the submit without a request ID'
				: `Segmind's answer${callContext.requestId ? ` about request ${callContext.requestId}` : ''} was not JSON`,
			`It began: "${text.slice(0, 200)}".`,
		);
	}
}

export { CREDITS_TIMEOUT_MS, headerOf, JOB_READ_TIMEOUT_MS };
