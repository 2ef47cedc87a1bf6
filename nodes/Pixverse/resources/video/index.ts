import type { INodeProperties } from 'n8n-workflow';

import { generateFromImageFields } from './generateFromImage';
import { generateInChosenMode, prepareGenerationRequest } from './generateFromImage.hooks';
import { checkResultRequest, fetchQueuedVideo, getResultFields } from './getResult';
import { imageFromBinaryData } from './imageFromBinary';

const showOnlyForVideos = { resource: ['video'] };

export const videoDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showOnlyForVideos },
		options: [
			{
				name: 'Generate From Image',
				value: 'generateFromImage',
				action: 'Generate a video from an image',
				description: 'Animate a still image into a 5 or 8 second mp4 video with PixVerse',
				routing: {
					// The endpoint and the reading of the answer come with the chosen Mode (see its
					// options). Failed statuses are decoded by the postReceive hooks (errors.ts).
					request: { method: 'POST', ignoreHttpStatusErrors: true },
					// `paginate` makes RoutingNode hand the request to generateInChosenMode, the
					// declarative hook that may send it more than once (only when that cannot bill
					// twice, see safeRetries.ts) and that waits for a queued job.
					// With Image Source "Binary Data" the image is uploaded first (imageFromBinary.ts).
					send: { preSend: [imageFromBinaryData, prepareGenerationRequest], paginate: true },
					operations: { pagination: generateInChosenMode },
				},
			},
			{
				name: 'Get Result',
				value: 'getResult',
				action: 'Get the video of a submitted job',
				description:
					'Fetch the video of a job queued earlier (Submit Only, or one that outlived Max Wait), waiting for it if needed. Never bills again.',
				routing: {
					request: { method: 'GET', ignoreHttpStatusErrors: true },
					send: { preSend: [checkResultRequest], paginate: true },
					operations: { pagination: fetchQueuedVideo },
				},
			},
		],
		default: 'generateFromImage',
	},
	...generateFromImageFields,
	...getResultFields,
];
