/**
 * The request rules of every PixVerse model the simulator serves, hand-written from the research
 * notes shared/PIXVERSE-MODELS.md (cited as §n) and shared/CONTRACT.md, never from the node's own
 * code: the simulator is an independent oracle, so a wrong rule in the node cannot hide here.
 *
 * Policy, from the notes' "Rule for the node": a field is accepted only if the Segmind page for
 * that slug shows it (in its parameter list or its own sample request); anything else answers
 * "Unknown parameter: <name>". Where the evidence leaves a choice open, the rule takes the reading
 * that is safest for a client: it rejects what Segmind or PixVerse might reject.
 *
 * Runs under jest (swc) and directly under Node 24's type stripping: erasable syntax only.
 */
import { imageTypeOf } from './segmind-storage.mts';

type Body = Record<string, unknown>;
type Need = 'required' | 'optional';

const QUALITIES = ['360p', '540p', '720p', '1080p'];
const ASPECT_RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16'];
const STYLES = ['anime', '3d_animation', 'clay', 'comic', 'cyberpunk'];
/** PixVerse's older limit for prompt and negative_prompt (CONTRACT.md, §5.2). */
const TEXT_LIMIT = 2048;
/** image2video keeps PixVerse's own seed range (CONTRACT.md); the other pages print 1 - 999999. */
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
 * "--quality=1080p does not support fast" (§4.5, §4.9; CONTRACT.md "Combination rules").
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
 * §4.5/§4.2 (page): "If a reference image is provided, its aspect ratio will be used instead, and
 * the specified aspect_ratio will be ignored" (§4.1: same assumed for V6). Ignored is not
 * rejected, but a client should not send a value that has no effect: refused here.
 */
function noAspectRatioWithImage(b: Body): string[] {
	return b.aspect_ratio !== undefined && b.image_url !== undefined
		? ['aspect_ratio must be omitted when image_url is given (the image sets the ratio)']
		: [];
}

/**
 * §4.2/§4.3: lip_sync_switch is in the V5 samples (false), but the TTS fields that lip sync needs
 * (lip_sync_tts_content, lip_sync_tts_speaker_id, §5.5) are not shown on Segmind: true is refused.
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

/** pixverse-image2video (CONTRACT.md, §4.8): Segmind-style 400 messages; empty when valid. */
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

// ---- the table: one hand-written rule function per served slug ------------------------------

type Model = {
	/** Segmind index average cost per generation, USD (§2); image2video 0.55 (CONTRACT.md). */
	cost: number;
	/** Typical generation time on Segmind, seconds (§2, index average). */
	typicalSeconds: number;
	rules: (b: Body) => string[];
};

export const MODELS: Record<string, Model> = {
	'pixverse-image2video': {
		cost: 0.55,
		typicalSeconds: 40.69,
		rules: contractProblems,
	},

	// §4.9: aspect_ratio, duration, motion_mode, prompt listed (required); the rest from the sample.
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
			// §4.9: quality is sample only ([inferred]); required here so a client always sends it.
			...oneOf(b, 'quality', QUALITIES, 'required'),
			...text(b, 'negative_prompt', TEXT_LIMIT, 'optional'),
			// §4.9: seed sample only; the range printed on the sibling pages (§4.4, §4.13).
			...integer(b, 'seed', 1, PAGE_SEED_MAX, 'optional'),
			...fastAnd1080pRules(b),
		],
	},

	// §4.5: six fields listed; negative_prompt and seed from the sample. Text or image to video.
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
			// §4.5: seed sample only, range [inferred] 1 - 999999.
			...integer(b, 'seed', 1, PAGE_SEED_MAX, 'optional'),
			...fastAnd1080pRules(b),
			...noAspectRatioWithImage(b),
		],
	},

	// §4.2: V5; motion_mode allows "normal" only; 1080p is 5 s only.
	'pixverse-5-video': {
		cost: 0.6312,
		typicalSeconds: 68.82,
		rules: (b) => [
			// §4.2: sound_effect_content, lip_sync_tts_*, style are not on this page: unknown here.
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
			// §4.2/§6: the description mentions fast, the allowed list is "normal" only.
			...oneOf(b, 'motion_mode', ['normal'], 'required'),
			...text(b, 'prompt', TEXT_LIMIT, 'required'),
			...oneOf(b, 'quality', QUALITIES, 'required'),
			...oneOf(b, 'aspect_ratio', ASPECT_RATIOS, 'optional'),
			...url(b, 'image_url', 'optional'),
			...text(b, 'negative_prompt', TEXT_LIMIT, 'optional'),
			// §4.2: seed sample only, range [inferred from sibling page] 1 - 999999.
			...integer(b, 'seed', 1, PAGE_SEED_MAX, 'optional'),
			...boolean(b, 'sound_effect_switch'),
			...boolean(b, 'lip_sync_switch'),
			...only5sAt1080p(b),
			...noAspectRatioWithImage(b),
			...noLipSync(b),
		],
	},

	// §4.1: V6; duration 1-15, eight aspect ratios, native audio; no seed or style on Segmind.
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
			// §4.1 [cross-check]: PixVerse's V6 limit is 5000 characters.
			...text(b, 'prompt', 5000, 'required'),
			...oneOf(b, 'quality', QUALITIES, 'required'),
			...oneOf(b, 'aspect_ratio', [...ASPECT_RATIOS, '2:3', '3:2', '21:9'], 'optional'),
			...boolean(b, 'generate_audio_switch'),
			...url(b, 'image_url', 'optional'),
			// §4.1: sample only; PixVerse ≤2048 [cross-check].
			...text(b, 'negative_prompt', TEXT_LIMIT, 'optional'),
			// §4.1: sample only; V6 supports "normal" only [cross-check, apimart].
			...oneOf(b, 'motion_mode', ['normal'], 'optional'),
			// §4.1: sample only; values from PixVerse's docs [cross-check].
			...oneOf(b, 'thinking_type', ['enabled', 'disabled', 'auto'], 'optional'),
			...noAspectRatioWithImage(b),
		],
	},

	// §4.3: weakest evidence (sample payload + each::labs cross-check); no negative_prompt shown.
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
			// §4.3: the frame URLs, prompt and quality are required [inferred] (each::labs: "Yes").
			...url(b, 'first_frame_url', 'required'),
			...url(b, 'last_frame_url', 'required'),
			...fiveOrEight(b),
			...text(b, 'prompt', TEXT_LIMIT, 'required'),
			...oneOf(b, 'quality', QUALITIES, 'required'),
			// §4.3: seed sample only, range [inferred] 1 - 999999.
			...integer(b, 'seed', 1, PAGE_SEED_MAX, 'optional'),
			// §4.3: motion_mode "?" on the page; required like its V5 siblings, "normal" only.
			...oneOf(b, 'motion_mode', ['normal'], 'required'),
			// §4.3: sample only; no length given, held to the prompt limit.
			...text(b, 'sound_effect_content', TEXT_LIMIT, 'optional'),
			...boolean(b, 'sound_effect_switch'),
			...boolean(b, 'lip_sync_switch'),
			...only5sAt1080p(b),
			// §5.5: the content is the sound to generate when the switch is on; alone it does nothing.
			...(b.sound_effect_content !== undefined && b.sound_effect_switch !== true
				? ['sound_effect_content needs sound_effect_switch=true']
				: []),
			...noLipSync(b),
		],
	},

	// §4.4: the best-covered page (8 fields with exact metadata).
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
			// §4.4: listed with these values (its "only for model=v3.5" is template wording).
			...oneOf(b, 'style', STYLES, 'optional'),
			// §4.4: printed optional but it is the only video input: "implement as required".
			...url(b, 'video_url', 'required'),
			...only5sAt1080p(b),
		],
	},

	// §4.12: motion control: a reference video and one subject image; no prompt, no duration.
	'pixverse-mimic': {
		cost: 2.03,
		typicalSeconds: 243.12,
		rules: (b) => [
			...onlyFields(b, ['video_url', 'image', 'image_url', 'quality']),
			...url(b, 'video_url', 'required'),
			// §4.12: "Base64-encoded subject image as alternative to image_url".
			...base64Image(b, 'image'),
			...url(b, 'image_url', 'optional'),
			// §4.12 [inferred]: exactly one of image / image_url.
			...((b.image === undefined) === (b.image_url === undefined)
				? ['exactly one of image_url or image is required']
				: []),
			// §4.12: "?" on the page (sample "540p"); PixVerse: "1080p" not supported [cross-check].
			...oneOf(b, 'quality', ['360p', '540p', '720p'], 'optional'),
		],
	},

	// §4.13: one PixVerse effect template: an image, no prompt.
	'muscle-surge': {
		cost: 0.4184,
		typicalSeconds: 45.51,
		rules: (b) => [
			...onlyFields(b, ['duration', 'image_url', 'motion_mode', 'quality', 'seed']),
			...fiveOrEight(b),
			...url(b, 'image_url', 'required'),
			...oneOf(b, 'motion_mode', ['normal', 'fast'], 'required'),
			...oneOf(b, 'quality', QUALITIES, 'required'),
			// §4.13: seed sample only, range of the sibling warmth-of-jesus page.
			...integer(b, 'seed', 1, PAGE_SEED_MAX, 'optional'),
			...fastAnd1080pRules(b),
		],
	},

	// §4.13: one PixVerse effect template: an image, no prompt; no motion_mode on this page.
	'warmth-of-jesus': {
		cost: 0.3908,
		typicalSeconds: 50.31,
		rules: (b) => [
			...onlyFields(b, ['duration', 'image_url', 'quality', 'seed', 'style']),
			...fiveOrEight(b),
			...url(b, 'image_url', 'required'),
			...oneOf(b, 'quality', QUALITIES, 'required'),
			...integer(b, 'seed', 1, PAGE_SEED_MAX, 'optional'),
			// §4.13: listed but its values were cut off: the template's known styles (§5.4).
			...oneOf(b, 'style', STYLES, 'optional'),
			// §4.13: the page's duration text, "only 5 is allowed for … 1080p quality".
			...only5sAt1080p(b),
		],
	},
};

/** The Segmind slugs the simulator serves on /v1/<slug> and /v2/<slug>. */
export const SERVED_MODELS: readonly string[] = Object.keys(MODELS);

/** Segmind-style 400 messages for a body sent to `slug`; empty when it is valid. */
export function contractProblemsFor(slug: string, body: unknown): string[] {
	const model = Object.hasOwn(MODELS, slug) ? MODELS[slug] : undefined;
	if (!model) return [`Model not found: ${slug}`];
	if (!body || typeof body !== 'object' || Array.isArray(body))
		return ['Request body must be a JSON object'];
	return model.rules(body as Body);
}
