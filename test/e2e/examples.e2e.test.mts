/**
 * The example workflows, imported into a real n8n 2.x with this package installed as a community
 * package, and run with `n8n execute` against the Segmind simulator.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	executeWorkflow,
	importWorkflow,
	NODE_TYPE,
	outputOf,
	readExample,
	type Instance,
} from '../harness/n8nHost.mts';
import {
	newInstance,
	prepareRealN8n,
	expectScheduledVideos,
	scheduleToDiskInto,
	type RealN8n,
	withParameters,
	withQuickJobs,
} from './realN8n.mts';
import { pngImage } from '../fixtures/images.mts';
import { IMAGE2VIDEO_SAMPLE_BODY } from '../fixtures/image2videoSample.mts';

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

/** Where the simulator's media host serves the video of a finished job. */
const mediaUrlOf = (jobId: string) => `${real.simulator.url}/media/${jobId}.mp4`;

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
	const workflow = withQuickJobs(readExample('generate-one-video.json'));
	const run = await runToTheEnd(workflow);
	const [item] = outputOf(run, 'Pixverse');
	expect(videoOf(item).equals(real.simulator.video)).toBe(true);
	expect(item.binary!.data.mimeType).toBe('video/mp4');
	expect(item.json).toMatchObject({ mimeType: 'video/mp4', fileSize: real.simulator.video.length });
	// The default mode: Segmind's queue, with the page sample's exact body.
	expect(real.simulator.generationRequests.map((request) => request.path)).toEqual([
		'/v2/pixverse-image2video',
	]);
	expect(real.simulator.generationRequests.map((request) => request.json)).toEqual([
		IMAGE2VIDEO_SAMPLE_BODY,
	]);
	expect(real.simulator.billedGenerations).toBe(1);
});

test('generate-one-video in Single Request mode: one request to pixverse-image2video, one mp4', async () => {
	const workflow = withParameters(withQuickJobs(readExample('generate-one-video.json')), {
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
		withQuickJobs(readExample('schedule-to-disk.json')),
	);
	const run = await runToTheEnd(workflow);
	const written = outputOf(run, 'Save video to disk');
	expect(written).toHaveLength(2);
	const files = readdirSync(videosDir);
	expect(files).toHaveLength(2);
	expectScheduledVideos(real, videosDir, files);
});

test('continue-on-fail: valid items make videos, invalid ones become error items, nothing lost', async () => {
	const workflow = withQuickJobs(readExample('continue-on-fail.json'));
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
	const workflow = withParameters(withQuickJobs(readExample('submit-then-get-result.json')), {
		Wait: { amount: 1 },
	});
	const run = await runToTheEnd(workflow);
	const [submitted] = outputOf(run, 'Submit');
	const [job] = real.simulator.jobs;
	expect(submitted.json).toMatchObject({ requestId: job.id, status: 'QUEUED' });
	const [fetched] = outputOf(run, 'Get Result');
	// The Model option, from the submit's output through the Wait node, names the model.
	expect(fetched.json).toMatchObject({
		requestId: job.id,
		model: 'pixverse-image2video',
		cost: 0.55,
	});
	expect(videoOf(fetched).equals(real.simulator.video)).toBe(true);
	expect(real.simulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual(
		expect.arrayContaining(['GET /v1/get-user-credits', 'POST /v2/pixverse-image2video']),
	);
	expect(real.simulator.generationRequests).toHaveLength(1);
	expect(real.simulator.billedGenerations).toBe(1);
});

test('text-to-video-then-extend: a V6 clip from text, then V5 Extend of that clip’s link, one mp4 each', async () => {
	const workflow = withQuickJobs(readExample('text-to-video-then-extend.json'));
	const run = await runToTheEnd(workflow);
	const [firstJob, extendJob] = real.simulator.jobs;
	expect(real.simulator.generationRequests.map((request) => request.path)).toEqual([
		'/v2/pixverse-v6',
		'/v2/pixverse-5-extend',
	]);
	expect(real.simulator.generationRequests.map((request) => request.json)).toEqual([
		{
			prompt:
				'A paper boat drifts down a rain-soaked city street at dusk, neon signs reflected in the puddles',
			aspect_ratio: '16:9',
			quality: '540p',
			motion_mode: 'normal',
			duration: 5,
			generate_audio_switch: true,
		},
		{
			// The first job's finished video on Segmind's media host, through $json.videoUrl.
			video_url: mediaUrlOf(firstJob.id),
			prompt: 'The boat reaches a canal and the camera rises slowly above the rooftops',
			quality: '540p',
			motion_mode: 'normal',
			duration: 5,
		},
	]);

	const [clip] = outputOf(run, 'Text to video');
	expect(clip.json).toMatchObject({
		model: 'pixverse-v6',
		requestId: firstJob.id,
		videoUrl: mediaUrlOf(firstJob.id),
	});
	expect(videoOf(clip).equals(real.simulator.video)).toBe(true);
	const [extended] = outputOf(run, 'Extend video');
	expect(extended.json).toMatchObject({
		model: 'pixverse-5-extend',
		requestId: extendJob.id,
		videoUrl: mediaUrlOf(extendJob.id),
		mimeType: 'video/mp4',
	});
	expect(videoOf(extended).equals(real.simulator.video)).toBe(true);
	expect(real.simulator.billedByModel()).toEqual({ 'pixverse-v6': 1, 'pixverse-5-extend': 1 });
	expect(real.simulator.billedGenerations).toBe(2);
});

test('transition-from-two-images: two files as binary data, uploaded one each, become the frames of one transition', async () => {
	// Two different images (random pixels), so frames swapped or uploaded twice would show.
	const first = pngImage(96, 64, { noise: true });
	const last = pngImage(64, 96, { noise: true });
	const firstPath = join(instance.userFolder, 'first.png');
	const lastPath = join(instance.userFolder, 'last.png');
	writeFileSync(firstPath, first);
	writeFileSync(lastPath, last);
	const workflow = withQuickJobs(
		withParameters(readExample('transition-from-two-images.json'), {
			'Read first frame': { fileSelector: firstPath },
			'Read last frame': { fileSelector: lastPath },
		}),
	);
	const run = await runToTheEnd(workflow);

	const requests = real.simulator.requests;
	const uploads = requests.filter((request) => request.path === '/upload-asset');
	expect(uploads.map((upload) => upload.json)).toEqual([
		{ data_urls: [`data:image/png;base64,${first.toString('base64')}`] },
		{ data_urls: [`data:image/png;base64,${last.toString('base64')}`] },
	]);
	const generations = real.simulator.generationRequests;
	expect(generations.map((request) => request.path)).toEqual(['/v2/pixverse-5-transition']);
	for (const upload of uploads) {
		expect(requests.indexOf(upload)).toBeLessThan(requests.indexOf(generations[0]));
	}

	const [item] = outputOf(run, 'Transition');
	const firstFrameUrl = String(item.json.uploadedFirstFrameUrl);
	const lastFrameUrl = String(item.json.uploadedLastFrameUrl);
	expect(generations[0].json).toEqual({
		first_frame_url: firstFrameUrl,
		last_frame_url: lastFrameUrl,
		prompt: 'The scene slowly turns from day to night as the camera drifts forward',
		quality: '540p',
		motion_mode: 'normal',
		duration: 5,
	});
	// The URLs are the ones Storage gave for each upload: they serve back exactly those bytes.
	for (const [url, image] of [
		[firstFrameUrl, first],
		[lastFrameUrl, last],
	] as const) {
		expect(url).toMatch(new RegExp(`^${real.simulator.url}/assets/[\\w-]+\\.png$`));
		const served = Buffer.from(await (await fetch(url)).arrayBuffer());
		expect(served.equals(image)).toBe(true);
	}
	expect(videoOf(item).equals(real.simulator.video)).toBe(true);
	expect(item.json).toMatchObject({ model: 'pixverse-5-transition', mimeType: 'video/mp4' });
	expect(real.simulator.billedByModel()).toEqual({ 'pixverse-5-transition': 1 });
	expect(real.simulator.billedGenerations).toBe(1);
});

test('copy-motion-from-video: the reference video and the image to Motion Control, one mp4', async () => {
	const workflow = withQuickJobs(readExample('copy-motion-from-video.json'));
	const run = await runToTheEnd(workflow);
	expect(real.simulator.generationRequests.map((request) => request.path)).toEqual([
		'/v2/pixverse-mimic',
	]);
	expect(real.simulator.generationRequests.map((request) => request.json)).toEqual([
		{
			video_url: 'https://segmind-resources.s3.amazonaws.com/input/pixverse-mimic-reference.mp4',
			image_url: 'https://segmind-resources.s3.amazonaws.com/input/pixverse-mimic-subject.png',
			quality: '540p',
		},
	]);
	const [item] = outputOf(run, 'Copy motion');
	expect(videoOf(item).equals(real.simulator.video)).toBe(true);
	expect(item.json).toMatchObject({
		model: 'pixverse-mimic',
		requestId: real.simulator.jobs[0].id,
	});
	expect(real.simulator.billedByModel()).toEqual({ 'pixverse-mimic': 1 });
	expect(real.simulator.billedGenerations).toBe(1);
});

test('long-job-across-executions: a job done within the hand-off goes straight to disk, in one execution', async () => {
	const videosDir = join(instance.userFolder, 'long-job-videos');
	mkdirSync(videosDir);
	const workflow = withParameters(withQuickJobs(readExample('long-job-across-executions.json')), {
		'Save video to disk': { fileName: `=${videosDir}/{{ $json.fileName }}` },
	});
	const run = await runToTheEnd(workflow);
	const [job] = real.simulator.jobs;
	expect(outputOf(run, 'Copy motion')[0].json).toMatchObject({
		status: 'completed',
		requestId: job.id,
	});
	// The pending branch did not run: no new execution was started.
	expect(run.data.resultData.runData['Collect it in a new execution']).toBeUndefined();
	expect(readFileSync(join(videosDir, `pixverse-${job.id}.mp4`)).equals(real.simulator.video)).toBe(
		true,
	);
	expect(real.simulator.billedGenerations).toBe(1);
});

const EFFECT_IMAGE_URL = IMAGE2VIDEO_SAMPLE_BODY.image_url;

test('apply-effect-to-image: the photo through the Muscle Surge template, one mp4', async () => {
	const workflow = withQuickJobs(readExample('apply-effect-to-image.json'));
	const run = await runToTheEnd(workflow);
	expect(real.simulator.generationRequests.map((request) => request.path)).toEqual([
		'/v2/muscle-surge',
	]);
	expect(real.simulator.generationRequests.map((request) => request.json)).toEqual([
		{
			image_url: EFFECT_IMAGE_URL,
			quality: '720p',
			motion_mode: 'normal',
			duration: 5,
			seed: 56698,
		},
	]);
	const [item] = outputOf(run, 'Apply effect');
	expect(videoOf(item).equals(real.simulator.video)).toBe(true);
	expect(item.json).toMatchObject({ model: 'muscle-surge' });
	expect(real.simulator.billedByModel()).toEqual({ 'muscle-surge': 1 });
	expect(real.simulator.billedGenerations).toBe(1);
});

test('apply-effect-to-image with Warmth of Jesus picked: the motion mode that model lacks is not sent', async () => {
	// The example's Motion Mode stays in its parameters, hidden for this model, as after a switch
	// in the editor: n8n sends only what the panel shows.
	const workflow = withQuickJobs(
		withParameters(readExample('apply-effect-to-image.json'), {
			'Apply effect': { model: 'warmth-of-jesus' },
		}),
	);
	const run = await runToTheEnd(workflow);
	expect(real.simulator.generationRequests.map((request) => request.path)).toEqual([
		'/v2/warmth-of-jesus',
	]);
	expect(real.simulator.generationRequests.map((request) => request.json)).toEqual([
		{ image_url: EFFECT_IMAGE_URL, quality: '720p', duration: 5, seed: 56698 },
	]);
	const [item] = outputOf(run, 'Apply effect');
	expect(videoOf(item).equals(real.simulator.video)).toBe(true);
	expect(real.simulator.billedByModel()).toEqual({ 'warmth-of-jesus': 1 });
});
