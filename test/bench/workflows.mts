/**
 * The two workflows the benchmark compares: the same jobs sent to Segmind by this package's node,
 * and by n8n's own HTTP Request node configured by hand the way a user without the node would
 * (POST, x-api-key from a Header Auth credential, JSON body, response as a file).
 *
 * Both start the same way (Manual Trigger -> Set with the jobs -> Split Out, one item per job).
 * Fields come either from the item, through expressions (the usual case when a webhook, a sheet
 * or a list feeds the workflow), or fixed in the node, as typed in the panel: n8n evaluates
 * expressions for every item, and the node has one per field where the HTTP Request node has
 * one for the whole body, so the two cases cost differently.
 */
import { NODE_TYPE } from '../harness/n8nHost.mts';

/** One request body, in Segmind's field names. */
export type Job = {
	image_url: string;
	prompt: string;
	negative_prompt: string;
	quality: string;
	motion_mode: string;
	duration: number;
	seed: number;
};

export const CALLER_NODE = 'Call Segmind';

export type HeaderAuthCredential = { id: string; name: string };

export type Fields = 'fromItem' | 'fixed';

type Node = Record<string, unknown>;

function jobsToItems(jobs: Job[]): Node[] {
	return [
		{
			id: 'run',
			name: 'Run',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'jobs',
			name: 'Jobs',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ jobs }), options: {} },
		},
		{
			id: 'split',
			name: 'One item per job',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [440, 0],
			parameters: { fieldToSplitOut: 'jobs', options: {} },
		},
	];
}

function workflow(id: string, name: string, jobs: Job[], caller: Node) {
	return {
		id,
		name,
		nodes: [
			...jobsToItems(jobs),
			{ id: 'caller', name: CALLER_NODE, position: [660, 0], ...caller },
		],
		connections: {
			Run: { main: [[{ node: 'Jobs', type: 'main', index: 0 }]] },
			Jobs: { main: [[{ node: 'One item per job', type: 'main', index: 0 }]] },
			'One item per job': { main: [[{ node: CALLER_NODE, type: 'main', index: 0 }]] },
		},
		active: false,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

/**
 * Continue on fail in both, so a run with refused items (429s, an invalid combination) still
 * ends with one output item per job, which the benchmark counts.
 */
const CONTINUE_ON_FAIL = { onError: 'continueRegularOutput' };

/** The job's fields as the item's expressions, or as the first job's values. */
function fieldsOf(jobs: Job[], fields: Fields): Record<keyof Job, unknown> {
	const [job] = jobs;
	const fieldNames = Object.keys(job) as Array<keyof Job>;
	return Object.fromEntries(
		fieldNames.map((name) => [name, fields === 'fixed' ? job[name] : `={{ $json.${name} }}`]),
	) as Record<keyof Job, unknown>;
}

export function pixverseWorkflow(id: string, jobs: Job[], fields: Fields = 'fromItem') {
	const field = fieldsOf(jobs, fields);
	return workflow(id, 'Bench: Pixverse node', jobs, {
		type: NODE_TYPE,
		typeVersion: 1,
		parameters: {
			resource: 'video',
			operation: 'generateFromImage',
			// One synchronous request per item, like the HTTP Request node (the option is new on main;
			// older builds ignore the unknown parameter).
			mode: 'singleRequest',
			imageUrl: field.image_url,
			prompt: field.prompt,
			quality: field.quality,
			motionMode: field.motion_mode,
			duration: field.duration,
			additionalFields: { negativePrompt: field.negative_prompt, seed: field.seed },
		},
		...CONTINUE_ON_FAIL,
	});
}

export function httpRequestWorkflow(
	id: string,
	jobs: Job[],
	segmindUrl: string,
	credential: HeaderAuthCredential,
	fields: Fields = 'fromItem',
) {
	const jsonBody =
		fields === 'fixed'
			? JSON.stringify(jobs[0])
			: `={{ JSON.stringify({ ${Object.keys(jobs[0])
					.map((name) => `${name}: $json.${name}`)
					.join(', ')} }) }}`;
	return workflow(id, 'Bench: HTTP Request node', jobs, {
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: {
			method: 'POST',
			url: `${segmindUrl}/v1/pixverse-image2video`,
			authentication: 'genericCredentialType',
			genericAuthType: 'httpHeaderAuth',
			sendBody: true,
			specifyBody: 'json',
			jsonBody,
			options: { response: { response: { responseFormat: 'file' } } },
		},
		credentials: { httpHeaderAuth: { id: credential.id, name: credential.name } },
		...CONTINUE_ON_FAIL,
	});
}
