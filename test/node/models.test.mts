/**
 * Every model the node offers, in every mode, through n8n's real engine against the simulator:
 * the exact body each model is sent (written out by hand in test/fixtures/modelCases.ts), the
 * endpoint of each mode, the video at the end, and Get Result for a job of each model. Then the
 * proof that a model is data: a spec defined only here gets its panel and its validation, and
 * runs through the engine to a simulator that judges it by its own hand-written rules.
 */
import { NodeHelpers, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { accountDescription } from '../../nodes/Pixverse/description/account';

import { videoProperties } from '../../nodes/Pixverse/description/video';
import { Pixverse } from '../../nodes/Pixverse/Pixverse.node';
import { MODELS } from '../../nodes/Pixverse/models';
import { duration, prompt, quality } from '../../nodes/Pixverse/models/fields';
import type { ModelSpec } from '../../nodes/Pixverse/models/spec';
import { checkerFor } from '../../nodes/Pixverse/models/validation';
import { EXPECTED_BODIES, INPUTS } from '../fixtures/modelCases.mts';
import { loadPixverseNodeType } from '../harness/engine.mts';
import {
	PROMPT,
	pixverseUnderTest,
	SAMPLE_VIDEO,
	videoBytesOf,
} from '../harness/pixverseUnderTest.mts';
import type { ServedModel } from '../simulator/pixverse-models.mts';

const API_KEY = 'SG_models012345678';
const pixverse = pixverseUnderTest(API_KEY, { jobMs: 150 });

const CASES = Object.entries(EXPECTED_BODIES);
/** A model's typical time, scaled so a test waits as long as the simulator's job. */
const QUICK = { expectedTime: 0.15 };

const parametersOf = (operation: string, model: string, mode: string) => ({
	resource: 'video',
	operation,
	model,
	mode,
	...INPUTS[operation],
	options: QUICK,
});

test('every offered model has a case here, and every case an offered model', () => {
	const offered = MODELS.flatMap((model) =>
		model.operations.map((operation) => `${operation}/${model.slug}`),
	);
	expect(CASES.map(([, { operation, model }]) => `${operation}/${model}`).sort()).toEqual(
		offered.sort(),
	);
});

describe.each(CASES)('%s', (_name, { operation, model, body }) => {
	test('Single Request: exactly this body to /v1/<model>, and the video', async () => {
		const { items, error } = await pixverse.run(parametersOf(operation, model, 'singleRequest'));
		expect(error).toBeUndefined();
		const [request] = pixverse.generationRequests();
		expect(pixverse.generationRequests()).toHaveLength(1);
		expect(request.path).toBe(`/v1/${model}`);
		expect(request.json).toEqual(body);
		expect(videoBytesOf(items[0]).equals(SAMPLE_VIDEO)).toBe(true);
		expect(items[0].json).toMatchObject({ model, request: body });
		expect(typeof items[0].json.cost).toBe('number');
	});

	test('Wait for Video: the same body to /v2/<model>, the job polled, the video with cost and time', async () => {
		const { items, error } = await pixverse.run(parametersOf(operation, model, 'waitForVideo'));
		expect(error).toBeUndefined();
		expect(pixverse.generationRequests().map((request) => request.path)).toEqual([`/v2/${model}`]);
		expect(pixverse.generationRequests()[0].json).toEqual(body);
		const [job] = pixverse.simulator.jobs;
		expect(videoBytesOf(items[0]).equals(SAMPLE_VIDEO)).toBe(true);
		expect(items[0].json).toMatchObject({ model, requestId: job.id, request: body });
		expect(typeof items[0].json.cost).toBe('number');
		expect(typeof items[0].json.generationTime).toBe('number');
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test('Submit Only then Get Result: one job, fetched without paying again', async () => {
		const submitted = await pixverse.run(parametersOf(operation, model, 'submitOnly'));
		expect(submitted.error).toBeUndefined();
		expect(submitted.items[0].json).toMatchObject({ model, status: 'QUEUED', request: body });
		const fetched = await pixverse.run(
			{
				resource: 'video',
				operation: 'getResult',
				requestId: '={{ $json.requestId }}',
				options: QUICK,
			},
			{ items: [submitted.items[0].json] },
		);
		expect(fetched.error).toBeUndefined();
		expect(videoBytesOf(fetched.items[0]).equals(SAMPLE_VIDEO)).toBe(true);
		expect(pixverse.generationRequests()).toHaveLength(1);
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});
});

describe('a model is data: a spec defined only in this test', () => {
	/** An imaginary model with its own values and a rule the real ones do not have. */
	const imaginary: ModelSpec = {
		slug: 'pixverse-imaginary',
		name: 'PixVerse Imaginary',
		summary: 'Exists only in this test',
		operations: ['generateFromText'],
		fields: [prompt(), quality(['720p', '1080p'], '720p'), duration([4, 6, 12])],
		rules: [{ when: { field: 'quality', values: ['1080p'] }, allow: { duration: [4] } }],
		typicalSeconds: 10,
		price: 'free',
		source: 'this test',
	};
	const properties = videoProperties([...MODELS, imaginary]);
	const description = { properties } as never;
	const node = { typeVersion: 1 };
	const values = (more: INodeParameters): INodeParameters => ({
		resource: 'video',
		operation: 'generateFromText',
		model: imaginary.slug,
		...more,
	});
	const offered = (panel: INodeParameters, name: string) =>
		properties
			.filter(
				(property) =>
					property.name === name &&
					NodeHelpers.displayParameter(panel, property, node, description),
			)
			.flatMap((property) =>
				(property.options as Array<{ value: unknown; displayOptions?: object }>)
					.filter(
						(option) =>
							!option.displayOptions ||
							NodeHelpers.displayParameter(panel, option as never, node, description),
					)
					.map((option) => option.value),
			);

	test('Generate From Text offers it in its Model field', () => {
		expect(offered(values({}), 'model')).toContain(imaginary.slug);
	});

	test('its own values are offered, and its rule narrows them', () => {
		expect(offered(values({ quality: '720p' }), 'quality')).toEqual(['720p', '1080p']);
		expect(offered(values({ quality: '720p' }), 'duration')).toEqual([4, 6, 12]);
		expect(offered(values({ quality: '1080p' }), 'duration')).toEqual([4]);
		// Fields it does not have are not shown.
		expect(offered(values({}), 'motionMode')).toEqual([]);
		expect(offered(values({}), 'aspectRatio')).toEqual([]);
		const notice = properties.find(
			(property) =>
				property.type === 'notice' &&
				property.displayName === 'With Quality 1080p this model renders only Duration (Seconds) 4',
		)!;
		expect(
			NodeHelpers.displayParameter(values({ quality: '1080p' }), notice, node, description),
		).toBe(true);
		expect(
			NodeHelpers.displayParameter(values({ quality: '720p' }), notice, node, description),
		).toBe(false);
	});

	test('the real models keep exactly their own values beside it', () => {
		const v6 = { resource: 'video', operation: 'generateFromText', model: 'pixverse-v6' };
		expect(offered(v6, 'duration')).toEqual(Array.from({ length: 15 }, (_, index) => index + 1));
		expect(offered(v6, 'quality')).toEqual(['360p', '540p', '720p', '1080p']);
	});

	describe('it runs end to end: the engine, its spec, the simulator', () => {
		/** The simulator's rules for it, written by hand like a real model's (not from its spec). */
		const judgedBySimulator: ServedModel = {
			cost: 0.1,
			rules: (body) => [
				...Object.keys(body)
					.filter((key) => !['prompt', 'quality', 'duration'].includes(key))
					.map((key) => `Unknown parameter: ${key}`),
				...(typeof body.prompt === 'string' && body.prompt ? [] : ['prompt is required']),
				...(['720p', '1080p'].includes(body.quality as string)
					? []
					: ['quality must be one of 720p, 1080p']),
				...([4, 6, 12].includes(body.duration as number) ? [] : ['duration must be 4, 6 or 12']),
				...(body.quality === '1080p' && body.duration !== 4
					? ['quality 1080p allows duration 4 only']
					: []),
			],
		};
		const resource = new Pixverse().description.properties.find(
			(property) => property.name === 'resource',
		)!;
		const nodeType = loadPixverseNodeType([resource, ...properties, ...accountDescription]);
		const imaginaryRun = (mode: string, more: IDataObject = {}) => {
			pixverse.simulator.configure({ extraModels: { [imaginary.slug]: judgedBySimulator } });
			return pixverse.run(
				{ ...values({ mode, prompt: PROMPT, options: QUICK }), ...more },
				{ nodeType },
			);
		};

		test.each(['singleRequest', 'waitForVideo'])(
			'%s: the body its spec makes is the body the simulator accepts, and the video comes back',
			async (mode) => {
				const { items, error } = await imaginaryRun(mode, { quality: '1080p', duration: '4' });
				expect(error).toBeUndefined();
				const [request] = pixverse.generationRequests();
				expect(request.path).toBe(`/${mode === 'singleRequest' ? 'v1' : 'v2'}/${imaginary.slug}`);
				expect(request.json).toEqual({ prompt: PROMPT, quality: '1080p', duration: 4 });
				expect(request.answeredStatus).toBe(200);
				expect(videoBytesOf(items[0]).equals(SAMPLE_VIDEO)).toBe(true);
				expect(items[0].json).toMatchObject({ model: imaginary.slug });
				expect(pixverse.simulator.billedByModel()).toEqual({ [imaginary.slug]: 1 });
			},
		);

		test('its rule stops a value before anything is sent', async () => {
			const { error } = await imaginaryRun('waitForVideo', { quality: '1080p', duration: 6 });
			expect(error?.message).toBe(
				'Duration (Seconds) 6 is not available with Quality 1080p: allowed is 4',
			);
			expect(pixverse.simulator.requests).toHaveLength(0);
		});

		test('the node built from MODELS alone does not serve it', async () => {
			const { error } = await pixverse.run(values({ mode: 'singleRequest', prompt: PROMPT }));
			expect(error?.message).toMatch(
				/^Model "pixverse-imaginary" does not serve Generate From Text/,
			);
			expect(pixverse.simulator.requests).toHaveLength(0);
		});
	});

	test('its validation follows from the spec', () => {
		const check = checkerFor(imaginary, 'generateFromText');
		expect(check({ prompt: 'a bird', quality: '720p', duration: '12' })).toEqual({
			ok: true,
			body: { prompt: 'a bird', quality: '720p', duration: 12 },
		});
		expect(check({ prompt: 'a bird', quality: '1080p', duration: 6 })).toMatchObject({
			ok: false,
			violations: [
				{ message: 'Duration (Seconds) 6 is not available with Quality 1080p: allowed is 4' },
			],
		});
		expect(check({ prompt: 'a bird', quality: '540p', duration: 4 })).toMatchObject({
			ok: false,
			violations: [{ message: 'Quality "540p" is not valid: allowed values are 720p, 1080p' }],
		});
		expect(check({ prompt: 'a bird', quality: '720p', duration: 4, seed: 1 })).toMatchObject({
			ok: false,
			violations: [
				{
					message: 'Unknown field seed: PixVerse Imaginary accepts only prompt, quality, duration',
				},
			],
		});
	});
});

test('the canvas subtitle names every operation as its option in the panel does', () => {
	const { description } = new Pixverse();
	const names = JSON.parse(/\{\{ (\{.*\})\[/.exec(String(description.subtitle))![1]) as Record<
		string,
		string
	>;
	const operations = description.properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) => property.options as Array<{ name: string; value: string }>);
	expect(Object.fromEntries(operations.map(({ name, value }) => [value, name]))).toEqual(names);
});
