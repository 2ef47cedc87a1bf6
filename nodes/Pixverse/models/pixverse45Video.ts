import {
	aspectRatio,
	duration,
	imageUrl,
	motionMode,
	negativePrompt,
	prompt,
	quality,
	seed,
	SEGMIND_SEED_RANGE,
} from './fields';
import { FAST_MOTION_RULES } from './rules';
import type { ModelSpec } from './spec';

export const pixverse45Video: ModelSpec = {
	slug: 'pixverse-4.5-video',
	name: 'PixVerse V4.5',
	summary: 'Fast and normal motion, from an image or from text',
	operations: ['generateFromImage', 'generateFromText'],
	fields: [
		imageUrl({ onlyIn: ['generateFromImage'] }),
		prompt(),
		// "If a reference image is provided, its aspect ratio will be used instead": text only.
		aspectRatio(undefined, { onlyIn: ['generateFromText'] }),
		quality(),
		motionMode(),
		duration(),
		negativePrompt(),
		// Sample request only; Segmind's newer pages of the same template say 1 - 999999.
		seed(SEGMIND_SEED_RANGE),
	],
	rules: FAST_MOTION_RULES,
	typicalSeconds: 46,
	price: '$0.375 to $1.00',
	source: 'https://www.segmind.com/models/pixverse-4.5-video/api',
};
