/**
 * Generate From Image through n8n's real engine (WorkflowExecute + RoutingNode) against the
 * Segmind simulator on 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import type { IDataObject } from 'n8n-workflow';
import { join } from 'node:path';

import { allCombinations, isAllowedCombination } from '../../nodes/Pixverse/contract';
import { runPixverse, type RunOptions } from '../harness/engine';
import { startSegmindSimulator, type SegmindSimulator } from '../simulator/segmind-simulator.ts';

const API_KEY = 'SG_0123456789abcdef';
const IMAGE_URL =
	'https://segmind-resources.s3.amazonaws.com/input/783a73f1-bdf8-441c-982c-b7cd75d80df9-pixverse-i2v-ip.webp';
const FIXTURE = readFileSync(join(__dirname, '../fixtures/pixverse-sample.mp4'));

let simulator: SegmindSimulator;
/** Everything any run produced, searched for the API key at the end. */
const everythingProduced: string[] = [];

beforeAll(async () => {
	simulator = await startSegmindSimulator({ apiKey: API_KEY });
});
afterAll(async () => {
	await simulator.close();
});
beforeEach(() => simulator.reset());

function generate(parameters: Record<string, unknown>, options: Partial<RunOptions> = {}) {
	return runPixverse({
		credentials: { apiKey: API_KEY, baseUrl: simulator.url },
		...options,
		parameters: {
			resource: 'video',
			operation: 'generateFromImage',
			imageUrl: IMAGE_URL,
			prompt: 'Subject dance takes the world by storm!',
			...parameters,
		},
	}).then((result) => {
		everythingProduced.push(
			JSON.stringify(result.items),
			JSON.stringify(result.error ?? null),
			String(result.error?.message),
			String(result.error?.description),
			JSON.stringify(result.run),
			...result.logs,
		);
		return result;
	});
}

const generationRequests = () =>
	simulator.requests.filter((request) => request.path === '/v1/pixverse-image2video');

const videoBytesOf = (item: { binary?: Record<string, { data: string }> }, property = 'data') =>
	Buffer.from(item.binary![property].data, 'base64');

describe('valid combinations', () => {
	const valid = allCombinations().filter(({ quality, motionMode, duration }) =>
		isAllowedCombination(quality, motionMode, duration),
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
	test('negative prompt, seed and style are sent with the seed as a JSON number', async () => {
		const { error } = await generate({
			additionalFields: {
				negativePrompt: 'No sudden movements, no fast zooms.',
				seed: 56698,
				style: 'clay',
			},
		});
		expect(error).toBeUndefined();
		expect(generationRequests()[0].json).toEqual({
			image_url: IMAGE_URL,
			prompt: 'Subject dance takes the world by storm!',
			negative_prompt: 'No sudden movements, no fast zooms.',
			quality: '540p',
			motion_mode: 'normal',
			duration: 5,
			seed: 56698,
			style: 'clay',
		});
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
			'Motion Mode "fast" is not available at Quality 1080p: allowed is normal',
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
			expect(simulator.requests).toHaveLength(0);
		},
	);
});

describe('HTTP failures', () => {
	const cases: Array<[number, string | undefined, RegExp]> = [
		[400, 'image_url could not be downloaded', /Bad Request/],
		[
			401,
			'Unauthorized. API key is invalid or may have expired',
			/Unauthorized: the API key is missing or invalid/,
		],
		[403, 'Model is restricted for this team', /Forbidden/],
		[404, 'Model not found', /Not Found/],
		[406, 'Insufficient credits: balance 0.10, cost 0.55', /Insufficient Credits/],
		[406, 'Invalid content type', /content type/],
		[429, 'Too many requests, slow down', /Rate Limited/],
		[500, 'Generation failed', /Server Error/],
		[502, 'Bad gateway', /Bad Gateway/],
		[504, 'Upstream timed out', /Timeout/],
	];

	test.each(cases)(
		'%i "%s" becomes one NodeApiError with status, meaning and Segmind\'s words',
		async (status, segmindMessage, meaning) => {
			simulator.queueFaults([{ status, body: { error: segmindMessage } }]);
			// No retries here: this is about the message; 429 retries are tested in reliability.test.ts.
			const { error, items } = await generate({ options: { rateLimitRetries: 0 } });
			expect(items).toHaveLength(0);
			expect(error?.name).toBe('NodeApiError');
			expect(error?.message).toMatch(new RegExp(`^Segmind error ${status}, `));
			expect(error?.message).toMatch(meaning);
			expect(String(error?.httpCode)).toBe(String(status));
			expect(error?.description).toContain(`Segmind says: "${segmindMessage}"`);
			expect(generationRequests()).toHaveLength(1);
		},
	);

	test('an error body that echoes the API key is redacted', async () => {
		simulator.queueFaults([{ status: 401, body: { error: `Key ${API_KEY} is not valid` } }]);
		const { error } = await generate({});
		expect(error?.description).toContain('Key [redacted] is not valid');
		expect(JSON.stringify(error)).not.toContain(API_KEY);
	});
});

describe('answers with a success status but no video', () => {
	test.each([
		['jsonError200', /reported an error with a success status/],
		['empty200', /the answer was empty/],
		['html200', /unexpected content type "text\/html/],
	] as const)('%s becomes a clear error', async (kind, message) => {
		simulator.queueFaults([{ kind }]);
		const { error } = await generate({});
		expect(error?.message).toMatch(/^Segmind answered without a video: /);
		expect(error?.message).toMatch(message);
	});
});

describe('answers with a success status and JSON', () => {
	test('a JSON answer with a download URL gives the downloaded video', async () => {
		simulator.queueFaults([{ kind: 'jsonUrl200' }]);
		const { error, items } = await generate({});
		expect(error).toBeUndefined();
		expect(videoBytesOf(items[0]).equals(FIXTURE)).toBe(true);
		expect(items[0].json.videoUrl).toMatch(new RegExp(`^${simulator.url}/media/`));
		const download = simulator.requests.find((request) => request.path.startsWith('/media/'));
		// The public download never carries the API key.
		expect(download?.headers['x-api-key']).toBeUndefined();
	});

	test('a JSON answer with base64 video data gives the decoded video', async () => {
		simulator.queueFaults([{ kind: 'jsonBase64200' }]);
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
		simulator.queueFaults([{ status: 500, body: { error: 'Generation failed' } }]);
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
		simulator.configure({ latencyMs: 2500 });
		try {
			const cut = await generate({ options: { timeout: 1 } });
			expect(cut.error?.message).toMatch(/timeout|timed out|aborted/i);
			const waited = await generate({ options: { timeout: 10 } });
			expect(waited.error).toBeUndefined();
			expect(videoBytesOf(waited.items[0]).equals(FIXTURE)).toBe(true);
		} finally {
			simulator.configure({ latencyMs: 0 });
		}
	});
});

// Jest runs a file's tests in order, so this one sees everything the tests above produced.
test('no output item, error, description, execution record or log line holds the API key', () => {
	expect(everythingProduced.length).toBeGreaterThan(100);
	// The search covers n8n's own log lines, error reports included.
	expect(everythingProduced.some((line) => /^reported: Segmind error 401/.test(line))).toBe(true);
	for (const produced of everythingProduced) expect(produced).not.toContain(API_KEY);
});
