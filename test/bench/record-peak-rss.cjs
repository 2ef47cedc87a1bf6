/**
 * Preloaded into `n8n execute` by the benchmark (NODE_OPTIONS=--require). The process's RSS
 * high-water mark is set while n8n starts (it loads every node type), long before a workflow
 * runs, so it hides what the workflow costs. So a worker thread also samples the RSS every
 * few milliseconds (a worker keeps sampling while the main thread is busy), and at exit the
 * process writes the high-water mark and the timeline to PIXVERSE_BENCH_RSS_DIR, where the
 * benchmark lines it up with the node's start and execution time from the run data.
 *
 * n8n's task-runner children inherit NODE_OPTIONS; each process writes its own file and the
 * benchmark keeps the one whose parent is itself.
 */
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { isMainThread, Worker } = require('node:worker_threads');

const directory = process.env.PIXVERSE_BENCH_RSS_DIR;
const SAMPLE_EVERY_MS = 5;
/** Ten minutes of samples: longer than any benchmark run. */
const MAX_SAMPLES = (10 * 60 * 1000) / SAMPLE_EVERY_MS;

const sampler = `
const { workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const samples = new Float64Array(workerData.samples);
const count = new Int32Array(workerData.count);
const pause = new Int32Array(new SharedArrayBuffer(4));
for (let index = 0; index < ${MAX_SAMPLES}; index++) {
	const rssKilobytes = Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'latin1'))[1]);
	samples[index * 2] = Date.now();
	samples[index * 2 + 1] = rssKilobytes * 1024;
	Atomics.store(count, 0, index + 1);
	Atomics.wait(pause, 0, 0, ${SAMPLE_EVERY_MS});
}
`;

if (directory && isMainThread) {
	const samples = new SharedArrayBuffer(MAX_SAMPLES * 2 * Float64Array.BYTES_PER_ELEMENT);
	const count = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
	new Worker(sampler, { eval: true, workerData: { samples, count } }).unref();
	process.on('exit', () => {
		const taken = Atomics.load(new Int32Array(count), 0);
		const values = new Float64Array(samples, 0, taken * 2);
		const timeline = [];
		for (let index = 0; index < taken; index++)
			timeline.push([values[index * 2], values[index * 2 + 1]]);
		writeFileSync(
			join(directory, `${process.pid}.json`),
			JSON.stringify({
				pid: process.pid,
				parentPid: process.ppid,
				peakRssBytes: process.resourceUsage().maxRSS * 1024,
				rssTimeline: timeline,
			}),
		);
	});
}
