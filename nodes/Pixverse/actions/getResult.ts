/**
 * Get Result: the video of a job queued earlier (Submit Only, or one that outlived Max Wait),
 * waiting for it if it is still running. It never starts a generation, so it never bills again.
 */
import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
} from 'n8n-workflow';

import { JOB_READ_TIMEOUT_MS, SegmindClient } from '../transport/client';
import { MODELS, modelBySlug, type ModelSpec } from '../models';
import { invalid, jobFacts, waitSettingsOf, type GenerationOptions } from './generate';
import { waitForJobResult } from './jobWait';
import { VideoItems } from './videoItem';

/** Without a model to plan from, a job fetched later is checked as one of a minute would be. */
const EXPECTED_SECONDS_WITHOUT_MODEL = 60;

/**
 * A Request ID as Segmind returns it, or any of the URLs Segmind returns for it (status, poll,
 * response): people paste whichever they kept. Only the ID is used, and requests go to the
 * credential's Base URL, so a pasted URL can never send the API key to another host.
 */
export function requestIdFrom(input: unknown): string | undefined {
	if (typeof input !== 'string' && typeof input !== 'number') return undefined;
	const text = String(input).trim();
	const fromUrl = /\/requests\/([^/?#\s]+)/.exec(text)?.[1];
	const id = fromUrl ?? text;
	return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(id) ? id : undefined;
}

function requestIdOf(context: IExecuteSingleFunctions): string {
	const given = context.getNodeParameter('requestId', '');
	const requestId = requestIdFrom(given);
	if (requestId) return requestId;
	throw invalid(
		context,
		`Request ID ${JSON.stringify(given) || '(empty)'} is not valid: give the requestId of a submitted job, or its status URL`,
		[
			'A generating operation returns it in Submit Only mode (field "requestId"), and its Max Wait error names it.',
		],
		'jobRead',
	);
}

type ResultOptions = GenerationOptions & { model?: string };

const optionsOf = (context: IExecuteSingleFunctions) =>
	context.getNodeParameter('options', {}) as ResultOptions;

/** The job's model when the person named it (Segmind's answers do not say which it was). */
function jobModelOf(
	context: IExecuteSingleFunctions,
	options: ResultOptions,
): ModelSpec | undefined {
	if (options.model === undefined || options.model === '') return undefined;
	const spec = modelBySlug(options.model);
	if (spec) return spec;
	throw invalid(
		context,
		`Model ${JSON.stringify(options.model)} is not a PixVerse model this node knows: use one of ${MODELS.map(
			(model) => model.slug,
		).join(', ')}`,
		['The Model option names the model the job was submitted to; leave it out if unknown.'],
		'jobRead',
	);
}

function waitSettingsFor(
	context: IExecuteSingleFunctions,
	options: ResultOptions,
	model: ModelSpec | undefined,
) {
	return waitSettingsOf(context, options, model?.typicalSeconds ?? EXPECTED_SECONDS_WITHOUT_MODEL);
}

/** preSend: the routing's GET goes to the job's status; a bad ID or option stops first. */
export async function prepareResultRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const requestId = requestIdOf(this);
	const options = optionsOf(this);
	waitSettingsFor(this, options, jobModelOf(this, options));
	return {
		...requestOptions,
		url: `/v2/requests/${encodeURIComponent(requestId)}/status`,
		timeout: JOB_READ_TIMEOUT_MS,
	};
}

/** The operation's request executor: the routing's status check first, then the wait and the video. */
export async function getResult(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const requestId = requestIdOf(this);
	const options = optionsOf(this);
	const model = jobModelOf(this, options);
	const client = SegmindClient.for(this, String(requestData.options.baseURL ?? ''), options);
	return await client.redacting(async () => {
		const at = { call: 'jobRead' as const, requestId };
		const result = await waitForJobResult(this, client, {
			requestId,
			settings: waitSettingsFor(this, options, model),
			justSubmitted: false,
			firstStatus: async () => {
				const response = await client.send(
					'jobRead',
					async () => await this.makeRoutingRequest(requestData),
					{ timeoutMs: JOB_READ_TIMEOUT_MS, requestId },
				);
				return { statusCode: response.statusCode, json: await client.jsonAnswer(response, at) };
			},
		});
		return [
			await new VideoItems(this, client, options).fromJson(
				result,
				{ ...(model ? { model: model.slug } : {}), ...jobFacts(requestId, result) },
				'jobRead',
			),
		];
	});
}
