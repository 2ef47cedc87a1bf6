import {
	NodeConnectionTypes,
	type INodeProperties,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { accountDescription } from './description/account';
import { videoProperties } from './description/video';
import { BASE_URL_FROM_CREDENTIAL } from './transport/credential';

const properties: INodeProperties[] = [
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
];

/** The canvas subtitle: the operation by the name its option has in the panel (OPERATIONS'). */
function operationSubtitle(of: INodeProperties[]): string {
	const names = Object.fromEntries(
		of
			.filter((property) => property.name === 'operation')
			.flatMap((property) => property.options as INodePropertyOptions[])
			.map((option) => [option.value, option.name]),
	);
	return `={{ ${JSON.stringify(names)}[$parameter["operation"]] }}`;
}

export class Pixverse implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Pixverse (Segmind)',
		name: 'pixverse',
		icon: { light: 'file:pixverse.svg', dark: 'file:pixverse.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: operationSubtitle(properties),
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
		// A copy per node type: n8n's loader adds its own declarative options to the list.
		properties: [...properties],
	};
}
