/**
 * A local stand-in for Segmind's Pixverse API, for tests, the demo and benchmarks (dev only: it
 * is not in the published package). It plays Segmind's API (docs/segmind-api.md) for every
 * PixVerse model in pixverse-models.mts (POST /v1/<slug> and /v2/<slug>): the key check, each
 * model's body rules (hand-written from docs/pixverse-models.md, independently of the node's own
 * code, so a bug
 * there cannot hide), the video answer with Segmind's billing headers, the free credits
 * endpoint, a concurrency limit and a requests-per-minute limit, a credit balance, and scripted
 * faults. It records every request and counts billing, per model too.
 *
 * Runs under jest (swc) and directly under Node 24's type stripping: erasable syntax only.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';

import { contractProblemsFor, MODELS, type ServedModel } from './pixverse-models.mts';
import { ASSET_PATH, imagesInUpload, UPLOAD_PATH } from './segmind-storage.mts';

export {
	contractProblems,
	contractProblemsFor,
	MODELS,
	SERVED_MODELS,
} from './pixverse-models.mts';

// Resolved from the repository root (where npm scripts and jest run): this file runs both as
// CommonJS under jest and as an ES module under Node, which share no way to find their folder.
export const SAMPLE_VIDEO_PATH = join(process.cwd(), 'test', 'fixtures', 'pixverse-sample.mp4');

export type Fault =
	| { status: number; body?: unknown; headers?: Record<string, string> }
	| { kind: 'noAnswer' }
	| { kind: 'slowBody'; chunkDelayMs?: number }
	| { kind: 'truncated' }
	| { kind: 'reset' }
	| { kind: 'jsonError200' }
	| { kind: 'empty200' }
	| { kind: 'html200' }
	| { kind: 'jsonUrl200' }
	| { kind: 'jsonBase64200' };

export type SimulatorOptions = {
	apiKey: string;
	/** Keys of other accounts, accepted too; each has its own requestsPerMinute window. */
	otherApiKeys?: string[];
	port?: number;
	/** How long a generation takes. */
	latencyMs?: number;
	/**
	 * Generations running at once, across both endpoints (v1 requests in flight plus queued jobs
	 * not finished); a POST beyond it gets a 429. Unlimited when unset.
	 */
	maxConcurrent?: number;
	/** The retry-after of a maxConcurrent 429. */
	retryAfterSeconds?: number;
	/**
	 * Generation POSTs allowed in any sliding window (Segmind: free 5, Pro 50 per minute); one
	 * more gets a 429 whose retry-after says when the window frees a slot. Unlimited when unset.
	 */
	requestsPerMinute?: number;
	/** The requestsPerMinute window (default 60 000 ms; shorter only to keep tests fast). */
	rateLimitWindowMs?: number;
	/** Credit balance; unlimited when unset. A generation needs at least its model's cost. */
	credits?: number;
	/** Cost of every generation, any model; unset: each model's own (MODELS[slug].cost). */
	costPerGeneration?: number;
	/** Pads the sample video to this size with a valid `free` box (benchmarks). */
	videoBytes?: number;
	/** A fault applied to every generation request (the fault queue goes first). */
	fault?: Fault;
	/** Async queue: how long a submitted job takes (default latencyMs), QUEUED for the first quarter. */
	jobMs?: number;
	/** Async queue: a job time per model slug, ahead of jobMs. */
	jobMsByModel?: Record<string, number>;
	/** The account never had a balance: the credits endpoint answers 404 "No credits found". */
	noBalanceRecord?: boolean;
	/** Async queue: request records are forgotten after this (Segmind: about an hour). */
	jobExpiryMs?: number;
	/**
	 * Models served beside the PixVerse ones, by slug: a test's own spec reaches a simulator that
	 * judges it by rules the test writes by hand.
	 */
	extraModels?: Record<string, ServedModel>;
	/** An answer for every Segmind Storage upload instead of storing the image. */
	uploadFault?: { status: number; body?: unknown };
};

/** What a queued job will do: finish (default) or fail with Segmind's reason. */
export type JobPlan = { fails?: string };

export type QueuedJob = {
	id: string;
	/** The Segmind slug it was submitted to. */
	model: string | undefined;
	body: Record<string, unknown>;
	submittedAt: number;
	doneAt: number;
	fails?: string;
	/** Set when the job's time is up: billed once unless it failed. */
	finished: boolean;
	/** When it finished (COMPLETED or FAILED). */
	finishedAt?: number;
	/** How many times its status was read (GET /v2/requests/<id>/status). */
	statusChecks: number;
	/** When its result was first read after it finished (GET /v2/requests/<id>, 200 or 422). */
	resultReadAt?: number;
};

export type RecordedRequest = {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	json: Record<string, unknown> | undefined;
	/** The model slug of a model endpoint (/v1|v2/<slug>) or of the job a read asked about. */
	model: string | undefined;
	receivedAt: number;
	answeredStatus?: number;
};

export type SegmindSimulator = {
	url: string;
	requests: RecordedRequest[];
	/** The POSTs that asked for a video, on either endpoint (one request or queue submit). */
	readonly generationRequests: RecordedRequest[];
	/** Generations completed and charged (a 200 with a video began), all models. */
	readonly billedGenerations: number;
	/** billedGenerations per model slug (only slugs billed at least once). */
	billedByModel(): Record<string, number>;
	/** Generations accepted for work (valid, not rate limited, enough credits), whatever came after. */
	readonly startedGenerations: number;
	/** The most generations running at once, across both endpoints (v1 in flight + queued jobs). */
	readonly peakConcurrent: number;
	/** How many 429s were answered (either limit, or a scripted fault). */
	readonly rateLimitedRequests: number;
	/** Async queue: every submitted job, and the most that were running at once. */
	readonly jobs: QueuedJob[];
	readonly peakRunningJobs: number;
	/** Plans for the next submitted jobs (first in, first used). */
	planJobs(plans: JobPlan[]): void;
	/** Faults for the next status and result reads of queued jobs. */
	queueJobReadFaults(faults: Fault[]): void;
	/** Forgets every job record now, as Segmind does after about an hour. */
	expireJobs(): void;
	/** The next video downloads from the media host: stopped half-way, or answered with a status. */
	queueMediaFaults(faults: Array<'cutOff' | number>): void;
	/** Drops the faults still queued for job reads and media downloads. */
	clearQueuedFaults(): void;
	readonly credits: number | undefined;
	readonly video: Buffer;
	configure(options: Partial<SimulatorOptions>): void;
	queueFaults(faults: Fault[]): void;
	reset(): void;
	close(): Promise<void>;
};

/** A valid mp4 grown to `size` bytes by a trailing top-level `free` box, which players skip. */
export function paddedVideo(sample: Buffer, size: number | undefined): Buffer {
	if (!size || size <= sample.length + 8) return sample;
	const padding = Buffer.alloc(size - sample.length);
	padding.writeUInt32BE(padding.length, 0);
	padding.write('free', 4, 'latin1');
	return Buffer.concat([sample, padding]);
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startSegmindSimulator(initial: SimulatorOptions): Promise<SegmindSimulator> {
	let options: SimulatorOptions = { ...initial };
	const sample = readFileSync(SAMPLE_VIDEO_PATH);
	let video = paddedVideo(sample, options.videoBytes);
	let credits = options.credits;
	let faultQueue: Fault[] = [];
	let inFlight = 0;
	let peakConcurrent = 0;
	let billedGenerations = 0;
	let billedByModel: Record<string, number> = {};
	let startedGenerations = 0;
	let rateLimitedRequests = 0;
	/** When each generation POST counted by requestsPerMinute arrived, oldest first, per key. */
	let windowStarts = new Map<string, number[]>();
	const requests: RecordedRequest[] = [];
	const media = new Map<string, Buffer>();
	const sockets = new Set<Socket>();
	const jobs = new Map<string, QueuedJob>();
	const jobTimers = new Set<NodeJS.Timeout>();
	let jobPlans: JobPlan[] = [];
	let jobReadFaults: Fault[] = [];
	let mediaFaults: Array<'cutOff' | number> = [];
	let runningJobs = 0;
	let peakRunningJobs = 0;
	let url = '';

	/** Generations running now, on either endpoint. */
	const running = () => inFlight + runningJobs;
	const served = (): Record<string, ServedModel> => ({ ...MODELS, ...options.extraModels });
	const costOf = (model: string | undefined) =>
		options.costPerGeneration ?? served()[model ?? '']?.cost ?? MODELS['pixverse-image2video'].cost;

	function send(
		res: ServerResponse,
		record: RecordedRequest,
		status: number,
		body: unknown,
		headers: Record<string, string> = {},
	) {
		record.answeredStatus = status;
		if (status === 429) rateLimitedRequests++;
		const text = typeof body === 'string' ? body : JSON.stringify(body);
		res.writeHead(status, { 'content-type': 'application/json', ...headers });
		res.end(text);
	}

	function checkKey(req: IncomingMessage, res: ServerResponse, record: RecordedRequest) {
		const key = req.headers['x-api-key'];
		if (key === undefined || key === '') {
			send(res, record, 401, { error: 'Missing Authorization or x-api-key in header' });
			return false;
		}
		if (key !== options.apiKey && !options.otherApiKeys?.includes(String(key))) {
			send(res, record, 401, {
				error:
					'Unauthorized. API key is invalid or may have expired. Please check your API key and try again.',
			});
			return false;
		}
		return true;
	}

	/** Bills one generation of `model`; returns its cost. */
	function charge(model: string | undefined) {
		const cost = costOf(model);
		billedGenerations++;
		if (model) billedByModel[model] = (billedByModel[model] ?? 0) + 1;
		if (credits !== undefined) credits = Math.round((credits - cost) * 1e6) / 1e6;
		return cost;
	}

	function sendVideo(
		res: ServerResponse,
		record: RecordedRequest,
		body: Record<string, unknown>,
		fault: Fault | undefined,
	) {
		const cost = charge(record.model);
		const headers = {
			'x-request-id': randomUUID(),
			'x-cost': String(cost),
			'x-remaining-credits': String(credits ?? 100),
			'x-generation-time': String((options.latencyMs ?? 0) / 1000),
			'x-seed-value': String(body.seed ?? 56698),
		};
		record.answeredStatus = 200;
		const kind = fault && 'kind' in fault ? fault.kind : undefined;
		if (kind === 'truncated') {
			res.writeHead(200, {
				'content-type': 'video/mp4',
				'content-length': String(video.length),
				...headers,
			});
			res.write(video.subarray(0, Math.floor(video.length / 2)));
			setTimeout(() => res.socket?.destroy(), 20);
			return;
		}
		if (kind === 'slowBody') {
			const chunkDelayMs = (fault as { chunkDelayMs?: number }).chunkDelayMs ?? 50;
			res.writeHead(200, {
				'content-type': 'video/mp4',
				'content-length': String(video.length),
				...headers,
			});
			const chunks = 5;
			const size = Math.ceil(video.length / chunks);
			void (async () => {
				for (let offset = 0; offset < video.length; offset += size) {
					res.write(video.subarray(offset, offset + size));
					await delay(chunkDelayMs);
				}
				res.end();
			})();
			return;
		}
		if (kind === 'jsonUrl200' || kind === 'jsonBase64200') {
			const id = randomUUID();
			media.set(id, video);
			const output =
				kind === 'jsonUrl200'
					? `${url}/media/${id}.mp4`
					: `data:video/mp4;base64,${video.toString('base64')}`;
			send(res, record, 200, { status: 'Success', output }, headers);
			return;
		}
		res.writeHead(200, {
			'content-type': 'video/mp4',
			'content-length': String(video.length),
			...headers,
		});
		res.end(video);
	}

	/** The checks Segmind makes before it starts anything; false when it answered a refusal. */
	function acceptsGeneration(req: IncomingMessage, res: ServerResponse, record: RecordedRequest) {
		if (!checkKey(req, res, record)) return false;
		const refuse = (status: number, body: unknown, headers?: Record<string, string>) => {
			send(res, record, status, body, headers);
			return false;
		};
		const tooMany = (retryAfterSeconds: number, resetAt: number) =>
			refuse(
				429,
				{ error: 'Too many requests. Please slow down.' },
				{
					'retry-after': String(retryAfterSeconds),
					'x-rate-limit-reset-at-utc': new Date(resetAt).toISOString(),
				},
			);
		// Per key, before anything else is looked at: every authenticated generation POST counts.
		if (options.requestsPerMinute !== undefined) {
			const now = Date.now();
			const windowMs = options.rateLimitWindowMs ?? 60_000;
			const key = String(req.headers['x-api-key']);
			const starts = (windowStarts.get(key) ?? []).filter((at) => at > now - windowMs);
			windowStarts.set(key, starts);
			if (starts.length >= options.requestsPerMinute) {
				const freesAt = starts[0] + windowMs;
				return tooMany(Math.max(1, Math.ceil((freesAt - now) / 1000)), freesAt);
			}
			starts.push(now);
		}
		if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) {
			return refuse(406, { error: 'Invalid content type' });
		}
		if (record.json === undefined) return refuse(400, { error: 'Request body is not valid JSON' });
		const problems = contractProblemsFor(record.model!, record.json, served());
		if (problems.length) return refuse(400, { error: problems.join('; ') });
		if (options.maxConcurrent !== undefined && running() >= options.maxConcurrent) {
			const retryAfter = options.retryAfterSeconds ?? 1;
			return tooMany(retryAfter, Date.now() + retryAfter * 1000);
		}
		const cost = costOf(record.model);
		if (credits !== undefined && credits < cost) {
			return refuse(406, { error: `Insufficient credits: balance ${credits}, cost ${cost}` });
		}
		return true;
	}

	/** A fault that answers instead of Segmind: a status, a reset or silence. True when it did. */
	function answeredByFault(
		fault: Fault | undefined,
		req: IncomingMessage,
		res: ServerResponse,
		record: RecordedRequest,
	) {
		if (fault && 'status' in fault) {
			send(
				res,
				record,
				fault.status,
				fault.body ?? { error: `Simulated ${fault.status}` },
				fault.headers,
			);
			return true;
		}
		if (fault?.kind === 'reset') {
			req.socket.destroy();
			return true;
		}
		// noAnswer: held open until the client gives up or close()
		return fault?.kind === 'noAnswer';
	}

	async function generate(req: IncomingMessage, res: ServerResponse, record: RecordedRequest) {
		if (!acceptsGeneration(req, res, record)) return;
		const fault = faultQueue.shift() ?? options.fault;
		startedGenerations++;
		inFlight++;
		peakConcurrent = Math.max(peakConcurrent, running());
		try {
			if (answeredByFault(fault, req, res, record)) return;
			const kind = fault && 'kind' in fault ? fault.kind : undefined;
			await delay(options.latencyMs ?? 0);
			if (res.destroyed) return; // the client gave up: the job finishes, nobody receives it
			if (kind === 'jsonError200')
				return send(res, record, 200, { error: 'Generation failed: model error' });
			if (kind === 'empty200') {
				record.answeredStatus = 200;
				res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': '0' });
				return void res.end();
			}
			if (kind === 'html200')
				return send(res, record, 200, '<html><body>Service page</body></html>', {
					'content-type': 'text/html',
				});
			sendVideo(res, record, record.json!, fault);
		} finally {
			inFlight--;
		}
	}

	/**
	 * POST /v2/...: the same checks, then a job that runs on its own clock; a submit fault
	 * answers instead (a reset after the job was queued is the case that must not be resubmitted).
	 */
	function submit(req: IncomingMessage, res: ServerResponse, record: RecordedRequest) {
		if (!acceptsGeneration(req, res, record)) return;
		const fault = faultQueue.shift() ?? options.fault;
		if (fault && 'status' in fault) return void answeredByFault(fault, req, res, record);
		const plan = jobPlans.shift() ?? {};
		const model = record.model!;
		const jobMs = options.jobMsByModel?.[model] ?? options.jobMs ?? options.latencyMs ?? 0;
		const job: QueuedJob = {
			id: randomUUID(),
			model,
			body: record.json!,
			submittedAt: Date.now(),
			doneAt: Date.now() + jobMs,
			fails: plan.fails,
			finished: false,
			statusChecks: 0,
		};
		jobs.set(job.id, job);
		startedGenerations++;
		runningJobs++;
		peakRunningJobs = Math.max(peakRunningJobs, runningJobs);
		peakConcurrent = Math.max(peakConcurrent, running());
		const timer = setTimeout(() => {
			jobTimers.delete(timer);
			job.finished = true;
			job.finishedAt = Date.now();
			runningJobs--;
			if (!job.fails) {
				media.set(job.id, video);
				charge(job.model);
			}
		}, jobMs);
		jobTimers.add(timer);
		if (answeredByFault(fault, req, res, record)) return;
		send(res, record, 200, {
			request_id: job.id,
			status: 'QUEUED',
			poll_url: `${url}/v2/requests/${job.id}/status`,
			status_url: `${url}/v2/requests/${job.id}/status`,
			response_url: `${url}/v2/requests/${job.id}`,
		});
	}

	function jobState(job: QueuedJob) {
		if (job.finished) return job.fails ? 'FAILED' : 'COMPLETED';
		const jobMs = job.doneAt - job.submittedAt;
		return Date.now() - job.submittedAt < jobMs / 4 ? 'QUEUED' : 'PROCESSING';
	}

	/** GET /v2/requests/<id>[/status]: read faults first, then the key, then the record. */
	function readJob(
		req: IncomingMessage,
		res: ServerResponse,
		record: RecordedRequest,
		id: string,
		wantsResult: boolean,
	) {
		const job = jobs.get(id);
		record.model = job?.model;
		// Every read that named a known job counts, whatever answered it (polling load).
		if (job && !wantsResult) job.statusChecks++;
		if (answeredByFault(jobReadFaults.shift(), req, res, record)) return;
		if (!checkKey(req, res, record)) return;
		const expired = job && Date.now() - job.submittedAt > (options.jobExpiryMs ?? 3_600_000);
		if (!job || expired) return send(res, record, 404, { error: 'Request not found' });
		const status = jobState(job);
		const metrics = { generation_time: (job.doneAt - job.submittedAt) / 1000 };
		if (!wantsResult || (status !== 'COMPLETED' && status !== 'FAILED')) {
			return send(res, record, 200, { request_id: id, status, metrics });
		}
		job.resultReadAt ??= Date.now();
		if (status === 'FAILED') {
			return send(res, record, 422, { status, error: job.fails, metrics });
		}
		const mediaUrl = `${url}/media/${id}.mp4`;
		send(res, record, 200, {
			request_id: id,
			status,
			output: mediaUrl,
			video: mediaUrl,
			metrics: {
				...metrics,
				cost: costOf(job.model),
				remaining_credits: credits ?? 100,
			},
		});
	}

	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			let json: Record<string, unknown> | undefined;
			try {
				json = rawBody ? JSON.parse(rawBody) : undefined;
			} catch {
				json = undefined;
			}
			const path = (req.url ?? '/').split('?')[0];
			// /v1/<slug> (one blocking request) or /v2/<slug> (queue submit) of a served model.
			const endpoint = /^\/v([12])\/([^/]+)$/.exec(path);
			const model = endpoint && Object.hasOwn(served(), endpoint[2]) ? endpoint[2] : undefined;
			const record: RecordedRequest = {
				method: req.method ?? 'GET',
				path,
				headers: req.headers,
				rawBody,
				json,
				model,
				receivedAt: Date.now(),
			};
			requests.push(record);
			if (req.method === 'POST' && model)
				return void (endpoint![1] === '1' ? generate : submit)(req, res, record);
			const jobRead = /^\/v2\/requests\/([^/]+)(\/status)?$/.exec(path);
			if (req.method === 'GET' && jobRead)
				return readJob(req, res, record, jobRead[1], !jobRead[2]);
			if (req.method === 'GET' && path === '/v1/get-user-credits') {
				if (!checkKey(req, res, record)) return;
				if (options.noBalanceRecord)
					return send(res, record, 404, { error: 'No credits found for the user' });
				return send(res, record, 200, { credits: credits ?? 100, 'free-credits': 0.0184921035 });
			}
			const mediaMatch = /^\/media\/([\w-]+)\.mp4$/.exec(path);
			if (req.method === 'GET' && mediaMatch && media.has(mediaMatch[1])) {
				const file = media.get(mediaMatch[1])!;
				const fault = mediaFaults.shift();
				if (typeof fault === 'number') return send(res, record, fault, 'Media host error');
				record.answeredStatus = 200;
				res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(file.length) });
				if (!fault) return void res.end(file);
				// Half the file, then the connection drops: a download cut off mid-way.
				res.write(file.subarray(0, Math.floor(file.length / 2)));
				return void setTimeout(() => res.socket?.destroy(), 20);
			}
			// Segmind Storage (segmind-storage.ts): uploads are the 200s to UPLOAD_PATH in `requests`;
			// stored images are served back, without a key, like Segmind's public asset URLs.
			if (req.method === 'POST' && path === UPLOAD_PATH) {
				if (!checkKey(req, res, record)) return;
				const { uploadFault } = options;
				if (uploadFault) return send(res, record, uploadFault.status, uploadFault.body ?? {});
				const images = imagesInUpload(record.json);
				if (typeof images === 'string') return send(res, record, 400, { error: images });
				const urls = images.map(({ type, bytes }) => {
					const id = randomUUID();
					media.set(id, bytes);
					return `${url}/assets/${id}.${type}`;
				});
				return send(res, record, 200, { urls });
			}
			const asset = ASSET_PATH.exec(path);
			if (req.method === 'GET' && asset && media.has(asset[1])) {
				record.answeredStatus = 200;
				res.writeHead(200, { 'content-type': `image/${asset[2]}` });
				return void res.end(media.get(asset[1]));
			}
			if (model && endpoint![1] === '1') {
				return send(res, record, 405, '<html><body>405 Method Not Allowed</body></html>', {
					'content-type': 'text/html',
				});
			}
			send(res, record, 404, { error: 'Model not found' });
		});
	});
	server.on('connection', (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	return {
		url,
		requests,
		get generationRequests() {
			// Only POSTs to /v1/<slug> and /v2/<slug> of a served model carry a model and a POST.
			return requests.filter((request) => request.method === 'POST' && request.model !== undefined);
		},
		get billedGenerations() {
			return billedGenerations;
		},
		billedByModel() {
			return { ...billedByModel };
		},
		get rateLimitedRequests() {
			return rateLimitedRequests;
		},
		get startedGenerations() {
			return startedGenerations;
		},
		get peakConcurrent() {
			return peakConcurrent;
		},
		get credits() {
			return credits;
		},
		get video() {
			return video;
		},
		get jobs() {
			return [...jobs.values()];
		},
		get peakRunningJobs() {
			return peakRunningJobs;
		},
		planJobs(plans) {
			jobPlans.push(...plans);
		},
		queueJobReadFaults(faults) {
			jobReadFaults.push(...faults);
		},
		expireJobs() {
			jobs.clear();
		},
		clearQueuedFaults() {
			jobReadFaults = [];
			mediaFaults = [];
		},
		queueMediaFaults(faults) {
			mediaFaults.push(...faults);
		},
		configure(partial) {
			options = { ...options, ...partial };
			if ('credits' in partial) credits = partial.credits;
			if ('videoBytes' in partial) video = paddedVideo(sample, partial.videoBytes);
		},
		queueFaults(faults) {
			faultQueue.push(...faults);
		},
		reset() {
			options = { ...initial };
			video = paddedVideo(sample, options.videoBytes);
			requests.length = 0;
			faultQueue = [];
			jobPlans = [];
			jobReadFaults = [];
			mediaFaults = [];
			for (const timer of jobTimers) clearTimeout(timer);
			jobTimers.clear();
			jobs.clear();
			runningJobs = 0;
			peakRunningJobs = 0;
			billedGenerations = 0;
			billedByModel = {};
			startedGenerations = 0;
			rateLimitedRequests = 0;
			windowStarts = new Map();
			peakConcurrent = 0;
			credits = options.credits;
		},
		close() {
			for (const timer of jobTimers) clearTimeout(timer);
			for (const socket of sockets) socket.destroy();
			return new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
