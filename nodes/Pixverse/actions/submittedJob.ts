/**
 * A queue submit's answer: `{request_id, status, poll_url, status_url, response_url}`. The moment
 * Segmind accepts a job it is paid for, so the node writes its request ID to n8n's log at once:
 * if the worker dies while waiting, the ID is in the log and Get Result recovers the video.
 */
import type { IDataObject, IExecuteSingleFunctions, IN8nHttpFullResponse } from 'n8n-workflow';
import { z } from 'zod';

import type { ModelSpec } from '../models';
import type { SegmindClient } from '../transport/client';
import { jsonObjectIn } from '../transport/answers';
import { unusableAnswer } from '../transport/failures';
import { SEGMIND_KEEPS_JOB_MS } from './handOff';

const submittedJobSchema = z
	.object({
		request_id: z.union([z.string().min(1), z.number()]).transform(String),
		status: z.string().optional(),
		poll_url: z.string().optional(),
		status_url: z.string().optional(),
		response_url: z.string().optional(),
	})
	.passthrough();

export type SubmittedJob = {
	requestId: string;
	status: string;
	statusUrl?: string;
	resultUrl?: string;
	/** When Segmind accepted the job (epoch ms); unknown for a job fetched by ID alone. */
	submittedAtMs?: number;
};

/**
 * Submit Only's item: the request ID, Segmind's status and URLs, and when the job was
 * submitted and is forgotten, which Get Result reads back to plan its checks.
 */
export function submittedJobFields(job: SubmittedJob): IDataObject {
	const { submittedAtMs, ...fields } = job;
	if (submittedAtMs === undefined) return fields;
	return {
		...fields,
		submittedAt: new Date(submittedAtMs).toISOString(),
		expiresAt: new Date(submittedAtMs + SEGMIND_KEEPS_JOB_MS).toISOString(),
	};
}

export async function submittedJobOf(
	context: IExecuteSingleFunctions,
	client: SegmindClient,
	response: IN8nHttpFullResponse,
	spec: ModelSpec,
): Promise<SubmittedJob> {
	const text = (await client.bodyOf(response, { call: 'submit' })).toString('utf8');
	const parsed = submittedJobSchema.safeParse(jsonObjectIn(text));
	if (!parsed.success) {
		throw unusableAnswer(
			client.failureContext({ call: 'submit' }),
			'Segmind answered the submit without a request ID',
			`Received: "${text.slice(0, 200)}".`,
		);
	}
	const submittedAtMs = Date.now();
	const job = parsed.data;
	const itemIndex = context.getItemIndex();
	const executionId = context.getExecutionId();
	const node = context.getNode().name;
	context.logger.info(
		`Segmind accepted job ${job.request_id} (model ${spec.slug}, execution ${executionId}, node "${node}", item ${itemIndex}); if this execution stops before the video arrives, fetch it with Get Result and this request ID`,
		{ requestId: job.request_id, model: spec.slug, executionId, node, itemIndex },
	);
	const submitted: SubmittedJob = {
		requestId: job.request_id,
		status: job.status ?? 'QUEUED',
		statusUrl: job.status_url ?? job.poll_url,
		resultUrl: job.response_url,
		submittedAtMs,
	};
	if (!submitted.statusUrl) delete submitted.statusUrl;
	if (!submitted.resultUrl) delete submitted.resultUrl;
	return submitted;
}
