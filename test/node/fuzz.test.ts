/**
 * Property: whatever values arrive through expressions, each item either sends a request the
 * contract allows (judged by the simulator's own, independent check) or stops with a validation
 * error naming a field, and sends nothing. Thousands of random parameter sets, through the engine.
 */
import fc from 'fast-check';

import { FIELD_LABELS } from '../../nodes/Pixverse/contract';
import { pixverseUnderTest } from '../harness/pixverseUnderTest';
import { contractProblems } from '../simulator/segmind-simulator.ts';

const API_KEY = 'SG_fuzz0123456789a';
const pixverse = pixverseUnderTest(API_KEY);

const SETS_PER_RUN = 50;
const RUNS = 40; // 2000 parameter sets

const text = (maxLength: number) => fc.string({ maxLength });
/** Mostly right values, so valid requests are common enough to test both outcomes. */
const mostly = <T, U>(right: fc.Arbitrary<T>, wrong: fc.Arbitrary<U>) =>
	fc.oneof({ arbitrary: right, weight: 6 }, { arbitrary: wrong, weight: 1 });

const numberLike = fc.oneof(
	fc.integer({ min: -10, max: 10 }),
	fc.double({ noNaN: false }),
	fc.integer().map(String),
	fc.constantFrom('', ' ', '8s', '5.0', '0x5', 'five'),
);

/** Raw values as expressions may deliver them: right, wrong, typed wrong, empty. */
const parameterSet = fc.record(
	{
		imageUrl: mostly(
			fc.webUrl(),
			fc.oneof(
				fc.constantFrom(
					'',
					'ftp://example.com/a.png',
					'not a url',
					'https://',
					'javascript:alert(1)',
				),
				text(20),
			),
		),
		prompt: mostly(
			fc.string({ minLength: 1, maxLength: 40 }).filter((value) => value.trim() !== ''),
			fc.oneof(fc.constantFrom('', '   '), fc.string({ minLength: 2040, maxLength: 2060 })),
		),
		quality: mostly(
			fc.constantFrom('360p', '540p', '720p', '1080p'),
			fc.constantFrom('4k', '1080P', ' 540p', '', 720),
		),
		motionMode: mostly(fc.constantFrom('normal', 'fast'), fc.constantFrom('Fast', 'slow', '', 1)),
		duration: mostly(fc.constantFrom(5, 8, '5', '8'), numberLike),
		negativePrompt: fc.option(mostly(text(30), fc.string({ minLength: 2049, maxLength: 2050 }))),
		seed: fc.option(
			mostly(
				fc.integer({ min: 0, max: 2147483647 }),
				fc.oneof(numberLike, fc.constant(2147483648)),
			),
		),
		style: fc.option(
			mostly(
				fc.constantFrom('anime', '3d_animation', 'clay', 'comic', 'cyberpunk'),
				fc.constantFrom('watercolor', '', 'Anime'),
			),
		),
	},
	{ requiredKeys: ['imageUrl', 'prompt', 'quality', 'motionMode', 'duration'] },
);

const fromItem = (field: string) => `={{ $json.${field} }}`;
const validationLabels = Object.values(FIELD_LABELS);
let setsChecked = 0;
let requestsSent = 0;

test(`${SETS_PER_RUN * RUNS} random parameter sets: a contract-valid request or a clear error and nothing sent`, async () => {
	await fc.assert(
		fc.asyncProperty(
			fc.array(parameterSet, { minLength: SETS_PER_RUN, maxLength: SETS_PER_RUN }),
			async (sets) => {
				pixverse.simulator.reset();
				const run = await pixverse.generate(
					{
						imageUrl: fromItem('imageUrl'),
						prompt: fromItem('prompt'),
						quality: fromItem('quality'),
						motionMode: fromItem('motionMode'),
						duration: fromItem('duration'),
						additionalFields: {
							negativePrompt: fromItem('negativePrompt'),
							seed: fromItem('seed'),
							style: fromItem('style'),
						},
						options: { maxConcurrentRequests: 50 },
					},
					{ items: sets, continueOnFail: true },
				);
				expect(run.items).toHaveLength(sets.length);
				const requests = pixverse.generationRequests();
				const succeeded = run.items.filter((item) => !item.error);

				// Every request that went out is one the simulator's independent check accepts.
				for (const request of requests) {
					expect(contractProblems(request.json)).toEqual([]);
					expect(request.answeredStatus).toBe(200);
				}
				expect(requests).toHaveLength(succeeded.length);

				// Every refusal is a validation message naming a field, decided before sending.
				for (const item of run.items.filter((each) => each.error)) {
					const message = item.error!.message;
					expect(message.startsWith('Segmind')).toBe(false);
					expect(validationLabels.some((label) => message.startsWith(label))).toBe(true);
				}

				// A set whose raw values are already exactly what the contract allows is never refused.
				sets.forEach((set, index) => {
					const body = {
						image_url: set.imageUrl,
						prompt: set.prompt,
						quality: set.quality,
						motion_mode: set.motionMode,
						duration: set.duration,
						...(set.negativePrompt ? { negative_prompt: set.negativePrompt } : {}),
						...(set.seed !== undefined && set.seed !== null ? { seed: set.seed } : {}),
						...(set.style ? { style: set.style } : {}),
					};
					if (contractProblems(body).length === 0) expect(run.items[index].error).toBeUndefined();
				});
				setsChecked += sets.length;
				requestsSent += requests.length;
			},
		),
		{ numRuns: RUNS, seed: 20261124 },
	);
	// Both outcomes are exercised, not just one.
	expect(requestsSent).toBeGreaterThan(setsChecked * 0.1);
	expect(requestsSent).toBeLessThan(setsChecked);
	process.stdout.write(`fuzz: ${setsChecked} parameter sets, ${requestsSent} requests sent\n`);
}, 120_000);
