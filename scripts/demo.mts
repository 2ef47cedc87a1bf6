/**
 * `npm run demo`: one video, made by a real n8n with this package installed as a community node.
 *
 * Without SEGMIND_API_KEY it runs against the package's local Segmind simulator; with it, against
 * Segmind itself (never in CI). The video is written to ./output/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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
	readExample,
	REPO_ROOT,
	startSimulatorProcess,
} from '../test/harness/n8nHost.mts';
import { temporaryFolder } from '../test/harness/temporaryFolder.mts';

const SIMULATOR_KEY = 'SG_0000demo000000';

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
			: `Segmind: local simulator at ${credential.baseUrl}`,
	);

	const instance = createInstance(tarball, { N8N_DEFAULT_BINARY_DATA_MODE: 'default' });
	try {
		importCredential(instance, credential);
		const workflow = readExample('generate-one-video.json');
		importWorkflow(instance, workflow, credential);
		console.log('running the workflow in n8n (n8n execute) ...');
		// A generation takes a minute or more at Segmind: say that the demo is still at it.
		const startedRun = Date.now();
		const progress = setInterval(
			() =>
				console.log(
					`  still running after ${Math.round((Date.now() - startedRun) / 1000)} s (the node submits, then checks the job)`,
				),
			10_000,
		);
		const { run } = await executeWorkflow(instance, String(workflow.id)).finally(() =>
			clearInterval(progress),
		);
		const [item] = outputOf(run, 'Pixverse');
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
		const video = Buffer.from(item.binary.data.data, 'base64');
		const outputDir = join(REPO_ROOT, 'output');
		mkdirSync(outputDir, { recursive: true });
		const path = join(outputDir, String(item.json.fileName));
		writeFileSync(path, video);
		console.log('');
		console.log(`video:      ${path}`);
		console.log(`size:       ${video.length} bytes (${item.binary.data.mimeType})`);
		console.log(`parameters: ${JSON.stringify(item.json.request)}`);
		console.log(
			`segmind:    request ${item.json.requestId}, cost ${item.json.cost}, remaining credits ${item.json.remainingCredits}`,
		);
		console.log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
	} finally {
		simulator?.stop();
		instance.remove();
	}
}

main().catch((error) => {
	console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
	process.exit(1);
});
