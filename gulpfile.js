// The build's own steps around `tsc`. `n8n-node build` would do the same in one command, but it
// copies every .png and .svg of the repository into dist/ (the README's screenshots included),
// and dist/ is what ships: here only the node's and the credential's icons are copied.
const { rmSync } = require('node:fs');
const { src, dest } = require('gulp');

/** A build starts from an empty dist/, so nothing stale (a renamed module) ships. */
async function clean() {
	rmSync('dist', { recursive: true, force: true });
}

function copyIcons() {
	// encoding: false keeps binary icons (png) byte-for-byte; gulp 5 re-encodes them otherwise.
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports.clean = clean;
exports['build:icons'] = copyIcons;
