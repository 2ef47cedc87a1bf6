/**
 * The node as a tool of n8n's AI Agent: the tool variant n8n itself derives from the node
 * (`convertNodeToAiTool`, which in n8n 2.x lives in the n8n package, no longer in n8n-workflow),
 * and the tool type a started n8n really offers in its editor.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { ensureN8n, hostDir, NODE_TYPE, setUpOwner, startServer } from '../../scripts/n8n-host.mts';
import { loadPixverseNodeType } from '../harness/engine.mts';
import { newInstance, prepareRealN8n } from './realN8n.mts';

beforeAll(() => ensureN8n(), 900_000);

function toolVariant(): INodeTypeDescription {
	const n8nRequire = createRequire(join(hostDir, 'node_modules', 'n8n', 'package.json'));
	const { convertNodeToAiTool } = n8nRequire('./dist/tool-generation') as {
		convertNodeToAiTool<T>(item: T): T;
	};
	// A fresh node instance: the conversion changes the description it is given.
	return convertNodeToAiTool({ description: loadPixverseNodeType().description }).description;
}

test("n8n's own conversion makes an AI tool whose default description tells an agent what it does", () => {
	const tool = toolVariant();
	expect(tool.name).toBe('pixverseTool');
	expect(tool.outputs).toEqual(['ai_tool']);
	const toolDescription = tool.properties.find((property) => property.name === 'toolDescription');
	// What the agent reads to decide when to call the tool.
	expect(toolDescription?.default).toMatch(/image/i);
	expect(toolDescription?.default).toMatch(/video/i);
	expect(toolDescription?.default).toMatch(/prompt/i);
});

test('every field an agent can fill has a description saying what to put there', () => {
	const fillable = (properties: INodeProperties[]): INodeProperties[] =>
		properties.flatMap((property) =>
			property.type === 'collection'
				? fillable((property.options ?? []) as INodeProperties[])
				: ['string', 'number', 'options', 'boolean'].includes(property.type) &&
					  !property.noDataExpression
					? [property]
					: [],
		);
	const fields = fillable(toolVariant().properties).filter(
		(property) => !['toolDescription', 'requestOptions'].includes(property.name),
	);
	expect(fields.map((field) => field.name)).toEqual(
		expect.arrayContaining(['imageUrl', 'prompt', 'quality', 'motionMode', 'duration']),
	);
	const undescribed = fields.filter((field) => (field.description ?? '').trim().length < 20);
	expect(undescribed.map((field) => field.name)).toEqual([]);
});

test('a started n8n offers the tool variant of the installed package in its editor', async () => {
	const real = await prepareRealN8n();
	const instance = newInstance(real);
	const server = await startServer(instance);
	try {
		const { base, cookie } = await setUpOwner(instance);
		const response = await fetch(`${base}/types/nodes.json`, { headers: { cookie } });
		const types = (await response.json()) as INodeTypeDescription[];
		const tool = types.find((type) => type.name === `${NODE_TYPE}Tool`);
		expect(tool).toBeDefined();
		expect(tool?.outputs).toEqual(['ai_tool']);
		expect(tool?.credentials).toEqual([{ name: 'segmindPixverseApi', required: true }]);
	} finally {
		await server.stop();
		instance.remove();
		await real.simulator.close();
	}
}, 300_000);
