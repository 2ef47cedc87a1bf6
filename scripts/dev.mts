/**
 * `npm run dev`: the node in a local n8n editor, rebuilt on every change.
 *
 * `n8n-node dev --external-n8n` links this package into a user folder and recompiles it on
 * change; n8n itself comes from here, because `n8n-node dev` would start it with
 * `npx n8n@latest`, which the npm registry cannot install (see README, Development). A Segmind
 * simulator starts too, so the node runs without a key.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import {
	cacheRoot,
	ensureN8n,
	instanceIn,
	N8N_VERSION,
	REPO_ROOT,
	startProcess,
	startSimulatorProcess,
} from '../test/harness/n8nHost.mts';

const PORT = Number(process.env.N8N_PORT ?? 5678);
const SIMULATOR_KEY = 'SG_0000dev0000000';

async function main() {
	ensureN8n();
	// One user folder for every dev session, so the owner account and workflows stay.
	const userFolder = join(cacheRoot, 'dev-home');
	const watcher = spawn(
		'npx',
		['n8n-node', 'dev', '--external-n8n', '--custom-user-folder', userFolder],
		{ cwd: REPO_ROOT, stdio: 'inherit' },
	);
	const simulator = await startSimulatorProcess(SIMULATOR_KEY, 3000);
	const n8n = startProcess(instanceIn(userFolder, PORT, { N8N_DEV_RELOAD: 'true' }), ['start'], {
		N8N_LOG_LEVEL: 'info',
	});
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
