/**
 * jest's node environment, quiet when green: the lines n8n logs during a test (kept by
 * engine.mts, never printed as they come) are printed when that test fails, or for every test
 * with PIXVERSE_TEST_LOGS=1. jest tells an environment how each test ended; a test file's own
 * hooks cannot tell.
 */
const { TestEnvironment } = require('jest-environment-node');

/** Where engine.mts keeps the running test's log lines, on the test's global object. */
const TEST_LOGS = Symbol.for('n8n-nodes-segmind-pixverse.testLogs');

class QuietWhenGreenEnvironment extends TestEnvironment {
	async handleTestEvent(event) {
		if (event.name === 'test_start') this.global[TEST_LOGS] = [];
		if (event.name !== 'test_done') return;
		const lines = this.global[TEST_LOGS] ?? [];
		const failed = event.test.errors.length > 0;
		if (lines.length > 0 && (failed || process.env.PIXVERSE_TEST_LOGS)) {
			this.global.console.log(
				`What n8n logged during "${event.test.name}"${failed ? ', which failed' : ''}:\n${lines.join('\n')}`,
			);
		}
		this.global[TEST_LOGS] = [];
	}
}

module.exports = QuietWhenGreenEnvironment;
