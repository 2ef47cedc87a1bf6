import {
	duration,
	firstFrameUrl,
	lastFrameUrl,
	normalMotionOnly,
	prompt,
	quality,
	seed,
	SEGMIND_SEED_RANGE,
	soundEffectPrompt,
	soundEffects,
} from './fields';
import { AT_1080P_5_SECONDS } from './rules';
import type { ModelSpec } from './spec';

/**
 * Known from the page's sample request (its parameter list is cut after the first field) and
 * the same fields on another host of the model: no negative prompt is shown, so none is sent.
 */
export const pixverse5Transition: ModelSpec = {
	slug: 'pixverse-5-transition',
	name: 'PixVerse V5 Transition',
	summary: 'A video that moves from a first frame to a last frame',
	operations: ['transitionBetweenFrames'],
	fields: [
		firstFrameUrl(),
		lastFrameUrl(),
		prompt({ placeholder: 'Create a slow rotation transition of the woman as she speaks' }),
		quality(),
		normalMotionOnly(),
		duration(),
		seed(SEGMIND_SEED_RANGE),
		// The sample also sends lip_sync_switch, left out: lip sync needs text to speak, which no
		// Segmind page shows.
		soundEffects(),
		soundEffectPrompt(),
	],
	rules: [AT_1080P_5_SECONDS],
	switchDependencies: [{ field: 'sound_effect_content', switch: 'sound_effect_switch' }],
	typicalSeconds: 73,
	price: 'about $0.50',
	source: 'https://www.segmind.com/models/pixverse-5-transition/api',
};
