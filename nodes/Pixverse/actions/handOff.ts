/**
 * The hand-off: when an item whose job Segmind accepted leaves the node without its video, so
 * that n8n's execution time limit never cancels it (a cancelled execution saves nothing the node
 * would have returned, and the paid job's request ID would be in n8n's log only).
 *
 * n8n Cloud cancels every execution at 300 s, whatever the workflow says; self-hosted n8n does
 * the same with EXECUTIONS_TIMEOUT. A node sees neither: only the workflow's own Timeout
 * Workflow setting, and not when the execution began (docs/time-limits.md). So the budget
 * counts from the node's own start: Hand Off After, brought forward by the workflow's setting.
 *
 * A pending item says what the person needs to come back for the video without paying again:
 * the request ID, when to check next and when Segmind forgets the job.
 */
import type { IDataObject, IExecuteSingleFunctions, INodeExecutionData } from 'n8n-workflow';

import { optionMs } from './itemOptions';

/**
 * Four of n8n Cloud's five minutes: a minute stays for the nodes before this one, the video's
 * download, the nodes after it (a storage upload) and n8n saving the execution.
 */
export const DEFAULT_HAND_OFF_AFTER_SECONDS = 240;
/**
 * Under a workflow's own Timeout Workflow of T seconds the item leaves at 80% of T (at least
 * 10 s before T): the same share of the limit the default leaves of Cloud's five minutes.
 */
const SHARE_OF_TIMEOUT_FOR_THIS_NODE = 0.8;
const LEAST_ROOM_AFTER_HAND_OFF_MS = 10_000;

/** Segmind keeps a queued job's status and result one hour after it was submitted. */
export const SEGMIND_KEEPS_JOB_MS = 60 * 60 * 1000;

/** Options that bound an item's time in the node, as the panel stores them. */
export type HandOffOptions = { handOffAfter?: number | string };

/**
 * When this item must leave the node (epoch ms): Hand Off After from the node's start, or
 * earlier under the workflow's own Timeout Workflow setting.
 */
export function handOffAtOf(
	context: IExecuteSingleFunctions,
	options: HandOffOptions,
	nodeStartedAtMs: number,
): number {
	let handOffAtMs =
		nodeStartedAtMs +
		optionMs(
			context,
			'Hand Off After (Seconds)',
			options.handOffAfter,
			DEFAULT_HAND_OFF_AFTER_SECONDS,
			0,
		);
	const timeoutSeconds = Number(context.getWorkflowSettings().executionTimeout);
	// -1 (or nothing) is n8n's "no timeout" for a workflow.
	if (Number.isFinite(timeoutSeconds) && timeoutSeconds > 0) {
		const timeoutMs = timeoutSeconds * 1000;
		const budgetMs = Math.min(
			timeoutMs * SHARE_OF_TIMEOUT_FOR_THIS_NODE,
			timeoutMs - LEAST_ROOM_AFTER_HAND_OFF_MS,
		);
		handOffAtMs = Math.min(handOffAtMs, nodeStartedAtMs + Math.max(0, budgetMs));
	}
	return handOffAtMs;
}

const iso = (epochMs: number) => new Date(epochMs).toISOString();

export type PendingJob = {
	requestId: string;
	/** When Segmind accepted the job, when the node knows it. */
	submittedAtMs?: number;
	/** The next check the plan would have made. */
	checkAfterMs: number;
	/** What Segmind last said about the job (QUEUED, PROCESSING...). */
	lastStatus: string;
};

/**
 * The item of a job that is not done by the hand-off: on the main output, with everything a
 * later Get Result needs (`requestId`, `model`, `submittedAt`) and `itemFields` (model, request,
 * uploaded image URLs) as a video item would carry them.
 */
export function pendingItem(
	context: IExecuteSingleFunctions,
	job: PendingJob,
	itemFields: IDataObject,
): INodeExecutionData {
	const expiresAtMs =
		job.submittedAtMs === undefined ? undefined : job.submittedAtMs + SEGMIND_KEEPS_JOB_MS;
	const checkAfter = iso(job.checkAfterMs);
	const until = expiresAtMs
		? ` and before ${iso(expiresAtMs)}, when Segmind forgets it`
		: ', within an hour of its submission, when Segmind forgets it';
	return {
		json: {
			status: 'pending',
			requestId: job.requestId,
			...itemFields,
			...(job.submittedAtMs === undefined ? {} : { submittedAt: iso(job.submittedAtMs) }),
			checkAfter,
			...(expiresAtMs === undefined ? {} : { expiresAt: iso(expiresAtMs) }),
			segmindStatus: job.lastStatus,
			message: `The video was not ready by this node's hand-off time (Segmind last reported ${job.lastStatus}), so the item left the node before n8n's execution time limit. The job goes on at Segmind and is billed once, when it completes. Fetch the video with Get Result and request ID ${job.requestId} after ${checkAfter}${until}; fetching never bills again.`,
		},
		pairedItem: { item: context.getItemIndex() },
	};
}
