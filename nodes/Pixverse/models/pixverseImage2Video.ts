import {
	duration,
	imageUrl,
	motionMode,
	negativePrompt,
	PIXVERSE_SEED_RANGE,
	prompt,
	quality,
	seed,
	style,
} from './fields';
import { FAST_MOTION_RULES } from './rules';
import type { ModelSpec } from './spec';

/** The node's first model (docs/pixverse-models.md, pixverse-image2video). */
export const pixverseImage2Video: ModelSpec = {
	slug: 'pixverse-image2video',
	name: 'PixVerse Image to Video',
	summary: 'The original PixVerse image model on Segmind, with styles',
	operations: ['generateFromImage'],
	fields: [
		imageUrl(),
		prompt(),
		quality(),
		motionMode(),
		duration(),
		negativePrompt(),
		// Its page states no range for the seed: PixVerse's own applies.
		seed(PIXVERSE_SEED_RANGE),
		style(),
	],
	rules: FAST_MOTION_RULES,
	typicalSeconds: 41,
	price: 'about $0.55',
	source: 'https://www.segmind.com/models/pixverse-image2video/api',
};
