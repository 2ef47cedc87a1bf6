/** End-to-end tests: a real n8n (installed by scripts/n8n-host.ts) with the packed package. */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test/e2e'],
	testMatch: ['**/*.e2e.test.ts'],
	transform: { '^.+\\.ts$': ['@swc/jest'] },
	testTimeout: 180000,
	maxWorkers: 1,
};
