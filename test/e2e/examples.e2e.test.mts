/**
 * The example workflows, imported into a real n8n 2.x with this package installed as a community
 * package, and run with `n8n execute` against the Segmind simulator.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import {
	executeWorkflow,
	importWorkflow,
	NODE_TYPE,
	outputOf,
	readExample,
	type Instance,
} from '../../scripts/n8n-host.mts';
import {
	newInstance,
	prepareRealN8n,
	expectScheduledVideos,
	scheduleToDiskInto,
	type RealN8n,
	withParameters,
} from './realN8n.mts';
import { SEED_EXAMPLE_BODY } from '../fixtures/seedExample.mts';

let real: RealN8n;
let instance: Instance;

beforeAll(async () => {
	real = await prepareRealN8n();
	// Binary data inline in the run output, so the test can compare bytes.
	instance = newInstance(real, { N8N_DEFAULT_BINARY_DATA_MODE: 'default' });
}, 900_000);
afterAll(async () => {
	instance?.remove();
	await real?.simulator.close();
});
beforeEach(() => real.simulator.reset());

const videoOf = (item: { binary?: Record<string, { data: string }> }) =>
	Buffer.from(item.binary!.data.data, 'base64');

/** Imports the workflow and runs it with `n8n execute`; the run must end without an error. */
async function runToTheEnd(workflow: Record<string, unknown>) {
	importWorkflow(instance, workflow, real.credential);
	const { run, failed } = await executeWorkflow(instance, String(workflow.id));
	expect(run.data.resultData.error?.message).toBeUndefined();
	expect(failed).toBe(false);
	return run;
}

test('every example uses the community node type, not CUSTOM.*', () => {
	const files = readdirSync(join(process.cwd(), 'examples')).filter((file) =>
		file.endsWith('.json'),
	);
	expect(files.length).toBeGreaterThanOrEqual(4);
	for (const file of files) {
		const types = readExample(file).nodes as Array<{ type: string }>;
		expect(types.map((node) => node.type)).toContain(NODE_TYPE);
	}
});

test('generate-one-video: one mp4, the exact bytes the simulator made', async () => {
	const workflow = readExample('generate-one-video.json');
	const run = await runToTheEnd(workflow);
	const [item] = outputOf(run, 'Pixverse');
	expect(videoOf(item).equals(real.simulator.video)).toBe(true);
	expect(item.binary!.data.mimeType).toBe('video/mp4');
	expect(item.json).toMatchObject({ mimeType: 'video/mp4', fileSize: real.simulator.video.length });
	// The default mode: Segmind's queue, with the seed's exact body.
	expect(real.simulator.generationRequests.map((request) => request.path)).toEqual([
		'/v2/pixverse-image2video',
	]);
	expect(real.simulator.generationRequests.map((request) => request.json)).toEqual([
		SEED_EXAMPLE_BODY,
	]);
	expect(real.simulator.billedGenerations).toBe(1);
});

test('generate-one-video in Single Request mode: one request to the seed endpoint, one mp4', async () => {
	const workflow = withParameters(readExample('generate-one-video.json'), {
		Pixverse: { mode: 'singleRequest' },
	});
	const run = await runToTheEnd(workflow);
	const [item] = outputOf(run, 'Pixverse');
	expect(videoOf(item).equals(real.simulator.video)).toBe(true);
	expect(real.simulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'POST /v1/pixverse-image2video',
	]);
	expect(real.simulator.billedGenerations).toBe(1);
});

test('schedule-to-disk: a list of images becomes videos written to disk', async () => {
	const { workflow, videosDir } = scheduleToDiskInto(
		instance,
		readExample('schedule-to-disk.json'),
	);
	const run = await runToTheEnd(workflow);
	const written = outputOf(run, 'Save video to disk');
	expect(written).toHaveLength(2);
	const files = readdirSync(videosDir);
	expect(files).toHaveLength(2);
	expectScheduledVideos(real, videosDir, files);
});

test('continue-on-fail: valid items make videos, invalid ones become error items, nothing lost', async () => {
	const workflow = readExample('continue-on-fail.json');
	const run = await runToTheEnd(workflow);
	const items = outputOf(run, 'Pixverse');
	expect(items).toHaveLength(5);
	expect(items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
	const outcome = items.map((item) =>
		item.binary
			? 'video'
			: String((item.error as { message?: string } | undefined)?.message ?? item.json.error),
	);
	expect(outcome).toEqual([
		'video',
		'Duration (Seconds) 8 is not available with Quality 1080p: allowed is 5',
		'Prompt is empty: describe what should happen in the video',
		'Image URL "ftp://example.com/cat.png" is not valid: it must be a public http:// or https:// link to a png, webp or jpeg image',
		'video',
	]);
	expect(real.simulator.generationRequests).toHaveLength(2);
	expect(real.simulator.billedGenerations).toBe(2);
});

test('submit-then-get-result: the balance is checked, the job submitted, and fetched after a Wait, billed once', async () => {
	const workflow = withParameters(readExample('submit-then-get-result.json'), {
		Wait: { amount: 1 },
	});
	const run = await runToTheEnd(workflow);
	const [submitted] = outputOf(run, 'Submit');
	const [job] = real.simulator.jobs;
	expect(submitted.json).toMatchObject({ requestId: job.id, status: 'QUEUED' });
	const [fetched] = outputOf(run, 'Get Result');
	expect(fetched.json).toMatchObject({ requestId: job.id, cost: 0.55 });
	expect(videoOf(fetched).equals(real.simulator.video)).toBe(true);
	expect(real.simulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual(
		expect.arrayContaining(['GET /v1/get-user-credits', 'POST /v2/pixverse-image2video']),
	);
	expect(real.simulator.generationRequests).toHaveLength(1);
	expect(real.simulator.billedGenerations).toBe(1);
});
