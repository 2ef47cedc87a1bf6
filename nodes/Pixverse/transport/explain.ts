/**
 * Segmind's failures in plain words: what happened, what it means for money (./billing.ts) and
 * what to do. Statuses follow the seed's error table, refined by how Segmind really uses them
 * (shared/CONTRACT.md): 406 means several things, told apart by Segmind's message.
 */
import type { IDataObject, IN8nHttpFullResponse, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { moneyWords, outcomeOf } from './billing';
import {
	failureOf,
	kindOfNetworkError,
	kindOfStatus,
	networkCodeOf,
	withFailure,
	type CallKind,
	type FailureKind,
} from './failures';

export const DEFAULT_STORAGE_UPLOAD_URL = 'https://workflows-api.segmind.com/upload-asset';
/** Segmind keeps request records about an hour, and finished files seven days. */
export const REQUEST_RECORD_LIFETIME = 'about an hour';

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
		meaning: 'Forbidden: this Segmind account or team may not use this model',
		whatToDo: 'Ask your Segmind team admin to allow the model; retrying will not help.',
	},
	404: {
		meaning: 'Not Found: Segmind does not know this model or endpoint',
		whatToDo:
			'Check the Base URL in the credential (normally https://api.segmind.com); the model may have been withdrawn.',
	},
	406: {
		meaning: 'Not Acceptable: Segmind refused the request',
		whatToDo: "Read Segmind's message: it names the value or limit that was refused.",
	},
	410: {
		meaning: 'Gone: Segmind has retired this model',
		whatToDo: "Pick another model, or check Segmind's model list for its successor.",
	},
	429: {
		meaning: 'Rate Limited: too many requests to Segmind at once',
		whatToDo:
			'Send fewer items at once: lower Options > Max Concurrent Requests, or raise Rate Limit Retries. Free accounts allow 5 requests per minute, Pro 50.',
	},
	500: {
		meaning: 'Server Error: Segmind could not make the video',
		whatToDo:
			'This is often an image or prompt the model could not handle: try another image or prompt.',
	},
	502: {
		meaning: 'Bad Gateway: Segmind is temporarily unavailable',
		whatToDo: 'Try again in a few minutes.',
	},
	504: {
		meaning: 'Timeout: the gateway in front of Segmind gave up waiting',
		whatToDo: 'Try again later or at a lower quality.',
	},
};

/** 406 covers several refusals; Segmind's message tells which one it was. */
function explain406(segmindMessage: string): Explanation {
	if (/credit|balance/i.test(segmindMessage)) {
		return {
			meaning: 'Insufficient Credits: your Segmind balance is below the cost of this video',
			whatToDo: 'Top up credits in the Segmind console (Billing), then run the node again.',
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

/** Segmind Storage answers the same statuses with an upload's meanings. */
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
		whatToDo: 'Send a smaller image, or host it yourself and give its URL.',
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

function explainJobRead(status: number, requestId: string): Explanation | undefined {
	if (status === 404) {
		return {
			meaning: `Segmind has no request ${requestId}: the ID is wrong or has expired`,
			whatToDo: `Segmind keeps request records for ${REQUEST_RECORD_LIFETIME}; after that the result can no longer be fetched by ID. Check that the Request ID came from this Segmind account.`,
		};
	}
	if (status === 422) {
		return {
			meaning: `Segmind could not make the video (request ${requestId} failed)`,
			whatToDo:
				"Failed jobs are not billed. Segmind's reason usually points at the input or the prompt: change it and generate again.",
		};
	}
	// A read that fails says nothing about the job: it must not read as "the generation failed",
	// which would invite generating (and paying for) it again.
	if (status >= 500) {
		return {
			meaning: `Server Error: Segmind could not answer about request ${requestId}`,
			whatToDo: '',
		};
	}
	return undefined;
}

function explainDownload(status: number, requestId: string | undefined): Explanation {
	return {
		meaning: `${status >= 500 ? 'Server Error' : 'Refused'}: Segmind's media host could not send the video${requestId ? ` of request ${requestId}` : ''}`,
		whatToDo: '',
	};
}

function explainStatus(
	status: number,
	segmindMessage: string,
	call: CallKind,
	requestId: string | undefined,
): Explanation {
	const special =
		call === 'upload'
			? (UPLOAD_EXPLANATIONS[status] ?? (status >= 500 ? UPLOAD_SERVER_ERROR : undefined))
			: call === 'download'
				? explainDownload(status, requestId)
				: call === 'jobRead' && requestId
					? explainJobRead(status, requestId)
					: undefined;
	if (special) return special;
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

/**
 * The error with the API key taken out of every text a person or a log can see: its message,
 * description, Segmind's own words it carries, and the messages n8n collected.
 */
export function redacted(error: unknown, secret: string | undefined): unknown {
	if (!secret || secret.length < 4 || !(error instanceof Error)) return error;
	const texts = error as Error & {
		description?: string;
		messages?: string[];
		errorResponse?: { message?: unknown };
	};
	texts.message = redactSecret(texts.message, secret);
	if (typeof texts.description === 'string') {
		texts.description = redactSecret(texts.description, secret);
	}
	if (Array.isArray(texts.messages)) {
		texts.messages = texts.messages.map((message) => redactSecret(String(message), secret));
	}
	if (typeof texts.errorResponse?.message === 'string') {
		texts.errorResponse.message = redactSecret(texts.errorResponse.message, secret);
	}
	return error;
}

export type FailureContext = {
	node: INode;
	itemIndex: number;
	call: CallKind;
	/** The queued job concerned, when there is one: every message after a submit names it. */
	requestId?: string;
	apiKey?: string;
};

function describe(parts: Array<string | undefined>) {
	return parts
		.filter((part) => part)
		.join(' ')
		.trim();
}

/**
 * A non-2xx answer: the status and its plain meaning in the message; Segmind's own words, what
 * to do and what it means for money in the description.
 */
export function statusFailure(
	at: FailureContext,
	response: IN8nHttpFullResponse,
	body: Buffer,
	retryAfterMs: number | undefined,
): NodeApiError {
	const { statusCode } = response;
	const kind = kindOfStatus(statusCode, at.call);
	const segmindMessage = redactSecret(segmindMessageFrom(body), at.apiKey);
	const { meaning, whatToDo } = explainStatus(statusCode, segmindMessage, at.call, at.requestId);
	const who = at.call === 'upload' ? 'Segmind Storage' : 'Segmind';
	const error = new NodeApiError(
		at.node,
		{ message: segmindMessage, httpCode: String(statusCode) } as JsonObject,
		{
			message: `${who} error ${statusCode}, ${meaning}`,
			description: describe([
				segmindMessage ? `Segmind says: "${segmindMessage}".` : undefined,
				whatToDo,
				moneyWords(outcomeOf(at.call, kind), at.requestId),
			]),
			httpCode: String(statusCode),
			itemIndex: at.itemIndex,
		},
	);
	return withFailure(error, { kind, call: at.call, retryAfterMs });
}

/**
 * Network codes in words. The codes themselves stay out of our messages: NodeApiError swaps any
 * message naming one for a generic sentence (one even recommends "Retry On Fail").
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

/** What a failure with no status was, in the words of the call it interrupted. */
function networkWording(kind: FailureKind, at: FailureContext, where: string, seconds: number) {
	const subject = at.call === 'upload' ? 'Segmind Storage' : 'Segmind';
	const job = at.requestId ? ` while checking request ${at.requestId}` : '';
	switch (kind) {
		case 'notSent':
			return at.call === 'upload'
				? `Could not upload the image to Segmind Storage at ${where}`
				: `Could not reach ${subject} at ${where}`;
		case 'noAnswer':
			if (at.call === 'generation')
				return `No answer from Segmind within ${seconds} s (the node's Timeout option)`;
			if (at.call === 'submit') return `No answer from Segmind within ${seconds} s to the submit`;
			if (at.call === 'upload')
				return `Segmind Storage did not answer the image upload within ${seconds} s`;
			return `No answer from ${subject} within ${seconds} s${job}`;
		case 'dropped':
			if (at.call === 'submit')
				return 'The connection to Segmind dropped before the submit was answered';
			if (at.call === 'upload')
				return 'The connection to Segmind Storage dropped during the image upload';
			if (at.call === 'generation')
				return 'The connection to Segmind dropped before the video arrived';
			return `The connection to ${subject} dropped before the answer arrived`;
		default:
			if (at.call === 'generation' || at.call === 'download')
				return 'The video from Segmind arrived incomplete: the connection closed mid-download';
			if (at.call === 'submit')
				return 'The answer to the submit arrived incomplete: the connection closed mid-download';
			return `The answer from ${subject} arrived incomplete: the connection closed mid-download`;
	}
}

function whatToDoAfterNetwork(kind: FailureKind, at: FailureContext) {
	if (kind === 'notSent' && at.call !== 'jobRead') {
		return at.call === 'upload'
			? 'Check the Storage Upload URL in the credential, and that this n8n can reach it (network, proxy, DNS).'
			: 'Nothing was sent. Check the Base URL in the credential, and that this n8n can reach it (network, proxy, DNS).';
	}
	if (at.call === 'submit' && kind !== 'notSent') {
		return 'The job may have been queued without its request ID reaching n8n, so it was not submitted again.';
	}
	if (at.call === 'generation' && kind !== 'notSent') {
		return 'The mode Wait for Video cannot lose a video this way.';
	}
	return '';
}

/**
 * A failure where no status came back (a network code), or undefined when the error is not one:
 * errors that already say what to do pass as they are.
 */
export function networkFailure(
	at: FailureContext,
	error: unknown,
	where: string,
	timeoutMs: number,
): NodeApiError | undefined {
	const kind = kindOfNetworkError(error);
	if (!kind) return undefined;
	return transportFailure(at, kind, where, timeoutMs, networkCodeOf(error), error);
}

/** The answer began but stopped before its end: observed while it was being read or stored. */
export function cutOffFailure(at: FailureContext, where: string, cause: unknown): NodeApiError {
	return transportFailure(at, 'cutOff', where, 0, '', cause);
}

function transportFailure(
	at: FailureContext,
	kind: FailureKind,
	where: string,
	timeoutMs: number,
	code: string,
	cause: unknown,
) {
	let message = networkWording(kind, at, where, Math.round(timeoutMs / 1000));
	if (CODE_IN_WORDS[code] && kind !== 'noAnswer') message += ` (${CODE_IN_WORDS[code]})`;
	// No httpCode here: NodeApiError replaces the message of errors carrying a network code with
	// its own generic wording, which says nothing about billing.
	const detail = redactSecret(String((cause as Error)?.message ?? cause), at.apiKey);
	const error = new NodeApiError(at.node, { message: detail } as JsonObject, {
		message,
		description: describe([
			whatToDoAfterNetwork(kind, at),
			moneyWords(outcomeOf(at.call, kind), at.requestId),
		]),
		itemIndex: at.itemIndex,
	});
	return withFailure(error, { kind, call: at.call });
}

/** A success status with nothing usable in it; `message` says what was missing. */
export function unusableAnswer(at: FailureContext, message: string, details: string) {
	const error = new NodeOperationError(at.node, message, {
		description: describe([
			redactSecret(details, at.apiKey),
			moneyWords(outcomeOf(at.call, 'unusableAnswer'), at.requestId),
		]),
		itemIndex: at.itemIndex,
	});
	return withFailure(error, { kind: 'unusableAnswer', call: at.call });
}

/** Adds how often a call was tried to the error that ends it. */
export function withAttemptCount(error: unknown, attempts: number) {
	if (attempts > 1 && error instanceof Error) {
		const described = error as Error & { description?: string };
		described.description = `${described.description ?? ''} (Tried ${attempts} times.)`.trim();
	}
	return error;
}

const STOPPED_AT_DEADLINE =
	"The node stopped waiting so that the item can leave before n8n's execution time limit.";

/** What an item waited for when its deadline came: the account's pace, or a slot of its run. */
export type AwaitedTurn = 'accountPace' | 'runSlot';

const WHY_IT_WAITED: Record<AwaitedTurn, string> = {
	accountPace:
		"Segmind answered 429 (too many requests) to this account, so every request to it from this n8n waits for Segmind's reset time and then goes at the pace Segmind accepts.",
	runSlot:
		"The node's other items held every one of its request slots (Options > Max Concurrent Requests).",
};

/**
 * The failure a wait ends with when it would have ended after the item's deadline: the last
 * failure the call met (its retry would have come too late), marked; or, when the item never got
 * its turn to send, a rate-limited failure of its own (nothing was sent for it).
 */
export function stoppedAtDeadline(
	at: FailureContext,
	lastFailure: unknown,
	awaited: AwaitedTurn,
): Error {
	const failure = failureOf(lastFailure);
	if (lastFailure instanceof Error && failure) {
		const described = lastFailure as Error & { description?: string };
		described.description = describe([STOPPED_AT_DEADLINE, described.description]);
		return withFailure(lastFailure, { ...failure, deadlineReached: true });
	}
	const error = new NodeOperationError(
		at.node,
		"Stopped waiting for a turn to send: the item's turn would have come after its deadline",
		{
			description: describe([
				WHY_IT_WAITED[awaited],
				STOPPED_AT_DEADLINE,
				`This request was not sent. ${moneyWords(outcomeOf(at.call, 'rateLimited'), at.requestId)}`,
			]),
			itemIndex: at.itemIndex,
		},
	);
	return withFailure(error, { kind: 'rateLimited', call: at.call, deadlineReached: true });
}
