/**
 * jest's global setup and teardown: one folder in the system temp dir for the whole run, under
 * which every test's temporary folders go (temporaryFolder.mts), removed when jest ends. jest
 * stops its workers without a normal exit, so a worker could not clean up after itself.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

module.exports = async function setUpTemporaryRoot() {
	process.env.PIXVERSE_TEMPORARY_ROOT = mkdtempSync(join(tmpdir(), 'pixverse-jest-'));
};

module.exports.tearDown = async function removeTemporaryRoot() {
	rmSync(process.env.PIXVERSE_TEMPORARY_ROOT, { recursive: true, force: true });
};
