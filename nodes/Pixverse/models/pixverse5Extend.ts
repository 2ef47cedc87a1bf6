import {
	duration,
	negativePrompt,
	normalMotionOnly,
	prompt,
	quality,
	seed,
	SEGMIND_SEED_RANGE,
	style,
	videoUrl,
} from './fields';
import { AT_1080P_5_SECONDS } from './rules';
import type { ModelSpec } from './spec';

/** The best-documented page: eight parameters with types, defaults and ranges. */
export const pixverse5Extend: ModelSpec = {
	slug: 'pixverse-5-extend',
	name: 'PixVerse V5 Extend',
	summary: 'Continues a video by 5 or 8 seconds',
	operations: ['extendVideo'],
	fields: [
		// Printed optional on the page, but it is the only input: required here.
		videoUrl(),
		prompt({ placeholder: 'horse race' }),
		quality(),
		normalMotionOnly(),
		duration(),
		negativePrompt(),
		seed(SEGMIND_SEED_RANGE),
		style(),
	],
	rules: [AT_1080P_5_SECONDS],
	typicalSeconds: 93,
	price: '$0.375 to $1.00',
	source: 'https://www.segmind.com/models/pixverse-5-extend/api',
};
