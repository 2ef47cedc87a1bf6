/**
 * The one billing truth: for each kind of failure and each kind of call, whether a video may
 * have been billed, whether the node tries again on its own, and what that means for the person.
 * The retry loop (./client.ts), the error messages (./explain.ts) and the README's error and
 * retry tables (checked by test) all read this table.
 *
 * Segmind's documented facts behind it (docs/segmind-api.md, "Billing"): only an HTTP 200 is
 * billed; 4xx, 5xx and failed jobs are not charged; a gateway 502/504 or a timeout can hide a job
 * that went on and is billed; a queue submit has no idempotency key, so one that may have been
 * accepted is never sent again; reading a job, downloading its video and uploading an image bill
 * nothing.
 */
import type { CallKind, FailureKind } from './failures';

export type Billed = 'no' | 'notGenerated' | 'maybe' | 'yes' | 'job' | 'made';

export type Outcome = {
	/**
	 * no: nothing was billed. notGenerated: a step before the generation failed (an image upload). maybe: a video may have been made and billed. yes: Segmind
	 * answered 200, which it bills. job: this request bills nothing, the queued job goes on and is
	 * billed once when it completes. made: the video was made and billed; fetching it again costs
	 * nothing.
	 */
	billed: Billed;
	/** yes: the node tries again (Rate Limit Retries); optIn: only with "May Bill Twice" on. */
	retried: 'yes' | 'no' | 'optIn';
};

const never: Outcome = { billed: 'no', retried: 'no' };
const tryAgain: Outcome = { billed: 'no', retried: 'yes' };
const readAgain: Outcome = { billed: 'job', retried: 'yes' };

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
			// Not billed, but the generation itself failed: trying again usually fails again.
			serverError: { billed: 'no', retried: 'optIn' },
			gatewayError: { billed: 'maybe', retried: 'optIn' },
			noAnswer: { billed: 'maybe', retried: 'optIn' },
			dropped: { billed: 'maybe', retried: 'optIn' },
			cutOff: { billed: 'yes', retried: 'optIn' },
			unusableAnswer: { billed: 'yes', retried: 'no' },
		},
		submit: {
			invalidInput: never,
			notSent: tryAgain,
			rateLimited: tryAgain,
			refused: never,
			// Segmind answered: nothing was queued.
			serverError: tryAgain,
			// The submit may have been queued behind the gateway or before the connection broke.
			gatewayError: { billed: 'maybe', retried: 'no' },
			noAnswer: { billed: 'maybe', retried: 'no' },
			dropped: { billed: 'maybe', retried: 'no' },
			cutOff: { billed: 'maybe', retried: 'no' },
			unusableAnswer: { billed: 'maybe', retried: 'no' },
		},
		jobRead: {
			...readOnly(readAgain),
			// A key or a team refused while checking: the job itself is not touched.
			refused: { billed: 'job', retried: 'no' },
			jobFailed: never,
			jobUnknown: never,
			jobStillRunning: { billed: 'job', retried: 'no' },
			unusableAnswer: { billed: 'job', retried: 'no' },
		},
		download: {
			...readOnly({ billed: 'made', retried: 'yes' }),
			refused: { billed: 'made', retried: 'no' },
			unusableAnswer: { billed: 'made', retried: 'no' },
		},
		upload: {
			...readOnly({ billed: 'notGenerated', retried: 'yes' }),
			invalidInput: { billed: 'notGenerated', retried: 'no' },
			refused: { billed: 'notGenerated', retried: 'no' },
			unusableAnswer: { billed: 'notGenerated', retried: 'no' },
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
		case 'no':
			return 'Nothing was billed.';
		case 'notGenerated':
			return 'Nothing was generated, so no credits were used.';
		case 'maybe':
			return `A video may have been made and billed${id}: check your Segmind usage before running the item again.`;
		case 'yes':
			return `Segmind answered with success, which it bills${id}: check your Segmind usage before running the item again.`;
		case 'job':
			return requestId
				? `The job itself goes on at Segmind and is billed once when it completes: do not generate it again. Fetch it with the operation Get Result and Request ID ${requestId}.`
				: 'The job itself goes on at Segmind: do not generate it again.';
		case 'made':
			return requestId
				? `The video was made and billed: do not generate it again. Fetch it with the operation Get Result and Request ID ${requestId}; fetching costs nothing.`
				: 'The video was made and billed: do not generate it again.';
	}
}
