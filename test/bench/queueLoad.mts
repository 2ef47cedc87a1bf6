/**
 * `npm run bench:queue`: many executions on one Segmind account. n8n 2.41.1 in queue mode (Redis,
 * one main, two workers) runs 10 webhook executions of 20 items each, all started together, with
 * the node in Wait for Video against the local simulator, which allows 5 generations at once and
 * answers 429 (Retry-After: 1 s) beyond. The executions share nothing but what each worker's
 * limiter of the account learns from Segmind's answers; the two workers share nothing at all.
 *
 * Prints the figures (wall time against the ideal, the 429s, the retries) and exits non-zero
 * when an item ended without its video, when an execution failed, or when Segmind billed anything
 * but exactly one generation per item.
 *
 * The node runs with its default options, but for Expected Generation Time set to the
 * simulator's job time (the default plans status checks for a real 60 s generation). Knobs:
 * BENCH_QUEUE_JOB_MS (default 1500), BENCH_QUEUE_EXECUTIONS (10), BENCH_QUEUE_ITEMS (20),
 * BENCH_QUEUE_OPTIONS (JSON merged into the node's Options, e.g. '{"rateLimitRetries":5}').
 *
 * BENCH_QUEUE_PER_MINUTE (e.g. 5 like Segmind's free plan, 50 like Pro) makes the account a
 * per-minute one instead: that many generations in any window of BENCH_QUEUE_WINDOW_MS (default
 * the job time: a minute scaled as a one-minute generation is), no limit on jobs at once, and a
 * 429 whose reset time says when the window frees a slot.
 */
import { request } from 'node:http';
import { cpus, loadavg } from 'node:os';

import {
	createInstance,
	ensureN8n,
	importCredential,
	importWorkflow,
	N8N_VERSION,
	NODE_TYPE,
	packThisPackage,
	queueModeEnv,
	restApi,
	setUpOwner,
	startRedis,
	startServer,
	startWorker,
	waitForWebhook,
	type Process,
} from '../harness/n8nHost.mts';
import { startSegmindSimulator } from '../simulator/segmind-simulator.mts';
import { formatTable, ratio, type Row } from './report.mts';
import { temporaryFolder } from '../harness/temporaryFolder.mts';

const API_KEY = 'SG_benchqueue0123ab';
const JOB_MS = Number(process.env.BENCH_QUEUE_JOB_MS ?? 1500);
const EXECUTIONS = Number(process.env.BENCH_QUEUE_EXECUTIONS ?? 10);
const ITEMS = Number(process.env.BENCH_QUEUE_ITEMS ?? 20);
const EXTRA_OPTIONS = JSON.parse(process.env.BENCH_QUEUE_OPTIONS ?? '{}') as Record<
	string,
	unknown
>;
/** What the Segmind account allows at once (the simulator's maxConcurrent)... */
const ACCOUNT_CONCURRENCY = 5;
/** ...or, instead, per window (the simulator's requestsPerMinute, its minute scaled). */
const PER_WINDOW = process.env.BENCH_QUEUE_PER_MINUTE
	? Number(process.env.BENCH_QUEUE_PER_MINUTE)
	: undefined;
const WINDOW_MS = Number(process.env.BENCH_QUEUE_WINDOW_MS ?? JOB_MS);
const ACCOUNT =
	PER_WINDOW === undefined
		? `${ACCOUNT_CONCURRENCY} generations at once, 429 with Retry-After: 1 s beyond`
		: `${PER_WINDOW} generations per ${WINDOW_MS} ms window (a minute scaled), 429 with the time a slot frees beyond`;
const WORKERS = 2;
/** Enough for every execution to run at once on either worker. */
const WORKER_CONCURRENCY = 10;
const WORKFLOW_ID = 'pixverseQueueLoad';
const WEBHOOK_PATH = 'pixverse-load';
const PIXVERSE = 'Pixverse';
const IMAGE_URL =
	'https://segmind-resources.s3.amazonaws.com/input/783a73f1-bdf8-441c-982c-b7cd75d80df9-pixverse-i2v-ip.webp';

function step(message: string) {
	process.stderr.write(`[bench:queue] ${message}\n`);
}

/** The key is a simulator key, but a benchmark prints what n8n said: never the key with it. */
const redacted = (text: string) => text.split(API_KEY).join('[api key]');

/** Webhook (answers with the node's items once the run ends) -> one item per job -> Pixverse. */
function loadWorkflow() {
	const nodes = [
		{
			id: 'webhook',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '7b0e5a52-1f4c-4a51-9d2f-7c1e0a0e0201',
			parameters: {
				httpMethod: 'POST',
				path: WEBHOOK_PATH,
				responseMode: 'lastNode',
				responseData: 'allEntries',
				options: {},
			},
		},
		{
			id: 'split',
			name: 'One item per job',
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [220, 0],
			parameters: { fieldToSplitOut: 'body.jobs', options: {} },
		},
		{
			id: 'pixverse',
			name: PIXVERSE,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [440, 0],
			parameters: {
				resource: 'video',
				operation: 'generateFromImage',
				imageUrl: IMAGE_URL,
				prompt: '={{ $json.prompt }}',
				quality: '540p',
				motionMode: 'normal',
				duration: 5,
				options: { expectedTime: JOB_MS / 1000, ...EXTRA_OPTIONS },
			},
		},
	];
	const next = (name: string) => ({ main: [[{ node: name, type: 'main', index: 0 }]] });
	return {
		id: WORKFLOW_ID,
		name: 'Queue load: 20 videos per call',
		nodes,
		connections: { Webhook: next('One item per job'), 'One item per job': next(PIXVERSE) },
		active: false,
		settings: { executionOrder: 'v1' },
	};
}

const promptOf = (execution: number, item: number) => `execution ${execution} item ${item}`;

/**
 * One webhook call, held open until its execution ends. node:http rather than fetch: fetch gives
 * up on an answer whose headers take more than 300 s.
 */
function callWebhook(port: number, execution: number) {
	const body = JSON.stringify({
		jobs: Array.from({ length: ITEMS }, (_, item) => ({ prompt: promptOf(execution, item) })),
	});
	return new Promise<{ status: number; body: string; endedAt: number }>((resolve, reject) => {
		const call = request(
			{
				host: '127.0.0.1',
				port,
				path: `/webhook/${WEBHOOK_PATH}`,
				method: 'POST',
				headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
			},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk: string) => (text += chunk));
				response.on('end', () =>
					resolve({ status: response.statusCode ?? 0, body: text, endedAt: Date.now() }),
				);
			},
		);
		call.on('error', reject);
		call.end(body);
	});
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main() {
	const loadBefore = loadavg()[0];
	ensureN8n();
	const tarball = packThisPackage(temporaryFolder('pixverse-bench-pack'));
	const simulator = await startSegmindSimulator({
		apiKey: API_KEY,
		jobMs: JOB_MS,
		...(PER_WINDOW === undefined
			? { maxConcurrent: ACCOUNT_CONCURRENCY, retryAfterSeconds: 1 }
			: { requestsPerMinute: PER_WINDOW, rateLimitWindowMs: WINDOW_MS }),
	});
	const redis = await startRedis();
	const instance = createInstance(tarball, queueModeEnv(redis.port));
	const processes: Process[] = [];
	const problems: string[] = [];
	try {
		const credential = {
			id: 'segmind-pixverse',
			name: 'Segmind Pixverse account',
			apiKey: API_KEY,
			baseUrl: simulator.url,
		};
		importCredential(instance, credential);
		importWorkflow(instance, loadWorkflow(), credential);
		instance.cli(['publish:workflow', `--id=${WORKFLOW_ID}`]);
		step(`starting n8n ${N8N_VERSION} in queue mode: main and ${WORKERS} workers ...`);
		const main = await startServer(instance);
		processes.push(main);
		for (let index = 0; index < WORKERS; index++) {
			processes.push(await startWorker(instance, index, { concurrency: WORKER_CONCURRENCY }));
		}
		const workers = processes.slice(1);
		const owner = await setUpOwner(instance);
		const rest = restApi(owner.base, owner.cookie);
		await waitForWebhook(instance, WEBHOOK_PATH);
		simulator.reset();

		step(`${EXECUTIONS} executions x ${ITEMS} items at once, jobs of ${JOB_MS} ms, ${ACCOUNT} ...`);
		const startedAt = Date.now();
		const answers = await Promise.all(
			Array.from({ length: EXECUTIONS }, async (_, execution) => ({
				execution,
				...(await callWebhook(instance.port, execution)),
			})),
		);
		const wallMs = Math.max(...answers.map((answer) => answer.endedAt)) - startedAt;

		// Every item, as n8n stored it: its video in n8n's binary store, for the item asked.
		const executions = await rest.executions(WORKFLOW_ID);
		let itemsWithVideo = 0;
		for (const summary of executions) {
			const { data } = await rest.execution(summary.id);
			if (summary.status !== 'success') {
				const error = data.resultData.error?.message ?? 'no error message';
				problems.push(`execution ${summary.id} ended "${summary.status}": ${redacted(error)}`);
				continue;
			}
			const items = data.resultData.runData[PIXVERSE]?.[0]?.data?.main[0] ?? [];
			for (const item of items) {
				const video = item.binary?.data as { mimeType?: string; fileSize?: unknown } | undefined;
				if (item.error || video?.mimeType !== 'video/mp4') {
					problems.push(
						`execution ${summary.id}: an item without its video: ${redacted(JSON.stringify(item.error ?? item.json).slice(0, 300))}`,
					);
				} else itemsWithVideo++;
			}
		}
		for (const answer of answers) {
			if (answer.status !== 200) {
				problems.push(
					`webhook call ${answer.execution}: HTTP ${answer.status} ${redacted(answer.body.slice(0, 300))}`,
				);
				continue;
			}
			const prompts = (JSON.parse(answer.body) as Array<{ request?: { prompt?: string } }>).map(
				(item) => item.request?.prompt,
			);
			const asked = Array.from({ length: ITEMS }, (_, item) => promptOf(answer.execution, item));
			if (JSON.stringify(prompts) !== JSON.stringify(asked)) {
				problems.push(`webhook call ${answer.execution}: its items are not the jobs it asked for`);
			}
		}

		const expected = EXECUTIONS * ITEMS;
		const submits = simulator.generationRequests;
		const attemptsByItem = new Map<string, number>();
		for (const submit of submits) {
			const prompt = String(submit.json?.prompt);
			attemptsByItem.set(prompt, (attemptsByItem.get(prompt) ?? 0) + 1);
		}
		const attempts = [...attemptsByItem.values()].sort((a, b) => a - b);
		const jobs = simulator.jobs;
		const firstAccepted = Math.min(...jobs.map((job) => job.submittedAt));
		const lastFinished = Math.max(...jobs.map((job) => job.finishedAt ?? Date.now()));
		// The last job starts when the account allows it, and takes a job's time.
		const idealMs =
			PER_WINDOW === undefined
				? Math.ceil(expected / ACCOUNT_CONCURRENCY) * JOB_MS
				: (Math.ceil(expected / PER_WINDOW) - 1) * WINDOW_MS + JOB_MS;
		const statusChecks = jobs.reduce((sum, job) => sum + job.statusChecks, 0);
		const downloaded = new Set(
			simulator.requests
				.filter((entry) => entry.path.startsWith('/media/') && entry.answeredStatus === 200)
				.map((entry) => entry.path),
		).size;
		if (simulator.billedGenerations !== expected) {
			problems.push(`billed ${simulator.billedGenerations} generations for ${expected} items`);
		}
		if (jobs.length !== expected)
			problems.push(`${jobs.length} jobs accepted for ${expected} items`);
		if (itemsWithVideo !== expected)
			problems.push(`${itemsWithVideo} of ${expected} items have their video`);

		const ranBy = workers.map(
			(worker) => (worker.output().match(/Worker started execution/g) ?? []).length,
		);
		const rows: Row[] = [
			['Executions started together', String(EXECUTIONS), ''],
			['Items (jobs) in all', String(expected), ''],
			[
				'Executions run by each worker',
				ranBy.join(' + '),
				`${WORKERS} workers, concurrency ${WORKER_CONCURRENCY}`,
			],
			[
				'Executions that succeeded',
				String(executions.filter((e) => e.status === 'success').length),
				`${EXECUTIONS}`,
			],
			['Items with their video', String(itemsWithVideo), `${expected}`],
			['Videos downloaded from the media host', String(downloaded), `${expected}`],
			['Billed generations', String(simulator.billedGenerations), `${expected}`],
			['Submits sent', String(submits.length), ''],
			['429s answered', String(simulator.rateLimitedRequests), ''],
			['Retried submits (submits - jobs accepted)', String(submits.length - jobs.length), ''],
			[
				'Attempts per item: median / max',
				`${attempts[Math.floor(attempts.length / 2)] ?? 0} / ${attempts.at(-1) ?? 0}`,
				'',
			],
			[
				'Most generations running at once',
				String(simulator.peakRunningJobs),
				PER_WINDOW === undefined ? `<= ${ACCOUNT_CONCURRENCY}` : '',
			],
			['Status checks', String(statusChecks), ''],
			[
				PER_WINDOW === undefined
					? `Ideal: jobs / ${ACCOUNT_CONCURRENCY} at once x job time`
					: `Ideal: (jobs / ${PER_WINDOW} - 1) windows + job time`,
				seconds(idealMs),
				'',
			],
			['Wall time: first call to last answer', seconds(wallMs), ''],
			['Wall time / ideal', `${ratio(wallMs, idealMs)}x`, ''],
			['Account busy: first accepted to last finished', seconds(lastFinished - firstAccepted), ''],
			['Account busy / ideal', `${ratio(lastFinished - firstAccepted, idealMs)}x`, ''],
		];
		console.log(
			`\nQueue mode load: n8n ${N8N_VERSION}, ${WORKERS} workers, ${cpus().length} cores, load average ${loadBefore.toFixed(2)} -> ${loadavg()[0].toFixed(2)}, ${new Date().toISOString()}`,
		);
		console.log(
			`Jobs of ${JOB_MS} ms, ${ACCOUNT}; node options ${JSON.stringify({ expectedTime: JOB_MS / 1000, ...EXTRA_OPTIONS })}\n`,
		);
		console.log(formatTable(['Measure', 'Value', 'Required'], rows));
		if (problems.length) {
			console.log(
				`\nFAILED (${problems.length} problems):\n${[...new Set(problems)].slice(0, 20).join('\n')}`,
			);
			process.exitCode = 1;
		} else {
			console.log('\nOK: every item has its video, billed exactly once each.');
		}
	} finally {
		for (const running of processes.reverse()) await running.stop();
		await redis.stop();
		await simulator.close();
		instance.remove();
	}
}

main().catch((error: unknown) => {
	console.error(redacted(String((error as Error)?.stack ?? error)));
	process.exit(1);
});
