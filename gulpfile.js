// Copies icons and the codex file next to the compiled JavaScript: n8n resolves a `file:` icon
// and reads `<Node>.node.json` relative to the .js file it loads from dist/.
const { src, dest } = require('gulp');

function copyIconsAndCodex() {
	// encoding: false keeps binary icons (png) byte-for-byte; gulp 5 re-encodes them otherwise.
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = copyIconsAndCodex;
