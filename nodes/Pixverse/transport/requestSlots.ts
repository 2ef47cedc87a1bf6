/**
 * Caps how many requests one run of the node has open with Segmind at once.
 *
 * n8n's declarative routing starts every item's request together, and its "Batching" option only
 * pauses between batches: 50 items would be 50 simultaneous paid generations and a burst of
 * 429s. Items here wait for one of the run's slots instead, in item order (each at most until
 * its deadline): a free slot goes to the waiting request of the earliest item, so an item whose
 * image was just uploaded sends its generation before later items upload theirs, and the first
 * video does not wait for every upload of the batch. The pace of the whole account, shared by every run, is ./accountLimiter.ts.
 *
 * The items of one run share nothing n8n hands them but the run's execute data (the same object
 * for every item of a node run, `getExecuteData()`), so the slots hang off that object: they live
 * and die with the run, and no item of another run or another execution can see them.
 */
import type { IExecuteSingleFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

/** Frees the slot taken. */
export type Release = () => void;

export type RequestSlots = {
	/**
	 * A slot, or undefined when `deadlineMs` (epoch ms) comes before one is free. Waiting
	 * requests get slots earliest item (`itemIndex`) first.
	 */
	take(itemIndex: number, deadlineMs?: number): Promise<Release | undefined>;
};

type Waiter = { itemIndex: number; start: (release: Release) => void };

class Slots implements RequestSlots {
	private active = 0;

	/** Kept in item order; requests of the same item in the order they came. */
	private readonly waiting: Waiter[] = [];

	constructor(private readonly limit: number) {}

	async take(itemIndex: number, deadlineMs?: number): Promise<Release | undefined> {
		if (this.active < this.limit) {
			this.active++;
			return this.releaser();
		}
		if (deadlineMs !== undefined && deadlineMs <= Date.now()) return undefined;
		return await new Promise<Release | undefined>((resolve) => {
			const deadline = new AbortController();
			const waiter: Waiter = {
				itemIndex,
				start: (release) => {
					deadline.abort();
					resolve(release);
				},
			};
			const later = this.waiting.findIndex((other) => other.itemIndex > itemIndex);
			this.waiting.splice(later === -1 ? this.waiting.length : later, 0, waiter);
			if (deadlineMs === undefined) return;
			void sleep(deadlineMs - Date.now(), deadline.signal).then(
				() => {
					const index = this.waiting.indexOf(waiter);
					if (index < 0) return;
					this.waiting.splice(index, 1);
					resolve(undefined);
				},
				() => {},
			);
		});
	}

	private releaser(): Release {
		let released = false;
		return () => {
			if (released) return;
			released = true;
			const next = this.waiting.shift();
			// The slot passes straight to the next item: `active` stays the same.
			if (next) next.start(this.releaser());
			else this.active--;
		};
	}
}

const unlimited: RequestSlots = { take: async () => () => {} };

const slotsOfRun = new WeakMap<object, Slots>();

export function requestSlotsOf(context: IExecuteSingleFunctions, limit: number): RequestSlots {
	if (!Number.isFinite(limit) || limit < 1) return unlimited;
	const run = context.getExecuteData();
	let slots = slotsOfRun.get(run);
	if (!slots) {
		slots = new Slots(limit);
		slotsOfRun.set(run, slots);
	}
	return slots;
}
