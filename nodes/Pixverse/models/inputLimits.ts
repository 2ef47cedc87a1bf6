/**
 * PixVerse's limits for the images and videos a model takes (docs/pixverse-models.md, "PixVerse's
 * own limits"). Binary images are held to them before upload (../actions/binaryImages.ts), and
 * every description that states them interpolates these, so the panel says what the node checks.
 */
import { IMAGE_TYPES } from '../helpers/imageHeader';
import { wordList } from './ruleWords';

/** An image must be smaller than this. */
export const IMAGE_MAX_BYTES = 20 * 1024 * 1024;
/** Pixels on either side, at most (PixVerse's V6 page allows more; the older limit holds for all). */
export const IMAGE_MAX_SIDE = 4000;
/** Video inputs (extend, motion control) stay URLs: Segmind Storage takes images only. */
const VIDEO_TYPES = ['mp4', 'mov'];
const VIDEO_MAX_MEGABYTES = 50;
const VIDEO_MAX_SECONDS = 30;

/** "png, webp or jpeg". */
export const IMAGE_TYPES_IN_WORDS = wordList(IMAGE_TYPES);
/** "png, webp or jpeg, under 20 MB, at most 4000 x 4000 px". */
export const IMAGE_LIMITS_IN_WORDS = `${IMAGE_TYPES_IN_WORDS}, under ${IMAGE_MAX_BYTES / 1024 / 1024} MB, at most ${IMAGE_MAX_SIDE} x ${IMAGE_MAX_SIDE} px`;
/** "mp4 or mov, at most 50 MB and 30 s". */
export const VIDEO_LIMITS_IN_WORDS = `${wordList(VIDEO_TYPES)}, at most ${VIDEO_MAX_MEGABYTES} MB and ${VIDEO_MAX_SECONDS} s`;
