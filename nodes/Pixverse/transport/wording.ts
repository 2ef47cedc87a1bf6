/**
 * Segmind's failures in plain words: what each status means for each kind of call and what to do
 * (statuses as the error table of Segmind's model pages gives them, refined by how Segmind really
 * uses them: docs/segmind-api.md, "Errors"), and what a network failure was. What a failure
 * means for money is the billing table's (./billing.ts); ./failures.ts puts the words together.
 */
import { DEFAULT_STORAGE_UPLOAD_URL } from './credential';
import type { CallKind, CallContext, FailureKind } from './failures';

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

export function explainStatus(
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

/**
 * Network codes in words. The codes themselves stay out of our messages: NodeApiError swaps any
 * message naming one for a generic sentence (one even recommends "Retry On Fail").
 */
export const CODE_IN_WORDS: Record<string, string> = {
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
export function networkWording(
	kind: FailureKind,
	callContext: CallContext,
	where: string,
	seconds: number,
) {
	const subject = callContext.call === 'upload' ? 'Segmind Storage' : 'Segmind';
	const job = callContext.requestId ? ` while checking request ${callContext.requestId}` : '';
	switch (kind) {
		case 'notSent':
			return callContext.call === 'upload'
				? `Could not upload the image to Segmind Storage at ${where}`
				: `Could not reach ${subject} at ${where}`;
		case 'noAnswer':
			if (callContext.call === 'generation')
				return `No answer from Segmind within ${seconds} s (the node's Timeout option)`;
			if (callContext.call === 'submit')
				return `No answer from Segmind within ${seconds} s to the submit`;
			if (callContext.call === 'upload')
				return `Segmind Storage did not answer the image upload within ${seconds} s`;
			return `No answer from ${subject} within ${seconds} s${job}`;
		case 'dropped':
			if (callContext.call === 'submit')
				return 'The connection to Segmind dropped before the submit was answered';
			if (callContext.call === 'upload')
				return 'The connection to Segmind Storage dropped during the image upload';
			if (callContext.call === 'generation')
				return 'The connection to Segmind dropped before the video arrived';
			return `The connection to ${subject} dropped before the answer arrived`;
		default:
			if (callContext.call === 'generation' || callContext.call === 'download')
				return 'The video from Segmind arrived incomplete: the connection closed mid-download';
			if (callContext.call === 'submit')
				return 'The answer to the submit arrived incomplete: the connection closed mid-download';
			return `The answer from ${subject} arrived incomplete: the connection closed mid-download`;
	}
}

export function whatToDoAfterNetwork(kind: FailureKind, callContext: CallContext) {
	if (kind === 'notSent' && callContext.call !== 'jobRead') {
		return callContext.call === 'upload'
			? 'Check the Storage Upload URL in the credential, and that this n8n can reach it (network, proxy, DNS).'
			: 'Nothing was sent. Check the Base URL in the credential, and that this n8n can reach it (network, proxy, DNS).';
	}
	if (callContext.call === 'submit' && kind !== 'notSent') {
		return 'The job may have been queued without its request ID reaching n8n, so it was not submitted again.';
	}
	if (callContext.call === 'generation' && kind !== 'notSent') {
		return 'The mode Wait for Video cannot lose a video this way.';
	}
	return '';
}

/** Sentences joined, the empty ones left out. */
export function describe(parts: Array<string | undefined>) {
	return parts
		.filter((part) => part)
		.join(' ')
		.trim();
}

/** Why a wait ended early: the item's hand-off time came first. */
export const STOPPED_AT_HAND_OFF =
	"The node stopped waiting at this item's hand-off time (Options > Hand Off After), so that the item leaves before n8n's execution time limit.";

/** What an item waited for when its hand-off time came: the account's pace, or a slot of its run. */
export type AwaitedTurn = 'accountPace' | 'runSlot';

export const WHY_IT_WAITED: Record<AwaitedTurn, string> = {
	accountPace:
		"Segmind answered 429 (too many requests) to this account, so every request to it from this n8n waits for Segmind's reset time and then goes at the pace Segmind accepts.",
	runSlot:
		"The node's other items held every one of its request slots (Options > Max Concurrent Requests).",
};

export const attemptsWords = (attempts: number) => `(Tried ${attempts} times.)`;
