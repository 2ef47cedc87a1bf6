/**
 * The one place where Segmind's HTTP failures become n8n errors a person can act on.
 *
 * Statuses and meanings follow the seed's error table, refined by how Segmind really uses them
 * (shared/CONTRACT.md): 406 means several things, told apart by Segmind's message.
 */
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { DEFAULT_STORAGE_UPLOAD_URL, REQUEST_RECORD_LIFETIME } from './contract';

type Explanation = { meaning: string; whatToDo: string };

const STATUS_EXPLANATIONS: Record<number, Explanation> = {
	400: {
		meaning: 'Bad Request: Segmind rejected the parameters or the request format',
		whatToDo: "Check the fields named in Segmind's message, then run the node again.",
	},
	401: {
		meaning: 'Unauthorized: the API key is missing or invalid',
		whatToDo:
			'Check the API Key in the "Segmind Pixverse API" credential (keys look like SG_ followed by 16 characters) and that it has not expired.',
	},
	403: {
		meaning: 'Forbidden: this Segmind account or team may not use the Pixverse model',
		whatToDo: 'Ask your Segmind team admin to allow the model; retrying will not help.',
	},
	404: {
		meaning: 'Not Found: Segmind does not know this model or endpoint',
		whatToDo: 'Check the Base URL in the credential (normally https://api.segmind.com).',
	},
	406: {
		meaning: 'Not Acceptable: Segmind refused the request',
		whatToDo: "Read Segmind's message: it names the value or limit that was refused.",
	},
	410: {
		meaning: 'Gone: Segmind has retired this model',
		whatToDo: "Check Segmind's model list for its successor.",
	},
	429: {
		meaning: 'Rate Limited: too many requests to Segmind at once',
		whatToDo:
			'Send fewer items at once: lower Options > Max Concurrent Requests, or raise Rate Limit Retries. Free accounts allow 5 requests per minute, Pro 50.',
	},
	500: {
		meaning: "Server Error: the generation failed on Segmind's side",
		whatToDo:
			'This is often an image or prompt the model could not handle: try another image or prompt. Failed generations are not billed.',
	},
	502: {
		meaning: 'Bad Gateway: Segmind is temporarily unavailable',
		whatToDo:
			'Try again in a few minutes. Check your Segmind usage first: a generation may have been billed.',
	},
	504: {
		meaning: 'Timeout: Segmind timed out before the video was ready',
		whatToDo:
			'Try again later or at a lower quality. Check your Segmind usage first: a generation may have been billed.',
	},
};

/** 406 covers several refusals; Segmind's message tells which one it was. */
function explain406(segmindMessage: string): Explanation {
	if (/credit|balance/i.test(segmindMessage)) {
		return {
			meaning: 'Insufficient Credits: your Segmind balance is below the cost of this video',
			whatToDo:
				'Top up credits in the Segmind console (Billing), then run the node again. Nothing was billed.',
		};
	}
	if (/content.?type/i.test(segmindMessage)) {
		return {
			meaning: "Not Acceptable: Segmind did not accept the request's content type",
			whatToDo:
				'A proxy between n8n and Segmind may be changing the request: check the Base URL in the credential.',
		};
	}
	if (/spend|limit/i.test(segmindMessage)) {
		return {
			meaning: "Not Acceptable: your Segmind team's spend limit was reached",
			whatToDo: 'Ask your Segmind team admin to raise the spend limit.',
		};
	}
	return STATUS_EXPLANATIONS[406];
}

/**
 * What Segmind was asked: a generation (one request or a queue submit), a queued job's status or
 * result, the balance, or an image upload to Segmind Storage. A 404 or 422 means something
 * different for each.
 */
export type SegmindCall =
	| { kind: 'generation' }
	| { kind: 'submit' }
	| { kind: 'queuedJob'; requestId: string }
	| { kind: 'credits' }
	| { kind: 'upload' };

/**
 * Segmind Storage, where a binary image is uploaded before the generation: the same statuses
 * with an upload's meanings. Nothing was generated when an upload fails, so nothing was billed.
 */
const UPLOAD_EXPLANATIONS: Record<number, Explanation> = {
	400: {
		meaning: 'Bad Request: Segmind Storage refused the image',
		whatToDo: 'Check that the binary field holds a png, webp or jpeg image.',
	},
	401: STATUS_EXPLANATIONS[401],
	403: {
		meaning: 'Forbidden: this Segmind account may not upload to Segmind Storage',
		whatToDo: 'Ask your Segmind team admin; retrying will not help.',
	},
	404: {
		meaning: 'Not Found: there is no upload endpoint at this address',
		whatToDo: `Check the Storage Upload URL in the credential (normally ${DEFAULT_STORAGE_UPLOAD_URL}).`,
	},
	413: {
		meaning: 'Payload Too Large: Segmind Storage refused an image this big',
		whatToDo: 'Send a smaller image, or host it yourself and use Image Source: URL.',
	},
	429: {
		meaning: 'Rate Limited: too many uploads to Segmind Storage at once',
		whatToDo: 'Lower Options > Max Concurrent Requests, or split the batch across runs.',
	},
};
const UPLOAD_SERVER_ERROR: Explanation = {
	meaning: 'Server Error: Segmind Storage could not store the image',
	whatToDo: 'Try again in a few minutes.',
};
const NOTHING_GENERATED = 'Nothing was generated, so no credits were used.';

function explainForCall(status: number, call: SegmindCall): Explanation | undefined {
	if (call.kind === 'upload') {
		return UPLOAD_EXPLANATIONS[status] ?? (status >= 500 ? UPLOAD_SERVER_ERROR : undefined);
	}
	if (call.kind !== 'queuedJob') return undefined;
	if (status === 404) {
		return {
			meaning: `Segmind has no request ${call.requestId}: the ID is wrong or has expired`,
			whatToDo: `Segmind keeps request records for ${REQUEST_RECORD_LIFETIME}; after that the result can no longer be fetched by ID. Check that the Request ID came from this Segmind account.`,
		};
	}
	if (status === 422) {
		return {
			meaning: `Segmind could not make the video (request ${call.requestId} failed)`,
			whatToDo:
				"Failed jobs are not billed. Segmind's reason usually points at the image or the prompt: change it and generate again.",
		};
	}
	// A read that fails says nothing about the job: it must not read as "the generation failed",
	// which would invite generating (and paying for) it again.
	if (status >= 500) {
		return {
			meaning: `Server Error: Segmind could not answer about request ${call.requestId}`,
			whatToDo: `The job itself goes on at Segmind: do not generate it again. Fetch it later with the operation Get Result and Request ID ${call.requestId}.`,
		};
	}
	return undefined;
}

function explainStatus(status: number, segmindMessage: string, call: SegmindCall): Explanation {
	const forCall = explainForCall(status, call);
	if (forCall) return forCall;
	if (status === 406) return explain406(segmindMessage);
	if (STATUS_EXPLANATIONS[status]) return STATUS_EXPLANATIONS[status];
	if (status >= 500) return STATUS_EXPLANATIONS[500];
	return {
		meaning: `Segmind answered with HTTP status ${status}`,
		whatToDo: "Read Segmind's message below.",
	};
}

export function bodyAsText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
	if (typeof body === 'string') return body;
	return JSON.stringify(body);
}

/**
 * A streamed answer body as n8n hands it over (a Node.js Readable), described by what is used
 * of it: community nodes may not import Node's modules, not even for types.
 */
export type StreamedBody = AsyncIterable<Uint8Array | string> & {
	pipe: (...args: never[]) => unknown;
};

export function isReadable(body: unknown): body is StreamedBody {
	return typeof (body as StreamedBody | undefined)?.pipe === 'function';
}

/** A body in full: streams are read to the end (a cut-off stream rejects). */
export async function wholeBody(body: unknown): Promise<Buffer> {
	if (!isReadable(body)) {
		return Buffer.isBuffer(body) ? body : Buffer.from(bodyAsText(body), 'utf8');
	}
	const chunks: Buffer[] = [];
	for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
	return Buffer.concat(chunks);
}

export function parseJsonObject(text: string): IDataObject | undefined {
	try {
		const parsed: unknown = JSON.parse(text);
		return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
			? (parsed as IDataObject)
			: undefined;
	} catch {
		return undefined;
	}
}

const MAX_MESSAGE_LENGTH = 500;

/** Segmind answers `{"error": "..."}`; some gateways answer HTML or plain text. */
export function segmindMessageFrom(body: unknown): string {
	const text = bodyAsText(body);
	const json = parseJsonObject(text);
	const fromJson = json && (json.error ?? json.message ?? json.detail ?? json.errors);
	const message =
		fromJson !== undefined
			? typeof fromJson === 'string'
				? fromJson
				: JSON.stringify(fromJson)
			: text
					.replace(/<[^>]*>/g, ' ')
					.replace(/\s+/g, ' ')
					.trim();
	return message.length > MAX_MESSAGE_LENGTH
		? `${message.slice(0, MAX_MESSAGE_LENGTH)}...`
		: message;
}

/** Never let the API key travel into an error, even when a server echoes it back. */
export function redactSecret(text: string, secret: string | undefined) {
	if (!secret || secret.length < 4) return text;
	return text.split(secret).join('[redacted]');
}

export async function apiKeyOf(context: IExecuteSingleFunctions) {
	try {
		const credentials = await context.getCredentials('segmindPixverseApi');
		return typeof credentials.apiKey === 'string' ? credentials.apiKey : undefined;
	} catch {
		return undefined;
	}
}

export function isSuccessStatus(statusCode: number) {
	return statusCode >= 200 && statusCode < 300;
}

/**
 * A non-2xx answer as a NodeApiError: the status and its plain meaning in the message, Segmind's
 * own words and what to do in the description.
 */
export async function segmindFailure(
	context: IExecuteSingleFunctions,
	response: IN8nHttpFullResponse,
	call: SegmindCall,
): Promise<NodeApiError> {
	const { statusCode } = response;
	const apiKey = await apiKeyOf(context);
	// A streamed answer (Single Request asks for one) is read whole for Segmind's message.
	const body = await wholeBody(response.body).catch(() => Buffer.alloc(0));
	const segmindMessage = redactSecret(segmindMessageFrom(body), apiKey);
	const { meaning, whatToDo } = explainStatus(statusCode, segmindMessage, call);
	const said = segmindMessage ? ` Segmind says: "${segmindMessage}".` : '';
	// A failed upload stops the item before its generation.
	const upload = call.kind === 'upload';
	const error = new NodeApiError(
		context.getNode(),
		{ message: segmindMessage, httpCode: String(statusCode) } as JsonObject,
		{
			message: `Segmind${upload ? ' Storage' : ''} error ${statusCode}, ${meaning}`,
			description: `${said.trim()} ${whatToDo}${upload ? ` ${NOTHING_GENERATED}` : ''}`.trim(),
			httpCode: String(statusCode),
			itemIndex: context.getItemIndex(),
		},
	);
	const retryAfterMs = retryAfterMsOf(response);
	if (retryAfterMs !== undefined) error.context.retryAfterMs = retryAfterMs;
	return error;
}

/** postReceive guard: a failed generation or balance call stops here with a clear error. */
export async function throwIfSegmindFailed(
	this: IExecuteSingleFunctions,
	response: IN8nHttpFullResponse,
	call: SegmindCall = { kind: 'generation' },
): Promise<void> {
	if (isSuccessStatus(response.statusCode)) return;
	throw await segmindFailure(this, response, call);
}

/**
 * How long Segmind asks us to wait after a 429: `Retry-After` (seconds or an HTTP date) or
 * Segmind's own `x-rate-limit-reset-at-utc`.
 */
function retryAfterMsOf(response: IN8nHttpFullResponse): number | undefined {
	const headers = (response.headers ?? {}) as IDataObject;
	const retryAfter = headers['retry-after'];
	if (retryAfter !== undefined && String(retryAfter).trim() !== '') {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
		const date = Date.parse(String(retryAfter));
		if (Number.isFinite(date)) return Math.max(0, date - Date.now());
	}
	const resetAt = headers['x-rate-limit-reset-at-utc'];
	if (resetAt !== undefined) {
		const date = Date.parse(String(resetAt));
		if (Number.isFinite(date)) return Math.max(0, date - Date.now());
	}
	return undefined;
}

/**
 * Network codes in words. The codes themselves must stay out of our messages: NodeApiError
 * swaps any message naming one for a generic sentence (one even recommends "Retry On Fail").
 */
const CODE_IN_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'DNS lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ECONNRESET: 'connection reset',
	EPIPE: 'connection broken',
	ERR_STREAM_PREMATURE_CLOSE: 'connection closed early',
};
const inWords = (code: string) => CODE_IN_WORDS[code] ?? 'connection failed';

/** Failures where nothing reached Segmind: nothing can have been billed. */
const NOT_SENT_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];
const TIMEOUT_CODES = ['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT'];
const DROPPED_CODES = ['ECONNRESET', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE'];

/**
 * What a failure means for money. `serverError`: Segmind answered 5xx, so it did not hand back a
 * video; on the one-request endpoint the job may still have run and been billed, on a queue
 * submit nothing was queued. `interrupted`: a timeout or dropped connection, where nobody can tell
 * whether Segmind accepted the job.
 */
export type FailureKind = 'rateLimited' | 'notSent' | 'serverError' | 'interrupted' | 'final';

export function failureKindOf(error: unknown): FailureKind {
	const httpCode = String((error as { httpCode?: unknown })?.httpCode ?? '');
	const message = String((error as Error)?.message ?? '');
	if (httpCode === '429') return 'rateLimited';
	if (NOT_SENT_CODES.includes(httpCode)) return 'notSent';
	if (/^5\d\d$/.test(httpCode)) return 'serverError';
	if (TIMEOUT_CODES.includes(httpCode) || DROPPED_CODES.includes(httpCode)) return 'interrupted';
	if (/aborted|socket hang up|timeout/i.test(message)) return 'interrupted';
	return 'final';
}

type TransportWording = {
	unreachable: string;
	timeout: string;
	dropped: string;
	incomplete: string;
	/** What a failure after the request went out means for billing, and what to do. */
	consequence: string;
	notSent: string;
};

const CHECK_USAGE = 'Check your Segmind usage before running the item again.';
const NOTHING_SENT =
	'Nothing was sent, so nothing was billed. Check the Base URL in the credential, and that this n8n can reach it (network, proxy, DNS).';

function transportWording(call: SegmindCall, timeoutSeconds: number): TransportWording {
	if (call.kind === 'queuedJob') {
		const jobGoesOn = `The job itself goes on at Segmind and nothing more is billed: fetch it with the operation Get Result and Request ID ${call.requestId}.`;
		return {
			unreachable: 'Could not reach Segmind at',
			timeout: `No answer from Segmind within ${timeoutSeconds} s while checking request ${call.requestId}`,
			dropped: 'The connection to Segmind dropped before the answer arrived',
			incomplete: 'The answer from Segmind arrived incomplete: the connection closed mid-download',
			consequence: jobGoesOn,
			notSent: `${jobGoesOn} Check that this n8n can reach the Base URL in the credential.`,
		};
	}
	if (call.kind === 'upload') {
		const storageUrl = `${NOTHING_GENERATED} Check the Storage Upload URL in the credential, and that this n8n can reach it (network, proxy, DNS).`;
		return {
			unreachable: 'Could not upload the image to Segmind Storage at',
			timeout: `Segmind Storage did not answer the image upload within ${timeoutSeconds} s`,
			dropped: 'The connection to Segmind Storage dropped during the image upload',
			incomplete: "Segmind Storage's answer to the image upload arrived incomplete",
			consequence: storageUrl,
			notSent: storageUrl,
		};
	}
	if (call.kind === 'submit') {
		return {
			unreachable: 'Could not reach Segmind at',
			timeout: `No answer from Segmind within ${timeoutSeconds} s to the submit`,
			dropped: 'The connection to Segmind dropped before the submit was answered',
			incomplete: 'The answer to the submit arrived incomplete: the connection closed mid-download',
			consequence: `The job may have been queued, and may be billed, without its request ID reaching n8n, so it was not submitted again. ${CHECK_USAGE}`,
			notSent: NOTHING_SENT,
		};
	}
	return {
		unreachable: 'Could not reach Segmind at',
		timeout: `No answer from Segmind within ${timeoutSeconds} s (the node's Timeout option)`,
		dropped: 'The connection to Segmind dropped before the video arrived',
		incomplete: 'The video from Segmind arrived incomplete: the connection closed mid-download',
		consequence: `A generation may have started and been billed. ${CHECK_USAGE} The mode Wait for Video cannot lose a video this way.`,
		notSent: NOTHING_SENT,
	};
}

/**
 * Rewrites transport failures (no HTTP status to map) into words about what happened and what
 * it means for billing, which depends on what was being sent. Errors that already say it
 * (statuses, validation) pass unchanged.
 */
export function explainTransportFailure(
	node: INode,
	error: unknown,
	{
		baseUrl,
		timeoutMs,
		itemIndex,
		call,
	}: { baseUrl: string; timeoutMs: number; itemIndex: number; call: SegmindCall },
): unknown {
	// Errors this module already wrote (statuses, unusable answers) say what to do.
	if (!(error instanceof NodeApiError) || error.message.startsWith('Segmind')) return error;
	const code = String(error.httpCode ?? '');
	const wording = transportWording(call, Math.round(timeoutMs / 1000));
	let message: string;
	let description = wording.consequence;
	if (NOT_SENT_CODES.includes(code)) {
		message = `${wording.unreachable} ${baseUrl} (${inWords(code)})`;
		description = wording.notSent;
	} else if (TIMEOUT_CODES.includes(code) || /timeout/i.test(error.message)) {
		message = wording.timeout;
	} else if (DROPPED_CODES.includes(code) || /socket hang up/i.test(error.message)) {
		message = `${wording.dropped} (${inWords(code || 'ECONNRESET')})`;
	} else if (/aborted/i.test(error.message)) {
		message = wording.incomplete;
	} else {
		return error;
	}
	// No httpCode here: NodeApiError replaces the message of errors carrying a network code
	// (ECONNREFUSED...) with its own generic wording, which says nothing about billing.
	return new NodeApiError(node, { message: error.message } as JsonObject, {
		message,
		description,
		itemIndex,
	});
}

/**
 * A body that stopped before its end while it was being stored. It carries the word the
 * transport explanations and the retry rules know ("aborted"), so it is worded and retried like a
 * download cut off by the HTTP client itself.
 */
export function cutOffAnswer(node: INode, cause: unknown): NodeApiError {
	const detail = String((cause as Error)?.message ?? cause);
	return new NodeApiError(node, { message: `aborted: ${detail}` } as JsonObject, {
		message: `aborted: ${detail}`,
	});
}

/** A 2xx answer that does not hold a video: no status to report, Segmind's words if any. */
export async function throwUnusableAnswer(
	this: IExecuteSingleFunctions,
	what: string,
	details: string,
): Promise<never> {
	const apiKey = await apiKeyOf(this);
	throw new NodeOperationError(this.getNode(), `Segmind answered without a video: ${what}`, {
		description: redactSecret(details, apiKey),
		itemIndex: this.getItemIndex(),
	});
}
