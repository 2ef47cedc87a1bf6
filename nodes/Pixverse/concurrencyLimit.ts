/**
 * Caps how many generation requests one node run has in flight.
 *
 * n8n's declarative routing starts every item's request at once, and its "Batching" request
 * option only pauses between batches: 50 items would hit Segmind with 50 simultaneous paid
 * jobs and collect 429s. Items here queue for a slot instead, in item order.
 */
type Slots = { active: number; waiting: Array<() => void> };

// One entry per running node execution; removed as soon as its last request finishes.
const slotsByRun = new Map<string, Slots>();

export async function withConcurrencyLimit<T>(
	runKey: string,
	limit: number,
	work: () => Promise<T>,
): Promise<T> {
	if (!Number.isFinite(limit) || limit < 1) return await work();
	const slots = slotsByRun.get(runKey) ?? { active: 0, waiting: [] };
	slotsByRun.set(runKey, slots);
	if (slots.active >= limit) {
		await new Promise<void>((resolve) => slots.waiting.push(resolve));
	} else {
		slots.active++;
	}
	try {
		return await work();
	} finally {
		const next = slots.waiting.shift();
		if (next) {
			// The slot passes straight to the next item: `active` stays the same.
			next();
		} else {
			slots.active--;
			if (slots.active === 0) slotsByRun.delete(runKey);
		}
	}
}

/** For tests: no run may leave slots behind. */
export function runsHoldingSlots() {
	return slotsByRun.size;
}
