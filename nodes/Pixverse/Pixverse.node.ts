import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { accountDescription } from './description/account';
import { videoProperties } from './description/video';
import { BASE_URL_FROM_CREDENTIAL } from './transport/credential';

export class Pixverse implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pixverse (Segmind)',
		name: 'pixverse',
		icon: { light: 'file:pixverse.svg', dark: 'file:pixverse.dark.svg' },
		group: ['transform'],
		version: 1,
		// The operation by name (a test checks the names against the operations).
		subtitle:
			'={{ {"applyEffect":"Apply Effect","copyMotion":"Copy Motion From Video","extendVideo":"Extend Video","generateFromImage":"Generate From Image","generateFromText":"Generate From Text","getCredits":"Get Credits","getResult":"Get Result","transitionBetweenFrames":"Transition Between Frames"}[$parameter["operation"]] }}',
		description:
			'Make short videos with PixVerse through Segmind: from an image, from text, between two frames, by extending a video, copying motion or applying an effect. Returns an mp4 as binary data.',
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
			...videoProperties(),
			...accountDescription,
		],
	};
}
