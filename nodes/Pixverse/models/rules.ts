/**
 * PixVerse's combination rules, shared by the models whose Segmind pages state them.
 */
import type { CombinationRule } from './spec';

/** At 1080p PixVerse renders 5 seconds of normal motion only. */
export const AT_1080P_NORMAL_MOTION_AND_5_SECONDS: CombinationRule = {
	when: { quality: ['1080p'] },
	allow: { motion_mode: ['normal'], duration: [5] },
	why: 'At 1080p PixVerse makes 5-second videos with normal motion only, so Fast motion and 8 seconds are not offered',
};

/** Fast motion renders 5-second videos only. */
export const FAST_MOTION_5_SECONDS: CombinationRule = {
	when: { motion_mode: ['fast'] },
	allow: { duration: [5] },
	why: 'Fast motion makes 5-second videos only, so 8 seconds is not offered',
};

/** Models without a motion choice (V5) still render 5 seconds only at 1080p. */
export const AT_1080P_5_SECONDS: CombinationRule = {
	when: { quality: ['1080p'] },
	allow: { duration: [5] },
	why: 'At 1080p this model makes 5-second videos only, so 8 seconds is not offered',
};

/** The rules of PixVerse v3.5 to v4.5 ("only 5 is allowed for fast mode or 1080p quality"). */
export const V4_RULES = [AT_1080P_NORMAL_MOTION_AND_5_SECONDS, FAST_MOTION_5_SECONDS] as const;
