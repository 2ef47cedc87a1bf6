/**
 * What an AI agent reads when it uses the node as a tool: the tool description n8n makes for the
 * picked operation (n8n-workflow's own makeDescription, no n8n needed), the description it falls
 * back on, and the description of every field the agent can fill. That a real n8n derives the
 * tool from the installed package is test/e2e/aiTool.e2e.test.mts.
 */
import { NodeHelpers, type INodeProperties } from 'n8n-workflow';

import { loadPixverseNodeType } from '../harness/engine.mts';

const { description } = loadPixverseNodeType();

test('the node may be used as a tool', () => {
	expect(description.usableAsTool).toBe(true);
});

test('the tool description an agent reads by default says what the picked operation does', () => {
	// A tool's Tool Description starts on "Set Automatically": n8n builds it from the operation.
	const automatic = (resource: string, operation: string) =>
		NodeHelpers.makeDescription({ resource, operation }, description);
	expect(automatic('video', 'generateFromImage')).toBe(
		'Generate a video from an image in Pixverse',
	);
	expect(automatic('video', 'generateFromText')).toBe('Generate a video from text in Pixverse');
	expect(automatic('video', 'transitionBetweenFrames')).toBe(
		'Generate a video between two frames in Pixverse',
	);
	expect(automatic('video', 'extendVideo')).toBe('Extend a video in Pixverse');
	expect(automatic('video', 'copyMotion')).toBe(
		'Copy the motion of a video onto an image in Pixverse',
	);
	expect(automatic('video', 'applyEffect')).toBe('Apply a video effect to an image in Pixverse');
	expect(automatic('video', 'getResult')).toBe('Get the video of a submitted job in Pixverse');
	expect(automatic('account', 'getCredits')).toBe('Get the credit balance in Pixverse');
});

test('the description a "Set Manually" tool starts from names every kind of input, and the mp4 out', () => {
	// n8n copies the node's description into the tool's Description field.
	for (const words of [/image/i, /text/i, /two frames/i, /extend/i, /motion/i, /effect/i, /mp4/i]) {
		expect(description.description).toMatch(words);
	}
});

test('every field an agent can fill has a description saying what to put there', () => {
	const fillable = (properties: INodeProperties[]): INodeProperties[] =>
		properties.flatMap((property) =>
			property.type === 'collection'
				? fillable((property.options ?? []) as INodeProperties[])
				: ['string', 'number', 'options', 'boolean'].includes(property.type) &&
					  !property.noDataExpression
					? [property]
					: [],
		);
	// Request Options are n8n's own, added to every declarative node.
	const fields = fillable(description.properties).filter(
		(property) => property.name !== 'requestOptions',
	);
	expect(fields.map((field) => field.name)).toEqual(
		expect.arrayContaining([
			'imageUrl',
			'firstFrameUrl',
			'lastFrameUrl',
			'videoUrl',
			'prompt',
			'aspectRatio',
			'quality',
			'motionMode',
			'duration',
			'requestId',
		]),
	);
	const undescribed = fields.filter((field) => (field.description ?? '').trim().length < 20);
	expect(undescribed.map((field) => field.name)).toEqual([]);
});
