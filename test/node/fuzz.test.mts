/**
 * Property, for every model: whatever values arrive through expressions, each item either sends
 * a request the simulator's own hand-written rules accept, or stops with a validation error
 * naming a field and sends nothing; and a set of values those rules accept is never refused.
 * Thousands of random parameter sets, through the real engine.
 */
import fc from 'fast-check';
import { NodeHelpers, type INodeParameters, type INodeProperties } from 'n8n-workflow';

import { EXPECTED_BODIES, type ModelCase } from '../fixtures/modelCases.mts';
import { loadPixverseNodeType } from '../harness/engine.mts';
import { pixverseUnderTest } from '../harness/pixverseUnderTest.mts';
import { contractProblemsFor } from '../simulator/segmind-simulator.mts';

const API_KEY = 'SG_fuzz0123456789a';
const pixverse = pixverseUnderTest(API_KEY);
const { description } = loadPixverseNodeType();

const SETS_PER_RUN = 50;
const RUNS = 40; // 2000 parameter sets

/** The panel's labels, written out: every refusal must name one of them. */
const LABELS = [
	'Image URL',
	'First Frame URL',
	'Last Frame URL',
	'Video URL',
	'Prompt',
	'Aspect Ratio',
	'Quality',
	'Motion Mode',
	'Duration (Seconds)',
	'Generate Audio',
	'Negative Prompt',
	'Seed',
	'Style',
	'Prompt Reasoning',
	'Sound Effects',
	'Sound Effect Prompt',
];

/** Each parameter and the API field it becomes, also written out. */
const MAIN = {
	imageUrl: 'image_url',
	firstFrameUrl: 'first_frame_url',
	lastFrameUrl: 'last_frame_url',
	videoUrl: 'video_url',
	prompt: 'prompt',
	aspectRatio: 'aspect_ratio',
	quality: 'quality',
	motionMode: 'motion_mode',
	duration: 'duration',
	generateAudio: 'generate_audio_switch',
} as const;
const ADDITIONAL = {
	negativePrompt: 'negative_prompt',
	seed: 'seed',
	style: 'style',
	thinkingType: 'thinking_type',
	soundEffects: 'sound_effect_switch',
	soundEffectPrompt: 'sound_effect_content',
} as const;

const text = (maxLength: number) => fc.string({ maxLength });
/** Mostly right values, so valid requests are common enough to test both outcomes. */
const mostly = <T, U>(right: fc.Arbitrary<T>, wrong: fc.Arbitrary<U>) =>
	fc.oneof({ arbitrary: right, weight: 6 }, { arbitrary: wrong, weight: 1 });
const numberLike = fc.oneof(
	fc.integer({ min: -10, max: 20 }),
	fc.double({ noNaN: false }),
	fc.integer().map(String),
	fc.constantFrom('', ' ', '8s', '5.0', '0x5', 'five'),
);
const url = mostly(
	fc.webUrl(),
	fc.oneof(fc.constantFrom('', 'ftp://example.com/a.png', 'not a url', 'https://'), text(20)),
);
const prompt = mostly(
	fc.string({ minLength: 1, maxLength: 40 }).filter((value) => value.trim() !== ''),
	fc.oneof(fc.constantFrom('', '   '), fc.string({ minLength: 2040, maxLength: 5010 })),
);
const flag = mostly(fc.boolean(), fc.constantFrom('true', 'yes', 1, ''));

/** Raw values as expressions may deliver them: right, wrong, typed wrong, empty. */
const parameterSet = fc.record(
	{
		imageUrl: url,
		firstFrameUrl: url,
		lastFrameUrl: url,
		videoUrl: url,
		prompt,
		aspectRatio: mostly(
			fc.constantFrom('16:9', '4:3', '1:1', '3:4', '9:16', '2:3', '3:2', '21:9'),
			fc.constantFrom('16x9', '', 'square', 169),
		),
		quality: mostly(
			fc.constantFrom('360p', '540p', '720p', '1080p'),
			fc.constantFrom('4k', '1080P', ' 540p', '', 720),
		),
		motionMode: mostly(fc.constantFrom('normal', 'fast'), fc.constantFrom('Fast', 'slow', '', 1)),
		duration: mostly(
			fc.oneof(fc.integer({ min: 1, max: 15 }), fc.constantFrom('5', '8')),
			numberLike,
		),
		generateAudio: flag,
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
		thinkingType: fc.option(
			mostly(fc.constantFrom('auto', 'enabled', 'disabled'), fc.constantFrom('on', '')),
		),
		soundEffects: fc.option(flag),
		soundEffectPrompt: fc.option(mostly(text(30), fc.string({ minLength: 2049, maxLength: 2050 }))),
	},
	{ requiredKeys: Object.keys(MAIN) as Array<keyof typeof MAIN> },
);
type ParameterSet = Record<string, unknown>;

const fromItem = (field: string) => `={{ $json.${field} }}`;
const node = { typeVersion: 1 };

/** The parameters the panel shows for a model, decided by n8n's own display logic. */
function shownParameters({ operation, model }: ModelCase) {
	const values: INodeParameters = {
		resource: 'video',
		operation,
		model,
		// Images from URLs, as the fuzzed parameters give them.
		imageSource: 'url',
		firstFrameSource: 'url',
		lastFrameSource: 'url',
	};
	const main = Object.keys(MAIN).filter((name) =>
		description.properties.some(
			(property) =>
				property.name === name && NodeHelpers.displayParameter(values, property, node, description),
		),
	);
	const collection = description.properties.find(
		(property) => property.name === 'additionalFields',
	)!;
	const additional = Object.keys(ADDITIONAL).filter((name) =>
		(collection.options as INodeProperties[]).some(
			(option) =>
				option.name === name &&
				NodeHelpers.displayParameterPath(values, option, 'additionalFields', node, description),
		),
	);
	return { main, additional };
}

/**
 * The body the node would send for these raw values if they were already exactly right: the
 * model's default body with every shown field's raw value in it (empty optional ones left out).
 */
function rawBody(modelCase: ModelCase, set: ParameterSet): Record<string, unknown> {
	const { main, additional } = shownParameters(modelCase);
	const body: Record<string, unknown> = { ...modelCase.body };
	for (const name of main) body[MAIN[name as keyof typeof MAIN]] = set[name];
	for (const name of additional) {
		const value = set[name];
		if (value !== undefined && value !== null && value !== '') {
			body[ADDITIONAL[name as keyof typeof ADDITIONAL]] = value;
		}
	}
	return body;
}

let setsChecked = 0;
let requestsSent = 0;
const modelsSeen = new Set<string>();

test(`${SETS_PER_RUN * RUNS} random parameter sets across every model: an accepted request or a clear error and nothing sent`, async () => {
	await fc.assert(
		fc.asyncProperty(
			fc.constantFrom(...Object.values(EXPECTED_BODIES)),
			fc.array(parameterSet, { minLength: SETS_PER_RUN, maxLength: SETS_PER_RUN }),
			async (modelCase, sets) => {
				pixverse.simulator.reset();
				const run = await pixverse.run(
					{
						resource: 'video',
						operation: modelCase.operation,
						model: modelCase.model,
						mode: 'singleRequest',
						...Object.fromEntries(Object.keys(MAIN).map((name) => [name, fromItem(name)])),
						additionalFields: Object.fromEntries(
							Object.keys(ADDITIONAL).map((name) => [name, fromItem(name)]),
						),
						options: { maxConcurrentRequests: 50 },
					},
					{ items: sets as never, continueOnFail: true },
				);
				expect(run.items).toHaveLength(sets.length);
				const requests = pixverse.generationRequests();
				const succeeded = run.items.filter((item) => !item.error);

				// Every request that went out is one the simulator's independent rules accept.
				for (const request of requests) {
					expect(request.path).toBe(`/v1/${modelCase.model}`);
					expect(contractProblemsFor(modelCase.model, request.json)).toEqual([]);
					expect(request.answeredStatus).toBe(200);
				}
				expect(requests).toHaveLength(succeeded.length);

				// Every refusal is a validation message naming a field, decided before sending.
				for (const item of run.items.filter((each) => each.error)) {
					const message = item.error!.message;
					expect(LABELS.some((label) => message.startsWith(label))).toBe(true);
				}

				// A set whose raw values those rules already accept is never refused.
				sets.forEach((set, index) => {
					if (contractProblemsFor(modelCase.model, rawBody(modelCase, set)).length === 0) {
						expect(run.items[index].error).toBeUndefined();
					}
				});
				setsChecked += sets.length;
				requestsSent += requests.length;
				modelsSeen.add(`${modelCase.operation}/${modelCase.model}`);
			},
		),
		{ numRuns: RUNS, seed: 20261201, endOnFailure: true },
	);
	// Both outcomes are exercised, not just one, across many models.
	expect(requestsSent).toBeGreaterThan(setsChecked * 0.05);
	expect(requestsSent).toBeLessThan(setsChecked);
	expect(modelsSeen.size).toBeGreaterThanOrEqual(10);
	process.stdout.write(
		`fuzz: ${setsChecked} parameter sets over ${modelsSeen.size} model cases, ${requestsSent} requests sent\n`,
	);
}, 180_000);
