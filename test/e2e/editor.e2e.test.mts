/**
 * The node's panel in n8n's real editor, driven in headless Chromium (Debian's package) with the
 * playwright-core n8n itself ships: the combinations PixVerse cannot render are not offered, a
 * notice says why, and each operation's Model field decides which fields and values are shown.
 * Screenshots of the panel go to e2e-artifacts/ (git-ignored); the README shows
 * docs/panel-1080p.png, a copy of e2e-artifacts/panel-1080p.png: copy it again when the panel
 * changes.
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import {
	hostDir,
	importWorkflow,
	readExample,
	REPO_ROOT,
	setUpOwner,
	startServer,
	type Instance,
	type Process,
} from '../harness/n8nHost.mts';
import { newInstance, prepareRealN8n, type RealN8n } from './realN8n.mts';
import { modelsFor } from '../../nodes/Pixverse/models';

// n8n depends on playwright-core; using its copy adds nothing to this package's dependencies.
const { chromium } = createRequire(join(hostDir, 'package.json'))('playwright-core') as {
	chromium: {
		launch(options: object): Promise<Browser>;
	};
};
type Locator = {
	click(options?: object): Promise<void>;
	dblclick(options?: object): Promise<void>;
	first(): Locator;
	filter(options: object): Locator;
	locator(selector: string): Locator;
	nth(index: number): Locator;
	count(): Promise<number>;
	inputValue(): Promise<string>;
	allInnerTexts(): Promise<string[]>;
	waitFor(options?: object): Promise<void>;
	screenshot(options: object): Promise<Buffer>;
};
type Page = {
	goto(url: string): Promise<unknown>;
	locator(selector: string): Locator;
	keyboard: { press(key: string): Promise<void> };
	screenshot(options: object): Promise<Buffer>;
	waitForTimeout(ms: number): Promise<void>;
};
type Browser = {
	newContext(options: object): Promise<{
		addCookies(cookies: object[]): Promise<void>;
		newPage(): Promise<Page>;
	}>;
	close(): Promise<void>;
};

const ARTIFACTS = join(REPO_ROOT, 'e2e-artifacts');

let real: RealN8n;
let instance: Instance;
let server: Process;
let browser: Browser;
let page: Page;

beforeAll(async () => {
	real = await prepareRealN8n();
	instance = newInstance(real);
	const workflow = readExample('generate-one-video.json');
	importWorkflow(instance, workflow, real.credential);
	server = await startServer(instance);
	const { base, cookie } = await setUpOwner(instance);

	browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		// Without the background-networking flags Chromium keeps dialling out of a closed network.
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	const context = await browser.newContext({ viewport: { width: 1400, height: 1100 } });
	const [name, ...value] = cookie.split('=');
	await context.addCookies([{ name, value: value.join('='), url: base }]);
	page = await context.newPage();
	await page.goto(`${base}/workflow/${String(workflow.id)}`);
	// The canvas pane lies over the node's label, so the double click goes to the node itself.
	const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: 'Pixverse' }).first();
	await node.waitFor({ timeout: 60_000 });
	await node.dblclick({ force: true });
	await page.locator('[data-test-id="parameter-input-quality"]').waitFor({ timeout: 30_000 });
	mkdirSync(ARTIFACTS, { recursive: true });
}, 900_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	instance?.remove();
	await real?.simulator.close();
});

const inputOf = (parameter: string) =>
	page.locator(`[data-test-id="parameter-input-${parameter}"]`);

/**
 * The options a dropdown of the panel offers, read from the open list, then closed again: each
 * option's name, without the description n8n prints under it.
 */
async function offeredOptions(parameter: string) {
	await inputOf(parameter).click();
	const items = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
	await items.first().waitFor();
	const texts = (await items.allInnerTexts()).map((text) => text.trim().split('\n')[0].trim());
	await page.keyboard.press('Escape');
	await page.waitForTimeout(300);
	return texts;
}

/** What a dropdown shows as picked. */
async function pickedOption(parameter: string) {
	return (await inputOf(parameter).locator('input').first().inputValue()).trim();
}

/** Picks the option whose name is exactly `option` ("5 Seconds", not "15 Seconds"). */
async function pick(parameter: string, option: string) {
	await inputOf(parameter).click();
	const items = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
	await items.first().waitFor();
	const names = (await items.allInnerTexts()).map((text) => text.trim().split('\n')[0].trim());
	const index = names.indexOf(option);
	if (index === -1) throw new Error(`${parameter} offers no "${option}", only ${names.join(', ')}`);
	await items.nth(index).click();
	await page.waitForTimeout(500);
}

/** Waits for the panel to show a notice; fails the test when it does not appear. */
async function noticeShown(text: string) {
	await page
		.locator('[data-test-id="node-parameters"]')
		.filter({ hasText: text })
		.waitFor({ timeout: 5_000 });
}

/** Whether a parameter's field is in the panel at all. */
async function fieldShown(parameter: string) {
	return (await inputOf(parameter).count()) > 0;
}

const AT_1080P = 'With Quality 1080p this model renders only Motion Mode normal and Duration';
const FAST_5S = 'With Motion Mode fast this model renders only Duration (Seconds) 5';
const RULE_NOTICES = [
	AT_1080P,
	'Quality 1080p is not offered with Motion Mode fast',
	'Quality 1080p is not offered with Duration (Seconds) 8',
	FAST_5S,
	'Motion Mode fast is not offered with Duration (Seconds) 8',
];

/** The rule notices the panel shows now (a notice appears only where its rule holds). */
async function shownRuleNotices() {
	const panel = (await page.locator('[data-test-id="node-parameters"]').allInnerTexts()).join('\n');
	return RULE_NOTICES.filter((notice) => panel.includes(notice));
}

async function screenshotPanel(name: string) {
	await page.screenshot({ path: join(ARTIFACTS, name) });
}

test('the panel opens on the contract defaults with every choice offered, and no notice', async () => {
	expect(await pickedOption('model')).toBe('PixVerse Image to Video');
	expect(await offeredOptions('quality')).toEqual(['360p', '540p', '720p', '1080p']);
	expect(await offeredOptions('motionMode')).toEqual(['Normal', 'Fast']);
	expect(await offeredOptions('duration')).toEqual(['5 Seconds', '8 Seconds']);
	// The example's values, the contract's defaults.
	expect(await pickedOption('quality')).toBe('540p');
	expect(await pickedOption('motionMode')).toBe('Normal');
	expect(await pickedOption('duration')).toBe('5 Seconds');
	expect(await shownRuleNotices()).toEqual([]);
	await screenshotPanel('panel-540p.png');
});

test('at 1080p neither fast motion nor 8 seconds can be picked, and a notice says why', async () => {
	await pick('quality', '1080p');
	expect(await offeredOptions('motionMode')).toEqual(['Normal']);
	expect(await offeredOptions('duration')).toEqual(['5 Seconds']);
	await noticeShown(AT_1080P);
	expect(await shownRuleNotices()).toEqual([AT_1080P]);
	await screenshotPanel('panel-1080p.png');
});

test('with fast motion 8 seconds cannot be picked, and a notice says why', async () => {
	await pick('quality', '720p');
	await pick('motionMode', 'Fast');
	expect(await offeredOptions('duration')).toEqual(['5 Seconds']);
	await noticeShown(FAST_5S);
	expect(await shownRuleNotices()).toEqual([
		'Quality 1080p is not offered with Motion Mode fast',
		FAST_5S,
	]);
	// Picked in this order, 1080p is gone while Fast is picked: 1080p with Fast is unreachable.
	expect(await offeredOptions('quality')).toEqual(['360p', '540p', '720p']);
	await screenshotPanel('panel-fast.png');
});

test("Generate From Text offers exactly its models, and each model's own fields and values", async () => {
	await pick('operation', 'Generate From Text');
	expect(await offeredOptions('model')).toEqual(
		modelsFor('generateFromText').map((model) => model.name),
	);
	// The operation's own default model, which has a motion choice.
	expect(await pickedOption('model')).toBe('PixVerse Text to Video');
	expect(await fieldShown('motionMode')).toBe(true);

	await pick('model', 'PixVerse V6');
	expect(await offeredOptions('duration')).toEqual(
		Array.from({ length: 15 }, (_, index) => `${index + 1} Second${index ? 's' : ''}`),
	);
	expect(await offeredOptions('aspectRatio')).toEqual([
		'16:9',
		'4:3',
		'1:1',
		'3:4',
		'9:16',
		'2:3',
		'3:2',
		'21:9',
	]);
	// V6 renders normal motion only: sent as is, never offered as a choice.
	expect(await fieldShown('motionMode')).toBe(false);
	await screenshotPanel('panel-v6-text.png');

	await pick('model', 'PixVerse V5');
	expect(await fieldShown('motionMode')).toBe(false);
	expect(await offeredOptions('duration')).toEqual(['5 Seconds', '8 Seconds']);
	expect(await offeredOptions('aspectRatio')).toEqual(['16:9', '4:3', '1:1', '3:4', '9:16']);
});
