/**
 * How much memory the node needs for the video itself: a 100 MB video, large enough to stand out
 * from everything else a process allocates, generated in each mode with n8n's filesystem binary
 * data mode. The simulator runs in a process of its own so its copy of the video is not counted.
 * Prints figures, asserts only that each run made its video (not part of `npm test`).
 */

import { startSimulatorProcess } from '../harness/n8nHost.mts';
import { runPixverse, useBinaryDataMode } from '../harness/engine.mts';
import { IMAGE_URL, PROMPT } from '../harness/pixverseUnderTest.mts';
import { temporaryFolder } from '../harness/temporaryFolder.mts';

const API_KEY = 'SG_memory0123456789';
const VIDEO_MB = 100;

test(`peak memory growth for a ${VIDEO_MB} MB video in filesystem binary mode`, async () => {
	const simulator = await startSimulatorProcess(API_KEY, 10, [
		'--video-bytes',
		String(VIDEO_MB * 1024 * 1024),
	]);
	await useBinaryDataMode('filesystem', temporaryFolder('pixverse-memory'));
	const generate = async (mode: string) => {
		const { items, error } = await runPixverse({
			credentials: { apiKey: API_KEY, baseUrl: simulator.url },
			parameters: {
				resource: 'video',
				operation: 'generateFromImage',
				mode,
				imageUrl: IMAGE_URL,
				prompt: PROMPT,
				options: { pollInterval: 0.05 },
			},
		});
		expect(error).toBeUndefined();
		expect(items[0].json.fileSize).toBe(VIDEO_MB * 1024 * 1024);
	};
	const lines: string[] = [];
	try {
		for (const mode of ['singleRequest', 'waitForVideo']) {
			// The first run pays for what a process loads once; the second is the one measured.
			await generate(mode);
			const before = process.memoryUsage().rss;
			let peak = before;
			const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
			await generate(mode);
			clearInterval(sampler);
			const growthMb = (peak - before) / 1024 / 1024;
			lines.push(
				`| ${mode} | ${growthMb.toFixed(0)} MB | ${(growthMb / VIDEO_MB).toFixed(2)}x video |`,
			);
		}
	} finally {
		simulator.stop();
	}
	process.stdout.write(
		[
			'',
			`Peak RSS growth of the process running the node, ${VIDEO_MB} MB video, filesystem binary data mode (engine, in-process)`,
			'',
			'| Mode | Peak RSS growth | Against the video |',
			'| --- | --- | --- |',
			...lines,
			'',
		].join('\n'),
	);
});
