/**
 * What every jest config here shares. Tests and their tooling are TypeScript ES modules (.mts),
 * which n8n's lint for shipped code (every *.ts) does not reach; swc compiles them for jest.
 */
module.exports = {
	testEnvironment: 'node',
	globalSetup: '<rootDir>/test/harness/temporaryRoot.cjs',
	globalTeardown: '<rootDir>/test/harness/temporaryRoot.teardown.cjs',
	moduleFileExtensions: ['ts', 'mts', 'js', 'mjs', 'cjs', 'json'],
	transform: {
		'^.+\\.m?ts$': [
			'@swc/jest',
			{ jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
		],
	},
};
