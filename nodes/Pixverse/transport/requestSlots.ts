/**
 * Caps how many requests one run of the node has open with Segmind at once.
 *
 * n8n's declarative routing starts every item's request together, and its "Batching" option only
 * pauses between batches: 50 items would be 50 simultaneous paid generations and a burst of
 * 429s. Items here wait for one of the run's slots instead, in item order.
 *
 * The items of one run share nothing n8n hands them but the run's execute data (the same object
 * for every item of a node run, `getExecuteData()`), so the slots hang off that object: they live
 * and die with the run, and no item of another run or another execution can see them.
 */
import type { IExecuteSingleFunctions } from 'n8n-workflow';

export type RequestSlots = { run<T>(work: () => Promise<T>): Promise<T> };

class Slots implements RequestSlots {
	private active = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(private readonly limit: number) {}

	async run<T>(work: () => Promise<T>): Promise<T> {
		if (this.active >= this.limit) {
			await new Promise<void>((resolve) => this.waiting.push(resolve));
		} else {
			this.active++;
		}
		try {
			return await work();
		} finally {
			const next = this.waiting.shift();
			// The slot passes straight to the next item: `active` stays the same.
			if (next) next();
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
