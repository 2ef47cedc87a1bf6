/**
 * `npm run dev`: the node in a local n8n editor, rebuilt on every change.
 *
 * What `n8n-node dev` does, made to work here: that command runs `npx n8n@latest` (n8n 2.41.3,
 * which does not resolve from the registry, and whose plain install downloads from outside it)
 * and a `tsc --watch` on the root tsconfig, which only type-checks. This uses the pinned n8n the
 * demo caches, links the repository into the user folder's custom nodes the same way, watches
 * with the build tsconfig, and starts a Segmind simulator so the node runs without a key.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

import {
	cacheRoot,
	ensureN8n,
	instanceIn,
	N8N_VERSION,
	PACKAGE_NAME,
	REPO_ROOT,
	startProcess,
	startSimulatorProcess,
} from './n8n-host.mts';

const PORT = Number(process.env.N8N_PORT ?? 5678);
const SIMULATOR_KEY = 'SG_0000dev0000000';

function run(command: string, args: string[]): ChildProcess {
	return spawn(command, args, { cwd: REPO_ROOT, stdio: 'inherit' });
}

async function main() {
	ensureN8n();
	// One user folder for every dev session, so the owner account and workflows stay.
	const userFolder = join(cacheRoot, 'dev-home');
	const customModules = join(userFolder, '.n8n', 'custom', 'node_modules');
	mkdirSync(customModules, { recursive: true });
	const link = join(customModules, PACKAGE_NAME);
	if (!existsSync(link)) symlinkSync(REPO_ROOT, link, 'dir');

	const build = run('npm', ['run', 'build', '--silent']);
	await new Promise((resolve) => build.once('exit', resolve));
	const watcher = run('npx', [
		'tsc',
		'-p',
		'tsconfig.build.json',
		'--watch',
		'--preserveWatchOutput',
	]);

	const simulator = await startSimulatorProcess(SIMULATOR_KEY, 3000);
	const instance = instanceIn(userFolder, PORT, { N8N_DEV_RELOAD: 'true', N8N_LOG_LEVEL: 'info' });
	const n8n = startProcess(instance, ['start']);
	n8n.child.stdout?.pipe(process.stdout);
	n8n.child.stderr?.pipe(process.stderr);

	console.log(
		[
			'',
			`n8n ${N8N_VERSION} with this package linked: http://127.0.0.1:${PORT} (user folder ${userFolder})`,
			`Segmind simulator: ${simulator.url}, API key ${SIMULATOR_KEY}`,
			'  (use them as Base URL and API Key of a "Segmind Pixverse API" credential to run the node without spending credits)',
			'Edits under nodes/ and credentials/ are recompiled into dist/ and n8n reloads them. Ctrl-C stops everything.',
			'',
		].join('\n'),
	);

	const stop = async () => {
		watcher.kill('SIGTERM');
		simulator.stop();
		await n8n.stop();
		process.exit(0);
	};
	process.once('SIGINT', () => void stop());
	process.once('SIGTERM', () => void stop());
	n8n.child.once('exit', () => void stop());
}

main().catch((error: Error) => {
	console.error(error.message);
	process.exit(1);
});
