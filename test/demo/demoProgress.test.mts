/**
 * The demo's progress (scripts/demoProgress.mts) read from the lines the node and n8n-core really
 * log, in n8n's real engine against the simulator: each step the node takes is said, a retry says
 * what failed and which attempt comes next, and nothing speaks of a job before Segmind accepted
 * one.
 */
import { happened, progressIn, waitingOn, type Progress } from '../../scripts/demoProgress.mts';
import { pngImage } from '../fixtures/images.mts';
import { pixverseUnderTest } from '../harness/pixverseUnderTest.mts';
import { freePort } from '../harness/n8nHost.mts';

const API_KEY = 'SG_d3m0pr0gr355abcd';
const pixverse = pixverseUnderTest(API_KEY, { jobMs: 50 });

/** What the demo would make of a run's log lines: the Pixverse node's steps, in order. */
const stepsOf = (logs: string[]) =>
	logs
		.map(progressIn)
		.filter((step): step is Progress => step !== undefined)
		.filter((step) => !('node' in step) || step.node === 'Pixverse');

test('a video from an uploaded image: the node starts, uploads, Segmind accepts the job, the node ends', async () => {
	const run = await pixverse.generate(
		{ imageSource: 'binaryData', mode: 'waitForVideo', options: { pollInterval: 0.05 } },
		{
			binaries: [{ data: { data: pngImage(4, 4) } }],
			credentials: {
				apiKey: API_KEY,
				baseUrl: pixverse.simulator.url,
				storageUploadUrl: `${pixverse.simulator.url}/upload-asset`,
			},
		},
	);
	expect(run.error).toBeUndefined();
	const [job] = pixverse.simulator.jobs;
	const steps = stepsOf(run.logs);
	expect(steps).toEqual([
		{ stage: 'nodeStarted', node: 'Pixverse' },
		{ stage: 'uploading', url: `${pixverse.simulator.url}/upload-asset` },
		{ stage: 'jobAccepted', requestId: job.id, model: 'pixverse-image2video' },
		{ stage: 'nodeFinished', node: 'Pixverse' },
	]);
	expect(steps.map(happened)[2]).toBe(
		`Segmind accepted job ${job.id} (model pixverse-image2video) and is making the video; the node checks on it until it is done`,
	);
	expect(waitingOn(steps[2])).toBe(`waiting for Segmind to finish job ${job.id}`);
});

test('a host that cannot be reached: each retry says the failure, the attempt of how many, and the wait', async () => {
	const port = await freePort();
	const run = await pixverse.generate(
		{ mode: 'waitForVideo', options: { rateLimitRetries: 2, maxRetryWait: 0.01 } },
		{ credentials: { apiKey: API_KEY, baseUrl: `http://127.0.0.1:${port}` } },
	);
	const failure = `Could not reach Segmind at http://127.0.0.1:${port} (connection refused)`;
	expect(run.error?.message).toBe(failure);
	const steps = stepsOf(run.logs);
	expect(steps.map((step) => step.stage)).toEqual([
		'nodeStarted',
		'retrying',
		'retrying',
		'nodeFinished',
	]);
	expect(steps[1]).toMatchObject({ call: 'submit', attempt: 2, attempts: 3, failure });
	expect(happened(steps[2])).toMatch(
		new RegExp(
			`^${failure.replace(/[.()]/g, '\\$&')}: trying the submit again in 0(\\.\\d)? s \\(attempt 3 of 3\\)$`,
		),
	);
	expect(waitingOn(steps[2])).toBe('waiting to try the submit again (attempt 3 of 3)');
	// No job was accepted, so nothing the demo says speaks of one.
	for (const step of [undefined, ...steps]) {
		expect(waitingOn(step)).not.toMatch(/job/);
		if (step) expect(happened(step)).not.toMatch(/job/);
	}
});
