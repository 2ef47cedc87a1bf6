/**
 * Example workflows published in a started n8n, triggered the way users trigger them: the
 * schedule fires by itself and writes videos to disk; a real HTTP call to the webhook returns the
 * mp4, once in n8n's regular mode, once in queue mode (Redis, one main, one worker), where the
 * worker must be the process that ran it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createServer, Socket } from 'node:net';

import {
	importWorkflow,
	readExample,
	startProcess,
	startServer,
	waitForWebhook,
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

function instanceServingTheWebhook(env: Record<string, string> = {}): Instance {
	const instance = newServerInstance(env);
	publish(instance, withQuickJobs(readExample('webhook-to-video.json')));
	return instance;
}

async function started(process: Promise<Process> | Process) {
	const running = await process;
	cleanUps.push(() => running.stop());
	return running;
}

async function callWebhook(instance: Instance) {
	await waitForWebhook(instance, WEBHOOK_PATH);
	const response = await fetch(`http://127.0.0.1:${instance.port}/webhook/${WEBHOOK_PATH}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(REQUEST),
	});
	return {
		status: response.status,
		contentType: response.headers.get('content-type'),
		body: Buffer.from(await response.arrayBuffer()),
	};
}

function expectTheVideoFor(answer: Awaited<ReturnType<typeof callWebhook>>) {
	expect(answer.status).toBe(200);
	expect(answer.contentType).toMatch(/^video\/mp4/);
	expect(answer.body.equals(real.simulator.video)).toBe(true);
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
		async () => {
			const written = readdirSync(example.videosDir);
			return written.length >= 2 ? written : undefined;
		},
		90_000,
	).catch((error: Error) => {
		throw new Error(`${error.message}\n${server.output().slice(-3000)}`);
	});
	expectScheduledVideos(real, example.videosDir, files);
});

test('webhook-to-video: a POST with an image URL and a prompt is answered with the mp4', async () => {
	const instance = instanceServingTheWebhook();
	const server = await started(startServer(instance));
	const answer = await callWebhook(instance);
	if (answer.status !== 200) console.log(server.output().slice(-4000));
	expectTheVideoFor(answer);
});

async function freePort() {
	return await new Promise<number>((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

/** A throwaway Redis for n8n's queue (Debian's redis-server, installed by .ci/run). */
async function startRedis(): Promise<number> {
	const port = await freePort();
	const redis: ChildProcess = spawn(
		'redis-server',
		['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
		{ stdio: 'ignore' },
	);
	cleanUps.push(
		() =>
			new Promise<void>((resolve) => {
				if (redis.exitCode !== null) return resolve();
				redis.once('exit', () => resolve());
				redis.kill('SIGTERM');
			}),
	);
	await waitFor('Redis to accept connections', async () => {
		const reachable = await new Promise<boolean>((resolve) => {
			const socket = new Socket();
			socket.once('connect', () => (socket.destroy(), resolve(true)));
			socket.once('error', () => resolve(false));
			socket.connect(port, '127.0.0.1');
		});
		return reachable ? true : undefined;
	});
	return port;
}

test('queue mode: main takes the webhook, the worker runs the node, the caller gets the mp4', async () => {
	const redisPort = await startRedis();
	const queue = {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
	};
	const instance = instanceServingTheWebhook(queue);
	const main = await started(startServer(instance));
	const worker = await started(
		startProcess(instance, ['worker', '--concurrency=2'], {
			N8N_LOG_LEVEL: 'info',
			N8N_RUNNERS_BROKER_PORT: String(instance.port + 5),
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(instance.port + 6),
		}),
	);
	await waitFor(
		'the worker to be ready',
		async () => {
			const response = await fetch(`http://127.0.0.1:${instance.port + 6}/healthz`);
			return response.ok ? true : undefined;
		},
		120_000,
	);

	const answer = await callWebhook(instance);
	if (answer.status !== 200) console.log(main.output().slice(-3000), worker.output().slice(-3000));
	expectTheVideoFor(answer);
	expect(worker.output()).toMatch(/Worker started execution \d+/);
	expect(worker.output()).not.toContain(real.credential.apiKey);
	expect(main.output()).not.toContain(real.credential.apiKey);
});
