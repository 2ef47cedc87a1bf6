/**
 * Waiting for a queued job: status checks planned from the model's typical generation time, so
 * the video reaches n8n soon after the job ends with few checks (each check is a request that
 * counts against the account's rate limit), then the result.
 *
 * Waits use n8n-workflow's `sleep` and end early when the execution is cancelled; every item
 * waits for its own job, so many items wait side by side.
 */
import type { IDataObject, IExecuteSingleFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { JobAnswer, SegmindClient } from '../transport/client';
import { moneyWords, outcomeOf } from '../transport/billing';
import { REQUEST_RECORD_LIFETIME, segmindMessageFrom } from '../transport/explain';
import { itemFailure } from '../transport/failures';

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

export function* fixedCheckTimes(intervalMs: number, justSubmitted: boolean): Generator<number> {
	for (let check = justSubmitted ? 1 : 0; ; check++) yield check * intervalMs;
}

function checkTimes(settings: WaitSettings, justSubmitted: boolean) {
	if (settings.pollIntervalMs !== undefined) {
		return fixedCheckTimes(settings.pollIntervalMs, justSubmitted);
	}
	return justSubmitted
		? plannedCheckTimes(settings.expectedMs)
		: resumedCheckTimes(settings.expectedMs);
}

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
	/** Just submitted: planned from the submit; otherwise the job is older (Get Result). */
	justSubmitted: boolean;
	/** The first status check, when the operation's routing declares it (Get Result). */
	firstStatus?: () => Promise<JobAnswer>;
	/** Told when the job failed: a failed job was not billed. */
	onJobFailed?: () => void;
};

/**
 * Waits for a queued job and returns its result JSON (`output`, `video`, `metrics`...). A failed
 * job, an unknown or expired ID, a job still running at Max Wait and a cancelled execution are
 * clear errors that name the request ID.
 */
export async function waitForJobResult(
	context: IExecuteSingleFunctions,
	client: SegmindClient,
	job: JobWait,
): Promise<IDataObject> {
	const { requestId, settings } = job;
	const started = Date.now();
	const signal = context.getExecutionCancelSignal();
	let lastStatus = 'nothing yet';
	let firstStatus = job.firstStatus;
	for (const plannedAt of checkTimes(settings, job.justSubmitted)) {
		const last = plannedAt >= settings.maxWaitMs;
		await pause(Math.min(plannedAt, settings.maxWaitMs) - (Date.now() - started), signal);
		if (signal?.aborted) {
			throw stillRunning(
				context,
				requestId,
				`The execution was stopped while waiting for request ${requestId}`,
				lastStatus,
			);
		}
		const answer = firstStatus ? await firstStatus() : await client.readJob(requestId, 'status');
		firstStatus = undefined;
		const status = String(answer.json.status ?? 'an answer without a status').toUpperCase();
		lastStatus = status;
		if (status === JOB_DONE) break;
		if (status === JOB_FAILED) {
			// The status may carry no reason; the result read holds it (a 422 with `error`).
			job.onJobFailed?.();
			const result = await client.readJob(requestId, 'result');
			throw failedJob(context, requestId, result.json);
		}
		if (last) {
			throw stillRunning(
				context,
				requestId,
				`The video was not ready within Max Wait (${Number((settings.maxWaitMs / 1000).toFixed(1))} s); request ID ${requestId}`,
				status,
			);
		}
	}
	const result = await client.readJob(requestId, 'result');
	if (String(result.json.status ?? JOB_DONE).toUpperCase() === JOB_FAILED) {
		job.onJobFailed?.();
		throw failedJob(context, requestId, result.json);
	}
	return result.json;
}
