/**
 * What `npm pack` publishes: only what n8n loads (compiled JavaScript, icons, the codex) plus
 * README, LICENSE and package.json; nothing from tests, scripts or sources; a small size.
 * Builds first, so the check is about this tree's output, not a stale dist/.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..');
/**
 * About 63 KB packed (December 2026: the README 27 KB unpacked, the node's JavaScript with its
 * comments); the limit leaves room to grow, and the test above names any stray file.
 */
const MAX_PACKED_BYTES = 80_000;

type Packed = { size: number; files: Array<{ path: string; size: number }> };
let packed: Packed;

beforeAll(() => {
	execFileSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'ignore' });
	const output = execFileSync('npm', ['pack', '--dry-run', '--json'], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	[packed] = JSON.parse(output) as Packed[];
}, 120_000);

const paths = () => packed.files.map((file) => file.path);
const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
	n8n: { nodes: string[]; credentials: string[] };
	dependencies?: object;
};

test('only dist JavaScript, icons and codex, plus README, LICENSE and package.json', () => {
	const unexpected = paths().filter(
		(path) =>
			!['README.md', 'LICENSE', 'package.json'].includes(path) &&
			!/^dist\/(nodes|credentials)\/.+\.(js|svg|node\.json)$/.test(path),
	);
	expect(unexpected).toEqual([]);
	expect(paths()).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json']));
});

test('every file n8n is told to load is in it, with its icons and codex', () => {
	const entries = [...packageJson.n8n.nodes, ...packageJson.n8n.credentials];
	expect(paths()).toEqual(expect.arrayContaining(entries));
	expect(paths()).toEqual(
		expect.arrayContaining([
			'dist/nodes/Pixverse/Pixverse.node.json',
			'dist/nodes/Pixverse/pixverse.svg',
			'dist/nodes/Pixverse/pixverse.dark.svg',
			'dist/credentials/segmind.svg',
			'dist/credentials/segmind.dark.svg',
		]),
	);
});

test('no runtime dependencies and a small tarball', () => {
	expect(packageJson.dependencies).toBeUndefined();
	expect(packed.size).toBeLessThan(MAX_PACKED_BYTES);
});
