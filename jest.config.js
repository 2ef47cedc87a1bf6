/** Unit and engine tests: the node run by n8n-core against a simulator on 127.0.0.1. */
module.exports = {
	...require('./jest.shared'),
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.mts'],
	testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
	testTimeout: 30000,
};
