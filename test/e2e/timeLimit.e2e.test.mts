/**
 * n8n's execution time limit, scaled down: EXECUTIONS_TIMEOUT=30 stands for n8n Cloud's 300 s,
 * Hand Off After 24 for the node's default 240 s, and jobs of 90 s for Motion Control, Extend and
 * V6 runs that take several of those limits. examples/long-job-across-executions.json, started
 * by a webhook, must turn each job into its video across executions: every video arrives once,
 * each job is submitted and billed once, and no execution is cancelled by the limit.
 *
 * The same in queue mode, where a worker runs every round. A run from before the hand-off (an
 * item allowed to wait past the limit) is cancelled by n8n; its Retry execution must reuse the
 * accepted job rather than pay again.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	importWorkflow,
	queueModeEnv,
	readExample,
	restApi,
	setUpOwner,
	startRedis,
	startServer,
	startWorker,
	postToWebhook,
	waitFor,
	WORKER_START_TIMEOUT_MS,
	type ExecutionSummary,
	type Instance,
	type ItemData,
	type Process,
} from '../harness/n8nHost.mts';
import { formatTable } from '../bench/report.mts';
import { INPUTS } from '../fixtures/modelCases.mts';
import { newInstance, prepareRealN8n, withParameters, type RealN8n } from './realN8n.mts';

const LIMIT_SECONDS = 30;
const HAND_OFF_SECONDS = 24;
const JOB_MS = 90_000;

/** The three long jobs of the issue, each in a copy of the example with its own webhook. */
const LONG_JOBS = [
	{ operation: 'copyMotion', model: 'pixverse-mimic', quality: '540p' },
	{ operation: 'extendVideo', model: 'pixverse-5-extend', quality: '540p', duration: 5 },
	{ operation: 'generateFromImage', model: 'pixverse-v6', quality: '540p', duration: 5 },
].map((job, index) => ({
	...job,
	workflowId: `pixverseLimit0${index + 1}`,
	path: `pixverse-limit-${job.model}`,
	webhookId: `7d1e2f3a-6a55-4a51-9d2f-7c1e0a0e02${index}1`,
}));

/** A run as before the hand-off: the item may wait past the limit, and n8n cancels the run. */
const OLD_STYLE = {
	workflowId: 'pixverseLimitOld01',
	path: 'pixverse-limit-old-style',
	jobMs: 40_000,
};
const oldStyleWorkflow = {
	id: OLD_STYLE.workflowId,
	name: 'Time limit: an item waiting past it',
	nodes: [
		{
			id: 'webhook',
			name: 'Run',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '7d1e2f3a-6a55-4a51-9d2f-7c1e0a0e0299',
			parameters: {
				httpMethod: 'POST',
				path: OLD_STYLE.path,
				responseMode: 'onReceived',
				options: {},
			},
		},
		{
			id: 'pixverse',
			name: 'Pixverse',
			type: 'n8n-nodes-segmind-pixverse.pixverse',
			typeVersion: 1,
			position: [220, 0],
			parameters: {
				resource: 'video',
				operation: 'generateFromImage',
				...INPUTS.generateFromImage,
				options: { handOffAfter: 600, expectedTime: OLD_STYLE.jobMs / 1000 },
			},
		},
	],
	connections: { Run: { main: [[{ node: 'Pixverse', type: 'main', index: 0 }]] } },
	active: false,
	settings: { executionOrder: 'v1' },
};

let real: RealN8n;

/** A started n8n with the long-job workflows published, and its REST API as the editor uses it. */
type N8n = { instance: Instance; processes: Process[]; rest: ReturnType<typeof restApi> };
let regular: N8n;

/** The example started by a webhook instead of its manual trigger, writing into this n8n's folder. */
function longJobWorkflow(instance: Instance, job: (typeof LONG_JOBS)[number]) {
	const example = readExample('long-job-across-executions.json');
	const nodes = (example.nodes as Array<Record<string, unknown>>).map((node) =>
		node.name === 'Run'
			? {
					id: 'webhook',
					name: 'Run',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					position: node.position,
					webhookId: job.webhookId,
					parameters: {
						httpMethod: 'POST',
						path: job.path,
						responseMode: 'onReceived',
						options: {},
					},
				}
			: node,
	);
	const { operation, model, quality, duration } = job;
	return withParameters(
		{ ...example, id: job.workflowId, name: `Time limit: ${model}`, nodes },
		{
			'Copy motion': {
				operation,
				model,
				...INPUTS[operation],
				quality,
				...(duration ? { duration } : {}),
				options: { handOffAfter: HAND_OFF_SECONDS },
			},
			'Get the video': { options: { handOffAfter: HAND_OFF_SECONDS } },
			'Save video to disk': {
				fileName: `=${instance.userFolder}/videos/${model}-{{ $json.fileName }}`,
			},
		},
	);
}

type NodeRun = { startTime: number; executionTime: number; data?: { main: ItemData[][] } };

/** A node's run in an execution, as the editor shows it: its items and when it ended. */
async function runOf(rest: N8n['rest'], execution: ExecutionSummary, node: string) {
	const { data } = await rest.execution(execution.id);
	const [run] = (data.resultData.runData[node] ?? []) as unknown as NodeRun[];
	return {
		items: run?.data?.main?.[0] ?? [],
		endedAt: run ? run.startTime + run.executionTime : 0,
	};
}

/** An n8n under the limit, with the workflows published; in queue mode with one worker. */
async function startN8n(env: Record<string, string> = {}): Promise<N8n> {
	const limit = { EXECUTIONS_TIMEOUT: String(LIMIT_SECONDS) };
	const instance = newInstance(real, { ...env, ...limit });
	for (const workflow of [
		...LONG_JOBS.map((job) => longJobWorkflow(instance, job)),
		oldStyleWorkflow,
	]) {
		importWorkflow(instance, workflow, real.credential);
		instance.cli(['publish:workflow', `--id=${String(workflow.id)}`]);
	}
	const processes = [await startServer(instance)];
	if (env.EXECUTIONS_MODE === 'queue')
		processes.push(await startWorker(instance, 0, { concurrency: 5 }));
	const owner = await setUpOwner(instance);
	return { instance, processes, rest: restApi(owner.base, owner.cookie) };
}

async function stopN8n(n8n: N8n | undefined) {
	for (const process of n8n?.processes.reverse() ?? []) await process.stop();
	n8n?.instance.remove();
}

beforeAll(async () => {
	real = await prepareRealN8n();
	regular = await startN8n();
}, 900_000);
afterAll(async () => {
	await stopN8n(regular);
	await real?.simulator.close();
});
beforeEach(() => real.simulator.reset());

jest.setTimeout(6 * 60_000 + WORKER_START_TIMEOUT_MS);

/**
 * Starts each long job by its webhook and follows it to its video: every round an execution that
 * ended within the limit, the first handing the job on as pending, the last with the video.
 */
async function expectEveryLongJobDelivered({ instance, processes, rest }: N8n) {
	real.simulator.configure({
		jobMsByModel: Object.fromEntries(LONG_JOBS.map((job) => [job.model, JOB_MS])),
	});
	const output = () => processes.map((process) => process.output()).join('\n');
	const figures: string[][] = [];
	const videosDir = join(instance.userFolder, 'videos');
	mkdirSync(videosDir, { recursive: true });
	for (const job of LONG_JOBS) {
		expect((await postToWebhook(instance, job.path, {})).status).toBe(200);
	}

	for (const job of LONG_JOBS) {
		const executions = await waitFor(
			`the ${job.model} video on disk and every execution ended`,
			async () => {
				const all = await rest.executions(job.workflowId);
				const ended = all.every((execution) => !['running', 'new'].includes(execution.status));
				const saved = readdirSync(videosDir).some((name) => name.startsWith(`${job.model}-`));
				return saved && ended ? all : undefined;
			},
			4 * 60_000,
		).catch((error: Error) => {
			throw new Error(`${error.message}\n${output().slice(-4000)}`);
		});

		// No execution was cancelled by the limit, and each ended within it.
		expect(executions.map((execution) => execution.status)).toEqual(
			executions.map(() => 'success'),
		);
		for (const execution of executions) {
			const seconds =
				(Date.parse(String(execution.stoppedAt)) - Date.parse(String(execution.startedAt))) / 1000;
			expect(seconds).toBeLessThan(LIMIT_SECONDS);
		}
		// The first execution handed the job on as pending, with its request ID.
		const [jobAtSegmind] = real.simulator.jobs.filter((queued) => queued.model === job.model);
		const first = executions.at(-1)!;
		const [pending] = (await runOf(rest, first, 'Copy motion')).items;
		expect(pending.json).toMatchObject({
			status: 'pending',
			requestId: jobAtSegmind.id,
			model: job.model,
		});
		// Later executions picked it up from the pending item and handed it on until it was done.
		expect(executions.length).toBeGreaterThanOrEqual(Math.ceil(JOB_MS / 1000 / HAND_OFF_SECONDS));
		const last = await runOf(rest, executions[0], 'Get the video');
		expect(last.items[0].json).toMatchObject({
			status: 'completed',
			requestId: jobAtSegmind.id,
			model: job.model,
		});
		figures.push([
			job.model,
			String(executions.length),
			String(jobAtSegmind.statusChecks),
			`${((last.endedAt - jobAtSegmind.finishedAt!) / 1000).toFixed(1)} s`,
		]);
	}
	// The closing figures of this run, when asked for (PIXVERSE_PRINT_FIGURES=1).
	if (process.env.PIXVERSE_PRINT_FIGURES) {
		const header = ['model (90 s job)', 'executions', 'status checks', 'job end to video'];
		process.stdout.write(`${formatTable(header, figures)}\n`);
	}
	const videos = readdirSync(videosDir);
	expect(videos).toHaveLength(LONG_JOBS.length);
	for (const name of videos) {
		expect(readFileSync(join(videosDir, name)).equals(real.simulator.video)).toBe(true);
	}
	expect(real.simulator.generationRequests).toHaveLength(LONG_JOBS.length);
	expect(real.simulator.billedByModel()).toEqual(
		Object.fromEntries(LONG_JOBS.map((job) => [job.model, 1])),
	);
	expect(output()).not.toContain(real.credential.apiKey);
	return output();
}

test('Motion Control, Extend and V6 jobs of 90 s under a 30 s limit: each video once, billed once, nothing cancelled', async () => {
	await expectEveryLongJobDelivered(regular);
});

test('the same in queue mode: a worker runs every round, each video once, billed once, nothing cancelled', async () => {
	const redis = await startRedis();
	let queue: N8n | undefined;
	try {
		queue = await startN8n(queueModeEnv(redis.port));
		const output = await expectEveryLongJobDelivered(queue);
		expect(output).toMatch(/Worker started execution \d+/);
	} finally {
		await stopN8n(queue);
		await redis.stop();
	}
});

test("n8n's Retry of a run the limit cancelled reuses its accepted job: one submit, one video, billed once", async () => {
	const { instance, rest } = regular;
	real.simulator.configure({ jobMs: OLD_STYLE.jobMs });
	expect((await postToWebhook(instance, OLD_STYLE.path, {})).status).toBe(200);
	const cancelled = await waitFor(
		'the limit to cancel the run',
		async () => {
			const [latest] = await rest.executions(OLD_STYLE.workflowId);
			return latest && !['running', 'new'].includes(latest.status) ? latest : undefined;
		},
		90_000,
	);
	expect(cancelled.status).toBe('canceled');
	const [job] = real.simulator.jobs;
	expect(job).toBeDefined();

	const execution = await rest.retry(cancelled.id, 90_000);
	expect(execution).toMatchObject({ status: 'success', mode: 'retry' });
	const [item] = (await runOf(rest, execution, 'Pixverse')).items;
	expect(item.json).toMatchObject({ status: 'completed', requestId: job.id, reusedJob: true });
	expect(real.simulator.generationRequests).toHaveLength(1);
	expect(real.simulator.billedGenerations).toBe(1);
});
