/**
 * Caps how many requests one run of the node has open with Segmind at once.
 *
 * n8n's declarative routing starts every item's request together, and its "Batching" option only
 * pauses between batches: 50 items would be 50 simultaneous paid generations and a burst of
 * 429s. Items here wait for one of the run's slots instead, in item order: a free slot goes to
 * the waiting request of the earliest item, so an item whose image was just uploaded sends its
 * generation before later items upload theirs, and the first video does not wait for every
 * upload of the batch.
 *
 * The items of one run share nothing n8n hands them but the run's execute data (the same object
 * for every item of a node run, `getExecuteData()`), so the slots hang off that object: they live
 * and die with the run, and no item of another run or another execution can see them.
 */
import type { IExecuteSingleFunctions } from 'n8n-workflow';

export type RequestSlots = {
	/** Runs `work` in a slot; `itemIndex` orders the waiting requests, earliest item first. */
	run<T>(work: () => Promise<T>, itemIndex: number): Promise<T>;
};

type Waiting = { itemIndex: number; start: () => void };

class Slots implements RequestSlots {
	private active = 0;

	/** Kept in item order; requests of the same item in the order they came. */
	private readonly waiting: Waiting[] = [];

	constructor(private readonly limit: number) {}

	async run<T>(work: () => Promise<T>, itemIndex: number): Promise<T> {
		if (this.active >= this.limit) {
			await new Promise<void>((start) => {
				const at = this.waiting.findIndex((other) => other.itemIndex > itemIndex);
				this.waiting.splice(at === -1 ? this.waiting.length : at, 0, { itemIndex, start });
			});
		} else {
			this.active++;
		}
		try {
			return await work();
		} finally {
			const next = this.waiting.shift();
			// The slot passes straight to the next item: `active` stays the same.
			if (next) next.start();
			else this.active--;
		}
	}
}

const unlimited: RequestSlots = { run: async (work) => await work() };

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
