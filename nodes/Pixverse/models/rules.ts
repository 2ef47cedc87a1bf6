/**
 * PixVerse's combination rules, shared by the models whose Segmind pages state them
 * (docs/pixverse-models.md, "PixVerse's own limits"). Each is values only: its words come from
 * ./ruleWords.ts, with the labels and values of the model it is given to.
 */
import type { CombinationRule } from './spec';

/** At 1080p PixVerse renders 5 seconds of normal motion only. */
export const AT_1080P_NORMAL_MOTION_AND_5_SECONDS: CombinationRule = {
	when: { field: 'quality', values: ['1080p'] },
	allow: { motion_mode: ['normal'], duration: [5] },
};

/** Fast motion renders 5-second videos only. */
export const FAST_MOTION_5_SECONDS: CombinationRule = {
	when: { field: 'motion_mode', values: ['fast'] },
	allow: { duration: [5] },
};

/** Models without a motion choice (V5) still render 5 seconds only at 1080p. */
export const AT_1080P_5_SECONDS: CombinationRule = {
	when: { field: 'quality', values: ['1080p'] },
	allow: { duration: [5] },
};

/**
 * The rules of the 5-or-8-second models that offer fast motion (PixVerse v3.5 to v4.5 and its
 * effect templates): "only 5 is allowed for fast mode or 1080p quality".
 */
export const FAST_MOTION_RULES = [
	AT_1080P_NORMAL_MOTION_AND_5_SECONDS,
	FAST_MOTION_5_SECONDS,
] as const;
