import { imageUrl, quality, videoUrl } from './fields';
import type { ModelSpec } from './spec';

/**
 * Motion control: the subject of an image performs the motion of a reference video. No prompt.
 * The page also takes the image as base64 (`image`); the node uploads binary images to Segmind
 * Storage and sends `image_url`, as for every other model.
 */
export const pixverseMimic: ModelSpec = {
	slug: 'pixverse-mimic',
	name: 'PixVerse Motion Control',
	summary: 'The subject of an image copies the motion of a reference video',
	operations: ['copyMotion'],
	fields: [
		videoUrl(),
		imageUrl(),
		// PixVerse's motion control renders up to 720p.
		quality(['360p', '540p', '720p']),
	],
	rules: [],
	typicalSeconds: 243,
	price: 'about $2.03',
	source: 'https://www.segmind.com/models/pixverse-mimic/api',
};
