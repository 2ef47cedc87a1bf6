/**
 * `npm run bench:polling`: how soon a finished video reaches n8n, and how many status checks it
 * costs, with Wait for Video's checks planned from the model's typical time against a fixed
 * 2 s and a fixed 5 s poll. Prints; asserts only that every item got its video.
 *
 * 1. In n8n's engine against the simulator, at real scale: jobs of PixVerse Image to Video that
 *    take its typical time (41 s) and twice that, 10 items each. The delay is from the job
 *    finishing at the simulator to its result being read (the video follows from the media host
 *    on 127.0.0.1 in milliseconds); checks are the status reads each job received.
 * 2. For every model, the same figures from the plan itself (the check times the node computes),
 *    without the requests' own latency.
 */
import { plannedCheckTimes, fixedCheckTimes } from '../../nodes/Pixverse/actions/jobWait';
import { MODELS } from '../../nodes/Pixverse/models';
import { pixverseUnderTest } from '../harness/pixverseUnderTest.mts';
import { formatTable, median } from './report.mts';

const API_KEY = 'SG_bench0poll01234';
const pixverse = pixverseUnderTest(API_KEY);
const ITEMS = 10;
const TYPICAL_SECONDS = MODELS.find(
	(model) => model.slug === 'pixverse-image2video',
)!.typicalSeconds;

type Strategy = { label: string; options: Record<string, number> };
const STRATEGIES: Strategy[] = [
	{ label: 'planned from the model', options: {} },
	{ label: 'fixed 2 s poll', options: { pollInterval: 2 } },
	{ label: 'fixed 5 s poll', options: { pollInterval: 5 } },
];

async function measure(strategy: Strategy, jobSeconds: number) {
	pixverse.simulator.reset();
	pixverse.simulator.configure({ jobMs: jobSeconds * 1000 });
	const { items, error } = await pixverse.generate(
		{ mode: 'waitForVideo', options: { maxWait: 600, ...strategy.options } },
		{ items: Array.from({ length: ITEMS }, () => ({})) },
	);
	expect(error).toBeUndefined();
	expect(items.filter((item) => item.binary?.data)).toHaveLength(ITEMS);
	const jobs = pixverse.simulator.jobs;
	return {
		delayMs: median(jobs.map((job) => (job.resultReadAt ?? NaN) - (job.finishedAt ?? NaN))),
		checks: median(jobs.map((job) => job.statusChecks)),
	};
}

/** The plan alone: checks until a job of `jobMs` is seen done, and how late. */
function fromPlan(times: Generator<number>, jobMs: number) {
	let checks = 0;
	for (const at of times) {
		checks++;
		if (at >= jobMs) return { delayMs: at - jobMs, checks };
	}
	return { delayMs: NaN, checks };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

test('status checks planned from the model against fixed polls, printed', async () => {
	const rows: string[][] = [];
	for (const factor of [1, 2]) {
		for (const strategy of STRATEGIES) {
			const { delayMs, checks } = await measure(strategy, TYPICAL_SECONDS * factor);
			rows.push([
				`${factor === 1 ? 'typical' : 'twice typical'} (${TYPICAL_SECONDS * factor} s)`,
				strategy.label,
				seconds(delayMs),
				String(checks),
			]);
		}
	}
	const planRows = MODELS.flatMap((model) =>
		[1, 2].map((factor) => {
			const jobMs = model.typicalSeconds * 1000 * factor;
			const planned = fromPlan(plannedCheckTimes(model.typicalSeconds * 1000), jobMs);
			const every2 = fromPlan(fixedCheckTimes(2000, true), jobMs);
			const every5 = fromPlan(fixedCheckTimes(5000, true), jobMs);
			return [
				model.slug,
				`${factor === 1 ? 'typical' : 'twice'} ${model.typicalSeconds * factor} s`,
				`${seconds(planned.delayMs)}, ${planned.checks}`,
				`${seconds(every2.delayMs)}, ${every2.checks}`,
				`${seconds(every5.delayMs)}, ${every5.checks}`,
			];
		}),
	);
	process.stdout.write(
		[
			'',
			`Wait for Video in n8n-core's engine against the simulator: ${ITEMS} jobs of pixverse-image2video per row, medians`,
			'',
			formatTable(['Job time', 'Status checks', 'Delay to n8n', 'Checks per job'], rows),
			'',
			'The plan for every model (delay after the job ends, status checks), without request latency',
			'',
			formatTable(['Model', 'Job time', 'Planned', 'Fixed 2 s', 'Fixed 5 s'], planRows),
			'',
		].join('\n'),
	);
}, 900_000);
