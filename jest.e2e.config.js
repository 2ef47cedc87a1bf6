/** End-to-end tests: a real n8n (installed by scripts/n8n-host.mts) with the packed package. */
module.exports = {
	...require('./jest.shared'),
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.mts'],
	testTimeout: 180000,
	maxWorkers: 1,
};
