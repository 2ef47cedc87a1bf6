/**
 * Example workflows published in a started n8n, triggered the way users trigger them: the
 * schedule fires by itself and writes videos to disk; a real HTTP call to the webhook is answered
 * at once with the job's request ID and the video lands on disk, once in n8n's regular mode,
 * once in queue mode (Redis, one main, one worker), where the worker must be the process that
 * ran it.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	importWorkflow,
	queueModeEnv,
	readExample,
	startRedis,
	startServer,
	startWorker,
	postToWebhook,
	waitFor,
	type Instance,
	type Process,
} from '../harness/n8nHost.mts';
import {
	expectScheduledVideos,
	newInstance,
	prepareRealN8n,
	scheduleToDiskInto,
	withParameters,
	withQuickJobs,
	videosWrittenIn,
	type RealN8n,
} from './realN8n.mts';

const WEBHOOK_PATH = 'pixverse-video';
const REQUEST = {
	imageUrl:
		'https://segmind-resources.s3.amazonaws.com/input/783a73f1-bdf8-441c-982c-b7cd75d80df9-pixverse-i2v-ip.webp',
	prompt: 'The subject waves at the camera',
	quality: '720p',
};

let real: RealN8n;
const cleanUps: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
	real = await prepareRealN8n();
}, 900_000);
afterEach(async () => {
	for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});
afterAll(async () => {
	await real?.simulator.close();
});
beforeEach(() => real.simulator.reset());

function newServerInstance(env: Record<string, string> = {}): Instance {
	const instance = newInstance(real, env);
	cleanUps.push(() => instance.remove());
	return instance;
}

/** Imported and published, so that `n8n start` activates its trigger. */
function publish(instance: Instance, workflow: Record<string, unknown>) {
	importWorkflow(instance, workflow, real.credential);
	instance.cli(['publish:workflow', `--id=${String(workflow.id)}`]);
}

/** The webhook example, delivering its videos into this n8n's own folder. */
function instanceServingTheWebhook(env: Record<string, string> = {}) {
	const instance = newServerInstance(env);
	const videosDir = join(instance.userFolder, 'videos');
	mkdirSync(videosDir);
	const workflow = withParameters(withQuickJobs(readExample('webhook-to-video.json')), {
		'Deliver the video': { fileName: `=${videosDir}/{{ $json.fileName }}` },
	});
	publish(instance, workflow);
	return { instance, videosDir };
}

async function started(process: Promise<Process> | Process) {
	const running = await process;
	cleanUps.push(() => running.stop());
	return running;
}

/**
 * The caller's answer names the job at once; the video then lands on disk, made once, billed once.
 */
async function expectTheVideoFor(
	answer: Awaited<ReturnType<typeof postToWebhook>>,
	videosDir: string,
) {
	expect(answer.status).toBe(200);
	expect(answer.contentType).toMatch(/^application\/json/);
	const [job] = real.simulator.jobs;
	expect(JSON.parse(answer.body.toString('utf8'))).toMatchObject({
		requestId: job.id,
		status: 'submitted',
	});
	const [file] = await waitFor(
		'the video delivered to disk',
		async () => videosWrittenIn(real, videosDir),
		60_000,
	);
	expect(file).toBe(`pixverse-${job.id}.mp4`);
	expect(readFileSync(join(videosDir, file)).equals(real.simulator.video)).toBe(true);
	expect(real.simulator.generationRequests.map((request) => request.json)).toEqual([
		{
			image_url: REQUEST.imageUrl,
			prompt: REQUEST.prompt,
			quality: '720p',
			motion_mode: 'normal',
			duration: 5,
		},
	]);
	expect(real.simulator.billedGenerations).toBe(1);
}

test('schedule-to-disk: the Schedule Trigger fires on its own and the videos land on disk', async () => {
	const instance = newServerInstance();
	const example = scheduleToDiskInto(instance, withQuickJobs(readExample('schedule-to-disk.json')));
	// Every 10 seconds instead of every morning, so the test sees it fire.
	const workflow = withParameters(example.workflow, {
		'Every morning': { rule: { interval: [{ field: 'seconds', secondsInterval: 10 }] } },
	});
	publish(instance, workflow);
	const server = await started(startServer(instance));
	const files = await waitFor(
		'two videos written by a scheduled run',
		async () => videosWrittenIn(real, example.videosDir, 2),
		90_000,
	).catch((error: Error) => {
		throw new Error(`${error.message}\n${server.output().slice(-3000)}`);
	});
	expectScheduledVideos(real, example.videosDir, files);
});

test('webhook-to-video: a POST is answered at once with the request ID, and the video lands on disk', async () => {
	const { instance, videosDir } = instanceServingTheWebhook();
	const server = await started(startServer(instance));
	const answer = await postToWebhook(instance, WEBHOOK_PATH, REQUEST);
	if (answer.status !== 200) console.log(server.output().slice(-4000));
	await expectTheVideoFor(answer, videosDir);
});

test('queue mode: main takes the webhook, the worker runs the node, the video lands on disk', async () => {
	const redis = await startRedis();
	cleanUps.push(() => redis.stop());
	const { instance, videosDir } = instanceServingTheWebhook(queueModeEnv(redis.port));
	const main = await started(startServer(instance));
	const worker = await started(startWorker(instance, 0, { concurrency: 2 }));

	const answer = await postToWebhook(instance, WEBHOOK_PATH, REQUEST);
	if (answer.status !== 200) console.log(main.output().slice(-3000), worker.output().slice(-3000));
	await expectTheVideoFor(answer, videosDir);
	expect(worker.output()).toMatch(/Worker started execution \d+/);
	expect(worker.output()).not.toContain(real.credential.apiKey);
	expect(main.output()).not.toContain(real.credential.apiKey);
});
