/**
 * `npm run demo`: one video, made by a real n8n with this package installed as a community node.
 *
 * Without SEGMIND_API_KEY it runs against the package's local Segmind simulator, which answers
 * every generation with a 1-second 64x64 test pattern (test/fixtures/README.md); with it, against
 * Segmind itself (never in CI), which bills the video. The video is written to ./output/. While
 * n8n runs, the progress lines say what the demo waits on, from what n8n and the node log
 * (demoProgress.mts).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import {
	createInstance,
	ensureN8n,
	executeWorkflow,
	importCredential,
	importWorkflow,
	N8N_VERSION,
	outputOf,
	packThisPackage,
	readExample,
	REPO_ROOT,
	startSimulatorProcess,
	type ItemData,
} from '../test/harness/n8nHost.mts';
import { temporaryFolder } from '../test/harness/temporaryFolder.mts';
import { happened, progressIn, waitingOn, type Progress } from './demoProgress.mts';

const SIMULATOR_KEY = 'SG_0000demo000000';
const REMINDER_EVERY_MS = 15_000;

async function main() {
	const started = Date.now();
	const realKey = process.env.SEGMIND_API_KEY?.trim();
	if (realKey && process.env.CI) {
		throw new Error('SEGMIND_API_KEY is set in CI: the demo never spends real credits in CI.');
	}
	const { seconds: hostSeconds, cached } = ensureN8n();
	console.log(`n8n ${N8N_VERSION}: ${cached ? 'from cache' : `installed in ${hostSeconds} s`}`);

	const work = temporaryFolder('pixverse-demo');
	const tarball = packThisPackage(work);
	const simulator = realKey ? undefined : await startSimulatorProcess(SIMULATOR_KEY, 1500);
	const credential = {
		id: 'segmind-pixverse',
		name: 'Segmind Pixverse account',
		apiKey: realKey ?? SIMULATOR_KEY,
		baseUrl: simulator?.url ?? 'https://api.segmind.com',
	};
	console.log(
		realKey
			? 'Segmind: the real API (SEGMIND_API_KEY is set; this spends credits)'
			: `Segmind: local simulator at ${credential.baseUrl} (no key needed; it answers a test pattern)`,
	);

	const instance = createInstance(tarball, { N8N_DEFAULT_BINARY_DATA_MODE: 'default' });
	let item: ItemData | undefined;
	try {
		importCredential(instance, credential);
		const workflow = readExample('generate-one-video.json');
		importWorkflow(instance, workflow, credential);
		console.log(`running examples/generate-one-video.json in n8n (n8n execute) ...`);
		const run = await runWithProgress(instance, String(workflow.id));
		[item] = outputOf(run, 'Pixverse');
		if (item?.json.status === 'pending') {
			throw new Error(
				`No video yet: Segmind was still making job ${item.json.requestId} when the node handed it on. Fetch it within the hour with Get Result and this request ID; it is billed once.`,
			);
		}
		if (!item?.binary?.data) {
			const error = (item?.error ?? run.data.resultData.error) as
				| { message?: string; description?: string }
				| undefined;
			// The whole error: its description says what was billed and what to do.
			throw new Error(
				[`The workflow made no video: ${error?.message ?? 'no output'}`, error?.description]
					.filter(Boolean)
					.join('\n'),
			);
		}
	} finally {
		await simulator?.stop();
		instance.remove();
	}
	const video = Buffer.from(item.binary.data.data, 'base64');
	const outputDir = join(REPO_ROOT, 'output');
	mkdirSync(outputDir, { recursive: true });
	const path = join(outputDir, String(item.json.fileName));
	writeFileSync(path, video);
	console.log('');
	console.log(`parameters: ${JSON.stringify(item.json.request)}`);
	console.log(
		`segmind:    request ${item.json.requestId}, cost ${item.json.cost}, remaining credits ${item.json.remainingCredits}`,
	);
	console.log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
	console.log(whatWasWritten(relative(REPO_ROOT, path), video, item.json.cost));
}

/** The last line: the file, and what is in it (the simulator's test pattern, or Segmind's video). */
function whatWasWritten(path: string, video: Buffer, cost: unknown): string {
	const testPattern = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'pixverse-sample.mp4'));
	return video.equals(testPattern)
		? `wrote ${path} (${video.length} bytes): the simulator's 1-second 64x64 test pattern (test/fixtures/README.md), not a generated video; with SEGMIND_API_KEY set the demo makes a real one at Segmind (about $0.55)`
		: `wrote ${path} (${video.length} bytes): the video Segmind made, billed ${cost} (Segmind's figure)`;
}

/**
 * Runs the workflow and prints what it waits on: a line when n8n or the node logs a step, and a
 * reminder of the same while nothing new happens. n8n runs at debug level for its own lines on
 * each node's start and end.
 */
async function runWithProgress(instance: ReturnType<typeof createInstance>, workflowId: string) {
	let progress: Progress | undefined;
	let since = Date.now();
	const say = (words: string) => console.log(`  ${words}`);
	say(waitingOn(undefined));
	const reminder = setInterval(
		() => say(`${waitingOn(progress)} (${Math.round((Date.now() - since) / 1000)} s so far)`),
		REMINDER_EVERY_MS,
	);
	try {
		const { run } = await executeWorkflow(
			instance,
			workflowId,
			{ N8N_LOG_LEVEL: 'debug' },
			(line) => {
				const next = progressIn(line);
				// The Run trigger starts and ends too; only the Pixverse node's steps are news.
				if (!next || ('node' in next && next.node !== 'Pixverse')) return;
				progress = next;
				since = Date.now();
				say(happened(next));
			},
		);
		return run;
	} finally {
		clearInterval(reminder);
	}
}

main().catch((error) => {
	console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
