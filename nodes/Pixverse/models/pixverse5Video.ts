import {
	aspectRatio,
	duration,
	imageUrl,
	negativePrompt,
	normalMotionOnly,
	prompt,
	quality,
	seed,
	SEGMIND_SEED_RANGE,
	soundEffects,
} from './fields';
import { AT_1080P_5_SECONDS } from './rules';
import type { ModelSpec } from './spec';

export const pixverse5Video: ModelSpec = {
	slug: 'pixverse-5-video',
	name: 'PixVerse V5',
	summary: 'Sharper motion, optional sound effects and lip sync, from an image or from text',
	operations: ['generateFromImage', 'generateFromText'],
	fields: [
		imageUrl({ onlyIn: ['generateFromImage'] }),
		prompt(),
		aspectRatio(undefined, { onlyIn: ['generateFromText'] }),
		quality(),
		// The page allows "normal" only.
		normalMotionOnly(),
		duration(),
		negativePrompt(),
		seed(SEGMIND_SEED_RANGE),
		// Seen in the page's sample request. Its lip_sync_switch is left out: lip sync needs the
		// text to speak, which no Segmind page shows.
		soundEffects(),
	],
	rules: [AT_1080P_5_SECONDS],
	typicalSeconds: 69,
	price: '$0.375 to $1.00',
	source: 'https://www.segmind.com/models/pixverse-5-video/api',
};
