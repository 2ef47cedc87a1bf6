/**
 * The two workflows the benchmark compares: the same jobs sent to Segmind by this package's node,
 * and by n8n's own HTTP Request node configured by hand the way a user without the node would
 * (POST, x-api-key from a Header Auth credential, JSON body, response as a file).
 *
 * Both start the same way (Manual Trigger -> Set with the jobs -> Split Out, one item per job)
 * and read every field of the request from the item with an expression, so each evaluates the
 * same per-item expressions and only the node that calls Segmind differs.
 */
import { NODE_TYPE } from '../n8n-host.ts';

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

export function pixverseWorkflow(id: string, jobs: Job[]) {
	return workflow(id, 'Bench: Pixverse node', jobs, {
		type: NODE_TYPE,
		typeVersion: 1,
		parameters: {
			resource: 'video',
			operation: 'generateFromImage',
			// One synchronous request per item, like the HTTP Request node (the option is new on main;
			// older builds ignore the unknown parameter).
			mode: 'singleRequest',
			imageUrl: '={{ $json.image_url }}',
			prompt: '={{ $json.prompt }}',
			quality: '={{ $json.quality }}',
			motionMode: '={{ $json.motion_mode }}',
			duration: '={{ $json.duration }}',
			additionalFields: {
				negativePrompt: '={{ $json.negative_prompt }}',
				seed: '={{ $json.seed }}',
			},
		},
		...CONTINUE_ON_FAIL,
	});
}

export function httpRequestWorkflow(
	id: string,
	jobs: Job[],
	segmindUrl: string,
	credential: HeaderAuthCredential,
) {
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
			jsonBody:
				'={{ JSON.stringify({ image_url: $json.image_url, prompt: $json.prompt, negative_prompt: $json.negative_prompt, quality: $json.quality, motion_mode: $json.motion_mode, duration: $json.duration, seed: $json.seed }) }}',
			options: { response: { response: { responseFormat: 'file' } } },
		},
		credentials: { httpHeaderAuth: { id: credential.id, name: credential.name } },
		...CONTINUE_ON_FAIL,
	});
}
