/**
 * One limiter per Segmind account in this n8n process, shared by every run and execution of the
 * node: the one module-level state of the package (docs/architecture.md). n8n hands a node no
 * place shared by executions, and executions that do not share what Segmind told them each
 * learn the limit on their own, from their own 429s (issue 22: 10 executions put 50 requests
 * against an account allowing 5, and met 879 refusals for 200 videos).
 *
 * - An account is its base URL and a keyed hash of its API key: the key itself is never a key
 *   here, and the hash's secret is drawn per process, so a hash that leaked says nothing.
 * - Each kind of request has its own pace (./pace.ts): which requests count toward Segmind's
 *   limit is not documented, so each learns only from its own refusals, and a limit met by
 *   submits never slows the status checks of jobs already paid for.
 * - Bounded: idle accounts are forgotten (after two minutes nothing sent earlier counts toward a
 *   per-minute limit), and past MAX_ACCOUNTS the longest idle goes first.
 * - Nothing here holds data of an item or a run; only what Segmind said about the account.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { IExecuteSingleFunctions } from 'n8n-workflow';

import type { CallKind } from './failures';
import { Pace } from './pace';

/** After this long without a request, an account's paces say nothing about the limit now. */
const FORGET_IDLE_MS = 120_000;
/** More accounts than one n8n process plausibly uses at once. */
const MAX_ACCOUNTS = 100;

/** The kinds of request that keep a pace of their own; video downloads use no account. */
export type Lane = 'generation' | 'jobRead' | 'upload' | 'credits';

export function laneOf(call: CallKind): Lane | undefined {
	if (call === 'download') return undefined;
	return call === 'submit' ? 'generation' : call;
}

class AccountLimiter {
	private readonly paces = new Map<Lane, Pace>();

	pace(lane: Lane): Pace {
		let pace = this.paces.get(lane);
		if (!pace) {
			pace = new Pace();
			this.paces.set(lane, pace);
		}
		return pace;
	}

	/** Forgets idle paces; true when none is left. */
	forgetIdle(nowMs: number) {
		for (const [lane, pace] of this.paces) {
			if (pace.idleSince(nowMs, FORGET_IDLE_MS)) this.paces.delete(lane);
		}
		return this.paces.size === 0;
	}

	get lastUsedMs() {
		return Math.max(0, ...[...this.paces.values()].map((pace) => pace.lastUsedMs));
	}

	get waiting() {
		return [...this.paces.values()].reduce((sum, pace) => sum + pace.state.waiting, 0);
	}
}

const HASH_SECRET = randomBytes(32);

const limiters = new Map<string, AccountLimiter>();

/** The limiter's name for an account: the base URL and a keyed hash of the key, never the key. */
export function accountId(baseUrl: string, apiKey: string) {
	const keyHash = createHmac('sha256', HASH_SECRET).update(apiKey).digest('hex').slice(0, 24);
	return `${baseUrl.replace(/\/+$/, '')} ${keyHash}`;
}

function forgetIdle(nowMs: number) {
	for (const [id, limiter] of limiters) {
		if (limiter.forgetIdle(nowMs)) limiters.delete(id);
	}
	// Still too many: the longest idle without anything waiting go first.
	const idle = [...limiters]
		.filter(([, limiter]) => limiter.waiting === 0)
		.sort(([, one], [, other]) => one.lastUsedMs - other.lastUsedMs);
	while (limiters.size >= MAX_ACCOUNTS && idle.length) limiters.delete(idle.shift()![0]);
}

/** The limiter of an account, made when the account is first seen (or seen again after idling). */
export function accountLimiter(id: string): AccountLimiter {
	let limiter = limiters.get(id);
	if (!limiter) {
		forgetIdle(Date.now());
		limiter = new AccountLimiter();
		limiters.set(id, limiter);
	}
	return limiter;
}

/** The accounts the process keeps now, by name (for tests: no key may appear). */
export function knownAccounts(): string[] {
	return [...limiters.keys()];
}

/** Forgets every account, as a new n8n process starts (tests start each from nothing learned). */
export function forgetAccounts() {
	limiters.clear();
}

/**
 * The account of a run, by name: the key is read from the credential once per run (the items of
 * a run share its execute data, ./requestSlots.ts) rather than once per request. Each request
 * then finds the account's limiter by name, so a run that outlives an idle account's limiter
 * uses the one that replaced it.
 */
const accountOfRun = new WeakMap<object, Map<string, Promise<string>>>();

export async function accountLimiterOf(
	context: IExecuteSingleFunctions,
	baseUrl: string,
	readApiKey: () => Promise<string | undefined>,
): Promise<AccountLimiter> {
	const run = context.getExecuteData();
	let ofRun = accountOfRun.get(run);
	if (!ofRun) {
		ofRun = new Map();
		accountOfRun.set(run, ofRun);
	}
	let id = ofRun.get(baseUrl);
	if (!id) {
		id = readApiKey().then((apiKey) => accountId(baseUrl, apiKey ?? ''));
		ofRun.set(baseUrl, id);
	}
	return accountLimiter(await id);
}

export type { AccountLimiter };
