/**
 * Resource Video: the generating operations (one per kind of input), each with a Model field
 * offering the models that serve it, and Get Result. The fields come from the model specs
 * (./modelFields.ts); the routing of each operation names its method, hooks and executor.
 */
import type { INodeProperties, INodePropertyRouting } from 'n8n-workflow';

import {
	DEFAULT_MODE,
	DEFAULT_TIMEOUT_SECONDS,
	generationHooksFor,
	type Mode,
} from '../actions/generate';
import { ON_RETRIED_EXECUTION } from '../actions/earlierJobs';
import { DEFAULT_HAND_OFF_AFTER_SECONDS } from '../actions/handOff';
import { getResult, prepareResultRequest } from '../actions/getResult';
import { DEFAULT_MAX_WAIT_SECONDS } from '../actions/jobWait';
import { DEFAULT_BINARY_PROPERTY } from '../actions/videoItem';
import { DEFAULT_INPUT_BINARY_FIELD, IMAGE_SOURCES } from '../actions/binaryImages';
import { GENERATION_OPERATIONS, MODELS, OPERATIONS } from '../models';
import { IMAGE_LIMITS_IN_WORDS } from '../models/inputLimits';
import type { MediaField, ModelSpec } from '../models/spec';
import {
	DEFAULT_MAX_CONCURRENT_REQUESTS,
	DEFAULT_MAX_RETRY_WAIT_SECONDS,
	DEFAULT_RATE_LIMIT_RETRIES,
	FIRST_BACKOFF_WINDOW_MS,
} from '../transport/client';
import { routedAnswer } from '../transport/routedAnswer';
import {
	additionalFieldsCollection,
	modelParameters,
	parameterProperties,
	ruleNotices,
} from './modelFields';

const VIDEO = { resource: ['video'] };
const GENERATING = { ...VIDEO, operation: [...GENERATION_OPERATIONS] };

/**
 * Every operation's routing: its request (built by RoutingNode from the fields and completed by
 * the preSend hooks) goes to the operation's executor, which sends it with `makeRoutingRequest`
 * through the client; `routedAnswer` hands the client the whole answer to map.
 */
export function routedThroughClient(
	method: 'GET' | 'POST',
	preSend: NonNullable<NonNullable<INodePropertyRouting['send']>['preSend']>,
	executor: NonNullable<NonNullable<INodePropertyRouting['operations']>['pagination']>,
	url?: string,
): INodePropertyRouting {
	return {
		request: { method, ...(url ? { url } : {}), ignoreHttpStatusErrors: true },
		send: { preSend, paginate: true },
		operations: { pagination: executor },
		output: { postReceive: [routedAnswer] },
	};
}

/** The Operation field; each generating operation's routing looks its model up in `models`. */
function operationField(models: readonly ModelSpec[]): INodeProperties {
	const { prepareGeneration, generate } = generationHooksFor(models);
	const generationRouting = routedThroughClient('POST', [prepareGeneration], generate);
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: VIDEO },
		options: [
			...GENERATION_OPERATIONS.map((operation) => ({
				name: OPERATIONS[operation].name,
				value: operation,
				action: OPERATIONS[operation].action,
				description: OPERATIONS[operation].description,
				routing: generationRouting,
			})),
			{
				name: 'Get Result',
				value: 'getResult',
				action: 'Get the video of a submitted job',
				description:
					'Fetch the video of a job queued earlier (Submit Only, a pending item, or one that outlived Max Wait), waiting for it up to Hand Off After. Never bills again.',
				routing: routedThroughClient('GET', [prepareResultRequest], getResult),
			},
		].sort((one, other) => one.name.localeCompare(other.name)),
		default: 'generateFromImage',
	};
}

/**
 * One Model field per operation, offering only the models that serve it. A fixed value (no
 * expressions): the model decides which fields the panel shows.
 */
function modelPickers(models: readonly ModelSpec[]): INodeProperties[] {
	return GENERATION_OPERATIONS.map((operation) => {
		const { defaultModel } = OPERATIONS[operation];
		return {
			displayName: 'Model',
			name: 'model',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { ...VIDEO, operation: [operation] } },
			options: models
				.filter((model) => model.operations.includes(operation))
				.map((model) => ({
					name: model.name,
					value: model.slug,
					description: `${model.summary}. About ${model.typicalSeconds} s per video, ${model.price}.`,
				})),
			default: defaultModel,
			description: 'The PixVerse model on Segmind that makes the video',
		};
	});
}

const modeField: INodeProperties = {
	displayName: 'Mode',
	name: 'mode',
	type: 'options',
	noDataExpression: true,
	default: DEFAULT_MODE,
	displayOptions: { show: GENERATING },
	options: [
		{
			name: 'Wait for Video',
			value: 'waitForVideo' satisfies Mode,
			description:
				"Queue the job with Segmind and check on it until the video is ready. Survives long generations; Segmind's recommended way.",
		},
		{
			name: 'Single Request',
			value: 'singleRequest' satisfies Mode,
			description:
				'One request held open until the video arrives. A timeout or proxy cut-off can lose a video that was billed.',
		},
		{
			name: 'Submit Only',
			value: 'submitOnly' satisfies Mode,
			description:
				'Queue the job and return its Request ID at once; fetch the video later with Get Result',
		},
	],
	description: 'How to wait for the video. Every mode bills one video per item.',
};

/**
 * The panel's order: the inputs first, then what the models are asked for. A parameter a model
 * adds that is not listed here comes after these.
 */
const PANEL_ORDER = [
	'videoUrl',
	'imageUrl',
	'firstFrameUrl',
	'lastFrameUrl',
	'prompt',
	'aspectRatio',
	'quality',
	'motionMode',
	'duration',
	'generateAudio',
];
const inPanelOrder = (parameters: string[]) =>
	[...parameters].sort(
		(one, other) =>
			(PANEL_ORDER.indexOf(one) + 1 || PANEL_ORDER.length + 1) -
			(PANEL_ORDER.indexOf(other) + 1 || PANEL_ORDER.length + 1),
	);

/**
 * A parameter's fields: one property, or for an image a switch to a binary field of the input
 * item, which is uploaded to Segmind Storage before anything is generated
 * (../actions/binaryImages.ts).
 */
function mainFields(models: readonly ModelSpec[], parameter: string): INodeProperties[] {
	const [url, ...more] = parameterProperties(models, parameter);
	if (more.length) return [url, ...more];
	const media = models
		.flatMap((model) => model.fields)
		.find((field): field is MediaField => field.type === 'media' && field.parameter === parameter);
	const binary = media?.fromBinary;
	if (!binary) return [url];
	const show = url.displayOptions!.show!;
	const label = media.input;
	return [
		{
			displayName: `${label} Source`,
			name: binary.sourceParameter,
			type: 'options',
			noDataExpression: true,
			default: 'url',
			displayOptions: { show },
			options: [
				{
					name: 'URL',
					value: IMAGE_SOURCES.url,
					description: 'A public http(s) link that Segmind can download',
				},
				{
					name: 'Binary Data',
					value: IMAGE_SOURCES.binaryData,
					description:
						'An image file from an earlier node (form upload, Google Drive, email attachment...), uploaded to Segmind Storage first',
				},
			],
		},
		{
			...url,
			displayOptions: { show: { ...show, [binary.sourceParameter]: [IMAGE_SOURCES.url] } },
		},
		{
			displayName: binary.fieldLabel,
			name: binary.fieldParameter,
			type: 'string',
			required: true,
			default: DEFAULT_INPUT_BINARY_FIELD,
			placeholder: 'e.g. data',
			hint: 'The name of the input binary field holding the image',
			displayOptions: {
				show: { ...show, [binary.sourceParameter]: [IMAGE_SOURCES.binaryData] },
			},
			description: `Binary field of the input item with the image: ${IMAGE_LIMITS_IN_WORDS}. It is checked, then uploaded to Segmind Storage (a public URL Segmind keeps), before anything is generated.`,
		},
	];
}

const copyMotionNotice: INodeProperties = {
	displayName:
		'The subject of the image performs the motion of the video. Short clips (under 10 s) with one clearly visible person work best.',
	name: 'copyMotionNotice',
	type: 'notice',
	default: '',
	displayOptions: { show: { ...VIDEO, operation: ['copyMotion'] } },
};

/**
 * Models whose typical time is over a third of the default hand-off: a slow queue or a long,
 * high-quality video easily takes three times the typical time, and then the item leaves pending.
 */
const LONG_JOB_SHARE_OF_HAND_OFF = 1 / 3;

/** A notice on each model likely to outlast the hand-off, telling what the person will see. */
function longJobNotices(models: readonly ModelSpec[]): INodeProperties[] {
	return models
		.filter(
			(model) => model.typicalSeconds > DEFAULT_HAND_OFF_AFTER_SECONDS * LONG_JOB_SHARE_OF_HAND_OFF,
		)
		.map((model) => ({
			displayName: `${model.name} usually takes ${model.typicalSeconds} s, often more. When the video is not ready by Options > Hand Off After (default ${DEFAULT_HAND_OFF_AFTER_SECONDS} s, within n8n Cloud's 5-minute execution limit), the item leaves with status "pending" and its request ID: send it to Get Result, in this or a later execution, to get the video without paying again.`,
			name: `longJobNotice${model.slug.replace(/[^A-Za-z0-9]/g, '')}`,
			type: 'notice',
			default: '',
			displayOptions: {
				show: {
					...VIDEO,
					operation: [...model.operations],
					model: [model.slug],
					mode: ['waitForVideo'],
				},
			},
		}));
}

const onlyInModes = (...modes: Mode[]) => ({ show: { '/mode': modes } });

/** When an item leaves the node without its video, ahead of n8n's execution time limit. */
const handOffOption: INodeProperties = {
	displayName: 'Hand Off After (Seconds)',
	name: 'handOffAfter',
	type: 'number',
	default: DEFAULT_HAND_OFF_AFTER_SECONDS,
	typeOptions: { minValue: 0 },
	description: `If the video is not ready this long after the node started, the item leaves the node with status "pending", its request ID and when to check next, instead of being cancelled with the execution by n8n's time limit (n8n Cloud: 5 minutes from the execution's start). The job goes on and is billed once; Get Result fetches it later. The default, ${DEFAULT_HAND_OFF_AFTER_SECONDS} s, leaves a minute of Cloud's five for the other nodes; a workflow Timeout setting brings it forward. 0: hand off at once (Get Result: after one check). Without a time limit (self-hosted), raise it to Max Wait to always wait.`,
};

/** Where the video goes and what it is called; Get Result offers the same. */
const videoOutputOptions: INodeProperties[] = [
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		default: '',
		placeholder: 'pixverse-{request ID}.mp4',
		description:
			'Name of the video file. Leave empty for pixverse-{request ID}.mp4, using the request ID Segmind returns (or a timestamp when it sends none).',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: DEFAULT_BINARY_PROPERTY,
		description: 'Name of the binary field the video is written to',
	},
];

/** How long to wait for a queued job and when to check; Get Result offers the same. */
const jobWaitOptions: INodeProperties[] = [
	{
		displayName: 'Max Wait (Seconds)',
		name: 'maxWait',
		type: 'number',
		default: DEFAULT_MAX_WAIT_SECONDS,
		typeOptions: { minValue: 0 },
		description:
			'How long to wait for the video before giving up. The job is not cancelled: the error gives its Request ID, and Get Result fetches it later without paying again.',
	},
	{
		displayName: 'Expected Generation Time (Seconds)',
		name: 'expectedTime',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		description:
			"When the video should be ready; 0 uses the model's typical time as Segmind publishes it. Status checks are planned around it: a few before, one just after, then further apart. Raise it for long or high-quality videos.",
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, numberPrecision: 2 },
		description:
			'Check the job at this fixed interval instead of the planned checks; 0 plans them from the expected time. Each check is a request to Segmind.',
	},
];

/** Options of the generating operations, each shown in the modes it applies to, alphabetical. */
const generationOptions = (
	[
		...videoOutputOptions.map((option) => ({
			...option,
			displayOptions: onlyInModes('waitForVideo', 'singleRequest'),
		})),
		...jobWaitOptions.map((option) => ({ ...option, displayOptions: onlyInModes('waitForVideo') })),
		{ ...handOffOption, displayOptions: onlyInModes('waitForVideo', 'submitOnly') },
		{
			displayName: 'Also Retry Server Errors and Timeouts (May Bill Twice)',
			name: 'retryMayBillTwice',
			type: 'boolean',
			default: false,
			displayOptions: onlyInModes('singleRequest'),
			description:
				'Whether to also retry 5xx answers, timeouts and dropped connections. After a timeout, a gateway error (502, 504) or a cut-off answer Segmind may already have made and billed the video, so a retry can pay for it twice. A 500 or 503 is not billed, but it usually means the model refused this input, so a retry mostly fails again. Off by default.',
		},
		{
			displayName: 'Max Concurrent Requests',
			name: 'maxConcurrentRequests',
			type: 'number',
			default: DEFAULT_MAX_CONCURRENT_REQUESTS,
			typeOptions: { minValue: 1, numberPrecision: 0 },
			description:
				'How many requests this node has open with Segmind at the same time; the other items wait their turn. In Single Request mode each request is a whole generation. Raise it if your Segmind plan allows more (free: 5 requests a minute, Pro: 50).',
		},
		{
			displayName: 'Max Wait per Retry (Seconds)',
			name: 'maxRetryWait',
			type: 'number',
			default: DEFAULT_MAX_RETRY_WAIT_SECONDS,
			typeOptions: { minValue: 0 },
			description: `Longest pause before a retry, even when Segmind asks for a longer one. After a 429 every request to the account waits for Segmind's reset time, then they go one at a time at the pace Segmind accepts; after other failures a retry waits a random share of a window doubling from ${FIRST_BACKOFF_WINDOW_MS / 1000} s.`,
		},
		{
			displayName: 'On Retried Execution',
			name: 'onRetriedExecution',
			type: 'options',
			default: 'reuseJob',
			displayOptions: onlyInModes('waitForVideo', 'submitOnly'),
			options: [
				{
					name: 'Reuse the Failed Run’s Jobs',
					value: ON_RETRIED_EXECUTION.reuseJob,
					description:
						'An item whose job Segmind had already accepted, for the same request, fetches that job instead of paying again',
				},
				{
					name: 'Generate Again (Bills Again)',
					value: ON_RETRIED_EXECUTION.generateAgain,
					description: 'Every item submits a new job, even one that was already paid for',
				},
			],
			description:
				'What this node does when you retry a failed execution in n8n ("Retry execution"): the failed run may already have paid for some videos',
		},
		{
			displayName: 'Rate Limit Retries',
			name: 'rateLimitRetries',
			type: 'number',
			default: DEFAULT_RATE_LIMIT_RETRIES,
			typeOptions: { minValue: 0, maxValue: 50, numberPrecision: 0 },
			description:
				'How often to try again after a failure that cannot bill twice: a 429 (too many requests), where Segmind starts nothing; a connection that could not be made; in the queue modes also a 500 on the submit and any failed check on a job. Use this instead of the node setting "Retry On Fail", which also repeats failures that may have been billed.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			default: DEFAULT_TIMEOUT_SECONDS,
			displayOptions: onlyInModes('singleRequest'),
			typeOptions: { minValue: 1 },
			description: `How long to wait for Segmind to return the video. Generations take about a minute and several under load; ${DEFAULT_TIMEOUT_SECONDS} s leaves room for a slow 1080p job. A generation cut off by the timeout may still be billed.`,
		},
	] satisfies INodeProperties[]
).sort((one, other) => one.displayName.localeCompare(other.displayName));

const showOnlyForGetResult = { ...VIDEO, operation: ['getResult'] };

/** Get Result's Model option: the job's model names the output and plans the status checks. */
function jobModelOption(models: readonly ModelSpec[]): INodeProperties {
	const firstModel = models[0].slug;
	return {
		displayName: 'Model',
		name: 'model',
		type: 'options',
		options: models.map((model) => ({ name: model.name, value: model.slug })),
		default: firstModel,
		description:
			'The model the job was submitted to (Submit Only outputs it as "model"): the output names it, and its typical time spaces the status checks. Segmind\'s answer does not say.',
	};
}

const getResultFields = (models: readonly ModelSpec[]): INodeProperties[] => [
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.requestId }}',
		displayOptions: { show: showOnlyForGetResult },
		description:
			"ID of a queued job (Submit Only and pending items hold it; a Max Wait error and n8n's log name it). Segmind's status or result URL works too. Fetching never bills again. When the input item is that job's pending or Submit Only item, its model and submission time are read from it too.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showOnlyForGetResult },
		options: [...videoOutputOptions, ...jobWaitOptions, handOffOption, jobModelOption(models)].sort(
			(one, other) => one.displayName.localeCompare(other.displayName),
		),
	},
];

const generationOptionsCollection: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	displayOptions: { show: GENERATING },
	options: generationOptions,
};

/** Resource Video's properties for these models (the node's are MODELS). */
export function videoProperties(models: readonly ModelSpec[] = MODELS): INodeProperties[] {
	return [
		operationField(models),
		...modelPickers(models),
		modeField,
		copyMotionNotice,
		...longJobNotices(models),
		...inPanelOrder(modelParameters(models, 'main')).flatMap((parameter) =>
			mainFields(models, parameter),
		),
		...ruleNotices(models),
		additionalFieldsCollection(models),
		generationOptionsCollection,
		...getResultFields(models),
	];
}
