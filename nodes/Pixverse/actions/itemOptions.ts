/**
 * An item's own values that stop it before anything is sent: a bad option or input is an error
 * on that item alone (with On Error: Continue the others go on), and costs nothing.
 */
import type { IExecuteSingleFunctions } from 'n8n-workflow';

import { itemFailure, type CallKind } from '../transport/failures';

const NOTHING_SENT = 'Nothing was sent to Segmind, so no credits were used.';

/** The error of an input that stops the item: `others` explain more, then "nothing was sent". */
export function invalidInputError(
	context: IExecuteSingleFunctions,
	message: string,
	others: string[] = [],
	call: CallKind = 'generation',
) {
	return itemFailure(context, message, [...others, NOTHING_SENT].join('\n'), {
		kind: 'invalidInput',
		call,
	});
}

/**
 * An option given in seconds, in milliseconds; `fallbackSeconds` when it is not set. A value
 * that is not a number of at least `minimumSeconds` stops the item.
 */
export function optionMs(
	context: IExecuteSingleFunctions,
	label: string,
	value: unknown,
	fallbackSeconds: number,
	minimumSeconds: number,
) {
	const seconds = Number(value ?? fallbackSeconds);
	if (!Number.isFinite(seconds) || seconds < minimumSeconds) {
		throw invalidInputError(
			context,
			`${label} ${JSON.stringify(value)} is not valid: use a number of seconds of at least ${minimumSeconds}`,
		);
	}
	return Math.round(seconds * 1000);
}
