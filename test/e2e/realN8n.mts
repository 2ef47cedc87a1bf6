/**
 * Shared set-up of the end-to-end tests: the cached real n8n, this package packed once per test
 * file, a Segmind simulator, and an n8n user folder with the package and a credential installed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import {
	createInstance,
	ensureN8n,
	importCredential,
	NODE_TYPE,
	packThisPackage,
	REPO_ROOT,
	type Credential,
	type Instance,
} from '../harness/n8nHost.mts';
import { startSegmindSimulator, type SegmindSimulator } from '../simulator/segmind-simulator.mts';
import { temporaryFolder } from '../harness/temporaryFolder.mts';

export const API_KEY = 'SG_e2e0123456789ab';

export type RealN8n = { simulator: SegmindSimulator; credential: Credential; tarball: string };

/** Newest modification time of the files below a folder. */
function newest(folder: string): number {
	return readdirSync(folder, { withFileTypes: true }).reduce((latest, entry) => {
		const path = join(folder, entry.name);
		return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
	}, 0);
}

/**
 * Whether dist/ holds a build of the current sources: a build per test file would cost a minute,
 * and a stale one would test old code.
 */
function builtIsCurrent() {
	const dist = join(REPO_ROOT, 'dist');
	if (!existsSync(join(dist, 'nodes', 'Pixverse', 'Pixverse.node.js'))) return false;
	const sources = Math.max(
		newest(join(REPO_ROOT, 'nodes')),
		newest(join(REPO_ROOT, 'credentials')),
	);
	return newest(dist) >= sources;
}

export async function prepareRealN8n(simulatorLatencyMs = 200): Promise<RealN8n> {
	ensureN8n();
	const tarball = packThisPackage(temporaryFolder('pixverse-pack'), { build: !builtIsCurrent() });
	const simulator = await startSegmindSimulator({ apiKey: API_KEY, latencyMs: simulatorLatencyMs });
	const credential = {
		id: 'segmind-pixverse',
		name: 'Segmind Pixverse account',
		apiKey: API_KEY,
		baseUrl: simulator.url,
		storageUploadUrl: `${simulator.url}/upload-asset`,
	};
	return { simulator, credential, tarball };
}

export function newInstance(real: RealN8n, env: Record<string, string> = {}): Instance {
	const instance = createInstance(real.tarball, env);
	importCredential(instance, real.credential);
	return instance;
}

type WorkflowNode = Record<string, unknown> & {
	name: string;
	type?: string;
	parameters?: Record<string, unknown>;
};

/**
 * The workflow with every Pixverse node expecting its jobs within a second: the simulator's jobs
 * take a fraction of one, while the node plans its first check at half the model's typical time
 * (20 s for pixverse-image2video, two minutes for Motion Control). Other options stay as they are.
 */
export function withQuickJobs(workflow: Record<string, unknown>): Record<string, unknown> {
	const nodes = (workflow.nodes as WorkflowNode[]).map((node) =>
		node.type === NODE_TYPE
			? {
					...node,
					parameters: {
						...node.parameters,
						options: { ...(node.parameters?.options as object), expectedTime: 1 },
					},
				}
			: node,
	);
	return { ...workflow, nodes };
}

/** A copy of an example workflow with some of its nodes' parameters changed. */
export function withParameters(
	workflow: Record<string, unknown>,
	changes: Record<string, Record<string, unknown>>,
): Record<string, unknown> {
	const nodes = (workflow.nodes as WorkflowNode[]).map((node) =>
		changes[node.name]
			? { ...node, parameters: { ...node.parameters, ...changes[node.name] } }
			: node,
	);
	return { ...workflow, nodes };
}

/**
 * examples/schedule-to-disk.json writing into `<user folder>/videos`, a folder this n8n may write
 * to (the example's own folder is under the user's ~/.n8n-files). n8n's Write File node does not
 * create folders, as the example's note says, so it is made here.
 */
export function scheduleToDiskInto(instance: Instance, workflow: Record<string, unknown>) {
	const videosDir = join(instance.userFolder, 'videos');
	mkdirSync(videosDir);
	const changed = withParameters(workflow, {
		'Save video to disk': { fileName: `=${videosDir}/{{ $json.fileName }}` },
	});
	return { workflow: changed, videosDir };
}

/**
 * The files in `videosDir` once there are at least `count` of them and each is as long as the
 * simulator's video; until then undefined, for `waitFor`. A file is listed as soon as n8n's Write
 * File node opens it, before its bytes are written: a CI run read one mid-write. A whole-length
 * file with wrong bytes still fails the comparison that follows.
 */
export function videosWrittenIn(real: RealN8n, videosDir: string, count = 1) {
	const written = readdirSync(videosDir);
	const whole = written.every(
		(file) => statSync(join(videosDir, file)).size === real.simulator.video.length,
	);
	return written.length >= count && whole ? written : undefined;
}

/** The schedule example's videos: each file the simulator's exact bytes, both images asked for. */
export function expectScheduledVideos(real: RealN8n, videosDir: string, files: string[]) {
	for (const file of files) {
		expect(readFileSync(join(videosDir, file)).equals(real.simulator.video)).toBe(true);
	}
	expect(real.simulator.generationRequests.map((request) => request.json?.prompt)).toEqual(
		expect.arrayContaining([
			'Subject dance takes the world by storm!',
			'The camera slowly circles the subject at sunset',
		]),
	);
}
