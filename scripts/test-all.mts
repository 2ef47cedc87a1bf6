/**
 * `npm run test:all`: every check and test CI runs, in order, quiet when green and loud when red.
 *
 * Each step is an npm script run with its output kept: a step that passes prints one line; the
 * first that fails prints its whole output, then a summary naming the step and its failed tests,
 * and the run stops there. Each step gets a temp folder of its own (TMPDIR), listed when the
 * step ends: anything left in it, beyond what the README names (KEPT_IN_TEMP), fails the step,
 * so every step is checked to leave the system temp folder as it found it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { KEPT_IN_TEMP } from '../test/harness/temporaryFolder.mts';

type Step = { script: string; passed: (output: string) => string };

/** What a jest run reports in its summary: "Tests: 493 passed, 493 total". */
const jestTests = (output: string) =>
	/^Tests:\s+(.+)$/m.exec(output)?.[1].trim() ?? 'jest reported no tests';
const lastLine = (output: string) => output.trim().split('\n').at(-1) ?? '';

const STEPS: Step[] = [
	{ script: 'build', passed: () => 'tsc, then the icons, into dist/' },
	{ script: 'typecheck', passed: () => 'no type errors in the node, tests and scripts' },
	{ script: 'lint', passed: lastLine },
	{ script: 'scan', passed: lastLine },
	{ script: 'test', passed: (output) => `unit and engine tests: ${jestTests(output)}` },
	{ script: 'system-packages', passed: (output) => lastLine(output).replace(/^\[\S+\] /, '') },
	{ script: 'test:e2e', passed: (output) => `n8n 2.x end to end: ${jestTests(output)}` },
	{ script: 'test:e2e:n8n1', passed: (output) => `n8n 1.x end to end: ${jestTests(output)}` },
];

const started = Date.now();
// Short names: Chromium puts a Unix socket in TMPDIR (org.chromium.Chromium.XXXXXX/SingletonSocket),
// and a socket path over 107 bytes makes it abort at launch (the editor e2e test).
const temporaryRoot = mkdtempSync(join(tmpdir(), 'pixverse-all-'));
process.once('SIGINT', () => {
	rmSync(temporaryRoot, { recursive: true, force: true });
	process.exit(130);
});

function duration(ms: number) {
	const seconds = Math.round(ms / 1000);
	return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

async function run(
	script: string,
	temporaryDir: string,
): Promise<{ code: number; output: string }> {
	const child = spawn('npm', ['run', script, '--silent'], {
		env: { ...process.env, TMPDIR: temporaryDir },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let output = '';
	child.stdout.on('data', (chunk) => (output += String(chunk)));
	child.stderr.on('data', (chunk) => (output += String(chunk)));
	const code = await new Promise<number>((resolve) => child.once('close', (c) => resolve(c ?? 1)));
	return { code, output };
}

/** The tests jest reported failed ("● Suite › test" under "FAIL <file>"); none for other steps. */
function failedTests(output: string): string[] {
	const names = new Set<string>();
	let file = '';
	for (const line of output.split('\n')) {
		const fileFailed = /^FAIL (\S+)/.exec(line);
		if (fileFailed) file = fileFailed[1];
		const test = /^\s*● (.+)$/.exec(line)?.[1].trim();
		if (test && test !== 'Console') names.add(file ? `${file} › ${test}` : test);
	}
	return [...names];
}

function fail(step: Step, passedBefore: string[], why: string, output: string, tests: string[]) {
	process.stdout.write(`\n${output.trimEnd()}\n\n`);
	console.log(
		[
			`test:all FAILED at step ${step.script} (npm run ${step.script}) after ${duration(Date.now() - started)}: ${why}`,
			...(tests.length ? ['failed tests:', ...tests.map((name) => `  ${name}`)] : []),
			`passed before it: ${passedBefore.join(', ') || 'none'}; its whole output is above.`,
		].join('\n'),
	);
	rmSync(temporaryRoot, { recursive: true, force: true });
	process.exit(1);
}

async function main() {
	const passed: string[] = [];
	for (const step of STEPS) {
		const stepStarted = Date.now();
		const temporaryDir = mkdtempSync(join(temporaryRoot, `${step.script.replace(':', '-')}-`));
		// The step's name while it runs, completed on the same line when it ends.
		process.stdout.write(`${step.script} ... `);
		const { code, output } = await run(step.script, temporaryDir);
		const left = readdirSync(temporaryDir).filter((name) => !KEPT_IN_TEMP.includes(name));
		if (code !== 0 || left.length) process.stdout.write('FAILED\n');
		if (code !== 0) fail(step, passed, `exit code ${code}`, output, failedTests(output));
		if (left.length) {
			fail(step, passed, `it left ${left.join(', ')} in the temp folder`, output, []);
		}
		console.log(`ok in ${duration(Date.now() - stepStarted)}: ${step.passed(output)}`);
		passed.push(step.script);
	}
	rmSync(temporaryRoot, { recursive: true, force: true });
	console.log(
		`test:all passed: ${passed.length} steps in ${duration(Date.now() - started)}; none left anything in the temp folder (${KEPT_IN_TEMP.join(', ')} aside: see the README)`,
	);
}

void main();
