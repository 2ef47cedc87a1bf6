/**
 * An item's deadline bounds every wait of the Segmind client: a retry's pause, a turn at the
 * account's pace, a slot of its run. A wait that would end after it ends the call at once with
 * the failure it has, marked `deadlineReached`, in words that say the node stopped waiting.
 *
 * Who sets the deadline is the operations' business (issue 20); here a probe node gives the real
 * client one (`SegmindClient.for(..., { deadlineMs })`) and submits through it, in n8n's engine
 * against the simulator.
 */
import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
} from 'n8n-workflow';

import { routedThroughClient } from '../../nodes/Pixverse/description/video';
import { SegmindClient } from '../../nodes/Pixverse/transport/client';
import { BASE_URL_FROM_CREDENTIAL } from '../../nodes/Pixverse/transport/credential';
import { failureOf } from '../../nodes/Pixverse/transport/failures';
import { IMAGE2VIDEO_SAMPLE_BODY } from '../fixtures/image2videoSample.mts';
import { pixverseUnderTest } from '../harness/pixverseUnderTest.mts';
import type { Fault } from '../simulator/segmind-simulator.mts';

const API_KEY = 'SG_5e4d3c2b1a0f9e8d';
const pixverse = pixverseUnderTest(API_KEY);
const SUBMIT_PATH = '/v2/pixverse-image2video';
const SUBMIT_TIMEOUT_MS = 2000;

async function withSeedBody(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const body = { ...IMAGE2VIDEO_SAMPLE_BODY, prompt: this.getNodeParameter('prompt') };
	return { ...requestOptions, body, timeout: SUBMIT_TIMEOUT_MS };
}

/** Submits the item's request through the client, with a deadline `deadlineInMs` from now. */
async function submitWithDeadline(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const deadlineInMs = Number(this.getNodeParameter('deadlineInMs', 0));
	const client = SegmindClient.for(
		this,
		String(requestData.options.baseURL ?? ''),
		{ maxConcurrentRequests: Number(this.getNodeParameter('maxConcurrentRequests', 5)) },
		{ deadlineMs: Date.now() + deadlineInMs },
	);
	return await client.redacting(async () => {
		const response = await client.send(
			'submit',
			async () => await this.makeRoutingRequest(requestData),
			{ timeoutMs: SUBMIT_TIMEOUT_MS },
		);
		return [
			{ json: { statusCode: response.statusCode }, pairedItem: { item: this.getItemIndex() } },
		];
	});
}

const deadlineProbe: INodeType = {
	description: {
		displayName: 'Deadline probe',
		name: 'deadlineProbe',
		group: ['transform'],
		version: 1,
		description: 'Submits one job per item through the Segmind client, with a deadline',
		defaults: { name: 'Deadline probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'segmindPixverseApi', required: true }],
		requestDefaults: {
			baseURL: BASE_URL_FROM_CREDENTIAL,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		},
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Submit',
						value: 'submit',
						routing: routedThroughClient('POST', [withSeedBody], submitWithDeadline, SUBMIT_PATH),
					},
				],
				default: 'submit',
			},
			{ displayName: 'Prompt', name: 'prompt', type: 'string', default: 'probe' },
			{ displayName: 'Deadline In Ms', name: 'deadlineInMs', type: 'number', default: 0 },
			{
				displayName: 'Max Concurrent Requests',
				name: 'maxConcurrentRequests',
				type: 'number',
				default: 5,
			},
		],
	} as INodeType['description'],
};

const probe = async (parameters: IDataObject, items: IDataObject[] = [{}]) =>
	await pixverse.run(
		{ operation: 'submit', ...parameters },
		{ nodeType: deadlineProbe, items, continueOnFail: true },
	);

type ItemError = Error & { description?: string; httpCode?: string };
const errorOf = (item: INodeExecutionData) => item.error as ItemError;

/** An item that never got its turn to send: its own failure, and no request with its prompt. */
function expectNeverSent(item: INodeExecutionData, prompt: string, description: RegExp) {
	const error = errorOf(item);
	expect(error.message).toBe(
		"Stopped waiting for a turn to send: the item's turn would have come after its hand-off time",
	);
	expect(error.description).toMatch(description);
	expect(failureOf(error)).toEqual({ kind: 'rateLimited', call: 'submit', deadlineReached: true });
	const sent = pixverse.simulator.generationRequests.filter(
		(request) => request.json?.prompt === prompt,
	);
	expect(sent).toHaveLength(0);
}

const tooMany = (seconds: number): Fault => ({
	status: 429,
	body: { error: 'Too many requests. Please slow down.' },
	headers: { 'retry-after': String(seconds) },
});

describe("no wait of the client ends after the item's deadline", () => {
	test('a 429 whose reset time is after the deadline ends the call at once with that 429, marked', async () => {
		// A reset a minute away: waiting for it would outlast this test's 30 s, so the bound below
		// tells "ended at once" from "waited" with room for any slow machine.
		pixverse.simulator.queueFaults([tooMany(60)]);
		const startedAt = Date.now();
		const { items } = await probe({ deadlineInMs: 1000 });
		expect(Date.now() - startedAt).toBeLessThan(20_000);
		const error = errorOf(items[0]);
		expect(error.message).toMatch(/^Segmind error 429, Rate Limited/);
		expect(error.description).toMatch(
			/^Segmind says: "Too many requests.* The node stopped waiting at this item's hand-off time \(Options > Hand Off After\), so that the item leaves before n8n's execution time limit\.$/,
		);
		expect(failureOf(error)).toEqual({
			kind: 'rateLimited',
			call: 'submit',
			retryAfterMs: 60_000,
			deadlineReached: true,
		});
		expect(pixverse.simulator.generationRequests).toHaveLength(1);
	});

	test('a retry pause that would pass the deadline is not taken: the failure it had, marked', async () => {
		// A 503 on a submit queued nothing and is retried, after Segmind's Retry-After.
		pixverse.simulator.queueFaults([
			{ status: 503, body: { error: 'Busy' }, headers: { 'retry-after': '60' } },
		]);
		// Taking the pause would outlast this test's 30 s: the bound leaves room for a slow machine.
		const startedAt = Date.now();
		const { items } = await probe({ deadlineInMs: 1000 });
		expect(Date.now() - startedAt).toBeLessThan(20_000);
		const error = errorOf(items[0]);
		expect(error.message).toMatch(/^Segmind error 503/);
		expect(error.description).toMatch(/The node stopped waiting at this item's hand-off time/);
		expect(failureOf(error)).toMatchObject({
			kind: 'serverError',
			call: 'submit',
			deadlineReached: true,
		});
		expect(pixverse.simulator.generationRequests).toHaveLength(1);
	});

	test("an item whose turn at the account's pace would come after its deadline is not sent at all", async () => {
		// One run meets a 429 and holds the account for 10 s...
		pixverse.simulator.queueFaults([tooMany(10)]);
		const holding = probe({ prompt: 'holding', deadlineInMs: 60_000 });
		// Once that run's client has read the 429 and holds the account.
		while (!pixverse.generationsHeld()) {
			await new Promise((resolve) => setTimeout(resolve, 5));
		}
		// ...so another run's item, due to leave within 1 s, stops waiting without sending.
		// Its turn would come at the reset, 10 s away; the bound leaves room for a slow machine.
		const startedAt = Date.now();
		const { items } = await probe({ prompt: 'short deadline', deadlineInMs: 1000 });
		expect(Date.now() - startedAt).toBeLessThan(7000);
		expectNeverSent(
			items[0],
			'short deadline',
			/^Segmind answered 429 .* The node stopped waiting at this item's hand-off time \(Options > Hand Off After\), so that the item leaves before n8n's execution time limit\. This request was not sent\. Nothing was billed\.$/,
		);
		// The run with time to spare waits for the reset and gets its job.
		const { items: held } = await holding;
		expect(held[0].json).toEqual({ statusCode: 200 });
	});

	test('an item waiting for a slot of its run stops at its deadline', async () => {
		// One slot; the first item's submit hangs until its timeout (2 s), the second is due in 0.5 s.
		pixverse.simulator.queueFaults([{ kind: 'noAnswer' }]);
		const { items } = await probe(
			{
				prompt: '={{ $json.prompt }}',
				deadlineInMs: '={{ $json.deadlineInMs }}',
				maxConcurrentRequests: 1,
			},
			[
				{ prompt: 'hangs', deadlineInMs: 60_000 },
				{ prompt: 'waits for the slot', deadlineInMs: 500 },
			],
		);
		expectNeverSent(
			items[1],
			'waits for the slot',
			/^The node's other items held every one of its request slots/,
		);
	});

	test('without a deadline the same 429 is waited out and retried', async () => {
		pixverse.simulator.queueFaults([tooMany(1)]);
		const { items } = await probe({ deadlineInMs: 60_000 });
		expect(items[0].error).toBeUndefined();
		expect(items[0].json).toEqual({ statusCode: 200 });
		expect(pixverse.simulator.generationRequests).toHaveLength(2);
	});
});
