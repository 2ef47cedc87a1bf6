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

/**
 * 20 items each with its own image from binary data, Submit Only (so nothing waits for a job):
 * how long after the node starts Segmind receives the first generation request, and the last.
 * n8n starts every item's preSend together; an item's generation should not wait for the
 * uploads of the items after it.
 */
test('20 binary-image items: the first and the last generation request', async () => {
	const ITEMS = 20;
	const images = Array.from({ length: ITEMS }, (_, index) =>
		pngImage(700, 700 + index, { noise: true }),
	);
	const firsts: number[] = [];
	const lasts: number[] = [];
	for (let round = 0; round < 3; round++) {
		pixverse.simulator.reset();
		const run = await pixverse.generate(
			{ mode: 'submitOnly', imageSource: 'binaryData', imageUrl: IMAGE_URL },
			{
				items: images.map(() => ({})),
				binaries: images.map((data) => ({
					data: { data, mimeType: 'image/png', fileName: 'photo.png' },
				})),
				credentials: {
					apiKey: API_KEY,
					baseUrl: pixverse.simulator.url,
					storageUploadUrl: `${pixverse.simulator.url}/upload-asset`,
				},
			},
		);
		expect(run.error).toBeUndefined();
		expect(pixverse.generationRequests()).toHaveLength(ITEMS);
		const nodeStarted = run.run.data.resultData.runData.Pixverse[0].startTime;
		const received = pixverse
			.generationRequests()
			.map((request) => request.receivedAt - nodeStarted);
		firsts.push(Math.min(...received));
		lasts.push(Math.max(...received));
	}
	process.stdout.write(
		[
			`${ITEMS} items, each a ${(images[0].length / 1024).toFixed(0)} KB png from binary data, Submit Only, Max Concurrent Requests 5, 3 rounds`,
			`node start -> first generation request: median ${median(firsts)} ms (${firsts.join(', ')})`,
			`node start -> last generation request:  median ${median(lasts)} ms (${lasts.join(', ')})`,
			'',
		].join('\n'),
	);
});
