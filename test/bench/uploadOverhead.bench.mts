/**
 * What Image Source "Binary Data" adds to a generation: a ~5 MB image read, checked, encoded and
 * uploaded to the simulated Segmind Storage, against the same generation from an image URL.
 * A measurement to read, not a test to pass or fail on timing (not part of `npm test`):
 *
 *   npx jest --testMatch '**\/test/bench/*.bench.ts' --testPathIgnorePatterns /node_modules/
 *
 * Measured inside the Pixverse node only: from the moment the engine starts the node to the
 * moment the simulator receives the generation request, so the upstream node that prepares
 * the binary is not counted.
 */
import { pngImage } from '../fixtures/images.mts';
import { pixverseUnderTest, IMAGE_URL } from '../harness/pixverseUnderTest.mts';

const API_KEY = 'SG_bench0123456789a';
const pixverse = pixverseUnderTest(API_KEY);
const ROUNDS = 7;

/** Milliseconds from the start of the Pixverse node to the generation request reaching Segmind. */
async function timeToGeneration(imageSource: 'url' | 'binaryData', image: Buffer) {
	pixverse.simulator.reset();
	const run = await pixverse.generate(
		{ imageSource, imageUrl: IMAGE_URL },
		{
			binaries: [{ data: { data: image, mimeType: 'image/png', fileName: 'photo.png' } }],
			credentials: {
				apiKey: API_KEY,
				baseUrl: pixverse.simulator.url,
				storageUploadUrl: `${pixverse.simulator.url}/upload-asset`,
			},
		},
	);
	expect(run.error).toBeUndefined();
	expect(pixverse.generationRequests()).toHaveLength(1);
	const nodeStarted = run.run.data.resultData.runData.Pixverse[0].startTime;
	return pixverse.generationRequests()[0].receivedAt - nodeStarted;
}

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

test('upload overhead of a ~5 MB image', async () => {
	const image = pngImage(1300, 1300, { noise: true });
	const fromUrl: number[] = [];
	const fromBinary: number[] = [];
	await timeToGeneration('binaryData', image); // warm-up: first requests, JIT
	for (let round = 0; round < ROUNDS; round++) {
		fromUrl.push(await timeToGeneration('url', image));
		fromBinary.push(await timeToGeneration('binaryData', image));
	}
	const overhead = median(fromBinary) - median(fromUrl);
	process.stdout.write(
		[
			`image: ${image.length} bytes (${(image.length / 1024 / 1024).toFixed(2)} MiB) png, ${ROUNDS} rounds against the simulator on 127.0.0.1`,
			`node start -> generation request, from URL:    median ${median(fromUrl)} ms (${fromUrl.join(', ')})`,
			`node start -> generation request, from binary: median ${median(fromBinary)} ms (${fromBinary.join(', ')})`,
			`upload overhead (median difference): ${overhead} ms`,
			'',
		].join('\n'),
	);
});
