/**
 * The simulator's own tests: every served model accepts its Segmind page's sample payload and
 * refuses an unknown field, a missing required field and each combination rule's forbidden case,
 * each as its entry in the simulator's table says (./pixverse-models.mts, from
 * docs/pixverse-models.md); plus the plumbing (routes, the concurrency limit
 * across both endpoints, requests per minute, per-model cost and job timing, polling records).
 * Talks only to the simulator on 127.0.0.1.
 */
import {
	contractProblems,
	contractProblemsFor,
	MODELS,
	SERVED_MODELS,
	startSegmindSimulator,
	type SegmindSimulator,
} from './segmind-simulator.mts';

const API_KEY = 'SG_0123456789abcdef';

type Body = Record<string, unknown>;

/** A copy of `body` with `changes` applied; a change to undefined removes the field. */
function edit(body: Body, changes: Body): Body {
	const copy: Body = { ...body, ...changes };
	for (const key of Object.keys(changes)) if (changes[key] === undefined) delete copy[key];
	return copy;
}

/** Each model's page sample, from its entry in the simulator's table. */
const SAMPLES: Record<string, Body> = Object.fromEntries(
	SERVED_MODELS.map((slug) => [slug, MODELS[slug].sample]),
);

/** A 1x1 png, base64. */
function PNG_BASE64() {
	return 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
}

describe.each(SERVED_MODELS)('%s', (slug) => {
	const { sample, notShown, required, refused } = MODELS[slug];

	test("accepts the page's sample payload", () => {
		expect(contractProblemsFor(slug, sample)).toEqual([]);
	});

	test.each(['made_up_field', ...notShown])(
		'refuses a field the page does not show: %s',
		(name) => {
			expect(contractProblemsFor(slug, { ...sample, [name]: 'x' })).toContain(
				`Unknown parameter: ${name}`,
			);
		},
	);

	test.each(required)('refuses a body without %s', (name) => {
		const problems = contractProblemsFor(slug, edit(sample, { [name]: undefined }));
		// image2video keeps its historical messages ("duration must be the integer 5 or 8").
		const expected = slug === 'pixverse-image2video' ? `${name} ` : `${name} is required`;
		expect(problems.some((problem) => problem.startsWith(expected))).toBe(true);
	});

	if (refused.length)
		test.each([...refused])('refuses %s', (_why, changes, message) => {
			const problems = contractProblemsFor(slug, edit(sample, changes));
			expect(problems.join('; ')).toContain(message);
		});

	test('refuses a body that is not a JSON object', () => {
		expect(contractProblemsFor(slug, [sample])).toEqual(['Request body must be a JSON object']);
	});
});

describe('rules that widen the samples', () => {
	test('pixverse-v6: text-to-video with each of its 8 aspect ratios and every duration 1..15', () => {
		const text = edit(SAMPLES['pixverse-v6'], { image_url: undefined });
		for (const aspect_ratio of ['16:9', '4:3', '1:1', '3:4', '9:16', '2:3', '3:2', '21:9'])
			expect(contractProblemsFor('pixverse-v6', { ...text, aspect_ratio })).toEqual([]);
		for (let duration = 1; duration <= 15; duration++)
			expect(contractProblemsFor('pixverse-v6', { ...text, duration, quality: '1080p' })).toEqual(
				[],
			);
	});

	test('pixverse-mimic: a raw base64 image instead of image_url', () => {
		const body = edit(SAMPLES['pixverse-mimic'], { image_url: undefined, image: PNG_BASE64() });
		expect(contractProblemsFor('pixverse-mimic', body)).toEqual([]);
	});

	test('the 5/8 s models with motion_mode accept exactly the 10 valid combinations', () => {
		for (const slug of ['pixverse-image2video', 'pixverse-text2video', 'pixverse-4.5-video']) {
			let valid = 0;
			for (const quality of ['360p', '540p', '720p', '1080p'])
				for (const motion_mode of ['normal', 'fast'])
					for (const duration of [5, 8])
						if (
							contractProblemsFor(slug, { ...SAMPLES[slug], quality, motion_mode, duration })
								.length === 0
						)
							valid++;
			expect(valid).toBe(10);
		}
	});

	test('contractProblems keeps meaning pixverse-image2video', () => {
		const bodies = [
			SAMPLES['pixverse-image2video'],
			{ ...SAMPLES['pixverse-image2video'], seed: 0, style: 'clay' },
			{ ...SAMPLES['pixverse-image2video'], aspect_ratio: '16:9' },
			null,
		];
		for (const body of bodies)
			expect(contractProblems(body)).toEqual(contractProblemsFor('pixverse-image2video', body));
		expect(contractProblems({ ...SAMPLES['pixverse-image2video'], seed: 0 })).toEqual([]);
	});

	test('an unknown slug has no rules', () => {
		expect(contractProblemsFor('pixverse-lipsync', {})).toEqual([
			'Model not found: pixverse-lipsync',
		]);
	});
});

describe('over HTTP', () => {
	let sim: SegmindSimulator;
	beforeAll(async () => {
		sim = await startSegmindSimulator({ apiKey: API_KEY });
	});
	afterAll(() => sim.close());
	beforeEach(() => sim.reset());

	const post = (path: string, body: unknown) =>
		fetch(`${sim.url}${path}`, {
			method: 'POST',
			headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
	const get = (path: string) => fetch(`${sim.url}${path}`, { headers: { 'x-api-key': API_KEY } });
	const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
	async function until(condition: () => boolean) {
		for (let i = 0; i < 200 && !condition(); i++) await sleep(5);
		expect(condition()).toBe(true);
	}

	test.each(SERVED_MODELS)(
		'%s: v1 answers the video, v2 queues a job; both billed',
		async (slug) => {
			const v1 = await post(`/v1/${slug}`, SAMPLES[slug]);
			expect(v1.status).toBe(200);
			expect(v1.headers.get('content-type')).toBe('video/mp4');
			expect(v1.headers.get('x-cost')).toBe(String(MODELS[slug].cost));
			expect(Buffer.from(await v1.arrayBuffer()).equals(sim.video)).toBe(true);

			const v2 = await post(`/v2/${slug}`, SAMPLES[slug]);
			expect(v2.status).toBe(200);
			const { request_id, status } = (await v2.json()) as { request_id: string; status: string };
			expect(status).toBe('QUEUED');
			await until(() => sim.jobs[0]?.finished === true);
			const result = (await (await get(`/v2/requests/${request_id}`)).json()) as {
				metrics: { cost: number };
			};
			expect(result.metrics.cost).toBe(MODELS[slug].cost);

			expect(sim.generationRequests.map((request) => [request.path, request.model])).toEqual([
				[`/v1/${slug}`, slug],
				[`/v2/${slug}`, slug],
			]);
			expect(sim.jobs.map((job) => job.model)).toEqual([slug]);
			expect(sim.billedByModel()).toEqual({ [slug]: 2 });
			expect(sim.billedGenerations).toBe(2);
		},
	);

	test('an invalid body answers 400 with every problem, and nothing starts', async () => {
		const answer = await post('/v2/pixverse-mimic', { ...SAMPLES['pixverse-mimic'], prompt: 'x' });
		expect(answer.status).toBe(400);
		expect(await answer.json()).toEqual({ error: 'Unknown parameter: prompt' });
		expect(sim.startedGenerations).toBe(0);
		expect(sim.generationRequests).toHaveLength(1);
	});

	test.each([
		'pixverse-transition',
		'pixverse-4.5-transition',
		'pixverse-4.5-effects',
		'pixverse-lipsync',
		'no-such-model',
	])('%s answers 404 Model not found on both endpoints', async (slug) => {
		for (const version of ['v1', 'v2']) {
			const answer = await post(`/${version}/${slug}`, SAMPLES['pixverse-image2video']);
			expect(answer.status).toBe(404);
			expect(await answer.json()).toEqual({ error: 'Model not found' });
		}
		expect(sim.generationRequests).toHaveLength(0);
		expect(sim.requests.every((request) => request.model === undefined)).toBe(true);
	});

	test('a GET on a v1 model path answers 405', async () => {
		const answer = await get('/v1/pixverse-v6');
		expect(answer.status).toBe(405);
		await answer.text();
	});

	test('costPerGeneration overrides every model; credits are checked against the model cost', async () => {
		sim.configure({ costPerGeneration: 0.1 });
		const v1 = await post('/v1/pixverse-mimic', SAMPLES['pixverse-mimic']);
		expect(v1.headers.get('x-cost')).toBe('0.1');
		await v1.arrayBuffer();

		sim.configure({ costPerGeneration: undefined, credits: 1 });
		const refused = await post('/v1/pixverse-mimic', SAMPLES['pixverse-mimic']);
		expect(refused.status).toBe(406);
		expect(((await refused.json()) as { error: string }).error).toContain('cost 2.03');
		const accepted = await post('/v1/warmth-of-jesus', SAMPLES['warmth-of-jesus']);
		expect(accepted.status).toBe(200);
		await accepted.arrayBuffer();
		expect(sim.credits).toBeCloseTo(1 - 0.3908, 6);
	});

	test('maxConcurrent counts a v1 request in flight and a queued job alike', async () => {
		sim.configure({ maxConcurrent: 1, latencyMs: 300, jobMs: 300 });
		const v6 = SAMPLES['pixverse-v6'];

		// A v1 generation in flight: a v2 submit is one too many.
		const blocking = post('/v1/pixverse-v6', v6);
		await until(() => sim.startedGenerations === 1);
		const refusedSubmit = await post('/v2/pixverse-5-extend', SAMPLES['pixverse-5-extend']);
		expect(refusedSubmit.status).toBe(429);
		expect(refusedSubmit.headers.get('retry-after')).toBe('1');
		expect(
			Date.parse(refusedSubmit.headers.get('x-rate-limit-reset-at-utc')!) - Date.now(),
		).toBeGreaterThan(0);
		await refusedSubmit.text();
		const first = await blocking;
		expect(first.status).toBe(200);
		await first.arrayBuffer();

		// A queued job not yet finished: a v1 request is one too many.
		const submitted = await post('/v2/pixverse-v6', v6);
		expect(submitted.status).toBe(200);
		await submitted.json();
		const refusedV1 = await post('/v1/muscle-surge', SAMPLES['muscle-surge']);
		expect(refusedV1.status).toBe(429);
		await refusedV1.text();

		await until(() => sim.jobs[0].finished);
		sim.configure({ latencyMs: 0 });
		const after = await post('/v1/muscle-surge', SAMPLES['muscle-surge']);
		expect(after.status).toBe(200);
		await after.arrayBuffer();

		expect(sim.rateLimitedRequests).toBe(2);
		expect(sim.peakConcurrent).toBe(1);
		expect(sim.peakRunningJobs).toBe(1);
		expect(sim.startedGenerations).toBe(3);
	});

	test('peakConcurrent adds v1 requests and queued jobs', async () => {
		sim.configure({ latencyMs: 200, jobMs: 200 });
		const v1 = post('/v1/pixverse-text2video', SAMPLES['pixverse-text2video']);
		await until(() => sim.startedGenerations === 1);
		await (await post('/v2/pixverse-text2video', SAMPLES['pixverse-text2video'])).json();
		await (await post('/v2/pixverse-4.5-video', SAMPLES['pixverse-4.5-video'])).json();
		await (await v1).arrayBuffer();
		expect(sim.peakConcurrent).toBe(3);
		expect(sim.peakRunningJobs).toBe(2);
	});

	test('requestsPerMinute: a POST beyond the window gets 429 until the oldest leaves it', async () => {
		sim.configure({ requestsPerMinute: 2, rateLimitWindowMs: 400 });
		const firstAt = Date.now();
		expect((await post('/v2/pixverse-v6', SAMPLES['pixverse-v6'])).status).toBe(200);
		const v1 = await post('/v1/warmth-of-jesus', SAMPLES['warmth-of-jesus']);
		expect(v1.status).toBe(200);
		await v1.arrayBuffer();

		const refused = await post('/v1/warmth-of-jesus', SAMPLES['warmth-of-jesus']);
		expect(refused.status).toBe(429);
		expect(refused.headers.get('retry-after')).toBe('1');
		const resetAt = Date.parse(refused.headers.get('x-rate-limit-reset-at-utc')!);
		expect(resetAt).toBeGreaterThanOrEqual(firstAt);
		expect(resetAt).toBeLessThanOrEqual(Date.now() + 400);
		await refused.text();
		expect(sim.rateLimitedRequests).toBe(1);

		await sleep(Math.max(0, resetAt - Date.now()) + 20);
		const later = await post('/v1/warmth-of-jesus', SAMPLES['warmth-of-jesus']);
		expect(later.status).toBe(200);
		await later.arrayBuffer();
		expect(sim.billedByModel()).toEqual({ 'pixverse-v6': 1, 'warmth-of-jesus': 2 });
	});

	test('requestsPerMinute: the default window is 60 s and retry-after says when it frees', async () => {
		sim.configure({ requestsPerMinute: 1 });
		const first = await post('/v1/pixverse-image2video', SAMPLES['pixverse-image2video']);
		await first.arrayBuffer();
		const refused = await post('/v2/pixverse-image2video', SAMPLES['pixverse-image2video']);
		expect(refused.status).toBe(429);
		const retryAfter = Number(refused.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThanOrEqual(59);
		expect(retryAfter).toBeLessThanOrEqual(60);
		await refused.text();
	});

	test('a job records its polling: status checks, when it finished, when its result was read', async () => {
		sim.configure({ jobMs: 1000, jobMsByModel: { 'pixverse-5-extend': 100 } });
		const submit = await post('/v2/pixverse-5-extend', SAMPLES['pixverse-5-extend']);
		const { request_id } = (await submit.json()) as { request_id: string };
		const [job] = sim.jobs;
		expect(job.doneAt - job.submittedAt).toBe(100);

		// Read before it is finished: not yet a result read.
		await (await get(`/v2/requests/${request_id}`)).json();
		expect(job.resultReadAt).toBeUndefined();
		while (
			((await (await get(`/v2/requests/${request_id}/status`)).json()) as { status: string })
				.status !== 'COMPLETED'
		)
			await sleep(20);
		expect(job.statusChecks).toBeGreaterThanOrEqual(2);
		// Set when the job's timer fired (timers may fire a millisecond early: no timing asserted).
		expect(job.finishedAt).toBeGreaterThan(job.submittedAt);

		const result = await get(`/v2/requests/${request_id}`);
		expect(result.status).toBe(200);
		await result.json();
		const firstRead = job.resultReadAt!;
		expect(firstRead).toBeGreaterThanOrEqual(job.finishedAt!);
		await (await get(`/v2/requests/${request_id}`)).json();
		expect(job.resultReadAt).toBe(firstRead);

		const readsOfJob = sim.requests.filter((request) => request.path.includes(request_id));
		expect(readsOfJob.every((request) => request.model === 'pixverse-5-extend')).toBe(true);
		expect(sim.generationRequests).toHaveLength(1);

		// The general jobMs still applies to the other models.
		await (await post('/v2/pixverse-v6', SAMPLES['pixverse-v6'])).json();
		expect(sim.jobs[1].doneAt - sim.jobs[1].submittedAt).toBe(1000);
	});
});
