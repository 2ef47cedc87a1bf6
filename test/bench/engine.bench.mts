/**
 * `npm run bench:engine`: the node's cost per item inside n8n-core's engine (WorkflowExecute and
 * RoutingNode, test/harness/engine.ts), without n8n's process start, against the simulator with
 * a small latency. Prints a table; asserts only that every item made a video, never a time.
 *
 * Beside the node it runs a bare declarative node making the same request with n8n's built-in
 * binary output and none of this node's hooks: the difference is what the hooks cost.
 */
import {
	Expression,
	isExpression,
	type IDataObject,
	type IExecuteSingleFunctions,
	type IN8nHttpFullResponse,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { DEFAULT_BASE_URL } from '../../nodes/Pixverse/transport/credential';

/** pixverse-image2video's one-request endpoint, as the bare node below calls it. */
const GENERATE_PATH = '/v1/pixverse-image2video';
import { videoProperties } from '../../nodes/Pixverse/description/video';
import { MODELS } from '../../nodes/Pixverse/models';
import { Pixverse } from '../../nodes/Pixverse/Pixverse.node';
import { bytes, median, milliseconds, formatTable, ratio, type Row } from './report.mts';
import { IMAGE2VIDEO_SAMPLE_BODY } from '../fixtures/image2videoSample.mts';
import { loadPixverseNodeType, runPixverse } from '../harness/engine.mts';
import { startSegmindSimulator, type SegmindSimulator } from '../simulator/segmind-simulator.mts';

const API_KEY = 'SG_bench0123456789';
const LATENCY_MS = 10;
const ITEM_COUNTS = [1, 10, 100];
const REPEATS = Math.max(1, Number(process.env.BENCH_REPEATS ?? 5));
/** The node's default Max Concurrent Requests. */
const NODE_CONCURRENCY = 5;

const FIXED_PARAMETERS = {
	resource: 'video',
	operation: 'generateFromImage',
	mode: 'singleRequest',
	imageUrl: IMAGE2VIDEO_SAMPLE_BODY.image_url,
	prompt: IMAGE2VIDEO_SAMPLE_BODY.prompt,
	quality: IMAGE2VIDEO_SAMPLE_BODY.quality,
	motionMode: IMAGE2VIDEO_SAMPLE_BODY.motion_mode,
	duration: IMAGE2VIDEO_SAMPLE_BODY.duration,
	additionalFields: {
		negativePrompt: IMAGE2VIDEO_SAMPLE_BODY.negative_prompt,
		seed: IMAGE2VIDEO_SAMPLE_BODY.seed,
	},
};

/** Every field read from the item, as in a workflow fed by a webhook or a sheet. */
const EXPRESSION_PARAMETERS = {
	...FIXED_PARAMETERS,
	imageUrl: '={{ $json.image_url }}',
	prompt: '={{ $json.prompt }}',
	quality: '={{ $json.quality }}',
	motionMode: '={{ $json.motion_mode }}',
	duration: '={{ $json.duration }}',
	additionalFields: {
		negativePrompt: '={{ $json.negative_prompt }}',
		seed: '={{ $json.seed }}',
	},
};

/**
 * The answer as an mp4, and nothing else. (n8n's built-in `binaryData` output would also do, but
 * it detects the file type with a dynamic import, which jest's module sandbox refuses.)
 */
async function videoOnly(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const video = await this.helpers.prepareBinaryData(
		response.body as Buffer,
		'video.mp4',
		'video/mp4',
	);
	return [{ json: {}, binary: { data: video } }];
}

/**
 * The same request made by the plainest declarative node: the same credential, base URL and body
 * fields, the answer as binary data, no validation, retries, concurrency cap or error mapping.
 */
function bareDeclarativeNode(): INodeType {
	const { credentials, requestDefaults } = new Pixverse().description;
	const toBody = (property: string) => ({ send: { type: 'body' as const, property } });
	const field = (name: string, property: string) => ({
		displayName: name,
		name,
		type: 'string' as const,
		default: '',
		routing: toBody(property),
	});
	const description: INodeTypeDescription = {
		displayName: 'Bare request',
		name: 'bareRequest',
		group: ['transform'],
		version: 1,
		description: 'The generation request with nothing around it',
		defaults: { name: 'Bare request' },
		inputs: ['main'],
		outputs: ['main'],
		credentials,
		requestDefaults: {
			...requestDefaults,
			baseURL: `={{ $credentials.baseUrl || "${DEFAULT_BASE_URL}" }}`,
		},
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Generate From Image',
						value: 'generateFromImage',
						routing: {
							request: { method: 'POST', url: GENERATE_PATH, encoding: 'arraybuffer' },
							output: {
								postReceive: [videoOnly],
							},
						},
					},
				],
				default: 'generateFromImage',
			},
			field('imageUrl', 'image_url'),
			field('prompt', 'prompt'),
			field('quality', 'quality'),
			field('motionMode', 'motion_mode'),
			{ ...field('duration', 'duration'), type: 'number', default: 5 },
			{
				displayName: 'Additional Fields',
				name: 'additionalFields',
				type: 'collection',
				default: {},
				options: [
					field('negativePrompt', 'negative_prompt'),
					{ ...field('seed', 'seed'), type: 'number', default: 0 },
				],
			},
		],
	} as INodeTypeDescription;
	return { description };
}

type Variant = {
	label: string;
	parameters: IDataObject;
	nodeType: () => INodeType;
	/** Requests the node keeps in flight: the node queues its items, the bare node sends all. */
	concurrency: (items: number) => number;
};

/**
 * The same node with one model (pixverse-image2video) instead of all of them: what adding models costs per
 * item, since n8n evaluates every property of the description for every item.
 */
function singleModelNode(): INodeType {
	const node = loadPixverseNodeType();
	const [resource, ...rest] = node.description.properties;
	const seedModel = MODELS.filter((model) => model.slug === 'pixverse-image2video');
	const notVideo = rest.filter(
		(property) => property.displayOptions?.show?.resource?.[0] !== 'video',
	);
	node.description = {
		...node.description,
		properties: [resource, ...videoProperties(seedModel), ...notVideo],
	};
	return node;
}

const VARIANTS: Variant[] = [
	{
		label: 'Pixverse, fixed fields',
		parameters: FIXED_PARAMETERS,
		nodeType: loadPixverseNodeType,
		concurrency: () => NODE_CONCURRENCY,
	},
	{
		label: 'Pixverse, fields from expressions',
		parameters: EXPRESSION_PARAMETERS,
		nodeType: loadPixverseNodeType,
		concurrency: () => NODE_CONCURRENCY,
	},
	{
		label: 'Pixverse with one model, fields from expressions',
		parameters: EXPRESSION_PARAMETERS,
		nodeType: singleModelNode,
		concurrency: () => NODE_CONCURRENCY,
	},
	{
		label: 'Bare declarative node, fields from expressions',
		parameters: EXPRESSION_PARAMETERS,
		nodeType: bareDeclarativeNode,
		concurrency: (items) => items,
	},
];

let simulator: SegmindSimulator;

beforeAll(async () => {
	simulator = await startSegmindSimulator({ apiKey: API_KEY, latencyMs: LATENCY_MS });
});
afterAll(async () => {
	await simulator.close();
});

async function runItems(variant: Variant, itemCount: number) {
	const { items, error } = await runPixverse({
		items: Array(itemCount).fill(IMAGE2VIDEO_SAMPLE_BODY),
		parameters: { ...variant.parameters },
		credentials: { apiKey: API_KEY, baseUrl: simulator.url },
		nodeType: variant.nodeType(),
	});
	expect(error).toBeUndefined();
	expect(items.filter((item) => item.binary?.data)).toHaveLength(itemCount);
}

async function wallTimeMs(variant: Variant, itemCount: number) {
	const started = performance.now();
	await runItems(variant, itemCount);
	return performance.now() - started;
}

/**
 * How many `={{ }}` values n8n evaluates per item: a count, not a time. In a real n8n each one
 * runs in an isolated-vm sandbox, where it costs far more than in this process.
 */
async function expressionsEvaluatedPerItem(variant: Variant) {
	const itemCount = 10;
	const resolve = jest.spyOn(Expression.prototype, 'resolveSimpleParameterValue');
	try {
		await runItems(variant, itemCount);
		const evaluated = resolve.mock.calls.filter(([value]) => isExpression(value)).length;
		return evaluated / itemCount;
	} finally {
		resolve.mockRestore();
	}
}

test('per-item cost of the node in n8n-core, printed', async () => {
	// The first run pays for loading and compiling the engine's code paths; it is not counted.
	await wallTimeMs(VARIANTS[0], 1);
	const rows: Row[] = [];
	const overheadPerItem: Record<string, Record<number, number>> = {};
	for (const itemCount of ITEM_COUNTS) {
		for (const variant of VARIANTS) {
			const times: number[] = [];
			for (let repeat = 0; repeat < REPEATS; repeat++)
				times.push(await wallTimeMs(variant, itemCount));
			const wallMs = median(times);
			const idealMs = Math.ceil(itemCount / variant.concurrency(itemCount)) * LATENCY_MS;
			(overheadPerItem[variant.label] ??= {})[itemCount] = (wallMs - idealMs) / itemCount;
			rows.push([
				String(itemCount),
				variant.label,
				milliseconds(wallMs),
				milliseconds(idealMs),
				`${overheadPerItem[variant.label][itemCount].toFixed(1)} ms`,
			]);
		}
	}
	const expressionCounts: string[] = [];
	for (const variant of VARIANTS)
		expressionCounts.push(`${variant.label}: ${await expressionsEvaluatedPerItem(variant)}`);

	const [, pixverseWithExpressions, oneModel, bare] = VARIANTS.map(
		({ label }) => overheadPerItem[label],
	);
	process.stdout.write(
		[
			'',
			`Pixverse node in n8n-core's engine (WorkflowExecute + RoutingNode), in-process under jest: simulator latency ${LATENCY_MS} ms, ${bytes(simulator.video.length)} video, medians of ${REPEATS} runs`,
			'',
			formatTable(
				['Items', 'Node', 'Wall time', 'Ideal (rounds x latency)', 'Overhead per item'],
				rows,
			),
			'',
			`Overhead per item, Pixverse / bare node, fields from expressions: ${ITEM_COUNTS.map((count) => `${count} items ${ratio(pixverseWithExpressions[count], bare[count])}`).join(', ')}`,
			`Overhead per item, all models / one model, fields from expressions: ${ITEM_COUNTS.map((count) => `${count} items ${ratio(pixverseWithExpressions[count], oneModel[count])}`).join(', ')}`,
			`Expressions evaluated per item: ${expressionCounts.join('; ')}`,
			'',
		].join('\n'),
	);
});
