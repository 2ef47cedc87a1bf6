/**
 * Every PixVerse model the node offers, and which operation offers which. A new model is one
 * spec file in this folder and one line in MODELS; the panel, the validation and the README's
 * count and tables follow (docs/architecture.md, "A new model").
 *
 * Left out for lack of evidence (docs/pixverse-models.md, "Models left out"):
 * pixverse-4.5-effects and pixverse-lipsync (their input fields were never found), and
 * pixverse-transition / pixverse-4.5-transition, missing from Segmind's 2026-08 model index while
 * it still lists the even older image2video and text2video: most likely withdrawn, and V5
 * Transition does the same.
 */
import { muscleSurge } from './muscleSurge';
import { pixverse45Video } from './pixverse45Video';
import { pixverse5Extend } from './pixverse5Extend';
import { pixverse5Transition } from './pixverse5Transition';
import { pixverse5Video } from './pixverse5Video';
import { pixverseImage2Video } from './pixverseImage2Video';
import { pixverseMimic } from './pixverseMimic';
import { pixverseText2Video } from './pixverseText2Video';
import { pixverseV6 } from './pixverseV6';
import type { GenerationOperation, ModelSpec } from './spec';
import { warmthOfJesus } from './warmthOfJesus';

/** In the order the Model field lists them: the original first, then newest to oldest. */
export const MODELS: readonly ModelSpec[] = [
	pixverseImage2Video,
	pixverseText2Video,
	pixverseV6,
	pixverse5Video,
	pixverse45Video,
	pixverse5Transition,
	pixverse5Extend,
	pixverseMimic,
	muscleSurge,
	warmthOfJesus,
];

export type OperationInfo = {
	name: string;
	action: string;
	description: string;
	/** The model the Model field starts on. */
	defaultModel: string;
};

export const OPERATIONS: Readonly<Record<GenerationOperation, OperationInfo>> = {
	generateFromImage: {
		name: 'Generate From Image',
		action: 'Generate a video from an image',
		description: 'Animate a still image into a short mp4 video',
		defaultModel: pixverseImage2Video.slug,
	},
	generateFromText: {
		name: 'Generate From Text',
		action: 'Generate a video from text',
		description: 'Make a short mp4 video from a prompt alone',
		defaultModel: pixverseText2Video.slug,
	},
	transitionBetweenFrames: {
		name: 'Transition Between Frames',
		action: 'Generate a video between two frames',
		description: 'Make a video that moves from a first image to a last image',
		defaultModel: pixverse5Transition.slug,
	},
	extendVideo: {
		name: 'Extend Video',
		action: 'Extend a video',
		description: 'Continue an existing video by a few seconds',
		defaultModel: pixverse5Extend.slug,
	},
	copyMotion: {
		name: 'Copy Motion From Video',
		action: 'Copy the motion of a video onto an image',
		description: 'Make the subject of an image perform the motion of a reference video',
		defaultModel: pixverseMimic.slug,
	},
	applyEffect: {
		name: 'Apply Effect',
		action: 'Apply a video effect to an image',
		description: 'Turn an image into a video with one of PixVerse’s effect templates',
		defaultModel: muscleSurge.slug,
	},
};

export function modelsFor(operation: GenerationOperation): ModelSpec[] {
	return MODELS.filter((model) => model.operations.includes(operation));
}

export function modelBySlug(slug: unknown): ModelSpec | undefined {
	return MODELS.find((model) => model.slug === slug);
}

export type { GenerationOperation, ModelSpec } from './spec';
export { GENERATION_OPERATIONS } from './spec';
