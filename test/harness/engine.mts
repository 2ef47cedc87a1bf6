/**
 * Runs workflows through n8n's real engine (n8n-core's WorkflowExecute and RoutingNode), with
 * the node loaded from its own description the way n8n loads a community package.
 */

// n8n-core reads its instance settings from the user folder when first imported.
process.env.N8N_USER_FOLDER ??= temporaryFolder('pixverse-n8n');
// Every level is kept for the test (the node logs uploads at debug), and printed only when it fails.
process.env.N8N_LOG_LEVEL ??= 'debug';

import {
	BinaryDataService,
	DirectoryLoader,
	ErrorReporter,
	ExecutionLifecycleHooks,
	WorkflowExecute,
} from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	LoggerProxy,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IBinaryData,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type IWorkflowSettings,
} from 'n8n-workflow';

import { SegmindPixverseApi } from '../../credentials/SegmindPixverseApi.credentials';
import { Pixverse } from '../../nodes/Pixverse/Pixverse.node';
import { temporaryFolder } from './temporaryFolder.mts';

export const PIXVERSE_NODE_TYPE = 'n8n-nodes-segmind-pixverse.pixverse';
const ITEMS_NODE_TYPE = 'test.items';

/** A test-only start node that emits the given items, like a Set node or a trigger would. */
class ItemsSource implements INodeType {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		inputs: [],
		outputs: ['main'],
		properties: [
			{ displayName: 'Items', name: 'items', type: 'json', default: '[]' },
			{ displayName: 'Binaries', name: 'binaries', type: 'json', default: '[]' },
		],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		const binaries = JSON.parse(this.getNodeParameter('binaries', 0) as string) as Array<Record<
			string,
			{ base64: string; fileName?: string; mimeType?: string }
		> | null>;
		// Files are stored through n8n's own helper, so they live wherever the binary data mode
		// puts them (memory, or files on disk in filesystem mode), as a trigger's files would.
		return [
			await Promise.all(
				items.map(async (json, index) => {
					const files = Object.entries(binaries[index] ?? {});
					if (!files.length) return { json };
					const binary: INodeExecutionData['binary'] = {};
					for (const [name, file] of files) {
						binary[name] = await this.helpers.prepareBinaryData(
							Buffer.from(file.base64, 'base64'),
							file.fileName,
							// Without a type n8n sniffs one with an ES module jest cannot load.
							file.mimeType ?? 'application/octet-stream',
						);
					}
					return { json, binary };
				}),
			),
		];
	}
}

/** The service n8n-core stores binaries with, from its own container (its own copy of @n8n/di). */
function binaryDataService() {
	const { Container } = require(
		require.resolve('@n8n/di', { paths: [require.resolve('n8n-core')] }),
	) as typeof import('@n8n/di');
	return Container.get(BinaryDataService);
}

/**
 * n8n's logger as nodes get it (`this.logger`, from n8n-core's container): its lines are kept
 * for the running test as they are logged, whatever level and transport n8n is set up with, and
 * not printed (n8n's transport would print them after the run, into a green test's output).
 * testEnvironment.cjs prints them when the test fails, or with PIXVERSE_TEST_LOGS=1.
 */
function captureNodeLogger() {
	const fromCore = (name: string) =>
		require(require.resolve(name, { paths: [require.resolve('n8n-core')] })) as Record<
			string,
			unknown
		>;
	const { Container } = fromCore('@n8n/di') as typeof import('@n8n/di');
	const { Logger } = fromCore('@n8n/backend-common') as { Logger: new () => object };
	const logger = Container.get(Logger) as Record<string, (...args: unknown[]) => void>;
	for (const level of ['error', 'warn', 'info', 'debug'] as const) {
		// Levels below the configured one are fixed no-ops n8n logs nothing through.
		if (Object.getOwnPropertyDescriptor(logger, level)?.writable === false) continue;
		logger[level] = (message: unknown, metadata?: unknown) => {
			currentLogs?.push(
				`logger.${level}: ${String(message)}${metadata ? ` ${JSON.stringify(metadata)}` : ''}`,
			);
		};
	}
}

/** A binary's bytes, in any binary data mode. */
export async function bytesOfBinary(binary: IBinaryData): Promise<Buffer> {
	return await binaryDataService().getAsBuffer(binary);
}

/**
 * n8n's binary data mode for the runs that follow: 'default' keeps files in memory (base64 in
 * the item), 'filesystem' stores them under `storagePath` and items carry only an id, as in an
 * n8n started with N8N_DEFAULT_BINARY_DATA_MODE=filesystem.
 */
export async function useBinaryDataMode(mode: 'default' | 'filesystem', storagePath?: string) {
	const service = binaryDataService();
	const config = (service as unknown as { config: { mode: string; localStoragePath: string } })
		.config;
	config.mode = mode;
	config.localStoragePath = storagePath ?? temporaryFolder('pixverse-binary');
	await service.init();
}

/**
 * The node as n8n serves it: n8n adds the declarative "Request Options" when it loads a node.
 * `properties` replace the node's own (a description made from a test's own model specs).
 */
export function loadPixverseNodeType(properties?: INodeProperties[]): INodeType {
	const nodeType = new Pixverse();
	if (properties) nodeType.description = { ...nodeType.description, properties };
	DirectoryLoader.applyDeclarativeNodeOptionParameters(nodeType);
	return nodeType;
}

class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType>;

	constructor(nodeUnderTest: INodeType) {
		this.types = { [PIXVERSE_NODE_TYPE]: nodeUnderTest, [ITEMS_NODE_TYPE]: new ItemsSource() };
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		return this.getByNameAndVersion(nodeType);
	}

	getByNameAndVersion(nodeType: string): INodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getKnownTypes() {
		return {};
	}
}

/**
 * Plays n8n's credentials helper for one credential: applies the credential type's generic
 * `authenticate` block exactly as declared (header values are n8n expressions).
 */
class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	private readonly credentialType: ICredentialType = new SegmindPixverseApi();

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const authenticate = this.credentialType.authenticate;
		if (!authenticate || typeof authenticate === 'function' || authenticate.type !== 'generic') {
			throw new Error('The credential is expected to use generic authentication');
		}
		const headers: IDataObject = { ...(requestOptions.headers ?? {}) };
		for (const [name, value] of Object.entries(authenticate.properties.headers ?? {})) {
			headers[name] = workflow!.expression.getParameterValue(
				value as string,
				null,
				0,
				0,
				node!.name,
				[],
				'internal',
				{ $credentials: credentials },
			) as string;
		}
		return { ...requestOptions, headers };
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used by declarative nodes');
	}

	async getDecrypted() {
		return { ...this.data };
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return this.credentialType.properties;
	}
}

/**
 * Every line n8n logs during a run (its logger proxy and the console, where n8n-core's own
 * logger writes), kept so tests can read them, e.g. to prove the API key is never logged.
 */
let currentLogs: string[] | undefined;

captureNodeLogger();

// n8n reports node errors through ErrorReporter, which formats them (message, stack, causes) and
// hands the lines to n8n's logger. The lines it would log are kept for the running test.
type LoggingReporter = { logger: { error(message: string, meta?: unknown): void } };
const reportError = ErrorReporter.prototype.error;
ErrorReporter.prototype.error = function (this: LoggingReporter, ...args: unknown[]) {
	const logger = this.logger;
	this.logger = {
		error: (message, meta) =>
			currentLogs?.push(`reported: ${message} ${JSON.stringify(meta) ?? ''}`),
	};
	try {
		return (reportError as (...a: unknown[]) => void).apply(this, args);
	} finally {
		this.logger = logger;
	}
} as typeof reportError;

const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
const originalConsole = consoleMethods.map((method) => console[method]);
const outputStreams = [process.stdout, process.stderr] as const;
const originalWrites = outputStreams.map((stream) => stream.write);

/**
 * Gives the console and the output streams back. A run cut off by a test's timeout would
 * otherwise keep them, and swallow jest's own report of that failure.
 */
export function restoreOutput() {
	consoleMethods.forEach((method, index) => (console[method] = originalConsole[index]));
	outputStreams.forEach((stream, index) => (stream.write = originalWrites[index]));
	currentLogs = undefined;
}

async function capturingLogs<T>(work: () => Promise<T>): Promise<{ result: T; logs: string[] }> {
	const logs: string[] = [];
	currentLogs = logs;
	const record =
		(level: string) =>
		(...args: unknown[]) =>
			logs.push(
				`${level}: ${args.map((arg) => (typeof arg === 'string' ? arg : (JSON.stringify(arg) ?? String(arg)))).join(' ')}`,
			);
	LoggerProxy.init({
		error: record('error'),
		warn: record('warn'),
		info: record('info'),
		debug: record('debug'),
	});
	consoleMethods.forEach((method) => (console[method] = record(`console.${method}`)));
	// n8n-core's winston logger writes to the streams directly.
	outputStreams.forEach((stream, index) => {
		stream.write = ((chunk: unknown) => {
			logs.push(`${index === 0 ? 'stdout' : 'stderr'}: ${String(chunk)}`);
			return true;
		}) as typeof stream.write;
	});
	try {
		return { result: await work(), logs };
	} finally {
		restoreOutput();
		keepForTheTest(logs);
	}
}

/** Where testEnvironment.cjs finds the running test's log lines, on the test's global object. */
const TEST_LOGS = Symbol.for('n8n-nodes-segmind-pixverse.testLogs');

function keepForTheTest(logs: string[]) {
	const global = globalThis as unknown as Record<symbol, string[] | undefined>;
	global[TEST_LOGS]?.push(...logs);
}

export type PixverseRun = {
	/** The Pixverse node's output items (success and error items, in order). */
	items: INodeExecutionData[];
	/** The error that stopped the run, if any. */
	error?: Error & IDataObject;
	run: IRun;
	/** What n8n logged while running. */
	logs: string[];
};

export type RunOptions = {
	/** Input items for the Pixverse node, one JSON object each. */
	items?: IDataObject[];
	/** The Pixverse node's parameters. */
	parameters: IDataObject;
	credentials: { apiKey: string; baseUrl: string; storageUploadUrl?: string };
	/** Binary files per input item (same index as `items`), stored through n8n's helpers. */
	binaries?: Array<
		Record<string, { data: Buffer; fileName?: string; mimeType?: string }> | undefined
	>;
	continueOnFail?: boolean;
	/**
	 * Runs as n8n's "Retry execution" of this failed run: mode "retry", started from the saved
	 * state, with the nodes' context the failed run left.
	 */
	retryOf?: IRun;
	/** Another node type to run in the Pixverse node's place (default: the Pixverse node). */
	nodeType?: INodeType;
	/** The workflow's settings, as its Settings dialog saves them (Timeout Workflow...). */
	workflowSettings?: IWorkflowSettings;
};

/** Runs Items -> Pixverse through WorkflowExecute and returns what the Pixverse node produced. */
export async function runPixverse(options: RunOptions): Promise<PixverseRun> {
	const nodes: INode[] = [
		{
			id: 'items',
			name: 'Items',
			type: ITEMS_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				items: JSON.stringify(options.items ?? [{}]),
				binaries: JSON.stringify(
					(options.binaries ?? []).map((files) =>
						Object.fromEntries(
							Object.entries(files ?? {}).map(([name, { data, ...file }]) => [
								name,
								{ base64: data.toString('base64'), ...file },
							]),
						),
					),
				),
			},
		},
		{
			id: 'pixverse',
			name: 'Pixverse',
			type: PIXVERSE_NODE_TYPE,
			typeVersion: 1,
			position: [200, 0],
			parameters: options.parameters as INode['parameters'],
			credentials: { segmindPixverseApi: { id: '1', name: 'Segmind' } },
			...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		},
	];
	const workflow = new Workflow({
		id: 'test',
		name: 'Pixverse test',
		nodes,
		connections: { Items: { main: [[{ node: 'Pixverse', type: 'main', index: 0 }]] } },
		active: false,
		nodeTypes: new TestNodeTypes(options.nodeType ?? loadPixverseNodeType()),
		settings: options.workflowSettings,
	});
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(options.credentials),
		hooks: new ExecutionLifecycleHooks(
			options.retryOf ? 'retry' : 'manual',
			'test-execution',
			workflow as never,
		),
		executionId: 'test-execution',
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formBaseUrl: 'http://127.0.0.1:5678/form',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:5678/form-test',
		mcpBaseUrl: 'http://127.0.0.1:5678/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:5678/mcp-test',
		variables: {},
		currentNodeExecutionIndex: 0,
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const { retryOf } = options;
	const mode = retryOf ? 'retry' : 'manual';
	const execution = new WorkflowExecute(
		additionalData,
		mode,
		// n8n's "Retry execution" starts a new execution from the failed run's saved state: its
		// node stack and the nodes' context (where the Pixverse node remembers accepted jobs).
		createRunExecutionData(
			retryOf
				? {
						executionData: {
							nodeExecutionStack: [
								{
									node: workflow.getNode('Items')!,
									data: { main: [[{ json: {} }]] },
									source: null,
								},
							],
							contextData: retryOf.data.executionData?.contextData ?? {},
						},
					}
				: {},
		),
	);
	const { result: run, logs } = await capturingLogs(
		async () =>
			await (retryOf
				? execution.processRunExecutionData(workflow)
				: execution.run({ workflow, startNode: workflow.getNode('Items')! })),
	);
	const taskData = run.data.resultData.runData.Pixverse?.[0];
	return {
		items: taskData?.data?.main?.[0] ?? [],
		error: (run.data.resultData.error ?? taskData?.error) as PixverseRun['error'],
		run,
		logs,
	};
}
