/**
 * Shared set-up of the end-to-end tests: the cached real n8n, this package packed once per test
 * file, a Segmind simulator, and an n8n user folder with the package and a credential installed.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	createInstance,
	ensureN8n,
	importCredential,
	packThisPackage,
	REPO_ROOT,
	type Credential,
	type Instance,
} from '../../scripts/n8n-host.ts';
import { startSegmindSimulator, type SegmindSimulator } from '../simulator/segmind-simulator.ts';

export const API_KEY = 'SG_e2e0123456789ab';

export type RealN8n = { simulator: SegmindSimulator; credential: Credential; tarball: string };

export async function prepareRealN8n(simulatorLatencyMs = 200): Promise<RealN8n> {
	ensureN8n();
	const built = existsSync(join(REPO_ROOT, 'dist', 'nodes', 'Pixverse', 'Pixverse.node.js'));
	const tarball = packThisPackage(mkdtempSync(join(tmpdir(), 'pixverse-pack-')), { build: !built });
	const simulator = await startSegmindSimulator({ apiKey: API_KEY, latencyMs: simulatorLatencyMs });
	const credential = {
		id: 'segmind-pixverse',
		name: 'Segmind Pixverse account',
		apiKey: API_KEY,
		baseUrl: simulator.url,
	};
	return { simulator, credential, tarball };
}

export function newInstance(real: RealN8n, env: Record<string, string> = {}): Instance {
	const instance = createInstance(real.tarball, env);
	importCredential(instance, real.credential);
	return instance;
}
