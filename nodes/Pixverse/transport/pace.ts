/**
 * The pace of one kind of request to one Segmind account, learned from Segmind's answers: the
 * client-side adaptive rate limiting of the AWS SDKs' "adaptive" retry mode (a sending rate that
 * follows the throttling answers along CUBIC's curve), reduced to what Segmind tells us.
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html,
 * https://www.rfc-editor.org/rfc/rfc9438 (CUBIC).
 *
 * - Until Segmind refuses anything, requests go as they come (only Max Concurrent Requests caps
 *   them): the common case pays nothing.
 * - A 429 holds back every request waiting here until the reset time Segmind gave
 *   (`Retry-After` or `x-rate-limit-reset-at-utc`), not only the refused one.
 * - It also sets a pace: requests start one at a time, an interval apart. The first refusal
 *   guesses the interval from what the account accepted before its reset time; each later one
 *   slows the pace that met the limit by SLOWDOWN (or to what the account really accepted since,
 *   when that is slower).
 * - With time the pace creeps back up, levels off a little below the refused one, then speeds
 *   up ever faster while nothing is refused, and once the interval is short enough requests go as
 *   they come again: room that opened (an execution ended, a higher plan) is found.
 *
 * Waiting requests start in order: retries of refused requests first (they waited longest),
 * then the others. No wait ends after the item's deadline: the item gets no turn instead.
 */
import { sleep } from 'n8n-workflow';

/** After a refusal the pace is at most 0.7 of the refused one (AWS SDK's and CUBIC's beta). */
const SLOWDOWN = 0.7;
/**
 * Where the pace levels off after a refusal: a little below the refused pace, so that an account
 * used at its limit meets a 429 (and its hold) every ten seconds or so rather than every few.
 */
const LEVEL = 0.85;
/**
 * The time after a refusal in which the pace regains the refused one (CUBIC's K): this, or
 * REGAIN_INTERVALS of the refused interval when longer, so a slow account (5 a minute) is not
 * probed every other request. Tuned on the queue benchmark (BENCHMARKS.md): shorter regains
 * meet more 429s, longer ones leave the account idle after one execution ends.
 */
const REGAIN_MS = 6000;
const REGAIN_INTERVALS = 4;
/** An interval shorter than this is no pace: requests go as they come. */
const SHORTEST_INTERVAL_MS = 5;
/** No pace is slower than a request a minute: Segmind's limits are counted per minute. */
const LONGEST_INTERVAL_MS = 60_000;
/** A 429 without a reset time holds requests back this long. */
const HOLD_WITHOUT_RESET_MS = 1000;
/** A reset period counts as at least this long: "try again now" still means "not this fast". */
const SHORTEST_RESET_PERIOD_MS = 1000;
/** Recent accepted requests kept to tell what the account accepts (a few kilobytes at most). */
const ACCEPTED_KEPT = 100;
/**
 * Segmind's smallest plan accepts 5 requests a minute (docs/rate-limits.md): the first guess
 * counts at least that many per reset period.
 */
const ACCEPTED_PER_RESET = 5;

/**
 * The pace `sinceMs` after a refusal, as a share of the refused pace: CUBIC's curve (RFC 9438),
 * levelled off at LEVEL rather than at the refused pace itself, which met the limit. It regains
 * quickly from where it restarted, stays near LEVEL until `regainMs`, then speeds up ever faster
 * while nothing is refused (about twice the refused pace at twice `regainMs`), so room that
 * opened (another execution ended) is found within seconds.
 */
function cubicShare(sinceMs: number, regainMs: number, startShare: number) {
	const fromRegained = sinceMs / regainMs - 1;
	return LEVEL + (fromRegained < 0 ? LEVEL - startShare : 1) * fromRegained ** 3;
}

/** One request's turn: it tells the pace how Segmind answered. */
export type Turn = {
	/**
	 * Segmind refused a request after this turn was given: a request still waiting for something
	 * else (a slot of its run) asks for a new turn instead of going with the crowd it was in.
	 */
	stale(): boolean;
	/** Segmind accepted the request (a 2xx). */
	accepted(): void;
	/**
	 * Segmind refused it with a 429; `retryAfterMs` is how long it asked to wait, `maxHoldMs` the
	 * longest the refused item may wait (Max Wait per Retry). True when this refusal slowed the
	 * pace (the first of its wave).
	 */
	refused(retryAfterMs: number | undefined, maxHoldMs: number): boolean;
};

export type TurnRequest = {
	/** Epoch ms by which the wait must end; past it the request gets no turn. */
	deadlineMs?: number;
	/** A retry of a refused request: it goes before first attempts, and waits at most `maxWaitMs`. */
	retry?: boolean;
	/** A request whose turn went stale: it goes before first attempts too. */
	again?: boolean;
	maxWaitMs?: number;
};

type Waiter = {
	/** Hands the turn over (or nothing, when the deadline came first); true if it was still waiting. */
	settle(turn: Turn | undefined): boolean;
};

/** What a pace knows, for the client's log line and for tests. */
export type PaceState = { holdUntilMs: number; intervalMs: number; waiting: number };

export class Pace {
	private holdUntilMs = 0;

	private intervalMs = 0;

	private nextStartMs = 0;

	/** When the pace last slowed down: refusals of requests sent before it are the same wave. */
	private slowedAtMs = Number.NEGATIVE_INFINITY;

	private lastRefusalAtMs = Number.NEGATIVE_INFINITY;

	/** The interval Segmind last refused, and the share of it the pace restarted from. */
	private refusedIntervalMs = 0;

	private startShare = SLOWDOWN;

	private acceptedStartsMs: number[] = [];

	private readonly retries: Waiter[] = [];

	private readonly firstTries: Waiter[] = [];

	private pumping = false;

	private wakePump: AbortController | undefined;

	/** When a request last asked for a turn here. */
	lastUsedMs = Date.now();

	get state(): PaceState {
		return {
			holdUntilMs: this.holdUntilMs,
			intervalMs: this.intervalMs,
			waiting: this.retries.length + this.firstTries.length,
		};
	}

	/** Nothing waits here and nothing asked for a while. */
	idleSince(nowMs: number, idleMs: number) {
		return this.state.waiting === 0 && nowMs - this.lastUsedMs >= idleMs;
	}

	/** The request's turn, or undefined when its deadline comes (or would pass) before it. */
	async turn(request: TurnRequest = {}): Promise<Turn | undefined> {
		const nowMs = Date.now();
		this.lastUsedMs = nowMs;
		const earliestMs = this.earliestStartMs(request.retry ? request.maxWaitMs : undefined, nowMs);
		if (earliestMs <= nowMs && this.state.waiting === 0) return this.start(nowMs);
		if (request.deadlineMs !== undefined && earliestMs > request.deadlineMs) return undefined;
		return await new Promise<Turn | undefined>((resolve) => {
			const timers = new AbortController();
			const queue = request.retry || request.again ? this.retries : this.firstTries;
			const waiter: Waiter = {
				settle: (turn) => {
					const index = queue.indexOf(waiter);
					if (index < 0) return false;
					queue.splice(index, 1);
					timers.abort();
					resolve(turn);
					return true;
				},
			};
			queue.push(waiter);
			if (request.deadlineMs !== undefined) {
				this.after(request.deadlineMs - nowMs, timers.signal, () => {
					if (waiter.settle(undefined)) this.wake();
				});
			}
			if (request.retry && request.maxWaitMs !== undefined) {
				// Max Wait per Retry: past it the retry goes, whatever the pace says.
				this.after(request.maxWaitMs, timers.signal, () => {
					if (waiter.settle(this.start(Date.now()))) this.wake();
				});
			}
			void this.pump();
		});
	}

	/** A retry may skip the part of a hold beyond its Max Wait per Retry. */
	private earliestStartMs(maxWaitMs: number | undefined, nowMs: number) {
		const holdUntilMs =
			maxWaitMs === undefined ? this.holdUntilMs : Math.min(this.holdUntilMs, nowMs + maxWaitMs);
		return Math.max(holdUntilMs, this.nextStartMs);
	}

	private start(nowMs: number): Turn {
		this.speedUp(nowMs);
		// A retry let go early by its Max Wait per Retry moves the next start by one interval at most.
		this.nextStartMs = Math.max(this.nextStartMs, nowMs + this.intervalMs);
		return {
			stale: () => this.lastRefusalAtMs > nowMs,
			accepted: () => this.accepted(nowMs),
			refused: (retryAfterMs, maxHoldMs) => this.refused(nowMs, retryAfterMs, maxHoldMs),
		};
	}

	/** The pace creeps back up with the time since the last refusal. */
	private speedUp(nowMs: number) {
		if (this.intervalMs === 0) return;
		const regainMs = Math.max(REGAIN_MS, REGAIN_INTERVALS * this.refusedIntervalMs);
		this.intervalMs =
			this.refusedIntervalMs / cubicShare(nowMs - this.slowedAtMs, regainMs, this.startShare);
		if (this.intervalMs < SHORTEST_INTERVAL_MS) this.intervalMs = 0;
	}

	private accepted(startedAtMs: number) {
		this.acceptedStartsMs.push(startedAtMs);
		if (this.acceptedStartsMs.length > ACCEPTED_KEPT) this.acceptedStartsMs.shift();
	}

	private refused(startedAtMs: number, retryAfterMs: number | undefined, maxHoldMs: number) {
		let slowed = false;
		const nowMs = Date.now();
		const holdMs = Math.min(retryAfterMs ?? HOLD_WITHOUT_RESET_MS, maxHoldMs);
		const resetAtMs = nowMs + holdMs;
		this.lastRefusalAtMs = nowMs;
		// Requests sent before the last slowdown were sent at the old pace: one wave, one slowdown.
		if (startedAtMs >= this.slowedAtMs) {
			const paced = this.intervalMs > 0;
			this.refusedIntervalMs = Math.min(
				LONGEST_INTERVAL_MS * SLOWDOWN,
				paced ? this.intervalMs : this.firstGuessMs(nowMs, holdMs),
			);
			this.intervalMs = Math.min(
				LONGEST_INTERVAL_MS,
				Math.max(this.refusedIntervalMs / SLOWDOWN, paced ? this.acceptedIntervalMs(nowMs) : 0),
			);
			this.startShare = this.refusedIntervalMs / this.intervalMs;
			if (this.intervalMs < SHORTEST_INTERVAL_MS) this.intervalMs = 0;
			this.slowedAtMs = nowMs;
			slowed = true;
		}
		// Other processes on the account heard the same reset time: a random share of one interval
		// keeps them from all coming back in the same moment.
		this.holdUntilMs = Math.max(this.holdUntilMs, resetAtMs + Math.random() * this.intervalMs);
		this.wake();
		return slowed;
	}

	/**
	 * The first refusal of requests that went as they came: the ones accepted in the last reset
	 * period (the wait Segmind asked for, at least a second), spread up to the reset time. Fewer than ACCEPTED_PER_RESET count as that many: how
	 * many of a crowd's requests one process got through is chance, and processes that guess
	 * alike share the account alike.
	 */
	private firstGuessMs(nowMs: number, holdMs: number) {
		const periodMs = Math.max(holdMs, SHORTEST_RESET_PERIOD_MS);
		const recent = this.acceptedStartsMs.filter((startMs) => startMs >= nowMs - periodMs);
		return (nowMs + periodMs - (recent[0] ?? nowMs)) / Math.max(recent.length, ACCEPTED_PER_RESET);
	}

	/**
	 * The pace at which Segmind accepted this pace's requests since the last slowdown. A pace
	 * kept in check by the holds rather than by its interval (another process took the room)
	 * restarts from what it really got, not from a third below its interval.
	 */
	private acceptedIntervalMs(nowMs: number) {
		const accepted = this.acceptedStartsMs.filter((startMs) => startMs >= this.slowedAtMs).length;
		return (nowMs - this.slowedAtMs) / Math.max(accepted, 1);
	}

	/** Starts waiting requests in order, each when the hold and the pace allow. */
	private async pump() {
		if (this.pumping) return;
		this.pumping = true;
		try {
			for (;;) {
				const next = this.retries[0] ?? this.firstTries[0];
				if (!next) return;
				const nowMs = Date.now();
				const startMs = this.earliestStartMs(undefined, nowMs);
				if (startMs <= nowMs) {
					next.settle(this.start(nowMs));
					continue;
				}
				this.wakePump = new AbortController();
				await sleep(startMs - nowMs, this.wakePump.signal).catch(() => {});
			}
		} finally {
			this.pumping = false;
			this.wakePump = undefined;
		}
	}

	/** Something changed (a hold, a request left): the pump looks again. */
	private wake() {
		this.wakePump?.abort();
	}

	private after(ms: number, signal: AbortSignal, then: () => void) {
		void sleep(Math.max(0, ms), signal).then(then, () => {});
	}
}
