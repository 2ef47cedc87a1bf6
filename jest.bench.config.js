/** Benchmarks in n8n-core's engine: they print figures and assert nothing timed (not in test:all). */
module.exports = {
	...require('./jest.shared'),
	roots: ['<rootDir>/test/bench'],
	testMatch: ['**/*.bench.mts'],
	testTimeout: 600000,
	maxWorkers: 1,
};
