import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import {
	BASE_URL_FROM_CREDENTIAL,
	CREDITS_PATH,
	DEFAULT_BASE_URL,
	DEFAULT_STORAGE_UPLOAD_URL,
} from '../nodes/Pixverse/transport/credential';

export class SegmindPixverseApi implements ICredentialType {
	name = 'segmindPixverseApi';

	displayName = 'Segmind Pixverse API';

	icon: Icon = { light: 'file:segmind.svg', dark: 'file:segmind.dark.svg' };

	documentationUrl = 'https://docs.segmind.com/';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'SG_0123456789abcdef',
			description:
				'Your Segmind API key, from the API Keys page of your Segmind console. It is sent only in the x-api-key header.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: DEFAULT_BASE_URL,
			description:
				'Change only to go through a proxy or to a local Segmind simulator for testing. No trailing slash needed.',
		},
		{
			displayName: 'Storage Upload URL',
			name: 'storageUploadUrl',
			type: 'string',
			default: DEFAULT_STORAGE_UPLOAD_URL,
			description:
				'Where images from binary data are uploaded (Segmind Storage) to get the public URL PixVerse needs. Change only for a proxy or a local simulator.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'x-api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	// The credits endpoint runs no model and costs nothing: it checks the key without spending a
	// credit, where a test generation would bill the user for a video nobody asked for. It is the
	// same request as the node's Account > Get Credits.
	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_FROM_CREDENTIAL,
			url: CREDITS_PATH,
			method: 'GET',
		},
	};
}
