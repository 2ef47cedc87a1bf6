import { config } from '@n8n/node-cli/eslint';

// n8n's own rules for community nodes apply to what ships (nodes/, credentials/, package.json).
// Tests, the simulator and dev scripts run only on developer machines and CI, and need what the
// node code must never use (process.env, timers, the file system).
export default [
	{
		ignores: [
			'test/**',
			'scripts/**',
			'gulpfile.js',
			'jest.config.js',
			'jest.e2e.config.js',
			'jest.bench.config.js',
		],
	},
	...config,
];
