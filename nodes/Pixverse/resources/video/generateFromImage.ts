import type { INodeProperties, INodePropertyRouting } from 'n8n-workflow';

import { DEFAULT_MAX_WAIT_SECONDS, DEFAULT_POLL_INTERVAL_SECONDS } from '../../queue';

import {
	DEFAULT_TIMEOUT_SECONDS,
	submittedJobFromResponse,
	videoFromResponse,
} from './generateFromImage.hooks';
import { DEFAULT_BINARY_PROPERTY } from './videoOutput';
import {
	DEFAULT_MAX_CONCURRENT_REQUESTS,
	DEFAULT_MAX_RETRY_WAIT_SECONDS,
	DEFAULT_RATE_LIMIT_RETRIES,
} from '../../safeRetries';
import {
	allowedDurations,
	allowedMotionModes,
	DEFAULT_DURATION,
	DEFAULT_MODE,
	DEFAULT_MOTION_MODE,
	DEFAULT_QUALITY,
	EXAMPLE_IMAGE_URL,
	GENERATE_PATH,
	MOTION_MODES,
	PROMPT_MAX_LENGTH,
	QUALITIES,
	SEED_MAX,
	STYLES,
	SUBMIT_PATH,
	type Duration,
	type Mode,
	type MotionMode,
	type Quality,
} from '../../contract';
import { imageSourceFields, showOnlyForImageUrl } from './imageSource';

const showOnlyForGenerateFromImage = {
	resource: ['video'],
	operation: ['generateFromImage'],
};

const QUALITY_LABELS: Record<Quality, string> = {
	'360p': '360p',
	'540p': '540p (Default)',
	'720p': '720p',
	'1080p': '1080p (Normal Motion, 5 s Only)',
};
const MOTION_MODE_LABELS: Record<MotionMode, string> = {
	normal: 'Normal',
	fast: 'Fast (5 s Only)',
};
const STYLE_LABELS: Record<(typeof STYLES)[number], string> = {
	anime: 'Anime',
	'3d_animation': '3D Animation',
	clay: 'Clay',
	comic: 'Comic',
	cyberpunk: 'Cyberpunk',
};

/**
 * n8n shows or hides whole fields, not single options. To make an invalid combination
 * impossible to pick, Motion Mode and Duration each exist once per distinct set of allowed
 * options (same parameter name, so the value and the request body stay one), and display
 * conditions show exactly the variant whose options the contract allows for the chosen values.
 * The variants are computed from the contract so a rule cannot drift from the UI.
 */
function groupBy<K, V>(entries: Array<[K, V]>, keyOf: (value: V) => string) {
	const groups = new Map<string, { value: V; keys: K[] }>();
	for (const [key, value] of entries) {
		const group = groups.get(keyOf(value)) ?? { value, keys: [] };
		group.keys.push(key);
		groups.set(keyOf(value), group);
	}
	return [...groups.values()];
}

const motionModeFields: INodeProperties[] = groupBy(
	QUALITIES.map((quality) => [quality, allowedMotionModes(quality)] as [Quality, MotionMode[]]),
	(modes) => modes.join(),
).map(({ value: modes, keys: qualities }) => ({
	displayName: 'Motion Mode',
	name: 'motionMode',
	type: 'options',
	displayOptions: { show: { ...showOnlyForGenerateFromImage, quality: qualities } },
	options: modes.map((mode) => ({ name: MOTION_MODE_LABELS[mode], value: mode })),
	default: DEFAULT_MOTION_MODE,
	description:
		modes.length === MOTION_MODES.length
			? 'How much movement the video has. Fast motion makes 5-second videos only.'
			: `How much movement the video has. At ${qualities.join(', ')} only normal motion is available.`,
}));

/**
 * Duration depends on Motion Mode only where a quality offers a choice of motion; at a quality
 * with a single motion mode (1080p) it depends on the quality alone, so a Motion Mode value left
 * over from another quality can never hide the Duration field.
 */
type DurationCondition = { motionMode?: MotionMode; durations: Duration[] };

const durationConditions = QUALITIES.flatMap((quality) => {
	const modes = allowedMotionModes(quality);
	return modes.length === 1
		? [
				[quality, { durations: allowedDurations(quality, modes[0]) }] as [
					Quality,
					DurationCondition,
				],
			]
		: modes.map(
				(motionMode) =>
					[quality, { motionMode, durations: allowedDurations(quality, motionMode) }] as [
						Quality,
						DurationCondition,
					],
			);
});

const durationFields: INodeProperties[] = groupBy(
	durationConditions,
	({ motionMode, durations }) => `${motionMode ?? 'any'}:${durations.join()}`,
).map(({ value: { motionMode, durations }, keys: qualities }) => ({
	displayName: 'Duration (Seconds)',
	name: 'duration',
	type: 'options' as const,
	displayOptions: {
		show: {
			...showOnlyForGenerateFromImage,
			quality: qualities,
			...(motionMode ? { motionMode: [motionMode] } : {}),
		},
	},
	options: durations.map((seconds) => ({ name: `${seconds} Seconds`, value: seconds })),
	default: DEFAULT_DURATION,
	description:
		durations.length > 1
			? 'Length of the video. 8 seconds costs more than 5.'
			: 'Length of the video. Only 5 seconds is available with this quality and motion.',
}));

/** Why an option is missing, shown right where a person looks for it. */
const whyOptionsAreMissing: INodeProperties[] = [
	{
		displayName:
			'At 1080p PixVerse makes 5-second videos with normal motion only, so Fast motion and 8 seconds are not offered',
		name: 'notice1080p',
		type: 'notice',
		default: '',
		displayOptions: {
			show: {
				...showOnlyForGenerateFromImage,
				quality: QUALITIES.filter((quality) => allowedMotionModes(quality).length === 1),
			},
		},
	},
	{
		displayName: 'Fast motion makes 5-second videos only, so 8 seconds is not offered',
		name: 'noticeFastMotion',
		type: 'notice',
		default: '',
		displayOptions: {
			show: {
				...showOnlyForGenerateFromImage,
				quality: QUALITIES.filter((quality) => allowedMotionModes(quality).includes('fast')),
				motionMode: ['fast'],
			},
		},
	},
];

const onlyInModes = (...modes: Mode[]) => ({ show: { '/mode': modes } });

/** Both queue modes submit the same way; Wait for Video then waits (generateInChosenMode). */
const queueSubmitRouting: INodePropertyRouting = {
	request: { url: SUBMIT_PATH },
	output: { postReceive: [submittedJobFromResponse] },
};

/**
 * Each mode names its endpoint and how the answer is read, so the routing stays in the
 * description; the same fields, validation and errors serve all three.
 */
const modeField: INodeProperties = {
	displayName: 'Mode',
	name: 'mode',
	type: 'options',
	noDataExpression: true,
	default: DEFAULT_MODE,
	displayOptions: { show: showOnlyForGenerateFromImage },
	options: [
		{
			name: 'Wait for Video',
			value: 'waitForVideo' satisfies Mode,
			description:
				"Queue the job with Segmind and check on it until the video is ready. Survives long generations; Segmind's recommended way.",
			routing: queueSubmitRouting,
		},
		{
			name: 'Single Request',
			value: 'singleRequest' satisfies Mode,
			description:
				'One request held open until the video arrives. A timeout or proxy cut-off can lose a video that was billed.',
			routing: {
				// A stream: the video goes to n8n's binary storage as it arrives (videoOutput.ts).
				request: { url: GENERATE_PATH, encoding: 'stream' },
				output: { postReceive: [videoFromResponse] },
			},
		},
		{
			name: 'Submit Only',
			value: 'submitOnly' satisfies Mode,
			description:
				'Queue the job and return its Request ID at once; fetch the video later with Get Result',
			routing: queueSubmitRouting,
		},
	],
	description: 'How to wait for the video. Every mode bills one video per item.',
};

/** Where the video goes and what it is called; Get Result offers the same. */
export const videoOutputOptions: INodeProperties[] = [
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

/** How long to wait for a queued job and how often to ask; Get Result offers the same. */
export const jobWaitOptions: INodeProperties[] = [
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
		displayName: 'Poll Interval (Seconds)',
		name: 'pollInterval',
		type: 'number',
		default: DEFAULT_POLL_INTERVAL_SECONDS,
		typeOptions: { minValue: 0.01, numberPrecision: 2 },
		description:
			'How soon to ask Segmind about the job the first time; later checks slow down to every 10 seconds. Checking is free.',
	},
];

/**
 * Options of Generate From Image. Each shows only in the modes it applies to; the list is kept
 * alphabetical, as n8n's own nodes are.
 */
const generationOptions = (
	[
		...videoOutputOptions.map((option) => ({
			...option,
			displayOptions: onlyInModes('waitForVideo', 'singleRequest'),
		})),
		...jobWaitOptions.map((option) => ({
			...option,
			displayOptions: onlyInModes('waitForVideo'),
		})),
		{
			displayName: 'Also Retry Server Errors and Timeouts (May Bill Twice)',
			name: 'retryMayBillTwice',
			type: 'boolean',
			default: false,
			displayOptions: onlyInModes('singleRequest'),
			description:
				'Whether to also retry 5xx answers, timeouts and dropped connections. Segmind may already have started and billed the video, so a retry can pay for it twice. Off by default.',
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
			description:
				'Longest pause before a retry, even when Segmind asks for a longer one (Retry-After)',
		},
		{
			displayName: 'Rate Limit Retries',
			name: 'rateLimitRetries',
			type: 'number',
			default: DEFAULT_RATE_LIMIT_RETRIES,
			typeOptions: { minValue: 0, maxValue: 20, numberPrecision: 0 },
			description:
				'How often to try again after a failure that cannot bill twice: a 429 (too many requests), where Segmind starts nothing; in the queue modes also a server error on the submit and any failed check on a job. Use this instead of the node setting "Retry On Fail", which also repeats failures that may have been billed.',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			default: DEFAULT_TIMEOUT_SECONDS,
			displayOptions: onlyInModes('singleRequest'),
			typeOptions: { minValue: 1 },
			description:
				'How long to wait for Segmind to return the video. Generations take about a minute and several under load; 600 s leaves room for a slow 1080p job. A generation cut off by the timeout may still be billed.',
		},
	] satisfies INodeProperties[]
).sort((one, other) => one.displayName.localeCompare(other.displayName));

export const generateFromImageFields: INodeProperties[] = [
	modeField,
	...imageSourceFields(showOnlyForGenerateFromImage),
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: EXAMPLE_IMAGE_URL,
		displayOptions: { show: { ...showOnlyForGenerateFromImage, ...showOnlyForImageUrl } },
		description:
			'Public http(s) link to the image to animate (png, webp or jpeg, at most 4000 x 4000 px and 20 MB; 1024 x 1024 or larger looks best). Segmind downloads it, so it must be reachable without a login.',
		routing: { send: { type: 'body', property: 'image_url' } },
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Subject dance takes the world by storm!',
		typeOptions: { rows: 3 },
		displayOptions: { show: showOnlyForGenerateFromImage },
		description: `What should happen in the video: the motion, camera and mood. At most ${PROMPT_MAX_LENGTH} characters.`,
		routing: { send: { type: 'body', property: 'prompt' } },
	},
	{
		displayName: 'Quality',
		name: 'quality',
		type: 'options',
		default: DEFAULT_QUALITY,
		displayOptions: { show: showOnlyForGenerateFromImage },
		options: QUALITIES.map((quality) => ({ name: QUALITY_LABELS[quality], value: quality })),
		description:
			'Resolution of the video. Choose it first: 1080p allows only normal motion and 5 seconds.',
		routing: { send: { type: 'body', property: 'quality' } },
	},
	...motionModeFields.map((field) => ({
		...field,
		routing: { send: { type: 'body' as const, property: 'motion_mode' } },
	})),
	...durationFields.map((field) => ({
		...field,
		routing: { send: { type: 'body' as const, property: 'duration' } },
	})),
	...whyOptionsAreMissing,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show: showOnlyForGenerateFromImage },
		options: [
			{
				displayName: 'Negative Prompt',
				name: 'negativePrompt',
				type: 'string',
				default: '',
				placeholder: 'No sudden movements, no fast zooms.',
				typeOptions: { rows: 2 },
				description: `What the video should avoid. At most ${PROMPT_MAX_LENGTH} characters. Left out when empty.`,
				routing: { send: { type: 'body', property: 'negative_prompt' } },
			},
			{
				displayName: 'Seed',
				name: 'seed',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, maxValue: SEED_MAX, numberPrecision: 0 },
				description:
					'Whole number that makes a generation reproducible: the same image, prompt, settings and seed give the same video',
				routing: { send: { type: 'body', property: 'seed' } },
			},
			{
				displayName: 'Style',
				name: 'style',
				type: 'options',
				default: 'anime',
				options: STYLES.map((style) => ({ name: STYLE_LABELS[style], value: style })),
				description: 'Visual style of the video. Segmind documents it for PixVerse v3.5.',
				routing: { send: { type: 'body', property: 'style' } },
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showOnlyForGenerateFromImage },
		options: generationOptions,
	},
];
