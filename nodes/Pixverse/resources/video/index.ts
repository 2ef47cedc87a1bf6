import type { INodeProperties } from 'n8n-workflow';

import { GENERATE_PATH } from '../../contract';
import { sendWithSafeRetries } from '../../safeRetries';
import { generateFromImageFields } from './generateFromImage';
import { prepareGenerationRequest, videoFromResponse } from './generateFromImage.hooks';
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
					request: {
						method: 'POST',
						url: GENERATE_PATH,
						// The video arrives as raw bytes; errors arrive as JSON and are decoded in
						// the postReceive hook, which also maps every non-2xx status (errors.ts).
						encoding: 'arraybuffer',
						ignoreHttpStatusErrors: true,
					},
					// `paginate` makes RoutingNode hand the request to sendWithSafeRetries, the
					// declarative hook that may send it more than once (only when that cannot bill
					// twice, see safeRetries.ts).
					// With Image Source "Binary Data" the image is uploaded first (imageFromBinary.ts).
					send: { preSend: [imageFromBinaryData, prepareGenerationRequest], paginate: true },
					operations: { pagination: sendWithSafeRetries },
					output: { postReceive: [videoFromResponse] },
				},
			},
		],
		default: 'generateFromImage',
	},
	...generateFromImageFields,
];
