/**
 * `npm run demo` as the README describes it, in the real n8n: without SEGMIND_API_KEY it runs
 * against the simulator, prints what it waits on from what the node logs, writes the simulator's
 * test pattern to ./output/, says so on its last line, and leaves the temp folder as it found it.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { ensureN8n, REPO_ROOT } from '../harness/n8nHost.mts';
import { KEPT_IN_TEMP, temporaryFolder } from '../harness/temporaryFolder.mts';

const TEST_PATTERN = readFileSync(join(REPO_ROOT, 'test', 'fixtures', 'pixverse-sample.mp4'));

beforeAll(() => ensureN8n(), 900_000);

test('without a key: the test pattern in ./output/, named on the last line; the temp folder as it was', async () => {
	// A temp folder of its own, so what the demo leaves in it is all the demo's.
	const temp = temporaryFolder('pixverse-demo-temp');
	const outputExisted = existsSync(join(REPO_ROOT, 'output'));
	const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: temp };
	// As a person runs it: no key, and not jest's own temporary root.
	delete env.SEGMIND_API_KEY;
	delete env.PIXVERSE_TEMPORARY_ROOT;
	const stdout = await new Promise<string>((resolve, reject) =>
		execFile(process.execPath, ['scripts/demo.mts'], { cwd: REPO_ROOT, env }, (error, out, err) =>
			error ? reject(new Error(`${error.message}\n${out}\n${err}`)) : resolve(out),
		),
	);
	const lines = stdout.trimEnd().split('\n');
	const last = lines.at(-1)!;
	const written =
		/^wrote (output\/pixverse-\S+\.mp4) \(2871 bytes\): the simulator's 1-second 64x64 test pattern \(test\/fixtures\/README\.md\)/.exec(
			last,
		);
	expect(written).not.toBeNull();
	const video = join(REPO_ROOT, written![1]);
	try {
		expect(readFileSync(video).equals(TEST_PATTERN)).toBe(true);
	} finally {
		rmSync(outputExisted ? video : join(REPO_ROOT, 'output'), { recursive: true, force: true });
	}

	// Progress from the node's own lines: no job is spoken of before Segmind accepted one.
	const accepted = lines.findIndex((line) => line.includes('Segmind accepted job'));
	expect(accepted).toBeGreaterThan(0);
	expect(lines.slice(0, accepted).some((line) => line.includes('node "Pixverse" started'))).toBe(
		true,
	);
	expect(lines.slice(0, accepted).filter((line) => /job/.test(line))).toEqual([]);
	expect(readdirSync(temp).filter((name) => !KEPT_IN_TEMP.includes(name))).toEqual([]);
});
