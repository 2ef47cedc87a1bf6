/**
 * A folder in the system temp dir that does not outlive the run: under jest it is inside the
 * run's own folder, which jest's global teardown removes (temporaryRoot.cjs); elsewhere (the
 * demo, a benchmark) it is removed when the process exits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
