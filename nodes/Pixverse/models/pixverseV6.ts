import {
	aspectRatio,
	ASPECT_RATIOS_FROM_V6,
	duration,
	generateAudio,
	imageUrl,
	negativePrompt,
	normalMotionOnly,
	ONE_TO_FIFTEEN_SECONDS,
	prompt,
	quality,
	thinkingType,
} from './fields';
import type { ModelSpec } from './spec';

/** No seed and no style: Segmind's V6 page shows neither. */
export const pixverseV6: ModelSpec = {
	slug: 'pixverse-v6',
	name: 'PixVerse V6',
	summary: 'The newest: 1 to 15 seconds, native audio, more aspect ratios',
	operations: ['generateFromImage', 'generateFromText'],
	fields: [
		imageUrl({ onlyIn: ['generateFromImage'] }),
		// PixVerse's V6 docs allow 5000 characters.
		prompt({ maxLength: 5000 }),
		aspectRatio(ASPECT_RATIOS_FROM_V6, { onlyIn: ['generateFromText'] }),
		quality(),
		// Sample request; PixVerse documents normal motion only for V6.
		normalMotionOnly(),
		duration(ONE_TO_FIFTEEN_SECONDS),
		generateAudio(),
		negativePrompt(),
		thinkingType(),
	],
	rules: [],
	typicalSeconds: 64,
	price: '$0.044 to $2.16 (per second of video; audio costs more)',
	source: 'https://www.segmind.com/models/pixverse-v6/api',
};
