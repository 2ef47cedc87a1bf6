/**
 * The one billing truth: for each kind of failure and each kind of call, whether a video may
 * have been billed, whether the node tries again on its own, and what that means for the person.
 * The retry loop (./client.ts), the error messages (./failures.ts, in the words of ./wording.ts) and the README's error and
 * retry tables (checked by test) all read this table.
 *
 * Segmind's documented facts behind it (docs/segmind-api.md, "Billing"): only an HTTP 200 is
 * billed; 4xx, 5xx and failed jobs are not charged; a gateway 502/504 or a timeout can hide a job
 * that went on and is billed; a queue submit has no idempotency key, so one that may have been
 * accepted is never sent again; reading a job, downloading its video and uploading an image bill
 * nothing.
 */
import type { CallKind, FailureKind } from './failures';

/**
 * What a failure means for money, in words:
 * - notBilled: nothing was billed.
 * - nothingGenerated: a step before the generation failed (an image upload), so nothing was made.
 * - mayBeBilled: a video may have been made and billed (the answer was lost on the way).
 * - billed: Segmind answered 200, which it bills.
 * - jobGoesOn: this request bills nothing; the queued job goes on and is billed once when it
 *   completes.
 * - alreadyPaid: the video was made and billed; fetching it again costs nothing.
 */
export type Billed =
	| 'notBilled'
	| 'nothingGenerated'
	| 'mayBeBilled'
	| 'billed'
	| 'jobGoesOn'
	| 'alreadyPaid';

export type Outcome = {
	billed: Billed;
	/**
	 * yes: the node tries again (Rate Limit Retries). optIn: only in Single Request with "Also Retry
	 * Server Errors and Timeouts (May Bill Twice)" on; the option's name warns of its riskiest
	 * rows, though a 500 or 503 among them is free (it fails again, so it is not retried unasked).
	 */
	retried: 'yes' | 'no' | 'optIn';
};

const never: Outcome = { billed: 'notBilled', retried: 'no' };
const tryAgain: Outcome = { billed: 'notBilled', retried: 'yes' };
const readAgain: Outcome = { billed: 'jobGoesOn', retried: 'yes' };

/** What reading a queued job, its video, an upload or the balance can fail with. */
const TRANSIENT: FailureKind[] = [
	'notSent',
	'rateLimited',
	'serverError',
	'gatewayError',
	'noAnswer',
	'dropped',
	'cutOff',
];
const readOnly = (outcome: Outcome) =>
	Object.fromEntries(TRANSIENT.map((kind) => [kind, outcome])) as Partial<
		Record<FailureKind, Outcome>
	>;

export const BILLING: Readonly<Record<CallKind, Readonly<Partial<Record<FailureKind, Outcome>>>>> =
	{
		generation: {
			invalidInput: never,
			// Nothing was sent, but a whole generation is not retried on a host that refuses: this
			// is nearly always a wrong Base URL, and the item should say so at once.
			notSent: never,
			rateLimited: tryAgain,
			refused: never,
			// Not billed (only a 200 is), but on a generation Segmind's 500 usually means the model
			// refused this input (docs/segmind-api.md, "Errors"), the one-request form of a failed
			// job: trying again costs another minute and usually fails again, so only when asked.
			serverError: { billed: 'notBilled', retried: 'optIn' },
			gatewayError: { billed: 'mayBeBilled', retried: 'optIn' },
			noAnswer: { billed: 'mayBeBilled', retried: 'optIn' },
			dropped: { billed: 'mayBeBilled', retried: 'optIn' },
			cutOff: { billed: 'billed', retried: 'optIn' },
			unusableAnswer: { billed: 'billed', retried: 'no' },
		},
		submit: {
			invalidInput: never,
			notSent: tryAgain,
			rateLimited: tryAgain,
			refused: never,
			// Segmind answered: nothing was queued.
			serverError: tryAgain,
			// The submit may have been queued behind the gateway or before the connection broke.
			gatewayError: { billed: 'mayBeBilled', retried: 'no' },
			noAnswer: { billed: 'mayBeBilled', retried: 'no' },
			dropped: { billed: 'mayBeBilled', retried: 'no' },
			cutOff: { billed: 'mayBeBilled', retried: 'no' },
			unusableAnswer: { billed: 'mayBeBilled', retried: 'no' },
		},
		jobRead: {
			...readOnly(readAgain),
			// A key or a team refused while checking: the job itself is not touched.
			refused: { billed: 'jobGoesOn', retried: 'no' },
			jobFailed: never,
			jobUnknown: never,
			jobStillRunning: { billed: 'jobGoesOn', retried: 'no' },
			unusableAnswer: { billed: 'jobGoesOn', retried: 'no' },
		},
		download: {
			...readOnly({ billed: 'alreadyPaid', retried: 'yes' }),
			refused: { billed: 'alreadyPaid', retried: 'no' },
			unusableAnswer: { billed: 'alreadyPaid', retried: 'no' },
		},
		upload: {
			...readOnly({ billed: 'nothingGenerated', retried: 'yes' }),
			invalidInput: { billed: 'nothingGenerated', retried: 'no' },
			refused: { billed: 'nothingGenerated', retried: 'no' },
			unusableAnswer: { billed: 'nothingGenerated', retried: 'no' },
		},
		credits: { ...readOnly(tryAgain), refused: never, unusableAnswer: never },
	};

/** A failure the table has no row for is reported, never retried. */
export function outcomeOf(call: CallKind, kind: FailureKind): Outcome {
	return BILLING[call][kind] ?? never;
}

/** What the outcome means for the person, as the last words of an error's description. */
export function moneyWords(outcome: Outcome, requestId?: string): string {
	const id = requestId ? ` (request ${requestId})` : '';
	switch (outcome.billed) {
		case 'notBilled':
			return 'Nothing was billed.';
		case 'nothingGenerated':
			return 'Nothing was generated, so no credits were used.';
		case 'mayBeBilled':
			return `A video may have been made and billed${id}: check your Segmind usage before running the item again.`;
		case 'billed':
			return `Segmind answered with success, which it bills${id}: check your Segmind usage before running the item again.`;
		case 'jobGoesOn':
			return requestId
				? `The job itself goes on at Segmind and is billed once when it completes: do not generate it again. Fetch it with the operation Get Result and Request ID ${requestId}.`
				: 'The job itself goes on at Segmind: do not generate it again.';
		case 'alreadyPaid':
			return requestId
				? `The video was made and billed: do not generate it again. Fetch it with the operation Get Result and Request ID ${requestId}; fetching costs nothing.`
				: 'The video was made and billed: do not generate it again.';
	}
}
