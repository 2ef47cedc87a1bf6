import { duration, imageUrl, quality, seed, SEGMIND_SEED_RANGE } from './fields';
import { AT_1080P_5_SECONDS } from './rules';
import type { ModelSpec } from './spec';

/**
 * A single PixVerse effect template: no prompt, no motion mode. Its page also lists a `style`
 * whose values are cut off, so it is not offered.
 */
export const warmthOfJesus: ModelSpec = {
	slug: 'warmth-of-jesus',
	name: 'Warmth of Jesus',
	summary: 'A warm, glowing embrace effect',
	operations: ['applyEffect'],
	fields: [imageUrl(), quality(), duration(), seed(SEGMIND_SEED_RANGE)],
	// PixVerse renders 1080p in 5 seconds only; the page's duration text is cut before it says so.
	rules: [AT_1080P_5_SECONDS],
	typicalSeconds: 50,
	price: 'about $0.39',
	source: 'https://segmind.com/models/warmth-of-jesus/api',
};
