/**
 * n8n's queue mode (Redis, one main, workers) through the two ways an execution ends early:
 * a worker killed while the node waits for a paid job, and n8n's own "Retry execution" of a run
 * that failed after Segmind had accepted its jobs. In both, Segmind must see each job submitted
 * once and bill it once, and the video must still be reachable.
 */
import {
	importWorkflow,
	NODE_TYPE,
	queueModeEnv,
	restApi,
	setUpOwner,
	startRedis,
	startServer,
	startWorker,
	waitFor,
	WORKER_START_TIMEOUT_MS,
	postToWebhook,
	type Instance,
	type ItemData,
	type Process,
	type Redis,
} from '../harness/n8nHost.mts';
import { newInstance, prepareRealN8n, type RealN8n } from './realN8n.mts';

const IMAGE_URL =
	'https://segmind-resources.s3.amazonaws.com/input/783a73f1-bdf8-441c-982c-b7cd75d80df9-pixverse-i2v-ip.webp';
const PIXVERSE = 'Pixverse';
const WORKFLOWS = {
	crash: {
		id: 'pixverseQueueCrash',
		path: 'pixverse-crash',
		webhookId: '0c6f1d3e-6a55-4a51-9d2f-7c1e0a0e0101',
	},
	getResult: {
		id: 'pixverseQueueFetch',
		path: 'pixverse-get-result',
		webhookId: '0c6f1d3e-6a55-4a51-9d2f-7c1e0a0e0102',
	},
	retry: {
		id: 'pixverseQueueRetry',
		path: 'pixverse-two-videos',
		webhookId: '0c6f1d3e-6a55-4a51-9d2f-7c1e0a0e0103',
	},
};
/** Long enough to kill the worker while the job runs, short enough for a test. */
const CRASH_JOB_MS = 20_000;
const RETRY_JOB_MS = 5_000;
/**
 * A dead worker's job stays "active" in Redis until its lock expires and a live worker's stalled
 * check fails it; then main's queue recovery marks the execution crashed. n8n's defaults (60 s
 * lock, 30 s check, recovery every 180 minutes) are shortened so the test sees the end of it.
 */
const FAST_STALL_DETECTION = {
	QUEUE_WORKER_LOCK_DURATION: '5000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '2000',
	QUEUE_WORKER_STALLED_INTERVAL: '3000',
};
const ACCEPTED_LINE =
	/Segmind accepted job (\S+) \(model ([^,]+), execution (\d+), node "([^"]+)", item (\d+)\)/;

let real: RealN8n;
let redis: Redis;
let instance: Instance;
let main: Process;
let rest: ReturnType<typeof restApi>;
const cleanUps: Array<() => Promise<void> | void> = [];

type Node = Record<string, unknown> & { name: string };

function webhookNode(
	{ path, webhookId }: { path: string; webhookId: string },
	response: 'onReceived' | 'lastNodeBinary',
): Node {
	return {
		id: 'webhook',
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId,
		parameters: {
			httpMethod: 'POST',
			path,
			...(response === 'lastNodeBinary'
				? { responseMode: 'lastNode', responseData: 'firstEntryBinary' }
				: { responseMode: 'onReceived' }),
			options: {},
		},
	};
}

function pixverseNode(parameters: Record<string, unknown>): Node {
	return {
		id: 'pixverse',
		name: PIXVERSE,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [440, 0],
		parameters: { resource: 'video', ...parameters },
	};
}

function chain(id: string, name: string, nodes: Node[]) {
	const connections = Object.fromEntries(
		nodes
			.slice(0, -1)
			.map((node, index) => [
				node.name,
				{ main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] },
			]),
	);
	return { id, name, nodes, connections, active: false, settings: { executionOrder: 'v1' } };
}

const generateFromImage = (prompt: string, options: Record<string, unknown>) => ({
	operation: 'generateFromImage',
	imageUrl: IMAGE_URL,
	prompt,
	quality: '540p',
	motionMode: 'normal',
	duration: 5,
	options,
});

const crashWorkflow = chain(WORKFLOWS.crash.id, 'Queue mode: crash while waiting', [
	webhookNode(WORKFLOWS.crash, 'onReceived'),
	pixverseNode(
		generateFromImage('={{ $json.body.prompt }}', {
			expectedTime: CRASH_JOB_MS / 1000,
			maxWait: 300,
		}),
	),
]);

const getResultWorkflow = chain(WORKFLOWS.getResult.id, 'Queue mode: fetch a job', [
	webhookNode(WORKFLOWS.getResult, 'lastNodeBinary'),
	pixverseNode({
		operation: 'getResult',
		requestId: '={{ $json.body.requestId }}',
		options: { pollInterval: 1, maxWait: 120 },
	}),
]);

/** Two items whose jobs outlast Max Wait: the node fails after both were accepted. */
const retryWorkflow = chain(WORKFLOWS.retry.id, 'Queue mode: retried execution', [
	webhookNode(WORKFLOWS.retry, 'onReceived'),
	{
		id: 'split',
		name: 'One item per job',
		type: 'n8n-nodes-base.splitOut',
		typeVersion: 1,
		position: [220, 0],
		parameters: { fieldToSplitOut: 'body.jobs', options: {} },
	},
	pixverseNode(
		generateFromImage('={{ $json.prompt }}', { expectedTime: RETRY_JOB_MS / 1000, maxWait: 1 }),
	),
]);

beforeAll(async () => {
	real = await prepareRealN8n();
	redis = await startRedis();
	instance = newInstance(real, queueModeEnv(redis.port));
	for (const workflow of [crashWorkflow, getResultWorkflow, retryWorkflow]) {
		importWorkflow(instance, workflow, real.credential);
		instance.cli(['publish:workflow', `--id=${workflow.id}`]);
	}
	main = await startServer(instance, { N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '0.1' });
	const owner = await setUpOwner(instance);
	rest = restApi(owner.base, owner.cookie);
}, 900_000);
afterEach(async () => {
	for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
});
afterAll(async () => {
	await main?.stop();
	await redis?.stop();
	instance?.remove();
	await real?.simulator.close();
});
beforeEach(() => real.simulator.reset());

// Each test's own work plus room for two slow worker start-ups.
jest.setTimeout(2 * WORKER_START_TIMEOUT_MS + 120_000);

async function worker(index: number) {
	const started = await startWorker(instance, index, { concurrency: 2, env: FAST_STALL_DETECTION });
	cleanUps.push(() => started.stop());
	return started;
}

const post = (path: string, body: unknown) => postToWebhook(instance, path, body);

function expectNoApiKeyIn(...outputs: string[]) {
	for (const output of outputs) expect(output).not.toContain(real.credential.apiKey);
}

test('a worker killed while waiting: one submit, the request ID in its log, Get Result recovers the video, billed once', async () => {
	real.simulator.configure({ jobMs: CRASH_JOB_MS });
	const doomed = await worker(0);

	const started = await post(WORKFLOWS.crash.path, { prompt: 'The subject waves at the camera' });
	expect(started.status).toBe(200);
	const [line, requestId, model, executionId, node, item] = await waitFor(
		'the worker to log the accepted job',
		async () => ACCEPTED_LINE.exec(doomed.output()) ?? undefined,
		120_000,
	);
	console.log(`The killed worker's log: ${line}`);
	expect([model, node, item]).toEqual(['pixverse-image2video', PIXVERSE, '0']);
	const [job] = real.simulator.jobs;
	expect(job.id).toBe(requestId);
	expect(job.finished).toBe(false);

	doomed.child.kill('SIGKILL');
	await new Promise((resolve) => doomed.child.once('exit', resolve));
	expect(real.simulator.generationRequests).toHaveLength(1);
	expectNoApiKeyIn(doomed.output(), main.output());

	// A fresh worker: it fails the dead worker's stalled job and runs Get Result.
	const survivor = await worker(1);
	const fetched = await post(WORKFLOWS.getResult.path, { requestId });
	if (fetched.status !== 200) console.log(survivor.output().slice(-3000));
	expect(fetched.status).toBe(200);
	expect(fetched.contentType).toMatch(/^video\/mp4/);
	expect(fetched.body.equals(real.simulator.video)).toBe(true);

	// What n8n makes of the crashed execution (printed for the notes): the live worker fails the
	// dead worker's job as stalled, main marks the execution failed; none of its run data was saved.
	const crashed = await waitFor(
		`execution ${executionId} to leave "running"`,
		async () => {
			const execution = await rest.execution(executionId);
			return ['running', 'new'].includes(execution.status) ? undefined : execution;
		},
		120_000,
	);
	const crashMessage = crashed.data.resultData.error?.message;
	console.log(`Crashed execution ${executionId}: status "${crashed.status}": ${crashMessage}`);
	expect(crashed.status).not.toBe('success');
	expect(crashed.data.resultData.runData[PIXVERSE]).toBeUndefined();

	// n8n's Retry of it has nothing to resume from: it ends without running the node again.
	const retried = (await rest.call('POST', `/executions/${executionId}/retry`, {
		loadWorkflow: false,
	})) as { id: string; status: string };
	console.log(`Its retry, execution ${retried.id}: status "${retried.status}"`);
	expect(retried.status).not.toBe('success');

	expect(real.simulator.generationRequests).toHaveLength(1);
	expect(real.simulator.billedGenerations).toBe(1);
	expectNoApiKeyIn(survivor.output(), main.output());
});

test("n8n's Retry execution reuses both accepted jobs: two videos, two submits, two billed", async () => {
	real.simulator.configure({ jobMs: RETRY_JOB_MS });
	const runner = await worker(2);

	const started = await post(WORKFLOWS.retry.path, {
		jobs: [
			{ prompt: 'The subject waves at the camera' },
			{ prompt: 'The camera slowly circles the subject at sunset' },
		],
	});
	expect(started.status).toBe(200);
	const failed = await waitFor(
		'the run to fail at Max Wait',
		async () => {
			const [latest] = await rest.executions(WORKFLOWS.retry.id);
			return latest?.status === 'error' ? latest : undefined;
		},
		120_000,
	);
	const jobIds = real.simulator.jobs.map((job) => job.id);
	expect(jobIds).toHaveLength(2);
	await waitFor(
		'both jobs to finish at Segmind',
		async () => (real.simulator.jobs.every((job) => job.finished) ? true : undefined),
		60_000,
	);

	const execution = await rest.retry(failed.id, 120_000);
	if (execution.status !== 'success') console.log(runner.output().slice(-4000));
	expect(execution).toMatchObject({ status: 'success', mode: 'retry', retryOf: failed.id });
	const items = execution.data.resultData.runData[PIXVERSE].at(-1)?.data?.main[0] as ItemData[];
	expect(items.map((item) => item.json.requestId)).toEqual(jobIds);
	expect(items.map((item) => item.json.reusedJob)).toEqual([true, true]);
	for (const item of items) {
		expect(item.binary?.data).toMatchObject({ mimeType: 'video/mp4' });
		const stored = await rest.binaryData(String(item.binary?.data.id));
		expect(stored.equals(real.simulator.video)).toBe(true);
	}
	expect(real.simulator.generationRequests).toHaveLength(2);
	expect(real.simulator.billedGenerations).toBe(2);
	expect(runner.output()).toMatch(/reusing Segmind job/);
	expectNoApiKeyIn(runner.output(), main.output());
});
