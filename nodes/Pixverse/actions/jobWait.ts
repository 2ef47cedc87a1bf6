/**
 * Waiting for a queued job: status checks planned from the model's typical generation time, so
 * the video reaches n8n soon after the job ends with few checks (each check is a request that
 * counts against the account's rate limit), then the result.
 *
 * The plan counts from the job's submission, also when the job is picked up again in a later
 * execution (Get Result with the pending item's `submittedAt`), so a job followed across
 * executions is checked as often as one followed in a single wait. When the next check would
 * come after the item's hand-off time, the item leaves as pending instead (./handOff.ts).
 *
 * Waits use n8n-workflow's `sleep` and end early when the execution is cancelled; every item
 * waits for its own job, so many items wait side by side.
 */
import type { IDataObject, IExecuteSingleFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { JobAnswer, SegmindClient } from '../transport/client';
import { moneyWords, outcomeOf } from '../transport/billing';
import { segmindMessageFrom } from '../transport/answers';
import { REQUEST_RECORD_LIFETIME } from '../transport/wording';
import { isStoppedAtHandOff, itemFailure } from '../transport/failures';
import type { PendingJob } from './handOff';

export const DEFAULT_MAX_WAIT_SECONDS = 900;

/** A queued job's states, as the status endpoint reports them. */
const JOB_DONE = 'COMPLETED';
const JOB_FAILED = 'FAILED';

export type WaitSettings = {
	maxWaitMs: number;
	/** When the job should be done: the model's typical time, or the person's own figure. */
	expectedMs: number;
	/** A fixed interval instead of the plan, when the person set Poll Interval. */
	pollIntervalMs?: number;
};

/** After the typical time, checks start this close and spread out by this factor... */
const FIRST_STEP_AFTER_TYPICAL_MS = 1000;
const STEP_GROWTH = 1.35;
/** ...up to a twelfth of the typical time, between these bounds. */
const LONGEST_STEP_MS = 10_000;
const SHORTEST_LONGEST_STEP_MS = 250;

/**
 * When to check a job, in ms after it was submitted: twice before the typical time T (an early
 * failure or a quick job is seen), once just after T (where most jobs end), then at intervals
 * growing from 1 s to T/12 (at most 10 s), so a slow job is still seen within seconds of its end
 * while the number of checks stays small. All steps scale down with T, so a short job (or a
 * simulator's) is checked as closely.
 */
export function* plannedCheckTimes(expectedMs: number): Generator<number> {
	const typical = Math.max(1, expectedMs);
	yield 0.5 * typical;
	yield 0.85 * typical;
	let at = typical + Math.min(500, 0.05 * typical);
	yield at;
	const longest = Math.min(LONGEST_STEP_MS, Math.max(SHORTEST_LONGEST_STEP_MS, typical / 12));
	let step = Math.min(FIRST_STEP_AFTER_TYPICAL_MS, 0.1 * typical);
	for (;;) {
		at += Math.min(step, longest);
		yield at;
		step *= STEP_GROWTH;
	}
}

/** A job submitted earlier (Get Result): look at once, then at growing intervals. */
export function* resumedCheckTimes(expectedMs: number): Generator<number> {
	yield 0;
	const planned = plannedCheckTimes(expectedMs);
	// Skip the checks that wait for the typical time: the job has been running for a while.
	planned.next();
	planned.next();
	const first = planned.next().value as number;
	for (const at of planned) yield at - first;
}

export function* fixedCheckTimes(intervalMs: number, fromSubmission: boolean): Generator<number> {
	for (let check = fromSubmission ? 1 : 0; ; check++) yield check * intervalMs;
}

/** Check times in ms after `origin`: the submission when it is known, else the wait's start. */
function checkTimes(settings: WaitSettings, fromSubmission: boolean) {
	if (settings.pollIntervalMs !== undefined) {
		return fixedCheckTimes(settings.pollIntervalMs, fromSubmission);
	}
	return fromSubmission
		? plannedCheckTimes(settings.expectedMs)
		: resumedCheckTimes(settings.expectedMs);
}

/**
 * A last look at the job at the hand-off time itself is worth a request only when the previous
 * look was at least this long before: a job that ended in between is then fetched now, which
 * saves a whole execution.
 */
const LEAST_GAP_FOR_A_LAST_LOOK_MS = 1000;

/** Sleeps, or returns early when the execution is cancelled. */
async function pause(ms: number, signal: AbortSignal | undefined) {
	if (ms <= 0 || signal?.aborted) return;
	let stop: () => void = () => {};
	const cancelled = new Promise<void>((resolve) => {
		stop = resolve;
		signal?.addEventListener('abort', stop, { once: true });
	});
	await Promise.race([sleep(ms), cancelled]);
	signal?.removeEventListener('abort', stop);
}

function stillRunning(
	context: IExecuteSingleFunctions,
	requestId: string,
	message: string,
	lastStatus: string,
) {
	return itemFailure(
		context,
		message,
		`Segmind last reported ${lastStatus}. ${moneyWords(outcomeOf('jobRead', 'jobStillRunning'), requestId)} Segmind keeps it ${REQUEST_RECORD_LIFETIME}; or raise Max Wait (Seconds) under Options.`,
		{ kind: 'jobStillRunning', call: 'jobRead' },
	);
}

function failedJob(context: IExecuteSingleFunctions, requestId: string, answer: IDataObject) {
	const reason = segmindMessageFrom(JSON.stringify(answer));
	return itemFailure(
		context,
		`Segmind could not make the video (request ${requestId} failed)`,
		`${reason ? `Segmind says: "${reason}". ` : ''}Failed jobs are not billed. The reason usually points at the input or the prompt: change it and generate again.`,
		{ kind: 'jobFailed', call: 'jobRead' },
	);
}

export type JobWait = {
	requestId: string;
	settings: WaitSettings;
	/**
	 * When Segmind accepted the job (epoch ms), when known: checks are planned from it. Unknown
	 * (a request ID alone in Get Result): the job is looked at once, then at growing intervals.
	 */
	submittedAtMs?: number;
	/** Submitted by this run just now: the submit's answer was the first look at the job. */
	justSubmitted: boolean;
	/** When the item must leave the node (epoch ms): ./handOff.ts. */
	handOffAtMs: number;
	/** The first status check, when the operation's routing declares it (Get Result). */
	firstStatus?: () => Promise<JobAnswer>;
	/** Told when the job failed: a failed job was not billed. */
	onJobFailed?: () => void;
};

export const HANDED_OFF = Symbol('handedOff');

/**
 * Runs a read of the job or its video; one the client stopped at the hand-off time
 * comes back as HANDED_OFF (the job is then pending), every other failure as it was.
 */
export async function unlessHandedOff<T>(read: () => Promise<T>): Promise<T | typeof HANDED_OFF> {
	return await read().then(
		(value) => value,
		async (error: unknown) =>
			isStoppedAtHandOff(error) ? HANDED_OFF : await Promise.reject(error as Error),
	);
}

/** A job's end as far as this execution goes: its result JSON, or pending at the hand-off. */
export type JobOutcome = { result: IDataObject } | { pending: PendingJob };

/**
 * Waits for a queued job and returns its result JSON (`output`, `video`, `metrics`...), or the
 * job as pending when the hand-off comes first. A failed job, an unknown or expired ID, a job
 * still running at Max Wait and a cancelled execution are clear errors that name the request ID.
 */
export async function waitForJob(
	context: IExecuteSingleFunctions,
	client: SegmindClient,
	job: JobWait,
): Promise<JobOutcome> {
	const { requestId, settings, submittedAtMs, handOffAtMs } = job;
	const waitStartedAtMs = Date.now();
	const originMs = submittedAtMs ?? waitStartedAtMs;
	const maxWaitAtMs = waitStartedAtMs + settings.maxWaitMs;
	const signal = context.getExecutionCancelSignal();
	const pending = (checkAfterMs: number, lastStatus: string): JobOutcome => ({
		pending: { requestId, submittedAtMs, checkAfterMs, lastStatus },
	});
	let lastStatus = 'nothing yet';
	// A submit is a look at the job: nothing to check again before the plan's first time.
	let lastLookAtMs = job.justSubmitted ? waitStartedAtMs : Number.NEGATIVE_INFINITY;
	let lookedAtHandOff = false;
	let firstStatus = job.firstStatus;
	for (const plannedAt of checkTimes(settings, submittedAtMs !== undefined)) {
		const plannedAtMs = originMs + plannedAt;
		// Planned times already past (a job picked up again later) come down to one look now.
		if (plannedAtMs <= lastLookAtMs) continue;
		let dueAtMs = Math.min(Math.max(plannedAtMs, Date.now()), maxWaitAtMs);
		const lastBeforeMaxWait = dueAtMs >= maxWaitAtMs;
		let lastBeforeHandOff = false;
		if (dueAtMs > handOffAtMs) {
			if (lookedAtHandOff || handOffAtMs - lastLookAtMs < LEAST_GAP_FOR_A_LAST_LOOK_MS) {
				return pending(plannedAtMs, lastStatus);
			}
			dueAtMs = Math.max(handOffAtMs, Date.now());
			lookedAtHandOff = true;
			lastBeforeHandOff = true;
		}
		await pause(dueAtMs - Date.now(), signal);
		if (signal?.aborted) {
			throw stillRunning(
				context,
				requestId,
				`The execution was stopped while waiting for request ${requestId}`,
				lastStatus,
			);
		}
		const answer = await unlessHandedOff(
			firstStatus ?? (async () => await client.readJob(requestId, 'status')),
		);
		if (answer === HANDED_OFF) return pending(Math.max(plannedAtMs, Date.now()), lastStatus);
		firstStatus = undefined;
		lastLookAtMs = Date.now();
		const status = String(answer.json.status ?? 'an answer without a status').toUpperCase();
		lastStatus = status;
		if (status === JOB_DONE) break;
		if (status === JOB_FAILED) {
			// The status may carry no reason; the result read holds it (a 422 with `error`).
			job.onJobFailed?.();
			const result = await client.readJob(requestId, 'result');
			throw failedJob(context, requestId, result.json);
		}
		if (lastBeforeHandOff) return pending(plannedAtMs, status);
		if (lastBeforeMaxWait) {
			throw stillRunning(
				context,
				requestId,
				`The video was not ready within Max Wait (${Number((settings.maxWaitMs / 1000).toFixed(1))} s); request ID ${requestId}`,
				status,
			);
		}
	}
	const result = await unlessHandedOff(async () => await client.readJob(requestId, 'result'));
	if (result === HANDED_OFF) return pending(Date.now(), JOB_DONE);
	if (String(result.json.status ?? JOB_DONE).toUpperCase() === JOB_FAILED) {
		job.onJobFailed?.();
		throw failedJob(context, requestId, result.json);
	}
	return { result: result.json };
}
