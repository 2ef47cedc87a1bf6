/**
 * Runs the Segmind simulator until SIGINT/SIGTERM:
 *   node test/simulator/cli.ts --port 0 --api-key SG_... [--latency-ms N] [--max-concurrent N]
 *     [--requests-per-minute N] [--retry-after-seconds N] [--credits N] [--video-bytes N]
 *     [--job-ms N]
 * --max-concurrent counts generations running on both endpoints (v1 requests and queued jobs);
 * --requests-per-minute limits generation POSTs in any sliding 60 s window (Segmind: free 5,
 * Pro 50).
 * Every model in SERVED_MODELS answers on /v1/<slug> and /v2/<slug>.
 * Prints one line `SIMULATOR_URL=http://127.0.0.1:PORT` once it listens.
 */
import { startSegmindSimulator } from './segmind-simulator.mts';

function flag(name: string): string | undefined {
	const index = process.argv.indexOf(`--${name}`);
	return index === -1 ? undefined : process.argv[index + 1];
}
const numberFlag = (name: string) => (flag(name) === undefined ? undefined : Number(flag(name)));

async function main() {
	const simulator = await startSegmindSimulator({
		apiKey: flag('api-key') ?? 'SG_0000000000000000',
		port: numberFlag('port') ?? 0,
		latencyMs: numberFlag('latency-ms'),
		maxConcurrent: numberFlag('max-concurrent'),
		requestsPerMinute: numberFlag('requests-per-minute'),
		retryAfterSeconds: numberFlag('retry-after-seconds'),
		credits: numberFlag('credits'),
		videoBytes: numberFlag('video-bytes'),
		jobMs: numberFlag('job-ms'),
	});
	console.log(`SIMULATOR_URL=${simulator.url}`);

	const stop = async () => {
		const byModel = JSON.stringify(simulator.billedByModel());
		console.error(
			`simulator: ${simulator.requests.length} requests, ${simulator.billedGenerations} billed generations ${byModel}, ${simulator.rateLimitedRequests} answered 429`,
		);
		await simulator.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
