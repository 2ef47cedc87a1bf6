import {
	aspectRatio,
	duration,
	motionMode,
	negativePrompt,
	SEGMIND_SEED_RANGE,
	prompt,
	quality,
	seed,
} from './fields';
import { FAST_MOTION_RULES } from './rules';
import type { ModelSpec } from './spec';

export const pixverseText2Video: ModelSpec = {
	slug: 'pixverse-text2video',
	name: 'PixVerse Text to Video',
	summary: 'The original PixVerse text model on Segmind',
	operations: ['generateFromText'],
	fields: [
		prompt({ placeholder: 'Above the storm-lashed clouds, two ancient deities hover' }),
		// Required on this endpoint; its page lists it first.
		aspectRatio(),
		quality(),
		motionMode(),
		duration(),
		negativePrompt(),
		// Seen in the page's sample request only; no range stated there: the range Segmind's
		// newer pages print, which PixVerse's own range contains.
		seed(SEGMIND_SEED_RANGE),
	],
	rules: FAST_MOTION_RULES,
	typicalSeconds: 44,
	price: '$0.375 to $1.00',
	source: 'https://www.segmind.com/models/pixverse-text2video/api',
};
