/**
 * The hand-off under an execution time limit, through n8n's real engine against the simulator:
 * an item whose job is not done by Hand Off After (or by the workflow's own Timeout Workflow)
 * leaves the node on its main output as pending, with what a later Get Result needs, and the
 * video then arrives once, billed once. Time is scaled down: seconds stand for minutes.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { pixverseUnderTest, SAMPLE_VIDEO, videoBytesOf } from '../harness/pixverseUnderTest.mts';

const API_KEY = 'SG_4a5b6c7d8e9f0a1b';
const pixverse = pixverseUnderTest(API_KEY);
const { generate, run } = pixverse;
const HOUR_MS = 3_600_000;

/** Wait for Video with the model's plan scaled to a job of about a second. */
const waitForVideo = (options: IDataObject, runOptions = {}) =>
	generate({ mode: 'waitForVideo', options: { expectedTime: 1, ...options } }, runOptions);

/** Get Result fed the items of an earlier node, as a loop over pending items would be. */
const getResultOf = (items: INodeExecutionData[], options: IDataObject = {}) =>
	run(
		{
			resource: 'video',
			operation: 'getResult',
			requestId: '={{ $json.requestId }}',
			options: { expectedTime: 1, ...options },
		},
		{ items: items.map((item) => item.json) },
	);

const statusReads = () =>
	pixverse.simulator.requests.filter((request) =>
		/^\/v2\/requests\/[^/]+\/status$/.test(request.path),
	);
const submits = () => pixverse.simulator.requests.filter((request) => request.method === 'POST');

describe('Wait for Video hands a job that is not done by Hand Off After on as pending', () => {
	test('the pending item holds the request ID, model, request, when to check and when Segmind forgets it', async () => {
		pixverse.simulator.configure({ jobMs: 1500 });
		const before = Date.now();
		const { items, error } = await waitForVideo({ handOffAfter: 0.3 });
		expect(error).toBeUndefined();
		const [job] = pixverse.simulator.jobs;
		expect(items).toHaveLength(1);
		const [pending] = items;
		expect(pending.binary).toBeUndefined();
		expect(pending.pairedItem).toEqual({ item: 0 });
		expect(pending.json).toMatchObject({
			status: 'pending',
			requestId: job.id,
			model: 'pixverse-image2video',
			request: { prompt: 'Subject dance takes the world by storm!', duration: 5 },
		});
		const submittedAtMs = Date.parse(String(pending.json.submittedAt));
		expect(submittedAtMs).toBeGreaterThanOrEqual(before);
		expect(pending.json.expiresAt).toBe(new Date(submittedAtMs + HOUR_MS).toISOString());
		// The next check the plan would have made: after the hand-off, at or before the typical time.
		const checkAfterMs = Date.parse(String(pending.json.checkAfter));
		expect(checkAfterMs).toBeGreaterThan(submittedAtMs + 300);
		expect(checkAfterMs).toBeLessThanOrEqual(submittedAtMs + 1000);
		expect(pending.json.message).toContain(`Get Result and request ID ${job.id}`);
		expect(pending.json.message).toMatch(/billed once, when it completes/);
		// Nothing is billed until the job completes, and nothing is sent twice.
		expect(submits()).toHaveLength(1);
		expect(pixverse.simulator.billedGenerations).toBe(0);
	});

	test('Get Result fed the pending item returns the video, billed once, planned from its submission', async () => {
		pixverse.simulator.configure({ jobMs: 1200 });
		const first = await waitForVideo({ handOffAfter: 0.2 });
		expect(first.items[0].json.status).toBe('pending');
		const checkAfterMs = Date.parse(String(first.items[0].json.checkAfter));
		const checksBefore = statusReads().length;

		const later = await getResultOf(first.items);
		expect(later.error).toBeUndefined();
		const [job] = pixverse.simulator.jobs;
		expect(later.items[0].json).toMatchObject({
			status: 'completed',
			requestId: job.id,
			// Read from the pending item: Segmind's answers do not name the model.
			model: 'pixverse-image2video',
		});
		expect(videoBytesOf(later.items[0]).equals(SAMPLE_VIDEO)).toBe(true);
		// Its first check waited for the plan's next time instead of looking at once.
		const firstCheckOfGetResult = statusReads()[checksBefore];
		expect(firstCheckOfGetResult.receivedAt).toBeGreaterThanOrEqual(checkAfterMs - 5);
		expect(submits()).toHaveLength(1);
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test("the workflow's Timeout Workflow setting brings the hand-off forward", async () => {
		pixverse.simulator.configure({ jobMs: 6000 });
		// 12 s: the item leaves 10 s before it, at 2 s, although Hand Off After is the default 240 s.
		const { items, error } = await waitForVideo({}, { workflowSettings: { executionTimeout: 12 } });
		expect(error).toBeUndefined();
		expect(items[0].json.status).toBe('pending');
		// It left while the 6-second job was still running.
		expect(pixverse.simulator.jobs[0].finished).toBe(false);
	});

	test('a job done by the hand-off is a video, not a pending item', async () => {
		pixverse.simulator.configure({ jobMs: 300 });
		const { items, error } = await waitForVideo({ handOffAfter: 30 });
		expect(error).toBeUndefined();
		expect(items[0].json.status).toBe('completed');
		expect(videoBytesOf(items[0]).equals(SAMPLE_VIDEO)).toBe(true);
	});

	test('status checks that keep failing at the hand-off leave the job pending, not an error', async () => {
		pixverse.simulator.configure({ jobMs: 400 });
		pixverse.simulator.queueJobReadFaults(Array.from({ length: 50 }, () => ({ status: 503 })));
		const { items, error } = await waitForVideo({ handOffAfter: 1.5 });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			status: 'pending',
			requestId: pixverse.simulator.jobs[0].id,
		});
	});

	test('a video download stopped by the hand-off leaves the completed job for Get Result', async () => {
		pixverse.simulator.configure({ jobMs: 100 });
		pixverse.simulator.queueMediaFaults(Array.from({ length: 50 }, () => 503));
		const first = await waitForVideo({ handOffAfter: 1.5 });
		expect(first.error).toBeUndefined();
		expect(first.items[0].json).toMatchObject({ status: 'pending', segmindStatus: 'COMPLETED' });

		pixverse.simulator.clearQueuedFaults();
		const later = await getResultOf(first.items);
		expect(later.error).toBeUndefined();
		expect(videoBytesOf(later.items[0]).equals(SAMPLE_VIDEO)).toBe(true);
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test('429s on every submit stop at the hand-off with an error that names them: nothing billed', async () => {
		pixverse.simulator.configure({
			fault: { status: 429, body: { error: 'Rate limit exceeded' } },
		});
		const { items, error } = await waitForVideo({ handOffAfter: 1, maxRetryWait: 0.3 });
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(/429/);
		expect(error?.description).toMatch(/stopped waiting at this item's hand-off time/);
		expect(error?.description).toMatch(/Nothing was billed/);
		// Before Rate Limit Retries (15, so 16 tries) ran out.
		const tries = Number(/Tried (\d+) times/.exec(String(error?.description))?.[1]);
		expect(tries).toBeGreaterThan(1);
		expect(tries).toBeLessThan(16);
		expect(pixverse.simulator.jobs).toHaveLength(0);
	});

	test('with On Error: Continue, a bad item is an error beside the pending ones, each paired', async () => {
		pixverse.simulator.configure({ jobMs: 1500 });
		const { items } = await generate(
			{
				mode: 'waitForVideo',
				duration: '={{ $json.duration }}',
				options: { expectedTime: 1, handOffAfter: 0.2 },
			},
			{ items: [{ duration: 5 }, { duration: 7 }, { duration: 8 }], continueOnFail: true },
		);
		expect(items.map((item) => item.json.status ?? item.json.error)).toEqual([
			'pending',
			expect.stringMatching(/Duration \(Seconds\) 7/),
			'pending',
		]);
		expect(items[0].pairedItem).toEqual({ item: 0 });
		expect(items[2].pairedItem).toEqual({ item: 2 });
		expect(pixverse.simulator.jobs).toHaveLength(2);
	});

	test('Hand Off After that is not a number stops the item before anything is sent', async () => {
		const { error } = await waitForVideo({ handOffAfter: '=soon' });
		expect(error?.message).toBe(
			'Hand Off After (Seconds) "soon" is not valid: use a number of seconds of at least 0',
		);
		expect(pixverse.simulator.requests).toHaveLength(0);
	});
});

describe('Get Result in a loop', () => {
	test('Hand Off After 0 checks once and passes a running job on as pending', async () => {
		pixverse.simulator.configure({ jobMs: 3000 });
		const submitted = await generate({ mode: 'submitOnly' });
		const checked = await getResultOf(submitted.items, { handOffAfter: 0 });
		expect(checked.error).toBeUndefined();
		expect(checked.items[0].json).toMatchObject({
			status: 'pending',
			requestId: submitted.items[0].json.requestId,
			submittedAt: submitted.items[0].json.submittedAt,
			expiresAt: submitted.items[0].json.expiresAt,
		});
		expect(pixverse.simulator.jobs[0].statusChecks).toBe(1);
	});

	test('Hand Off After 0 on a finished job returns its video', async () => {
		pixverse.simulator.configure({ jobMs: 50 });
		const submitted = await generate({ mode: 'submitOnly' });
		await new Promise((resolve) => setTimeout(resolve, 200));
		const checked = await getResultOf(submitted.items, { handOffAfter: 0 });
		expect(checked.error).toBeUndefined();
		expect(videoBytesOf(checked.items[0]).equals(SAMPLE_VIDEO)).toBe(true);
	});

	test('a request ID older than Segmind keeps jobs is said to have expired, and when', async () => {
		const submittedAtMs = Date.now() - 2 * HOUR_MS;
		const { error } = await getResultOf(
			[{ json: { requestId: 'a1b2c3d4-old', submittedAt: new Date(submittedAtMs).toISOString() } }],
			{ handOffAfter: 0 },
		);
		expect(error?.message).toBe(
			`Request a1b2c3d4-old has expired: Segmind forgot it at ${new Date(submittedAtMs + HOUR_MS).toISOString()}`,
		);
		expect(error?.description).toMatch(/one hour after its submission/);
	});

	test('a pending item whose job then fails is a clear error, and nothing is billed', async () => {
		pixverse.simulator.configure({ jobMs: 600 });
		pixverse.simulator.planJobs([{ fails: 'Prompt was refused' }]);
		const first = await waitForVideo({ handOffAfter: 0.1 });
		expect(first.items[0].json.status).toBe('pending');
		const later = await getResultOf(first.items);
		expect(later.error?.message).toMatch(/could not make the video/);
		expect(later.error?.description).toMatch(/Prompt was refused/);
		expect(pixverse.simulator.billedGenerations).toBe(0);
	});
});
