/**
 * Segmind's async queue through n8n's real engine: Wait for Video, Submit Only, Get Result and
 * Account > Get Credits against the simulator, with the simulator's job and billing counts as the
 * proof that nothing is ever paid twice.
 */
import type { IDataObject } from 'n8n-workflow';

import { MODELS } from '../../nodes/Pixverse/models';
import {
	IMAGE_URL,
	PROMPT,
	pixverseUnderTest,
	SAMPLE_VIDEO,
	videoBytesOf,
} from '../harness/pixverseUnderTest.mts';
import type { RecordedRequest } from '../simulator/segmind-simulator.mts';

const API_KEY = 'SG_9f8e7d6c5b4a3921';
const JOB_MS = 400;
const pixverse = pixverseUnderTest(API_KEY, { jobMs: JOB_MS });
const { generate, run, produced } = pixverse;

/** Fast polling so a test waits about one job, not Segmind's real 2 s first interval. */
const QUICK_POLLING = { pollInterval: 0.05 };
const waitForVideo = (parameters: Record<string, unknown> = {}, options = {}) =>
	generate({ mode: 'waitForVideo', options: QUICK_POLLING, ...parameters }, options);
const getResult = (requestId: IDataObject[string], options: IDataObject = QUICK_POLLING) =>
	run({ resource: 'video', operation: 'getResult', requestId, options });

const requests = (method: string, pattern: RegExp) =>
	pixverse.simulator.requests.filter(
		(request) => request.method === method && pattern.test(request.path),
	);
const submits = () => requests('POST', /^\/v2\/pixverse-image2video$/);
const statusReads = () => requests('GET', /^\/v2\/requests\/[^/]+\/status$/);
const resultReads = () => requests('GET', /^\/v2\/requests\/[^/]+$/);
const downloads = () => requests('GET', /^\/media\//);
/** Waits until the simulator's jobs have all run out their time (billing happens then). */
const jobsDone = async () => {
	while (pixverse.simulator.jobs.some((job) => !job.finished)) {
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
};

describe('Wait for Video', () => {
	test('submits once, polls, fetches the result and returns the video with cost and balance', async () => {
		pixverse.simulator.configure({ credits: 10 });
		const { items, error } = await waitForVideo();
		expect(error).toBeUndefined();

		expect(submits()).toHaveLength(1);
		const [submit] = submits();
		expect(submit.headers['x-api-key']).toBe(API_KEY);
		expect(submit.json).toEqual({
			image_url: IMAGE_URL,
			prompt: PROMPT,
			quality: '540p',
			motion_mode: 'normal',
			duration: 5,
		});
		expect(requests('POST', /^\/v1\//)).toHaveLength(0);
		const [job] = pixverse.simulator.jobs;
		expect(statusReads().length).toBeGreaterThanOrEqual(1);
		expect(statusReads().every((read) => read.path === `/v2/requests/${job.id}/status`)).toBe(true);
		expect(resultReads()).toHaveLength(1);
		// Segmind's output URL is public: the download must not carry the key to the media host.
		expect(downloads()).toHaveLength(1);
		expect(downloads()[0].headers['x-api-key']).toBeUndefined();

		expect(items).toHaveLength(1);
		expect(videoBytesOf(items[0]).equals(SAMPLE_VIDEO)).toBe(true);
		expect(items[0].json).toMatchObject({
			requestId: job.id,
			cost: 0.55,
			remainingCredits: 9.45,
			fileName: `pixverse-${job.id}.mp4`,
			mimeType: 'video/mp4',
			request: { image_url: IMAGE_URL, quality: '540p', duration: 5 },
			videoUrl: `${pixverse.simulator.url}/media/${job.id}.mp4`,
		});
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test('is the default mode', async () => {
		const { items, error } = await generate({ mode: undefined, options: QUICK_POLLING });
		expect(error).toBeUndefined();
		expect(items[0].binary?.data).toBeDefined();
		expect(submits()).toHaveLength(1);
		expect(requests('POST', /^\/v1\//)).toHaveLength(0);
	});

	test('a job that fails is a clear error with Segmind reason, and is not billed', async () => {
		pixverse.simulator.planJobs([{ fails: 'Image could not be decoded' }]);
		const { items, error } = await waitForVideo();
		const [job] = pixverse.simulator.jobs;
		expect(items).toHaveLength(0);
		expect(error?.message).toBe(
			`Segmind error 422, Segmind could not make the video (request ${job.id} failed)`,
		);
		expect(error?.description).toMatch(/Segmind says: "Image could not be decoded"/);
		expect(error?.description).toMatch(/not billed/);
		expect(submits()).toHaveLength(1);
		expect(pixverse.simulator.billedGenerations).toBe(0);
	});

	test('a job that outlives Max Wait names its request ID, and Get Result fetches it without paying twice', async () => {
		pixverse.simulator.configure({ jobMs: 1200 });
		const first = await waitForVideo({ options: { ...QUICK_POLLING, maxWait: 0.2 } });
		const [job] = pixverse.simulator.jobs;
		expect(first.items).toHaveLength(0);
		expect(first.error?.message).toBe(
			`The video was not ready within Max Wait (0.2 s); request ID ${job.id}`,
		);
		expect(first.error?.description).toMatch(/do not generate it again/);
		expect(first.error?.description).toContain(`Get Result and Request ID ${job.id}`);

		// The workflow picks the ID out of the error, as a person or an error branch would.
		const requestId = /request ID (\S+)$/.exec(first.error!.message)![1];
		const resumed = await getResult(requestId);
		expect(resumed.error).toBeUndefined();
		expect(videoBytesOf(resumed.items[0]).equals(SAMPLE_VIDEO)).toBe(true);
		expect(resumed.items[0].json).toMatchObject({ requestId: job.id, cost: 0.55 });

		expect(submits()).toHaveLength(1);
		expect(pixverse.simulator.startedGenerations).toBe(1);
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test('20 items wait side by side: every job is checked before any result is read', async () => {
		// Jobs of 4 s: all 20 submits land while the first job still runs, even on a busy machine.
		pixverse.simulator.configure({ jobMs: 4000 });
		const started = Date.now();
		const { items, error } = await waitForVideo(
			{},
			{ items: Array.from({ length: 20 }, (_, index) => ({ index })) },
		);
		const wallMs = Date.now() - started;
		expect(error).toBeUndefined();
		expect(items).toHaveLength(20);
		items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(videoBytesOf(item).equals(SAMPLE_VIDEO)).toBe(true);
		});
		expect(new Set(items.map((item) => item.json.requestId)).size).toBe(20);
		expect(pixverse.simulator.peakRunningJobs).toBe(20);
		expect(pixverse.simulator.billedGenerations).toBe(20);

		// One after another, item 1's result would be read before item 20 was ever checked.
		const firstReadOf = new Map<string, RecordedRequest>();
		for (const read of statusReads()) {
			const id = read.path.split('/')[3];
			if (!firstReadOf.has(id)) firstReadOf.set(id, read);
		}
		expect(firstReadOf.size).toBe(20);
		const lastFirstCheck = Math.max(...[...firstReadOf.values()].map((read) => read.receivedAt));
		const firstResultRead = Math.min(...resultReads().map((read) => read.receivedAt));
		expect(lastFirstCheck).toBeLessThanOrEqual(firstResultRead);
		process.stdout.write(
			`async queue: 20 items, job time 4000 ms, wall time ${wallMs} ms (${(wallMs / 4000).toFixed(2)} x one job)\n`,
		);
	});
});

describe('more items than the account runs at once', () => {
	test('20 items against an account running 5 jobs at once: the 429s are retried until every item has its video, each billed once', async () => {
		pixverse.simulator.configure({ maxConcurrent: 5, retryAfterSeconds: 0 });
		// Default Rate Limit Retries; short pauses only to keep the test quick.
		const { items, error } = await waitForVideo(
			{ prompt: '={{ "item " + $json.index }}', options: { ...QUICK_POLLING, maxRetryWait: 1 } },
			{ items: Array.from({ length: 20 }, (_, index) => ({ index })) },
		);
		expect(error).toBeUndefined();
		expect(items).toHaveLength(20);
		items.forEach((item, index) => {
			expect(item.json.request).toMatchObject({ prompt: `item ${index}` });
			expect(videoBytesOf(item).equals(SAMPLE_VIDEO)).toBe(true);
		});
		expect(pixverse.simulator.rateLimitedRequests).toBeGreaterThan(0);
		expect(pixverse.simulator.peakRunningJobs).toBeLessThanOrEqual(5);
		expect(pixverse.simulator.jobs).toHaveLength(20);
		expect(submits()).toHaveLength(20 + pixverse.simulator.rateLimitedRequests);
		expect(pixverse.simulator.billedGenerations).toBe(20);
	});
});

describe('never paying twice', () => {
	test('a submit answered 500 queued nothing, so it is sent again: one job, one bill', async () => {
		pixverse.simulator.queueFaults([{ status: 500, body: { error: 'Internal error' } }]);
		const { items, error } = await waitForVideo({
			options: { ...QUICK_POLLING, maxRetryWait: 0.05 },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(submits().map((request) => request.answeredStatus)).toEqual([500, 200]);
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test('a submit whose answer was lost is not sent again: the job may have been queued', async () => {
		pixverse.simulator.queueFaults([{ kind: 'reset' }]);
		const { items, error } = await waitForVideo({
			options: { ...QUICK_POLLING, maxRetryWait: 0.05 },
		});
		expect(items).toHaveLength(0);
		expect(error?.message).toBe(
			'The connection to Segmind dropped before the submit was answered (connection reset)',
		);
		expect(error?.description).toBe(
			'The job may have been queued without its request ID reaching n8n, so it was not submitted again. A video may have been made and billed: check your Segmind usage before running the item again.',
		);
		expect(submits()).toHaveLength(1);
		await jobsDone();
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test('failed status and result reads are retried: they never bill', async () => {
		pixverse.simulator.queueJobReadFaults([
			{ status: 500, body: { error: 'Internal error' } },
			{ kind: 'reset' },
			{ status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '0' } },
			{ status: 502, body: 'Bad Gateway', headers: { 'content-type': 'text/html' } },
		]);
		const { items, error } = await waitForVideo({
			options: { ...QUICK_POLLING, maxRetryWait: 0.05 },
		});
		expect(error).toBeUndefined();
		expect(videoBytesOf(items[0]).equals(SAMPLE_VIDEO)).toBe(true);
		expect(submits()).toHaveLength(1);
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test('a video download cut off half-way is downloaded again: it bills nothing', async () => {
		pixverse.simulator.queueMediaFaults(['cutOff']);
		const { items, error } = await waitForVideo({
			options: { ...QUICK_POLLING, maxRetryWait: 0.01 },
		});
		expect(error).toBeUndefined();
		expect(videoBytesOf(items[0]).equals(SAMPLE_VIDEO)).toBe(true);
		expect(downloads()).toHaveLength(2);
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test('downloads cut off every time end in an error pointing at Get Result, which fetches it later', async () => {
		pixverse.simulator.queueMediaFaults(['cutOff', 'cutOff']);
		const { items, error } = await waitForVideo({
			options: { ...QUICK_POLLING, maxRetryWait: 0.01, rateLimitRetries: 1 },
		});
		const [job] = pixverse.simulator.jobs;
		expect(items).toHaveLength(0);
		expect(error?.message).toBe(
			'The video from Segmind arrived incomplete: the connection closed mid-download',
		);
		expect(error?.description).toContain(
			`The video was made and billed: do not generate it again. Fetch it with the operation Get Result and Request ID ${job.id}`,
		);
		expect(error?.description).toMatch(/\(Tried 2 times\.\)$/);

		const resumed = await getResult(job.id);
		expect(resumed.error).toBeUndefined();
		expect(videoBytesOf(resumed.items[0]).equals(SAMPLE_VIDEO)).toBe(true);
		expect(downloads()).toHaveLength(3);
		expect(submits()).toHaveLength(1);
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test('a media host answering 503 is asked again, Rate Limit Retries + 1 times in all', async () => {
		pixverse.simulator.queueMediaFaults(Array.from({ length: 10 }, () => 503));
		const { error } = await waitForVideo({
			options: { ...QUICK_POLLING, maxRetryWait: 0.01, rateLimitRetries: 1 },
		});
		const [job] = pixverse.simulator.jobs;
		expect(error?.message).toBe(
			`Segmind error 503, Server Error: Segmind's media host could not send the video of request ${job.id}`,
		);
		expect(error?.description).toContain(`Get Result and Request ID ${job.id}`);
		expect(error?.description).toMatch(/\(Tried 2 times\.\)$/);
		expect(downloads()).toHaveLength(2);
	});

	test('status reads that keep failing end in an error that says the job goes on', async () => {
		pixverse.simulator.queueJobReadFaults(
			Array.from({ length: 10 }, () => ({ status: 503, body: { error: 'Unavailable' } })),
		);
		const { error } = await waitForVideo({
			options: { ...QUICK_POLLING, maxRetryWait: 0.01, rateLimitRetries: 2 },
		});
		const [job] = pixverse.simulator.jobs;
		expect(error?.message).toBe(
			`Segmind error 503, Server Error: Segmind could not answer about request ${job.id}`,
		);
		expect(error?.description).toContain(
			`The job itself goes on at Segmind and is billed once when it completes: do not generate it again. Fetch it with the operation Get Result and Request ID ${job.id}.`,
		);
		expect(error?.description).toMatch(/\(Tried 3 times\.\)$/);
		expect(submits()).toHaveLength(1);
		expect(statusReads()).toHaveLength(3);
	});
});

describe('a paid job always leaves a trace', () => {
	test("the moment Segmind accepts a job, n8n's log names it, with the model, execution, node and item", async () => {
		const { logs, error } = await waitForVideo({}, { items: [{}, {}] });
		expect(error).toBeUndefined();
		const accepted = logs.filter((line) => line.startsWith('logger.info: Segmind accepted job'));
		expect(accepted).toHaveLength(2);
		for (const [index, job] of pixverse.simulator.jobs.entries()) {
			const line = accepted.find((each) => each.includes(job.id))!;
			expect(line).toContain(
				`Segmind accepted job ${job.id} (model pixverse-image2video, execution test-execution, node "Pixverse", item ${index})`,
			);
			expect(line).toContain(`"requestId":"${job.id}"`);
		}
	});

	test('Submit Only logs the accepted job too', async () => {
		const { logs } = await generate({ mode: 'submitOnly' });
		const [job] = pixverse.simulator.jobs;
		expect(logs.some((line) => line.includes(`Segmind accepted job ${job.id}`))).toBe(true);
	});
});

describe("n8n's Retry execution of a run that failed after its jobs were accepted", () => {
	const twoItems = { items: [{ prompt: 'a wave' }, { prompt: 'a bird' }] };
	const parameters = (options: IDataObject = {}) => ({
		prompt: '={{ $json.prompt }}',
		options: { ...QUICK_POLLING, ...options },
	});

	/** Two jobs accepted, then the run fails: each job outlives Max Wait. */
	async function failedRun() {
		pixverse.simulator.configure({ jobMs: 600 });
		const failed = await waitForVideo(parameters({ maxWait: 0.1 }), twoItems);
		expect(failed.error?.message).toMatch(/^The video was not ready within Max Wait/);
		expect(submits()).toHaveLength(2);
		return failed;
	}

	test('reuses the jobs the failed run paid for: no new submit, both videos', async () => {
		const failed = await failedRun();
		const retried = await waitForVideo(parameters(), { ...twoItems, retryOf: failed.run });
		expect(retried.error).toBeUndefined();
		expect(retried.items).toHaveLength(2);
		expect(submits()).toHaveLength(2);
		expect(retried.items.map((item) => item.json.requestId)).toEqual(
			pixverse.simulator.jobs.map((job) => job.id),
		);
		for (const item of retried.items) {
			expect(item.json.reusedJob).toBe(true);
			expect(videoBytesOf(item).equals(SAMPLE_VIDEO)).toBe(true);
		}
		expect(
			retried.logs.filter((line) => /^logger.info: .*reusing Segmind job/.test(line)),
		).toHaveLength(2);
		await jobsDone();
		expect(pixverse.simulator.billedGenerations).toBe(2);
	});

	test('an item whose request changed before the retry is a new job; the unchanged one is reused', async () => {
		const failed = await failedRun();
		const changed = { items: [{ prompt: 'a wave' }, { prompt: 'a cat' }] };
		const retried = await waitForVideo(parameters(), { ...changed, retryOf: failed.run });
		expect(retried.error).toBeUndefined();
		expect(submits()).toHaveLength(3);
		expect(submits()[2].json?.prompt).toBe('a cat');
		expect(retried.items.map((item) => item.json.reusedJob ?? false)).toEqual([true, false]);
	});

	test('"Generate Again (Bills Again)" submits every item anew, as the option says', async () => {
		const failed = await failedRun();
		const retried = await waitForVideo(parameters({ onRetriedExecution: 'generateAgain' }), {
			...twoItems,
			retryOf: failed.run,
		});
		expect(retried.error).toBeUndefined();
		expect(submits()).toHaveLength(4);
	});

	test('a job that failed at Segmind (not billed) is submitted again on retry', async () => {
		pixverse.simulator.planJobs([{ fails: 'Image could not be decoded' }]);
		const failed = await waitForVideo({}, { items: [{}] });
		expect(failed.error?.message).toMatch(/could not make the video/);
		const retried = await waitForVideo({}, { items: [{}], retryOf: failed.run });
		expect(retried.error).toBeUndefined();
		expect(submits()).toHaveLength(2);
		expect(retried.items[0].json.reusedJob).toBeUndefined();
	});

	test('a run that is not a retry never reuses a job, even with the same node context', async () => {
		await waitForVideo({}, { items: [{}] });
		await waitForVideo({}, { items: [{}] });
		expect(submits()).toHaveLength(2);
	});
});

describe('Submit Only and Get Result', () => {
	test('Submit Only returns the request ID at once and reads nothing more', async () => {
		pixverse.simulator.configure({ jobMs: 60_000 });
		const { items, error } = await generate({ mode: 'submitOnly' });
		expect(error).toBeUndefined();
		const [job] = pixverse.simulator.jobs;
		// When the node saw Segmind accept the job, and when Segmind forgets it (an hour later).
		const submittedAtMs = Date.parse(String(items[0].json.submittedAt));
		expect(submittedAtMs).toBeGreaterThanOrEqual(job.submittedAt);
		expect(submittedAtMs).toBeLessThanOrEqual(Date.now());
		expect(items).toEqual([
			{
				json: {
					requestId: job.id,
					submittedAt: new Date(submittedAtMs).toISOString(),
					expiresAt: new Date(submittedAtMs + 3_600_000).toISOString(),
					status: 'QUEUED',
					statusUrl: `${pixverse.simulator.url}/v2/requests/${job.id}/status`,
					resultUrl: `${pixverse.simulator.url}/v2/requests/${job.id}`,
					model: 'pixverse-image2video',
					request: {
						image_url: IMAGE_URL,
						prompt: PROMPT,
						quality: '540p',
						motion_mode: 'normal',
						duration: 5,
					},
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(statusReads()).toHaveLength(0);
		expect(resultReads()).toHaveLength(0);
	});

	test('Get Result accepts the status URL Segmind returned, and waits for the job', async () => {
		const submitted = await generate({ mode: 'submitOnly' });
		const resumed = await getResult(submitted.items[0].json.statusUrl);
		expect(resumed.error).toBeUndefined();
		expect(resumed.items[0].json.requestId).toBe(submitted.items[0].json.requestId);
		expect(videoBytesOf(resumed.items[0]).equals(SAMPLE_VIDEO)).toBe(true);
		expect(submits()).toHaveLength(1);
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test("Get Result's output names the model only when the Model option gives it", async () => {
		const submitted = await generate({ mode: 'submitOnly' });
		const { requestId } = submitted.items[0].json;
		const unnamed = await getResult(requestId);
		expect(unnamed.error).toBeUndefined();
		expect(unnamed.items[0].json).not.toHaveProperty('model');
		// Segmind's answers do not carry the model: the output says what the person gave.
		const named = await getResult(requestId, { ...QUICK_POLLING, model: 'pixverse-v6' });
		expect(named.error).toBeUndefined();
		expect(named.items[0].json).toMatchObject({ requestId, model: 'pixverse-v6' });
		expect(submits()).toHaveLength(1);
	});

	test('a Model option that names no PixVerse model is refused before anything is sent', async () => {
		const { error } = await getResult('job-1', { model: 'pixverse-9' });
		expect(error?.message).toBe(
			`Model "pixverse-9" is not a PixVerse model this node knows: use one of ${MODELS.map((model) => model.slug).join(', ')}`,
		);
		expect(error?.description).toBe(
			'The Model option names the model the job was submitted to; leave it out if unknown.\nNothing was sent to Segmind, so no credits were used.',
		);
		expect(pixverse.simulator.requests).toHaveLength(0);
	});

	test('an expired request ID says so in plain words', async () => {
		const submitted = await generate({ mode: 'submitOnly' });
		const requestId = String(submitted.items[0].json.requestId);
		pixverse.simulator.expireJobs();
		const { error } = await getResult(requestId);
		expect(error?.message).toBe(
			`Segmind error 404, Segmind has no request ${requestId}: the ID is wrong or has expired`,
		);
		expect(error?.description).toMatch(/keeps request records for about an hour/);
	});

	test.each([
		['empty (from an expression)', '={{ $json.nothing }}'],
		['a path', '../v1/pixverse-image2video'],
		['a URL of another kind', 'https://example.com/video.mp4'],
	])('a Request ID that is %s is refused before anything is sent', async (_, requestId) => {
		const { error } = await getResult(requestId);
		expect(error?.message).toMatch(
			/^Request ID .* is not valid: give the requestId of a submitted job/,
		);
		expect(pixverse.simulator.requests).toHaveLength(0);
	});
});

describe('checked before anything is sent, in every mode', () => {
	test.each(['waitForVideo', 'submitOnly'])(
		'%s: an invalid combination sends nothing',
		async (mode) => {
			const { error } = await generate({ mode, quality: '1080p', duration: 8 });
			expect(error?.message).toMatch(/^Duration \(Seconds\) 8 is not available with Quality 1080p/);
			expect(pixverse.simulator.requests).toHaveLength(0);
		},
	);

	test('Expected Generation Time and Poll Interval left at 0, as the panel adds them, plan from the model', async () => {
		const { items, error } = await waitForVideo({
			options: { expectedTime: 0, pollInterval: 0, maxWait: 1 },
		});
		expect(error).toBeUndefined();
		expect(items[0].binary?.data).toBeDefined();
	});

	test.each([
		['Expected Generation Time (Seconds)', { expectedTime: -2 }, '-2'],
		['Poll Interval (Seconds)', { pollInterval: 'often' }, '"often"'],
		['Timeout (Seconds)', { timeout: -1 }, '-1'],
	])('a bad %s is refused before anything is sent', async (label, options, shown) => {
		const mode = label.startsWith('Timeout') ? 'singleRequest' : 'waitForVideo';
		const { error } = await generate({ mode, options });
		expect(error?.message).toMatch(
			new RegExp(
				`^${label.replace(/[()]/g, '\\$&')} ${shown.replace(/"/g, '"')} is not valid: use a number of seconds of at least`,
			),
		);
		expect(pixverse.simulator.requests).toHaveLength(0);
	});

	test('a negative Max Wait is refused before the job is submitted', async () => {
		const { error } = await waitForVideo({ options: { maxWait: -1 } });
		expect(error?.message).toBe(
			'Max Wait (Seconds) -1 is not valid: use a number of seconds of at least 0',
		);
		expect(pixverse.simulator.requests).toHaveLength(0);
	});

	test('one bad item under Continue On Fail leaves the others their videos', async () => {
		const { items } = await waitForVideo(
			{ prompt: '={{ $json.prompt }}' },
			{ items: [{ prompt: 'a wave' }, { prompt: '' }, { prompt: 'a bird' }], continueOnFail: true },
		);
		expect(items).toHaveLength(3);
		expect(items[0].binary?.data).toBeDefined();
		expect(items[1].json.error).toMatch(/^Prompt is empty/);
		expect(items[2].binary?.data).toBeDefined();
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(submits()).toHaveLength(2);
	});
});

describe('Account > Get Credits', () => {
	const getCredits = () => run({ resource: 'account', operation: 'getCredits' });

	test('returns the balance in names an expression can use', async () => {
		pixverse.simulator.configure({ credits: 12.5 });
		const { items, error } = await getCredits();
		expect(error).toBeUndefined();
		expect(items).toEqual([
			{
				json: { credits: 12.5, freeCredits: 0.0184921035, totalCredits: 12.5184921035 },
				pairedItem: { item: 0 },
			},
		]);
		expect(requests('GET', /^\/v1\/get-user-credits$/)[0].headers['x-api-key']).toBe(API_KEY);
		expect(pixverse.simulator.billedGenerations).toBe(0);
	});

	test('an account that never had a balance reads as zero, not as a failure', async () => {
		pixverse.simulator.configure({ noBalanceRecord: true });
		const { items, error } = await getCredits();
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ credits: 0, freeCredits: 0, totalCredits: 0 });
	});

	test('a wrong key is the usual 401 error', async () => {
		const { error } = await run(
			{ resource: 'account', operation: 'getCredits' },
			{ credentials: { apiKey: 'SG_0000000000000000', baseUrl: pixverse.simulator.url } },
		);
		expect(error?.message).toBe(
			'Segmind error 401, Unauthorized: the API key is missing or invalid',
		);
	});
});

test('the API key appears in nothing a run produced, even when Segmind echoes it back', async () => {
	// A server that repeats the key in its error message: the node must not pass it on.
	pixverse.simulator.queueFaults([{ status: 400, body: { error: `bad key ${API_KEY} here` } }]);
	const refused = await waitForVideo();
	expect(refused.error?.description).toContain('bad key [redacted] here');
	const completed = await waitForVideo();
	expect(completed.error).toBeUndefined();
	// Each run's items, error, execution record and log lines were searched for the key when it
	// ended (pixverseUnderTest); this makes sure there was something to search.
	expect(produced.some((text) => text.includes('Segmind accepted job'))).toBe(true);
	expect(produced.length).toBeGreaterThan(10);
});
