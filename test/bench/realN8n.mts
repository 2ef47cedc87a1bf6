/**
 * `npm run bench:n8n`: this package's node against n8n's own HTTP Request node doing the same
 * call, in the pinned real n8n (`n8n execute`, one process per run) against the local Segmind
 * simulator. Prints medians and ratios; asserts nothing. See BENCHMARKS.md for what the rows mean.
 *
 * BENCH_REPEATS (default 5) sets how many runs each median is taken over (at most 3 for the
 * 100-item runs, about 25 s each).
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

import {
	createInstance,
	ensureN8n,
	executeWorkflow,
	importCredential,
	importWorkflow,
	N8N_VERSION,
	outputOf,
	packThisPackage,
	REPO_ROOT,
	type Instance,
	type ItemData,
} from '../harness/n8nHost.mts';
import { startSegmindSimulator, type SegmindSimulator } from '../simulator/segmind-simulator.mts';
import { IMAGE2VIDEO_SAMPLE_BODY } from '../fixtures/image2videoSample.mts';
import { bytes, formatTable, median, milliseconds, ratio, type Row } from './report.mts';
import {
	CALLER_NODE,
	httpRequestWorkflow,
	pixverseWorkflow,
	type HeaderAuthCredential,
	type Job,
} from './workflows.mts';
import { temporaryFolder } from '../harness/temporaryFolder.mts';

const API_KEY = 'SG_bench456789abcd';
/** Fixed generation time of the simulator: long enough to dominate, short enough for 100 items. */
const LATENCY_MS = 1000;
const VIDEO_BYTES = 5 * 1024 * 1024;
const BATCH_ITEMS = 100;
/** What a Segmind plan allows at once; the node's own Max Concurrent Requests default is also 5. */
const SEGMIND_CONCURRENCY = 5;
const REPEATS = Math.max(1, Number(process.env.BENCH_REPEATS ?? 5));
const BATCH_REPEATS = Math.min(REPEATS, 3);
const PEAK_RSS_PRELOAD = join(REPO_ROOT, 'test', 'bench', 'record-peak-rss.cjs');
const GENERATE_PATH = '/v1/pixverse-image2video';

type Caller = 'node' | 'http';
type BinaryMode = 'default' | 'filesystem';

const VALID_JOB: Job = { ...IMAGE2VIDEO_SAMPLE_BODY };
const INVALID_JOB: Job = { ...IMAGE2VIDEO_SAMPLE_BODY, quality: '1080p', duration: 8 };

/** Workflow ids: 16 characters, as n8n's own. */
const WORKFLOWS = {
	single: { node: 'benchNodeSingle1', http: 'benchHttpSingle1' },
	singleFixed: { node: 'benchNodeFixed01', http: 'benchHttpFixed01' },
	batch: { node: 'benchNodeBatch01', http: 'benchHttpBatch01' },
	invalid: { node: 'benchNodeInvalid', http: 'benchHttpInvalid' },
} as const;

type Measurement = {
	/** The calling node's own execution time, as n8n records it in the run data. */
	nodeMs: number;
	/** `n8n execute` from spawn to exit, start-up included. */
	processMs: number;
	/** From the node's start to the first request Segmind received. */
	firstRequestMs: number;
	/** The process's high-water mark, start-up included. */
	peakRssBytes: number;
	/** Highest RSS while the node ran, above the RSS when it started. */
	rssGrowthWhileNodeRuns: number;
	/** Highest RSS from the node's start to exit, above the RSS when it started: n8n then saves and prints the run. */
	rssGrowthUntilExit: number;
	items: ItemData[];
	generationRequests: number;
	rateLimited: number;
	billed: number;
};

function step(message: string) {
	process.stderr.write(`[bench] ${message}\n`);
}

/** The key is a simulator key, but a benchmark prints what n8n said: never the key with it. */
const redacted = (text: string) => text.split(API_KEY).join('[api key]');

function importHeaderAuthCredential(instance: Instance, credential: HeaderAuthCredential) {
	const file = join(instance.userFolder, 'header-auth.json');
	writeFileSync(
		file,
		JSON.stringify([
			{ ...credential, type: 'httpHeaderAuth', data: { name: 'x-api-key', value: API_KEY } },
		]),
	);
	instance.cli(['import:credentials', `--input=${file}`]);
	rmSync(file);
}

type RssRecord = {
	parentPid: number;
	peakRssBytes: number;
	/** [epoch milliseconds, RSS bytes] */
	rssTimeline: Array<[number, number]>;
};

function rssRecordOfWorkflowProcess(directory: string): RssRecord {
	for (const file of readdirSync(directory)) {
		const record = JSON.parse(readFileSync(join(directory, file), 'utf8')) as RssRecord;
		// `n8n execute` is this process's direct child; its task runners are grandchildren.
		if (record.parentPid === process.pid) return record;
	}
	throw new Error('n8n execute recorded no RSS');
}

/** RSS growth above the last sample before `from`, highest between `from` and `to`. */
function rssGrowth(timeline: Array<[number, number]>, from: number, to: number) {
	const before = timeline.filter(([time]) => time <= from).at(-1) ?? timeline[0];
	const during = timeline.filter(([time]) => time > from && time <= to).map(([, rss]) => rss);
	return Math.max(before[1], ...during) - before[1];
}

async function measure(
	instance: Instance,
	simulator: SegmindSimulator,
	workflowId: string,
	binaryMode: BinaryMode,
): Promise<Measurement> {
	const rssDirectory = temporaryFolder('pixverse-bench-rss');
	const { run, processMs } = await executeWorkflow(instance, workflowId, {
		N8N_DEFAULT_BINARY_DATA_MODE: binaryMode,
		NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require "${PEAK_RSS_PRELOAD}"`.trim(),
		PIXVERSE_BENCH_RSS_DIR: rssDirectory,
	});
	const { peakRssBytes, rssTimeline } = rssRecordOfWorkflowProcess(rssDirectory);
	rmSync(rssDirectory, { recursive: true, force: true });
	const task = run.data.resultData.runData[CALLER_NODE]?.[0] as
		| { startTime: number; executionTime: number }
		| undefined;
	if (task?.executionTime === undefined) {
		throw new Error(`${CALLER_NODE} did not run: ${redacted(JSON.stringify(run).slice(0, 2000))}`);
	}
	const nodeEnd = task.startTime + task.executionTime;
	const generations = simulator.requests.filter((request) => request.path === GENERATE_PATH);
	return {
		nodeMs: task.executionTime,
		processMs,
		firstRequestMs: generations.length ? generations[0].receivedAt - task.startTime : NaN,
		peakRssBytes,
		rssGrowthWhileNodeRuns: rssGrowth(rssTimeline, task.startTime, nodeEnd),
		rssGrowthUntilExit: rssGrowth(rssTimeline, task.startTime, Infinity),
		items: outputOf(run, CALLER_NODE),
		generationRequests: generations.length,
		rateLimited: generations.filter((request) => request.answeredStatus === 429).length,
		billed: simulator.billedGenerations,
	};
}

type Results = Record<Caller, Measurement[]>;

type Scenario = {
	workflows: Record<Caller, string>;
	binaryMode: BinaryMode;
	videoBytes?: number;
	maxConcurrent?: number;
};

/** Runs a scenario `repeats` times per caller, alternating node and HTTP Request so drifting load on a shared machine hits both alike. */
async function measureBoth(
	instance: Instance,
	simulator: SegmindSimulator,
	scenario: Scenario,
	repeats: number,
): Promise<Results> {
	const results: Results = { node: [], http: [] };
	for (let repeat = 0; repeat < repeats; repeat++) {
		for (const caller of ['node', 'http'] as const) {
			simulator.reset();
			simulator.configure({
				videoBytes: scenario.videoBytes,
				maxConcurrent: scenario.maxConcurrent,
			});
			results[caller].push(
				await measure(instance, simulator, scenario.workflows[caller], scenario.binaryMode),
			);
		}
	}
	return results;
}

function importWorkflows(instance: Instance, segmindUrl: string) {
	const pixverseCredential = {
		id: 'segmind-pixverse',
		name: 'Segmind Pixverse account',
		apiKey: API_KEY,
		baseUrl: segmindUrl,
	};
	const headerAuth = { id: 'segmindHeaderAuth', name: 'Segmind x-api-key header' };
	importCredential(instance, pixverseCredential);
	importHeaderAuthCredential(instance, headerAuth);
	const jobsOf = {
		single: [VALID_JOB],
		batch: Array<Job>(BATCH_ITEMS).fill(VALID_JOB),
		invalid: [INVALID_JOB],
	};
	for (const kind of ['single', 'batch', 'invalid'] as const) {
		const { node, http } = WORKFLOWS[kind];
		importWorkflow(instance, pixverseWorkflow(node, jobsOf[kind]), pixverseCredential);
		importWorkflow(
			instance,
			httpRequestWorkflow(http, jobsOf[kind], segmindUrl, headerAuth),
			pixverseCredential,
		);
	}
	const { node, http } = WORKFLOWS.singleFixed;
	importWorkflow(instance, pixverseWorkflow(node, jobsOf.single, 'fixed'), pixverseCredential);
	importWorkflow(
		instance,
		httpRequestWorkflow(http, jobsOf.single, segmindUrl, headerAuth, 'fixed'),
		pixverseCredential,
	);
}

/** A figure of each caller's runs. */
type Figure = (caller: Caller) => number;

const medianOf =
	(results: Results, pick: (m: Measurement) => number): Figure =>
	(caller) =>
		median(results[caller].map(pick));

/** One table row: the figure for the node and for HTTP Request, and their ratio. */
function row(label: string, figure: Figure, format: (value: number) => string, target = ''): Row {
	const node = figure('node');
	const http = figure('http');
	return [label, format(node), format(http), ratio(node, http), target];
}

const timesVideo = (value: number) => `${(value / VIDEO_BYTES).toFixed(2)}x video`;
const count = (value: number) => String(value);
const successes = (m: Measurement) => m.items.filter((item) => item.binary && !item.error).length;

function errorMessageOf(item: ItemData | undefined) {
	const error = item?.error?.message ?? item?.json.error;
	const message = typeof error === 'object' ? (error as { message?: string }).message : error;
	return redacted(String(message ?? 'no error item'));
}

async function main() {
	const startedAt = Date.now();
	const loadBefore = loadavg()[0];
	ensureN8n();
	const tarball = packThisPackage(temporaryFolder('pixverse-bench-pack'));
	const simulator = await startSegmindSimulator({ apiKey: API_KEY, latencyMs: LATENCY_MS });
	const sampleBytes = simulator.video.length;
	const instance = createInstance(tarball);
	try {
		importWorkflows(instance, simulator.url);

		const memory = {} as Record<BinaryMode, { withVideo: Results; withSample: Results }>;
		for (const binaryMode of ['default', 'filesystem'] as const) {
			step(
				`one item, binary data mode ${binaryMode}, ${bytes(VIDEO_BYTES)} then ${bytes(sampleBytes)} video, ${REPEATS} runs each ...`,
			);
			const withVideo = await measureBoth(
				instance,
				simulator,
				{ workflows: WORKFLOWS.single, binaryMode, videoBytes: VIDEO_BYTES },
				REPEATS,
			);
			const withSample = await measureBoth(
				instance,
				simulator,
				{ workflows: WORKFLOWS.single, binaryMode },
				REPEATS,
			);
			memory[binaryMode] = { withVideo, withSample };
		}
		step(
			`${BATCH_ITEMS} items, ${SEGMIND_CONCURRENCY} concurrent generations allowed, filesystem mode ...`,
		);
		const batch = await measureBoth(
			instance,
			simulator,
			{
				workflows: WORKFLOWS.batch,
				binaryMode: 'filesystem',
				videoBytes: VIDEO_BYTES,
				maxConcurrent: SEGMIND_CONCURRENCY,
			},
			BATCH_REPEATS,
		);
		step(`one item, fields fixed in the node, ${REPEATS} runs each ...`);
		const fixedFields = await measureBoth(
			instance,
			simulator,
			{ workflows: WORKFLOWS.singleFixed, binaryMode: 'default', videoBytes: VIDEO_BYTES },
			REPEATS,
		);
		step('an invalid combination (1080p, 8 s) ...');
		const invalid = await measureBoth(
			instance,
			simulator,
			{ workflows: WORKFLOWS.invalid, binaryMode: 'default' },
			REPEATS,
		);

		const fieldsFromItem = memory.default.withVideo;
		const idealMs = Math.ceil(BATCH_ITEMS / SEGMIND_CONCURRENCY) * LATENCY_MS;
		const rows: Row[] = [];
		for (const [fields, results] of [
			['fields from the item', fieldsFromItem],
			['fixed fields', fixedFields],
		] as const) {
			rows.push(
				row(
					`1 item, ${fields}: wall time`,
					medianOf(results, (m) => m.nodeMs),
					milliseconds,
					'ratio <= 1.0',
				),
				row(
					`1 item, ${fields}: overhead over ${LATENCY_MS} ms`,
					medianOf(results, (m) => m.nodeMs - LATENCY_MS),
					milliseconds,
					'node <= 50 ms',
				),
			);
		}
		rows.push(
			row(
				'n8n execute, start to exit',
				medianOf(fieldsFromItem, (m) => m.processMs),
				milliseconds,
			),
		);
		for (const binaryMode of ['default', 'filesystem'] as const) {
			const { withVideo, withSample } = memory[binaryMode];
			const mode = binaryMode === 'default' ? 'In-memory' : 'Filesystem';
			// What the video adds: the figure with it, minus the figure with the tiny sample.
			const videoShare =
				(pick: (m: Measurement) => number): Figure =>
				(caller) =>
					medianOf(withVideo, pick)(caller) - medianOf(withSample, pick)(caller);
			rows.push(
				row(
					`${mode}: peak RSS of the process`,
					medianOf(withVideo, (m) => m.peakRssBytes),
					bytes,
				),
				row(
					`${mode}: RSS growth while the node runs`,
					medianOf(withVideo, (m) => m.rssGrowthWhileNodeRuns),
					bytes,
				),
				row(
					`${mode}: same with a ${bytes(sampleBytes)} video`,
					medianOf(withSample, (m) => m.rssGrowthWhileNodeRuns),
					bytes,
				),
				row(
					`${mode}: growth due to the video`,
					videoShare((m) => m.rssGrowthWhileNodeRuns),
					timesVideo,
					'node <= 2x',
				),
				row(
					`${mode}: growth due to it, until exit`,
					videoShare((m) => m.rssGrowthUntilExit),
					timesVideo,
				),
			);
		}
		rows.push(
			row(`${BATCH_ITEMS} items: videos`, medianOf(batch, successes), count, `node ${BATCH_ITEMS}`),
			row(
				`${BATCH_ITEMS} items: 429s seen`,
				medianOf(batch, (m) => m.rateLimited),
				count,
			),
			row(
				`${BATCH_ITEMS} items: billed generations`,
				medianOf(batch, (m) => m.billed),
				count,
				`node ${BATCH_ITEMS}`,
			),
			row(
				`${BATCH_ITEMS} items: first request after`,
				medianOf(batch, (m) => m.firstRequestMs),
				milliseconds,
			),
			row(
				`${BATCH_ITEMS} items: wall time`,
				medianOf(batch, (m) => m.nodeMs),
				milliseconds,
			),
			row(
				`${BATCH_ITEMS} items: (wall - ideal) / items`,
				medianOf(batch, (m) => (m.nodeMs - idealMs) / BATCH_ITEMS),
				milliseconds,
			),
			row(
				`${BATCH_ITEMS} items: wall time / ideal ${idealMs / 1000} s`,
				medianOf(batch, (m) => m.nodeMs / idealMs),
				(value) => `${value.toFixed(2)}x`,
				'node <= 1.1x',
			),
			row(
				'Invalid 1080p + 8 s: requests sent',
				medianOf(invalid, (m) => m.generationRequests),
				count,
				'node 0',
			),
			row(
				'Invalid 1080p + 8 s: time to the error',
				medianOf(invalid, (m) => m.nodeMs),
				milliseconds,
			),
		);

		console.log('');
		console.log(
			`Pixverse node / HTTP Request node: n8n ${N8N_VERSION} (n8n execute), ${cpus().length} cores, load average ${loadBefore.toFixed(2)} -> ${loadavg()[0].toFixed(2)}, ${new Date(startedAt).toISOString()}`,
		);
		console.log(
			`Simulator latency ${LATENCY_MS} ms, video ${bytes(VIDEO_BYTES)}; medians of ${REPEATS} runs (${BATCH_ITEMS} items: ${BATCH_REPEATS} runs, filesystem mode, ${SEGMIND_CONCURRENCY} concurrent generations allowed)`,
		);
		console.log('');
		console.log(
			formatTable(['Measure', 'Pixverse node', 'HTTP Request', 'node / HTTP', 'Target'], rows),
		);
		console.log('');
		console.log(`Invalid combination, the node says: ${errorMessageOf(invalid.node[0].items[0])}`);
		console.log(
			`Invalid combination, HTTP Request says: ${errorMessageOf(invalid.http[0].items[0])}`,
		);
		console.log(
			`${BATCH_ITEMS} items, HTTP Request's first error: ${errorMessageOf(batch.http[0].items.find((item) => !item.binary))}`,
		);
		console.log(`Benchmark took ${Math.round((Date.now() - startedAt) / 1000)} s`);
	} finally {
		instance.remove();
		await simulator.close();
	}
}

main().catch((error: Error) => {
	console.error(`bench failed: ${redacted(error.stack ?? error.message)}`);
	process.exit(1);
});
