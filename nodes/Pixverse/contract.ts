/**
 * The Segmind Pixverse image-to-video contract, in one place.
 *
 * Source: the model page (shared/seed/pixverse-image2video.txt) and PixVerse's own limits.
 * The UI's options and display conditions, the pre-send validation and the tests all derive
 * from this module, so a rule changes here and nowhere else.
 */
import { z } from 'zod';

/** The seed's one-request endpoint: answers with the video once it is made. */
export const GENERATE_PATH = '/v1/pixverse-image2video';
/** Segmind's async queue: the same body, answered at once with a request id to poll. */
export const SUBMIT_PATH = '/v2/pixverse-image2video';
export const CREDITS_PATH = '/v1/get-user-credits';
export const DEFAULT_BASE_URL = 'https://api.segmind.com';
/** n8n expression for where every request goes: the credential's Base URL, no trailing slash. */
export const BASE_URL_FROM_CREDENTIAL = `={{ ($credentials.baseUrl || "${DEFAULT_BASE_URL}").replace(/\\/+$/, "") }}`;
/** The seed's own example image; used as the field's placeholder. */
export const EXAMPLE_IMAGE_URL =
	'https://segmind-resources.s3.amazonaws.com/input/783a73f1-bdf8-441c-982c-b7cd75d80df9-pixverse-i2v-ip.webp';

export const QUALITIES = ['360p', '540p', '720p', '1080p'] as const;
export const MOTION_MODES = ['normal', 'fast'] as const;
export const DURATIONS = [5, 8] as const;
export const STYLES = ['anime', '3d_animation', 'clay', 'comic', 'cyberpunk'] as const;

export type Quality = (typeof QUALITIES)[number];
export type MotionMode = (typeof MOTION_MODES)[number];
export type Duration = (typeof DURATIONS)[number];
export type Style = (typeof STYLES)[number];

export const DEFAULT_QUALITY: Quality = '540p';
export const DEFAULT_MOTION_MODE: MotionMode = 'normal';
export const DEFAULT_DURATION: Duration = 5;

/** PixVerse's documented limits. */
export const PROMPT_MAX_LENGTH = 2048;
export const SEED_MIN = 0;
export const SEED_MAX = 2147483647;

/** The image PixVerse animates: these types, under 20 MB, at most 4000 px on either side. */
export const IMAGE_TYPES = ['png', 'webp', 'jpeg'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
export const IMAGE_MIME_TYPES: Record<ImageType, string> = {
	png: 'image/png',
	webp: 'image/webp',
	jpeg: 'image/jpeg',
};
export const IMAGE_MAX_BYTES = 20 * 1024 * 1024;
export const IMAGE_MAX_SIDE = 4000;

/**
 * Segmind Storage turns a data URI into a public URL for `image_url`:
 * POST {"data_urls": ["data:image/png;base64,..."]} with x-api-key, answers {"urls": ["https://..."]}.
 */
export const DEFAULT_STORAGE_UPLOAD_URL = 'https://workflows-api.segmind.com/upload-asset';

/** 1080p renders normal motion only. */
export function allowedMotionModes(quality: Quality): MotionMode[] {
	return quality === '1080p' ? ['normal'] : [...MOTION_MODES];
}

/** 1080p and fast motion both render 5-second videos only. */
export function allowedDurations(quality: Quality, motionMode: MotionMode): Duration[] {
	return quality === '1080p' || motionMode === 'fast' ? [5] : [...DURATIONS];
}

export function isAllowedCombination(quality: Quality, motionMode: MotionMode, duration: Duration) {
	return (
		allowedMotionModes(quality).includes(motionMode) &&
		allowedDurations(quality, motionMode).includes(duration)
	);
}

/** The names a person sees in the node's panel, keyed by the API's body field. */
export const FIELD_LABELS = {
	image_url: 'Image URL',
	prompt: 'Prompt',
	negative_prompt: 'Negative Prompt',
	quality: 'Quality',
	motion_mode: 'Motion Mode',
	duration: 'Duration (Seconds)',
	seed: 'Seed',
	style: 'Style',
} as const;

export type BodyField = keyof typeof FIELD_LABELS;

function isHttpUrl(value: string) {
	try {
		const { protocol } = new URL(value);
		return protocol === 'http:' || protocol === 'https:';
	} catch {
		return false;
	}
}

const quoted = (value: unknown) =>
	value === undefined || value === null || value === '' ? '(empty)' : JSON.stringify(value);
const listOf = (values: readonly unknown[]) => values.join(', ');

/**
 * Values from expressions arrive as strings ("8" from a webhook query); a whole-number string is
 * what the person meant, so it becomes a number. Anything else is left for the schema to reject.
 */
function wholeNumberFromString(value: unknown) {
	return typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
}

/** An optional field left empty (or added and cleared) is not sent at all. */
function emptyToUndefined(value: unknown) {
	if (value === null || value === undefined) return undefined;
	if (typeof value === 'string' && value.trim() === '') return undefined;
	return value;
}

const requiredText = (field: 'prompt') =>
	z
		.string({
			invalid_type_error: `${FIELD_LABELS[field]} must be text`,
			required_error: `${FIELD_LABELS[field]} is required: describe what should happen in the video`,
		})
		.trim()
		.min(1, `${FIELD_LABELS[field]} is empty: describe what should happen in the video`)
		.max(
			PROMPT_MAX_LENGTH,
			`${FIELD_LABELS[field]} is too long: at most ${PROMPT_MAX_LENGTH} characters are allowed`,
		);

const oneOf = <T extends string>(values: readonly [T, ...T[]]) =>
	z.custom<T>((value) => (values as readonly unknown[]).includes(value), {
		message: `is not valid: allowed values are ${listOf(values)}`,
	});

const generationRequestShape = z
	.object({
		image_url: z
			.string({
				invalid_type_error: `${FIELD_LABELS.image_url} must be text`,
				required_error: `${FIELD_LABELS.image_url} is required: give a public http(s) link to the image to animate`,
			})
			.trim()
			.refine(
				isHttpUrl,
				'is not valid: it must be a public http:// or https:// link to a png, webp or jpeg image',
			),
		prompt: requiredText('prompt'),
		negative_prompt: z.preprocess(
			emptyToUndefined,
			z
				.string({ invalid_type_error: `${FIELD_LABELS.negative_prompt} must be text` })
				.max(
					PROMPT_MAX_LENGTH,
					`${FIELD_LABELS.negative_prompt} is too long: at most ${PROMPT_MAX_LENGTH} characters are allowed`,
				)
				.optional(),
		),
		quality: oneOf(QUALITIES),
		motion_mode: oneOf(MOTION_MODES),
		duration: z.preprocess(
			wholeNumberFromString,
			z.custom<Duration>((value) => (DURATIONS as readonly unknown[]).includes(value), {
				message: `is not valid: allowed values are ${listOf(DURATIONS)} (seconds)`,
			}),
		),
		seed: z.preprocess(
			(value) => wholeNumberFromString(emptyToUndefined(value)),
			z
				.custom<number>(
					(value) =>
						typeof value === 'number' &&
						Number.isInteger(value) &&
						value >= SEED_MIN &&
						value <= SEED_MAX,
					{ message: `is not valid: allowed are whole numbers from ${SEED_MIN} to ${SEED_MAX}` },
				)
				.optional(),
		),
		style: z.preprocess(emptyToUndefined, oneOf(STYLES).optional()),
	})
	.strict();

export type GenerationRequest = {
	image_url: string;
	prompt: string;
	negative_prompt?: string;
	quality: Quality;
	motion_mode: MotionMode;
	duration: Duration;
	seed?: number;
	style?: Style;
};

/** The body schema plus PixVerse's combination rules. */
export const generationRequestSchema = generationRequestShape.superRefine((body, context) => {
	const { quality, motion_mode: motionMode, duration } = body;
	// Only a combination of valid values can break a combination rule; invalid values already
	// have their own message.
	const known = <T>(values: readonly T[], value: unknown) => values.includes(value as T);
	if (
		!known(QUALITIES, quality) ||
		!known(MOTION_MODES, motionMode) ||
		!known(DURATIONS, duration)
	) {
		return;
	}
	if (!allowedMotionModes(quality).includes(motionMode)) {
		context.addIssue({
			code: z.ZodIssueCode.custom,
			path: ['motion_mode'],
			message: `is not available at ${FIELD_LABELS.quality} ${quality}: allowed is ${listOf(allowedMotionModes(quality))}`,
		});
		return;
	}
	if (!allowedDurations(quality, motionMode).includes(duration)) {
		const reason =
			quality === '1080p' ? `${FIELD_LABELS.quality} 1080p` : `${FIELD_LABELS.motion_mode} fast`;
		context.addIssue({
			code: z.ZodIssueCode.custom,
			path: ['duration'],
			message: `is not available with ${reason}: allowed is ${listOf(allowedDurations(quality, motionMode))}`,
		});
	}
});

export type ContractViolation = { field: string; message: string };

/**
 * Checks a request body against the contract. A failure names the field as the panel shows it,
 * the value that was given and what is allowed, so a person can fix it without the docs.
 */
export function checkGenerationRequest(
	body: Record<string, unknown>,
): { ok: true; request: GenerationRequest } | { ok: false; violations: ContractViolation[] } {
	const result = generationRequestSchema.safeParse(body);
	if (result.success) {
		// Optional fields left empty are absent, not `undefined`, in what the node outputs.
		const request = Object.fromEntries(
			Object.entries(result.data).filter(([, value]) => value !== undefined),
		) as GenerationRequest;
		return { ok: true, request };
	}
	const violations = result.error.issues.map((issue) => {
		const key = issue.path[0];
		if (issue.code === z.ZodIssueCode.unrecognized_keys) {
			return {
				field: issue.keys.join(', '),
				message: `Unknown field ${listOf(issue.keys)}: Segmind accepts only ${listOf(Object.keys(FIELD_LABELS))}`,
			};
		}
		const label =
			typeof key === 'string' && key in FIELD_LABELS ? FIELD_LABELS[key as BodyField] : String(key);
		// Messages that already start with the label are complete sentences; the others are the
		// tail of "<Label> <value> <message>".
		if (issue.message.startsWith(label)) return { field: label, message: issue.message };
		return { field: label, message: `${label} ${quoted(body[key as string])} ${issue.message}` };
	});
	return { ok: false, violations };
}

/** Every combination the UI could ever be asked about, valid or not. */
export function allCombinations() {
	return QUALITIES.flatMap((quality) =>
		MOTION_MODES.flatMap((motionMode) =>
			DURATIONS.map((duration) => ({ quality, motionMode, duration })),
		),
	);
}

/**
 * How Generate From Image talks to Segmind. Segmind calls the one-request endpoint "maintenance
 * mode" and recommends its queue for video: a request held open for a minute or more can be cut
 * by a proxy or a timeout while the video is still made and billed.
 */
export const MODES = ['waitForVideo', 'singleRequest', 'submitOnly'] as const;
export type Mode = (typeof MODES)[number];
export const DEFAULT_MODE: Mode = 'waitForVideo';

/** Where a queued job's state and result are read. */
export const requestStatusPath = (requestId: string) =>
	`/v2/requests/${encodeURIComponent(requestId)}/status`;
export const requestResultPath = (requestId: string) =>
	`/v2/requests/${encodeURIComponent(requestId)}`;

/** A queued job's states, as the status endpoint reports them. */
export const JOB_DONE = 'COMPLETED';
export const JOB_FAILED = 'FAILED';

/** Segmind keeps request records about an hour, and finished files seven days. */
export const REQUEST_RECORD_LIFETIME = 'about an hour';

/**
 * A Request ID as Segmind returns it, or any of the URLs Segmind returns for it (status, poll,
 * response): people paste whichever they kept. Only the id is used, and the requests are sent to
 * the credential's Base URL, so a pasted URL can never send the API key to another host.
 */
export function requestIdFrom(input: unknown): string | undefined {
	if (typeof input !== 'string' && typeof input !== 'number') return undefined;
	const text = String(input).trim();
	const fromUrl = /\/requests\/([^/?#\s]+)/.exec(text)?.[1];
	const id = fromUrl ?? text;
	return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id) ? id : undefined;
}

/** The submit answer: `{request_id, status, poll_url, status_url, response_url}`. */
export const submittedJobSchema = z
	.object({
		request_id: z.union([z.string().min(1), z.number()]).transform(String),
		status: z.string().optional(),
		poll_url: z.string().optional(),
		status_url: z.string().optional(),
		response_url: z.string().optional(),
	})
	.passthrough();

/** The status answer; `metrics` and other fields vary by model and are passed through. */
export const jobStatusSchema = z.object({ status: z.string() }).passthrough();
