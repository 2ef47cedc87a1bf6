import { duration, imageUrl, motionMode, quality, seed, SEGMIND_SEED_RANGE } from './fields';
import { FAST_MOTION_RULES } from './rules';
import type { ModelSpec } from './spec';

/** A single PixVerse effect template: no prompt, the image is the whole input. */
export const muscleSurge: ModelSpec = {
	slug: 'muscle-surge',
	name: 'Muscle Surge',
	summary: 'The subject flexes into a muscular version of itself',
	operations: ['applyEffect'],
	fields: [
		imageUrl(),
		quality(),
		motionMode(),
		duration(),
		// Sample request only; the sibling effect page says 1 - 999999.
		seed(SEGMIND_SEED_RANGE),
	],
	// "only 5 is allowed for fast mode or 1080p quality" (its page's duration text).
	rules: FAST_MOTION_RULES,
	typicalSeconds: 46,
	price: 'about $0.42',
	source: 'https://www.segmind.com/models/muscle-surge/api',
};
