/**
 * The node's panel in n8n's real editor, driven in headless Chromium (Debian's package) with the
 * playwright-core n8n itself ships: the combinations PixVerse cannot render are not offered.
 * Screenshots of the panel go to e2e-artifacts/ (git-ignored); the README uses one.
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
} from '../../scripts/n8n-host.mts';
import { newInstance, prepareRealN8n, type RealN8n } from './realN8n.mts';

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

/** The options a dropdown of the panel offers, read from the open list, then closed again. */
async function offeredOptions(parameter: string) {
	await page.locator(`[data-test-id="parameter-input-${parameter}"]`).click();
	const items = page.locator('.el-select-dropdown:visible .el-select-dropdown__item');
	await items.first().waitFor();
	const texts = (await items.allInnerTexts()).map((text) => text.trim());
	await page.keyboard.press('Escape');
	await page.waitForTimeout(300);
	return texts;
}

async function pick(parameter: string, option: string) {
	await page.locator(`[data-test-id="parameter-input-${parameter}"]`).click();
	await page
		.locator('.el-select-dropdown:visible .el-select-dropdown__item')
		.filter({ hasText: option })
		.first()
		.click();
	await page.waitForTimeout(500);
}

/** Waits for the panel to show a notice; fails the test when it does not appear. */
async function noticeShown(text: string) {
	await page
		.locator('[data-test-id="node-parameters"]')
		.filter({ hasText: text })
		.waitFor({ timeout: 5_000 });
}

async function screenshotPanel(name: string) {
	await page.screenshot({ path: join(ARTIFACTS, name) });
}

test('the panel opens on the contract defaults with every choice offered', async () => {
	expect(await offeredOptions('quality')).toEqual([
		'360p',
		'540p (Default)',
		'720p',
		'1080p (Normal Motion, 5 s Only)',
	]);
	expect(await offeredOptions('motionMode')).toEqual(['Normal', 'Fast (5 s Only)']);
	expect(await offeredOptions('duration')).toEqual(['5 Seconds', '8 Seconds']);
	await screenshotPanel('panel-540p.png');
});

test('at 1080p neither fast motion nor 8 seconds can be picked, and a notice says why', async () => {
	await pick('quality', '1080p');
	expect(await offeredOptions('motionMode')).toEqual(['Normal']);
	expect(await offeredOptions('duration')).toEqual(['5 Seconds']);
	await noticeShown('At 1080p PixVerse makes 5-second videos with normal motion only');
	await screenshotPanel('panel-1080p.png');
});

test('with fast motion 8 seconds cannot be picked, and a notice says why', async () => {
	await pick('quality', '720p');
	await pick('motionMode', 'Fast');
	expect(await offeredOptions('duration')).toEqual(['5 Seconds']);
	await noticeShown('Fast motion makes 5-second videos only');
	await screenshotPanel('panel-fast.png');
});
