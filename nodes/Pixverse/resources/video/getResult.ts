import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { requestIdFrom, requestStatusPath } from '../../contract';
import { jobWaitOptions, videoOutputOptions } from './generateFromImage';
import { checkWaitOptions, videoOfQueuedJob } from './queuedJob';

const showOnlyForGetResult = { resource: ['video'], operation: ['getResult'] };

function requestIdOf(context: IExecuteSingleFunctions): string {
	const given = context.getNodeParameter('requestId', '');
	const requestId = requestIdFrom(given);
	if (requestId) return requestId;
	throw new NodeOperationError(
		context.getNode(),
		`Request ID ${JSON.stringify(given) || '(empty)'} is not valid: give the requestId of a submitted job, or its status URL`,
		{
			description:
				'Generate From Image returns it in Submit Only mode (field "requestId"), and its Max Wait error names it. Nothing was sent to Segmind.',
			itemIndex: context.getItemIndex(),
		},
	);
}

/** preSend: a bad Request ID or wait option stops before anything is sent. */
export async function checkResultRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const requestId = requestIdOf(this);
	checkWaitOptions(this);
	return { ...requestOptions, url: requestStatusPath(requestId) };
}

/** The operation's request executor: waits for the job if needed and returns its video. */
export async function fetchQueuedVideo(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	return [
		await videoOfQueuedJob(this, {
			baseUrl: String(requestData.options.baseURL ?? ''),
			requestId: requestIdOf(this),
			justSubmitted: false,
		}),
	];
}

export const getResultFields: INodeProperties[] = [
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. {{ $json.requestId }}',
		displayOptions: { show: showOnlyForGetResult },
		description:
			"ID of a job queued with Generate From Image (Submit Only mode returns it; a Max Wait error names it). Segmind's status or result URL works too. Fetching never bills again.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showOnlyForGetResult },
		options: [...videoOutputOptions, ...jobWaitOptions].sort((one, other) =>
			one.displayName.localeCompare(other.displayName),
		),
	},
];
