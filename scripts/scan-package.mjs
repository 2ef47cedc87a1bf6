/**
 * `npm run scan`: n8n's community-package scanner (@n8n/scan-community-package), offline.
 *
 * The published CLI downloads the package and its attested source from the npm registry and
 * GitHub, which a package not yet published (and CI) cannot do. This runs the same two analyses
 * the CLI runs, with its own exported functions and rules: the source files on the repository
 * (SOURCE_FILE_PATTERNS) and the compiled .js plus package.json of the tarball `npm pack` makes.
 * The provenance check is left to the npm registry: publish.yml publishes with --provenance.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = process.cwd();
const workDir = mkdtempSync(join(tmpdir(), 'pixverse-scan-'));
// The scanner makes a temp dir of its own when it is loaded and never removes it (tmp-<pid>-*);
// loaded after this, it makes it inside workDir, which goes at the end.
process.env.TMPDIR = workDir;
const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(
	'@n8n/scan-community-package/scanner/scanner.mjs'
);
try {
	const packed = JSON.parse(
		execFileSync('npm', ['pack', '--json', '--pack-destination', workDir], {
			cwd: repoRoot,
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'ignore'],
		}),
	);
	const packageDir = join(workDir, 'package');
	mkdirSync(packageDir);
	execFileSync('tar', [
		'-xzf',
		join(workDir, packed[0].filename),
		'-C',
		packageDir,
		'--strip-components=1',
	]);

	const legs = [
		['source', await analyzePackage(repoRoot, SOURCE_FILE_PATTERNS)],
		['tarball', await analyzePackage(packageDir, ['**/*.js', 'package.json'])],
	];
	let passed = true;
	for (const [leg, result] of legs) {
		console.log(
			`${result.passed ? 'passed' : 'FAILED'}: ${leg}${result.message ? ` (${result.message})` : ''}`,
		);
		if (result.details) console.log(result.details);
		passed &&= result.passed;
	}
	console.log(
		passed
			? `n8n community-package scan passed: ${packed[0].name}@${packed[0].version}, ${packed[0].entryCount} files, ${packed[0].size} bytes packed`
			: 'n8n community-package scan failed',
	);
	process.exitCode = passed ? 0 : 1;
} finally {
	rmSync(workDir, { recursive: true, force: true });
}
