import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { BASE_URL_FROM_CREDENTIAL } from './contract';
import { accountDescription } from './resources/account';
import { videoDescription } from './resources/video';

export class Pixverse implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pixverse (Segmind)',
		name: 'pixverse',
		icon: { light: 'file:pixverse.svg', dark: 'file:pixverse.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ { generateFromImage: "Image to video", getResult: "Get result", getCredits: "Get credits" }[$parameter["operation"]] }}',
		description:
			'Turn a still image into a short video with PixVerse through Segmind. Give a public image URL or an image file (binary data) and a prompt describing the motion; returns an mp4 as binary data.',
		defaults: { name: 'Pixverse' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'segmindPixverseApi', required: true }],
		requestDefaults: {
			baseURL: BASE_URL_FROM_CREDENTIAL,
			headers: {
				Accept: 'video/mp4, application/json',
				'Content-Type': 'application/json',
			},
		},
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'Video', value: 'video' },
				],
				default: 'video',
			},
			...videoDescription,
			...accountDescription,
		],
	};
}
