/**
 * A folder in the system temp dir that does not outlive the run: under jest it is inside the
 * run's own folder, which jest's global teardown removes (temporaryRoot.cjs); elsewhere (the
 * demo, a benchmark) it is removed when the process exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What a run may leave in the system temp folder, and why (the README names them too): Node's
 * module compile cache, which TypeScript's tsc and npm turn on when they run on Node 22 or later
 * (here the Node 24 of the `node` dev dependency), one folder per Node version, reused by later
 * runs, as for any project.
 */
export const KEPT_IN_TEMP = ['node-compile-cache'];

const folders: string[] = [];

process.once('exit', () => {
	for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

export function temporaryFolder(prefix: string): string {
	const jestRoot = process.env.PIXVERSE_TEMPORARY_ROOT;
	const folder = mkdtempSync(join(jestRoot ?? tmpdir(), `${prefix}-`));
	if (!jestRoot) folders.push(folder);
	return folder;
}
