/**
 * Generate From Image through n8n's real engine (WorkflowExecute + RoutingNode) against the
 * Segmind simulator on 127.0.0.1.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	IMAGE_URL,
	pixverseUnderTest,
	SAMPLE_VIDEO as FIXTURE,
	videoBytesOf,
} from '../harness/pixverseUnderTest.mts';
import {
	combinationKey,
	IMAGE2VIDEO_COMBINATIONS,
	IMAGE2VIDEO_SAMPLE_BODY,
	VALID_ON_IMAGE2VIDEO_PAGE,
} from '../fixtures/image2videoSample.mts';

const API_KEY = 'SG_0123456789abcdef';
const pixverse = pixverseUnderTest(API_KEY);
const { generate, generationRequests } = pixverse;

describe('valid combinations', () => {
	const valid = IMAGE2VIDEO_COMBINATIONS.filter((combination) =>
		VALID_ON_IMAGE2VIDEO_PAGE.includes(combinationKey(combination)),
	);

	test.each(valid)(
		'$quality / $motionMode / $duration s sends exactly the contract body and returns the video',
		async ({ quality, motionMode, duration }) => {
			const { items, error } = await generate({ quality, motionMode, duration });
			expect(error).toBeUndefined();

			const [request] = generationRequests();
			expect(generationRequests()).toHaveLength(1);
			expect(request.method).toBe('POST');
			expect(request.headers['x-api-key']).toBe(API_KEY);
			expect(request.headers['content-type']).toMatch(/^application\/json/);
			// Exact equality: no extra fields, duration a JSON number.
			expect(request.json).toEqual({
				image_url: IMAGE_URL,
				prompt: 'Subject dance takes the world by storm!',
				quality,
				motion_mode: motionMode,
				duration,
			});
			expect(request.rawBody).toContain(`"duration":${duration}`);

			expect(items).toHaveLength(1);
			expect(videoBytesOf(items[0]).equals(FIXTURE)).toBe(true);
			expect(items[0].binary!.data.mimeType).toBe('video/mp4');
			expect(items[0].json).toMatchObject({
				mimeType: 'video/mp4',
				fileSize: FIXTURE.length,
				request: { quality, motion_mode: motionMode, duration },
			});
			expect(items[0].pairedItem).toEqual({ item: 0 });
		},
	);
});

describe('optional fields', () => {
	test('negative prompt, seed and style are sent with the Seed as a JSON number', async () => {
		const { error } = await generate({
			additionalFields: {
				negativePrompt: 'No sudden movements, no fast zooms.',
				seed: 56698,
				style: 'clay',
			},
		});
		expect(error).toBeUndefined();
		expect(generationRequests()[0].json).toEqual({ ...IMAGE2VIDEO_SAMPLE_BODY, style: 'clay' });
		expect(generationRequests()[0].rawBody).toContain('"seed":56698');
	});

	test('an added but empty negative prompt is left out of the body', async () => {
		const { error } = await generate({ additionalFields: { negativePrompt: '' } });
		expect(error).toBeUndefined();
		expect(generationRequests()[0].json).not.toHaveProperty('negative_prompt');
	});

	test('defaults are 540p, normal motion, 5 seconds', async () => {
		await generate({});
		expect(generationRequests()[0].json).toMatchObject({
			quality: '540p',
			motion_mode: 'normal',
			duration: 5,
		});
	});

	test('numbers that arrive as text from an expression are sent as JSON numbers', async () => {
		const { error } = await generate(
			{ duration: '={{ $json.duration }}', additionalFields: { seed: '={{ $json.seed }}' } },
			{ items: [{ duration: '8', seed: '42' }] },
		);
		expect(error).toBeUndefined();
		expect(generationRequests()[0].json).toMatchObject({ duration: 8, seed: 42 });
	});
});

describe('output', () => {
	test('binary property and file name options are honoured; JSON carries Segmind billing headers', async () => {
		const { items } = await generate({
			options: { binaryPropertyName: 'video', fileName: 'dance.mp4' },
		});
		expect(Object.keys(items[0].binary!)).toEqual(['video']);
		expect(items[0].binary!.video.fileName).toBe('dance.mp4');
		expect(videoBytesOf(items[0], 'video').equals(FIXTURE)).toBe(true);
		const { json } = items[0];
		expect(json.fileName).toBe('dance.mp4');
		expect(typeof json.requestId).toBe('string');
		expect(typeof json.remainingCredits).toBe('number');
		expect(typeof json.cost).toBe('number');
		// No raw Buffer (or any binary payload) in the JSON.
		expect(JSON.stringify(json)).not.toMatch(/"type":"Buffer"/);
		expect(JSON.stringify(json).length).toBeLessThan(2000);
	});

	test('the default file name uses the Segmind request id', async () => {
		const { items } = await generate({});
		expect(items[0].json.fileName).toBe(`pixverse-${items[0].json.requestId}.mp4`);
	});
});

describe('validation before any request', () => {
	const cases: Array<[string, Record<string, unknown>, IDataObject, string]> = [
		[
			'an invalid combination from expressions',
			{ quality: '={{ $json.quality }}', duration: '={{ $json.duration }}' },
			{ quality: '1080p', duration: 8 },
			'Duration (Seconds) 8 is not available with Quality 1080p: allowed is 5',
		],
		[
			'fast motion with 8 seconds',
			{ quality: '720p', motionMode: '={{ $json.motion }}', duration: 8 },
			{ motion: 'fast' },
			'Duration (Seconds) 8 is not available with Motion Mode fast: allowed is 5',
		],
		[
			'fast motion at 1080p',
			{ quality: '1080p', motionMode: 'fast', duration: 5 },
			{},
			'Motion Mode "fast" is not available with Quality 1080p: allowed is normal',
		],
		[
			'an unknown quality',
			{ quality: '={{ $json.quality }}' },
			{ quality: '4k' },
			'Quality "4k" is not valid: allowed values are 360p, 540p, 720p, 1080p',
		],
		[
			'an empty prompt',
			{ prompt: '   ' },
			{},
			'Prompt is empty: describe what should happen in the video',
		],
		[
			'a non-http image URL',
			{ imageUrl: 'ftp://example.com/cat.png' },
			{},
			'Image URL "ftp://example.com/cat.png" is not valid: it must be a public http:// or https:// link to a png, webp or jpeg image',
		],
		[
			'a seed that is not a whole number',
			{ additionalFields: { seed: '={{ $json.seed }}' } },
			{ seed: 1.5 },
			'Seed 1.5 is not valid: allowed are whole numbers from 0 to 2147483647',
		],
		[
			'an unknown style',
			{ additionalFields: { style: '={{ $json.style }}' } },
			{ style: 'watercolor' },
			'Style "watercolor" is not valid: allowed values are anime, 3d_animation, clay, comic, cyberpunk',
		],
	];

	test.each(cases)(
		'%s stops with a clear error and sends nothing',
		async (_name, parameters, item, message) => {
			const { error, items } = await generate(parameters, { items: [item] });
			expect(error?.message).toBe(message);
			expect(String(error?.description)).toContain('Nothing was sent to Segmind');
			expect(items).toHaveLength(0);
			expect(pixverse.simulator.requests).toHaveLength(0);
		},
	);
});

describe('answers with a success status and JSON', () => {
	test('a JSON answer with a download URL gives the downloaded video', async () => {
		pixverse.simulator.queueFaults([{ kind: 'jsonUrl200' }]);
		const { error, items } = await generate({});
		expect(error).toBeUndefined();
		expect(videoBytesOf(items[0]).equals(FIXTURE)).toBe(true);
		expect(items[0].json.videoUrl).toMatch(new RegExp(`^${pixverse.simulator.url}/media/`));
		const download = pixverse.simulator.requests.find((request) =>
			request.path.startsWith('/media/'),
		);
		// The public download never carries the API key.
		expect(download?.headers['x-api-key']).toBeUndefined();
	});

	test('a JSON answer with base64 video data gives the decoded video', async () => {
		pixverse.simulator.queueFaults([{ kind: 'jsonBase64200' }]);
		const { error, items } = await generate({});
		expect(error).toBeUndefined();
		expect(videoBytesOf(items[0]).equals(FIXTURE)).toBe(true);
		expect(items[0].binary!.data.mimeType).toBe('video/mp4');
	});
});

describe('many items', () => {
	const items = [
		{ quality: '720p', duration: 8 },
		{ quality: '1080p', duration: 8 },
		{ quality: '360p', duration: 5 },
	];
	const parameters = { quality: '={{ $json.quality }}', duration: '={{ $json.duration }}' };

	test('with Continue On Fail an invalid item becomes an error item and the others still make videos', async () => {
		const run = await generate(parameters, { items, continueOnFail: true });
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(3);
		expect(run.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(videoBytesOf(run.items[0]).equals(FIXTURE)).toBe(true);
		expect(videoBytesOf(run.items[2]).equals(FIXTURE)).toBe(true);
		expect(run.items[1].binary).toBeUndefined();
		expect(run.items[1].error?.message).toBe(
			'Duration (Seconds) 8 is not available with Quality 1080p: allowed is 5',
		);
		expect(
			generationRequests()
				.map((request) => request.json?.quality)
				.sort(),
		).toEqual(['360p', '720p']);
	});

	test('with Continue On Fail a failing request becomes an error item, in order', async () => {
		pixverse.simulator.queueFaults([{ status: 500, body: { error: 'Generation failed' } }]);
		const run = await generate({}, { items: [{}, {}], continueOnFail: true });
		expect(run.items).toHaveLength(2);
		const failed = run.items.filter((item) => item.error);
		expect(failed).toHaveLength(1);
		expect(failed[0].error?.message).toMatch(/^Segmind error 500/);
		expect(run.items.filter((item) => item.binary)).toHaveLength(1);
		expect(run.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	test("without Continue On Fail the run stops with the failing item's error", async () => {
		const run = await generate(parameters, { items });
		expect(run.items).toHaveLength(0);
		expect(run.error?.message).toBe(
			'Duration (Seconds) 8 is not available with Quality 1080p: allowed is 5',
		);
	});
});

describe('timeout', () => {
	test("the node's Timeout option governs the request, not n8n's 300 s routing default", async () => {
		pixverse.simulator.configure({ latencyMs: 2500 });
		try {
			const cut = await generate({ options: { timeout: 1 } });
			expect(cut.error?.message).toMatch(/timeout|timed out|aborted/i);
			const waited = await generate({ options: { timeout: 10 } });
			expect(waited.error).toBeUndefined();
			expect(videoBytesOf(waited.items[0]).equals(FIXTURE)).toBe(true);
		} finally {
			pixverse.simulator.configure({ latencyMs: 0 });
		}
	});
});

test("n8n's own report of an invalid item holds no API key", async () => {
	const { logs } = await generate({ quality: '1080p', duration: 8 });
	// Every run's items, error, record and log lines are searched for the key (pixverseUnderTest).
	expect(logs.some((line) => /^reported: Duration \(Seconds\) 8/.test(line))).toBe(true);
});
