/**
 * The panel offers exactly what each model can render. What is offered is decided by n8n's own
 * display logic (NodeHelpers.displayParameter on fields, and on options, as the editor filters a
 * dropdown), and what is allowed is decided by the simulator's hand-written rules, written from
 * the evidence independently of the node's specs.
 */
import {
	NodeHelpers,
	type INodeProperties,
	type INodeParameters,
	type INodePropertyOptions,
} from 'n8n-workflow';

import { MODELS } from '../../nodes/Pixverse/models';
import { loadPixverseNodeType } from '../harness/engine.mts';
import { contractProblemsFor } from '../simulator/segmind-simulator.mts';
import {
	combinationKey,
	IMAGE2VIDEO_COMBINATIONS,
	VALID_ON_IMAGE2VIDEO_PAGE,
} from '../fixtures/image2videoSample.mts';
import { EXPECTED_BODIES, INPUTS, type ModelCase } from '../fixtures/modelCases.mts';

const { description } = loadPixverseNodeType();
const node = { typeVersion: 1 };

function shownFields(values: INodeParameters, name: string): INodeProperties[] {
	return description.properties.filter(
		(property) =>
			property.name === name && NodeHelpers.displayParameter(values, property, node, description),
	);
}

/** The notices the panel shows for these values. */
const noticesShown = (values: INodeParameters) =>
	description.properties
		.filter(
			(property) =>
				property.type === 'notice' &&
				NodeHelpers.displayParameter(values, property, node, description),
		)
		.map((notice) => notice.displayName);

/** The values a dropdown offers, filtered the way n8n's editor filters them. */
function offered(values: INodeParameters, name: string): unknown[] {
	return shownFields(values, name).flatMap((field) =>
		((field.options ?? []) as INodePropertyOptions[])
			.filter(
				(option) =>
					!option.displayOptions ||
					NodeHelpers.displayParameter(values, option as never, node, description),
			)
			.map((option) => option.value),
	);
}

/**
 * Every value the choices of any model could be asked about, valid or not: PixVerse's values,
 * plus any value a model's spec adds (whether the model accepts it is the simulator's to say).
 */
const UNIVERSE: Record<string, Array<string | number>> = Object.fromEntries(
	Object.entries({
		quality: ['360p', '540p', '720p', '1080p'],
		motionMode: ['normal', 'fast'],
		duration: Array.from({ length: 15 }, (_, index) => index + 1),
		aspectRatio: ['16:9', '4:3', '1:1', '3:4', '9:16', '2:3', '3:2', '21:9'],
	}).map(([parameter, values]) => [
		parameter,
		[
			...new Set([
				...values,
				...MODELS.flatMap((model) =>
					model.fields.flatMap((field) =>
						field.type === 'choice' && field.parameter === parameter ? field.values : [],
					),
				),
			]),
		],
	]),
);
const TO_BODY: Record<string, string> = {
	quality: 'quality',
	motionMode: 'motion_mode',
	duration: 'duration',
	aspectRatio: 'aspect_ratio',
};

function tuples(parameters: string[]): INodeParameters[] {
	return parameters.reduce<INodeParameters[]>(
		(all, parameter) =>
			all.flatMap((tuple) =>
				UNIVERSE[parameter].map((value) => ({ ...tuple, [parameter]: value })),
			),
		[{}],
	);
}

const panelOf = ({ operation, model }: ModelCase): INodeParameters => ({
	resource: 'video',
	operation,
	model,
	...INPUTS[operation],
});

describe.each(Object.keys(EXPECTED_BODIES))('%s', (caseName) => {
	const modelCase = EXPECTED_BODIES[caseName];
	const base = panelOf(modelCase);
	const choices = Object.keys(UNIVERSE).filter((parameter) => shownFields(base, parameter).length);

	test('the model is offered by its operation', () => {
		expect(offered({ resource: 'video', operation: modelCase.operation }, 'model')).toContain(
			modelCase.model,
		);
	});

	test('every combination the panel offers is one the simulator accepts, and every one it accepts is offered', () => {
		const pickable: string[] = [];
		const accepted: string[] = [];
		for (const tuple of tuples(choices)) {
			const values = { ...base, ...tuple };
			const key = JSON.stringify(tuple);
			if (
				Object.entries(tuple).every(([parameter, value]) =>
					offered(values, parameter).includes(value),
				)
			) {
				pickable.push(key);
			}
			const body = { ...modelCase.body };
			for (const [parameter, value] of Object.entries(tuple)) body[TO_BODY[parameter]] = value;
			if (contractProblemsFor(modelCase.model, body).length === 0) accepted.push(key);
		}
		expect(pickable.length).toBeGreaterThan(0);
		expect(pickable.sort()).toEqual(accepted.sort());
	});

	test('from any combination it accepts, every value offered for one field leads to another it accepts', () => {
		// So no order of picks in the panel reaches a combination the model cannot render.
		const accepts = (tuple: INodeParameters) => {
			const body = { ...modelCase.body };
			for (const [parameter, value] of Object.entries(tuple)) body[TO_BODY[parameter]] = value;
			return contractProblemsFor(modelCase.model, body).length === 0;
		};
		let moves = 0;
		for (const tuple of tuples(choices).filter(accepts)) {
			for (const parameter of choices) {
				for (const value of offered({ ...base, ...tuple }, parameter)) {
					expect({
						tuple,
						parameter,
						value,
						accepted: accepts({ ...tuple, [parameter]: value as string | number }),
					}).toMatchObject({ accepted: true });
					moves++;
				}
			}
		}
		expect(moves).toBeGreaterThan(0);
	});

	test('each choice shown is one field, starting on a value it offers', () => {
		for (const parameter of choices) {
			const [field, ...more] = shownFields(base, parameter);
			expect(more).toHaveLength(0);
			expect(offered(base, parameter)).toContain(field.default);
		}
	});
});

describe('pixverse-image2video, against its page’s own table', () => {
	const values = (quality: string, motionMode: string, duration: number): INodeParameters => ({
		resource: 'video',
		operation: 'generateFromImage',
		model: 'pixverse-image2video',
		imageUrl: 'https://example.com/cat.png',
		prompt: 'the cat waves',
		quality,
		motionMode,
		duration,
	});
	const pickable = ({
		quality,
		motionMode,
		duration,
	}: (typeof IMAGE2VIDEO_COMBINATIONS)[number]) => {
		const panel = values(quality, motionMode, duration);
		return (
			offered(panel, 'quality').includes(quality) &&
			offered(panel, 'motionMode').includes(motionMode) &&
			offered(panel, 'duration').includes(duration)
		);
	};

	test('exactly the 10 valid combinations of 16 can be picked', () => {
		expect(IMAGE2VIDEO_COMBINATIONS.filter(pickable).map(combinationKey).sort()).toEqual(
			[...VALID_ON_IMAGE2VIDEO_PAGE].sort(),
		);
	});

	test('1080p offers only normal motion and 5 s, and a notice says why', () => {
		const panel = values('1080p', 'normal', 5);
		expect(offered(panel, 'motionMode')).toEqual(['normal']);
		expect(offered(panel, 'duration')).toEqual([5]);
		expect(noticesShown(panel)).toEqual([
			'With Quality 1080p this model renders only Motion Mode normal and Duration (Seconds) 5',
		]);
	});

	test('fast motion offers only 5 s, and a notice says why', () => {
		const panel = values('540p', 'fast', 5);
		expect(offered(panel, 'duration')).toEqual([5]);
		expect(noticesShown(panel)).toEqual([
			'Quality 1080p is not offered with Motion Mode fast: with Quality 1080p this model renders only Motion Mode normal and Duration (Seconds) 5',
			'With Motion Mode fast this model renders only Duration (Seconds) 5',
		]);
		// 1080p is hidden while Fast is picked: picking in another order cannot reach 1080p + fast.
		expect(offered(panel, 'quality')).toEqual(['360p', '540p', '720p']);
	});

	test('the defaults are 540p, normal motion, 5 s, pixverse-image2video and Wait for Video', () => {
		const resolved = NodeHelpers.getNodeParameters(
			description.properties,
			{ resource: 'video', operation: 'generateFromImage' },
			true,
			false,
			node,
			description,
		);
		expect(resolved).toMatchObject({
			model: 'pixverse-image2video',
			mode: 'waitForVideo',
			quality: '540p',
			motionMode: 'normal',
			duration: 5,
		});
	});
});

describe('every property name is one field per operation', () => {
	test('no two fields of the same name show at once (one expression evaluated once per item)', () => {
		for (const caseName of Object.keys(EXPECTED_BODIES)) {
			const values = panelOf(EXPECTED_BODIES[caseName]);
			const shownNames = description.properties
				.filter((property) => NodeHelpers.displayParameter(values, property, node, description))
				.map((property) => property.name);
			expect(shownNames.length).toBe(new Set(shownNames).size);
		}
	});
});

describe('options follow the Mode', () => {
	const optionsCollection = description.properties.find(
		(property) =>
			property.name === 'options' &&
			property.displayOptions?.show?.operation?.includes('generateFromImage'),
	)!;

	/** The options n8n's own display logic offers in "Add Option" for these root values. */
	function offeredOptions(mode: string) {
		const values = { resource: 'video', operation: 'generateFromImage', mode };
		return (optionsCollection.options as INodeProperties[])
			.filter((option) =>
				NodeHelpers.displayParameterPath(values, option, 'options', node, description),
			)
			.map((option) => option.name)
			.sort();
	}

	test.each([
		[
			'waitForVideo',
			[
				'binaryPropertyName',
				'expectedTime',
				'fileName',
				'handOffAfter',
				'maxWait',
				'onRetriedExecution',
				'pollInterval',
			],
		],
		['singleRequest', ['binaryPropertyName', 'fileName', 'retryMayBillTwice', 'timeout']],
		['submitOnly', ['handOffAfter', 'onRetriedExecution']],
	])('%s offers its own options besides the shared retry ones', (mode, own) => {
		const shared = ['maxConcurrentRequests', 'maxRetryWait', 'rateLimitRetries'];
		expect(offeredOptions(mode)).toEqual([...shared, ...own].sort());
	});
});

describe('long jobs', () => {
	const panelFor = (operation: string, model: string, mode: string) => ({
		resource: 'video',
		operation,
		model,
		mode,
		quality: '540p',
		motionMode: 'normal',
		duration: 5,
	});
	const handOffNotices = (values: INodeParameters) =>
		noticesShown(values).filter((text) => text.includes('Hand Off After'));

	test('Motion Control and Extend warn in Wait for Video that the item may come out pending', () => {
		for (const [operation, model, seconds] of [
			['copyMotion', 'pixverse-mimic', 243],
			['extendVideo', 'pixverse-5-extend', 93],
		] as const) {
			const [notice] = handOffNotices(panelFor(operation, model, 'waitForVideo'));
			expect(notice).toContain(`usually takes ${seconds} s`);
			expect(notice).toContain('"pending"');
			expect(handOffNotices(panelFor(operation, model, 'submitOnly'))).toEqual([]);
		}
	});

	test('models that usually finish well within the hand-off show no such notice', () => {
		expect(handOffNotices(panelFor('generateFromImage', 'pixverse-v6', 'waitForVideo'))).toEqual(
			[],
		);
		expect(
			handOffNotices(panelFor('generateFromImage', 'pixverse-image2video', 'waitForVideo')),
		).toEqual([]);
	});
});
