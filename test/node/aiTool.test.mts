/**
 * The node as an AI agent's tool: what the agent sends fills the fields through `$fromAI(...)`
 * and reaches Segmind, a value the model cannot render is refused before anything is paid, and
 * what the agent reads (the tool description n8n makes for the picked operation with
 * n8n-workflow's own makeDescription, the description it falls back on, and every field's
 * description). That a real n8n derives the tool from the installed package is
 * test/e2e/aiTool.e2e.test.mts.
 */
import { NodeHelpers, type INodeProperties } from 'n8n-workflow';

import { loadPixverseNodeType } from '../harness/engine.mts';
import { IMAGE_URL, pixverseUnderTest } from '../harness/pixverseUnderTest.mts';

const { description } = loadPixverseNodeType();
const pixverse = pixverseUnderTest('SG_a1t00l0123456789');

/**
 * The node's fields as a person sets them for an agent (README, "As an AI Agent tool"): the
 * agent fills what `$fromAI` names, the rest is fixed. An agent's call arrives as the item n8n
 * runs the tool with, its arguments under `query`, where `$fromAI` reads them.
 */
const toolFields = {
	resource: 'video',
	operation: 'generateFromImage',
	mode: 'singleRequest',
	imageUrl: "={{ $fromAI('imageUrl', 'A public URL of the image to animate') }}",
	prompt: "={{ $fromAI('prompt', 'What happens in the video') }}",
	quality: "={{ $fromAI('quality', 'Video quality: 360p, 540p, 720p or 1080p') }}",
	duration: "={{ $fromAI('duration', 'Length in seconds: 5 or 8', 'number') }}",
};
const toolCall = (query: Record<string, unknown>) => ({ items: [{ query }] });

test("a tool call's arguments fill the fields the agent may fill, and reach Segmind", async () => {
	const prompt = 'A paper boat sails across a puddle';
	const run = await pixverse.run(
		toolFields,
		toolCall({ imageUrl: IMAGE_URL, prompt, quality: '720p', duration: 8 }),
	);
	expect(run.error).toBeUndefined();
	expect(pixverse.generationRequests().map((request) => request.json)).toEqual([
		{ image_url: IMAGE_URL, prompt, quality: '720p', motion_mode: 'normal', duration: 8 },
	]);
	expect(run.items[0].binary?.data.mimeType).toBe('video/mp4');
});

test('a tool call the model cannot render is refused with the reason, and nothing is paid', async () => {
	const run = await pixverse.run(
		toolFields,
		toolCall({ imageUrl: IMAGE_URL, prompt: 'A cat', quality: '1080p', duration: 8 }),
	);
	expect(run.error?.message).toMatch(/^Duration \(Seconds\) 8 is not available with Quality 1080p/);
	expect(pixverse.simulator.requests).toHaveLength(0);
	expect(pixverse.simulator.billedGenerations).toBe(0);
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
