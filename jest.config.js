/**
 * The one jest configuration. Tests and their tooling are TypeScript ES modules (.mts), which
 * n8n's lint for shipped code (every *.ts) does not reach; swc compiles them for jest.
 *
 * PIXVERSE_TESTS picks the suite (package.json's scripts set it):
 * - unset (`npm test`, `npx jest <file>`, `npx jest -t <name>`): unit and engine tests, the node
 *   run by n8n-core against a simulator on 127.0.0.1;
 * - `e2e` (`npm run test:e2e`): a real n8n (installed by test/harness/n8nHost.mts) with the
 *   packed package, one file at a time;
 * - `bench` (`npm run bench:engine`): benchmarks in n8n-core's engine; they print figures and
 *   assert nothing timed (not in test:all).
 */
const SUITES = {
	unit: {
		roots: ['<rootDir>/test'],
		testMatch: ['**/*.test.mts'],
		testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
		testTimeout: 30000,
	},
	e2e: {
		roots: ['<rootDir>/test/e2e'],
		testMatch: ['**/*.e2e.test.mts'],
		testTimeout: 180000,
		maxWorkers: 1,
	},
	bench: {
		roots: ['<rootDir>/test/bench'],
		testMatch: ['**/*.bench.mts'],
		testTimeout: 600000,
		maxWorkers: 1,
	},
};

const suite = SUITES[process.env.PIXVERSE_TESTS ?? 'unit'];
if (!suite) {
	throw new Error(
		`PIXVERSE_TESTS=${process.env.PIXVERSE_TESTS}: expected one of ${Object.keys(SUITES).join(', ')}`,
	);
}

module.exports = {
	...suite,
	// Quiet when green: n8n's log lines are printed only for a test that fails.
	testEnvironment: '<rootDir>/test/harness/testEnvironment.cjs',
	globalSetup: '<rootDir>/test/harness/temporaryRoot.cjs',
	globalTeardown: '<rootDir>/test/harness/temporaryRoot.teardown.cjs',
	// jest's own default is a folder in the system temp dir, which would outlive the run.
	cacheDirectory: '<rootDir>/node_modules/.cache/jest',
	moduleFileExtensions: ['ts', 'mts', 'js', 'mjs', 'cjs', 'json'],
	transform: {
		'^.+\\.m?ts$': [
			'@swc/jest',
			{ jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
		],
	},
};
