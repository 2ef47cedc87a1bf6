/**
 * The common case: one execution of 100 items against an account that runs 5 generations at
 * once, in n8n-core's engine against the simulator. Max Concurrent Requests (5, the default)
 * keeps it from ever meeting a 429 in Single Request; in Wait for Video the submits answer at
 * once, so the account's 429s (Retry-After: 1 s) and the node's handling of them decide the time.
 * Prints a table; asserts only that every item made a video, billed once, never a time.
 */
import { formatTable, ratio, type Row } from './report.mts';
import { IMAGE2VIDEO_SAMPLE_BODY } from '../fixtures/image2videoSample.mts';
import { runPixverse } from '../harness/engine.mts';
import { startSegmindSimulator, type SegmindSimulator } from '../simulator/segmind-simulator.mts';

const API_KEY = 'SG_bench0123456789';
const ITEMS = 100;
const ACCOUNT_CONCURRENCY = 5;
/** A generation (Single Request) and a queued job (Wait for Video), scaled down from a minute. */
const GENERATION_MS = 1000;
const JOB_MS = 1500;

let simulator: SegmindSimulator;

beforeAll(async () => {
	simulator = await startSegmindSimulator({
		apiKey: API_KEY,
		latencyMs: GENERATION_MS,
		jobMs: JOB_MS,
		maxConcurrent: ACCOUNT_CONCURRENCY,
		retryAfterSeconds: 1,
	});
});
afterAll(async () => {
	await simulator.close();
});

type Mode = { label: string; mode: string; options: Record<string, unknown>; jobMs: number };

const MODES: Mode[] = [
	{ label: 'Single Request', mode: 'singleRequest', options: {}, jobMs: GENERATION_MS },
	// Expected Generation Time at the job's: the default plans checks for a one-minute job.
	{
		label: 'Wait for Video',
		mode: 'waitForVideo',
		options: { expectedTime: JOB_MS / 1000 },
		jobMs: JOB_MS,
	},
];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function oneExecution({ mode, options, jobMs }: Mode): Promise<Row[]> {
	simulator.reset();
	const startedAt = performance.now();
	const { items, error } = await runPixverse({
		items: Array.from({ length: ITEMS }, (_, index) => ({
			...IMAGE2VIDEO_SAMPLE_BODY,
			prompt: `item ${index}`,
		})),
		parameters: {
			resource: 'video',
			operation: 'generateFromImage',
			mode,
			imageUrl: IMAGE2VIDEO_SAMPLE_BODY.image_url,
			prompt: '={{ $json.prompt }}',
			options,
		},
		credentials: { apiKey: API_KEY, baseUrl: simulator.url },
	});
	const wallMs = performance.now() - startedAt;
	expect(error).toBeUndefined();
	expect(items.filter((item) => item.binary?.data)).toHaveLength(ITEMS);
	expect(simulator.billedGenerations).toBe(ITEMS);
	const idealMs = Math.ceil(ITEMS / ACCOUNT_CONCURRENCY) * jobMs;
	return [
		['Wall time', seconds(wallMs)],
		['Ideal: items / 5 at once x job time', seconds(idealMs)],
		['Wall time / ideal', `${ratio(wallMs, idealMs)}x`],
		['Generation requests (submits) sent', String(simulator.generationRequests.length)],
		['429s answered', String(simulator.rateLimitedRequests)],
		['Videos, billed', `${ITEMS}, ${simulator.billedGenerations}`],
	];
}

test('one execution of 100 items on a 5-at-once account, printed', async () => {
	const tables: string[] = [];
	for (const mode of MODES) {
		const rows = await oneExecution(mode);
		tables.push(`${mode.label}:\n${formatTable(['Measure', 'Value'], rows)}`);
	}
	process.stdout.write(
		[
			'',
			`One execution of ${ITEMS} items in n8n-core's engine, account running ${ACCOUNT_CONCURRENCY} generations at once (429 with Retry-After: 1 s beyond), default node options`,
			'',
			...tables,
			'',
		].join('\n'),
	);
});
