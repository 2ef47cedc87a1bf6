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

import { DEFAULT_STORAGE_UPLOAD_URL } from './contract';

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

function explainStatus(status: number, segmindMessage: string): Explanation {
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

async function apiKeyOf(context: IExecuteSingleFunctions) {
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
 * Turns a non-2xx answer into a NodeApiError: the status and its plain meaning in the message,
 * Segmind's own words and what to do in the description.
 */
export async function throwIfSegmindFailed(
	this: IExecuteSingleFunctions,
	response: IN8nHttpFullResponse,
): Promise<void> {
	const { statusCode } = response;
	if (isSuccessStatus(statusCode)) return;
	const apiKey = await apiKeyOf(this);
	const segmindMessage = redactSecret(segmindMessageFrom(response.body), apiKey);
	const { meaning, whatToDo } = explainStatus(statusCode, segmindMessage);
	const said = segmindMessage ? ` Segmind says: "${segmindMessage}".` : '';
	const error = new NodeApiError(
		this.getNode(),
		{ message: segmindMessage, httpCode: String(statusCode) } as JsonObject,
		{
			message: `Segmind error ${statusCode}, ${meaning}`,
			description: `${said.trim()} ${whatToDo}`.trim(),
			httpCode: String(statusCode),
			itemIndex: this.getItemIndex(),
		},
	);
	const retryAfterMs = retryAfterMsOf(response);
	if (retryAfterMs !== undefined) error.context.retryAfterMs = retryAfterMs;
	throw error;
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

export type FailureKind = 'rateLimited' | 'notSent' | 'mayHaveBilled' | 'final';

/** What a failure means for money: may a retry bill the same video twice? */
export function failureKindOf(error: unknown): FailureKind {
	const httpCode = String((error as { httpCode?: unknown })?.httpCode ?? '');
	const message = String((error as Error)?.message ?? '');
	if (httpCode === '429') return 'rateLimited';
	if (NOT_SENT_CODES.includes(httpCode)) return 'notSent';
	if (
		/^5\d\d$/.test(httpCode) ||
		TIMEOUT_CODES.includes(httpCode) ||
		DROPPED_CODES.includes(httpCode)
	) {
		return 'mayHaveBilled';
	}
	if (/aborted|socket hang up|timeout/i.test(message)) return 'mayHaveBilled';
	return 'final';
}

/**
 * Rewrites transport failures (no HTTP status to map) into words about what happened and what
 * it means for billing. Errors that already say it (statuses, validation) pass unchanged.
 */
export function explainTransportFailure(
	node: INode,
	error: unknown,
	{ baseUrl, timeoutMs, itemIndex }: { baseUrl: string; timeoutMs: number; itemIndex: number },
): unknown {
	// Errors this module already wrote (statuses, unusable answers) say what to do.
	if (!(error instanceof NodeApiError) || error.message.startsWith('Segmind')) return error;
	const code = String(error.httpCode ?? '');
	const checkUsage = 'Check your Segmind usage before running the item again.';
	let message: string;
	let description: string;
	if (NOT_SENT_CODES.includes(code)) {
		message = `Could not reach Segmind at ${baseUrl} (${inWords(code)})`;
		description =
			'Nothing was sent, so nothing was billed. Check the Base URL in the credential, and that this n8n can reach it (network, proxy, DNS).';
	} else if (TIMEOUT_CODES.includes(code) || /timeout/i.test(error.message)) {
		message = `No answer from Segmind within ${Math.round(timeoutMs / 1000)} s (the node's Timeout option)`;
		description = `The generation may still finish on Segmind and be billed. ${checkUsage} Raise Timeout (Seconds) under Options for long generations.`;
	} else if (DROPPED_CODES.includes(code) || /socket hang up/i.test(error.message)) {
		message = `The connection to Segmind dropped before the video arrived (${inWords(code || 'ECONNRESET')})`;
		description = `A generation may have started and been billed. ${checkUsage}`;
	} else if (/aborted/i.test(error.message)) {
		message = 'The video from Segmind arrived incomplete: the connection closed mid-download';
		description = `The generation most likely finished and was billed. ${checkUsage}`;
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

export async function throwIfUploadFailed(
	this: IExecuteSingleFunctions,
	response: IN8nHttpFullResponse,
): Promise<void> {
	const { statusCode } = response;
	if (isSuccessStatus(statusCode)) return;
	const segmindMessage = redactSecret(segmindMessageFrom(response.body), await apiKeyOf(this));
	const { meaning, whatToDo } =
		UPLOAD_EXPLANATIONS[statusCode] ??
		(statusCode >= 500 ? UPLOAD_SERVER_ERROR : explainStatus(statusCode, segmindMessage));
	const said = segmindMessage ? `Segmind says: "${segmindMessage}". ` : '';
	throw new NodeApiError(
		this.getNode(),
		{ message: segmindMessage, httpCode: String(statusCode) } as JsonObject,
		{
			message: `Segmind Storage error ${statusCode}, ${meaning}`,
			description: `${said}${whatToDo} ${NOTHING_GENERATED}`,
			httpCode: String(statusCode),
			itemIndex: this.getItemIndex(),
		},
	);
}

/** An upload that got no HTTP answer, in words; the original error (it holds the request) stays out. */
export function explainUploadTransportFailure(
	node: INode,
	error: unknown,
	{ url, timeoutMs, itemIndex }: { url: string; timeoutMs: number; itemIndex: number },
) {
	const code = String((error as { httpCode?: unknown })?.httpCode ?? '');
	const timedOut =
		TIMEOUT_CODES.includes(code) || /timeout/i.test(String((error as Error)?.message));
	const message = timedOut
		? `Segmind Storage did not answer the image upload within ${Math.round(timeoutMs / 1000)} s`
		: `Could not upload the image to Segmind Storage at ${url} (${inWords(code)})`;
	return new NodeApiError(node, { message } as JsonObject, {
		message,
		description: `${NOTHING_GENERATED} Check the Storage Upload URL in the credential, and that this n8n can reach it (network, proxy, DNS).`,
		itemIndex,
	});
}
