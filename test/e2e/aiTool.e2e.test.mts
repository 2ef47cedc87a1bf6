/**
 * The node as a tool of n8n's AI Agent, in a real n8n: n8n derives the tool variant itself when it
 * loads an installed package (its `createAiTools`, which in n8n 2.x lives in the n8n package, not
 * in n8n-workflow), so only a real n8n shows it exists and what it holds. `n8n export:nodes` runs
 * that same loader and writes the node types the editor gets (`/types/nodes.json`) without
 * starting a server. What an agent reads (the descriptions) is test/node/aiTool.test.mts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeTypeDescription } from 'n8n-workflow';

import { NODE_TYPE, type Instance } from '../harness/n8nHost.mts';
import { newInstance, prepareRealN8n, type RealN8n } from './realN8n.mts';

let real: RealN8n;
let instance: Instance;
let types: INodeTypeDescription[];

beforeAll(async () => {
	real = await prepareRealN8n();
	instance = newInstance(real);
	const file = join(instance.userFolder, 'nodes.json');
	instance.cli(['export:nodes', `--output=${file}`]);
	types = JSON.parse(readFileSync(file, 'utf8')) as INodeTypeDescription[];
}, 900_000);
afterAll(async () => {
	instance?.remove();
	await real?.simulator.close();
});

const typeNamed = (name: string) => types.find((type) => type.name === name);

test('n8n offers a tool variant of the installed node, for an agent only, with its credential', () => {
	const node = typeNamed(NODE_TYPE)!;
	const tool = typeNamed(`${NODE_TYPE}Tool`);
	expect(tool).toBeDefined();
	expect(tool!.displayName).toBe(`${node.displayName} Tool`);
	expect(tool!.inputs).toEqual([]);
	expect(tool!.outputs).toEqual(['ai_tool']);
	expect(tool!.credentials).toEqual(node.credentials);
	expect(tool!.credentials).toEqual([{ name: 'segmindPixverseApi', required: true }]);
});

test("the tool holds every field of the node, and n8n's tool description set from the node's", () => {
	const node = typeNamed(NODE_TYPE)!;
	const tool = typeNamed(`${NODE_TYPE}Tool`)!;
	expect(tool.properties.map((property) => property.name)).toEqual([
		'descriptionType',
		'toolDescription',
		...node.properties.map((property) => property.name),
	]);
	const property = (name: string) => tool.properties.find((one) => one.name === name)!;
	// Set automatically from the operation by default; set manually, it starts from the node's.
	expect(property('descriptionType').default).toBe('auto');
	expect(property('toolDescription').default).toBe(node.description);
});
