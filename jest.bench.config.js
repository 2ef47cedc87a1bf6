/** Benchmarks in n8n-core's engine: they print figures and assert nothing timed (not in test:all). */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/bench'],
	testMatch: ['**/*.bench.ts'],
	transform: { '^.+\\.ts$': ['@swc/jest'] },
	testTimeout: 600000,
	maxWorkers: 1,
};
