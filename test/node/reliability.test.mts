/**
 * Every fault gives one clear error on the item it hit, nothing is lost, and nothing that may
 * have been billed is sent again unless the person allowed it. Real engine + Segmind simulator.
 */
import { createServer } from 'node:net';

import { retryWaitMs } from '../../nodes/Pixverse/transport/client';
import { pixverseUnderTest, SAMPLE_VIDEO, videoBytesOf } from '../harness/pixverseUnderTest.mts';
import type { Fault } from '../simulator/segmind-simulator.mts';

const API_KEY = 'SG_a1b2c3d4e5f60718';
const pixverse = pixverseUnderTest(API_KEY);
const { generate, generationRequests } = pixverse;

/** A port on 127.0.0.1 with nothing listening: "unreachable host" without leaving the machine. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

type FaultCase = {
	name: string;
	fault: Fault;
	message: string | RegExp;
	httpCode?: string;
	description?: RegExp;
};

const SEGMIND_SAYS = (words: string) => new RegExp(`Segmind says: "${words}"`);

const FAULTS: FaultCase[] = [
	{
		name: '400',
		fault: { status: 400, body: { error: 'image_url could not be downloaded' } },
		message:
			'Segmind error 400, Bad Request: Segmind rejected the parameters or the request format',
		httpCode: '400',
		description: SEGMIND_SAYS('image_url could not be downloaded'),
	},
	{
		name: '401',
		fault: { status: 401, body: { error: 'Unauthorized. API key is invalid or may have expired' } },
		message: 'Segmind error 401, Unauthorized: the API key is missing or invalid',
		httpCode: '401',
		description: /check the API Key in the "Segmind Pixverse API" credential/i,
	},
	{
		name: '403',
		fault: { status: 403, body: { error: 'Model is restricted for this team' } },
		message: 'Segmind error 403, Forbidden: this Segmind account or team may not use this model',
		httpCode: '403',
		description: /retrying will not help/,
	},
	{
		name: '404',
		fault: { status: 404, body: { error: 'Model not found' } },
		message: 'Segmind error 404, Not Found: Segmind does not know this model or endpoint',
		httpCode: '404',
		description: /Base URL/,
	},
	{
		name: '406 credits',
		fault: { status: 406, body: { error: 'Insufficient credits: balance 0.10, cost 0.55' } },
		message:
			'Segmind error 406, Insufficient Credits: your Segmind balance is below the cost of this video',
		httpCode: '406',
		description: /Top up credits/,
	},
	{
		name: '406 content type',
		fault: { status: 406, body: { error: 'Invalid content type' } },
		message: "Segmind error 406, Not Acceptable: Segmind did not accept the request's content type",
		httpCode: '406',
		description: /proxy/,
	},
	{
		name: '406 spend limit',
		fault: { status: 406, body: { error: 'Team spend limit reached' } },
		message: "Segmind error 406, Not Acceptable: your Segmind team's spend limit was reached",
		httpCode: '406',
	},
	{
		name: '429',
		fault: { status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '0' } },
		message: 'Segmind error 429, Rate Limited: too many requests to Segmind at once',
		httpCode: '429',
		description: /Send fewer items at once: lower Options > Max Concurrent Requests/,
	},
	{
		name: '500',
		fault: { status: 500, body: { error: 'Generation failed' } },
		message: 'Segmind error 500, Server Error: Segmind could not make the video',
		httpCode: '500',
		description: /Nothing was billed\.$/,
	},
	{
		name: '502',
		fault: {
			status: 502,
			body: '<html>Bad Gateway</html>',
			headers: { 'content-type': 'text/html' },
		},
		message: 'Segmind error 502, Bad Gateway: Segmind is temporarily unavailable',
		httpCode: '502',
		description: /Segmind says: "Bad Gateway".*A video may have been made and billed/,
	},
	{
		name: '504',
		fault: { status: 504, body: { error: 'Upstream timed out' } },
		message: 'Segmind error 504, Timeout: the gateway in front of Segmind gave up waiting',
		httpCode: '504',
		description: /A video may have been made and billed/,
	},
	{
		name: 'no answer before the timeout',
		fault: { kind: 'noAnswer' },
		message: "No answer from Segmind within 1 s (the node's Timeout option)",
		description:
			/Wait for Video cannot lose a video this way.*A video may have been made and billed/,
	},
	{
		name: 'a truncated body',
		fault: { kind: 'truncated' },
		message: 'The video from Segmind arrived incomplete: the connection closed mid-download',
		description: /Segmind answered with success, which it bills/,
	},
	{
		name: 'a reset connection',
		fault: { kind: 'reset' },
		message: 'The connection to Segmind dropped before the video arrived (connection reset)',
		description: /A video may have been made and billed/,
	},
	{
		name: 'a 200 with a JSON error',
		fault: { kind: 'jsonError200' },
		message: 'Segmind answered without a video: it reported an error with a success status',
		description: SEGMIND_SAYS('Generation failed: model error'),
	},
	{
		name: 'a 200 with an empty body',
		fault: { kind: 'empty200' },
		message: 'Segmind answered without a video: the answer was empty',
	},
	{
		name: 'a 200 with a non-video content type',
		fault: { kind: 'html200' },
		message: 'Segmind answered without a video: unexpected content type "text/html"',
		description: /Service page/,
	},
];

describe('fault matrix: three items, the fault hits one, Continue On Fail', () => {
	test.each(FAULTS)('$name', async ({ fault, message, httpCode, description }) => {
		// One item fails, the two others still make their videos.
		pixverse.simulator.queueFaults([fault]);
		const run = await generate(
			// Retries are covered below; here each fault must surface as it is.
			{ options: { timeout: 1, rateLimitRetries: 0 } },
			{ items: [{}, {}, {}], continueOnFail: true },
		);
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(3);
		expect(run.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);

		const failed = run.items.filter((item) => item.error);
		expect(failed).toHaveLength(1);
		const [{ error }] = failed as Array<{
			error: Error & { httpCode?: string; description?: string };
		}>;
		if (typeof message === 'string') expect(error.message).toBe(message);
		else expect(error.message).toMatch(message);
		if (httpCode) expect(String(error.httpCode)).toBe(httpCode);
		if (description) expect(error.description).toMatch(description);

		const videos = run.items.filter((item) => item.binary);
		expect(videos).toHaveLength(2);
		for (const video of videos) expect(videoBytesOf(video).equals(SAMPLE_VIDEO)).toBe(true);
	});

	test('a slow but complete body is a normal video', async () => {
		pixverse.simulator.queueFaults([{ kind: 'slowBody', chunkDelayMs: 100 }]);
		const run = await generate({});
		expect(run.error).toBeUndefined();
		expect(videoBytesOf(run.items[0]).equals(SAMPLE_VIDEO)).toBe(true);
	});

	test('an unreachable host fails every item with one clear error each, nothing billed', async () => {
		const port = await closedPort();
		const run = await generate(
			{},
			{
				items: [{}, {}],
				continueOnFail: true,
				credentials: { apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}` },
			},
		);
		expect(run.items).toHaveLength(2);
		for (const item of run.items) {
			expect(item.error?.message).toBe(
				`Could not reach Segmind at http://127.0.0.1:${port} (connection refused)`,
			);
			expect((item.error as { description?: string }).description).toMatch(
				/^Nothing was sent\..*Nothing was billed\.$/,
			);
		}
	});
});

describe('nothing lost', () => {
	test('a mixed batch (valid, invalid, failing) keeps every item, in order', async () => {
		pixverse.simulator.queueFaults([{ status: 500, body: { error: 'Generation failed' } }]);
		const items = [
			{ prompt: 'first' },
			{ prompt: '' },
			{ prompt: 'third' },
			{ prompt: 'fourth' },
			{ prompt: 'fifth', quality: '1080p', motion: 'fast' },
		];
		const run = await generate(
			{
				prompt: '={{ $json.prompt }}',
				quality: '={{ $json.quality ?? "540p" }}',
				motionMode: '={{ $json.motion ?? "normal" }}',
				options: { maxConcurrentRequests: 1 },
			},
			{ items, continueOnFail: true },
		);
		expect(run.items).toHaveLength(5);
		expect(run.items.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		// With one request at a time the fault hits the first request: item 0.
		expect(run.items.map((item) => (item.error ? item.error.message : 'video'))).toEqual([
			'Segmind error 500, Server Error: Segmind could not make the video',
			'Prompt is empty: describe what should happen in the video',
			'video',
			'video',
			'Motion Mode "fast" is not available with Quality 1080p: allowed is normal',
		]);
		expect(run.items[2].json.request).toMatchObject({ prompt: 'third' });
		expect(run.items[3].json.request).toMatchObject({ prompt: 'fourth' });
		expect(generationRequests()).toHaveLength(3);
	});

	test("without Continue On Fail the run stops with the failing item's error", async () => {
		pixverse.simulator.queueFaults([{ status: 403, body: { error: 'Model is restricted' } }]);
		const run = await generate({}, { items: [{}] });
		expect(run.items).toHaveLength(0);
		expect(run.error?.message).toMatch(/^Segmind error 403/);
	});
});

describe('safe retries', () => {
	test("a 429 is retried after Segmind's Retry-After and bills once", async () => {
		const tooMany: Fault = {
			status: 429,
			body: { error: 'Too many' },
			headers: { 'retry-after': '1' },
		};
		pixverse.simulator.queueFaults([tooMany, tooMany]);
		const run = await generate({});
		expect(run.error).toBeUndefined();
		expect(videoBytesOf(run.items[0]).equals(SAMPLE_VIDEO)).toBe(true);
		const [first, second, third] = generationRequests();
		expect(generationRequests()).toHaveLength(3);
		// Retry-After: 1 second means no retry sooner than that.
		expect(second.receivedAt - first.receivedAt).toBeGreaterThanOrEqual(950);
		expect(third.receivedAt - second.receivedAt).toBeGreaterThanOrEqual(950);
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test("Segmind's exact reset time wins over a Retry-After rounded up to whole seconds", async () => {
		const resetAtMs = Date.now() + 1000;
		pixverse.simulator.queueFaults([
			{
				status: 429,
				body: { error: 'Too many' },
				headers: {
					'retry-after': '10',
					'x-rate-limit-reset-at-utc': new Date(resetAtMs).toISOString(),
				},
			},
		]);
		const run = await generate({});
		expect(run.error).toBeUndefined();
		const [, second] = generationRequests();
		expect(second.receivedAt).toBeGreaterThanOrEqual(resetAtMs);
		// Retry-After would mean 10 s; the reset time, 1 s: far apart, whatever the machine's load.
		expect(second.receivedAt).toBeLessThan(resetAtMs + 5000);
	});

	test('Retry-After is capped by Max Wait per Retry', async () => {
		const tooMany: Fault = {
			status: 429,
			body: { error: 'Too many' },
			headers: { 'retry-after': '120' },
		};
		pixverse.simulator.queueFaults([tooMany]);
		const run = await generate({ options: { maxRetryWait: 0.2 } });
		expect(run.error).toBeUndefined();
		const [first, second] = generationRequests();
		expect(second.receivedAt - first.receivedAt).toBeLessThan(60_000);
	});

	test('429 retries are bounded by Rate Limit Retries', async () => {
		pixverse.simulator.configure({
			fault: { status: 429, body: { error: 'Too many' }, headers: { 'retry-after': '0' } },
		});
		const run = await generate({ options: { rateLimitRetries: 2 } });
		expect(generationRequests()).toHaveLength(3);
		expect(run.error?.message).toMatch(/^Segmind error 429/);
		expect(run.error?.description).toMatch(/\(Tried 3 times\.\)$/);
		expect(pixverse.simulator.billedGenerations).toBe(0);
	});

	test('by default a 429 is tried again 15 times, then reported', async () => {
		pixverse.simulator.configure({
			fault: { status: 429, body: { error: 'Too many' }, headers: { 'retry-after': '0' } },
		});
		const run = await generate({ options: { maxRetryWait: 0.01 } });
		expect(generationRequests()).toHaveLength(16);
		expect(run.error?.message).toMatch(/^Segmind error 429/);
		expect(run.error?.description).toMatch(/\(Tried 16 times\.\)$/);
		expect(pixverse.simulator.billedGenerations).toBe(0);
	});

	test.each([
		[
			'a 500 (free, but the model refused the input: it fails again)',
			{ status: 500, body: { error: 'Generation failed' } } as Fault,
			{},
		],
		['a 502 (may have been billed)', { status: 502, body: { error: 'Bad gateway' } } as Fault, {}],
		['a timeout (may have been billed)', { kind: 'noAnswer' } as Fault, { timeout: 1 }],
		['a dropped connection (may have been billed)', { kind: 'reset' } as Fault, {}],
	])('%s is not retried by default', async (_name, fault, options) => {
		pixverse.simulator.queueFaults([fault]);
		const run = await generate({ options });
		expect(run.error).toBeDefined();
		expect(generationRequests()).toHaveLength(1);
		expect(pixverse.simulator.startedGenerations).toBe(1);
	});

	test('with "Also Retry Server Errors and Timeouts (May Bill Twice)" on, a 500 is retried: the failed try was free, the video billed once', async () => {
		pixverse.simulator.queueFaults([{ status: 500, body: { error: 'Generation failed' } }]);
		const run = await generate({ options: { retryMayBillTwice: true, maxRetryWait: 0.1 } });
		expect(run.error).toBeUndefined();
		expect(generationRequests()).toHaveLength(2);
		expect(pixverse.simulator.startedGenerations).toBe(2);
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test('each retry is logged: what failed, which attempt comes next of how many, and when', async () => {
		pixverse.simulator.queueFaults([
			{ status: 429, body: { error: `Too many for ${API_KEY}` }, headers: { 'retry-after': '0' } },
		]);
		const run = await generate({ options: { rateLimitRetries: 3, maxRetryWait: 0.01 } });
		expect(run.error).toBeUndefined();
		const retries = run.logs.filter((line) => line.includes('Retrying Segmind'));
		expect(retries).toHaveLength(1);
		expect(retries[0]).toMatch(
			/^logger\.info: Retrying Segmind generation in \d+\.\d s \(attempt 2 of 4, item 0, node "Pixverse"\): Segmind error 429, Rate Limited: too many requests to Segmind at once /,
		);
		expect(retries[0]).toContain(
			'"call":"generation","kind":"rateLimited","attempt":2,"attempts":4',
		);
		// Segmind's words, which held the key, stay out of the line: the error's message is ours.
		expect(retries[0]).not.toContain(API_KEY);
	});

	test('a host that cannot be reached: each retry of the submit is logged with the network failure', async () => {
		const port = await closedPort();
		const run = await pixverse.run(
			{
				resource: 'video',
				operation: 'generateFromImage',
				mode: 'submitOnly',
				imageUrl: 'https://example.com/cat.png',
				prompt: 'A cat',
				options: { rateLimitRetries: 2, maxRetryWait: 0.01 },
			},
			{ credentials: { apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}` } },
		);
		expect(run.error?.message).toBe(
			`Could not reach Segmind at http://127.0.0.1:${port} (connection refused)`,
		);
		const retries = run.logs.filter((line) => line.includes('Retrying Segmind'));
		expect(retries.map((line) => line.replace(/ in \d+\.\d s/, ' in _ s').split(' {')[0])).toEqual(
			[2, 3].map(
				(attempt) =>
					`logger.info: Retrying Segmind submit in _ s (attempt ${attempt} of 3, item 0, node "Pixverse"): Could not reach Segmind at http://127.0.0.1:${port} (connection refused)`,
			),
		);
	});

	test('validation errors are never retried: nothing is sent at all', async () => {
		const run = await generate(
			{ prompt: '={{ $json.prompt }}' },
			{ items: [{ prompt: '' }, { prompt: ' ' }], continueOnFail: true },
		);
		expect(run.items.every((item) => item.error)).toBe(true);
		expect(pixverse.simulator.requests).toHaveLength(0);
	});
});

describe('the wait before a retry', () => {
	const rateLimited = (retryAfterMs?: number) => ({ kind: 'rateLimited' as const, retryAfterMs });
	const waits = (failure: Parameters<typeof retryWaitMs>[0], share: number, capMs = 60_000) =>
		Array.from({ length: 8 }, (_, retriesDone) =>
			retryWaitMs(failure, retriesDone, capMs, () => share),
		);

	test('after a 429: Retry-After plus a share of a window doubling from 2 s up to Max Wait per Retry', () => {
		expect(waits(rateLimited(1000), 0.999999)).toEqual(
			[3000, 5000, 9000, 17_000, 33_000, 60_000, 60_000, 60_000].map((ms) =>
				expect.closeTo(ms, -1),
			),
		);
		// Retry-After is the minimum: no share of the window brings a retry sooner.
		expect(waits(rateLimited(1000), 0)).toEqual(Array(8).fill(1000));
	});

	test('items refused together come back spread over the whole window', () => {
		expect(waits(rateLimited(), 0.25)).toEqual([
			500, 1000, 2000, 4000, 8000, 15_000, 15_000, 15_000,
		]);
		expect(
			new Set([0.1, 0.4, 0.7].map((share) => retryWaitMs(rateLimited(), 3, 60_000, () => share)))
				.size,
		).toBe(3);
	});

	test('after any other failure the window stops growing at 16 s', () => {
		expect(waits({ kind: 'notSent' }, 0.999999).at(-1)).toBeCloseTo(16_000, -1);
		expect(waits({ kind: 'serverError' }, 0.5)).toEqual([
			1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000,
		]);
	});

	test('never longer than Max Wait per Retry, whatever Retry-After asks', () => {
		expect(waits(rateLimited(120_000), 0.5, 200)).toEqual(Array(8).fill(200));
		expect(waits({ kind: 'notSent' }, 0.999999, 3000).at(-1)).toBeCloseTo(3000, -1);
	});
});

describe('rate limits and many items', () => {
	test('50 items against a simulator allowing 5 generations at once: all succeed, billed exactly 50, no 429', async () => {
		pixverse.simulator.configure({ maxConcurrent: 5, latencyMs: 50 });
		const items = Array.from({ length: 50 }, (_, index) => ({ prompt: `item ${index}` }));
		const run = await generate({ prompt: '={{ $json.prompt }}' }, { items, continueOnFail: true });
		expect(run.items.filter((item) => item.error)).toHaveLength(0);
		expect(run.items).toHaveLength(50);
		expect(run.items.map((item) => (item.json.request as { prompt: string }).prompt)).toEqual(
			items.map((item) => item.prompt),
		);
		expect(pixverse.simulator.billedGenerations).toBe(50);
		expect(generationRequests()).toHaveLength(50);
		expect(generationRequests().filter((request) => request.answeredStatus === 429)).toHaveLength(
			0,
		);
		expect(pixverse.simulator.peakConcurrent).toBeLessThanOrEqual(5);
	});

	test('with a higher concurrency than the plan allows, 429s are absorbed by retries without double billing', async () => {
		pixverse.simulator.configure({ maxConcurrent: 5, latencyMs: 50, retryAfterSeconds: 0 });
		const items = Array.from({ length: 20 }, (_, index) => ({ prompt: `item ${index}` }));
		const run = await generate(
			{
				prompt: '={{ $json.prompt }}',
				options: { maxConcurrentRequests: 10, rateLimitRetries: 20, maxRetryWait: 0.3 },
			},
			{ items, continueOnFail: true },
		);
		expect(run.items.filter((item) => item.error)).toHaveLength(0);
		expect(pixverse.simulator.billedGenerations).toBe(20);
		expect(
			generationRequests().filter((request) => request.answeredStatus === 429).length,
		).toBeGreaterThan(0);
	});
});

test('an error body that echoes the API key is redacted', async () => {
	pixverse.simulator.queueFaults([{ status: 401, body: { error: `Key ${API_KEY} is not valid` } }]);
	const { error } = await generate({});
	expect(error?.description).toContain('Key [redacted] is not valid');
});

test('a success answer that echoes the API key in its words is redacted too', async () => {
	pixverse.simulator.queueFaults([
		{ status: 200, body: { error: `Key ${API_KEY} cannot make this video` } },
	]);
	const { error } = await generate({});
	expect(error?.message).toBe(
		'Segmind answered without a video: it reported an error with a success status',
	);
	expect(error?.description).toContain('Key [redacted] cannot make this video');
});

test("n8n's own report of a failed run holds no API key", async () => {
	pixverse.simulator.queueFaults([{ status: 401, body: { error: `Key ${API_KEY} is not valid` } }]);
	const { logs } = await generate({});
	// n8n reports node errors through its ErrorReporter; the harness keeps what it would log, and
	// searched it (with everything else the run produced) for the key.
	expect(logs.some((line) => /^reported: Segmind error 401/.test(line))).toBe(true);
});
