/**
 * The request rules of every PixVerse model the simulator serves, hand-written from the evidence
 * in docs/pixverse-models.md, never from the node's own code: the simulator is an independent
 * oracle, so a wrong rule in the node cannot hide here. Each model cites its section of that file
 * (named by its slug); "the page" is that model's Segmind page as its section records it, and
 * "PixVerse" the section "PixVerse's own limits".
 *
 * Policy, from that file's "How to read it": a field is accepted only if the Segmind page for
 * that slug shows it (in its parameter list or its own sample request); anything else answers
 * "Unknown parameter: <name>". Where the evidence leaves a choice open, the rule takes the reading
 * that is safest for a client: it rejects what Segmind or PixVerse might reject.
 *
 * Each model also carries its own test rows: the page's sample request, which it must accept, and
 * the bodies it must refuse (test/simulator/simulator.test.mts runs them for every served model).
 *
 * Runs under jest (swc) and directly under Node 24's type stripping: erasable syntax only.
 */
import { imageTypeOf } from './segmind-storage.mts';

type Body = Record<string, unknown>;
type Need = 'required' | 'optional';

const QUALITIES = ['360p', '540p', '720p', '1080p'];
const ASPECT_RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16'];
const STYLES = ['anime', '3d_animation', 'clay', 'comic', 'cyberpunk'];
/** PixVerse's older limit for prompt and negative_prompt (PixVerse). */
const TEXT_LIMIT = 2048;
/** image2video keeps PixVerse's seed range (its page states none); other pages print 1 - 999999. */
const SEED_MAX = 2147483647;
const PAGE_SEED_MAX = 999999;
const URL_PATTERN = /^https?:\/\/[^\s/]+/i;

// ---- small checks, each returning the 400 messages it found --------------------------------

/** "Unknown parameter" for every field the page does not show for this slug. */
function onlyFields(b: Body, fields: readonly string[]): string[] {
	return Object.keys(b)
		.filter((key) => !fields.includes(key))
		.map((key) => `Unknown parameter: ${key}`);
}

/** Absent (undefined) is judged by `need`; a present value, even null, must be valid. */
function missing(b: Body, name: string, need: Need): string[] | undefined {
	if (b[name] !== undefined) return undefined;
	return need === 'required' ? [`${name} is required`] : [];
}

function url(b: Body, name: string, need: Need): string[] {
	const value = b[name];
	return (
		missing(b, name, need) ??
		(typeof value === 'string' && URL_PATTERN.test(value) ? [] : [`${name} must be an http(s) URL`])
	);
}

/** A non-empty string of at most `max` characters (an empty optional text should be omitted). */
function text(b: Body, name: string, max: number, need: Need): string[] {
	const value = b[name];
	const absent = missing(b, name, need);
	if (absent) return absent;
	if (typeof value !== 'string' || value.trim() === '')
		return [`${name} must be a non-empty string`];
	return value.length > max ? [`${name} must be at most ${max} characters`] : [];
}

function oneOf(b: Body, name: string, values: readonly string[], need: Need): string[] {
	return (
		missing(b, name, need) ??
		(values.includes(b[name] as string) ? [] : [`${name} must be one of ${values.join(', ')}`])
	);
}

/** A JSON number that is an integer in [min, max] ("5" as a string is refused). */
function integer(b: Body, name: string, min: number, max: number, need: Need): string[] {
	const value = b[name];
	return (
		missing(b, name, need) ??
		(Number.isInteger(value) && (value as number) >= min && (value as number) <= max
			? []
			: [`${name} must be an integer from ${min} to ${max}`])
	);
}

/** duration on the 5/8 s models: a JSON integer, 5 or 8. */
function fiveOrEight(b: Body): string[] {
	return (
		missing(b, 'duration', 'required') ??
		(b.duration === 5 || b.duration === 8 ? [] : ['duration must be the integer 5 or 8'])
	);
}

function boolean(b: Body, name: string): string[] {
	return (
		missing(b, name, 'optional') ??
		(typeof b[name] === 'boolean' ? [] : [`${name} must be a boolean (true or false)`])
	);
}

/** Raw base64 (no data: prefix) of a png, jpeg or webp image. */
function base64Image(b: Body, name: string): string[] {
	const value = b[name];
	if (value === undefined) return [];
	const valid =
		typeof value === 'string' &&
		/^[A-Za-z0-9+/]+={0,2}$/.test(value) &&
		value.length % 4 === 0 &&
		imageTypeOf(Buffer.from(value, 'base64')) !== undefined;
	return valid
		? []
		: [`${name} must be a base64-encoded png, jpeg or webp image (no data: prefix)`];
}

// ---- combination rules ---------------------------------------------------------------------

/**
 * The 5/8 s template's motion rules: "only 5 is allowed for fast mode or 1080p quality" and
 * "--quality=1080p does not support fast" (pixverse-4.5-video, pixverse-text2video,
 * pixverse-image2video).
 */
function fastAnd1080pRules(b: Body): string[] {
	const problems: string[] = [];
	if (b.motion_mode === 'fast' && b.duration === 8)
		problems.push('fast motion_mode is only available when duration=5');
	if (b.quality === '1080p' && b.motion_mode === 'fast')
		problems.push('quality 1080p does not support fast motion_mode');
	return [...problems, ...only5sAt1080p(b)];
}

function only5sAt1080p(b: Body): string[] {
	return b.quality === '1080p' && b.duration === 8
		? ['quality 1080p does not support duration=8']
		: [];
}

/**
 * pixverse-4.5-video, pixverse-5-video (page): "If a reference image is provided, its aspect ratio
 * will be used instead, and the specified aspect_ratio will be ignored" (pixverse-v6: the same,
 * from PixVerse). Ignored is not
 * rejected, but a client should not send a value that has no effect: refused here.
 */
function noAspectRatioWithImage(b: Body): string[] {
	return b.aspect_ratio !== undefined && b.image_url !== undefined
		? ['aspect_ratio must be omitted when image_url is given (the image sets the ratio)']
		: [];
}

/**
 * pixverse-5-video, pixverse-5-transition: lip_sync_switch is in the V5 samples (false), but the
 * TTS fields that lip sync needs (lip_sync_tts_content and a speaker, PixVerse) are not shown on
 * Segmind: true is refused.
 */
function noLipSync(b: Body): string[] {
	return b.lip_sync_switch === true
		? ['lip_sync_switch=true needs lip-sync TTS fields this endpoint does not take; send false']
		: [];
}

// ---- image2video: the rules this simulator has always enforced ------------------------------

const IMAGE2VIDEO_FIELDS = [
	'image_url',
	'prompt',
	'negative_prompt',
	'duration',
	'quality',
	'motion_mode',
	'seed',
	'style',
];

/** pixverse-image2video (its section): Segmind-style 400 messages; empty when valid. */
export function contractProblems(body: unknown): string[] {
	if (!body || typeof body !== 'object' || Array.isArray(body))
		return ['Request body must be a JSON object'];
	const b = body as Record<string, unknown>;
	const problems: string[] = [];
	for (const key of Object.keys(b))
		if (!IMAGE2VIDEO_FIELDS.includes(key)) problems.push(`Unknown parameter: ${key}`);
	if (typeof b.image_url !== 'string' || !URL_PATTERN.test(b.image_url)) {
		problems.push('image_url is required and must be an http(s) URL');
	}
	if (typeof b.prompt !== 'string' || b.prompt.trim() === '') problems.push('prompt is required');
	else if (b.prompt.length > TEXT_LIMIT)
		problems.push(`prompt must be at most ${TEXT_LIMIT} characters`);
	if (
		b.negative_prompt !== undefined &&
		(typeof b.negative_prompt !== 'string' || b.negative_prompt.length > TEXT_LIMIT)
	) {
		problems.push(`negative_prompt must be a string of at most ${TEXT_LIMIT} characters`);
	}
	if (b.duration !== 5 && b.duration !== 8) problems.push('duration must be the integer 5 or 8');
	if (!QUALITIES.includes(b.quality as string))
		problems.push(`quality must be one of ${QUALITIES.join(', ')}`);
	if (!['normal', 'fast'].includes(b.motion_mode as string))
		problems.push('motion_mode must be one of normal, fast');
	if (
		b.seed !== undefined &&
		!(Number.isInteger(b.seed) && (b.seed as number) >= 0 && (b.seed as number) <= SEED_MAX)
	) {
		problems.push(`seed must be an integer from 0 to ${SEED_MAX}`);
	}
	if (b.style !== undefined && !STYLES.includes(b.style as string))
		problems.push(`style must be one of ${STYLES.join(', ')}`);
	if (b.motion_mode === 'fast' && b.duration === 8)
		problems.push('fast motion_mode is only available when duration=5');
	if (b.quality === '1080p' && b.motion_mode === 'fast')
		problems.push('quality 1080p does not support fast motion_mode');
	if (b.quality === '1080p' && b.duration === 8)
		problems.push('quality 1080p does not support duration=8');
	return problems;
}

// ---- the table: one hand-written rule function and its test rows per served slug ------------

/** A body the model must refuse: why, the changes to its sample, a message its answer holds. */
export type Refusal = [why: string, changes: Body, message: string];

export type Model = {
	/** Segmind index average cost per generation, USD ("Typical time and price"). */
	cost: number;
	/** Typical generation time on Segmind, seconds ("Typical time and price", index average). */
	typicalSeconds: number;
	rules: (b: Body) => string[];
	/**
	 * The page's sample request, which the rules must accept. Where the evidence elides a URL or a
	 * prompt ("..."), a stand-in fills the gap and nothing else changes.
	 */
	sample: Body;
	/** Fields other PixVerse pages show but this one does not: each is refused as unknown. */
	notShown: readonly string[];
	/** Fields without which the body is refused. */
	required: readonly string[];
	/** Bodies the rules must refuse, each a change to the sample. */
	refused: readonly Refusal[];
};

// ---- test rows shared by several models -----------------------------------------------------

const S3 = 'https://segmind-resources.s3.amazonaws.com/input';
const NEGATIVE = 'No sudden movements, no fast zooms.';
/** A 1x1 png, base64. */
const PNG_BASE64 =
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

const FAST_5S_ONLY: Refusal[] = [
	['fast with 8 s', { motion_mode: 'fast', duration: 8 }, 'fast motion_mode is only available'],
	['1080p with fast', { quality: '1080p', motion_mode: 'fast' }, 'does not support fast'],
	['1080p with 8 s', { quality: '1080p', duration: 8 }, 'does not support duration=8'],
];
const V5_MOTION: Refusal[] = [
	['fast (V5 allows "normal" only)', { motion_mode: 'fast' }, 'motion_mode must be one of normal'],
	['1080p with 8 s', { quality: '1080p', duration: 8 }, 'does not support duration=8'],
];

export const MODELS: Record<string, Model> = {
	'pixverse-image2video': {
		cost: 0.55,
		typicalSeconds: 40.69,
		rules: contractProblems,
		// The page's sample, printed in full.
		sample: {
			image_url: `${S3}/783a73f1-bdf8-441c-982c-b7cd75d80df9-pixverse-i2v-ip.webp`,
			duration: 5,
			prompt: 'Subject dance takes the world by storm!',
			negative_prompt: NEGATIVE,
			quality: '540p',
			seed: 56698,
			motion_mode: 'normal',
		},
		notShown: ['aspect_ratio', 'generate_audio_switch'],
		required: ['image_url', 'prompt', 'duration', 'quality', 'motion_mode'],
		refused: [
			...FAST_5S_ONLY,
			['seed above 2147483647', { seed: 2147483648 }, 'seed must be an integer from 0'],
			['duration as a string', { duration: '5' }, 'duration must be the integer 5 or 8'],
			['an unknown style', { style: 'watercolor' }, 'style must be one of'],
		],
	},

	// pixverse-text2video: aspect_ratio, duration, motion_mode, prompt listed (required); the rest
	// from the sample.
	'pixverse-text2video': {
		cost: 0.4282,
		typicalSeconds: 44.23,
		rules: (b) => [
			...onlyFields(b, [
				'aspect_ratio',
				'duration',
				'motion_mode',
				'prompt',
				'quality',
				'negative_prompt',
				'seed',
			]),
			...oneOf(b, 'aspect_ratio', ASPECT_RATIOS, 'required'),
			...fiveOrEight(b),
			...oneOf(b, 'motion_mode', ['normal', 'fast'], 'required'),
			...text(b, 'prompt', TEXT_LIMIT, 'required'),
			// Quality is sample only; required here so a client always sends it.
			...oneOf(b, 'quality', QUALITIES, 'required'),
			...text(b, 'negative_prompt', TEXT_LIMIT, 'optional'),
			// Seed sample only; the range printed on the sibling pages (pixverse-5-extend, warmth-of-jesus).
			...integer(b, 'seed', 1, PAGE_SEED_MAX, 'optional'),
			...fastAnd1080pRules(b),
		],
		sample: {
			aspect_ratio: '16:9',
			duration: 5,
			prompt: 'Above the storm-lashed clouds, two ancient deities hover, locked in a silent duel.',
			negative_prompt: NEGATIVE,
			quality: '540p',
			motion_mode: 'normal',
			seed: 56698,
		},
		notShown: ['image_url', 'style'],
		required: ['aspect_ratio', 'duration', 'motion_mode', 'prompt', 'quality'],
		refused: [
			...FAST_5S_ONLY,
			['a V6-only aspect ratio', { aspect_ratio: '21:9' }, 'aspect_ratio must be one of'],
			['seed 0 (the page range is 1 - 999999)', { seed: 0 }, 'seed must be an integer from 1'],
			['a prompt over 2048 characters', { prompt: 'x'.repeat(2049) }, 'at most 2048'],
		],
	},

	// pixverse-4.5-video: six fields listed; negative_prompt and seed from the sample. Text or image
	// to video.
	'pixverse-4.5-video': {
		cost: 0.5828,
		typicalSeconds: 45.92,
		rules: (b) => [
			...onlyFields(b, [
				'duration',
				'motion_mode',
				'prompt',
				'quality',
				'aspect_ratio',
				'image_url',
				'negative_prompt',
				'seed',
			]),
			...fiveOrEight(b),
			...oneOf(b, 'motion_mode', ['normal', 'fast'], 'required'),
			...text(b, 'prompt', TEXT_LIMIT, 'required'),
			...oneOf(b, 'quality', QUALITIES, 'required'),
			...oneOf(b, 'aspect_ratio', ASPECT_RATIOS, 'optional'),
			...url(b, 'image_url', 'optional'),
			...text(b, 'negative_prompt', TEXT_LIMIT, 'optional'),
			// Seed sample only, range inferred: 1 - 999999.
			...integer(b, 'seed', 1, PAGE_SEED_MAX, 'optional'),
			...fastAnd1080pRules(b),
			...noAspectRatioWithImage(b),
		],
		sample: {
			duration: 5,
			prompt: 'An elongated, serpentine infinity pool winding through a tropical garden.',
			negative_prompt: NEGATIVE,
			quality: '540p',
			seed: 56698,
			motion_mode: 'normal',
			aspect_ratio: '16:9',
		},
		notShown: ['camera_movement', 'style', 'template_id'],
		required: ['duration', 'motion_mode', 'prompt', 'quality'],
		refused: [
			...FAST_5S_ONLY,
			[
				'aspect_ratio with image_url',
				{ image_url: `${S3}/in.png` },
				'aspect_ratio must be omitted when image_url is given',
			],
			['image_url not http(s)', { image_url: 'ftp://x/y.png', aspect_ratio: undefined }, 'URL'],
			['seed as a string', { seed: '56698' }, 'seed must be an integer'],
		],
	},

	// pixverse-5-video: V5; motion_mode allows "normal" only; 1080p is 5 s only.
	'pixverse-5-video': {
		cost: 0.6312,
		typicalSeconds: 68.82,
		rules: (b) => [
			// sound_effect_content, lip_sync_tts_*, style are not on this page: unknown here.
			...onlyFields(b, [
				'duration',
				'motion_mode',
				'prompt',
				'quality',
				'aspect_ratio',
				'image_url',
				'negative_prompt',
				'seed',
				'sound_effect_switch',
				'lip_sync_switch',
			]),
			...fiveOrEight(b),
			// The description mentions fast, the allowed list is "normal" only.
			...oneOf(b, 'motion_mode', ['normal'], 'required'),
			...text(b, 'prompt', TEXT_LIMIT, 'required'),
			...oneOf(b, 'quality', QUALITIES, 'required'),
			...oneOf(b, 'aspect_ratio', ASPECT_RATIOS, 'optional'),
			...url(b, 'image_url', 'optional'),
			...text(b, 'negative_prompt', TEXT_LIMIT, 'optional'),
			// Seed sample only, range inferred from the sibling pages: 1 - 999999.
			...integer(b, 'seed', 1, PAGE_SEED_MAX, 'optional'),
			...boolean(b, 'sound_effect_switch'),
			...boolean(b, 'lip_sync_switch'),
			...only5sAt1080p(b),
			...noAspectRatioWithImage(b),
			...noLipSync(b),
		],
		// Adapted: the sample also sends aspect_ratio "16:9" next to image_url, which the page says
		// is ignored then ("its aspect ratio will be used instead"): a client omits it.
		sample: {
			image_url: `${S3}/c120a212-pixverse-5-video-input.png`,
			duration: 5,
			prompt: 'A teenage girl sitting on a rooftop at sunset, her hair moving in the wind.',
			negative_prompt: NEGATIVE,
			quality: '540p',
			seed: 56698,
			motion_mode: 'normal',
			sound_effect_switch: true,
			lip_sync_switch: false,
		},
		notShown: ['sound_effect_content', 'lip_sync_tts_content', 'style', 'generate_audio_switch'],
		required: ['duration', 'motion_mode', 'prompt', 'quality'],
		refused: [
			...V5_MOTION,
			['aspect_ratio with image_url', { aspect_ratio: '16:9' }, 'aspect_ratio must be omitted'],
			['lip sync on (its TTS fields are not shown)', { lip_sync_switch: true }, 'lip_sync_switch'],
			['a boolean as a string', { sound_effect_switch: 'true' }, 'must be a boolean'],
		],
	},

	// pixverse-v6: duration 1-15, eight aspect ratios, native audio; no seed or style on Segmind.
	'pixverse-v6': {
		cost: 0.4233,
		typicalSeconds: 63.93,
		rules: (b) => [
			...onlyFields(b, [
				'duration',
				'prompt',
				'quality',
				'aspect_ratio',
				'generate_audio_switch',
				'image_url',
				'negative_prompt',
				'motion_mode',
				'thinking_type',
			]),
			...integer(b, 'duration', 1, 15, 'required'),
			// PixVerse: V6's limit is 5000 characters.
			...text(b, 'prompt', 5000, 'required'),
			...oneOf(b, 'quality', QUALITIES, 'required'),
			...oneOf(b, 'aspect_ratio', [...ASPECT_RATIOS, '2:3', '3:2', '21:9'], 'optional'),
			...boolean(b, 'generate_audio_switch'),
			...url(b, 'image_url', 'optional'),
			// Sample only; PixVerse: at most 2048.
			...text(b, 'negative_prompt', TEXT_LIMIT, 'optional'),
			// Sample only; PixVerse: V6 renders "normal" only.
			...oneOf(b, 'motion_mode', ['normal'], 'optional'),
			// Sample only; values from PixVerse's V6 page.
			...oneOf(b, 'thinking_type', ['enabled', 'disabled', 'auto'], 'optional'),
			...noAspectRatioWithImage(b),
		],
		// Adapted: the sample also sends aspect_ratio "16:9" next to image_url; the input image sets
		// the ratio (PixVerse), so a client omits it.
		sample: {
			prompt:
				'A cinematic shot of a beautiful woman in a flowing red dress walking gracefully through a sunlit European street, golden hour lighting, smooth camera movement',
			image_url: `${S3}/pixverse-v6-input.png`,
			negative_prompt: 'No sudden movements, no fast zooms, no distortion.',
			duration: 5,
			quality: '540p',
			motion_mode: 'normal',
			generate_audio_switch: true,
			thinking_type: 'auto',
		},
		notShown: ['seed', 'style', 'generate_multi_clip_switch', 'camera_movement', 'width'],
		required: ['duration', 'prompt', 'quality'],
		refused: [
			['duration 0', { duration: 0 }, 'duration must be an integer from 1 to 15'],
			['duration 16', { duration: 16 }, 'duration must be an integer from 1 to 15'],
			['duration 5.5', { duration: 5.5 }, 'duration must be an integer from 1 to 15'],
			['duration as a string', { duration: '5' }, 'duration must be an integer from 1 to 15'],
			['aspect_ratio with image_url', { aspect_ratio: '16:9' }, 'aspect_ratio must be omitted'],
			['an aspect ratio V6 lacks', { image_url: undefined, aspect_ratio: '5:4' }, 'aspect_ratio'],
			['audio switch as a string', { generate_audio_switch: 'true' }, 'must be a boolean'],
			['an unknown thinking_type', { thinking_type: 'deep' }, 'thinking_type must be one of'],
			['fast motion', { motion_mode: 'fast' }, 'motion_mode must be one of normal'],
			['a prompt over 5000 characters', { prompt: 'x'.repeat(5001) }, 'at most 5000'],
		],
	},

	// pixverse-5-transition: weakest evidence (sample + a third-party host); no negative_prompt shown.
	'pixverse-5-transition': {
		cost: 0.5,
		typicalSeconds: 72.52,
		rules: (b) => [
			...onlyFields(b, [
				'first_frame_url',
				'last_frame_url',
				'duration',
				'prompt',
				'quality',
				'seed',
				'motion_mode',
				'sound_effect_content',
				'sound_effect_switch',
				'lip_sync_switch',
			]),
			// The frame URLs, prompt and quality are required (the third-party host: "Yes").
			...url(b, 'first_frame_url', 'required'),
			...url(b, 'last_frame_url', 'required'),
			...fiveOrEight(b),
			...text(b, 'prompt', TEXT_LIMIT, 'required'),
			...oneOf(b, 'quality', QUALITIES, 'required'),
			// Seed sample only, range inferred: 1 - 999999.
			...integer(b, 'seed', 1, PAGE_SEED_MAX, 'optional'),
			// motion_mode sample only; required like its V5 siblings, "normal" only.
			...oneOf(b, 'motion_mode', ['normal'], 'required'),
			// Sample only; no length given, held to the prompt limit.
			...text(b, 'sound_effect_content', TEXT_LIMIT, 'optional'),
			...boolean(b, 'sound_effect_switch'),
			...boolean(b, 'lip_sync_switch'),
			...only5sAt1080p(b),
			// PixVerse: the content is the sound to make when the switch is on; alone it does nothing.
			...(b.sound_effect_content !== undefined && b.sound_effect_switch !== true
				? ['sound_effect_content needs sound_effect_switch=true']
				: []),
			...noLipSync(b),
		],
		sample: {
			first_frame_url: `${S3}/e8e913ea-kling-video-v1-pro-ai-avatar-input.png`,
			last_frame_url: `${S3}/b01761bd-last-frame.png`,
			duration: 5,
			prompt: 'Create a slow rotation transition of the woman as she speaks on the stage.',
			quality: '540p',
			seed: 12345,
			motion_mode: 'normal',
			sound_effect_content: 'Soft ambient sounds of a rainforest with distant bird calls.',
			sound_effect_switch: true,
			lip_sync_switch: false,
		},
		notShown: ['negative_prompt', 'aspect_ratio', 'image_url'],
		required: ['first_frame_url', 'last_frame_url', 'duration', 'prompt', 'quality', 'motion_mode'],
		refused: [
			...V5_MOTION,
			[
				'sound_effect_content without the switch on',
				{ sound_effect_switch: false },
				'sound_effect_content needs sound_effect_switch=true',
			],
			['lip sync on', { lip_sync_switch: true }, 'lip_sync_switch'],
			['a frame URL that is not a URL', { last_frame_url: 'frame.png' }, 'last_frame_url must be'],
		],
	},

	// pixverse-5-extend: the best-covered page (8 fields with exact metadata).
	'pixverse-5-extend': {
		cost: 0.6569,
		typicalSeconds: 93.21,
		rules: (b) => [
			...onlyFields(b, [
				'duration',
				'motion_mode',
				'prompt',
				'quality',
				'negative_prompt',
				'seed',
				'style',
				'video_url',
			]),
			...fiveOrEight(b),
			...oneOf(b, 'motion_mode', ['normal'], 'required'),
			...text(b, 'prompt', TEXT_LIMIT, 'required'),
			...oneOf(b, 'quality', QUALITIES, 'required'),
			...text(b, 'negative_prompt', TEXT_LIMIT, 'optional'),
			...integer(b, 'seed', 1, PAGE_SEED_MAX, 'optional'),
			// Listed with these values (its "only for model=v3.5" is template wording).
			...oneOf(b, 'style', STYLES, 'optional'),
			// Printed optional but it is the only video input: required here.
			...url(b, 'video_url', 'required'),
			...only5sAt1080p(b),
		],
		sample: {
			video_url: `${S3}/a4f87ceb-15631ab4-3aaf-4e49-a433-c2c3b86f7938.mp4`,
			duration: 5,
			prompt: 'horse race',
			negative_prompt: NEGATIVE,
			quality: '540p',
			seed: 56698,
			motion_mode: 'normal',
		},
		notShown: ['aspect_ratio', 'image_url', 'sound_effect_switch'],
		required: ['video_url', 'duration', 'motion_mode', 'prompt', 'quality'],
		refused: [
			...V5_MOTION,
			['an unknown style', { style: 'watercolor' }, 'style must be one of'],
			['seed 1000000', { seed: 1000000 }, 'seed must be an integer from 1 to 999999'],
		],
	},

	// pixverse-mimic: a reference video and one subject image; no prompt, no duration.
	'pixverse-mimic': {
		cost: 2.03,
		typicalSeconds: 243.12,
		rules: (b) => [
			...onlyFields(b, ['video_url', 'image', 'image_url', 'quality']),
			...url(b, 'video_url', 'required'),
			// "Base64-encoded subject image as alternative to image_url".
			...base64Image(b, 'image'),
			...url(b, 'image_url', 'optional'),
			// Inferred: exactly one of image / image_url.
			...((b.image === undefined) === (b.image_url === undefined)
				? ['exactly one of image_url or image is required']
				: []),
			// Sample only ("540p"); PixVerse: "1080p" is not supported.
			...oneOf(b, 'quality', ['360p', '540p', '720p'], 'optional'),
		],
		// The page's sample, printed in full.
		sample: {
			video_url: `${S3}/pixverse-mimic-reference.mp4`,
			image_url: `${S3}/pixverse-mimic-subject.png`,
			quality: '540p',
		},
		notShown: ['prompt', 'duration', 'seed', 'motion_mode'],
		required: ['video_url'],
		refused: [
			['1080p', { quality: '1080p' }, 'quality must be one of 360p, 540p, 720p'],
			['image and image_url together', { image: PNG_BASE64 }, 'exactly one of image_url or image'],
			[
				'neither image nor image_url',
				{ image_url: undefined },
				'exactly one of image_url or image',
			],
			[
				'image as a data URI',
				{ image_url: undefined, image: `data:image/png;base64,${PNG_BASE64}` },
				'image must be a base64-encoded',
			],
		],
	},

	// muscle-surge: one PixVerse effect template: an image, no prompt.
	'muscle-surge': {
		cost: 0.4184,
		typicalSeconds: 45.51,
		rules: (b) => [
			...onlyFields(b, ['duration', 'image_url', 'motion_mode', 'quality', 'seed']),
			...fiveOrEight(b),
			...url(b, 'image_url', 'required'),
			...oneOf(b, 'motion_mode', ['normal', 'fast'], 'required'),
			...oneOf(b, 'quality', QUALITIES, 'required'),
			// Seed sample only, range of the sibling warmth-of-jesus page.
			...integer(b, 'seed', 1, PAGE_SEED_MAX, 'optional'),
			...fastAnd1080pRules(b),
		],
		sample: {
			image_url: `${S3}/turbo-i2i-ip.jpg`,
			duration: 5,
			quality: '540p',
			seed: 56698,
			motion_mode: 'normal',
		},
		notShown: ['prompt', 'negative_prompt', 'style'],
		required: ['image_url', 'duration', 'motion_mode', 'quality'],
		refused: [...FAST_5S_ONLY],
	},

	// warmth-of-jesus: one PixVerse effect template: an image, no prompt; no motion_mode on this page.
	'warmth-of-jesus': {
		cost: 0.3908,
		typicalSeconds: 50.31,
		rules: (b) => [
			...onlyFields(b, ['duration', 'image_url', 'quality', 'seed', 'style']),
			...fiveOrEight(b),
			...url(b, 'image_url', 'required'),
			...oneOf(b, 'quality', QUALITIES, 'required'),
			...integer(b, 'seed', 1, PAGE_SEED_MAX, 'optional'),
			// Listed but its values were cut off: PixVerse's styles.
			...oneOf(b, 'style', STYLES, 'optional'),
			// PixVerse's rule; the page's duration text is cut before it says so.
			...only5sAt1080p(b),
		],
		sample: {
			image_url: `${S3}/warmth-of-jesus-input.jpg`,
			duration: 5,
			quality: '540p',
			seed: 56698,
		},
		notShown: ['prompt', 'motion_mode'],
		required: ['image_url', 'duration', 'quality'],
		refused: [
			['1080p with 8 s', { quality: '1080p', duration: 8 }, 'does not support duration=8'],
			['an unknown style', { style: 'halo' }, 'style must be one of'],
		],
	},
};

/** The Segmind slugs the simulator serves on /v1/<slug> and /v2/<slug>. */
export const SERVED_MODELS: readonly string[] = Object.keys(MODELS);

/** What serving a model takes: its cost and its rules (a test may serve a model of its own). */
export type ServedModel = Pick<Model, 'cost' | 'rules'>;

/** Segmind-style 400 messages for a body sent to `slug`; empty when it is valid. */
export function contractProblemsFor(
	slug: string,
	body: unknown,
	models: Readonly<Record<string, ServedModel>> = MODELS,
): string[] {
	const model = Object.hasOwn(models, slug) ? models[slug] : undefined;
	if (!model) return [`Model not found: ${slug}`];
	if (!body || typeof body !== 'object' || Array.isArray(body))
		return ['Request body must be a JSON object'];
	return model.rules(body as Body);
}
