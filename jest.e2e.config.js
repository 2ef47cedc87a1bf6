/** End-to-end tests: a real n8n (installed by test/harness/n8nHost.mts) with the packed package. */
module.exports = {
	...require('./jest.shared'),
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.mts'],
	testTimeout: 180000,
	maxWorkers: 1,
};
