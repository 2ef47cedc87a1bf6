/**
 * Image Source "Binary Data" through n8n's real engine against the Segmind simulator: the image
 * in an input binary field is checked, uploaded to (simulated) Segmind Storage, and generated
 * from the URL it returns, in n8n's in-memory and filesystem binary data modes. Every failure
 * stops its item before anything is generated.
 */
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';

import { NodeHelpers, type IDataObject, type INodeParameters } from 'n8n-workflow';

import { IMAGE_MAX_BYTES } from '../../nodes/Pixverse/models/inputLimits';
import { DEFAULT_STORAGE_UPLOAD_URL } from '../../nodes/Pixverse/transport/credential';
import { SegmindPixverseApi } from '../../credentials/SegmindPixverseApi.credentials';
import {
	bytesOfBinary,
	loadPixverseNodeType,
	useBinaryDataMode,
	type RunOptions,
} from '../harness/engine.mts';
import { pixverseUnderTest, SAMPLE_VIDEO } from '../harness/pixverseUnderTest.mts';
import { gifImage, jpegImage, pngHeaderOnly, pngImage, webpImage } from '../fixtures/images.mts';
import { temporaryFolder } from '../harness/temporaryFolder.mts';

const API_KEY = 'SG_b1n4ry0123456789';
const pixverse = pixverseUnderTest(API_KEY);
const { generationRequests } = pixverse;

type File = { data: Buffer; fileName?: string; mimeType?: string };

const uploads = () =>
	pixverse.simulator.requests.filter(
		(request) => request.method === 'POST' && request.path === '/upload-asset',
	);
const storageUrl = () => `${pixverse.simulator.url}/upload-asset`;

/** Runs the node with Image Source "Binary Data", one input item per entry of `files`. */
async function fromBinary(
	files: Array<Record<string, File> | undefined>,
	parameters: IDataObject = {},
	options: Partial<RunOptions> = {},
) {
	return await pixverse.generate(
		{ imageSource: 'binaryData', ...parameters },
		{
			items: files.map(() => ({})),
			binaries: files,
			credentials: {
				apiKey: API_KEY,
				baseUrl: pixverse.simulator.url,
				storageUploadUrl: storageUrl(),
			},
			...options,
		},
	);
}

const IMAGES = [
	{ type: 'png', mimeType: 'image/png', data: pngImage(64, 48), fileName: 'cat.png' },
	{ type: 'webp', mimeType: 'image/webp', data: webpImage(1024, 1024), fileName: 'cat.webp' },
	{ type: 'jpeg', mimeType: 'image/jpeg', data: jpegImage(2000, 1500), fileName: 'cat.jpg' },
];

function expectNothingGenerated() {
	expect(generationRequests()).toHaveLength(0);
	expect(pixverse.simulator.startedGenerations).toBe(0);
	expect(pixverse.simulator.billedGenerations).toBe(0);
}

function expectNothingSent() {
	expect(pixverse.simulator.requests).toHaveLength(0);
	expectNothingGenerated();
}

describe.each(['default', 'filesystem'] as const)('binary data mode %s', (mode) => {
	const storagePath = temporaryFolder(`pixverse-binary-${mode}`);
	beforeAll(async () => await useBinaryDataMode(mode, storagePath));
	afterAll(async () => await useBinaryDataMode('default'));

	test.each(IMAGES)(
		'a $type image is uploaded once, as a data URI, and the video is made from its URL',
		async ({ type, mimeType, data, fileName }) => {
			const run = await fromBinary([{ data: { data, fileName, mimeType } }]);
			expect(run.error).toBeUndefined();

			// The input really lived where the mode puts it: on disk, or inline in the item.
			const [input] = run.run.data.resultData.runData.Items[0].data!.main[0]!;
			if (mode === 'filesystem') {
				expect(input.binary!.data.id).toMatch(/^filesystem(-v2)?:/);
				expect(readdirSync(storagePath, { recursive: true }).length).toBeGreaterThan(0);
			} else {
				expect(input.binary!.data.id).toBeUndefined();
			}

			expect(uploads()).toHaveLength(1);
			const [upload] = uploads();
			expect(upload.headers['x-api-key']).toBe(API_KEY);
			expect(upload.json).toEqual({
				data_urls: [`data:${mimeType};base64,${data.toString('base64')}`],
			});
			expect(upload.answeredStatus).toBe(200);

			// Uploaded first, then generated from the URL Segmind Storage returned.
			expect(generationRequests()).toHaveLength(1);
			expect(pixverse.simulator.requests.indexOf(upload)).toBeLessThan(
				pixverse.simulator.requests.indexOf(generationRequests()[0]),
			);
			const imageUrl = generationRequests()[0].json!.image_url as string;
			expect(imageUrl).toMatch(new RegExp(`^${pixverse.simulator.url}/assets/[\\w-]+\\.${type}$`));
			const served = await fetch(imageUrl);
			expect(served.headers.get('content-type')).toBe(mimeType);
			expect(Buffer.from(await served.arrayBuffer()).equals(data)).toBe(true);

			const [item] = run.items;
			expect((await bytesOfBinary(item.binary!.data)).equals(SAMPLE_VIDEO)).toBe(true);
			expect(item.json.uploadedImageUrl).toBe(imageUrl);
			expect((item.json.request as IDataObject).image_url).toBe(imageUrl);
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(pixverse.simulator.billedGenerations).toBe(1);
		},
	);
});

describe('what is sent', () => {
	test('the type sent is the one the bytes show, whatever the binary declares', async () => {
		const data = jpegImage(100, 100);
		const run = await fromBinary([
			{ data: { data, fileName: 'photo', mimeType: 'application/octet-stream' } },
		]);
		expect(run.error).toBeUndefined();
		expect(String((uploads()[0].json!.data_urls as string[])[0])).toMatch(
			/^data:image\/jpeg;base64,/,
		);
	});

	test('Input Binary Field picks the field, and a leftover Image URL is not sent', async () => {
		const photo = pngImage(8, 8);
		const run = await fromBinary(
			[{ data: { data: gifImage() }, photo: { data: photo, mimeType: 'image/png' } }],
			{ inputBinaryField: 'photo', imageUrl: 'https://example.com/old.png' },
		);
		expect(run.error).toBeUndefined();
		expect(uploads()[0].json!.data_urls).toEqual([
			`data:image/png;base64,${photo.toString('base64')}`,
		]);
		expect(generationRequests()[0].json!.image_url).not.toBe('https://example.com/old.png');
	});

	test('exactly 4000 x 4000 px is within the limit', async () => {
		const run = await fromBinary([{ data: { data: pngHeaderOnly(4000, 4000) } }]);
		expect(run.error).toBeUndefined();
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test('each upload is logged (debug level) with where it goes, before it is sent', async () => {
		const run = await fromBinary(
			[{}, { data: { data: pngImage(4, 4) } }],
			{},
			{ continueOnFail: true },
		);
		expect(run.logs.filter((line) => line.includes('Uploading an image'))).toEqual([
			expect.stringMatching(
				`^logger\\.debug: Uploading an image to Segmind Storage at ${storageUrl()} \\(item 1, node "Pixverse"\\)`,
			),
		]);
		expect(uploads()).toHaveLength(1);
	});

	test('a rate-limited generation is retried without uploading the image again', async () => {
		pixverse.simulator.queueFaults([
			{ status: 429, body: { error: 'Too many requests' }, headers: { 'retry-after': '0' } },
		]);
		const run = await fromBinary([{ data: { data: pngImage(4, 4) } }]);
		expect(run.error).toBeUndefined();
		expect(uploads()).toHaveLength(1);
		expect(generationRequests()).toHaveLength(2);
		expect(pixverse.simulator.billedGenerations).toBe(1);
	});

	test.each(['waitForVideo', 'submitOnly'])(
		'%s: the queued job is made from the uploaded image, and the output names it',
		async (mode) => {
			const photo = webpImage(512, 512);
			const run = await fromBinary([{ data: { data: photo, mimeType: 'image/webp' } }], {
				mode,
				options: { pollInterval: 0.05 },
			});
			expect(run.error).toBeUndefined();
			const [submit] = generationRequests();
			expect(submit.path).toBe('/v2/pixverse-image2video');
			const uploadedUrl = String(run.items[0].json.uploadedImageUrl);
			expect(uploadedUrl.startsWith(`${pixverse.simulator.url}/assets/`)).toBe(true);
			const stored = Buffer.from(await (await fetch(uploadedUrl)).arrayBuffer());
			expect(stored.equals(photo)).toBe(true);
			expect(submit.json!.image_url).toBe(uploadedUrl);
			expect(run.items[0].json.request).toMatchObject({ image_url: uploadedUrl });
			expect(Boolean(run.items[0].binary?.data)).toBe(mode === 'waitForVideo');
		},
	);

	test('Image Source URL (the default) uploads nothing and adds no uploaded URL', async () => {
		const run = await pixverse.generate({});
		expect(run.error).toBeUndefined();
		expect(uploads()).toHaveLength(0);
		expect(run.items[0].json).not.toHaveProperty('uploadedImageUrl');
	});
});

describe('checked before anything is uploaded or generated', () => {
	test('the other fields first: an invalid combination uploads nothing', async () => {
		const run = await fromBinary([{ data: { data: pngImage(4, 4) } }], {
			quality: '={{ "1080p" }}',
			duration: 8,
		});
		expect(run.error?.message).toBe(
			'Duration (Seconds) 8 is not available with Quality 1080p: allowed is 5',
		);
		expectNothingSent();
	});

	test('an empty prompt uploads nothing, even with no image at all', async () => {
		const run = await fromBinary([undefined], { prompt: ' ' });
		expect(run.error?.message).toBe('Prompt is empty: describe what should happen in the video');
		expectNothingSent();
	});

	test('a missing binary field is named with the fields the item has', async () => {
		const run = await fromBinary([
			{ photo: { data: pngImage(4, 4) }, attachment_0: { data: jpegImage(4, 4) } },
		]);
		expect(run.error?.message).toBe('The item has no binary field "data" (Input Binary Field)');
		expect(run.error?.description).toContain('Its binary fields are: "photo", "attachment_0"');
		expect(run.error?.description).toContain('Nothing was uploaded or sent to Segmind');
		expectNothingSent();
	});

	test('an item without any binary data says so', async () => {
		const run = await fromBinary([undefined]);
		expect(run.error?.message).toBe('The item has no binary field "data" (Input Binary Field)');
		expect(run.error?.description).toMatch(/no binary data at all/);
		expectNothingSent();
	});

	test('an unsupported type says what is allowed and what was found', async () => {
		const run = await fromBinary([
			{ data: { data: gifImage(), fileName: 'dance.gif', mimeType: 'image/gif' } },
		]);
		expect(run.error?.message).toBe(
			'The image in binary field "data" (dance.gif) is not a png, webp or jpeg image',
		);
		expect(run.error?.description).toContain(
			'PixVerse accepts png, webp, jpeg. Found: a gif file, declared as image/gif.',
		);
		expectNothingSent();
	});

	test('an image of 20 MB or more gives its measured size and the limit', async () => {
		const data = Buffer.concat([pngImage(4, 4), Buffer.alloc(IMAGE_MAX_BYTES)]);
		const run = await fromBinary([{ data: { data, mimeType: 'image/png' } }]);
		expect(run.error?.message).toBe(
			`The image in binary field "data" is too large: 20.0 MB (${data.length} bytes)`,
		);
		expect(run.error?.description).toContain('PixVerse accepts images under 20.0 MB');
		expectNothingSent();
	});

	test.each([
		['png', pngHeaderOnly(4001, 3000), '4001 x 3000'],
		['jpeg', jpegImage(3000, 5000), '3000 x 5000'],
		['webp', webpImage(20000, 20000, 'VP8X'), '20000 x 20000'],
		['png claiming 2^31 - 1 px', pngHeaderOnly(2 ** 31 - 1, 1), `${2 ** 31 - 1} x 1`],
	])('a %s over 4000 px gives its measured size and the limit', async (_type, data, size) => {
		const run = await fromBinary([{ data: { data } }]);
		expect(run.error?.message).toBe(`The image in binary field "data" is too large: ${size} px`);
		expect(run.error?.description).toContain('PixVerse accepts at most 4000 x 4000 px');
		expectNothingSent();
	});

	test('a truncated image says its header is damaged', async () => {
		const run = await fromBinary([{ data: { data: pngImage(4, 4).subarray(0, 20) } }]);
		expect(run.error?.message).toBe(
			'The image in binary field "data" is damaged: the PNG header ends before the image size (IHDR)',
		);
		expectNothingSent();
	});
});

/** One retry after 10 ms, so a retried failure ends quickly. */
const QUICK_SINGLE_RETRY = { options: { rateLimitRetries: 1, maxRetryWait: 0.01 } };

describe('a failed upload generates nothing', () => {
	test.each([
		[
			400,
			'Invalid data URL',
			'Segmind Storage error 400, Bad Request: Segmind Storage refused the image',
		],
		[
			403,
			'Uploads are disabled for this team',
			'Segmind Storage error 403, Forbidden: this Segmind account may not upload to Segmind Storage',
		],
		[
			404,
			'Not found',
			'Segmind Storage error 404, Not Found: there is no upload endpoint at this address',
		],
		[
			413,
			'Request entity too large',
			'Segmind Storage error 413, Payload Too Large: Segmind Storage refused an image this big',
		],
		[
			429,
			'Too many requests',
			'Segmind Storage error 429, Rate Limited: too many uploads to Segmind Storage at once',
		],
		[
			500,
			'Internal error',
			'Segmind Storage error 500, Server Error: Segmind Storage could not store the image',
		],
		[
			503,
			'Service unavailable',
			'Segmind Storage error 503, Server Error: Segmind Storage could not store the image',
		],
	])("%i: status, meaning and Segmind's message", async (status, said, message) => {
		pixverse.simulator.configure({ uploadFault: { status, body: { error: said } } });
		const run = await fromBinary([{ data: { data: pngImage(4, 4) } }], QUICK_SINGLE_RETRY);
		expect(run.error?.message).toBe(message);
		expect(String(run.error?.httpCode)).toBe(String(status));
		expect(run.error?.description).toContain(`Segmind says: "${said}".`);
		expect(run.error?.description).toContain('Nothing was generated, so no credits were used.');
		// An upload bills nothing: a rate limit or a server error is tried again, the rest are not.
		const retried = status === 429 || status >= 500;
		expect(uploads()).toHaveLength(retried ? 2 : 1);
		expect(String(run.error?.description).endsWith('(Tried 2 times.)')).toBe(retried);
		expectNothingGenerated();
	});

	test("a wrong key: Segmind Storage's own 401, pointing at the credential", async () => {
		const run = await fromBinary(
			[{ data: { data: pngImage(4, 4) } }],
			{},
			{
				credentials: {
					apiKey: 'SG_wrongwrongwrong',
					baseUrl: pixverse.simulator.url,
					storageUploadUrl: storageUrl(),
				},
			},
		);
		expect(run.error?.message).toBe(
			'Segmind Storage error 401, Unauthorized: the API key is missing or invalid',
		);
		expect(run.error?.description).toMatch(/Unauthorized. API key is invalid/);
		expectNothingGenerated();
	});

	test('the key is redacted when the storage echoes it back', async () => {
		pixverse.simulator.configure({
			uploadFault: { status: 400, body: { error: `bad request for key ${API_KEY}` } },
		});
		const run = await fromBinary([{ data: { data: pngImage(4, 4) } }]);
		expect(run.error?.description).toContain('bad request for key [redacted]');
		expectNothingGenerated();
	});

	test('a success answer without a URL is an error, not a generation from nothing', async () => {
		pixverse.simulator.configure({ uploadFault: { status: 200, body: { status: 'ok' } } });
		const run = await fromBinary([{ data: { data: pngImage(4, 4) } }]);
		expect(run.error?.message).toBe(
			'Segmind Storage answered the image upload without an image URL',
		);
		expect(run.error?.description).toContain('the answer had fields status');
		expectNothingGenerated();
	});

	test('an unreachable storage host: said in words, nothing generated', async () => {
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as { port: number };
		await new Promise<void>((resolve) => server.close(() => resolve()));
		const run = await fromBinary([{ data: { data: pngImage(4, 4) } }], QUICK_SINGLE_RETRY, {
			credentials: {
				apiKey: API_KEY,
				baseUrl: pixverse.simulator.url,
				storageUploadUrl: `http://127.0.0.1:${port}/upload-asset`,
			},
		});
		expect(run.error?.message).toBe(
			`Could not upload the image to Segmind Storage at http://127.0.0.1:${port}/upload-asset (connection refused)`,
		);
		expect(run.error?.description).toContain('Nothing was generated');
		expectNothingSent();
	});
});

describe('many items', () => {
	test('with Continue On Fail a bad image becomes an error item; the others still make videos, in order', async () => {
		const files = [
			{ data: { data: pngImage(16, 16), mimeType: 'image/png' } },
			{ data: { data: gifImage(), mimeType: 'image/gif', fileName: 'bad.gif' } },
			{ data: { data: jpegImage(640, 480), mimeType: 'image/jpeg' } },
			{ data: { data: webpImage(5000, 10, 'VP8L'), mimeType: 'image/webp' } },
			{ data: { data: webpImage(300, 200, 'VP8'), mimeType: 'image/webp' } },
		];
		const run = await fromBinary(
			files,
			{ options: { maxConcurrentRequests: 2 } },
			{
				continueOnFail: true,
			},
		);
		expect(run.error).toBeUndefined();
		expect(run.items.map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
		const outcome = run.items.map((item) => (item.binary ? 'video' : String(item.error?.message)));
		expect(outcome).toEqual([
			'video',
			'The image in binary field "data" (bad.gif) is not a png, webp or jpeg image',
			'video',
			'The image in binary field "data" is too large: 5000 x 10 px',
			'video',
		]);
		// Each video was made from its own item's upload.
		expect(uploads()).toHaveLength(3);
		const sent = generationRequests().map((request) => request.json!.image_url);
		const produced = [0, 2, 4].map((index) => run.items[index].json.uploadedImageUrl);
		expect(new Set(produced).size).toBe(3);
		expect(sent.sort()).toEqual([...produced].sort());
		const uploadedTypes = [0, 2, 4].map((index) =>
			String(run.items[index].json.uploadedImageUrl).split('.').pop(),
		);
		expect(uploadedTypes).toEqual(['png', 'jpeg', 'webp']);
		expect(pixverse.simulator.billedGenerations).toBe(3);
	});
});

describe('the panel', () => {
	const { description } = loadPixverseNodeType();
	const shown = (values: INodeParameters, name: string) =>
		description.properties.some(
			(property) =>
				property.name === name &&
				NodeHelpers.displayParameter(values, property, { typeVersion: 1 }, description),
		);
	/** The panel's values, defaults filled in, as n8n resolves them. */
	const panel = (values: INodeParameters = {}) =>
		NodeHelpers.getNodeParameters(
			description.properties,
			{ resource: 'video', operation: 'generateFromImage', ...values },
			true,
			false,
			{ typeVersion: 1 },
			description,
		)!;

	test('Image Source defaults to URL, which shows Image URL and no binary field', () => {
		const defaults = panel();
		expect(defaults.imageSource).toBe('url');
		expect(shown(defaults, 'imageUrl')).toBe(true);
		expect(shown(defaults, 'inputBinaryField')).toBe(false);
	});

	test('Binary Data shows Input Binary Field (default "data") instead of Image URL', () => {
		const values = panel({ imageSource: 'binaryData' });
		expect(shown(values, 'imageUrl')).toBe(false);
		expect(shown(values, 'inputBinaryField')).toBe(true);
		expect(values.inputBinaryField).toBe('data');
		// The output video field keeps its own name: the two never share a parameter.
		expect((values.options as IDataObject) ?? {}).not.toHaveProperty('inputBinaryField');
	});

	test("the credential's Storage Upload URL defaults to Segmind Storage", () => {
		const field = new SegmindPixverseApi().properties.find(
			(property) => property.name === 'storageUploadUrl',
		);
		expect(field?.default).toBe(DEFAULT_STORAGE_UPLOAD_URL);
	});
});

// Every run of this file is searched for the key as it ends (pixverseUnderTest); this test makes
// its own runs down each path that handles the key, so it proves the same when it runs alone.
test('no output item, error, execution record or log line holds the API key', async () => {
	const producedBefore = pixverse.produced.length;
	const image = [{ data: { data: pngImage(4, 4) } }];
	// An upload and a queued generation: the key goes out twice, and n8n logs the accepted job.
	const made = await fromBinary(image, { mode: 'waitForVideo', options: { pollInterval: 0.05 } });
	expect(made.error).toBeUndefined();
	// Segmind Storage, then Segmind, repeating the key in their error messages.
	pixverse.simulator.configure({
		uploadFault: { status: 400, body: { error: `bad request for key ${API_KEY}` } },
	});
	const refusedUpload = await fromBinary(image);
	expect(refusedUpload.error?.description).toContain('bad request for key [redacted]');
	pixverse.simulator.reset();
	pixverse.simulator.queueFaults([{ status: 401, body: { error: `unknown key ${API_KEY}` } }]);
	const refusedGeneration = await fromBinary(image);
	expect(refusedGeneration.error?.description).toContain('unknown key [redacted]');

	const produced = pixverse.produced.slice(producedBefore);
	expect(produced.some((text) => text.includes('Segmind accepted job'))).toBe(true);
	for (const text of produced) expect(text).not.toContain(API_KEY);
});
