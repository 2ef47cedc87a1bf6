/**
 * Where the image comes from: a public URL (sent as it is) or a binary field of the input item
 * (checked, uploaded to Segmind Storage, then sent as the URL Segmind Storage returns).
 */
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { IMAGE_MAX_SIDE } from '../../contract';

export const IMAGE_SOURCES = { url: 'url', binaryData: 'binaryData' } as const;
export type ImageSource = (typeof IMAGE_SOURCES)[keyof typeof IMAGE_SOURCES];
export const DEFAULT_INPUT_BINARY_FIELD = 'data';

/** The Image Source field and the binary field name it shows; `show` is the operation's condition. */
export function imageSourceFields(show: NonNullable<IDisplayOptions['show']>): INodeProperties[] {
	return [
		{
			displayName: 'Image Source',
			name: 'imageSource',
			type: 'options',
			noDataExpression: true,
			default: 'url',
			displayOptions: { show },
			options: [
				{
					name: 'URL',
					value: IMAGE_SOURCES.url,
					description: 'A public http(s) link that Segmind can download',
				},
				{
					name: 'Binary Data',
					value: IMAGE_SOURCES.binaryData,
					description:
						'An image file from an earlier node (form upload, Google Drive, email attachment...), uploaded to Segmind Storage first',
				},
			],
		},
		{
			displayName: 'Input Binary Field',
			name: 'inputBinaryField',
			type: 'string',
			required: true,
			default: DEFAULT_INPUT_BINARY_FIELD,
			placeholder: 'e.g. data',
			hint: 'The name of the input binary field holding the image',
			displayOptions: { show: { ...show, imageSource: [IMAGE_SOURCES.binaryData] } },
			description: `Binary field of the input item with the image to animate: png, webp or jpeg, under 20 MB, at most ${IMAGE_MAX_SIDE} x ${IMAGE_MAX_SIDE} px. It is checked, then uploaded to Segmind Storage (a public URL Segmind keeps), before anything is generated.`,
		},
	];
}

/** Only shows a field when the image comes from a URL. */
export const showOnlyForImageUrl = { imageSource: [IMAGE_SOURCES.url] };

/**
 * The Segmind Storage URL each item's binary image was uploaded to, kept from the preSend hook
 * for the postReceive hook: RoutingNode hands both the same per-item context.
 */
const uploadedImageUrls = new WeakMap<object, string>();

export function rememberUploadedImageUrl(itemContext: object, url: string) {
	uploadedImageUrls.set(itemContext, url);
}

export function uploadedImageUrlOf(itemContext: object): string | undefined {
	return uploadedImageUrls.get(itemContext);
}
