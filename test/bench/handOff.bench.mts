/**
 * `npm run bench:handoff`: long jobs under n8n Cloud's 300 s execution limit, per model, at its
 * typical time and twice it. Each chain is what examples/long-job-across-executions.json does:
 * one execution of Wait for Video (Hand Off After 240 s), then, while the item is pending, a new
 * execution of Get Result fed the pending item. Runs in n8n-core's engine against the simulator,
 * in real time, the models side by side and each model's two jobs one after the other (about 13
 * minutes: Motion Control's 243 s and 486 s). Prints executions, status checks and the delay from the job's end to its video in n8n;
 * asserts only that each video arrived once, billed once.
 *
 * HANDOFF_BENCH_SCALE=0.1 runs everything ten times faster (jobs, hand-off, expected times) for
 * a quick look; the figures then drift, because the check plan's own bounds (steps of 0.25 s to
 * 10 s) do not scale.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { DEFAULT_HAND_OFF_AFTER_SECONDS } from '../../nodes/Pixverse/actions/handOff';
import { MODELS } from '../../nodes/Pixverse/models';
import { INPUTS } from '../fixtures/modelCases.mts';
import { pixverseUnderTest } from '../harness/pixverseUnderTest.mts';
import { formatTable } from './report.mts';

const API_KEY = 'SG_bench0handoff12';
const pixverse = pixverseUnderTest(API_KEY);
const SCALE = Number(process.env.HANDOFF_BENCH_SCALE ?? 1);
const LIMIT_SECONDS = 300;

/** What the person would see at real scale, from a run at SCALE. */
const realSeconds = (ms: number) => ms / 1000 / SCALE;

type Chain = { executions: number; item: INodeExecutionData; endedAt: number };

/** One video's way through executions, each a run of the engine, until it is not pending. */
async function chain(model: (typeof MODELS)[number]): Promise<Chain> {
	const options = {
		handOffAfter: DEFAULT_HAND_OFF_AFTER_SECONDS * SCALE,
		expectedTime: model.typicalSeconds * SCALE,
	};
	const operation = model.operations[0];
	let { items } = await pixverse.run({
		resource: 'video',
		operation,
		model: model.slug,
		mode: 'waitForVideo',
		...INPUTS[operation],
		options,
	});
	let executions = 1;
	while (items[0]?.json.status === 'pending') {
		executions++;
		({ items } = await pixverse.run(
			{
				resource: 'video',
				operation: 'getResult',
				requestId: '={{ $json.requestId }}',
				options,
			},
			{ items: [items[0].json as IDataObject] },
		));
	}
	return { executions, item: items[0], endedAt: Date.now() };
}

test('long jobs under a 300 s limit: executions, checks and delay per video, printed', async () => {
	const runs = MODELS.flatMap((model) =>
		[1, 2].map((factor) => ({
			model,
			factor,
			jobMs: model.typicalSeconds * factor * 1000 * SCALE,
		})),
	);
	// The simulator reads a job's time from this map, by model, when the job is submitted: the two
	// runs of a model go one after the other, the models side by side.
	const jobMsByModel: Record<string, number> = {};
	pixverse.simulator.configure({ jobMsByModel });
	const results = await Promise.all(
		MODELS.map(async (model) => {
			const mine = [];
			for (const run of runs.filter((candidate) => candidate.model === model)) {
				jobMsByModel[model.slug] = run.jobMs;
				mine.push({ ...run, ...(await chain(model)) });
			}
			return mine;
		}),
	);
	const rows = results.flat().map(({ model, factor, jobMs, executions, item, endedAt }) => {
		const job = pixverse.simulator.jobs.find((candidate) => candidate.id === item.json.requestId)!;
		expect(item.json.status).toBe('completed');
		const delayMs = endedAt - job.finishedAt!;
		return [
			model.slug,
			`${factor === 1 ? 'typical' : 'twice'} ${Math.round(realSeconds(jobMs))} s`,
			String(executions),
			String(job.statusChecks),
			`${realSeconds(delayMs).toFixed(1)} s (${((delayMs / jobMs) * 100).toFixed(1)}%)`,
		];
	});
	expect(pixverse.simulator.generationRequests).toHaveLength(runs.length);
	expect(pixverse.simulator.billedGenerations).toBe(runs.length);
	process.stdout.write(
		[
			'',
			`Long jobs under a ${LIMIT_SECONDS} s limit, Hand Off After ${DEFAULT_HAND_OFF_AFTER_SECONDS} s, one execution per run of the node${SCALE === 1 ? '' : ` (run at scale ${SCALE}, shown at real scale)`}`,
			'',
			formatTable(
				['Model', 'Job time', 'Executions', 'Status checks', 'Job end to video (share of job)'],
				rows,
			),
			'',
		].join('\n'),
	);
}, 1_800_000);
