/**
 * The fields PixVerse models share on Segmind, each with its label, its panel name and its
 * description, so a model spec states only what is its own (allowed values, limits, defaults).
 * A field name here is never a promise that a model takes it: a spec lists what its page shows.
 */
import type {
	Choice,
	ChoiceField,
	FixedField,
	GenerationOperation,
	IntegerField,
	MediaField,
	SwitchField,
	TextField,
} from './spec';
import { IMAGE_LIMITS_IN_WORDS, VIDEO_LIMITS_IN_WORDS } from './inputLimits';

export const QUALITIES = ['360p', '540p', '720p', '1080p'] as const;
export const MOTION_MODES = ['normal', 'fast'] as const;
export const FIVE_OR_EIGHT_SECONDS = [5, 8] as const;
/** V6's durations: any whole number of seconds from 1 to 15. */
export const ONE_TO_FIFTEEN_SECONDS = Array.from({ length: 15 }, (_, index) => index + 1);
/** PixVerse's aspect ratios up to V5. */
export const ASPECT_RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16'] as const;
/** V6 adds 2:3, 3:2 and 21:9. */
export const ASPECT_RATIOS_FROM_V6 = [...ASPECT_RATIOS, '2:3', '3:2', '21:9'] as const;
export const STYLES = ['anime', '3d_animation', 'clay', 'comic', 'cyberpunk'] as const;

/** PixVerse's limit for prompts (its newer docs allow 5000 for V6). */
export const PROMPT_MAX_LENGTH = 2048;
/** The Seed field's range PixVerse documents; newer Segmind pages narrow it to 1 - 999999. */
export const PIXVERSE_SEED_RANGE = { min: 0, max: 2147483647 } as const;
export const SEGMIND_SEED_RANGE = { min: 1, max: 999999 } as const;

export const EXAMPLE_IMAGE_URL =
	'https://segmind-resources.s3.amazonaws.com/input/783a73f1-bdf8-441c-982c-b7cd75d80df9-pixverse-i2v-ip.webp';

type OnlyIn = { onlyIn?: readonly GenerationOperation[] };

/** A media input's name and the label of its URL field ("Image", "Image URL"). */
const namedInput = (input: string) => ({ input, label: `${input} URL` });

export const prompt = (
	options: { required?: boolean; maxLength?: number; placeholder?: string } & OnlyIn = {},
): TextField => ({
	body: 'prompt',
	parameter: 'prompt',
	label: 'Prompt',
	type: 'text',
	placement: 'main',
	required: options.required ?? true,
	maxLength: options.maxLength ?? PROMPT_MAX_LENGTH,
	rows: 3,
	placeholder: options.placeholder ?? 'Subject dance takes the world by storm!',
	description: 'What should happen in the video: the subject, the motion, the camera and the mood',
	...(options.onlyIn ? { onlyIn: options.onlyIn } : {}),
});

export const negativePrompt = (): TextField => ({
	body: 'negative_prompt',
	parameter: 'negativePrompt',
	label: 'Negative Prompt',
	type: 'text',
	placement: 'additional',
	required: false,
	maxLength: PROMPT_MAX_LENGTH,
	rows: 2,
	placeholder: 'No sudden movements, no fast zooms.',
	description: 'What the video should avoid. Left out when empty.',
});

export const imageUrl = (options: OnlyIn = {}): MediaField => ({
	body: 'image_url',
	parameter: 'imageUrl',
	...namedInput('Image'),
	type: 'media',
	media: 'image',
	placement: 'main',
	required: true,
	placeholder: EXAMPLE_IMAGE_URL,
	fromBinary: {
		sourceParameter: 'imageSource',
		fieldParameter: 'inputBinaryField',
		fieldLabel: 'Input Binary Field',
	},
	description: `Public http(s) link to the image to animate (${IMAGE_LIMITS_IN_WORDS}). Segmind downloads it, so it must be reachable without a login.`,
	...(options.onlyIn ? { onlyIn: options.onlyIn } : {}),
});

export const firstFrameUrl = (): MediaField => ({
	body: 'first_frame_url',
	parameter: 'firstFrameUrl',
	...namedInput('First Frame'),
	type: 'media',
	media: 'image',
	placement: 'main',
	required: true,
	placeholder: 'https://example.com/start.png',
	fromBinary: {
		sourceParameter: 'firstFrameSource',
		fieldParameter: 'firstFrameBinaryField',
		fieldLabel: 'First Frame Binary Field',
	},
	description: `Public http(s) link to the image the video starts from (${IMAGE_LIMITS_IN_WORDS})`,
});

export const lastFrameUrl = (): MediaField => ({
	body: 'last_frame_url',
	parameter: 'lastFrameUrl',
	...namedInput('Last Frame'),
	type: 'media',
	media: 'image',
	placement: 'main',
	required: true,
	placeholder: 'https://example.com/end.png',
	fromBinary: {
		sourceParameter: 'lastFrameSource',
		fieldParameter: 'lastFrameBinaryField',
		fieldLabel: 'Last Frame Binary Field',
	},
	description: `Public http(s) link to the image the video ends on (${IMAGE_LIMITS_IN_WORDS})`,
});

export const videoUrl = (): MediaField => ({
	body: 'video_url',
	parameter: 'videoUrl',
	...namedInput('Video'),
	type: 'media',
	media: 'video',
	placement: 'main',
	required: true,
	placeholder: 'e.g. {{ $json.videoUrl }}',
	description: `Public http(s) link to the video (${VIDEO_LIMITS_IN_WORDS}). A Pixverse node in Wait for Video mode outputs one as videoUrl; Segmind Storage takes no videos, so a video from binary data needs a public link first.`,
});

export const quality = (
	values: readonly Choice[] = QUALITIES,
	defaultValue: Choice = '540p',
): ChoiceField => ({
	body: 'quality',
	parameter: 'quality',
	label: 'Quality',
	type: 'choice',
	placement: 'main',
	values,
	default: defaultValue,
	description:
		'Resolution of the video. Choose it first: it decides which motion and lengths are offered.',
});

export const motionMode = (): ChoiceField => ({
	body: 'motion_mode',
	parameter: 'motionMode',
	label: 'Motion Mode',
	type: 'choice',
	placement: 'main',
	values: MOTION_MODES,
	default: 'normal',
	labels: { normal: 'Normal', fast: 'Fast' },
	description: 'How much movement the video has. Fast motion makes 5-second videos only.',
});

/** Segmind requires `motion_mode` on V5 and V6, which render normal motion only. */
export const normalMotionOnly = (): FixedField => ({
	body: 'motion_mode',
	label: 'Motion Mode',
	type: 'fixed',
	value: 'normal',
});

export const duration = (values: readonly Choice[] = FIVE_OR_EIGHT_SECONDS): ChoiceField => ({
	body: 'duration',
	parameter: 'duration',
	label: 'Duration (Seconds)',
	type: 'choice',
	placement: 'main',
	values,
	default: 5,
	description: 'Length of the video. Longer videos cost more.',
});

export const aspectRatio = (
	values: readonly Choice[] = ASPECT_RATIOS,
	options: OnlyIn = {},
): ChoiceField => ({
	body: 'aspect_ratio',
	parameter: 'aspectRatio',
	label: 'Aspect Ratio',
	type: 'choice',
	placement: 'main',
	values,
	default: '16:9',
	description: 'Shape of the frame: 9:16 for Reels and Shorts, 16:9 for YouTube, 1:1 for feeds',
	...(options.onlyIn ? { onlyIn: options.onlyIn } : {}),
});

export const seed = (range: { min: number; max: number }): IntegerField => ({
	body: 'seed',
	parameter: 'seed',
	label: 'Seed',
	type: 'integer',
	placement: 'additional',
	min: range.min,
	max: range.max,
	default: range.min === 0 ? 0 : 1,
	description:
		'Whole number that makes a generation reproducible: the same inputs, settings and seed give the same video',
});

export const style = (): ChoiceField => ({
	body: 'style',
	parameter: 'style',
	label: 'Style',
	type: 'choice',
	placement: 'additional',
	values: STYLES,
	default: 'anime',
	labels: {
		anime: 'Anime',
		'3d_animation': '3D Animation',
		clay: 'Clay',
		comic: 'Comic',
		cyberpunk: 'Cyberpunk',
	},
	description: 'Visual style of the video',
});

export const generateAudio = (): SwitchField => ({
	body: 'generate_audio_switch',
	parameter: 'generateAudio',
	label: 'Generate Audio',
	type: 'switch',
	placement: 'main',
	default: true,
	description:
		"Whether PixVerse adds sound made for the video (Segmind's default). Audio costs more; turn it off for a silent video.",
});

export const thinkingType = (): ChoiceField => ({
	body: 'thinking_type',
	parameter: 'thinkingType',
	label: 'Prompt Reasoning',
	type: 'choice',
	placement: 'additional',
	values: ['auto', 'enabled', 'disabled'],
	default: 'auto',
	labels: { auto: 'Auto (Model Decides)', enabled: 'Enabled', disabled: 'Disabled' },
	description: 'Whether PixVerse reasons about the prompt before generating',
});

export const soundEffects = (): SwitchField => ({
	body: 'sound_effect_switch',
	parameter: 'soundEffects',
	label: 'Sound Effects',
	type: 'switch',
	placement: 'additional',
	default: true,
	description:
		'Whether PixVerse adds background sound and effects. Left to Segmind when not added.',
});

export const soundEffectPrompt = (): TextField => ({
	body: 'sound_effect_content',
	parameter: 'soundEffectPrompt',
	label: 'Sound Effect Prompt',
	type: 'text',
	placement: 'additional',
	required: false,
	maxLength: PROMPT_MAX_LENGTH,
	rows: 2,
	placeholder: 'Soft ambient sounds of a rainforest with distant bird calls.',
	description: 'What the sound should be. Needs Sound Effects added and on. Left out when empty.',
});
