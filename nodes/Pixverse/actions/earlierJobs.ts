/**
 * Jobs this node had Segmind accept, remembered so that n8n's "Retry execution" does not pay
 * for them again.
 *
 * When a run fails (one item's Max Wait, a failed download...), every item's job was already
 * paid for, and n8n's retry starts the node again with the same items, in a new execution of
 * mode "retry". n8n keeps the node's context (`getContext('node')`) from the failed execution and
 * hands it to the retry, so the node records each accepted job there, keyed by run and item, and
 * a retry reuses the job whose request was the same instead of submitting it again.
 *
 * The context is saved with the execution when it ends: a worker that crashes mid-run saves
 * nothing, which is why every accepted job is also written to n8n's log (./submittedJob.ts).
 */
import type { IDataObject, IExecuteSingleFunctions } from 'n8n-workflow';

const CONTEXT_KEY = 'pixverseAcceptedJobs';

export const ON_RETRIED_EXECUTION = {
	reuseJob: 'reuseJob',
	generateAgain: 'generateAgain',
} as const;

type EarlierJob = { requestId: string; request: string; submittedAtMs?: number };

/**
 * A short, stable digest of what was asked (cyrb53): a reused job must be for exactly the same
 * model and body, and the record stays small in the execution data.
 */
function fingerprint(model: string, body: IDataObject) {
	const text = JSON.stringify([model, body]);
	let first = 0xdeadbeef;
	let second = 0x41c6ce57;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		first = Math.imul(first ^ code, 2654435761);
		second = Math.imul(second ^ code, 1597334677);
	}
	first =
		Math.imul(first ^ (first >>> 16), 2246822507) ^ Math.imul(second ^ (second >>> 13), 3266489909);
	second =
		Math.imul(second ^ (second >>> 16), 2246822507) ^ Math.imul(first ^ (first >>> 13), 3266489909);
	return (4294967296 * (2097151 & second) + (first >>> 0)).toString(36);
}

function keyOf(context: IExecuteSingleFunctions) {
	const itemIndex = context.getItemIndex();
	const runIndex = context.getWorkflowDataProxy(itemIndex).$runIndex;
	return `${runIndex}:${itemIndex}`;
}

function recordOf(context: IExecuteSingleFunctions): Record<string, EarlierJob> {
	const nodeContext = context.getContext('node');
	nodeContext[CONTEXT_KEY] ??= {};
	return nodeContext[CONTEXT_KEY] as Record<string, EarlierJob>;
}

/** In a retried execution, the job the failed run had accepted for this same item and request. */
export function earlierJobFor(
	context: IExecuteSingleFunctions,
	model: string,
	body: IDataObject,
): { requestId: string; submittedAtMs?: number } | undefined {
	if (context.getMode() !== 'retry') return undefined;
	const earlier = recordOf(context)[keyOf(context)];
	if (earlier?.request !== fingerprint(model, body)) return undefined;
	return { requestId: earlier.requestId, submittedAtMs: earlier.submittedAtMs };
}

export function rememberJob(
	context: IExecuteSingleFunctions,
	model: string,
	body: IDataObject,
	{ requestId, submittedAtMs }: { requestId: string; submittedAtMs?: number },
) {
	recordOf(context)[keyOf(context)] = {
		requestId,
		request: fingerprint(model, body),
		submittedAtMs,
	};
}

/** A job that failed was not billed: a retry may submit it again. */
export function forgetJob(context: IExecuteSingleFunctions) {
	delete recordOf(context)[keyOf(context)];
}
