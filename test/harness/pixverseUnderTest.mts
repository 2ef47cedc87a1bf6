/**
 * One Segmind simulator per test file and a `generate` that runs Generate From Image through the
 * real engine against it, keeping everything each run produced (items, errors, the execution
 * record, log lines) so a file can prove the API key never appears anywhere.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import {
	accountId,
	accountLimiter,
	forgetAccounts,
} from '../../nodes/Pixverse/transport/accountLimiter';
import { restoreOutput, runPixverse, type PixverseRun, type RunOptions } from './engine.mts';
import {
	startSegmindSimulator,
	type SegmindSimulator,
	type SimulatorOptions,
} from '../simulator/segmind-simulator.mts';

export const IMAGE_URL =
	'https://segmind-resources.s3.amazonaws.com/input/783a73f1-bdf8-441c-982c-b7cd75d80df9-pixverse-i2v-ip.webp';
export const PROMPT = 'Subject dance takes the world by storm!';
export const SAMPLE_VIDEO = readFileSync(join(__dirname, '../fixtures/pixverse-sample.mp4'));

export const videoBytesOf = (
	item: { binary?: Record<string, { data: string }> },
	property = 'data',
) => Buffer.from(item.binary![property].data, 'base64');

export function pixverseUnderTest(
	apiKey: string,
	simulatorOptions: Partial<SimulatorOptions> = {},
) {
	const state = { simulator: undefined as unknown as SegmindSimulator, produced: [] as string[] };

	beforeAll(async () => {
		state.simulator = await startSegmindSimulator({ apiKey, ...simulatorOptions });
	});
	afterAll(async () => {
		await state.simulator.close();
	});
	// Each test starts from the simulator as it was started: no fault, option or record carries
	// over; nor does what the process-wide limiter learned about the account (a new n8n process).
	beforeEach(() => {
		state.simulator.reset();
		forgetAccounts();
	});
	afterEach(restoreOutput);

	/**
	 * Every run is searched for the API key: in its items, its error, the execution record and
	 * every line n8n logged. A leak fails the test that caused it.
	 */
	function keep(result: PixverseRun) {
		const produced = [
			JSON.stringify(result.items),
			JSON.stringify(result.error ?? null),
			String(result.error?.message),
			String(result.error?.description),
			JSON.stringify(result.run),
			...result.logs,
		];
		for (const text of produced) expect(text).not.toContain(apiKey);
		state.produced.push(...produced);
		return result;
	}

	return {
		get simulator() {
			return state.simulator;
		},
		/** Everything the runs of this file produced so far (each already searched for the key). */
		produced: state.produced,
		/**
		 * Whether this process's limiter holds the account's generations: a client has read a 429,
		 * not merely the simulator sent one. A test that starts another run "while the account is
		 * held" waits for this; on a busy machine that run could otherwise rightly send at once.
		 */
		generationsHeld: () =>
			accountLimiter(accountId(state.simulator.url, apiKey)).pace('generation').state.holdUntilMs >
			0,
		/** The POSTs that asked for a video, on either endpoint. */
		generationRequests: () => state.simulator.generationRequests,
		/** Runs the node with exactly these parameters (any resource and operation). */
		run: async (parameters: IDataObject, options: Partial<RunOptions> = {}) =>
			keep(
				await runPixverse({
					credentials: { apiKey, baseUrl: state.simulator.url },
					...options,
					parameters,
				}),
			),
		generate: async (parameters: Record<string, unknown>, options: Partial<RunOptions> = {}) =>
			keep(
				await runPixverse({
					credentials: { apiKey, baseUrl: state.simulator.url },
					...options,
					parameters: {
						resource: 'video',
						operation: 'generateFromImage',
						// The one-request endpoint unless a test chooses a queue mode (asyncQueue.test.ts).
						mode: 'singleRequest',
						imageUrl: IMAGE_URL,
						prompt: PROMPT,
						...parameters,
					},
				}),
			),
	};
}
