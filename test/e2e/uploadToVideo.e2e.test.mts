/**
 * examples/upload-to-video.json in a real n8n 2.x (filesystem binary data mode, n8n's default)
 * with this package installed as a community package, run by `n8n execute` against the Segmind
 * simulator: a ~5 MB photo read from disk as binary data is uploaded to (simulated) Segmind
 * Storage, the video is made from the returned URL and written to disk.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	executeWorkflow,
	importWorkflow,
	outputOf,
	readExample,
	type Instance,
} from '../harness/n8nHost.mts';
import { pngImage } from '../fixtures/images.mts';
import {
	newInstance,
	prepareRealN8n,
	withParameters,
	withQuickJobs,
	type RealN8n,
} from './realN8n.mts';

let real: RealN8n;
let instance: Instance;

beforeAll(async () => {
	real = await prepareRealN8n();
	instance = newInstance(real, { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem' });
}, 900_000);
afterAll(async () => {
	instance?.remove();
	await real?.simulator.close();
});

test('upload-to-video: a binary photo becomes a video on disk, through Segmind Storage', async () => {
	// A real png of noise (zlib cannot shrink it): about the size of a phone photo.
	const photo = pngImage(1300, 1300, { noise: true });
	const photoPath = join(instance.userFolder, 'photo.png');
	writeFileSync(photoPath, photo);
	const videosDir = join(instance.userFolder, 'videos');
	mkdirSync(videosDir);
	const workflow = withParameters(withQuickJobs(readExample('upload-to-video.json')), {
		'Read a photo from disk': { fileSelector: photoPath },
		'Save video to disk': { fileName: `=${videosDir}/{{ $json.fileName }}` },
	});

	importWorkflow(instance, workflow, real.credential);
	const { run, failed } = await executeWorkflow(instance, String(workflow.id));
	expect(run.data.resultData.error?.message).toBeUndefined();
	expect(failed).toBe(false);

	// The photo was uploaded once, as the exact bytes, with the key, before the generation.
	const requests = real.simulator.requests;
	const uploads = requests.filter((request) => request.path === '/upload-asset');
	expect(uploads).toHaveLength(1);
	expect(uploads[0].headers['x-api-key']).toBe(real.credential.apiKey);
	expect(uploads[0].json).toEqual({
		data_urls: [`data:image/png;base64,${photo.toString('base64')}`],
	});
	const generations = real.simulator.generationRequests;
	expect(generations).toHaveLength(1);
	expect(requests.indexOf(uploads[0])).toBeLessThan(requests.indexOf(generations[0]));

	const [item] = outputOf(run, 'Pixverse');
	const imageUrl = generations[0].json!.image_url;
	expect(imageUrl).toMatch(new RegExp(`^${real.simulator.url}/assets/[\\w-]+\\.png$`));
	expect(item.json.uploadedImageUrl).toBe(imageUrl);
	expect(item.json.request).toMatchObject({
		image_url: imageUrl,
		prompt: 'The subject slowly turns to the camera and smiles',
	});
	expect(real.simulator.billedGenerations).toBe(1);

	const files = readdirSync(videosDir);
	expect(files).toEqual([item.json.fileName]);
	expect(readFileSync(join(videosDir, files[0])).equals(real.simulator.video)).toBe(true);

	// For the record, not asserted: how long the upload took in this n8n.
	const pixverseRun = (run.data.resultData.runData.Pixverse[0] ?? {}) as {
		executionTime?: number;
	};
	process.stdout.write(
		`upload-to-video: ${photo.length} byte png; generation request ${generations[0].receivedAt - uploads[0].receivedAt} ms after the upload arrived; Pixverse node ${pixverseRun.executionTime} ms in all (simulated generation 200 ms)\n`,
	);
});
