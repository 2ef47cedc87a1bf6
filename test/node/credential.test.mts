/**
 * The credential's test request, run the way n8n's credential tester runs it: a declarative node
 * whose request defaults are the credential's `test.request`, executed by RoutingNode.
 */
import type { INodeType } from 'n8n-workflow';

import { SegmindPixverseApi } from '../../credentials/SegmindPixverseApi.credentials';
import { runPixverse } from '../harness/engine.mts';
import { startSegmindSimulator, type SegmindSimulator } from '../simulator/segmind-simulator.mts';

const API_KEY = 'SG_fedcba9876543210';
const credential = new SegmindPixverseApi();

function credentialTestNode(): INodeType {
	return {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credential.name, required: true }],
			requestDefaults: credential.test!.request,
			properties: [],
		},
	} as unknown as INodeType;
}

let simulator: SegmindSimulator;
beforeAll(async () => {
	simulator = await startSegmindSimulator({ apiKey: API_KEY, credits: 12.5 });
});
afterAll(async () => simulator.close());
beforeEach(() => simulator.reset());

const testCredential = (apiKey: string, baseUrl = simulator.url) =>
	runPixverse({ nodeType: credentialTestNode(), parameters: {}, credentials: { apiKey, baseUrl } });

test('a valid key passes by reading the free credits endpoint, never by generating', async () => {
	const { error, items } = await testCredential(API_KEY);
	expect(error).toBeUndefined();
	expect(items[0].json).toMatchObject({ credits: 12.5 });
	expect(simulator.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
		'GET /v1/get-user-credits',
	]);
	expect(simulator.requests[0].headers['x-api-key']).toBe(API_KEY);
	expect(simulator.billedGenerations).toBe(0);
});

test("a wrong key fails the test with Segmind's 401", async () => {
	const { error } = await testCredential('SG_wrongwrongwrong0');
	expect(String(error?.httpCode)).toBe('401');
	expect(simulator.requests.every((request) => request.path === '/v1/get-user-credits')).toBe(true);
});

test('a trailing slash on the Base URL still reaches the endpoint', async () => {
	const { error } = await testCredential(API_KEY, `${simulator.url}/`);
	expect(error).toBeUndefined();
	expect(simulator.requests[0].path).toBe('/v1/get-user-credits');
});

test('the key travels only in the x-api-key header', () => {
	expect(credential.authenticate).toEqual({
		type: 'generic',
		properties: { headers: { 'x-api-key': '={{$credentials.apiKey}}' } },
	});
	const apiKeyField = credential.properties.find((property) => property.name === 'apiKey');
	expect(apiKeyField?.typeOptions?.password).toBe(true);
	expect(credential.properties.find((property) => property.name === 'baseUrl')?.default).toBe(
		'https://api.segmind.com',
	);
});
