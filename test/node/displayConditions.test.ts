/**
 * The panel must offer exactly the 10 valid quality x motion x duration combinations.
 * Visibility is decided by n8n-workflow's own display logic (NodeHelpers.displayParameter), the
 * function the editor and the engine use, not by a re-implementation.
 */
import { NodeHelpers, type INodeProperties, type INodeParameters } from 'n8n-workflow';

import {
	allCombinations,
	isAllowedCombination,
	type Duration,
	type MotionMode,
	type Quality,
} from '../../nodes/Pixverse/contract';
import { loadPixverseNodeType } from '../harness/engine';

const nodeType = loadPixverseNodeType();
const { description } = nodeType;
const node = { typeVersion: 1 };

/** The seed's table, written out by hand so a wrong rule in the contract module is caught too. */
const VALID_BY_THE_SEED = [
	'360p/normal/5',
	'360p/normal/8',
	'360p/fast/5',
	'540p/normal/5',
	'540p/normal/8',
	'540p/fast/5',
	'720p/normal/5',
	'720p/normal/8',
	'720p/fast/5',
	'1080p/normal/5',
];

function panelValues(quality: string, motionMode: string, duration: number): INodeParameters {
	return {
		resource: 'video',
		operation: 'generateFromImage',
		imageUrl: 'https://example.com/cat.png',
		prompt: 'the cat waves',
		quality,
		motionMode,
		duration,
	};
}

function shownFields(values: INodeParameters, name: string): INodeProperties[] {
	return description.properties.filter(
		(property) =>
			property.name === name && NodeHelpers.displayParameter(values, property, node, description),
	);
}

/** What n8n fills in for a new Generate From Image node. */
function panelDefaults() {
	return NodeHelpers.getNodeParameters(
		description.properties,
		{ resource: 'video', operation: 'generateFromImage' },
		true,
		false,
		node,
		description,
	);
}

/** A value can be picked when a shown field of that name offers it as an option. */
function canPick(values: INodeParameters, name: string, value: string | number) {
	return shownFields(values, name).some((field) =>
		(field.options ?? []).some((option) => 'value' in option && option.value === value),
	);
}

function pickable(quality: Quality, motionMode: MotionMode, duration: Duration) {
	const values = panelValues(quality, motionMode, duration);
	return (
		canPick(values, 'quality', quality) &&
		canPick(values, 'motionMode', motionMode) &&
		canPick(values, 'duration', duration)
	);
}

const key = ({
	quality,
	motionMode,
	duration,
}: {
	quality: string;
	motionMode: string;
	duration: number;
}) => `${quality}/${motionMode}/${duration}`;

describe('display conditions', () => {
	test('all 16 combinations are enumerated', () => {
		expect(new Set(allCombinations().map(key)).size).toBe(16);
	});

	test('exactly the 10 valid combinations can be picked, none of the 6 invalid ones', () => {
		const reachable = allCombinations()
			.filter(({ quality, motionMode, duration }) => pickable(quality, motionMode, duration))
			.map(key);
		expect(reachable.sort()).toEqual([...VALID_BY_THE_SEED].sort());
		const validByContract = allCombinations()
			.filter(({ quality, motionMode, duration }) =>
				isAllowedCombination(quality, motionMode, duration),
			)
			.map(key);
		expect(reachable.sort()).toEqual(validByContract.sort());
	});

	test.each(allCombinations())(
		'stored values $quality / $motionMode / $duration s: one field each for Quality, Motion Mode and Duration is shown, starting on a value it offers',
		({ quality, motionMode, duration }) => {
			const values = panelValues(quality, motionMode, duration);
			for (const name of ['quality', 'motionMode', 'duration']) {
				const shown = shownFields(values, name);
				expect(shown).toHaveLength(1);
				const optionValues = (shown[0].options ?? []).map(
					(option) => 'value' in option && option.value,
				);
				// A freshly shown field starts on a value it offers.
				expect(optionValues).toContain(shown[0].default);
			}
		},
	);

	test('1080p offers only normal motion and 5 s, and says why', () => {
		const values = panelValues('1080p', 'normal', 5);
		expect(canPick(values, 'motionMode', 'fast')).toBe(false);
		expect(canPick(values, 'duration', 8)).toBe(false);
		const [notice] = shownFields(values, 'notice1080p');
		expect(notice.displayName).toMatch(/1080p/);
		expect(notice.displayName).toMatch(/5-second/);
		expect(notice.displayName).toMatch(/normal motion only/);
		expect(shownFields(panelValues('720p', 'normal', 5), 'notice1080p')).toHaveLength(0);
	});

	test('fast motion offers only 5 s, and says why', () => {
		const values = panelValues('540p', 'fast', 5);
		expect(canPick(values, 'duration', 8)).toBe(false);
		expect(canPick(values, 'duration', 5)).toBe(true);
		expect(shownFields(values, 'noticeFastMotion')[0].displayName).toMatch(
			/fast motion.*5-second/i,
		);
		expect(shownFields(panelValues('540p', 'normal', 5), 'noticeFastMotion')).toHaveLength(0);
	});

	test('the contract defaults are the panel defaults: 540p, normal, 5 s', () => {
		const resolved = panelDefaults();
		expect(resolved).toMatchObject({ quality: '540p', motionMode: 'normal', duration: 5 });
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
		const values = { ...panelValues('540p', 'normal', 5), mode };
		return (optionsCollection.options as INodeProperties[])
			.filter((option) =>
				NodeHelpers.displayParameterPath(values, option, 'options', node, description),
			)
			.map((option) => option.name)
			.sort();
	}

	test('Wait for Video is the default mode', () => {
		const resolved = panelDefaults();
		expect(resolved).toMatchObject({ mode: 'waitForVideo' });
	});

	test.each([
		['waitForVideo', ['binaryPropertyName', 'fileName', 'maxWait', 'pollInterval']],
		['singleRequest', ['binaryPropertyName', 'fileName', 'retryMayBillTwice', 'timeout']],
		['submitOnly', []],
	])('%s offers its own options besides the shared retry ones', (mode, own) => {
		const shared = ['maxConcurrentRequests', 'maxRetryWait', 'rateLimitRetries'];
		expect(offeredOptions(mode)).toEqual([...shared, ...own].sort());
	});
});
