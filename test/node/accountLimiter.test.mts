/**
 * One limiter per Segmind account, shared by every run in the process (issue 22): what one run
 * learns from Segmind's 429s holds back and paces the others, two accounts never slow each
 * other, and the API key is never the limiter's name for an account nor in a log. Real engine
 * and the simulator over HTTP on 127.0.0.1; each test starts from a process that learned nothing.
 */
import {
	accountId,
	accountLimiter,
	forgetAccounts,
	knownAccounts,
} from '../../nodes/Pixverse/transport/accountLimiter';
import { pixverseUnderTest } from '../harness/pixverseUnderTest.mts';
import type { Fault, RecordedRequest } from '../simulator/segmind-simulator.mts';

const API_KEY = 'SG_0a1b2c3d4e5f6a7b';
const OTHER_KEY = 'SG_7b6a5f4e3d2c1b0a';
const pixverse = pixverseUnderTest(API_KEY, { otherApiKeys: [OTHER_KEY] });
const { generate, generationRequests } = pixverse;

/** Segmind's 429: come back in `seconds` (both headers it may send), and its reset time. */
function tooMany(seconds: number): { fault: Fault; resetAtMs: number } {
	const resetAtMs = Date.now() + seconds * 1000;
	const fault: Fault = {
		status: 429,
		body: { error: 'Too many requests. Please slow down.' },
		headers: {
			'retry-after': String(seconds),
			'x-rate-limit-reset-at-utc': new Date(resetAtMs).toISOString(),
		},
	};
	return { fault, resetAtMs };
}

async function until(condition: () => boolean) {
	while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const refusals = () => generationRequests().filter((request) => request.answeredStatus === 429);
/** Once the client has read the account's first 429 and holds the account. */
const firstRefusalRead = () => refusals().length === 1 && pixverse.generationsHeld();
const keyOf = (request: RecordedRequest) => request.headers['x-api-key'];
/** The gaps between one run's requests, in ms, in the order Segmind received them. */
const gapsMs = (requests: RecordedRequest[]) =>
	requests.slice(1).map((request, index) => request.receivedAt - requests[index].receivedAt);

describe('one limiter per account, shared by every run in the process', () => {
	test('a reset time one request saw holds back the requests of another run', async () => {
		const { fault, resetAtMs } = tooMany(2);
		pixverse.simulator.queueFaults([fault]);
		const first = generate({ prompt: 'first run' });
		await until(firstRefusalRead);
		const [refused] = refusals();
		// Another execution starts while the first waits: it has never met a 429 itself.
		const second = await generate(
			{ prompt: '={{ $json.prompt }}' },
			{ items: [{ prompt: 'second run, item 0' }, { prompt: 'second run, item 1' }] },
		);
		expect(second.error).toBeUndefined();
		expect((await first).error).toBeUndefined();
		const after = generationRequests().filter((request) => request !== refused);
		expect(after.map((request) => request.json?.prompt).sort()).toEqual([
			'first run',
			'second run, item 0',
			'second run, item 1',
		]);
		for (const request of after) expect(request.receivedAt).toBeGreaterThanOrEqual(resetAtMs);
		expect(pixverse.simulator.billedGenerations).toBe(3);
	});

	test('a run paces its requests by what an earlier run learned; a new process would not', async () => {
		// 3 generations per 3 s: the first run's burst meets 429s and sets the pace (about 1 s), slow
		// enough that "paced" and "at once" stay apart on a busy machine.
		pixverse.simulator.configure({ requestsPerMinute: 3, rateLimitWindowMs: 3000 });
		const items = (run: string) =>
			Array.from({ length: 3 }, (_, index) => ({ prompt: `${run} ${index}` }));
		const learning = await generate(
			{ prompt: '={{ $json.prompt }}' },
			{ items: [...items('learning'), ...items('learning, more')] },
		);
		expect(learning.error).toBeUndefined();
		expect(refusals().length).toBeGreaterThan(0);

		// Once the account's window is clear, the next run goes at the pace the first one learned.
		await new Promise((resolve) => setTimeout(resolve, 3100));
		const paced = await generate({ prompt: '={{ $json.prompt }}' }, { items: items('paced') });
		expect(paced.error).toBeUndefined();
		const pacedRequests = generationRequests().filter((request) =>
			String(request.json?.prompt).startsWith('paced'),
		);
		expect(pacedRequests.map((request) => request.answeredStatus)).toEqual([200, 200, 200]);
		// One at a time, at the learned pace, not all at once.
		for (const gap of gapsMs(pacedRequests)) expect(gap).toBeGreaterThanOrEqual(500);

		// The same run in a process that learned nothing sends its three at once.
		forgetAccounts();
		await new Promise((resolve) => setTimeout(resolve, 3100));
		const fresh = await generate({ prompt: '={{ $json.prompt }}' }, { items: items('fresh') });
		expect(fresh.error).toBeUndefined();
		const freshRequests = generationRequests().filter((request) =>
			String(request.json?.prompt).startsWith('fresh'),
		);
		expect(freshRequests).toHaveLength(3);
		for (const gap of gapsMs(freshRequests)) expect(gap).toBeLessThan(500);
	});

	test('two accounts (two keys at one base URL) do not slow each other', async () => {
		const { fault, resetAtMs } = tooMany(3);
		pixverse.simulator.queueFaults([fault]);
		const first = generate({ prompt: 'first account' });
		await until(firstRefusalRead);
		const other = await generate(
			{ prompt: 'other account' },
			{ credentials: { apiKey: OTHER_KEY, baseUrl: pixverse.simulator.url } },
		);
		// The other account's video came while the first account still waited for its reset time.
		expect(other.error).toBeUndefined();
		expect(Date.now()).toBeLessThan(resetAtMs);
		const otherRequests = generationRequests().filter((request) => keyOf(request) === OTHER_KEY);
		expect(otherRequests).toHaveLength(1);
		expect(otherRequests[0].answeredStatus).toBe(200);
		for (const text of [JSON.stringify(other.items), ...other.logs]) {
			expect(text).not.toContain(OTHER_KEY);
		}

		expect((await first).error).toBeUndefined();
		expect(knownAccounts()).toHaveLength(2);
	});
});

describe('the API key stays out of the limiter', () => {
	test("an account's name is its base URL and a hash, never the key; the limiter's log line holds no key", async () => {
		pixverse.simulator.queueFaults([tooMany(1).fault]);
		const { error, logs } = await generate({});
		expect(error).toBeUndefined();
		// The run met a 429, and n8n's log says the account waits (the harness also searched every
		// line, item and error of the run for the key).
		expect(
			logs.some((line) =>
				/Segmind answered 429 .* to http:\/\/127\.0\.0\.1:\d+ from this n8n wait until/.test(line),
			),
		).toBe(true);
		const names = knownAccounts();
		expect(names).toHaveLength(1);
		const [name] = names;
		expect(name).toMatch(new RegExp(`^${pixverse.simulator.url} [0-9a-f]{24}$`));
		for (const part of [API_KEY, API_KEY.slice(3), API_KEY.slice(3, 11), API_KEY.slice(11)]) {
			expect(name).not.toContain(part);
		}
		expect(accountId(pixverse.simulator.url, OTHER_KEY)).not.toBe(name);
	});
});

describe('bounded memory', () => {
	test('at most 100 accounts are kept; idle ones go first', () => {
		for (let account = 0; account < 150; account++) {
			accountLimiter(
				accountId('http://127.0.0.1:1', `SG_account${String(account).padStart(6, '0')}`),
			);
		}
		expect(knownAccounts().length).toBeLessThanOrEqual(100);
	});

	test('an account nobody used for two minutes is forgotten', async () => {
		const idle = accountId('http://127.0.0.1:1', 'SG_idleaccount00001');
		await accountLimiter(idle).pace('generation').turn();
		const now = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 121_000);
		try {
			accountLimiter(accountId('http://127.0.0.1:1', 'SG_newaccount000001'));
			expect(knownAccounts()).not.toContain(idle);
			expect(knownAccounts()).toHaveLength(1);
		} finally {
			clock.mockRestore();
		}
	});
});
